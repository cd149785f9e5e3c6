"""hrgraph import ratifications: a UN treaty-status table with a/d/A/AA markers and footnotes."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from hrgraph.build import build
from hrgraph.importers.common import ImportFailed
from hrgraph.importers.ratifications import import_ratifications
from hrgraph.settings import Settings
from hrgraph.store import GraphStore, StoreLocation

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "tests" / "fixtures" / "imports" / "treaty-status-iccpr.csv"
GRAPH = "https://w3id.org/hrgraph/graph/import/ratifications/treaty-status-iccpr"
ID = "https://w3id.org/hrgraph/id/"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    settings = Settings(root=ROOT, store_path=tmp_path / "store")
    build(settings)
    return settings


def actions(settings: Settings) -> dict[str, tuple[str, str]]:
    assert settings.store_path is not None
    store = GraphStore.open_read_only(StoreLocation(settings.store_path))
    result = store.query(f"""SELECT ?a ?cls ?date WHERE {{ GRAPH <{GRAPH}> {{
        ?a a ?cls ; <https://w3id.org/hrgraph/ontology#date> ?date }} }}""")
    assert isinstance(result, ox.QuerySolutions)
    found = {
        r["a"].value.removeprefix(ID + "action/"): (r["cls"].value.rsplit("#")[-1], r["date"].value)
        for r in result
    }
    store.close()
    return found


def test_the_table_imports_with_markers_and_bad_rows(settings: Settings) -> None:
    summary = import_ratifications(settings, TABLE, "iccpr")
    assert (summary.rows, summary.imported, len(summary.skipped)) == (11, 6, 5)
    reasons = {skip.row: skip.reason for skip in summary.skipped}
    assert "unknown State 'Atlantis'" in reasons[8]
    assert "'32 Foo 1995' is not a date" in reasons[9]
    assert "already given in row 2" in reasons[10]
    assert "neither a signature" in reasons[11]
    assert "'22 Aug 1979 X' is not a date" in reasons[12]
    found = actions(settings)
    assert found["kgz/iccpr-accession"] == ("Accession", "1994-10-07")
    assert found["cze/iccpr-succession"] == ("Succession", "1993-02-22")
    assert found["nld/iccpr-acceptance"] == ("Ratification", "1978-12-11")
    assert found["dnk/iccpr-approval"] == ("Ratification", "1972-01-06")
    assert found["kaz/iccpr-ratification"] == ("Ratification", "2006-01-24")  # the curated IRI
    assert found["deu/iccpr-signature"] == ("Signature", "1968-10-09")


def test_footnotes_become_declarations(settings: Settings) -> None:
    import_ratifications(settings, TABLE, "iccpr")
    assert settings.store_path is not None
    store = GraphStore.open_read_only(StoreLocation(settings.store_path))
    assert store.query(f"""ASK {{ <{ID}action/deu/iccpr-ratification>
        <https://w3id.org/hrgraph/ontology#hasStatement> ?s .
        ?s <https://w3id.org/hrgraph/ontology#note> ?note }}""")
    assert store.query(f"""ASK {{ <{ID}action/cze/iccpr-succession>
        <https://w3id.org/hrgraph/ontology#hasStatement>/<https://w3id.org/hrgraph/ontology#note>
        "see footnote(s) 5 of the status table"@en }}""")


def test_an_unknown_treaty_is_refused_and_nothing_changes(settings: Settings) -> None:
    assert settings.store_path is not None
    before = StoreLocation(settings.store_path).current()
    with pytest.raises(ImportFailed, match="no treaty"):
        import_ratifications(settings, TABLE, "no-such-treaty")
    assert StoreLocation(settings.store_path).current() == before
