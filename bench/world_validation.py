"""Benchmark: validating every national framework of a generated world (bench/generate.py: each
synthetic State has an NHRI, laws with provisions and registration refusals), as
``hrgraph validate`` does it, beside plain pySHACL on the same data and shapes.

    .venv/bin/python bench/world_validation.py --scale 0.1 [--runs 3] [--shapes DIR]
        [--pyshacl full|sample|none] [--sample-every 10]

Builds the scale's project (``var/bench/scale-S``) if it is missing, then, in a child process
(``bench/validate_scale.py``, so that peak memory is the validation's own): ``hrgraph
validate`` of the built store as of 2026-11-01 (checkpoint, cut to the day, shapes as SPARQL,
report), median of ``--runs``; then plain pySHACL, validation only, on the same data as an
rdflib graph prepared beforehand (untimed):

- ``full``: on the whole scale (one run; its findings must be identical to hrgraph's);
- ``sample``: on a project holding the real data and every ``--sample-every``-th synthetic
  State (beginning with the first); hrgraph validates that same project too, and both its
  findings there and its findings at full scale restricted to those States must be identical
  to pySHACL's. Plain pySHACL's time at full scale is then not measured (no ratio);
- ``none``: hrgraph only.

Writes (merging by scale) ``bench/results/world-validation.md`` and prints the row. Timing is
never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import code, generate, states_for  # noqa: E402

AS_OF = "2026-11-01"
RESULTS = HERE / "results" / "world-validation.json"
REPORT = HERE / "results" / "world-validation.md"


def project(scale: float) -> tuple[Path, Path]:
    """The generated project folder of ``scale`` and its built store (built if missing)."""
    root = generate(scale, ROOT / "var" / "bench" / f"scale-{scale:g}")
    store = root / "store"
    if not store.exists():
        subprocess.run(
            [str(ROOT / ".venv" / "bin" / "hrgraph"), "--root", str(root), "build", "--store",
             str(store), "--quiet"],
            check=True,
        )  # fmt: skip
    return root, store


def sample_project(scale: float, every: int) -> tuple[Path, list[str]]:
    """A project with the real data and every ``every``-th synthetic State of ``scale``."""
    root, _ = project(scale)
    chosen = [code(n).lower() for n in range(0, states_for(scale), every)]
    out = ROOT / "var" / "bench" / f"sample-{scale:g}-every-{every}"
    if not (out / ".complete").is_file():
        import shutil

        if out.exists():
            shutil.rmtree(out)
        (out / "data").mkdir(parents=True)
        for folder in ("ontology", "queries", "shapes"):
            (out / folder).symlink_to(ROOT / folder, target_is_directory=True)
        for path in sorted((root / "data").iterdir()):
            if path.name.startswith("bench-state-") and path.stem[12:] not in chosen:
                continue
            shutil.copyfile(path, out / "data" / path.name)
        subprocess.run(
            [str(ROOT / ".venv" / "bin" / "hrgraph"), "--root", str(out), "build", "--store",
             str(out / "store"), "--quiet"],
            check=True,
        )  # fmt: skip
        (out / ".complete").write_text(",".join(chosen))
    return out, chosen


def patched_shapes(patch: Path) -> Path | None:
    """The shapes with ``patch`` applied (``var/bench/shapes-patched``), or ``None`` when
    ``shapes/`` already has it."""
    import shutil

    patch = patch.resolve()
    applied = subprocess.run(
        ["patch", "-p1", "-R", "--dry-run", "-s", "-f", "-i", str(patch)],
        cwd=ROOT, capture_output=True, check=False,
    )  # fmt: skip
    if applied.returncode == 0:
        return None
    out = ROOT / "var" / "bench" / "shapes-patched"
    if out.exists():
        shutil.rmtree(out)
    (out / "shapes").mkdir(parents=True)
    for path in sorted((ROOT / "shapes").glob("*.ttl")):
        shutil.copyfile(path, out / "shapes" / path.name)
    subprocess.run(["patch", "-p1", "-s", "-i", str(patch)], cwd=out, check=True)
    return out / "shapes"


def measure(
    root: Path,
    store: Path | None,
    runs: int,
    shapes: Path | None,
    pyshacl: str,
    states: list[str] | None = None,
) -> dict[str, Any]:
    command = [sys.executable, str(HERE / "validate_scale.py"), str(root), str(store or ""),
               str(runs), AS_OF, "--pyshacl", pyshacl]  # fmt: skip
    if shapes is not None:
        command += ["--shapes", str(shapes)]
    if states is not None:
        command += ["--states", ",".join(states)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def mib(size: int | None) -> str:
    return "-" if not size else f"{size / 2**20:,.0f} MiB"


def row(scale: float, entry: dict[str, Any]) -> str:
    ours = entry["hrgraph"]
    outcomes = ours["outcomes"]
    findings = f"{outcomes['not met']} / {outcomes['not established']} / {outcomes['met']}"
    plain = entry.get("plain") or {}
    if entry["mode"] == "full":
        beside = f"{plain['plain_s']:.1f} s, {mib(plain['peak_rss'])}"
        ratio = f"{plain['plain_s'] / ours['hrgraph_s']:.0f}x"
        same = "yes" if ours["same"] else "NO"
    elif entry["mode"] == "sample":
        sample = entry["sample"]
        beside = (
            f"sample of {len(sample['states'])} States: {sample['plain_s']:.1f} s, "
            f"{mib(sample['peak_rss'])}"
        )
        ratio = f"{sample['plain_s'] / sample['hrgraph_s']:.0f}x on the sample"
        same = "yes (sample)" if sample["same"] and entry["restricted_same"] else "NO"
    else:
        beside, ratio, same = "not run", "-", "-"
    return (
        f"| {scale:g} | {ours['states']} | {ours['institutions']} | {ours['acts']} | "
        f"{ours['focus_nodes']} | {findings} | {ours['hrgraph_s']:.2f} s | "
        f"{ours.get('hrgraph_unchanged_s', 0):.2f} s | {mib(ours['hrgraph_peak_rss'])} | "
        f"{beside} | {ratio} | {same} |"
    )


def target_line(results: dict[str, Any]) -> str:
    """Whether the scale 1 row meets issue 18's target (under 10 s), from the row itself."""
    entry = results.get("1")
    if entry is None:
        return "No scale 1 row yet (the target, under 10 s, is for scale 1)."
    seconds = float(entry["hrgraph"]["hrgraph_s"])
    verdict = "under" if seconds < 10 else "above"
    return f"hrgraph's median at scale 1, {seconds:.2f} s, is {verdict} the 10 s target (issue 18)."


def write(results: dict[str, Any]) -> str:
    lines = [
        "# Validation of a generated world: every national framework judged",
        "",
        "`hrgraph validate` of the built store of each scale (`bench/generate.py`: the real data "
        "plus one framework per synthetic State), as of " + AS_OF + ", beside plain pySHACL on "
        "the same data (an rdflib graph prepared beforehand, validation only) and the same shapes. "
        "Medians of the runs given; peak memory is the largest resident set of the process "
        "(hrgraph's read before pySHACL runs). *hrgraph*: a full validation (`incremental=False`); "
        "*nothing changed*: `hrgraph validate` again on the same store, day and shapes, reusing "
        "the last validation's results (the targets, the cut and the report still run). Where "
        "plain pySHACL runs on a sample of States, the speed-up is hrgraph's time on that same "
        "sample project against pySHACL's. Reproduce a row with the command under the table.",
        "",
        "| scale | synthetic States | institutions judged | acts judged | resources judged | "
        "not met / not established / met | hrgraph | hrgraph, nothing changed | hrgraph peak | "
        "plain pySHACL | speed-up | identical findings |",
        "| ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- | ---: | --- |",
    ]
    for scale in sorted(results, key=float):
        lines.append(row(float(scale), results[scale]))
    lines += [
        "",
        "Limits: plain pySHACL on a whole generated world did not finish within the run's bounds "
        "(killed after 15 minutes at scale 0.1), hence the samples. " + target_line(results),
        "",
        "Where the time goes (issue 18): a constraint runs once for all its focus nodes where "
        "SHACL pre-binding allows it (`shaclrun.batched`, 51 of the 61 constraints; 1,859 queries "
        "at scale 1 instead of 10,852), the Paris Principles shapes start each NOT EXISTS from the "
        "focus node and nest the rest in an EXISTS (Oxigraph evaluates a multi-pattern EXISTS "
        "group over the whole store), the report reads each node once, and the refusal and "
        "dissolution targets join the State and its binding inside each UNION branch. Profiled at "
        "scale 1 (cProfile, 2026-12-03, 7.2 s under the profiler): the constraints 2.5 s, reading "
        "the report 1.8 s, the requirements met 1.3 s, the report graph 0.7 s, the targets 0.5 s; "
        "before these changes (14.6 s) the constraints alone took two thirds.",
        "",
        "Commands, machine and versions:",
        "",
    ]
    for scale in sorted(results, key=float):
        entry = results[scale]
        lines.append(
            f"- scale {scale}: `{entry['command']}` ({entry['measured']}, {entry['machine']}; "
            f"shapes: {entry['shapes']}; hrgraph runs: {entry['hrgraph']['runs']})"
        )
        if entry["mode"] == "sample":
            states = entry["sample"]["states"]
            lines.append(
                f"  - pySHACL compared on a sample: every {entry['every']}th synthetic State "
                f"({len(states)}: {', '.join(s.upper() for s in states)}) with the real data; "
                "hrgraph's findings on that sample project, and its findings at full scale on "
                "the sampled States' resources, are compared with pySHACL's."
            )
    text = "\n".join(lines) + "\n"
    REPORT.write_text(text)
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--shapes", type=Path, help="a folder of shapes instead of shapes/")
    parser.add_argument(
        "--shapes-patch", type=Path, help="validate with shapes/ as this patch changes it"
    )
    parser.add_argument("--pyshacl", choices=("full", "sample", "none"), default="full")
    parser.add_argument("--sample-every", type=int, default=10)
    args = parser.parse_args()
    root, store = project(args.scale)
    shapes = args.shapes.resolve() if args.shapes else None
    if args.shapes_patch is not None:
        shapes = patched_shapes(args.shapes_patch)
    entry: dict[str, Any] = {
        "mode": args.pyshacl,
        "command": " ".join(["bench/world_validation.py", *sys.argv[1:]]),
        "measured": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.node()}, {platform.machine()}, Python {platform.python_version()}",
        "shapes": (
            f"shapes/ with {args.shapes_patch} applied" if args.shapes_patch
            else str(shapes or "shapes/")
        ),
    }  # fmt: skip
    full = "full" if args.pyshacl == "full" else "none"
    ours = measure(root, store, args.runs, shapes, full)
    entry["hrgraph"] = ours
    if args.pyshacl == "full":
        entry["plain"] = {"plain_s": ours["plain_s"], "peak_rss": ours["peak_rss"]}
    elif args.pyshacl == "sample":
        sample_root, states = sample_project(args.scale, args.sample_every)
        sample = measure(sample_root, sample_root / "store", 1, shapes, "full")
        entry["every"] = args.sample_every
        entry["sample"] = {**sample, "states": states}
        restricted = measure(root, store, 1, shapes, "none", states)
        theirs = sample["plain_findings_list"]
        entry["restricted_same"] = restricted["restricted_findings"] == theirs
        entry["sample"].pop("plain_findings_list", None)
    entry["hrgraph"].pop("plain_findings_list", None)
    entry["hrgraph"].pop("restricted_findings", None)
    results = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
    results[f"{args.scale:g}"] = entry
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    print(write(results))
    ok = entry["mode"] == "none" or (
        ours["same"]
        if entry["mode"] == "full"
        else entry["sample"]["same"] and entry["restricted_same"]
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
