"""The legal test table (tests/legal/findings.csv): what `hrgraph validate` finds on the bundled
data on each of the table's dates, one row per finding or requirement met.

    .venv/bin/python scripts/legal-table.py            show how the validator differs from the table
    .venv/bin/python scripts/legal-table.py --write    rewrite the table from the validator

tests/legal/test_legal_table.py fails while the two differ, so a change of the data or of the
shapes that changes a finding changes the table in the same commit, where a reviewer reads it
row by row: each row names the requirement and the resource judged, the outcome and severity,
and what justifies it (the authority the shape cites and the sources of the facts the finding
rests on). Rewrite only after reading the difference.
"""

from __future__ import annotations

import csv
import io
import sys
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "tests" / "legal" / "findings.csv"
DATES = (
    "2007-06-01",
    "2009-06-01",
    "2015-01-01",
    "2021-06-01",
    "2022-03-01",
    "2023-06-01",
    "2026-12-03",
)
"""Before and after each reform the table follows: the 2008 arrest reform, the 2014 codes, the
2021 and 2022 laws on the Commissioner, the 2022 constitutional amendment, the 2026 Constitution
(the last date is the day the table was written)."""
COLUMNS = ("as_of", "outcome", "severity", "requirement", "focus", "justification")
ID = "https://w3id.org/hrgraph/id/"
SOURCE = ID + "source/"

Row = tuple[str, str, str, str, str]
"""(as_of, outcome, severity, requirement, focus): what the comparison checks."""


def _short(iri: str) -> str:
    return iri.removeprefix(ID)


def current_rows(root: Path = ROOT) -> list[dict[str, str]]:
    from hrgraph.settings import Settings
    from hrgraph.validation.validate import validate

    rows = []
    settings = Settings(root=root, store_path=None)
    for day in DATES:
        report = validate(settings, as_of=date.fromisoformat(day))
        for finding in report.findings:
            facts = finding.facts[1:] or finding.facts[:1]
            sources = sorted({s.iri.removeprefix(SOURCE) for f in facts for s in f.sources})
            rows.append(
                {
                    "as_of": day,
                    "outcome": finding.outcome,
                    "severity": finding.severity,
                    "requirement": _short(finding.requirement or ""),
                    "focus": _short(finding.focus),
                    "justification": "; ".join(
                        [finding.requirement_label or "", *(f"src:{s}" for s in sources)]
                    ),
                }
            )
        for met in report.met:
            rows.append(
                {
                    "as_of": day,
                    "outcome": "met",
                    "severity": "",
                    "requirement": _short(met.requirement),
                    "focus": _short(met.focus),
                    "justification": met.requirement_label,
                }
            )
    rows.sort(key=lambda r: tuple(r[c] for c in COLUMNS))
    return rows


def read_table(path: Path = TABLE) -> list[dict[str, str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    body = [line for line in lines if not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(body))))


def key(row: dict[str, str]) -> Row:
    return (row["as_of"], row["outcome"], row["severity"], row["requirement"], row["focus"])


def differences(table: list[dict[str, str]], found: list[dict[str, str]]) -> list[str]:
    expected, actual = Counter(map(key, table)), Counter(map(key, found))
    lines = [f"- in the table, not found: {' | '.join(r)}" for r in sorted(expected - actual)]
    lines += [f"+ found, not in the table: {' | '.join(r)}" for r in sorted(actual - expected)]
    return lines


HEADER = """\
# The legal test table (issue 13): for each date, what hrgraph validate finds on the bundled data,
# one row per requirement and resource: not met (Violation or Warning, by the requirement's tier),
# not established (Info: nothing recorded either way, or a fact dated only to a month or year
# around the day) or met. "justification" names the authority the shape cites and the sources
# (id/source/...) of the facts the finding rests on. Reviewed row by row; regenerate with
# scripts/legal-table.py --write only after reading the difference it prints.
"""


def write(rows: list[dict[str, str]], path: Path = TABLE) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + buffer.getvalue(), encoding="utf-8")


def main(argv: list[str]) -> int:
    found = current_rows()
    if "--write" in argv:
        write(found)
        print(f"{TABLE.relative_to(ROOT)}: {len(found)} rows")
        return 0
    diff = differences(read_table() if TABLE.exists() else [], found)
    print("\n".join(diff) or "the table matches the validator")
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
