"""The service facing the open web (ARCHITECTURE: security invariants), against a real
``hrgraph serve`` over a small synthetic store: refusals over HTTP with their reasons, no outbound
connection and no local file read from anything a request carries, safe uploads, the error shape
when things break, overload, deadlines, crash recovery and size caps."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from servers import Listener, start_server, stop

from hrgraph.rdf.uploads import UploadRefused, parse_upload
from hrgraph.store.generations import StoreLocation
from hrgraph.store.local import GraphStore

pytestmark = pytest.mark.server

EX = "http://example.org/"
GRAPH = f"{EX}g"
XSD = "http://www.w3.org/2001/XMLSchema#"
ENDLESS = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z FILTER(?x + ?y + ?z = -1) }"
)
"""8 * 10^9 combinations of the 2,000-triple store: runs until the deadline kills it."""
TIMEOUT_S = 1.5
MAX_RESULT_BYTES = 20_000


class FileTrap:
    """A named pipe standing for a local file: opening it for reading, from any process, is
    recorded (the writer's open returns only when a reader has opened the pipe)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.uri = path.as_uri()
        os.mkfifo(path)
        self.opened = threading.Event()
        self._closing = False
        self._thread = threading.Thread(target=self._wait, daemon=True)
        self._thread.start()

    def _wait(self) -> None:
        descriptor = os.open(self.path, os.O_WRONLY)  # blocks until someone opens it to read
        if not self._closing:
            self.opened.set()
        os.close(descriptor)

    def close(self) -> None:
        self._closing = True
        descriptor = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)  # releases the writer
        self._thread.join(2)
        os.close(descriptor)


class Server:
    def __init__(self, url: str, process: subprocess.Popen[bytes], store: Path) -> None:
        self.url, self.process, self.store = url, process, store

    def get(self, query: str, **params: str) -> httpx.Response:
        return httpx.get(f"{self.url}/sparql", params={"query": query, **params}, timeout=30)

    def worker_pids(self) -> list[int]:
        """The server's query workers: its children started by multiprocessing's spawn."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                cmdline = stat.with_name("cmdline").read_bytes()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid and b"spawn_main" in cmdline:
                pids.append(int(stat.parent.name))
        return pids

    def wait_for_workers(self, count: int) -> list[int]:
        deadline = time.monotonic() + 10
        while len(pids := self.worker_pids()) != count and time.monotonic() < deadline:
            time.sleep(0.05)
        return pids


def make_store(path: Path) -> None:
    location = StoreLocation(path)
    generation = location.new_generation()
    store = GraphStore.create(generation)
    store.add_triples(
        ox.NamedNode(GRAPH),
        [
            ox.Triple(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(f"{EX}p"), ox.Literal(i))
            for i in range(2000)
        ],
    )
    store.flush()
    store.close()
    location.publish(generation)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, project_root: Path) -> Iterator[Server]:
    store = tmp_path_factory.mktemp("security") / "store"
    make_store(store)
    # Without the answer cache: these tests send the same queries to a busy or crashed worker,
    # and a cached answer would need no worker at all (tests/test_answer_cache.py).
    url, process = start_server(
        project_root, store, "--workers", "1", "--queue", "1",
        "--query-timeout", str(TIMEOUT_S), "--max-result-mb", str(MAX_RESULT_BYTES / 1e6),
        "--answer-cache-mb", "0", startup_s=30,
    )  # fmt: skip
    yield Server(url, process, store)
    stop(process)


@pytest.fixture
def listener() -> Iterator[Listener]:
    listening = Listener()
    yield listening
    listening.close()


@pytest.fixture
def trap(tmp_path: Path) -> Iterator[FileTrap]:
    fifo = FileTrap(tmp_path / "secret.ttl")
    yield fifo
    fifo.close()


def assert_error_shape(
    response: httpx.Response, status: int, *fragments: str, echoed: str = "\0"
) -> None:
    """The documented error body, with no stack trace and no local path (other than one the
    request itself sent, ``echoed``)."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"status", "error", "message"}
    assert body["status"] == status
    for fragment in fragments:
        assert fragment in body["message"]
    text = response.text.replace(echoed, "")
    assert "Traceback" not in text
    assert "/tmp" not in text
    assert "/work" not in text
    assert str(Path.home()) not in text


# --- refusals, outbound connections and local files ----------------------------------------------


@pytest.mark.parametrize(
    ("template", "reason"),
    [
        ("SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }", "SERVICE (federated query) is refused"),
        ("SELECT * WHERE { SERVICE SILENT <{url}> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * FROM <{url}> WHERE { ?s ?p ?o }", "FROM <{url}> is refused"),
        ("SELECT * FROM NAMED <{url}> WHERE { GRAPH ?g { ?s ?p ?o } }", "FROM <{url}> is refused"),
        ("LOAD <{url}>", "LOAD is refused"),
        ("LOAD <{url}> INTO GRAPH <http://example.org/g>", "LOAD is refused"),
        ("INSERT { ?s ?p ?o } USING <{url}> WHERE { ?s ?p ?o }", "refused"),
    ],
)
@pytest.mark.parametrize("target", ["listener", "file"])
def test_outbound_and_file_access_is_refused_with_a_reason(
    server: Server,
    listener: Listener,
    trap: FileTrap,
    template: str,
    reason: str,
    target: str,
) -> None:
    url = listener.url if target == "listener" else trap.uri
    query = template.replace("{url}", url)
    responses = [
        server.get(query),
        httpx.post(f"{server.url}/sparql", data={"query": query}, timeout=30),
        httpx.post(f"{server.url}/sparql", data={"update": query}, timeout=30),
    ]
    for response in responses:
        assert 400 <= response.status_code < 500, response.text
        assert "Traceback" not in response.text
    if not template.startswith(("LOAD", "INSERT")):
        assert_error_shape(responses[0], 400, reason.replace("{url}", url), echoed=url)
    time.sleep(0.2)
    assert listener.connections == []
    assert not trap.opened.is_set()


def test_dataset_parameters_naming_urls_or_files_fetch_nothing(
    server: Server, listener: Listener, trap: FileTrap
) -> None:
    for iri in (listener.url, trap.uri, "file:///etc/passwd"):
        for parameter in ("default-graph-uri", "named-graph-uri"):
            response = server.get("SELECT * WHERE { ?s ?p ?o }", **{parameter: iri})
            assert response.status_code in {200, 400}
            assert "root:" not in response.text
    assert_error_shape(server.get("SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }"), 400, "FROM")
    time.sleep(0.2)
    assert listener.connections == []
    assert not trap.opened.is_set()


def test_iri_functions_on_urls_do_not_dereference(
    server: Server, listener: Listener, trap: FileTrap
) -> None:
    query = (
        f"SELECT * WHERE {{ VALUES ?u {{ <{listener.url}> <{trap.uri}> }} "
        "BIND(IRI(STR(?u)) AS ?i) OPTIONAL { ?i ?p ?o } }"
    )
    assert server.get(query).status_code == 200
    time.sleep(0.2)
    assert listener.connections == []
    assert not trap.opened.is_set()


# --- uploads --------------------------------------------------------------------------------------


def test_uploads_fetch_no_context_and_read_no_entity(listener: Listener, trap: FileTrap) -> None:
    hostile = [
        (
            json.dumps({"@context": listener.url, "@id": f"{EX}s", "name": "x"}),
            "application/ld+json",
            400,
            "remote JSON-LD context",
        ),
        (
            json.dumps({"@context": {"@import": trap.uri}, "@id": f"{EX}s", "name": "x"}),
            "application/ld+json",
            400,
            "remote JSON-LD context",
        ),
        (
            json.dumps({"@context": [{"ex": EX}, listener.url], "@id": "ex:s", "ex:p": 1}),
            "application/ld+json",
            400,
            "put the context inline",
        ),
        (
            f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY e SYSTEM "{listener.url}">]>\n'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">&e;</rdf:RDF>',
            "application/rdf+xml",
            415,
            "RDF/XML uploads are refused",
        ),
        (
            f'<?xml version="1.0"?>\n<!DOCTYPE r SYSTEM "{trap.uri}">\n<r/>',
            "text/turtle",
            415,
            "holds a DTD",
        ),
        (
            f'<!DOCTYPE r [<!ENTITY e SYSTEM "{trap.uri}">]>\n<{EX}s> <{EX}p> "&e;" .',
            "application/n-triples",
            415,
            "holds a DTD",
        ),
    ]
    for body, media_type, status, message in hostile:
        with pytest.raises(UploadRefused, match=message) as raised:
            parse_upload(body.encode(), media_type, 100_000)
        assert raised.value.status == status
    time.sleep(0.2)
    assert listener.connections == []
    assert not trap.opened.is_set()


def test_hostile_uploads_over_http_fetch_and_read_nothing(
    server: Server, listener: Listener, trap: FileTrap
) -> None:
    hostile = [
        (json.dumps({"@context": listener.url, "@id": f"{EX}s"}), "application/ld+json", 400),
        (json.dumps({"@context": {"@import": trap.uri}, "@id": f"{EX}s"}), "application/ld+json",
         400),
        (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "{trap.uri}">]>'
         '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">&e;</rdf:RDF>',
         "application/rdf+xml", 415),
        (f'<!DOCTYPE r SYSTEM "{listener.url}">\n<{EX}s> <{EX}p> "o" .', "text/turtle", 415),
        (f"@prefix owl: <http://www.w3.org/2002/07/owl#> .\n<{EX}o> owl:imports <{listener.url}>"
         f", <{trap.uri}> .", "text/turtle", 200),
    ]  # fmt: skip
    for body, media_type, status in hostile:
        response = httpx.post(
            f"{server.url}/api/validate",
            content=body.encode(),
            headers={"content-type": media_type},
            timeout=60,
        )
        assert response.status_code == status, response.text
        if status != 200:
            assert_error_shape(response, status, echoed=trap.uri)
    time.sleep(0.2)
    assert listener.connections == []
    assert not trap.opened.is_set()


@pytest.mark.parametrize(
    ("body", "media_type"),
    [
        (f'@prefix ex: <{EX}> .\nex:s ex:p "o", 2 .', "text/turtle"),
        (f'<{EX}s> <{EX}p> "o" .\n<{EX}s> <{EX}p> "2"^^<{XSD}integer> .',
         "application/n-triples; charset=utf-8"),
        (json.dumps({"@context": {"ex": EX, "p": {"@id": f"{EX}p"}}, "@id": "ex:s",
                     "p": ["o", 2]}), "application/ld+json"),
    ],
)  # fmt: skip
def test_uploads_in_accepted_formats_give_their_triples(body: str, media_type: str) -> None:
    triples = parse_upload(body.encode(), media_type, 10_000)
    assert {(t.subject.value, t.predicate.value, t.object.value) for t in triples} == {
        (f"{EX}s", f"{EX}p", "o"),
        (f"{EX}s", f"{EX}p", "2"),
    }


@pytest.mark.parametrize(
    ("body", "media_type", "status", "message"),
    [
        (b"<a> <b> <c> ." * 100, "text/turtle", 413, "the most accepted is 1000"),
        (b"<x/>", "application/xml", 415, "XML uploads are refused"),
        (b"s,p,o", "text/csv", 415, "uploads in text/csv are not accepted"),
        (b"", "", 415, "an unnamed type"),
        (b"<http://e/s> <http://e/p> \xff .", "text/turtle", 400, "not UTF-8"),
        (b"<http://e/s> <http://e/p> .", "text/turtle", 400, "does not parse as text/turtle"),
        (b'<s> <http://e/p> "o" .', "application/n-triples", 400, "does not parse"),
    ],
)
def test_uploads_refused_say_why(body: bytes, media_type: str, status: int, message: str) -> None:
    with pytest.raises(UploadRefused, match=message) as raised:
        parse_upload(body, media_type, 1000)
    assert raised.value.status == status
    assert isinstance(raised.value, ValueError)


# --- limits on requests and results ---------------------------------------------------------------


def test_oversized_and_over_nested_queries_are_refused(server: Server) -> None:
    def posted(query: str) -> httpx.Response:
        return httpx.post(
            f"{server.url}/sparql",
            content=query,
            headers={"content-type": "application/sparql-query"},
            timeout=30,
        )

    big = "ASK { ?s ?p " + " ".join(f'"{i}"' for i in range(30_000)) + " }"
    assert_error_shape(posted(big), 413, "the limit is 100000")
    nested = "SELECT * WHERE " + "{ " * 5000 + "}" * 5000  # would crash the engine
    # in a body: in a GET's URL its 30 kB would exceed the 16 kB bound on a request's head
    assert_error_shape(posted(nested), 400, "nests 5000 levels deep")
    assert server.get("ASK {}").status_code == 200


def test_request_bodies_over_the_limit_are_refused_before_reading(server: Server) -> None:
    port = int(server.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/sparql-query"
            b"\r\nContent-Length: 50000000000\r\n\r\nASK {}"
        )
        reply = b""
        while chunk := connection.recv(65536):
            reply += chunk
    head, _, body = reply.decode().partition("\r\n\r\n")
    assert head.startswith("HTTP/1.1 413")
    assert json.loads(body)["message"].startswith("the request body is over")

    def chunks() -> Iterator[bytes]:
        for _ in range(12):
            yield b"#" * 1_000_000

    streamed = httpx.post(
        f"{server.url}/sparql",
        content=chunks(),
        headers={"content-type": "application/sparql-query"},
        timeout=30,
    )
    assert_error_shape(streamed, 413, "the request body is over")


def test_result_size_cap_is_signalled_never_truncated(server: Server) -> None:
    response = server.get("SELECT * WHERE { ?s ?p ?o }")
    assert_error_shape(response, 413, f"larger than {MAX_RESULT_BYTES} bytes", "nothing")
    limited = server.get("SELECT * WHERE { ?s ?p ?o } LIMIT 10")
    assert limited.status_code == 200
    assert len(limited.json()["results"]["bindings"]) == 10


def test_deadline_answers_503_and_the_service_goes_on(server: Server) -> None:
    started = time.monotonic()
    response = server.get(ENDLESS)
    assert TIMEOUT_S <= time.monotonic() - started < TIMEOUT_S + 3
    assert_error_shape(response, 503, f"deadline of {TIMEOUT_S:g} s")
    assert server.get("ASK { ?s ?p 5 }").json()["boolean"] is True


def test_overload_answers_503_with_retry_after_then_recovers(server: Server) -> None:
    def attempt(_: int) -> httpx.Response:
        return server.get(ENDLESS)

    with ThreadPoolExecutor(5) as threads:
        responses = list(threads.map(attempt, range(5)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [503] * 5  # one ran and one waited, both to the deadline; three refused
    refused = [r for r in responses if "busy" in r.json()["message"]]
    assert len(refused) == 3
    for response in refused:
        assert_error_shape(response, 503, "the service is busy")
        assert int(response.headers["retry-after"]) >= 1
    assert server.get("ASK { ?s ?p 5 }").json()["boolean"] is True


# --- internal failures: the service survives, the error says nothing of its insides -------------


def test_a_worker_killed_mid_query_is_replaced_and_the_error_is_clean(server: Server) -> None:
    (pid,) = server.wait_for_workers(1)
    threading.Timer(0.4, os.kill, (pid, signal.SIGSEGV)).start()
    response = server.get(ENDLESS)
    assert_error_shape(response, 500, "the worker crashed")
    assert server.get("ASK { ?s ?p 5 }").json()["boolean"] is True
    assert server.wait_for_workers(1) != [pid]


def test_a_worker_killed_while_idle_costs_no_request(server: Server) -> None:
    for pid in server.wait_for_workers(1):
        os.kill(pid, signal.SIGKILL)
    for _ in range(3):
        assert server.get("ASK { ?s ?p 5 }").json()["boolean"] is True


def test_store_removed_under_the_server_gives_a_clean_error(server: Server) -> None:
    moved = server.store.with_name("store-moved")
    server.store.rename(moved)
    try:
        response = server.get("ASK { ?s ?p 5 }")
        assert 500 <= response.status_code < 600
        assert_error_shape(response, response.status_code)
        health = httpx.get(f"{server.url}/health", timeout=10)
        assert health.status_code >= 500
        assert_error_shape(health, health.status_code)
    finally:
        moved.rename(server.store)
    assert server.get("ASK { ?s ?p 5 }").json()["boolean"] is True


def test_the_server_survived_everything(server: Server) -> None:
    assert server.process.poll() is None
    assert httpx.get(f"{server.url}/health", timeout=10).json()["status"] == "ok"
    assert len(server.wait_for_workers(1)) == 1
