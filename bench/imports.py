"""Benchmark: `hrgraph import uhri` of 100,000 generated UHRI rows (CSV, or XLSX with --xlsx),
into a freshly built store: reading, mapping, one atomic write with inferences recomputed.
The peer is the build itself (loading the same triples as a data file); the target is under a
minute for 100,000 rows.

    .venv/bin/python bench/imports.py [--rows 100000] [--runs 3] [--xlsx] [--rebuild]

Prints medians and writes bench/results/imports.md. Timing belongs here, never in tests.
"""

from __future__ import annotations

import argparse
import csv
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from hrgraph import __version__  # noqa: E402
from hrgraph.build.importers.uhri import COLUMNS, import_uhri  # noqa: E402
from hrgraph.build.pipeline import build  # noqa: E402
from hrgraph.settings import Settings  # noqa: E402

STATES = ["Norway", "Germany", "Australia", "France", "Canada", "Sweden", "Chile", "Japan"]
THEMES = ["Freedom of assocation", "Freedom of peacefull assembly", "Death penalty",
          "Torture and other cruel, inhuman or degrading treatement", "Gender based violence",
          "Human rights defeders", "Counter-terrorism", "Rights of the child"]  # fmt: skip
BODIES = [
    ("CCPR", "CCPR/C/KAZ/CO/{n}"),
    ("CAT", "CAT/C/KAZ/CO/{n}"),
    ("CEDAW", "CEDAW/C/KAZ/CO/{n}"),
]


def generate(path: Path, rows: int, seed: int = 7) -> None:
    """UHRI-like rows: three in four UPR recommendations (cycles 1-4), the rest treaty-body
    paragraphs; multi-valued cells with "- " bullets; serial dates; 1 % bad rows."""
    rng = random.Random(seed)  # noqa: S311 (test data, not cryptography)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(list(COLUMNS))
        for number in range(rows):
            themes = "\n".join(f"- {t}" for t in rng.sample(THEMES, rng.randint(1, 3)))
            text = f"Recommendation {number}: take measures on " + themes.replace("\n", ", ")
            if number % 4:
                cycle = rng.randint(1, 4)
                row = [text, "Recommendation", "UPR", "UPR Working Group report",
                       f"A/HRC/{10 + cycle * 9}/10", f"{100 + number // 500}.{number % 500}",
                       "Kazakhstan", "Asia-Pacific States", themes, "- General",
                       "- 16.10", "\n".join(f"- {s}" for s in rng.sample(STATES, 2)),
                       rng.choice(["Supported", "Noted"]), str(40000 + cycle * 365), str(cycle),
                       str(7 + cycle * 6)]  # fmt: skip
            else:
                body, symbol = rng.choice(BODIES)
                row = [text, "Observation", body, "Concluding observations",
                       symbol.format(n=number // 5000 + 1), str(number), "Kazakhstan",
                       "Asia-Pacific States", themes, "- Women & girls", "", "", "",
                       "2016-08-09", "", ""]  # fmt: skip
            if number % 100 == 99:
                row[6] = "Atlantis"  # a bad row: unknown State
            writer.writerow(row)


def to_xlsx(source: Path, target: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    with source.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            sheet.append(row)
    book.save(target)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--xlsx", action="store_true", help="import the rows as .xlsx")
    parser.add_argument("--rebuild", action="store_true", help="also time a rebuild")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "imports.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        export = work / "uhri-bench.csv"
        generate(export, args.rows)
        if args.xlsx:
            to_xlsx(export, work / "uhri-bench.xlsx")
            export = work / "uhri-bench.xlsx"
        seconds = []
        summary = None
        build_seconds = 0.0
        for run in range(args.runs):
            settings = Settings(root=ROOT, store_path=work / f"store-{run}")
            started = time.perf_counter()
            build(settings)
            build_seconds = time.perf_counter() - started
            started = time.perf_counter()
            summary = import_uhri(settings, export)  # a first import into a fresh store
            seconds.append(time.perf_counter() - started)
            print(f"run {run + 1}: {seconds[-1]:.1f} s", file=sys.stderr)
        assert summary is not None
        started = time.perf_counter()
        import_uhri(settings, export)  # a re-import replaces the graph
        reimport_seconds = time.perf_counter() - started
        print(f"re-import: {reimport_seconds:.1f} s", file=sys.stderr)
        rebuild_seconds = None
        if args.rebuild:
            started = time.perf_counter()
            build(settings)  # the rebuild re-loads the saved import
            rebuild_seconds = time.perf_counter() - started
    median = statistics.median(seconds)
    kind = "xlsx" if args.xlsx else "csv"
    lines = [
        "# Importing UHRI rows",
        "",
        f"`bench/imports.py --rows {args.rows} --runs {args.runs}{' --xlsx' if args.xlsx else ''}`"
        f" on {platform.machine()} {platform.system()}, Python {platform.python_version()}, "
        f"hrgraph {__version__}.",
        "",
        "| measure | value |",
        "| --- | --- |",
        f"| rows ({kind}) | {summary.rows} ({summary.imported} imported, "
        f"{len(summary.skipped)} skipped) |",
        f"| triples in the import graph | {summary.triples} |",
        f"| **import, median of {args.runs}** | **{median:.1f} s** (target: under 60 s) |",
        f"| rows per second | {summary.rows / median:,.0f} |",
        f"| build without the import (peer: the same pipeline for data/) | {build_seconds:.1f} s |",
        f"| re-import of the same file (replaces the graph), one run | {reimport_seconds:.1f} s |",
        "| rebuild re-loading the saved import, one run | "
        + ("not measured (--rebuild)" if rebuild_seconds is None else f"{rebuild_seconds:.1f} s")
        + " |",
        "",
        "Each run builds a fresh store and imports into it: the import reads and maps every row,",
        "writes one new store generation (a copy of the current one), recomputes the inferred",
        "graph and saves the import for later builds. A re-import also removes the old graph.",
    ]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"median import of {summary.rows} rows: {median:.1f} s")
    return 0 if median < 60 else 1


if __name__ == "__main__":
    raise SystemExit(main())
