"""Writes against a real uvicorn server: off by default (403), bearer token required (401), SPARQL
Update and the Graph Store Protocol applied atomically as new store generations, with the
inferred graph recomputed; refused or failed writes change nothing."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from servers import drop_generated, start_server, stop

from hrgraph.build.pipeline import build
from hrgraph.build.writes import read_token_file, tokens_match
from hrgraph.settings import Settings
from hrgraph.store.generations import StoreLocation
from hrgraph.store.local import GraphStore

pytestmark = pytest.mark.server

TOKEN = "test-token-5f1c9a"
AUTH = {"authorization": f"Bearer {TOKEN}"}
EX = "http://example.org/"
HRG = "https://w3id.org/hrgraph/ontology#"
ORG = "http://www.w3.org/ns/org#"
UPDATE = {"content-type": "application/sparql-update", **AUTH}


class Server:
    def __init__(self, url: str, store: Path) -> None:
        self.url, self.store = url, store

    def ask(self, query: str) -> bool:
        response = httpx.get(f"{self.url}/sparql", params={"query": query}, timeout=30)
        assert response.status_code == 200, response.text
        answer: bool = response.json()["boolean"]
        return answer

    def generations(self) -> list[str]:
        folder = self.store / "generations"
        return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def _project(tmp_path_factory: pytest.TempPathFactory, root: Path, name: str) -> Path:
    project = tmp_path_factory.mktemp(name) / "project"
    for folder in ("ontology", "data", "queries"):
        shutil.copytree(root / folder, project / folder)
    drop_generated(project / "data")  # the mechanics of writes, on the curated data
    build(Settings(root=project, store_path=project / "var" / "store"))
    return project


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, project_root: Path) -> Iterator[Server]:
    project = _project(tmp_path_factory, project_root, "writes")
    store = project / "var" / "store"
    url, process = start_server(project, store, env={"HRGRAPH_WRITE_TOKEN": TOKEN})
    yield Server(url, store)
    stop(process)


@pytest.fixture(scope="module")
def read_only_server(
    tmp_path_factory: pytest.TempPathFactory, project_root: Path
) -> Iterator[Server]:
    project = _project(tmp_path_factory, project_root, "no-writes")
    url, process = start_server(project, project / "var" / "store")
    yield Server(url, project / "var" / "store")
    stop(process)


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("POST", "/update",
         {"content": "INSERT DATA { <http://example.org/a> <http://example.org/p> 1 }",
          "headers": UPDATE}),
        ("PUT", "/rdf-graphs/service?graph=http://example.org/g",
         {"content": "<http://example.org/a> <http://example.org/p> 1 .",
          "headers": {"content-type": "application/n-triples", **AUTH}}),
        ("DELETE", "/rdf-graphs/service?default", {"headers": AUTH}),
        ("GET", "/rdf-graphs/service?default", {}),
    ],
)  # fmt: skip
def test_writes_are_off_by_default(
    read_only_server: Server, method: str, path: str, kwargs: dict[str, object]
) -> None:
    before = read_only_server.generations()
    response = httpx.request(method, f"{read_only_server.url}{path}", **kwargs)  # type: ignore[arg-type]
    assert response.status_code == 403
    assert (
        "disabled" in response.json()["message"] or "only with writes" in response.json()["message"]
    )
    assert read_only_server.generations() == before


@pytest.mark.parametrize(
    "headers",
    [
        {"content-type": "application/sparql-update"},
        {"content-type": "application/sparql-update", "authorization": "Bearer wrong"},
        {"content-type": "application/sparql-update", "authorization": f"Basic {TOKEN}"},
        {"content-type": "application/sparql-update", "authorization": f"Bearer {TOKEN}x"},
    ],
)
def test_a_token_is_required(server: Server, headers: dict[str, str]) -> None:
    before = server.generations()
    response = httpx.post(
        f"{server.url}/update",
        content=f"INSERT DATA {{ <{EX}intruder> <{EX}p> 1 }}",
        headers=headers,
    )
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert server.generations() == before
    assert not server.ask(f"ASK {{ <{EX}intruder> ?p ?o }}")


def test_update_is_applied_persisted_and_inferred(server: Server) -> None:
    update = f"INSERT DATA {{ GRAPH <{EX}g1> {{ <{EX}ombudsman> a <{HRG}Ombudsman> }} }}"
    response = httpx.post(f"{server.url}/update", content=update, headers=UPDATE, timeout=60)
    assert response.status_code == 204, response.text
    assert server.ask(f"ASK {{ <{EX}ombudsman> a <{ORG}Organization> }}")  # re-materialised
    on_disk = GraphStore.open_read_only(StoreLocation(server.store))
    assert bool(on_disk.query(f"ASK {{ GRAPH <{EX}g1> {{ <{EX}ombudsman> ?p ?o }} }}"))
    form = httpx.post(
        f"{server.url}/update",
        data={"update": f"DELETE WHERE {{ GRAPH <{EX}g1> {{ <{EX}ombudsman> ?p ?o }} }}"},
        headers=AUTH,
        timeout=60,
    )
    assert form.status_code == 204, form.text
    assert not server.ask(f"ASK {{ <{EX}ombudsman> ?p ?o }}")
    # An update's WHERE reads the store's own default graph (not the union): GRAPH ?g reads all.
    subquery = (
        f"INSERT {{ GRAPH <{EX}g1> {{ <{EX}count> <{EX}treaties> ?n }} }} "
        f"WHERE {{ SELECT (COUNT(DISTINCT ?t) AS ?n) "
        f"WHERE {{ GRAPH ?g {{ ?t a <{HRG}Treaty> }} }} }}"
    )
    response = httpx.post(f"{server.url}/update", content=subquery, headers=UPDATE, timeout=60)
    assert response.status_code == 204, response.text
    assert server.ask(f"ASK {{ <{EX}count> <{EX}treaties> ?n FILTER (?n > 5) }}")


@pytest.mark.parametrize(
    ("update", "message"),
    [
        # Refused by the engine's parser, or before it by the checker (hrgraph.sparql.querycheck).
        ("INSERT DATA { <http://example.org/bad> ",
         "^(malformed update|the (query|update) cannot be checked, so it is refused)"),
        ("LOAD <http://127.0.0.1:9/data.ttl>", "LOAD is refused"),
        ("INSERT { <http://example.org/bad> <http://example.org/p> ?o } WHERE "
         "{ SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("INSERT DATA { <http://example.org/bad> <http://example.org/p> 1 } ; "
         "DROP GRAPH <http://example.org/no-such-graph>", "does not exist"),
        ("SELECT * { ?s ?p ?o }", "not an update"),
        ("CLEAR GRAPH <https://w3id.org/hrgraph/graph/inferred>", "maintained by the build"),
        ("PREFIX g: <https://w3id.org/hrgraph/graph/> "
         "DELETE WHERE { GRAPH g:build { ?s ?p ?o } }", "maintained by the build"),
        ("DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o "
         "FILTER (STRENDS(STR(?g), 'inferred')) } }", "maintained by the build"),
    ],
)  # fmt: skip
def test_a_refused_or_failed_update_changes_nothing(
    server: Server, update: str, message: str
) -> None:
    before = server.generations()
    response = httpx.post(f"{server.url}/update", content=update, headers=UPDATE, timeout=60)
    assert response.status_code == 400
    assert re.search(message, response.json()["message"]), response.json()["message"]
    assert server.generations() == before
    assert not server.ask(f"ASK {{ <{EX}bad> ?p ?o }}")
    assert server.ask(f"ASK {{ ?x a <{HRG}Treaty> }}")


def test_graph_store_protocol(server: Server) -> None:
    graph = f"{server.url}/rdf-graphs/service"
    target = {"graph": f"{EX}gsp"}
    turtle = {"content-type": "text/turtle", **AUTH}
    put = httpx.put(graph, params=target, content=f"<{EX}a> <{EX}p> 1 .", headers=turtle)
    assert put.status_code == 201, put.text
    read = httpx.get(graph, params=target, headers={"accept": "application/n-triples"})
    assert read.status_code == 200
    assert read.text.strip() == (
        f'<{EX}a> <{EX}p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .'
    )
    replaced = httpx.put(graph, params=target, content=f"<{EX}b> <{EX}p> 2 .", headers=turtle)
    assert replaced.status_code == 204
    added = httpx.post(graph, params=target, content=f"<{EX}c> <{EX}p> 3 .", headers=turtle)
    assert added.status_code == 204
    assert server.ask(f"ASK {{ GRAPH <{EX}gsp> {{ <{EX}b> ?p 2 . <{EX}c> ?q 3 }} }}")
    assert not server.ask(f"ASK {{ <{EX}a> ?p ?o }}")
    assert httpx.delete(graph, params=target, headers=AUTH).status_code == 204
    assert httpx.get(graph, params=target).status_code == 404
    assert httpx.delete(graph, params=target, headers=AUTH).status_code == 404


@pytest.mark.parametrize(
    ("params", "body", "content_type", "status"),
    [
        ({"graph": "https://w3id.org/hrgraph/graph/inferred"}, "", "text/turtle", 400),
        ({"graph": f"{EX}g"}, f"<{EX}a> <{EX}p> .", "text/turtle", 400),
        ({"graph": f"{EX}g"}, "<r/>", "application/rdf+xml", 415),
        ({}, f"<{EX}a> <{EX}p> 1 .", "text/turtle", 400),
        ({"graph": "not an iri"}, f"<{EX}a> <{EX}p> 1 .", "text/turtle", 400),
    ],
)
def test_graph_store_protocol_refusals_change_nothing(
    server: Server, params: dict[str, str], body: str, content_type: str, status: int
) -> None:
    before = server.generations()
    response = httpx.put(
        f"{server.url}/rdf-graphs/service",
        params=params,
        content=body,
        headers={"content-type": content_type, **AUTH},
    )
    assert response.status_code == status, response.text
    assert server.generations() == before


def test_concurrent_writes_are_serialised_and_none_is_lost(server: Server) -> None:
    def insert(number: int) -> int:
        update = f"INSERT DATA {{ GRAPH <{EX}concurrent> {{ <{EX}n{number}> <{EX}p> {number} }} }}"
        return httpx.post(
            f"{server.url}/update", content=update, headers=UPDATE, timeout=120
        ).status_code

    with ThreadPoolExecutor(max_workers=5) as pool:
        assert list(pool.map(insert, range(5))) == [204] * 5
    for number in range(5):
        assert server.ask(f"ASK {{ <{EX}n{number}> <{EX}p> {number} }}")


def test_tokens_are_compared_in_constant_time_and_read_from_a_file(tmp_path: Path) -> None:
    assert tokens_match(TOKEN, TOKEN)
    assert not tokens_match("", TOKEN)
    assert not tokens_match(TOKEN, None)
    token_file = tmp_path / "token"
    token_file.write_text(f"  {TOKEN}\n")
    assert read_token_file(token_file) == TOKEN
    token_file.write_text("\n")
    with pytest.raises(ValueError, match="empty"):
        read_token_file(token_file)


def test_updates_through_the_sparql_endpoint(server: Server) -> None:
    body = httpx.post(
        f"{server.url}/sparql",
        content=f"INSERT DATA {{ <{EX}via-sparql> <{EX}p> 1 }}",
        headers=UPDATE,
        timeout=60,
    )
    assert body.status_code == 204, body.text
    form = httpx.post(
        f"{server.url}/sparql",
        data={"update": f"INSERT DATA {{ <{EX}via-form> <{EX}p> 2 }}"},
        headers=AUTH,
        timeout=60,
    )
    assert form.status_code == 204, form.text
    assert server.ask(f"ASK {{ <{EX}via-sparql> <{EX}p> 1 . <{EX}via-form> <{EX}p> 2 }}")
    refused = httpx.post(
        f"{server.url}/sparql", data={"update": f"INSERT DATA {{ <{EX}x> <{EX}p> 3 }}"}
    )
    assert refused.status_code == 401
