"""The comparative named queries on the bundled data, and the rule that every named query says
where each row comes from (a ``sources`` or ``source`` column).

The expected States of ``bound-by-one-not-other`` were computed independently of hrgraph, from
the UN Treaty Collection export itself (../shared/data/untc_chapter4_2026-02-03/
un_hr_ratifications.csv, status as at 3 February 2026): the participants with an action date for
iccpr_op1 whose entry into force (three months after deposit, OP1 art. 9(2)) fell on or before
3 February 2026, minus those for iccpr_op2 (art. 8(2), likewise): 116 - 92 leaves 33."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from hrgraph.query.execution import run_query
from hrgraph.settings import Limits
from hrgraph.sparql.queries import load_queries
from hrgraph.store.local import GraphStore

ROOT = Path(__file__).resolve().parents[1]
QUERIES = load_queries(ROOT / "queries")
STATE = "https://w3id.org/hrgraph/id/state/"
OP2_PAGE = "https://w3id.org/hrgraph/id/source/untc/iv-12/2026-02-03"
OP1_NOT_OP2 = {
    "bfa", "brb", "caf", "cmr", "cod", "cog", "dza", "gha", "gin", "gnq", "gtm", "guy", "kor",
    "lby", "lka", "lso", "mar", "mdv", "mli", "mus", "mwi", "ner", "per", "rus", "sen",
    "sle", "som", "sur", "tcd", "tjk", "tun", "uga", "vct",
}  # fmt: skip


def rows(store: GraphStore, name: str, **values: str) -> list[dict[str, str]]:
    result = run_query(store, QUERIES[name].bind(values), Limits())
    assert isinstance(result, ox.QuerySolutions)
    names = [variable.value for variable in result.variables]
    return [
        {key: row[key].value for key in names if row[key] is not None}  # type: ignore[union-attr]
        for row in result
    ]


def test_states_bound_by_op1_and_not_op2_match_the_untc_export(store: GraphStore) -> None:
    found = rows(store, "bound-by-one-not-other")
    assert {row["state"].removeprefix(STATE) for row in found} == OP1_NOT_OP2
    assert {row["otherStatus"] for row in found} == {"not party"}
    # each row cites the action the binding comes from and the page listing OP2's participants
    for row in found:
        sources = row["sources"].split()
        assert OP2_PAGE in sources, row["state"]
        assert any("/id/action/" in source for source in sources), row["state"]


def test_a_state_bound_later_is_told_apart_from_a_non_party(store: GraphStore) -> None:
    found = {row["state"].removeprefix(STATE): row for row in rows(store, "bound-by-one-not-other",
                                                                    date="2010-01-01")}  # fmt: skip
    assert found["kaz"]["otherStatus"] == "bound later"
    assert found["kaz"]["otherFrom"] == "2022-06-24"
    assert found["kaz"]["boundFrom"] == "2009-09-30"
    assert found["pol"]["otherFrom"] == "2014-07-25"
    assert found["rus"]["otherStatus"] == "not party"


def test_after_the_status_date_the_data_cannot_tell(store: GraphStore) -> None:
    found = rows(store, "bound-by-one-not-other", date="2027-01-01")
    assert len(found) == len(OP1_NOT_OP2)
    assert {row["otherStatus"] for row in found} == {"not recorded"}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_named_query_names_its_sources(store: GraphStore, name: str) -> None:
    result = run_query(
        store,
        QUERIES[name].bind(
            {"date": "2015-06-01"}
            if any(p.name == "date" and p.required for p in QUERIES[name].parameters)
            else {}
        ),
        Limits(),
    )
    assert isinstance(result, ox.QuerySolutions)
    columns = [variable.value for variable in result.variables]
    column = "sources" if "sources" in columns else "source"
    assert column in columns, f"{name} has no sources column: {columns}"
    values = [row[column] for row in result]
    assert values, f"{name} answers nothing"
    assert any(value is not None and value.value for value in values), f"{name}: no row sourced"
