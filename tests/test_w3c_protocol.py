"""The W3C SPARQL 1.1 Protocol tests (../shared/w3c/sparql11-protocol-tests.json, derived from
sparql/sparql11/protocol/manifest.ttl) that concern the query operation, replayed against a real
``hrgraph serve`` on loopback.

The manifest has 34 tests: 20 exercise the query operation and run here; 14 exercise the update
operation (their names say ``update``) and are not applicable while writes are off, as they are
on this server (no write token): they are counted apart (``UPDATE_TESTS``), and every update
request among them is checked to be refused with a 4xx and the error shape instead.

The store holds the manifest's graph data (data1.nt, data2.nt, data3.nt, each in the named graph
its ``rdfs:label`` names); the query tests only read, so one store serves them all.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest
from test_serve import serving

from hrgraph.store.generations import StoreLocation
from hrgraph.store.local import GraphStore

pytestmark = pytest.mark.server

W3C = Path("/work/shared/w3c")
SPARQL11 = W3C / "sparql" / "sparql11"
TESTS: list[dict[str, Any]] = json.loads(
    (W3C / "sparql11-protocol-tests.json").read_text(encoding="utf-8")
)["tests"]


def _is_update_test(test: dict[str, Any]) -> bool:
    name = test["id"].rsplit("#", 1)[1]
    return "update" in name


QUERY_TESTS = [test for test in TESTS if not _is_update_test(test)]
UPDATE_TESTS = [test for test in TESTS if _is_update_test(test)]
EXPECTED_QUERY_TESTS = 20
EXPECTED_UPDATE_TESTS = 14
"""Not applicable until writes exist (issue 5, item 2)."""

FORMATS = {
    "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
    "tabular": {
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    },
    "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples"},
}
"""The media types each ``mf:expectedFormat`` allows (the manifest's comments list them)."""


def test_the_manifest_is_split_into_query_and_update_tests() -> None:
    assert len(TESTS) == EXPECTED_QUERY_TESTS + EXPECTED_UPDATE_TESTS == 34
    assert len(QUERY_TESTS) == EXPECTED_QUERY_TESTS
    assert len(UPDATE_TESTS) == EXPECTED_UPDATE_TESTS


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory, project_root: Path) -> Iterator[str]:
    location = StoreLocation(tmp_path_factory.mktemp("protocol") / "store")
    generation = location.new_generation()
    store = GraphStore.create(generation)
    loaded = {
        (data["file"], data["graphName"]) for test in QUERY_TESTS for data in test["graphData"]
    }
    assert len(loaded) == 3
    for file, graph in sorted(loaded):
        store.load_file(SPARQL11 / file, ox.RdfFormat.N_TRIPLES, ox.NamedNode(graph))
    store.flush()
    store.close()
    location.publish(generation)
    with serving(project_root, location.path) as url:
        yield f"{url}/sparql"


def _send(client: httpx.Client, endpoint: str, request: dict[str, Any]) -> httpx.Response:
    path: str = request["absolutePath"]
    assert path.startswith("/sparql/")
    url = endpoint + path.removeprefix("/sparql/")
    body = request.get("body")
    content = body["chars"].encode(body["characterEncoding"]) if body else None
    return client.request(request["method"], url, content=content, headers=request["headers"])


def _check_status(response: httpx.Response, expected: list[str]) -> None:
    classes = {int(code.removeprefix("StatusCode")[0]) for code in expected}
    assert response.status_code // 100 in classes, (response.status_code, response.text)


def _check_result(response: httpx.Response, request: dict[str, Any]) -> None:
    expected_format = request["expectedFormat"]
    media_type = response.headers["content-type"].split(";")[0].strip()
    assert media_type in FORMATS[expected_format]
    if expected_format == "RDF":
        rdf_format = ox.RdfFormat.from_media_type(media_type)
        assert rdf_format is not None
        list(ox.parse(response.content, format=rdf_format))  # well-formed
    elif expected_format == "tabular":
        results_format = ox.QueryResultsFormat.from_media_type(media_type)
        assert results_format is not None
        assert isinstance(ox.parse_query_results(response.content, results_format),
                          ox.QuerySolutions)  # fmt: skip
    else:
        results_format = ox.QueryResultsFormat.from_media_type(media_type)
        assert results_format is not None
        answer = ox.parse_query_results(response.content, results_format)
        assert isinstance(answer, ox.QueryBoolean)
        if request["expectedBoolean"] is not None:
            assert bool(answer) is request["expectedBoolean"]


@pytest.mark.parametrize("test", QUERY_TESTS, ids=lambda test: test["id"].rsplit("#", 1)[1])
def test_query_operation(endpoint: str, test: dict[str, Any]) -> None:
    assert test["requests"]
    with httpx.Client(timeout=10) as client:
        for request in test["requests"]:
            response = _send(client, endpoint, request)
            _check_status(response, request["expectedStatus"])
            if response.is_success:
                assert request["expectedFormat"] is not None
                _check_result(response, request)
            else:
                error = response.json()
                assert set(error) == {"status", "error", "message"}
                assert error["status"] == response.status_code


def test_update_operation_is_refused_while_writes_are_off(endpoint: str) -> None:
    # The first request of each is the update (the second, if any, a query checking its effect).
    requests = [test["requests"][0] for test in UPDATE_TESTS]
    assert len(requests) == EXPECTED_UPDATE_TESTS
    with httpx.Client(timeout=10) as client:
        for request in requests:
            response = _send(client, endpoint, request)
            assert response.status_code in {400, 403, 405, 415}, response.text
            error = response.json()
            assert set(error) == {"status", "error", "message"}
        probe = client.get(endpoint, params={"query": "ASK { GRAPH ?g { ?s ?p ?o } }"})
        assert probe.json()["boolean"] is True  # CLEAR ALL and DROP ALL changed nothing
