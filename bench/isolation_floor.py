"""The isolation floor: the least a SPARQL server can cost that runs every query in another
process, as hrgraph must (docs/http-safety.md: a query that crashes or overruns costs a worker,
never the service). Not a server to use: it checks nothing, has no deadline and kills nothing.

    .venv/bin/python bench/isolation_floor.py STORE_FOLDER PORT [WORKERS]

A bare ASGI application on uvicorn (httptools, uvloop: what ``hrgraph serve`` runs on) hands
each query's text to a free worker process over a pipe and writes back the bytes the worker
sends: the worker opened the store read-only (``pyoxigraph.Store.read_only``), runs the query
over the union default graph and serialises the answer as SPARQL results JSON (N-Triples for a
graph). What is left out is everything hrgraph adds for safety and the protocol: the query read
as the engine reads it and checked, limits, deadlines and kills, negotiation, validators, the
answer cache, the access log. ``bench/http_cache.py --floor`` runs it beside hrgraph and
Oxigraph: the ratio of hrgraph to the floor is what hrgraph's own path costs; the ratio of the
floor to Oxigraph is what the process boundary alone costs on this machine.
"""

from __future__ import annotations

import asyncio
import io
import multiprocessing
import os
import struct
import sys
from collections import deque
from multiprocessing.connection import Connection
from typing import Any
from urllib.parse import parse_qs

import uvicorn

JSON = b"application/sparql-results+json"


def work(connection: Connection, store_path: str) -> None:
    """A worker: answer each query text received, until the pipe closes."""
    import pyoxigraph

    store = pyoxigraph.Store.read_only(store_path)
    while True:
        try:
            text = connection.recv_bytes().decode("utf-8")
        except EOFError:
            return
        buffer = io.BytesIO()
        try:
            result = store.query(text, use_default_graph_as_union=True)
            if isinstance(result, pyoxigraph.QueryTriples):
                result.serialize(buffer, pyoxigraph.RdfFormat.N_TRIPLES)
                kind = b"n"
            else:
                result.serialize(buffer, pyoxigraph.QueryResultsFormat.JSON)
                kind = b"j"
        except (SyntaxError, ValueError, OSError) as error:
            buffer, kind = io.BytesIO(str(error).encode("utf-8")), b"e"
        connection.send_bytes(kind + buffer.getvalue())


class Pool:
    """Free workers, taken first come, first served."""

    def __init__(self, store_path: str, size: int) -> None:
        context = multiprocessing.get_context("spawn")
        self.free: list[Connection] = []
        self.waiting: deque[asyncio.Future[None]] = deque()
        for _ in range(size):
            ours, theirs = context.Pipe()
            context.Process(target=work, args=(theirs, store_path), daemon=True).start()
            self.free.append(ours)

    async def run(self, text: bytes) -> bytes:
        loop = asyncio.get_running_loop()
        while not self.free:
            turn: asyncio.Future[None] = loop.create_future()
            self.waiting.append(turn)
            await turn
        connection = self.free.pop()
        try:
            connection.send_bytes(text)
            return await _reply(loop, connection)
        finally:
            self.free.append(connection)
            while self.waiting:
                turn = self.waiting.popleft()
                if not turn.done():
                    turn.set_result(None)
                    break


async def _reply(loop: asyncio.AbstractEventLoop, connection: Connection) -> bytes:
    """One message of ``multiprocessing.connection``'s framing, read as it arrives."""
    fd = connection.fileno()
    buffer = bytearray()
    done: asyncio.Future[bytes] = loop.create_future()

    def readable() -> None:
        try:
            chunk = os.read(fd, 1 << 16)
        except BlockingIOError:
            return
        if not chunk:
            done.set_exception(EOFError())
            return
        buffer.extend(chunk)
        if len(buffer) >= 4:
            (size,) = struct.unpack_from("!i", buffer)
            if len(buffer) >= 4 + size and not done.done():
                done.set_result(bytes(buffer[4 : 4 + size]))

    os.set_blocking(fd, False)
    loop.add_reader(fd, readable)
    try:
        return await done
    finally:
        loop.remove_reader(fd)
        os.set_blocking(fd, True)  # the next query is sent with a blocking write


def application(store_path: str, workers: int) -> Any:
    pool: Pool | None = None

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        nonlocal pool
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    pool = Pool(store_path, workers)
                    await send({"type": "lifespan.startup.complete"})
                else:
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        assert pool is not None
        form = scope["query_string"]
        if scope["method"] == "POST":
            form = b""
            while True:
                message = await receive()
                form += message.get("body", b"")
                if not message.get("more_body"):
                    break
        queries = parse_qs(form.decode("utf-8")).get("query", [])
        if len(queries) != 1:
            await _send(send, 400, b"text/plain", b"one query parameter")
            return
        reply = await pool.run(queries[0].encode("utf-8"))
        kind, body = reply[:1], reply[1:]
        if kind == b"e":
            await _send(send, 400, b"text/plain", body)
        else:
            await _send(send, 200, JSON if kind == b"j" else b"application/n-triples", body)

    return app


async def _send(send: Any, status: int, media_type: bytes, body: bytes) -> None:
    headers = [(b"content-type", media_type), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def main() -> int:
    store_path, port = sys.argv[1], int(sys.argv[2])
    workers = int(sys.argv[3]) if len(sys.argv) > 3 else max(2, len(os.sched_getaffinity(0)))
    uvicorn.run(
        application(store_path, workers),
        host="127.0.0.1",
        port=port,
        loop="uvloop",
        http="httptools",
        access_log=False,
        log_level="warning",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
