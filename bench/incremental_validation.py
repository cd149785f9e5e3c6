"""Benchmark: revalidating a generated world after one State's file changed (issue 18).

    .venv/bin/python bench/incremental_validation.py --scale 0.1 [--runs 2] [--state xak]

On the scale's built project (``var/bench/scale-S``, as ``bench/world_validation.py`` makes it),
each run: a full validation (``incremental=False``, which keeps its results), an edit of one
synthetic State's file (its provisions' ``hrg:appliesTo hrg:Everyone`` become
``hrg:CitizensOnly``, or back to the file's text: runs alternate, and the file is restored), a
build (which records the statements it changed, ``hrgraph.build.changes``), then ``hrgraph
validate`` (incremental: timed, with what it reran) and a full validation again, whose findings
must be identical. Also timed: recording the changes alone (comparing the new generation with
the one before, as the build did). Medians of the runs; the machine is shared.

Writes (merging by scale) ``bench/results/incremental-validation.md`` and prints the row.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from world_validation import AS_OF, project  # noqa: E402

from hrgraph.build import changes  # noqa: E402
from hrgraph.build.pipeline import build, recorded_sources  # noqa: E402
from hrgraph.settings import Settings  # noqa: E402
from hrgraph.store.generations import StoreLocation  # noqa: E402
from hrgraph.store.local import GraphStore  # noqa: E402
from hrgraph.validation.findings import ValidationReport  # noqa: E402
from hrgraph.validation.validate import validate  # noqa: E402

RESULTS = HERE / "results" / "incremental-validation.json"
REPORT = HERE / "results" / "incremental-validation.md"
EVERYONE, CITIZENS = "hrg:appliesTo hrg:Everyone", "hrg:appliesTo hrg:CitizensOnly"


def outcomes(report: ValidationReport) -> tuple[object, ...]:
    findings = sorted((f.focus, f.shape, f.message, f.outcome) for f in report.findings)
    return tuple(findings), tuple(sorted((m.focus, m.requirement) for m in report.met))


def recording_seconds(store_path: Path) -> float:
    """Compare the current generation with the one before, as the build did (read-only)."""
    location = StoreLocation(store_path)
    current = location.current()
    found = changes.read(current) if current is not None else None
    assert current is not None
    assert found is not None
    assert found.since is not None
    store = GraphStore.read_only_at(current)
    try:
        started = time.perf_counter()
        changes.compare(store, recorded_sources, 0, location.generations_dir / found.since)
        return time.perf_counter() - started
    finally:
        store.close()


def one_run(settings: Settings, path: Path, original: str, forward: bool) -> dict[str, Any]:
    """Forward: the edit; else the file's original text again."""
    day = date.fromisoformat(AS_OF)
    validate(settings, as_of=day, incremental=False)
    path.write_text(original.replace(EVERYONE, CITIZENS) if forward else original)
    started = time.perf_counter()
    build(settings)[1].close()
    build_s = time.perf_counter() - started
    assert settings.store_path is not None
    record_s = recording_seconds(settings.store_path)
    started = time.perf_counter()
    report = validate(settings, as_of=day)
    incremental_s = time.perf_counter() - started
    started = time.perf_counter()
    full = validate(settings, as_of=day, incremental=False)
    full_s = time.perf_counter() - started
    return {
        "build_s": build_s,
        "record_s": record_s,
        "incremental_s": incremental_s,
        "full_s": full_s,
        "basis": report.basis,
        "revalidated": len(report.revalidated or ()),
        "same": outcomes(report) == outcomes(full),
        "statements": original.count(EVERYONE),
    }


def write(results: dict[str, Any]) -> str:
    lines = [
        "# Revalidation after one State's file changed",
        "",
        "Each run: a full validation, an edit of one synthetic State's file (its provisions' "
        "`hrg:appliesTo` between `hrg:Everyone` and `hrg:CitizensOnly`), `hrgraph build` (which "
        "records the statements it changed), `hrgraph validate` (incremental) and a full "
        "validation, whose findings must be the same; as of " + AS_OF + ". *Recording*: the "
        "build's comparison of the new generation with the one before (part of the build's "
        "time). Medians of the runs on a shared 2-core machine; *each run* lists the incremental "
        "validation's times in order: the first validation after hrgraph's code or the shapes "
        "change also reads every constraint's query (about 13 ms each), which is then kept "
        "with the results.",
        "",
        "| scale | State edited | statements edited | build | of which recording | "
        "incremental validation | each run | full validation | results rerun | "
        "resources rerun | identical findings |",
        "| ---: | --- | ---: | ---: | ---: | ---: | --- | ---: | --- | ---: | --- |",
    ]
    for scale in sorted(results, key=float):
        entry = results[scale]
        runs = entry["runs"]

        def median(key: str, runs: list[dict[str, Any]] = runs) -> float:
            return statistics.median(run[key] for run in runs)

        each = ", ".join(f"{run['incremental_s']:.2f}" for run in runs)
        rerun = runs[-1]["basis"].partition("): ")[2].partition(" results rerun")[0]
        lines.append(
            f"| {scale} | {entry['state'].upper()} | {runs[-1]['statements']} | "
            f"{median('build_s'):.1f} s | {median('record_s'):.1f} s | "
            f"{median('incremental_s'):.2f} s | "
            f"{each} | "
            f"{median('full_s'):.2f} s | {rerun} | "
            f"{runs[-1]['revalidated']} | {'yes' if all(r['same'] for r in runs) else 'NO'} |"
        )
    lines += ["", "What the last run's report said, and how each row was measured:", ""]
    for scale in sorted(results, key=float):
        entry = results[scale]
        lines.append(
            f"- scale {scale}: `{entry['command']}` ({entry['measured']}, {entry['machine']}, "
            f"{len(entry['runs'])} runs): `Validated: {entry['runs'][-1]['basis']}`"
        )
    text = "\n".join(lines) + "\n"
    REPORT.write_text(text)
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--runs", type=int, default=2, help="even: the store ends as it began")
    parser.add_argument("--state", default="xak", help="the synthetic State whose file changes")
    args = parser.parse_args()
    root, store = project(args.scale)
    settings = Settings(root=root, store_path=store)
    path = root / "data" / f"bench-state-{args.state}.ttl"
    original = path.read_text()
    assert EVERYONE in original, f"{path} holds no {EVERYONE!r}"
    forward = True
    build(settings)[1].close()  # the store as the files are now, its changes recorded
    runs = []
    try:
        for number in range(args.runs):
            runs.append(one_run(settings, path, original, forward))
            forward = not forward
            print(f"run {number + 1}: {json.dumps(runs[-1])}", flush=True)
    finally:
        path.write_text(original)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[f"{args.scale:g}"] = {
        "state": args.state,
        "runs": runs,
        "command": " ".join(["bench/incremental_validation.py", *sys.argv[1:]]),
        "measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.node()}, {platform.machine()}, Python {platform.python_version()}",
    }
    RESULTS.write_text(json.dumps(results, indent=1) + "\n")
    print(write(results))
    return 0 if all(run["same"] for run in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
