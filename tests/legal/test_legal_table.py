"""The legal test table: on each of its dates, `hrgraph validate` finds on the bundled data
exactly the rows of tests/legal/findings.csv (requirement, resource, outcome, severity), no
more, no fewer, and every row says what justifies it. See scripts/legal-table.py."""

from __future__ import annotations

from collections import Counter
from datetime import date
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


def test_nothing_is_met_on_a_fact_that_may_not_have_held_that_day(project_root: Path) -> None:
    """On 15 January 2022 the Commissioner's decree basis ended and the 2021 law began on days of
    January 2022 that are not recorded: the law's statutory basis may not yet have held, so A.2
    (a mandate in a constitutional or legislative text) is not established, not met."""
    from hrgraph.settings import Settings
    from hrgraph.validation.validate import validate

    report = validate(Settings(root=project_root, store_path=None), as_of=date(2022, 1, 15))
    commissioner = "https://w3id.org/hrgraph/id/institution/kaz/commissioner-for-human-rights"
    a2 = "https://w3id.org/hrgraph/id/requirement/paris-a-2"
    assert (commissioner, a2) not in {(m.focus, m.requirement) for m in report.met}
    (finding,) = [f for f in report.findings if (f.focus, f.requirement) == (commissioner, a2)]
    assert (finding.outcome, finding.severity) == ("not established", "Info")
    assert finding.message.startswith("Not established from the sources read: ")
    assert "was met on 2022-01-15 cannot be established" in finding.message


@pytest.mark.parametrize(("day", "met"), [(date(2022, 1, 10), False), (date(2022, 1, 18), True)])
def test_vigilance_in_the_emergency_counts_from_the_dated_response(
    project_root: Path, day: date, met: bool
) -> None:
    """The state of emergency ran from 5 January 2022; the Commissioner's first recorded response
    is the visit of 17 January: before it, vigilance is not established, from it on, met."""
    from hrgraph.settings import Settings
    from hrgraph.validation.validate import validate

    report = validate(Settings(root=project_root, store_path=None), as_of=day)
    pair = (
        "https://w3id.org/hrgraph/id/institution/kaz/commissioner-for-human-rights",
        "https://w3id.org/hrgraph/id/requirement/ganhri-go-state-of-emergency",
    )
    assert (pair in {(m.focus, m.requirement) for m in report.met}) is met
    outcomes = [f.outcome for f in report.findings if (f.focus, f.requirement) == pair]
    assert outcomes == ([] if met else ["not established"])
