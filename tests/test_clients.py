"""Real SPARQL clients against a real ``hrgraph serve`` over the bundled data: SPARQLWrapper,
rdflib's SPARQLStore and plain HTTP (httpx), each getting the answers the data holds."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed
from test_serve import build_project_copy, serving

pytestmark = pytest.mark.server

ORG = "http://www.w3.org/ns/org#"
HRG = "https://w3id.org/hrgraph/ontology#"
KAZAKHSTAN = "https://w3id.org/hrgraph/id/state/kaz"
COMMISSIONER = "https://w3id.org/hrgraph/id/institution/kaz/commissioner-for-human-rights"
ISO_CODE = f"SELECT ?code WHERE {{ <{KAZAKHSTAN}> <{HRG}isoCode> ?code }}"
IS_ORGANISATION = f"ASK {{ <{COMMISSIONER}> a <{ORG}Organization> }}"
ORGANISATIONS = f"""CONSTRUCT {{ ?x a <{ORG}Organization> }}
WHERE {{ ?x a <{ORG}Organization> }}"""


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory, project_root: Path) -> Iterator[str]:
    project, store = build_project_copy(
        tmp_path_factory.mktemp("clients"), project_root, world=False
    )
    with serving(project, store) as url:
        yield f"{url}/sparql"


def _wrapper(endpoint: str, query: str, return_format: str) -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(return_format)
    return client


def test_sparqlwrapper_select_as_json(endpoint: str) -> None:
    result = _wrapper(endpoint, ISO_CODE, JSON).queryAndConvert()
    assert isinstance(result, dict)
    assert result["head"]["vars"] == ["code"]
    assert result["results"]["bindings"] == [{"code": {"type": "literal", "value": "KAZ"}}]


def test_sparqlwrapper_select_as_xml_over_post(endpoint: str) -> None:
    client = _wrapper(endpoint, ISO_CODE, XML)
    client.setMethod("POST")
    document = client.queryAndConvert()
    literals = [node.firstChild.data for node in document.getElementsByTagName("literal")]  # type: ignore[union-attr]
    assert literals == ["KAZ"]


@pytest.mark.parametrize("return_format", [JSON, XML])
def test_sparqlwrapper_ask(endpoint: str, return_format: str) -> None:
    client = _wrapper(endpoint, IS_ORGANISATION, return_format)
    result = client.query().convert()
    if return_format == JSON:
        assert isinstance(result, dict)
        assert result["boolean"] is True
    else:
        assert result.getElementsByTagName("boolean")[0].firstChild.data == "true"  # type: ignore[union-attr]


@pytest.mark.parametrize("return_format", [XML, TURTLE])
def test_sparqlwrapper_construct(endpoint: str, return_format: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SPARQLWrapper warns that Turtle is returned as text
        result = _wrapper(endpoint, ORGANISATIONS, return_format).queryAndConvert()
    graph = result if isinstance(result, rdflib.Graph) else rdflib.Graph()
    if isinstance(result, bytes | str):
        graph.parse(data=result, format="turtle")
    assert (
        rdflib.URIRef(COMMISSIONER),
        rdflib.RDF.type,
        rdflib.URIRef(f"{ORG}Organization"),
    ) in graph
    assert len(graph) > 10


def test_sparqlwrapper_sees_a_malformed_query_as_bad_formed_with_the_message(
    endpoint: str,
) -> None:
    with pytest.raises(QueryBadFormed) as error:
        _wrapper(endpoint, "SELECT ?x WHERE { ?x", XML).query()
    assert "malformed query: syntax error at 1:" in str(error.value)


def test_rdflib_sparqlstore_select(endpoint: str) -> None:
    graph = rdflib.Graph(store=SPARQLStore(endpoint))
    rows = list(graph.query(ISO_CODE))
    assert [str(row[0]) for row in rows] == ["KAZ"]  # type: ignore[index]
    organisations = {
        str(row[0])  # type: ignore[index]
        for row in graph.query(f"SELECT ?x WHERE {{ ?x a <{ORG}Organization> }}")
    }
    assert COMMISSIONER in organisations
    assert graph.query(IS_ORGANISATION).askAnswer is True


def test_plain_http_get_with_tsv(endpoint: str) -> None:
    response = httpx.get(
        endpoint, params={"query": ISO_CODE}, headers={"accept": "text/tab-separated-values"}
    )
    assert response.status_code == 200
    assert response.text.splitlines() == ["?code", '"KAZ"']


def test_plain_http_post_form_with_json(endpoint: str) -> None:
    response = httpx.post(endpoint, data={"query": IS_ORGANISATION})
    assert response.headers["content-type"] == "application/sparql-results+json"
    assert response.json() == {"head": {}, "boolean": True}


def test_sparqlwrapper_from_narrows_the_default_graph_to_one_source(endpoint: str) -> None:
    """FROM in the query replaces the union default graph (SPARQL 1.1 Query §13.2)."""
    laws = "https://w3id.org/hrgraph/graph/data/kaz-laws"

    def count(query: str) -> int:
        result = _wrapper(endpoint, query, JSON).queryAndConvert()
        assert isinstance(result, dict)
        return int(result["results"]["bindings"][0]["n"]["value"])

    from_laws = count(f"SELECT (COUNT(*) AS ?n) FROM <{laws}> WHERE {{ ?s ?p ?o }}")
    graph_laws = count(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{laws}> {{ ?s ?p ?o }} }}")
    union = count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert from_laws == graph_laws > 100
    assert union > 10 * from_laws
    named_only = count(f"SELECT (COUNT(*) AS ?n) FROM NAMED <{laws}> WHERE {{ ?s ?p ?o }}")
    assert named_only == 0
