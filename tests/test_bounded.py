"""Bounded work over HTTP, against a real uvicorn server (``hrgraph serve``) with small limits:
validation in a killable process with a deadline and an admission limit, work cancelled when
its client disconnects, a bounded wait in the queue, answers to slow readers holding their
place until dropped, deadlines for slow headers and bodies, a 413 that Python's urllib reads,
and no Host header reflected into what the service publishes."""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from servers import build_project_copy, start_server, stop

pytestmark = pytest.mark.server

PUBLIC = "https://hrgraph.example.org/"
FORGED = "evil.example"
HRG = "https://w3id.org/hrgraph/ontology#"
ENDLESS = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z FILTER(?x + ?y + ?z = -1) }"
)
BIG = "SELECT * WHERE { ?s ?p ?o . VALUES ?x { 1 2 3 } }"
"""An answer of about 20 MB: far more than the sockets' buffers hold."""
QUEUE_TIMEOUT_S = 2
VALIDATION_TIMEOUT_S = 3
HEADER_TIMEOUT_S = 2
BODY_TIMEOUT_S = 3
SEND_TIMEOUT_S = 4


@dataclass
class Server:
    url: str
    port: int

    def ask(self) -> httpx.Response:
        return httpx.get(f"{self.url}/sparql", params={"query": "ASK {}"}, timeout=30)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, project_root: Path) -> Iterator[Server]:
    project, store = build_project_copy(
        tmp_path_factory.mktemp("bounded"), project_root, world=False
    )
    # Without the answer cache: these tests hold the one worker and queue place with repeated
    # queries, which a cached answer would not need (tests/test_answer_cache.py).
    url, process = start_server(
        project, store, "--workers", "1", "--queue", "1", "--query-timeout", "30",
        "--answer-cache-mb", "0",
        "--queue-timeout", str(QUEUE_TIMEOUT_S), "--validation-workers", "1",
        "--validation-queue", "1", "--validation-timeout", str(VALIDATION_TIMEOUT_S),
        "--header-timeout", str(HEADER_TIMEOUT_S), "--body-timeout", str(BODY_TIMEOUT_S),
        "--send-timeout", str(SEND_TIMEOUT_S), "--public-base", PUBLIC,
    )  # fmt: skip
    yield Server(url, int(url.rsplit(":", 1)[1]))
    stop(process)


def slow_upload(count: int = 15_000) -> bytes:
    """N-Triples that take the validator far longer than its deadline (about 4 MB)."""
    lines = []
    for i in range(count):
        node = f"<http://example.org/nhri{i}>"
        lines.append(f"{node} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                     f"<{HRG}NationalHumanRightsInstitution> .")  # fmt: skip
        lines.append(f'{node} <http://www.w3.org/2000/01/rdf-schema#label> "NHRI {i}"@en .')
    return "\n".join(lines).encode()


def open_request(server: Server, head: str, body: bytes = b"") -> socket.socket:
    connection = socket.create_connection(("127.0.0.1", server.port), timeout=30)
    connection.sendall(head.encode() + body)
    return connection


def get_head(path: str, query: dict[str, str]) -> str:
    return f"GET {path}?{urllib.parse.urlencode(query)} HTTP/1.1\r\nHost: localhost\r\n\r\n"


def read_all(connection: socket.socket, limit_s: float) -> tuple[bytes, float]:
    """Everything the server sends until it closes, and when it closed (bounded wait)."""
    started = time.monotonic()
    connection.settimeout(limit_s)
    received = b""
    try:
        while chunk := connection.recv(65536):
            received += chunk
    except ConnectionResetError:
        pass
    return received, time.monotonic() - started


def until_ok(server: Server, limit_s: float) -> float:
    """Seconds until a cheap query is answered 200 (at most ``limit_s``)."""
    started = time.monotonic()
    while time.monotonic() - started < limit_s:
        if server.ask().status_code == 200:
            return time.monotonic() - started
        time.sleep(0.2)
    raise AssertionError(f"no answer within {limit_s} s")


# --- validation in a process: deadline, admission, disconnects ---------------------------------


def test_validation_answers_as_before_from_its_process(server: Server) -> None:
    response = httpx.get(
        f"{server.url}/api/validate",
        params={"shapes": "paris-principles", "as_of": "2015-06-01"},
        timeout=60,
    )
    assert response.status_code == 200
    assert response.json()["asOf"] == "2015-06-01"
    turtle = httpx.post(
        f"{server.url}/api/validate",
        content=f"<http://example.org/n> a <{HRG}NationalHumanRightsInstitution> .",
        headers={"content-type": "text/turtle", "accept": "text/turtle"},
        timeout=60,
    )
    assert turtle.status_code == 200
    assert turtle.headers["content-type"] == "text/turtle; charset=utf-8"
    refused = httpx.post(
        f"{server.url}/api/validate",
        content=b"<x/>",
        headers={"content-type": "application/rdf+xml"},
        timeout=60,
    )
    assert refused.status_code == 415
    assert refused.json()["message"].startswith("RDF/XML uploads are refused")
    page = httpx.get(f"{server.url}/report", params={"as_of": "2015-06-01"}, timeout=60)
    assert page.status_code == 200
    assert "Validation report as of 2015-06-01" in page.text


def test_validation_past_its_deadline_is_killed_and_over_admission_is_503(
    server: Server,
) -> None:
    body = slow_upload()

    def upload(delay: float) -> httpx.Response:
        time.sleep(delay)
        return httpx.post(
            f"{server.url}/api/validate",
            content=body,
            headers={"content-type": "application/n-triples"},
            timeout=60,
        )

    with ThreadPoolExecutor(3) as threads:
        running, queued, refused = threads.map(upload, [0, 0.5, 1.0])
    assert running.status_code == 503
    assert running.json()["message"].startswith(
        f"the validation ran past the deadline of {VALIDATION_TIMEOUT_S} s and was stopped"
    )
    assert queued.status_code == 503
    assert queued.json()["message"] == (
        f"the service is busy: no validation finished within {QUEUE_TIMEOUT_S} s; try again in 2 s"
    )
    assert refused.status_code == 503
    assert refused.json()["message"] == (
        "the service is busy: every validation place is taken; try again in 2 s"
    )
    for response in (running, queued, refused):
        assert response.headers["retry-after"] == "2"
    after = httpx.get(f"{server.url}/api/validate", params={"shapes": "paris-principles"},
                      timeout=60)  # fmt: skip
    assert after.status_code == 200


def test_a_validation_whose_client_leaves_is_killed(server: Server) -> None:
    body = slow_upload()
    head = (
        "POST /api/validate HTTP/1.1\r\nHost: localhost\r\n"
        f"Content-Type: application/n-triples\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    open_request(server, head, body).close()
    time.sleep(1.0)  # the upload is read and its validation started, then the client is gone
    # One validation at a time: were the abandoned one still running (until its deadline), this
    # one would wait in the queue and be refused after QUEUE_TIMEOUT_S.
    response = httpx.get(
        f"{server.url}/api/validate", params={"shapes": "paris-principles"}, timeout=60
    )
    assert response.status_code == 200


# --- queries: disconnects, the queue's wait, slow readers --------------------------------------


def test_a_running_query_whose_client_leaves_is_killed(server: Server) -> None:
    connection = open_request(server, get_head("/sparql", {"query": ENDLESS}))
    time.sleep(0.5)
    connection.close()
    # One worker: the endless query would hold it for its 30 s deadline.
    assert until_ok(server, 10) < 10


def test_queued_requests_of_gone_clients_leave_and_cheap_ones_get_503_promptly(
    server: Server,
) -> None:
    running = open_request(server, get_head("/sparql", {"query": ENDLESS}))
    time.sleep(0.5)
    started = time.monotonic()
    queued = server.ask()  # waits behind the endless query, then is refused in time
    waited = time.monotonic() - started
    assert queued.status_code == 503
    assert queued.headers["retry-after"] == "2"
    assert queued.json()["message"] == (
        f"the service is busy: no query worker became free within {QUEUE_TIMEOUT_S} s; "
        "try again in 2 s"
    )
    assert QUEUE_TIMEOUT_S <= waited < QUEUE_TIMEOUT_S + 5
    abandoned = open_request(server, get_head("/sparql", {"query": ENDLESS}))
    time.sleep(0.3)
    abandoned.close()  # leaves the queue
    running.close()  # killed
    assert until_ok(server, 10) < 10


@pytest.mark.parametrize("path", ["/pictures", "/api/queries/class-counts", "/id/state/kaz"])
def test_the_queries_of_pages_and_named_queries_leave_the_queue_with_their_client(
    server: Server, path: str
) -> None:
    """A page's (or a named query's) query queued behind a busy worker leaves the queue when its
    client goes: the one queue place is free again, so the next query waits its turn (503 after
    the queue timeout) instead of finding the queue full."""
    running = open_request(server, get_head("/sparql", {"query": ENDLESS}))
    time.sleep(0.5)
    page = open_request(server, get_head(path, {"format": "turtle"} if "/id/" in path else {}))
    time.sleep(0.5)
    page.close()
    time.sleep(0.5)
    queued = server.ask()
    assert queued.status_code == 503
    assert queued.json()["message"] == (
        f"the service is busy: no query worker became free within {QUEUE_TIMEOUT_S} s; "
        "try again in 2 s"
    )
    running.close()
    assert until_ok(server, 10) < 10


def test_answers_to_slow_readers_hold_their_place_until_the_reader_is_dropped(
    server: Server,
) -> None:
    full = httpx.get(f"{server.url}/sparql", params={"query": BIG}, timeout=60)
    assert full.status_code == 200
    readers = []
    for _ in range(2):  # one worker and one queue place: both held by unread answers
        reader = socket.socket()
        reader.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        reader.connect(("127.0.0.1", server.port))
        reader.sendall(get_head("/sparql", {"query": BIG}).encode())
        reader.settimeout(30)
        assert reader.recv(12) == b"HTTP/1.1 200"  # answered, and being sent
        readers.append(reader)
    refused = server.ask()
    assert refused.status_code == 503
    assert refused.json()["message"] == (
        "the service is busy: every query worker is in use and the queue is full; try again in 2 s"
    )
    # Read nothing until the server gives up on both readers (they stall together), then what
    # is left of each.
    time.sleep(SEND_TIMEOUT_S + 2)
    for reader in readers:
        rest, _ = read_all(reader, 10)
        assert len(rest) < len(full.content)  # dropped, not served
    assert server.ask().status_code == 200


# --- connections: slow headers, slow bodies, oversize bodies -----------------------------------


def test_headers_sent_a_byte_at_a_time_are_cut_off(server: Server) -> None:
    request = b"GET /health HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + b"a" * 100
    # timed from before the connection: the server's clock runs from when it accepts it
    started = time.monotonic()
    connection = socket.create_connection(("127.0.0.1", server.port), timeout=30)
    closed_after = None
    for byte in request:
        try:
            connection.sendall(bytes([byte]))
        except (BrokenPipeError, ConnectionResetError):
            closed_after = time.monotonic() - started
            break
        connection.settimeout(1.0)  # a byte a second
        try:
            reply = connection.recv(65536)
        except TimeoutError:
            continue
        closed_after = time.monotonic() - started
        assert reply.startswith(b"HTTP/1.1 408 Request Timeout")
        assert b"did not arrive within 2 s" in reply
        break
    connection.close()
    assert closed_after is not None
    assert HEADER_TIMEOUT_S <= closed_after < HEADER_TIMEOUT_S + 3


def test_a_silent_connection_is_closed(server: Server) -> None:
    connection = socket.create_connection(("127.0.0.1", server.port), timeout=30)
    reply, after = read_all(connection, HEADER_TIMEOUT_S + 5)
    connection.close()
    assert reply.startswith(b"HTTP/1.1 408")
    assert HEADER_TIMEOUT_S - 0.5 <= after < HEADER_TIMEOUT_S + 3


def test_a_request_head_over_its_bound_is_refused_before_it_ends(server: Server) -> None:
    connection = socket.create_connection(("127.0.0.1", server.port), timeout=30)
    # 20 kB of one header, never ended: refused as soon as it passes 16 kB (HEAD_MAX_BYTES).
    connection.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + b"a" * 20_000)
    reply, after = read_all(connection, HEADER_TIMEOUT_S + 5)
    connection.close()
    assert reply.startswith(b"HTTP/1.1 400")
    assert after < HEADER_TIMEOUT_S


def test_a_body_sent_a_byte_at_a_time_is_cut_off(server: Server) -> None:
    connection = open_request(
        server,
        "POST /sparql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/sparql-query\r\n"
        "Content-Length: 200\r\n\r\n",
    )
    started = time.monotonic()
    reply = b""
    for _ in range(40):
        try:
            connection.sendall(b" ")
        except (BrokenPipeError, ConnectionResetError):
            break
        connection.settimeout(0.5)
        try:
            reply = connection.recv(65536)
        except TimeoutError:
            continue
        break
    closed_after = time.monotonic() - started
    connection.close()
    assert reply.startswith(b"HTTP/1.1 408")
    assert BODY_TIMEOUT_S <= closed_after < BODY_TIMEOUT_S + 3


@pytest.mark.parametrize(
    ("path", "content_type", "size", "message"),
    [
        ("/sparql", "application/sparql-query", 11_000_000, "the request body is over 10000000"),
        ("/api/validate", "text/turtle", 6_000_000, "the upload is over 5000000 bytes"),
    ],
)
def test_urllib_reads_the_413_for_a_body_over_the_limit(
    server: Server, path: str, content_type: str, size: int, message: str
) -> None:
    request = urllib.request.Request(
        server.url + path, data=b"#" * size, headers={"Content-Type": content_type}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=60)
    assert refused.value.code == 413
    assert json.loads(refused.value.read())["message"].startswith(message)


# --- no reflection of the Host header ----------------------------------------------------------


def test_a_forged_host_is_reflected_nowhere(server: Server) -> None:
    forged = {"host": FORGED}
    description = httpx.get(
        f"{server.url}/sparql", headers={**forged, "accept": "application/n-triples"}
    )
    assert description.status_code == 200
    assert FORGED not in description.text
    assert f"<{PUBLIC}sparql> <http://www.w3.org/ns/sparql-service-description#endpoint> " \
        f"<{PUBLIC}sparql> ." in description.text  # fmt: skip
    for path in ("/.well-known/void", "/dataset"):
        void = httpx.get(server.url + path, headers={**forged, "accept": "application/n-triples"})
        assert void.status_code == 200
        assert FORGED not in void.text
        assert f"<http://rdfs.org/ns/void#sparqlEndpoint> <{PUBLIC}sparql> ." in void.text
    relative = httpx.get(
        f"{server.url}/sparql",
        params={"query": "SELECT ?x WHERE { BIND(<thing> AS ?x) }"},
        headers=forged,
    )
    assert relative.json()["results"]["bindings"] == [
        {"x": {"type": "uri", "value": PUBLIC + "thing"}}
    ]
    for path in ("/query/", "/sparql/?query=ASK%7B%7D", "/static"):  # no trailing-slash redirect
        answer = httpx.get(server.url + path, headers=forged)
        assert (answer.status_code, answer.headers.get("location")) == (404, None), path


def test_a_head_over_its_bound_in_one_piece_is_refused(server: Server) -> None:
    connection = socket.create_connection(("127.0.0.1", server.port), timeout=30)
    # the whole head in one write: parsed before it could be counted as it arrived
    head = b"GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: " + b"a" * 100_000 + b"\r\n\r\n"
    connection.sendall(head)
    reply, _after = read_all(connection, HEADER_TIMEOUT_S + 5)
    connection.close()
    assert reply.startswith(b"HTTP/1.1 400")


def test_a_body_announced_with_expect_100_continue_is_read(server: Server) -> None:
    body = b"ASK {}"
    connection = open_request(
        server,
        "POST /sparql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/sparql-query\r\n"
        f"Accept: application/sparql-results+json\r\nExpect: 100-continue\r\n"
        f"Connection: close\r\nContent-Length: {len(body)}\r\n\r\n",
    )
    connection.settimeout(30)
    interim = connection.recv(65536)
    assert interim.startswith(b"HTTP/1.1 100 Continue")
    connection.sendall(body)
    reply, _after = read_all(connection, 30)
    connection.close()
    assert reply.startswith(b"HTTP/1.1 200 OK")
    assert json.loads(reply.split(b"\r\n\r\n", 1)[1])["boolean"] is True
