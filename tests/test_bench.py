"""The benchmark harness runs and compares like with like (its timings are not asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_validation_benchmark_finds_what_plain_pyshacl_finds(
    project_root: Path, tmp_path: Path
) -> None:
    """On 2009-06-01: tests/test_shaclsparql.py compares the two engines' results in full on
    the bundled graph on two later days, and this the benchmark's findings on a third."""
    output = tmp_path / "validation.md"
    done = subprocess.run(
        [sys.executable, str(project_root / "bench" / "validation.py"), "--runs", "1",
         "--as-of", "2009-06-01", "--output", str(output)],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    report = output.read_text()
    assert "Identical findings: yes." in report
    assert (
        "| `hrgraph validate` from the built store (checkpoint, cut to the day, "
        "SPARQL on the Oxigraph store, report) |" in report
    )
    assert "| `hrgraph validate` from the files (build in memory, cut, SPARQL on" in report
