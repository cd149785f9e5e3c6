"""hrgraph over an external triple store: a real Oxigraph server (the ``oxigraph`` package's
binary) started and stopped by these tests; build into it, query it through the CLI and the
service, and a push interrupted half-way leaves the previous data visible."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import httpx
import pytest
from conftest import load_script
from servers import free_port, refuses_service_and_serves_pages, serving, store_with

from hrgraph.cli.main import main
from hrgraph.query.execution import (
    Overloaded,
    QueryFailed,
    QueryRequest,
    QuerySyntaxError,
    run_query,
)
from hrgraph.query.remote import RemoteExecutor
from hrgraph.rdf.results import serialize
from hrgraph.rdf.vocab import BUILD_GRAPH
from hrgraph.settings import Limits, Service, Settings
from hrgraph.sparql.querycheck import QueryRejected
from hrgraph.store.local import GraphStore
from hrgraph.store.remote import (
    MANIFEST_GRAPH,
    STAGING_PREFIX,
    Credentials,
    RemoteStore,
    RemoteStoreError,
)
from hrgraph.validation.dataset import CUT_PROPERTIES, REPORT_PROPERTIES, needed_predicates
from hrgraph.validation.shaclsparql import compile_shapes
from hrgraph.validation.shapes import default_shape_files, load_shapes
from hrgraph.validation.validate import validate

pytestmark = pytest.mark.server

OXIGRAPH = Path(sys.executable).with_name("oxigraph")
COUNT = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
PROCESSES: dict[str, subprocess.Popen[bytes]] = {}
"""The running Oxigraph servers, by URL."""


@contextmanager
def oxigraph_server(location: Path | None = None) -> Iterator[str]:
    """``oxigraph serve`` on a free loopback port (in memory unless ``location``)."""
    if not OXIGRAPH.exists():
        pytest.fail(
            f"the oxigraph server binary is missing at {OXIGRAPH}: it comes with the dev extras"
            " (make test installs them; or pip install oxigraph)"
        )
    port = free_port()
    options = ["--location", str(location)] if location is not None else []
    process = subprocess.Popen(
        [str(OXIGRAPH), "serve", *options, "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    PROCESSES[url] = process
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(f"{url}/query", params={"query": "ASK {}"}, timeout=1).is_success:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, "the oxigraph server stopped"
            assert time.monotonic() < deadline, "the oxigraph server did not start"
            time.sleep(0.05)
        yield url
    finally:
        PROCESSES.pop(url, None)
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def remote_url(tmp_path_factory: pytest.TempPathFactory, project_root: Path) -> Iterator[str]:
    """An Oxigraph server the project was built into with ``hrgraph build --store URL``."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph") / "db") as url:
        assert main(["--root", str(project_root), "build", "--store", url, "--quiet"]) == 0
        yield url


def _rows(csv: bytes) -> list[str]:
    """The CSV's rows, sorted, each cell that lists IRIs (a GROUP_CONCAT: ``sources``) in a
    fixed order, which SPARQL leaves open."""
    rows = []
    for line in csv.decode("utf-8").splitlines()[1:]:
        cells = [
            " ".join(sorted(cell.split(" "))) if cell.startswith("http") else cell
            for cell in line.split(",")
        ]
        rows.append(",".join(cells))
    return sorted(rows)


def test_cli_query_answers_as_the_embedded_store(
    remote_url: str,
    store: GraphStore,
    project_root: Path,
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    capsysbinary.readouterr()
    assert main(["--root", str(project_root), "query", "--store", remote_url, "-n",
                 "class-counts", "-f", "csv"]) == 0  # fmt: skip
    remote = capsysbinary.readouterr().out
    text = (project_root / "queries" / "class-counts.rq").read_text(encoding="utf-8")
    local = serialize(run_query(store, text, Limits()), "csv")
    assert _rows(remote) == _rows(local)
    assert len(_rows(remote)) > 5
    assert main(["query", "--store", remote_url, "-e", COUNT]) == 0
    table = capsysbinary.readouterr().out.decode()
    assert str(next(iter(run_query(store, COUNT, Limits())))["n"].value) in table  # type: ignore[index,arg-type,union-attr]


def test_from_in_the_query_defines_the_dataset_over_the_remote_store(
    remote_url: str, store: GraphStore, project_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    laws = "https://w3id.org/hrgraph/graph/data/kaz-laws"
    query = f"SELECT (COUNT(*) AS ?n) FROM <{laws}> WHERE {{ ?s ?p ?o }}"
    capsys.readouterr()
    assert main(["query", "--store", remote_url, "-e", query, "-f", "csv"]) == 0
    remote = int(capsys.readouterr().out.splitlines()[1])
    local = next(iter(run_query(store, query, Limits())))["n"].value  # type: ignore[index,arg-type,union-attr]
    assert remote == int(local) > 100


def test_the_same_refusals_as_locally(remote_url: str) -> None:
    executor = RemoteExecutor(RemoteStore.from_url(remote_url, {}), Limits())
    with pytest.raises(QueryRejected, match="SERVICE"):
        executor.run(
            QueryRequest("SELECT * { SERVICE <http://example.org/> { ?s ?p ?o } }", "json")
        )
    with pytest.raises(QueryRejected, match="FROM"):
        executor.run(QueryRequest("SELECT * FROM <http://example.org/g> { ?s ?p ?o }", "json"))
    with pytest.raises(QueryRejected, match="nests"):
        executor.run(QueryRequest("SELECT * {" + "{" * 200 + "}" * 200 + "}", "json"))
    with pytest.raises(QuerySyntaxError):
        executor.run(QueryRequest("SELECT * { ?s ?p }", "json"))


def test_an_unchanged_build_uploads_nothing_but_the_build_record(
    remote_url: str, built: tuple[object, GraphStore]
) -> None:
    remote = RemoteStore.from_url(remote_url, {})
    report = remote.push(built[1])
    # The build record holds the build's time (to the second): it alone may change.
    assert set(report.uploaded) <= {"https://w3id.org/hrgraph/graph/build"}
    assert len(report.unchanged) + len(report.uploaded) == len(built[1].named_graphs())


def test_serve_over_the_remote_store(
    remote_url: str, store: GraphStore, project_root: Path
) -> None:
    with serving(project_root, remote_url, "--workers", "2") as url:  # type: ignore[arg-type]
        named = httpx.get(f"{url}/api/queries/class-counts", headers={"accept": "text/csv"})
        assert named.status_code == 200, named.text
        text = (project_root / "queries" / "class-counts.rq").read_text(encoding="utf-8")
        assert _rows(named.content) == _rows(serialize(run_query(store, text, Limits()), "csv"))
        sparql = httpx.post(f"{url}/sparql", data={"query": COUNT}, headers={"accept": "text/csv"})
        assert sparql.status_code == 200
        assert sparql.content == serialize(run_query(store, COUNT, Limits()), "csv")
        refuses_service_and_serves_pages(url)


class RefuseThirdPut(httpx.HTTPTransport):
    def __init__(self) -> None:
        super().__init__()
        self.puts = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "PUT":
            self.puts += 1
            if self.puts == 3:
                return httpx.Response(503, text="disk full")
        return super().handle_request(request)


def _values(url: str) -> list[str]:
    executor = RemoteExecutor(RemoteStore.from_url(url, {}), Limits())
    body = executor.run(QueryRequest("SELECT ?o { ?s ?p ?o }", "csv")).body
    return _rows(body)


def _all_graphs(url: str) -> list[str]:
    query = "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }"
    response = httpx.post(f"{url}/query", data={"query": query}, headers={"accept": "text/csv"})
    return _rows(response.content)


def test_a_push_refused_half_way_leaves_the_previous_data_visible() -> None:
    with oxigraph_server() as url:
        empty = RemoteExecutor(RemoteStore.from_url(url, {}), Limits())
        with pytest.raises(QueryFailed, match="no hrgraph dataset") as caught:
            empty.run(QueryRequest(COUNT, "json"))
        assert caught.value.status == 503
        RemoteStore.from_url(url, {}).push(store_with("old"))
        assert _values(url) == ["old"] * 4
        failing = RemoteStore.from_url(url, {}, transport=RefuseThirdPut())
        with pytest.raises(RemoteStoreError, match="503"):
            failing.push(store_with("new"))
        assert _values(url) == ["old"] * 4
        assert not [g for g in _all_graphs(url) if g.startswith(STAGING_PREFIX)]
        RemoteStore.from_url(url, {}).push(store_with("new", graphs=3))
        assert _values(url) == ["new"] * 3
        assert _all_graphs(url) == sorted(
            [MANIFEST_GRAPH, *(f"https://example.org/graph/{n}" for n in range(3))]
        )


def test_a_server_stopped_mid_push_keeps_the_previous_data(tmp_path: Path) -> None:
    location = tmp_path / "db"
    with oxigraph_server(location) as url:
        RemoteStore.from_url(url, {}).push(store_with("old"))
        process = PROCESSES[url]

        class StopServer(httpx.HTTPTransport):
            puts = 0

            def handle_request(self, request: httpx.Request) -> httpx.Response:
                if request.method == "PUT":
                    StopServer.puts += 1
                    if StopServer.puts == 3:
                        process.kill()
                        process.wait()
                return super().handle_request(request)

        with pytest.raises(RemoteStoreError, match="cannot be reached"):
            RemoteStore.from_url(url, {}, transport=StopServer()).push(store_with("new"))
    with oxigraph_server(location) as url:
        assert _values(url) == ["old"] * 4


def test_credentials_come_from_the_environment_and_never_show(tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text("s3cret-token\n", encoding="utf-8")
    credentials = Credentials.from_environment({"HRGRAPH_REMOTE_TOKEN_FILE": str(token_file)})
    assert credentials.token == "s3cret-token"
    assert "s3cret" not in repr(credentials)

    def echo(request: httpx.Request) -> httpx.Response:
        return httpx.Response(500, text=f"denied for {request.headers['authorization']}")

    remote = RemoteStore.from_url(
        "http://store.invalid",
        {"HRGRAPH_REMOTE_USER": "alice", "HRGRAPH_REMOTE_PASSWORD": "pa55word",
         "HRGRAPH_REMOTE_TOKEN": "s3cret-token"},
        transport=httpx.MockTransport(echo),
    )  # fmt: skip
    with pytest.raises(RemoteStoreError) as caught:
        remote.manifest()
    assert "s3cret-token" not in str(caught.value)
    assert "***" in str(caught.value)


def test_validate_over_the_remote_store_fetches_only_what_the_shapes_read(
    remote_url: str, project_root: Path, store: GraphStore, capsys: pytest.CaptureFixture[str]
) -> None:
    """`hrgraph validate --store URL` finds exactly what validating the files finds, from the
    statements of the properties the shapes, the cut to a day and the report read."""
    local = validate(Settings(root=project_root), as_of=date(2015, 1, 1))
    remote = validate(Settings(root=project_root, remote_store=remote_url), as_of=date(2015, 1, 1))
    assert remote.findings == local.findings
    assert remote.met == local.met
    table = load_script("legal-table.py").read_table()  # the legal table's rows for that day
    assert len(remote.findings) == sum(
        1 for row in table if row["as_of"] == "2015-01-01" and row["outcome"] != "met"
    )
    assert remote.engine == local.engine == "SPARQL on the Oxigraph store"
    shapes = load_shapes(default_shape_files(Settings(root=project_root)))
    needed = needed_predicates(compile_shapes(shapes))
    assert needed is not None
    properties = needed | REPORT_PROPERTIES | CUT_PROPERTIES
    graphs = [g for g in store.named_graphs() if g.value != BUILD_GRAPH.value]
    fetched = int(remote.basis.split("(")[1].split()[0])
    assert remote.basis == (
        f"the remote store ({fetched} statements of {len(properties)} "
        f"properties the shapes read, from {len(graphs)} graphs)"
    )
    everything = sum(1 for quad in store.quads() if quad.graph_name in graphs)
    expected = sum(
        1
        for quad in store.quads()
        if quad.graph_name in graphs and quad.predicate.value in properties
    )
    assert fetched == expected < everything
    assert main(["--root", str(project_root), "validate", "--store", remote_url,
                 "--as-of", "2015-01-01", "--format", "json"]) == 1  # fmt: skip
    body = json.loads(capsys.readouterr().out)
    assert body["counts"] == local.counts()
    assert body["validated"] == remote.basis


def test_validate_over_a_remote_store_with_nothing_pushed_exits_2(
    project_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with oxigraph_server() as url:
        assert main(["--root", str(project_root), "validate", "--store", url]) == 2
    assert (
        f"no hrgraph dataset at {url}: run `hrgraph build --store URL`" in capsys.readouterr().err
    )


def test_the_store_option_takes_no_url_where_unsupported(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["export", "--store", "http://127.0.0.1:1/"])
    assert "build, query, serve and validate only" in capsys.readouterr().err


def test_queries_beyond_the_connections_and_queue_are_refused_with_503() -> None:
    manifest = {"results": {"bindings": [{"g": {"value": "https://example.org/g"},
                                          "c": {"value": "sha256:0"}}]}}  # fmt: skip
    started = threading.Event()

    def slow_store(request: httpx.Request) -> httpx.Response:
        if b"remote-manifest" in request.content:
            return httpx.Response(200, json=manifest)
        started.set()
        time.sleep(0.5)
        return httpx.Response(200, json={"head": {}, "boolean": True})

    transport = httpx.MockTransport(slow_store)
    remote = RemoteStore.from_url("http://store.invalid", {}, transport=transport)
    executor = RemoteExecutor(remote, Limits(), Service(workers=1, queue_size=0))
    first = threading.Thread(target=executor.run, args=(QueryRequest("ASK {}", "json"),))
    first.start()
    assert started.wait(5)
    with pytest.raises(Overloaded):
        executor.run(QueryRequest("ASK {}", "json"))
    first.join()
    assert b"true" in executor.run(QueryRequest("ASK {}", "json")).body


def test_serve_refuses_writes_over_a_remote_store(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HRGRAPH_WRITE_TOKEN", "t0ken")
    assert main(["serve", "--store", "http://127.0.0.1:1/"]) == 2
    assert "not supported over a remote store" in capsys.readouterr().err


def test_digest_auth_from_the_environment_answers_the_challenge() -> None:
    """``$HRGRAPH_REMOTE_AUTH=digest`` (Virtuoso's /sparql-auth): the password never travels,
    only the digest computed from the store's challenge."""
    seen: list[str] = []

    def digest_store(request: httpx.Request) -> httpx.Response:
        authorization = request.headers.get("authorization")
        seen.append(authorization or "")
        if authorization is None:
            challenge = 'Digest realm="SPARQL", nonce="abc123", qop="auth", opaque="xyz"'
            return httpx.Response(401, headers={"WWW-Authenticate": challenge})
        return httpx.Response(200, json={"head": {"vars": ["g", "c"]},
                                         "results": {"bindings": []}})  # fmt: skip

    env = {"HRGRAPH_REMOTE_AUTH": "Digest", "HRGRAPH_REMOTE_USER": "dba",
           "HRGRAPH_REMOTE_PASSWORD": "pa55word"}  # fmt: skip
    remote = RemoteStore.from_url(
        "http://store.invalid", env, transport=httpx.MockTransport(digest_store)
    )
    assert remote.credentials.scheme == "digest"
    assert remote.manifest() == {}
    assert seen[0] == ""
    assert seen[1].startswith('Digest username="dba", realm="SPARQL", nonce="abc123"')
    assert "pa55word" not in seen[1]
    assert "pa55word" not in repr(remote.credentials)
    with pytest.raises(RemoteStoreError, match=r"HRGRAPH_REMOTE_AUTH must be one of basic, digest"):
        Credentials.from_environment({"HRGRAPH_REMOTE_AUTH": "ntlm"})


def test_answers_are_written_by_hrgraph_whatever_the_store_wrote() -> None:
    """Virtuoso's SPARQL JSON (typed-literal, nodeID:// blank nodes, booleans as 1, ASK as a
    SELECT of __ASK_RETVAL) and a result the store cut short."""
    manifest = {"results": {"bindings": [{"g": {"value": "https://example.org/g"},
                                          "c": {"value": "sha256:0"}}]}}  # fmt: skip
    xsd = "http://www.w3.org/2001/XMLSchema#"
    select = {"head": {"link": [], "vars": ["b", "o"]}, "results": {"bindings": [
        {"b": {"type": "bnode", "value": "nodeID://b10000"},
         "o": {"type": "typed-literal", "datatype": xsd + "boolean", "value": "1"}},
        {"b": {"type": "bnode", "value": "nodeID://b10000"},
         "o": {"type": "literal", "xml:lang": "kk", "value": "құқық"}}]}}  # fmt: skip
    one = {"type": "typed-literal", "datatype": xsd + "integer", "value": "1"}
    ask = {"head": {"link": [], "vars": ["__ASK_RETVAL"]},
           "results": {"bindings": [{"__ASK_RETVAL": one}]}}  # fmt: skip

    def virtuoso_like(request: httpx.Request) -> httpx.Response:
        if b"remote-manifest" in request.content:
            return httpx.Response(200, json=manifest)
        if b"ASK" in request.content:
            return httpx.Response(200, json=ask)
        if b"LIMIT" in request.content:
            return httpx.Response(200, json=select, headers={"X-SPARQL-MaxRows": "10000"})
        return httpx.Response(200, json=select)

    remote = RemoteStore.from_url(
        "http://store.invalid", {}, transport=httpx.MockTransport(virtuoso_like)
    )
    executor = RemoteExecutor(remote, Limits())
    csv_text = executor.run(QueryRequest("SELECT ?b ?o { ?b ?p ?o }", "csv")).body.decode()
    lines = csv_text.splitlines()
    assert lines[0] == "b,o"
    assert lines[1].endswith(",true")
    assert lines[2].endswith(",құқық")
    assert lines[1].split(",")[0] == lines[2].split(",")[0]  # one blank node, a valid label
    assert lines[1].startswith("_:b")
    assert (
        executor.run(QueryRequest("ASK { ?s ?p ?o }", "json")).body == b'{"head":{},"boolean":true}'
    )
    with pytest.raises(QueryFailed, match="cut the result at 10000 rows") as caught:
        executor.run(QueryRequest("SELECT * { ?s ?p ?o } LIMIT 20000", "json"))
    assert caught.value.status == 502
