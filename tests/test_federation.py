"""Federation: SERVICE stays refused by default; with an allow-listed endpoint the named queries in
queries/federation/ join hrgraph with a second local SPARQL endpoint standing in for Wikidata."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pyoxigraph as ox
import pytest

from hrgraph.cli.main import main
from hrgraph.query.execution import run_query
from hrgraph.settings import Limits
from hrgraph.sparql.querycheck import QueryRejected, check_sparql
from hrgraph.store.local import GraphStore

ROOT = Path(__file__).resolve().parents[1]
WIKIDATA = "https://query.wikidata.org/sparql"
WD = "http://www.wikidata.org/entity/"
FAKE_WIKIDATA = f"""
@prefix wdt: <http://www.wikidata.org/prop/direct/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{WD}Q232> wdt:P298 "KAZ" ; rdfs:label "Kazakhstan"@en ; wdt:P30 <{WD}Q48> .
<{WD}Q20> wdt:P298 "NOR" ; rdfs:label "Norway"@en ; wdt:P30 <{WD}Q46> .
<{WD}Q30> wdt:P298 "USA" ; rdfs:label "United States of America"@en ; wdt:P30 <{WD}Q49> .
"""


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    """A second SPARQL endpoint on loopback (SPARQL 1.1 Protocol, GET and POST), over its own
    pyoxigraph store: the stand-in for Wikidata."""
    remote = ox.Store()
    remote.load(FAKE_WIKIDATA.encode(), format=ox.RdfFormat.TURTLE)

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, query: str) -> None:
            result = remote.query(query)
            assert isinstance(result, ox.QuerySolutions)
            body = result.serialize(format=ox.QueryResultsFormat.JSON)
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            self._answer(parse_qs(urlparse(self.path).query)["query"][0])

        def do_POST(self) -> None:
            data = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
            if self.headers.get("Content-Type", "").startswith("application/sparql-query"):
                self._answer(data)
            else:
                self._answer(parse_qs(data)["query"][0])

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


def federation_query(name: str, endpoint: str) -> str:
    text = (ROOT / "queries" / "federation" / f"{name}.rq").read_text(encoding="utf-8")
    assert f"SERVICE <{WIKIDATA}>" in text
    return text.replace(WIKIDATA, endpoint)


def test_service_is_refused_by_default() -> None:
    with pytest.raises(QueryRejected, match="SERVICE"):
        check_sparql(f"SELECT * {{ SERVICE <{WIKIDATA}> {{ ?s ?p ?o }} }}", Limits())


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { SERVICE <http://evil.example/sparql> { ?s ?p ?o } }",
        "SELECT * { SERVICE SILENT <http://evil.example/sparql> { ?s ?p ?o } }",
        "SELECT * { SERVICE ?endpoint { ?s ?p ?o } }",
        "PREFIX wd: <https://query.wikidata.org/> SELECT * { SERVICE wd:sparql { ?s ?p ?o } }",
        f"SELECT * {{ SERVICE <{WIKIDATA}> {{ ?s ?p ?o }} SERVICE <http://x.example/> {{ }} }}",
    ],
)
def test_only_listed_endpoints_are_allowed(query: str) -> None:
    limits = Limits(service_endpoints=(WIKIDATA,))
    with pytest.raises(QueryRejected, match="only the configured endpoints"):
        check_sparql(query, limits)


def test_a_listed_endpoint_is_allowed() -> None:
    query = f"SELECT * {{ SERVICE SILENT <{WIKIDATA}> {{ ?s ?p ?o }} }}"
    check_sparql(query, Limits(service_endpoints=(WIKIDATA,)))
    check_sparql(query, Limits(), allowed_services=frozenset({WIKIDATA}))
    with pytest.raises(QueryRejected):
        check_sparql(query, Limits(service_endpoints=(WIKIDATA,)), allowed_services=frozenset())


def test_states_join_with_the_stand_in_endpoint(store: GraphStore, endpoint: str) -> None:
    text = federation_query("states-wikidata", endpoint)
    with pytest.raises(QueryRejected):
        run_query(store, text, Limits())
    result = run_query(store, text, Limits(service_endpoints=(endpoint,)))
    assert isinstance(result, ox.QuerySolutions)
    rows = {row["iso"].value: row["item"].value for row in result}
    assert rows["KAZ"] == f"{WD}Q232"
    assert rows["NOR"] == f"{WD}Q20"
    assert "BGD" not in rows  # no item in the stand-in endpoint: no join


def test_recommending_states_join_through_the_cli(
    tmp_path: Path, endpoint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from hrgraph.build.pipeline import build
    from hrgraph.settings import Settings

    store = tmp_path / "store"
    build(Settings(root=ROOT, store_path=store))
    query = tmp_path / "q.rq"
    query.write_text(federation_query("recommending-states-wikidata", endpoint), encoding="utf-8")
    assert main(["query", str(query), "--store", str(store), "--format", "csv"]) == 2
    assert "SERVICE" in capsys.readouterr().err
    code = main(["query", str(query), "--store", str(store), "--format", "csv",
                 "--allow-service", endpoint])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert f"{WD}Q30" in out  # the United States' recommendations, joined with its item
    assert f"{WD}Q49" in out
