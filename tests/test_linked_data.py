"""Dereferenceable IRIs against a real uvicorn server: /id/... and /ontology by content
negotiation (Turtle, JSON-LD, N-Triples, RDF/XML, HTML), 404 for unknown IRIs, and the VoID and
DCAT description of the dataset."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rdflib
from fastapi import Request
from servers import start_server, stop

from hrgraph.build.pipeline import build
from hrgraph.http.api.dataset import describe_dataset
from hrgraph.http.api.linked_data import href
from hrgraph.settings import Settings
from hrgraph.store.local import GraphStore

pytestmark = pytest.mark.server

ID = "https://w3id.org/hrgraph/id/"
COMMISSIONER = ID + "institution/kaz/commissioner-for-human-rights"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")


class Served:
    def __init__(self, url: str, store: GraphStore) -> None:
        self.url, self.store = url, store


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, project_root: Path) -> Iterator[Served]:
    project = tmp_path_factory.mktemp("linked-data") / "project"
    for folder in ("ontology", "data", "queries"):
        shutil.copytree(project_root / folder, project / folder)
    store_path = project / "var" / "store"
    _, store = build(Settings(root=project, store_path=store_path))
    url, process = start_server(project, store_path)
    yield Served(url, store)
    stop(process)


def test_a_resource_in_turtle_by_default(server: Served) -> None:
    response = httpx.get(f"{server.url}/id/institution/kaz/commissioner-for-human-rights")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    assert response.headers["vary"] == "Accept, Accept-Encoding"
    assert response.headers["access-control-allow-origin"] == "*"
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    commissioner = rdflib.URIRef(COMMISSIONER)
    hrg = rdflib.Namespace("https://w3id.org/hrgraph/ontology#")
    assert (commissioner, rdflib.RDF.type, hrg.NationalHumanRightsInstitution) in graph
    organisation = rdflib.URIRef("http://www.w3.org/ns/org#Organization")
    assert (commissioner, rdflib.RDF.type, organisation) in graph  # from the inferred graph
    # the labels of what it links to, and nothing else about them
    kaz = rdflib.URIRef(ID + "state/kaz")
    assert (kaz, rdflib.RDFS.label, rdflib.Literal("Kazakhstan", lang="en")) in graph
    assert set(graph.predicates(kaz, None)) == {rdflib.RDFS.label}


@pytest.mark.parametrize(
    ("accept", "media_type", "rdf_format"),
    [
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/n-triples", "application/n-triples; charset=utf-8", "nt"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("text/turtle;q=0.5, application/n-triples", "application/n-triples; charset=utf-8", "nt"),
    ],
)
def test_a_resource_in_other_syntaxes(
    server: Served, accept: str, media_type: str, rdf_format: str
) -> None:
    response = httpx.get(f"{server.url}/id/treaty/iccpr/art-22", headers={"accept": accept})
    assert (response.status_code, response.headers["content-type"]) == (200, media_type)
    graph = rdflib.Graph().parse(data=response.text, format=rdf_format)
    assert (rdflib.URIRef(ID + "treaty/iccpr/art-22"), None, None) in graph


def test_the_description_has_no_duplicates(server: Served) -> None:
    response = httpx.get(f"{server.url}/id/state/kaz", headers={"accept": "application/n-triples"})
    lines = [line for line in response.text.splitlines() if line.strip()]
    assert lines
    assert len(lines) == len(set(lines))


def test_browsers_get_an_escaped_html_page(server: Served) -> None:
    response = httpx.get(
        f"{server.url}/id/accreditation/kaz/commissioner-2012", headers={"accept": BROWSER}
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = response.text
    assert "<title>ICC Sub-Committee on Accreditation: B status for Kazakhstan&#x27;s" in page
    assert "Kazakhstan's" not in page
    # links to the graph's own resources stay on this service
    assert 'href="/id/institution/kaz/commissioner-for-human-rights"' in page


@pytest.mark.parametrize(
    "path",
    ["/id/institution/kaz/no-such-institution", "/id/x%3Cscript%3E", "/id/", "/id/state/kaz/x"],
)
def test_unknown_iris_are_404(server: Served, path: str) -> None:
    response = httpx.get(f"{server.url}{path}")
    assert response.status_code == 404
    assert response.json()["status"] == 404


def test_the_ontology_by_content_negotiation(server: Served) -> None:
    turtle = httpx.get(f"{server.url}/ontology")
    assert turtle.headers["content-type"] == "text/turtle; charset=utf-8"
    graph = rdflib.Graph().parse(data=turtle.text, format="turtle")
    ontology = rdflib.URIRef("https://w3id.org/hrgraph/ontology")
    assert (ontology, rdflib.RDF.type, rdflib.OWL.Ontology) in graph
    rdfxml = httpx.get(f"{server.url}/ontology", headers={"accept": "application/rdf+xml"})
    assert len(rdflib.Graph().parse(data=rdfxml.text, format="xml")) == len(graph)
    jsonld = httpx.get(f"{server.url}/ontology", headers={"accept": "application/ld+json"})
    assert json.loads(jsonld.text)
    page = httpx.get(f"{server.url}/ontology", headers={"accept": BROWSER})
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert 'id="NationalHumanRightsInstitution"' in page.text
    assert "https://w3id.org/hrgraph/ontology#asksToChange" in page.text


def test_void_and_dcat_description(server: Served) -> None:
    for path in ("/.well-known/void", "/dataset"):
        response = httpx.get(f"{server.url}{path}")
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/turtle; charset=utf-8"
        graph = rdflib.Graph().parse(data=response.text, format="turtle")
        dataset = rdflib.URIRef("https://w3id.org/hrgraph/dataset")
        assert (dataset, rdflib.RDF.type, VOID.Dataset) in graph
        assert (dataset, rdflib.RDF.type, DCAT.Dataset) in graph
        assert graph.value(dataset, VOID.sparqlEndpoint) == rdflib.URIRef(f"{server.url}/sparql")
        licence = rdflib.URIRef("https://creativecommons.org/licenses/by/4.0/")
        assert graph.value(dataset, rdflib.DCTERMS.license) == licence
        counts = {
            str(subset): int(graph.value(subset, VOID.triples))  # type: ignore[arg-type]
            for subset in graph.objects(dataset, VOID.subset)
        }
        expected = {g.value: server.store.graph_size(g) for g in server.store.named_graphs()}
        assert counts == expected
        assert int(graph.value(dataset, VOID.triples)) == sum(expected.values())  # type: ignore[arg-type]
    jsonld = httpx.get(f"{server.url}/dataset", headers={"accept": "application/ld+json"})
    assert jsonld.headers["content-type"] == "application/ld+json"


def test_public_base_sets_links_and_endpoint() -> None:
    settings = Settings(root=Path("."), public_base="https://hrgraph.example.org/")
    request = Request({"type": "http", "headers": []})
    assert href(COMMISSIONER, settings, request) == (
        "https://hrgraph.example.org/id/institution/kaz/commissioner-for-human-rights"
    )
    assert href("https://w3id.org/hrgraph/ontology#Treaty", settings, request) == (
        "https://hrgraph.example.org/ontology"
    )
    assert href("https://example.org/x", settings, request) == "https://example.org/x"
    triples = describe_dataset(settings.base_iri, "https://hrgraph.example.org/", {"g:1": 3})
    endpoints = {t.object.value for t in triples if t.predicate.value.endswith("sparqlEndpoint")}
    assert endpoints == {"https://hrgraph.example.org/sparql"}
