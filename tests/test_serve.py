"""hrgraph serve, as a real uvicorn server on loopback: the SPARQL 1.1 query operation (GET, POST
form, POST sparql-query), content negotiation, errors, and rebuilds while serving."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from hrgraph.build import BuildError, build
from hrgraph.settings import Settings

pytestmark = pytest.mark.server

ORG = "http://www.w3.org/ns/org#"
COMMISSIONER = "https://w3id.org/hrgraph/id/institution/kaz/commissioner-for-human-rights"
ORGANISATIONS = f"SELECT ?x WHERE {{ ?x a <{ORG}Organization> }} ORDER BY ?x"


class Server:
    def __init__(self, url: str, project: Path, store: Path) -> None:
        self.url, self.project, self.store = url, project, store


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, project_root: Path) -> Iterator[Server]:
    import shutil

    project = tmp_path_factory.mktemp("serve") / "project"
    for folder in ("ontology", "data", "queries"):
        shutil.copytree(project_root / folder, project / folder)
    store = project / "var" / "store"
    build(Settings(root=project, store_path=store))
    port = _free_port()
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("hrgraph")), "--root", str(project), "serve",
         "--store", str(store), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ},
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"hrgraph serve did not start: {process.stderr.read()!r}")
        time.sleep(0.1)
    yield Server(url, project, store)
    process.terminate()
    process.wait(timeout=10)


def test_ask_over_get_answers_sparql_json(server: Server) -> None:
    response = httpx.get(f"{server.url}/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/sparql-results+json"
    assert response.json() == {"head": {}, "boolean": True}


def test_select_over_post_form_finds_the_commissioner_as_an_organisation(server: Server) -> None:
    response = httpx.post(f"{server.url}/sparql", data={"query": ORGANISATIONS})
    assert response.status_code == 200
    values = [b["x"]["value"] for b in response.json()["results"]["bindings"]]
    assert COMMISSIONER in values


def test_select_over_post_sparql_query_body(server: Server) -> None:
    response = httpx.post(
        f"{server.url}/sparql",
        content="SELECT ?code WHERE { <https://w3id.org/hrgraph/id/state/kaz>"
        " <https://w3id.org/hrgraph/ontology#isoCode> ?code }",
        headers={"content-type": "application/sparql-query", "accept": "text/csv"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert list(csv.reader(io.StringIO(response.text))) == [["code"], ["KAZ"]]


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
        ("text/csv;q=0.4, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("*/*", "application/sparql-results+json"),
        ("text/*", "text/csv; charset=utf-8"),
        ("application/json", "application/json"),
    ],
)
def test_select_results_follow_accept_with_q_values(
    server: Server, accept: str, media_type: str
) -> None:
    response = httpx.get(
        f"{server.url}/sparql", params={"query": ORGANISATIONS}, headers={"accept": accept}
    )
    assert (response.status_code, response.headers["content-type"]) == (200, media_type)
    assert COMMISSIONER in response.text


def test_construct_defaults_to_turtle_and_negotiates_n_triples(server: Server) -> None:
    query = f"CONSTRUCT {{ ?x a <{ORG}Organization> }} WHERE {{ ?x a <{ORG}Organization> }}"
    turtle = httpx.get(f"{server.url}/sparql", params={"query": query})
    assert turtle.headers["content-type"] == "text/turtle; charset=utf-8"
    ntriples = httpx.get(
        f"{server.url}/sparql", params={"query": query}, headers={"accept": "application/n-triples"}
    )
    assert ntriples.headers["content-type"] == "application/n-triples; charset=utf-8"
    assert (
        f"<{COMMISSIONER}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{ORG}Organization> ."
        in ntriples.text.splitlines()
    )


def test_default_graph_uri_restricts_the_default_graph(server: Server) -> None:
    query = "ASK { ?s a <https://w3id.org/hrgraph/ontology#Treaty> }"
    everything = httpx.get(f"{server.url}/sparql", params={"query": query})
    institutions_only = httpx.get(
        f"{server.url}/sparql",
        params={
            "query": query,
            "default-graph-uri": "https://w3id.org/hrgraph/graph/data/kaz-institutions",
        },
    )
    assert (everything.json()["boolean"], institutions_only.json()["boolean"]) == (True, False)


@pytest.mark.parametrize(
    ("request_kwargs", "status", "message"),
    [
        (
            {"params": {"query": "SELECT ?x WHERE { ?x }"}},
            400,
            "malformed query: syntax error at 1:",
        ),
        ({"params": {}}, 400, "no query: pass the SPARQL query in the 'query' parameter"),
        (
            {"params": {"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}},
            400,
            "SERVICE (federated query) is refused",
        ),
        (
            {"params": {"query": "ASK {}"}, "headers": {"accept": "image/png"}},
            406,
            "cannot answer in 'image/png'",
        ),
        (
            {"params": {"query": "ASK {}", "default-graph-uri": "not an iri"}},
            400,
            "default-graph-uri is not an IRI",
        ),
    ],
)
def test_errors_have_one_json_shape(
    server: Server, request_kwargs: dict[str, object], status: int, message: str
) -> None:
    response = httpx.get(f"{server.url}/sparql", **request_kwargs)  # type: ignore[arg-type]
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"status", "error", "message"}
    assert body["status"] == status
    assert message in body["message"]
    assert str(server.project) not in response.text


def test_post_with_another_content_type_is_415(server: Server) -> None:
    response = httpx.post(
        f"{server.url}/sparql", content="ASK {}", headers={"content-type": "text/plain"}
    )
    assert response.status_code == 415
    assert response.json()["status"] == 415


def test_health(server: Server) -> None:
    response = httpx.get(f"{server.url}/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["graphs"] == len(list((server.project / "data").glob("*.ttl"))) + 3
    assert json.dumps(body).find(str(server.store)) == -1


def test_rebuilds_are_served_and_failed_builds_are_not(server: Server) -> None:
    query = {"query": "ASK { <http://example.org/new> ?p ?o }"}
    assert httpx.get(f"{server.url}/sparql", params=query).json()["boolean"] is False

    extra = server.project / "data" / "zz-extra.ttl"
    extra.write_text(
        '<http://example.org/new> <http://www.w3.org/2000/01/rdf-schema#label> "new"@en .\n'
    )
    build(Settings(root=server.project, store_path=server.store))
    assert httpx.get(f"{server.url}/sparql", params=query).json()["boolean"] is True

    extra.write_text("<http://example.org/new> this is not turtle\n")
    with pytest.raises(BuildError):
        build(Settings(root=server.project, store_path=server.store))
    assert httpx.get(f"{server.url}/sparql", params=query).json()["boolean"] is True
    extra.unlink()
