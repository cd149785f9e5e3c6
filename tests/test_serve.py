"""hrgraph serve, as a real uvicorn server on loopback: the SPARQL 1.1 query operation (GET, POST
form, POST sparql-query), content negotiation, errors, and rebuilds while serving."""

from __future__ import annotations

import csv
import gc
import io
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from servers import build_project_copy, serving

from hrgraph.build.pipeline import BuildError, build
from hrgraph.cli.main import main
from hrgraph.settings import Settings

__all__ = ["build_project_copy", "serving"]  # used by other test modules

pytestmark = pytest.mark.server

ORG = "http://www.w3.org/ns/org#"
COMMISSIONER = "https://w3id.org/hrgraph/id/institution/kaz/commissioner-for-human-rights"
ORGANISATIONS = f"SELECT ?x WHERE {{ ?x a <{ORG}Organization> }} ORDER BY ?x"


class Server:
    def __init__(self, url: str, project: Path, store: Path) -> None:
        self.url, self.project, self.store = url, project, store


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, project_root: Path) -> Iterator[Server]:
    project, store = build_project_copy(tmp_path_factory.mktemp("serve"), project_root, world=False)
    with serving(project, store) as url:
        yield Server(url, project, store)


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
        (
            {"params": {"query": ["ASK {}", "ASK {}"]}},
            400,
            "more than one 'query' parameter",
        ),
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


def test_post_without_a_query_is_400(server: Server) -> None:
    response = httpx.post(f"{server.url}/sparql", data={"default-graph-uri": COMMISSIONER})
    assert response.status_code == 400
    assert response.json()["message"] == (
        "no query: pass the SPARQL query in the 'query' parameter"
    )


def test_sparql_clients_that_ask_for_plain_text_get_errors_as_plain_text(server: Server) -> None:
    for accept in ("application/sparql-results+xml", "text/csv, text/turtle", "text/*"):
        response = httpx.get(
            f"{server.url}/sparql", params={"query": "ASK {"}, headers={"accept": accept}
        )
        assert response.status_code == 400
        assert response.headers["content-type"] == "text/plain; charset=utf-8"
        assert response.text.startswith("malformed query: syntax error at 1:")
    # Results are negotiated before the query is read further: no result type is text/plain.
    response = httpx.get(
        f"{server.url}/sparql", params={"query": "ASK {}"}, headers={"accept": "text/plain"}
    )
    assert (response.status_code, response.headers["content-type"]) == (
        406,
        "text/plain; charset=utf-8",
    )
    assert response.text.startswith("cannot answer in 'text/plain'; available: ")
    for accept in ("application/json", "*/*", "text/plain;q=0.5, application/json"):
        response = httpx.get(
            f"{server.url}/sparql", params={"query": "ASK {"}, headers={"accept": accept}
        )
        assert response.headers["content-type"] == "application/json"
        assert response.json()["status"] == 400


@pytest.mark.parametrize(
    ("accept", "media_type", "rdf_format"),
    [
        ("application/ld+json", "application/ld+json", "JSON_LD"),
        ("application/rdf+xml", "application/rdf+xml", "RDF_XML"),
        ("text/turtle;q=0.5, application/n-triples", "application/n-triples; charset=utf-8",
         "N_TRIPLES"),
        (None, "text/turtle; charset=utf-8", "TURTLE"),
    ],
)  # fmt: skip
def test_construct_in_every_rdf_syntax(
    server: Server, accept: str | None, media_type: str, rdf_format: str
) -> None:
    import pyoxigraph as ox

    query = f"CONSTRUCT {{ ?x a <{ORG}Organization> }} WHERE {{ ?x a <{ORG}Organization> }}"
    headers = {"accept": accept} if accept else {}
    response = httpx.post(f"{server.url}/sparql", data={"query": query}, headers=headers)
    assert (response.status_code, response.headers["content-type"]) == (200, media_type)
    triples = [
        q.triple for q in ox.parse(response.content, format=getattr(ox.RdfFormat, rdf_format))
    ]
    assert (
        ox.Triple(
            ox.NamedNode(COMMISSIONER),
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            ox.NamedNode(f"{ORG}Organization"),
        )
        in triples
    )


def test_named_graph_uri_gives_the_named_graphs_and_an_empty_default_graph(
    server: Server,
) -> None:
    graph = "https://w3id.org/hrgraph/graph/data/kaz-institutions"
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = httpx.post(
        f"{server.url}/sparql?named-graph-uri={graph}",
        content=query,
        headers={"content-type": "application/sparql-query"},
    )
    assert [b["g"]["value"] for b in response.json()["results"]["bindings"]] == [graph]
    default = httpx.get(
        f"{server.url}/sparql", params={"query": "ASK { ?s ?p ?o }", "named-graph-uri": graph}
    )
    assert default.json()["boolean"] is False


def test_get_without_a_query_is_the_service_description(server: Server) -> None:
    import pyoxigraph as ox

    sd = "http://www.w3.org/ns/sparql-service-description#"
    response = httpx.get(f"{server.url}/sparql")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    store = ox.Store()
    store.load(response.content, format=ox.RdfFormat.TURTLE)
    endpoint = f"<{server.url}/sparql>"
    assert store.query(f"ASK {{ {endpoint} a <{sd}Service> ; <{sd}endpoint> {endpoint} ;"
                       f" <{sd}supportedLanguage> <{sd}SPARQL11Query> ;"
                       f" <{sd}feature> <{sd}UnionDefaultGraph> }}")  # fmt: skip
    formats = {
        str(row["f"].value)
        for row in store.query(f"SELECT ?f {{ ?s <{sd}resultFormat> ?f }}")  # type: ignore[union-attr]
    }
    assert {
        "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
        "http://www.w3.org/ns/formats/SPARQL_Results_XML",
        "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
        "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
        "http://www.w3.org/ns/formats/Turtle",
        "http://www.w3.org/ns/formats/N-Triples",
        "http://www.w3.org/ns/formats/JSON-LD",
        "http://www.w3.org/ns/formats/RDF_XML",
    } == formats
    names = {
        str(row["g"].value)
        for row in store.query(  # type: ignore[union-attr]
            f"SELECT ?g {{ {endpoint} <{sd}defaultDataset> ?d . ?d <{sd}defaultGraph> ?dg ;"
            f" <{sd}namedGraph> [ a <{sd}NamedGraph> ; <{sd}name> ?g ] }}"
        )
    }
    health = httpx.get(f"{server.url}/health").json()
    assert len(names) == health["graphs"]
    assert "https://w3id.org/hrgraph/graph/data/kaz-institutions" in names


@pytest.mark.parametrize(
    ("accept", "media_type", "rdf_format"),
    [
        ("application/rdf+xml", "application/rdf+xml", "RDF_XML"),
        ("application/ld+json", "application/ld+json", "JSON_LD"),
        ("application/n-triples", "application/n-triples; charset=utf-8", "N_TRIPLES"),
        ("text/plain, */*;q=0.8", "text/turtle; charset=utf-8", "TURTLE"),  # browsers: a page
    ],
)
def test_service_description_negotiates_rdf_syntaxes(
    server: Server, accept: str, media_type: str, rdf_format: str
) -> None:
    import pyoxigraph as ox

    response = httpx.get(f"{server.url}/sparql", headers={"accept": accept})
    assert (response.status_code, response.headers["content-type"]) == (200, media_type)
    triples = [
        q.triple for q in ox.parse(response.content, format=getattr(ox.RdfFormat, rdf_format))
    ]
    assert len(triples) > 20


def test_cors_lets_browsers_on_other_origins_read_answers_and_errors(server: Server) -> None:
    origin = {"origin": "https://yasgui.example"}
    preflight = httpx.options(
        f"{server.url}/sparql",
        headers={
            **origin,
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert preflight.status_code in {200, 204}
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "content-type" in preflight.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in preflight.headers
    answer = httpx.post(
        f"{server.url}/sparql",
        content="ASK {}",
        headers={**origin, "content-type": "application/sparql-query"},
    )
    assert answer.headers["access-control-allow-origin"] == "*"
    error = httpx.get(f"{server.url}/sparql", params={"query": "ASK {"}, headers=origin)
    assert (error.status_code, error.headers["access-control-allow-origin"]) == (400, "*")


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/sparql-update", b"CLEAR ALL"),
        ("application/x-www-form-urlencoded", b"update=CLEAR%20ALL"),
    ],
)
def test_updates_are_refused_while_writes_are_off(
    server: Server, content_type: str, body: bytes
) -> None:
    response = httpx.post(
        f"{server.url}/sparql", content=body, headers={"content-type": content_type}
    )
    assert response.status_code == 403
    assert response.json()["message"] == "writes are disabled on this service"
    assert httpx.get(f"{server.url}/health").json()["graphs"] > 0


def test_a_body_in_another_charset_is_415(server: Server) -> None:
    response = httpx.post(
        f"{server.url}/sparql",
        content="ASK {}".encode("utf-16"),
        headers={"content-type": "application/sparql-query; charset=UTF-16"},
    )
    assert response.status_code == 415


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


def test_relative_iris_resolve_against_the_endpoint_and_errors_keep_the_users_columns(
    server: Server,
) -> None:
    import pyoxigraph as ox

    response = httpx.get(
        f"{server.url}/sparql", params={"query": "SELECT ?x WHERE { BIND(<thing> AS ?x) }"}
    )
    assert response.json()["results"]["bindings"] == [
        {"x": {"type": "uri", "value": f"{server.url}/thing"}}
    ]
    malformed = "SELECT ?x WHERE {\n  ?x ?y ?z ?w }"
    with pytest.raises(SyntaxError) as engine_error:
        ox.Store().query("SELECT ?x WHERE { ?x }")
    response = httpx.get(f"{server.url}/sparql", params={"query": "SELECT ?x WHERE { ?x }"})
    assert response.json()["message"] == f"malformed query: syntax {engine_error.value.msg}"
    response = httpx.get(f"{server.url}/sparql", params={"query": malformed})
    assert "at 2:" in response.json()["message"]


def test_updates_posted_to_sparql_go_to_the_write_path_when_writes_are_on(
    tmp_path: Path, project_root: Path
) -> None:
    from fastapi.testclient import TestClient

    from hrgraph.http.app import create_app

    project, store = build_project_copy(tmp_path, project_root)
    settings = Settings(root=project, store_path=store, write_token="s3cret-token")
    update = (
        "INSERT DATA { GRAPH <http://example.org/g> "
        "{ <http://example.org/s> a <http://example.org/C> } }"
    )
    ask = {"query": "ASK { <http://example.org/s> a <http://example.org/C> }"}
    with TestClient(create_app(settings)) as client:
        refused = client.post(
            "/sparql", content=update, headers={"content-type": "application/sparql-update"}
        )
        assert refused.status_code == 401
        assert client.get("/sparql", params=ask).json()["boolean"] is False
        applied = client.post(
            "/sparql",
            data={"update": update},
            headers={"authorization": "Bearer s3cret-token"},
        )
        assert applied.status_code == 204
        assert applied.headers["access-control-allow-origin"] == "*"
        assert client.get("/sparql", params=ask).json()["boolean"] is True
        over_get = client.get("/sparql", params={"update": update})
        assert over_get.status_code == 405


def test_serve_freezes_what_it_made_at_start_before_it_serves(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``hrgraph serve`` leaves its start-up objects out of the cycle collector's full
    collections (a pause of every request, about 50 ms each with them) before uvicorn runs."""
    import uvicorn

    frozen: list[int] = []
    monkeypatch.setattr(
        uvicorn, "run", lambda *args, **kwargs: frozen.append(gc.get_freeze_count())
    )
    gc.unfreeze()
    try:
        code = main(["--root", str(server.project), "serve", "--store", str(server.store)])
    finally:
        gc.unfreeze()  # this test process goes on as it was
    assert code == 0
    assert len(frozen) == 1
    assert frozen[0] > 10_000
