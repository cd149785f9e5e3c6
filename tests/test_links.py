"""hrgraph links: coverage of outbound links and malformed links."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from hrgraph.build.pipeline import build
from hrgraph.cli.main import main
from hrgraph.publish.links import check_link, classify, link_report
from hrgraph.settings import Settings
from hrgraph.store.local import GraphStore

ROOT = Path(__file__).resolve().parents[1]
G = ox.NamedNode("https://w3id.org/hrgraph/graph/data/test")
HRG = "https://w3id.org/hrgraph/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"


def test_the_bundled_data_has_links_and_reports_what_lacks_them(store: GraphStore) -> None:
    report = link_report(store)
    assert report.by_dataset["undocs"] > 10  # the build's rdfs:seeAlso to undocs.org
    assert report.by_dataset["adilet"] > 5
    assert report.by_dataset["eli"] > 5  # the build's ELI aliases
    coverage = {item.cls: item for item in report.coverage}
    assert set(coverage) >= {"State", "Treaty", "Document", "LegalAct"}
    documents = coverage["Document"]
    assert 0 < documents.linked <= documents.total
    assert documents.total - documents.linked == len(documents.lacking)
    assert report.malformed == []


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (ox.NamedNode("https://www.wikidata.org/wiki/Q232"), "a Wikidata page"),
        (ox.NamedNode("https://undocs.org/not-a-symbol"), "not a well-formed undocs"),
        (ox.NamedNode("https://adilet.zan.kz/rus/docs/123"), "not a well-formed adilet"),
        (ox.Literal("Q232"), "a literal"),
        (ox.NamedNode("urn:x:y"), "not an http(s) IRI"),
    ],
)
def test_malformed_links_are_named(value: ox.NamedNode | ox.Literal, reason: str) -> None:
    problem = check_link(value)
    assert problem is not None
    assert reason in problem


def test_well_formed_links_are_classified() -> None:
    assert classify("http://www.wikidata.org/entity/Q232") == "wikidata"
    assert classify("https://adilet.zan.kz/eng/docs/Z050000091_") == "adilet"
    assert classify("http://data.europa.eu/eli/reg/2016/679/oj") == "eli"
    assert classify("https://example.org/x") is None
    assert check_link(ox.NamedNode("https://example.org/x")) is None


def test_a_wikidata_link_counts_and_a_malformed_one_is_reported() -> None:
    store = GraphStore.in_memory()
    kaz = ox.NamedNode("https://w3id.org/hrgraph/id/state/kaz")
    nor = ox.NamedNode("https://w3id.org/hrgraph/id/state/nor")
    store.add_quads([
        ox.Quad(kaz, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                ox.NamedNode(HRG + "State"), G),
        ox.Quad(nor, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                ox.NamedNode(HRG + "State"), G),
        ox.Quad(kaz, ox.NamedNode(SKOS + "exactMatch"),
                ox.NamedNode("http://www.wikidata.org/entity/Q232"), G),
        ox.Quad(nor, ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs"),
                ox.NamedNode("https://www.wikidata.org/wiki/Q20"), G),
    ])  # fmt: skip
    report = link_report(store)
    states = next(item for item in report.coverage if item.cls == "State")
    assert (states.total, states.linked, states.lacking) == (2, 1, [nor.value])
    assert [m.subject for m in report.malformed] == [nor.value]
    assert any(
        "lacking: <https://w3id.org/hrgraph/id/state/nor>" in line for line in report.lines()
    )


def test_the_cli_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "store"
    build(Settings(root=ROOT, store_path=store))
    assert main(["links", "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert "coverage" in out
    assert "malformed links: 0" in out
    assert main(["links", "--store", str(store), "--format", "json"]) == 0
    assert '"byDataset"' in capsys.readouterr().out
