"""Whole-graph validation of a project folder, as ``hrgraph validate`` does it, beside plain
pySHACL on the same snapshot and shapes (bench/validation.py's method); prints one JSON line.

    .venv/bin/python bench/validate_scale.py ROOT RUNS AS_OF
"""

from __future__ import annotations

import json
import resource
import sys
from datetime import date
from pathlib import Path

import pyshacl

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from validation import findings_of, timed  # noqa: E402

from hrgraph.build import build_in_memory, discover_sources  # noqa: E402
from hrgraph.settings import Settings  # noqa: E402
from hrgraph.validate import default_shape_files, load_shapes, snapshot, validate  # noqa: E402


def main() -> None:
    root, runs, as_of = Path(sys.argv[1]), int(sys.argv[2]), date.fromisoformat(sys.argv[3])
    settings = Settings(root=root)
    hrgraph_s, report = timed(lambda: validate(settings, as_of=as_of), runs)
    _, store = build_in_memory(discover_sources(settings))
    data = snapshot(store, as_of)
    shapes = load_shapes(default_shape_files(settings))
    plain_s, plain = timed(
        lambda: pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True), runs
    )
    ours, theirs = findings_of(report.results_graph), findings_of(plain[1])
    print(
        json.dumps(
            {
                "hrgraph_s": hrgraph_s,
                "plain_s": plain_s,
                "hrgraph_findings": len(report.findings),
                "plain_findings": len(theirs),
                "same": ours == theirs,
                "runs": runs,
                "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
            }
        )
    )


if __name__ == "__main__":
    main()
