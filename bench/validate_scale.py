"""Whole-graph validation of a built project, as ``hrgraph validate`` does it, beside plain
pySHACL on the same data (as of the same day) and shapes; prints one JSON line.

    .venv/bin/python bench/validate_scale.py ROOT STORE RUNS AS_OF

hrgraph validates the store built from ROOT (``hrgraph --root ROOT build --store STORE``): a
checkpoint of it, cut to the day, the shapes run as SPARQL. Plain pySHACL gets the same data as
an rdflib graph prepared beforehand (not timed) and validates it alone (timed). hrgraph runs
first, so the peak memory after it is its own; the peak after pySHACL is the process's.
"""

from __future__ import annotations

import json
import resource
import sys
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from validation import findings_of, plain_pyshacl, timed  # noqa: E402

from hrgraph.settings import Settings  # noqa: E402
from hrgraph.validate import validate  # noqa: E402


def peak() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def main() -> None:
    root, store = Path(sys.argv[1]), Path(sys.argv[2])
    runs, as_of = int(sys.argv[3]), date.fromisoformat(sys.argv[4])
    settings = Settings(root=root, store_path=store)
    hrgraph_s, report = timed(lambda: validate(settings, as_of=as_of), runs)
    hrgraph_peak = peak()
    plain_s, plain = plain_pyshacl(settings, as_of, runs)
    ours, theirs = findings_of(report.results_graph), findings_of(plain)
    print(
        json.dumps(
            {
                "hrgraph_s": hrgraph_s,
                "plain_s": plain_s,
                "hrgraph_findings": len(report.findings),
                "plain_findings": len(theirs),
                "same": ours == theirs,
                "runs": runs,
                "basis": report.basis,
                "engine": report.engine,
                "hrgraph_peak_rss": hrgraph_peak,
                "peak_rss": peak(),
            }
        )
    )


if __name__ == "__main__":
    main()
