"""hrgraph import upr-info: UPR Info exports as JSON records and CSV, with bad records."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from hrgraph.build import build
from hrgraph.importers.common import ImportFailed
from hrgraph.importers.uprinfo import import_upr_info
from hrgraph.settings import Settings
from hrgraph.store import GraphStore, StoreLocation

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "imports"
GRAPH = "https://w3id.org/hrgraph/graph/import/upr-info/upr-info-kaz"
REASONS = [
    "Action Category '7' is not 1-5",
    "unknown State 'Freedonia'",
    "no recommendation text",
    "unknown position 'Pending'",
    "Cycle 'first' is not a cycle number",
    "Cycle '' is not a cycle number",
]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    settings = Settings(root=ROOT, store_path=tmp_path / "store")
    build(settings)
    return settings


def rows(settings: Settings, query: str) -> list[ox.QuerySolution]:
    assert settings.store_path is not None
    store = GraphStore.open_read_only(StoreLocation(settings.store_path))
    result = store.query("PREFIX hrg: <https://w3id.org/hrgraph/ontology#> " + query)
    assert isinstance(result, ox.QuerySolutions)
    found = list(result)
    store.close()
    return found


@pytest.mark.parametrize(("name", "first_bad"), [("upr-info-kaz.json", 5), ("upr-info-kaz.csv", 6)])
def test_json_and_csv_import_with_the_right_counts(
    settings: Settings, name: str, first_bad: int
) -> None:
    summary = import_upr_info(settings, FIXTURES / name)
    assert (summary.rows, summary.imported, len(summary.skipped)) == (10, 4, 6)
    assert [skip.row for skip in summary.skipped] == list(range(first_bad, first_bad + 6))
    for skip, reason in zip(summary.skipped, REASONS, strict=True):
        assert reason in skip.reason
    assert summary.unmapped == {"Migrants"}


def test_responses_issues_and_categories_are_mapped(settings: Settings) -> None:
    import_upr_info(settings, FIXTURES / "upr-info-kaz.json")
    found = rows(
        settings,
        f"""SELECT ?rec ?status ?right ?category WHERE {{ GRAPH <{GRAPH}> {{
        ?rec a hrg:Recommendation ; hrg:hasResponse/hrg:responseStatus ?status ;
             hrg:recommendingState <https://w3id.org/hrgraph/id/state/can> ;
             hrg:concernsRight ?right ; <http://purl.org/dc/terms/type> ?category }} }}""",
    )
    assert len(found) == 1
    assert found[0]["status"].value.endswith("#Noted")  # "Not Supported"
    assert found[0]["right"].value.endswith("/right/freedom-of-expression")
    assert found[0]["category"].value.endswith("/action-category/5")
    reviewed = rows(
        settings,
        f"""SELECT DISTINCT ?review WHERE {{ GRAPH <{GRAPH}> {{
        ?rec hrg:inDocument/hrg:documentOf ?review }} }}""",
    )
    assert {r["review"].value.rsplit("/", 2)[-2] + "/" + r["review"].value.rsplit("/", 1)[-1]
            for r in reviewed} == {"kaz/3", "kaz/4"}  # fmt: skip


def test_the_same_record_twice_is_one_recommendation(settings: Settings) -> None:
    import_upr_info(settings, FIXTURES / "upr-info-kaz.json")
    first = rows(settings, f"SELECT ?s ?p ?o WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}")
    found = rows(
        settings,
        f"""SELECT (COUNT(DISTINCT ?rec) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{
        ?rec a hrg:Recommendation }} }}""",
    )
    assert found[0]["n"].value == "3"  # records 1 and 4 are the same recommendation
    import_upr_info(settings, FIXTURES / "upr-info-kaz.csv")  # same stem: replaces the graph
    second = rows(settings, f"SELECT ?s ?p ?o WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}")
    assert len(first) == len(second)


def test_a_json_file_that_is_not_records_is_refused(settings: Settings, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"hello": 1}', encoding="utf-8")
    with pytest.raises(ImportFailed, match="JSON array of records"):
        import_upr_info(settings, bad)
