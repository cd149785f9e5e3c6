"""Individual communications (issue 15): the Views and CAT decisions concerning Kazakhstan that
data/communications.ttl records, answered by the named query ``communications`` in process and
over HTTP, filtered by article and by outcome."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from servers import build_project_copy, serving

from hrgraph.query.execution import run_query
from hrgraph.settings import Limits
from hrgraph.sparql.queries import load_query
from hrgraph.store.local import GraphStore

ID = "https://w3id.org/hrgraph/id/"
ICCPR = ID + "treaty/iccpr/"
COLUMNS = [
    "communication", "number", "author", "body", "decisionDate", "symbol", "articles", "outcome",
    "sources",
]  # fmt: skip


def communications(
    project_root: Path, store: GraphStore, **values: str
) -> dict[str, dict[str, str]]:
    query = load_query(project_root / "queries" / "communications.rq")
    result = run_query(store, query.bind(values), Limits())
    assert isinstance(result, ox.QuerySolutions)
    assert [v.value for v in result.variables] == COLUMNS
    found: dict[str, dict[str, str]] = {}
    for solution in result:
        row = {name: solution[name].value for name in COLUMNS if solution[name] is not None}
        found[row["number"]] = row
    return found


def test_the_communications_against_kazakhstan(project_root: Path, store: GraphStore) -> None:
    found = communications(project_root, store)
    assert sorted(found) == [
        "2137/2012", "2257/2013", "2334/2014", "2452/2014", "2521/2015", "433/2010",
        "441/2010", "661/2015",
    ]  # fmt: skip
    toregozhina = found["2137/2012"]
    assert toregozhina["communication"] == ID + "communication/ccpr-2137-2012"
    assert toregozhina["author"] == "Bakhytzhan Toregozhina"
    assert toregozhina["body"] == ID + "mechanism/ccpr"
    assert toregozhina["decisionDate"] == "2014-10-21"
    assert toregozhina["symbol"] == "CCPR/C/112/D/2137/2012"
    assert toregozhina["outcome"] == "ViolationFound"
    violated = {ICCPR + a for a in ("art-9", "art-19", "art-21")}
    assert set(toregozhina["articles"].split()) == violated
    assert set(toregozhina["sources"].split()) == {
        ID + "source/ccpr-c-112-d-2137-2012",
        ID + "source/ngo-kazakhstan-implementation-views",
    }
    # The symbol CCPR/C/124/D/2257/2013 is Toregozhina's later, joined communications'.
    assert found["2257/2013"]["symbol"] == found["2334/2014"]["symbol"] == "CCPR/C/124/D/2257/2013"
    assert found["2452/2014"]["symbol"] == "CCPR/C/131/D/2452/2014"
    assert found["2521/2015"]["decisionDate"] == "2020-11-06"
    assert found["441/2010"]["symbol"] == "CAT/C/51/D/441/2010"
    assert found["661/2015"]["body"] == ID + "mechanism/cat"
    assert found["661/2015"]["decisionDate"] == "2017-07-31"
    # What no source read gives is absent, not guessed.
    assert "outcome" not in found["2521/2015"]
    assert "decisionDate" not in found["433/2010"]
    assert all(row["sources"] for row in found.values())


def test_filtered_by_article(project_root: Path, store: GraphStore) -> None:
    assert sorted(communications(project_root, store, article=ICCPR + "art-21")) == [
        "2137/2012", "2452/2014",
    ]  # fmt: skip
    # An article matches the findings on its paragraphs: Ibragimov's is on art. 19(2).
    assert sorted(communications(project_root, store, article=ICCPR + "art-19")) == [
        "2137/2012", "2452/2014",
    ]  # fmt: skip
    assert sorted(communications(project_root, store, article=ICCPR + "art-9")) == ["2137/2012"]
    assert communications(project_root, store, article=ICCPR + "art-22") == {}


def test_filtered_by_outcome(project_root: Path, store: GraphStore) -> None:
    assert sorted(communications(project_root, store, outcome="ViolationFound")) == [
        "2137/2012", "2452/2014", "433/2010", "441/2010", "661/2015",
    ]  # fmt: skip
    assert communications(project_root, store, outcome="Inadmissible") == {}


def test_another_state_has_none_recorded(project_root: Path, store: GraphStore) -> None:
    assert communications(project_root, store, state=ID + "state/pol") == {}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, project_root: Path) -> Iterator[str]:
    project, built = build_project_copy(tmp_path_factory.mktemp("communications"), project_root)
    with serving(project, built) as url:
        yield url


@pytest.mark.server
def test_the_query_runs_through_the_api(server: str) -> None:
    def get(**params: str) -> list[dict[str, str]]:
        response = httpx.get(f"{server}/api/queries/communications", params=params, timeout=60)
        assert response.status_code == 200, response.text
        return [
            {name: cell["value"] for name, cell in binding.items()}
            for binding in response.json()["results"]["bindings"]
        ]

    assert len(get()) == 8
    rows = get(article=ICCPR + "art-21", outcome="ViolationFound")
    assert sorted(row["symbol"] for row in rows) == [
        "CCPR/C/112/D/2137/2012", "CCPR/C/131/D/2452/2014",
    ]  # fmt: skip
    refused = httpx.get(f"{server}/api/queries/communications", params={"outcome": "Guilty"})
    assert refused.status_code == 400
