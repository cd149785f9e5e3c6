"""Whole-graph validation of a built project, as ``hrgraph validate`` does it, beside plain
pySHACL on the same data (as of the same day) and shapes; prints one JSON line.

    .venv/bin/python bench/validate_scale.py ROOT STORE RUNS AS_OF [--pyshacl full|none]
        [--shapes DIR] [--states xaa,xak,...]

hrgraph validates the store built from ROOT (``hrgraph --root ROOT build --store STORE``): a
checkpoint of it, cut to the day, the shapes run as SPARQL. Plain pySHACL gets the same data as
an rdflib graph prepared beforehand (not timed) and validates it alone (timed, one run: it is
the slow side). hrgraph runs first, so the peak memory after it is its own; the peak after
pySHACL is the process's. ``--states`` also gives hrgraph's findings on the resources of those
synthetic States and of the real data (``restricted_findings``), to compare with pySHACL's on a
sample.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sys
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from validation import findings_of, plain_pyshacl, timed  # noqa: E402

from hrgraph.settings import Settings  # noqa: E402
from hrgraph.validation.validate import ValidationReport, validate  # noqa: E402

SYNTHETIC = re.compile(r"/id/[a-z-]+/(x[a-z]{2})[/-]")
"""The synthetic State a generated resource belongs to (its IRI names the State's code)."""


def peak() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def judged(report: ValidationReport) -> dict[str, int]:
    """How many institutions, acts and resources the report judges (findings and met)."""
    entries = [(f.focus, f.group_kind, f.group) for f in report.findings]
    entries += [(m.focus, m.group_kind, m.group) for m in report.met]
    return {
        "institutions": len({focus for focus, kind, _ in entries if kind == "institution"}),
        "acts": len({group for _, kind, group in entries if kind == "act"}),
        "focus_nodes": len({focus for focus, _, _ in entries}),
    }


def kept(focus: str, states: set[str]) -> bool:
    found = SYNTHETIC.search(focus)
    return found is None or found.group(1) in states


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("root", type=Path)
    parser.add_argument("store")
    parser.add_argument("runs", type=int)
    parser.add_argument("as_of", type=date.fromisoformat)
    parser.add_argument("--pyshacl", choices=("full", "none"), default="full")
    parser.add_argument("--shapes", type=Path)
    parser.add_argument("--states")
    args = parser.parse_args()
    settings = Settings(root=args.root, store_path=Path(args.store) if args.store else None)
    shape_files = sorted(args.shapes.glob("*.ttl")) if args.shapes else None
    hrgraph_s, report = timed(
        lambda: validate(settings, as_of=args.as_of, shape_files=shape_files, incremental=False),
        args.runs,
    )
    hrgraph_peak = peak()
    # again with the results of the last validation kept (nothing changed): what reuse costs
    validate(settings, as_of=args.as_of, shape_files=shape_files)
    unchanged_s, _ = timed(
        lambda: validate(settings, as_of=args.as_of, shape_files=shape_files), args.runs
    )
    ours = findings_of(report.results_graph)
    out = {
        "hrgraph_s": hrgraph_s,
        "hrgraph_unchanged_s": unchanged_s,
        "hrgraph_findings": len(report.findings),
        "outcomes": report.outcomes(),
        "states": len(list((args.root / "data").glob("bench-state-*.ttl"))),
        **judged(report),
        "runs": args.runs,
        "basis": report.basis,
        "engine": report.engine,
        "hrgraph_peak_rss": hrgraph_peak,
    }
    if args.states is not None:
        states = set(args.states.split(","))
        out["restricted_findings"] = sorted(f for f in ours if kept(f[0], states))
    if args.pyshacl == "full":
        plain_s, plain = plain_pyshacl(settings, args.as_of, 1, shape_files)
        theirs = findings_of(plain)
        out |= {
            "plain_s": plain_s,
            "plain_findings": len(theirs),
            "plain_findings_list": sorted(theirs),
            "same": ours == theirs,
            "peak_rss": peak(),
        }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
