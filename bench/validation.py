"""Benchmark: validating the bundled Kazakhstan graph, as `hrgraph validate` does it, beside
plain pySHACL on the same data graph and shapes (the findings must be identical).

    .venv/bin/python bench/validation.py [--runs 5] [--as-of YYYY-MM-DD]

Prints medians and writes bench/results/validation.md. Timing belongs here, never in tests.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import pyshacl
import rdflib
from rdflib.namespace import SH

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from hrgraph import __version__  # noqa: E402
from hrgraph.build import build_in_memory, discover_sources  # noqa: E402
from hrgraph.settings import Settings  # noqa: E402
from hrgraph.validate import default_shape_files, load_shapes, snapshot, validate  # noqa: E402


def findings_of(report: rdflib.Graph) -> set[tuple[str, str, str]]:
    return {
        (
            str(report.value(result, SH.focusNode)),
            str(report.value(result, SH.sourceShape)),
            str(report.value(result, SH.resultMessage)),
        )
        for result in report.objects(None, SH.result)
    }


def timed(function, runs: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    seconds, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 11, 1))
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "validation.md")
    args = parser.parse_args()
    settings = Settings(root=ROOT)

    # hrgraph: the whole pipeline (build in memory, snapshot, shapes, report model).
    hrgraph_s, report = timed(lambda: validate(settings, as_of=args.as_of), args.runs)

    # plain pySHACL: the same snapshot and shapes, prepared once, validation only.
    _, store = build_in_memory(discover_sources(settings))
    data = snapshot(store, args.as_of)
    shapes = load_shapes(default_shape_files(settings))
    plain_s, plain = timed(
        lambda: pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True),
        args.runs,
    )
    same = findings_of(report.results_graph) == findings_of(plain[1])  # type: ignore[attr-defined,index]
    lines = [
        "# Validation of the Kazakhstan graph",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on {platform.node()} ({platform.machine()}, "
        f"Python {platform.python_version()}), hrgraph {__version__}, pySHACL "
        f"{pyshacl.__version__}; as of {args.as_of}; median of {args.runs} runs.",
        "",
        "| what | median (s) | findings |",
        "| --- | ---: | ---: |",
        f"| `hrgraph validate` pipeline (build, snapshot, shapes, report) | {hrgraph_s:.2f} | "
        f"{len(report.findings)} |",  # type: ignore[attr-defined]
        f"| plain pySHACL on the same snapshot and shapes (validation only) | {plain_s:.2f} | "
        f"{len(findings_of(plain[1]))} |",  # type: ignore[index]
        "",
        f"Identical findings: {'yes' if same else 'NO'}. Target (issue 4): under 2 s for the "
        f"whole pipeline: {'met' if hrgraph_s < 2 else 'NOT met'}.",
        "",
    ]
    text = "\n".join(lines)
    args.output.write_text(text)
    print(text)
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
