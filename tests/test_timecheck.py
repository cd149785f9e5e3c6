"""The build's time check (hrgraph.build.timecheck): each rule lists exactly the facts it is written
for, partial dates are compared on the part both values state, and the bundled data has no
problem left."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from hrgraph.build import timecheck
from hrgraph.build.pipeline import build_in_memory, discover_sources
from hrgraph.settings import Settings
from hrgraph.store.local import GraphStore

ROOT = Path(__file__).resolve().parents[1]
ID = "https://w3id.org/hrgraph/id/"
PREFIXES = """
@prefix hrg: <https://w3id.org/hrgraph/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/hrgraph/id/> .
"""


def store_of(turtle: str, tmp_path: Path) -> GraphStore:
    path = tmp_path / "fixture.ttl"
    path.write_text(PREFIXES + turtle, encoding="utf-8")
    store = GraphStore.in_memory()
    store.load_file(path, ox.RdfFormat.TURTLE, ox.NamedNode(ID + "graph/fixture"))
    return store


RULE_1 = """
id:old-act hrg:inForceUntil "2020-01-01"^^xsd:date ; hrg:hasProvision id:old-act-art-1 .
id:partial-act hrg:inForceUntil "2021"^^xsd:gYear .
id:live-act hrg:inForceFrom "2020-01-01"^^xsd:date .
id:open-on-act hrg:grantedBy id:old-act .
id:open-on-provision hrg:grantedBy id:old-act-art-1 .
id:open-on-partial hrg:basisAct id:partial-act .
id:closed-on-act hrg:grantedBy id:old-act ; hrg:validUntil "2020-01-01"^^xsd:date .
id:closed-partially hrg:grantedBy id:old-act ; hrg:validUntil "2019"^^xsd:gYear .
id:open-on-live-act hrg:grantedBy id:live-act .
"""


def test_rule_1_open_facts_of_ended_acts(tmp_path: Path) -> None:
    store = store_of(RULE_1, tmp_path)
    assert timecheck.open_facts_of_ended_acts(store) == [
        f"{ID}open-on-act has no hrg:validUntil, but {ID}old-act, which grants it, left force"
        " on 2020-01-01",
        f"{ID}open-on-partial has no hrg:validUntil, but {ID}partial-act, which grants it, left"
        " force on 2021",
        f"{ID}open-on-provision has no hrg:validUntil, but {ID}old-act-art-1, which grants it,"
        f" left force on 2020-01-01 (it is part of {ID}old-act)",
    ]


RULE_2 = """
id:decree hrg:hasProvision id:decree-para-5 .
id:basis a hrg:LegalBasis ; hrg:featureOf id:inst ; hrg:basisAct id:decree ;
    hrg:grantedBy id:decree ; hrg:validUntil "2022-01"^^xsd:gYearMonth .
id:open-feature hrg:featureOf id:inst ; hrg:grantedBy id:decree .
id:open-provision-feature hrg:featureOf id:inst ; hrg:grantedBy id:decree-para-5 .
id:later-feature hrg:featureOf id:inst ; hrg:grantedBy id:decree ;
    hrg:validUntil "2022-03-01"^^xsd:date .
id:same-month-feature hrg:featureOf id:inst ; hrg:grantedBy id:decree ;
    hrg:validUntil "2022-01-10"^^xsd:date .
id:earlier-feature hrg:featureOf id:inst ; hrg:grantedBy id:decree ;
    hrg:validUntil "2021"^^xsd:gYear .
id:other-institution hrg:featureOf id:other ; hrg:grantedBy id:decree .
id:other-act hrg:featureOf id:inst ; hrg:grantedBy id:law .
"""


def test_rule_2_features_outliving_their_basis(tmp_path: Path) -> None:
    store = store_of(RULE_2, tmp_path)
    assert timecheck.features_outliving_their_basis(store) == [
        f"{ID}later-feature ends on 2022-03-01, after the legal basis it rests on, {ID}basis,"
        " ended on 2022-01",
        f"{ID}open-feature has no hrg:validUntil, but the legal basis it rests on, {ID}basis,"
        " ended on 2022-01",
        f"{ID}open-provision-feature has no hrg:validUntil, but the legal basis it rests on,"
        f" {ID}basis, ended on 2022-01",
    ]


RULE_3 = """
id:constitution hrg:inForceUntil "2026-07-01"^^xsd:date ;
    hrg:hasProvision id:art-4, id:art-5, id:art-6 .
id:art-4 hrg:hasProvision id:art-4-para-3 .
id:art-5 hrg:inForceUntil "2017-03"^^xsd:gYearMonth .
id:art-6 hrg:inForceUntil "2026-07-01"^^xsd:date .
id:live-law hrg:hasProvision id:live-article .
"""


def test_rule_3_open_provisions_of_ended_acts(tmp_path: Path) -> None:
    store = store_of(RULE_3, tmp_path)
    assert timecheck.open_provisions_of_ended_acts(store) == [
        f"{ID}art-4 has no hrg:inForceUntil, but {ID}constitution, which contains it, left force"
        " on 2026-07-01",
        f"{ID}art-4-para-3 has no hrg:inForceUntil, but {ID}constitution, which contains it,"
        " left force on 2026-07-01",
    ]


def test_problems_lists_the_three_rules_in_order(tmp_path: Path) -> None:
    store = store_of(RULE_1 + RULE_3, tmp_path)
    found = timecheck.problems(store)
    assert found == timecheck.open_facts_of_ended_acts(
        store
    ) + timecheck.open_provisions_of_ended_acts(store)
    # Rule 1's fixture also holds a provision (old-act-art-1) left open in an ended act.
    assert len(found) == 6
    assert (
        f"{ID}old-act-art-1 has no hrg:inForceUntil, but {ID}old-act, which contains it, left"
        " force on 2020-01-01"
    ) in found


@pytest.mark.parametrize(
    ("value", "than", "expected"),
    [
        ("2022-03-01", "2022-01", True),
        ("2022-01-10", "2022-01", False),
        ("2022", "2022-01-01", False),
        ("2023", "2022-12-31", True),
        ("2021-12-31", "2022", False),
    ],
)
def test_later_compares_the_common_precision(value: str, than: str, expected: bool) -> None:
    assert timecheck.later(value, than) is expected


def test_the_bundled_data_has_no_problem() -> None:
    report, store = build_in_memory(discover_sources(Settings(root=ROOT)))
    assert timecheck.problems(store) == []
    assert not [warning for warning in report.warnings if "hrg:validUntil" in warning]
    assert not [warning for warning in report.warnings if "hrg:inForceUntil" in warning]
