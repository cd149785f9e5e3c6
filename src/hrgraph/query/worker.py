"""A query worker process, the child side of :class:`hrgraph.query.workers.WorkerPool`
(docs/architecture.md, why worker processes): it opens the store's ``current`` generation
read-only when it starts and moves to each one a build or a write publishes (when idle, within
:data:`IDLE_FOLLOW_S`, letting the old one go), runs one query at a time under an
address-space limit and sends the result back serialised in the requested format, refusing one
over the result-size cap.
"""

from __future__ import annotations

import io
import logging
import os
import signal
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from hrgraph.processes import exit_with_parent, limit_memory
from hrgraph.query.execution import (
    QueryFailed,
    QueryRequest,
    QuerySyntaxError,
    _nodes,
    run_query,
)
from hrgraph.rdf.results import GRAPH_FORMATS, SOLUTION_FORMATS
from hrgraph.settings import Limits
from hrgraph.sparql.querycheck import QueryRejected
from hrgraph.store.generations import StoreError, StoreLocation
from hrgraph.store.local import GraphStore

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

log = logging.getLogger("hrgraph.query.workers")  # one logger for the pool and its workers
STORE_UNAVAILABLE = "the store is not available at the moment; try again shortly"
IDLE_FOLLOW_S = 1.0
"""How often an idle worker looks for a newly published generation."""


class ResultTooLarge(Exception):
    """The serialised result passed the result-size cap."""


class _CappedBuffer(io.BytesIO):
    """A write target for the serialisers that refuses to grow past ``cap`` bytes, so an
    oversized result fails early instead of first filling the worker's memory."""

    def __init__(self, cap: int) -> None:
        super().__init__()
        self.cap, self.size = cap, 0

    def write(self, data: ReadableBuffer, /) -> int:
        self.size += memoryview(data).nbytes
        if self.size > self.cap:
            raise ResultTooLarge
        return super().write(data)


def worker_main(connection: Connection, store_path: str, limits: Limits) -> None:
    """A worker's life: answer requests from ``connection`` until told to stop or killed.

    Messages in: ``("ping",)``, ``("query", QueryRequest)``, ``None`` (stop). Out, for a query:
    ``("started",)`` and then one of ``("ok", body)``, ``("rejected", message, status)``,
    ``("syntax", message)``, ``("failed", message, status, replace)``.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the server; it stops us
    limit_memory(limits.max_memory_mb)
    exit_with_parent()
    location = StoreLocation(Path(store_path))
    graphs: dict[Path, frozenset[str]] = {}  # of the generation opened: it never changes
    # Open the store before the first query asks (a worker replacing a killed one is started
    # while nobody waits for it): the first query then finds it open and its graphs read.
    opened = _follow_quietly(location, None, graphs)
    while True:
        try:
            if not connection.poll(IDLE_FOLLOW_S):
                # Idle: move to a generation published meanwhile now, not at the next query, so
                # that the one served before is not kept pinned (pruning leaves it on disk).
                opened = _follow_quietly(location, opened, graphs)
                continue
            message = connection.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        if message[0] == "ping":
            connection.send(("pong", os.getpid()))
            continue
        connection.send(("started",))
        try:
            opened = _follow(location, opened, graphs)
            answer = _answer(opened[1], message[1], limits, graphs[opened[0]])
            reply: tuple[Any, ...] = ("ok", answer)
        except QueryRejected as error:
            reply = ("rejected", str(error), error.status)
        except QuerySyntaxError as error:
            reply = ("syntax", str(error))
        except QueryFailed as error:
            reply = ("failed", str(error), error.status, False)
        except ResultTooLarge:
            reply = (
                "failed",
                f"the result is larger than {limits.max_result_bytes} bytes, the most this "
                "service sends; narrow the query or add a LIMIT (nothing was truncated)",
                413,
                False,
            )
        except MemoryError:
            reply = ("failed", _out_of_memory(limits), 500, True)
        except Exception:
            # The engine's messages may name local files: log them here, answer generically.
            log.exception("query failed in worker %d", os.getpid())
            reply = ("failed", "the query could not be answered (an internal error)", 500, True)
        try:
            connection.send(reply)
        except MemoryError:
            connection.send(("failed", _out_of_memory(limits), 500, True))
        if reply[0] == "failed" and reply[3]:
            return  # after a MemoryError or an engine failure, a fresh process is safer


def _follow(
    location: StoreLocation,
    opened: tuple[Path, GraphStore] | None,
    graphs: dict[Path, frozenset[str]],
) -> tuple[Path, GraphStore]:
    """The store at ``current`` (:func:`_current_store`), its named graphs read once."""
    opened = _current_store(location, opened)
    if opened[0] not in graphs:
        graphs.clear()
        graphs[opened[0]] = frozenset(g.value for g in opened[1].named_graphs())
    return opened


def _follow_quietly(
    location: StoreLocation,
    opened: tuple[Path, GraphStore] | None,
    graphs: dict[Path, frozenset[str]],
) -> tuple[Path, GraphStore] | None:
    """:func:`_follow` between queries: ``None`` if that fails (the next query opens the store
    again and reports what fails)."""
    try:
        current = location.current()
        if current is None or (opened is not None and opened[0] == current):
            return opened
        return _follow(location, opened, graphs)
    except Exception:
        return None


_LINK_SEEN: dict[Path, tuple[tuple[int, int, int], Path]] = {}
"""The ``current`` link as last read (device, inode and time of the link, by ``lstat``) and the
generation it named: a build publishes by putting a new link in its place, so the link is
resolved again only when that changes (one ``lstat`` per query, not a walk of the path)."""


def _current_generation(location: StoreLocation) -> Path | None:
    """:meth:`StoreLocation.current`, resolved again only when the link has been replaced."""
    link = location.current_link
    try:
        status = os.lstat(link)
    except OSError:
        _LINK_SEEN.pop(link, None)
        return location.current()
    seen = (status.st_dev, status.st_ino, status.st_mtime_ns)
    known = _LINK_SEEN.get(link)
    if known is not None and known[0] == seen and known[1].is_dir():
        return known[1]
    current = location.current()
    if current is not None:
        _LINK_SEEN[link] = (seen, current)
    return current


def _current_store(
    location: StoreLocation, opened: tuple[Path, GraphStore] | None
) -> tuple[Path, GraphStore]:
    """The store at ``current``, reopened when a build has published a new generation. The
    store open before is closed only once the new one is open: if that fails, the caller still
    holds an open store (the next query tries again; none is answered from the old one)."""
    current = _current_generation(location)
    if current is None:
        raise QueryFailed(STORE_UNAVAILABLE, status=503, retry_after=5)
    if opened is not None and opened[0] == current:
        return opened
    try:
        store = GraphStore.open_read_only(location)
    except StoreError as error:
        log.error("worker %d cannot open the store: %s", os.getpid(), error)
        raise QueryFailed(STORE_UNAVAILABLE, status=503, retry_after=5) from None
    if opened is not None:
        opened[1].close()
    return store.path or current, store  # the generation opened (a newer one may have come)


def _answer(
    store: GraphStore, request: QueryRequest, limits: Limits, local: frozenset[str]
) -> bytes:
    result = run_query(
        store,
        request.query,
        limits,
        default_graphs=_nodes(request.default_graphs),
        named_graphs=_nodes(request.named_graphs),
        local_graphs=local,
    )
    fmt = request.result_format
    graph = isinstance(result, ox.QueryTriples)
    formats: dict[str, object] = dict(GRAPH_FORMATS) if graph else dict(SOLUTION_FORMATS)
    if fmt not in formats:
        kind = "a CONSTRUCT or DESCRIBE" if graph else "a SELECT or ASK"
        raise QueryRejected(
            f"{kind} result cannot be written as {fmt}; use one of {', '.join(formats)}",
            status=406,
        )
    buffer = _CappedBuffer(limits.max_result_bytes)
    try:
        if isinstance(result, ox.QueryTriples):
            result.serialize(buffer, GRAPH_FORMATS[fmt])
        else:
            result.serialize(buffer, SOLUTION_FORMATS[fmt])
    except ResultTooLarge:
        raise
    except (OSError, ValueError) as error:
        if buffer.size > buffer.cap:  # the serialiser wrapped the buffer's refusal
            raise ResultTooLarge from None
        raise QueryFailed(f"the result could not be written: {error}") from None
    return buffer.getvalue()


def _out_of_memory(limits: Limits) -> str:
    return (
        f"the query needed more memory than a query may use ({limits.max_memory_mb} MB); "
        "narrow it or add a LIMIT"
    )
