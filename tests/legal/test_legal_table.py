"""The legal test table: on each of its dates, `hrgraph validate` finds on the bundled data
exactly the rows of tests/legal/findings.csv (requirement, resource, outcome, severity), no
more, no fewer, and every row says what justifies it. See scripts/legal-table.py."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from conftest import load_script

legal = load_script("legal-table.py")


@pytest.fixture(scope="module")
def found(project_root: Path) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = legal.current_rows(project_root)
    return rows


def test_the_table_covers_the_dates_the_issue_names() -> None:
    table = legal.read_table()
    assert sorted({row["as_of"] for row in table}) == list(legal.DATES)
    assert {row["outcome"] for row in table} == {"not met", "not established", "met"}


def test_every_row_is_justified() -> None:
    for row in legal.read_table():
        assert row["requirement"], row
        assert row["focus"], row
        assert row["justification"].strip(), row
        if row["outcome"] == "not met":
            assert "src:" in row["justification"], f"a breach without a source: {row}"
        assert (row["outcome"] == "not established") == (row["severity"] == "Info"), row
        assert (row["outcome"] == "met") == (row["severity"] == ""), row


def test_the_validator_finds_exactly_the_table(found: list[dict[str, str]]) -> None:
    assert legal.differences(legal.read_table(), found) == []


def test_each_date_is_compared_row_by_row(found: list[dict[str, str]]) -> None:
    table = Counter(map(legal.key, legal.read_table()))
    for day in legal.DATES:
        ours = Counter(k for k in map(legal.key, found) if k[0] == day)
        assert ours == Counter({k: n for k, n in table.items() if k[0] == day}), day
