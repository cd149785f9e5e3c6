"""Dereferenceable IRIs against a real uvicorn server: /id/... and /ontology by content
negotiation (Turtle, JSON-LD, N-Triples, RDF/XML, HTML), 404 for unknown IRIs, and the VoID and
DCAT description of the dataset."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rdflib
from fastapi.testclient import TestClient
from servers import start_server, stop

from hrgraph.build.pipeline import build
from hrgraph.http.api.dataset import describe_dataset
from hrgraph.http.app import create_app
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


PUBLIC_BASE = "https://example.org/hr/"
ROOT_RELATIVE = re.compile(r'(?:href|src|action|data-endpoint|data-examples)="/(?!hr/)')
"""A link a page writes that does not start with the public base's path."""


def test_public_base_sets_links_and_endpoint(project_root: Path, store: GraphStore) -> None:
    settings = Settings(root=project_root, store_path=None, public_base=PUBLIC_BASE)
    with TestClient(create_app(settings, store)) as client:
        pages = {
            path: client.get(path, headers={"accept": BROWSER})
            for path in ("/", "/id/institution/kaz/commissioner-for-human-rights", "/query",
                         "/browse/recommendations", "/ontology", "/dataset", "/no/such/page")
        }  # fmt: skip
        turtle = client.get("/id/institution/kaz/commissioner-for-human-rights")
        void = client.get("/dataset", headers={"accept": "text/turtle"})
        redirect = client.get("/sparql", params={"query": "ASK {}"},
                              headers={"accept": BROWSER}, follow_redirects=False)  # fmt: skip
    assert [page.status_code for page in pages.values()] == [200] * 6 + [404]
    for path, page in pages.items():
        assert ROOT_RELATIVE.findall(page.text) == [], path
        assert '<link rel="stylesheet" href="/hr/static/hrgraph.css">' in page.text, path
        assert '<a href="/hr/" class="brand">hrgraph</a>' in page.text, path
        assert '<a href="/hr/query">Query</a>' in page.text, path
    home = pages["/"].text
    assert '<a href="/hr/id/state/kaz">Kazakhstan</a>' in home
    assert '<a href="/hr/sparql">SPARQL endpoint</a>' in home
    assert '<a href="/hr/queries/class-counts"><code>class-counts</code></a>' in home
    assert 'href="/hr/ontology#Recommendation"' in home
    resource = pages["/id/institution/kaz/commissioner-for-human-rights"].text
    commissioner = "/hr/id/institution/kaz/commissioner-for-human-rights"
    assert f'<a href="{commissioner}?format=turtle"' in resource
    assert f'<a href="{commissioner}?lang=ru"' in resource
    assert 'href="/hr/query?query=DESCRIBE%20%3C' in resource
    assert 'href="/hr/id/state/kaz"' in resource
    query = pages["/query"].text
    assert 'data-endpoint="/hr/sparql"' in query or '<a href="/hr/sparql">' in query
    assert 'href="/hr/docs"' in query
    assert 'href="/hr/id/recommendation/' in pages["/browse/recommendations"].text
    assert 'href="/hr/ontology?format=turtle"' in pages["/ontology"].text
    assert 'href="/hr/dataset?format=turtle"' in pages["/dataset"].text
    # The API's links: headers, the dataset description, the query page for browsers.
    assert turtle.headers["content-location"] == (
        "https://example.org/hr/id/institution/kaz/commissioner-for-human-rights?format=turtle"
    )
    assert turtle.headers["link"].startswith(
        "<https://example.org/hr/id/institution/kaz/commissioner-for-human-rights?format=ntriples>"
    )
    description = rdflib.Graph().parse(data=void.text, format="turtle")
    assert set(description.objects(None, VOID.sparqlEndpoint)) == {
        rdflib.URIRef("https://example.org/hr/sparql")
    }
    assert redirect.headers["location"] == "https://example.org/hr/query?query=ASK+%7B%7D"
    triples = describe_dataset(settings.base_iri, "https://hrgraph.example.org/", {"g:1": 3})
    endpoints = {t.object.value for t in triples if t.predicate.value.endswith("sparqlEndpoint")}
    assert endpoints == {"https://hrgraph.example.org/sparql"}
