"""HTTP writes run like queries: each in a killable child process, with a deadline, a memory limit
and size caps, so that no update can stall or kill the server (a running Oxigraph update cannot
be interrupted, and a deeply nested one can crash the process running it).

One write at a time per server (more wait, up to :data:`MAX_WAITING`; then 503). For each write
:class:`UpdateRunner` starts a child process (``spawn``) that, under the store lock
(``hrgraph.store.generations``; held by the child, so the kernel releases it if the child
dies), checks and parses the update, applies it to a copy of the current generation and
re-materialises the inferred graph (:class:`hrgraph.build.writes.StoreWriter`). Then it reports
*ready* and waits: the server tells it to publish only if the client is still connected, the
service is not stopping and the deadline has not passed; otherwise the child discards the copy.
Publishing stages the write-log entry, fsyncs the generation and switches ``current`` (the commit
point), and only then is the client answered 204/201.

So a write is either published, durable and acknowledged, or not applied at all: a client gone
before the commit point gets no write (it is cancelled); one gone after it keeps its write,
published. A child killed (deadline, out of memory, crash, ``kill -9``) before the commit point
leaves the previous generation published; the server answers 503 (deadline) or 500 and keeps
serving. If the child dies *during* the commit, the server takes the store lock and looks: the
write is reported done if and only if its log entry was published.

On SIGTERM or SIGINT the server cancels the write being prepared (503, nothing applied) and
refuses waiting ones, so shutting down takes at most a few seconds, never a whole deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import FrameType
from typing import Any

from hrgraph.build.writes import MAX_WRITE_QUADS
from hrgraph.errors import HrgraphError
from hrgraph.processes import exit_with_parent, limit_memory
from hrgraph.settings import Limits
from hrgraph.store.generations import StoreError, StoreLocation

log = logging.getLogger("hrgraph.build.update_worker")

MAX_WAITING = 8
"""Writes that may wait for their turn in one server; more are answered 503."""
LOCK_WAIT_S = 60.0
"""How long a write waits for a build, an import or another server's write to finish."""
START_TIMEOUT_S = 30.0
"""How long a child may take to start."""
COMMIT_TIMEOUT_S = 60.0
"""How long publishing (fsync, switch) may take once started; it is never interrupted."""
_POLL_S = 0.02


@dataclass(frozen=True)
class Operation:
    """A write: ``update`` (``payload`` is the SPARQL Update), or a Graph Store ``put``,
    ``post`` or ``delete`` of ``graph`` (``None``: the default graph; ``payload`` the triples
    as N-Triples)."""

    kind: str
    payload: str = ""
    graph: str | None = None


@dataclass(frozen=True)
class Outcome:
    generation: str
    created: bool


class WriteFailed(HrgraphError):
    """The write was not applied (or, for a client gone, not published); ``status`` for HTTP."""

    def __init__(self, message: str, status: int, retry_after: int | None = None) -> None:
        super().__init__(message, status=status, retry_after=retry_after)


# --- shutdown -----------------------------------------------------------------------------------

_stopping = threading.Event()
_handled: set[int] = set()


def watch_shutdown() -> None:
    """Chain a handler for SIGTERM and SIGINT in front of the server's (uvicorn's), so that a
    write being prepared is cancelled at once when the service is told to stop. Call from the
    main thread (an ``async`` route runs there); harmless elsewhere."""
    if threading.current_thread() is not threading.main_thread():
        return
    for number in (signal.SIGTERM, signal.SIGINT):
        previous = signal.getsignal(number)
        if getattr(previous, "_hrgraph_writes", False):
            continue

        def handler(signum: int, frame: FrameType | None, previous: Any = previous) -> None:
            _stopping.set()
            if callable(previous):
                previous(signum, frame)
            elif previous == signal.SIG_DFL:
                signal.signal(signum, signal.SIG_DFL)
                signal.raise_signal(signum)

        handler._hrgraph_writes = True  # type: ignore[attr-defined]
        signal.signal(number, handler)
        _handled.add(number)


def stopping() -> bool:
    return _stopping.is_set()


# --- the child process --------------------------------------------------------------------------


def _child_main(connection: Connection, store_path: str, limits: Limits, operation: Any) -> None:
    """Messages out: ``("locked",)``, ``("ready", generation, created)``, then
    ``("published", generation, created)`` or ``("cancelled",)``; or at any point
    ``("refused", message, status)`` or ``("failed", message, status)``. In: ``"commit"`` or
    ``"abort"`` after ``ready``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server decides; it kills us if needed
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    limit_memory(limits.max_memory_mb)
    exit_with_parent()
    import pyoxigraph as ox

    from hrgraph.build.writes import StoreWriter, WriteCancelled, WriteRefused, WriteResult

    def confirm(result: WriteResult) -> bool:
        connection.send(("ready", result.generation, result.created))
        try:
            return bool(connection.recv() == "commit")
        except (EOFError, OSError):
            return False

    writer = StoreWriter(
        StoreLocation(Path(store_path)),
        limits,
        lock_wait_s=None,  # the server bounds the wait by killing us
        on_locked=lambda: connection.send(("locked",)),
        confirm=confirm,
    )
    reply: tuple[Any, ...]
    try:
        if operation.kind == "update":
            result = writer.update(operation.payload)
        else:
            graph = ox.NamedNode(operation.graph) if operation.graph is not None else None
            if operation.kind == "delete":
                result = writer.delete_graph(graph)
            else:
                triples = [
                    ox.Triple(q.subject, q.predicate, q.object)
                    for q in ox.parse(operation.payload.encode(), format=ox.RdfFormat.N_TRIPLES)
                ]
                if len(triples) > MAX_WRITE_QUADS:
                    raise WriteRefused(_too_many(), 413)
                if operation.kind == "put":
                    result = writer.replace_graph(graph, triples)
                else:
                    result = writer.add_to_graph(graph, triples)
        reply = ("published", result.generation, result.created)
    except WriteCancelled:
        reply = ("cancelled",)
    except WriteRefused as error:
        reply = ("refused", str(error), error.status)
    except StoreError as error:
        log.error("write failed: %s", error)
        reply = ("failed", "the store cannot be written at the moment; try again shortly", 503)
    except MemoryError:
        reply = ("failed", _out_of_memory(limits), 500)
    except Exception:
        log.exception("write failed in process %d", os.getpid())
        reply = ("failed", "the write could not be applied (an internal error)", 500)
    with contextlib.suppress(OSError, MemoryError):
        connection.send(reply)


def _too_many() -> str:
    return f"a write may add at most {MAX_WRITE_QUADS} triples; split it"


def _out_of_memory(limits: Limits) -> str:
    return (
        f"the update needed more memory than a write may use ({limits.max_memory_mb} MB) and "
        "was not applied; narrow it"
    )


# --- the server side ----------------------------------------------------------------------------


class UpdateRunner:
    """Runs a server's writes, one at a time, each in a fresh child process."""

    def __init__(self, store_path: Path, limits: Limits, lock_wait_s: float = LOCK_WAIT_S) -> None:
        self.store_path, self.limits, self.lock_wait_s = store_path, limits, lock_wait_s
        self._context = multiprocessing.get_context("spawn")
        self._busy = False
        self._waiting = 0
        self.child_pid: int | None = None
        """The process running the current write (for monitoring and tests)."""

    @property
    def deadline_s(self) -> float:
        """How long a write may run once it holds the store lock: the query deadline."""
        return self.limits.query_timeout_s

    async def run(
        self, operation: Operation, disconnected: Callable[[], Awaitable[bool]]
    ) -> Outcome:
        """Apply ``operation``; raises :class:`WriteFailed`. If ``disconnected()`` turns true
        before the commit point, the write is cancelled (:class:`WriteFailed` 499)."""
        watch_shutdown()
        await self._turn(disconnected)
        try:
            return await self._run(operation, disconnected)
        finally:
            self._busy = False
            self.child_pid = None

    async def _turn(self, disconnected: Callable[[], Awaitable[bool]]) -> None:
        if self._waiting >= MAX_WAITING:
            raise WriteFailed("too many writes are waiting; try again shortly", 503, retry_after=2)
        self._waiting += 1
        try:
            started = time.monotonic()
            polls = 0
            while self._busy:  # one event loop: no await between the test and the set below
                if stopping():
                    raise _shutting_down()
                if time.monotonic() - started > self.lock_wait_s + self.deadline_s:
                    raise WriteFailed(
                        "the store is busy with other writes; try again shortly", 503, 5
                    )
                polls += 1
                if polls % 10 == 0 and await disconnected():
                    raise WriteFailed("the client went away; the write was not applied", 499)
                await asyncio.sleep(_POLL_S * 5)
            self._busy = True
        finally:
            self._waiting -= 1

    async def _run(
        self, operation: Operation, disconnected: Callable[[], Awaitable[bool]]
    ) -> Outcome:
        parent_end, child_end = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=_child_main,
            args=(child_end, str(self.store_path), self.limits, operation),
            name="hrgraph-write",
            daemon=True,
        )
        await asyncio.to_thread(process.start)
        child_end.close()
        self.child_pid = process.pid
        try:
            return await self._supervise(process, parent_end, disconnected)
        finally:
            if process.is_alive():
                process.kill()
            await asyncio.to_thread(process.join, 5)
            parent_end.close()

    async def _supervise(
        self,
        process: BaseProcess,
        connection: Connection,
        disconnected: Callable[[], Awaitable[bool]],
    ) -> Outcome:
        phase, since, polls = "starting", time.monotonic(), 0
        limits = {"starting": START_TIMEOUT_S + self.lock_wait_s, "running": self.deadline_s}
        generation = ""
        while True:
            message = _receive(connection)
            if message is None and not process.is_alive():
                message = _receive(connection)  # sent just before it ended
                if message is None:
                    if phase == "committing":
                        return await asyncio.to_thread(self._settle, generation)
                    raise self._crashed(process)
            if message is not None:
                kind = message[0]
                if kind == "locked":
                    phase, since = "running", time.monotonic()
                elif kind == "ready":
                    generation = message[1]
                    if stopping() or await disconnected():
                        # Let the child discard its copy (a kill would leave it to the next
                        # writer to remove); it is never published.
                        with contextlib.suppress(OSError):
                            connection.send("abort")
                        await asyncio.to_thread(process.join, 5)
                        if stopping():
                            raise _shutting_down()
                        raise WriteFailed("the client went away; the write was not applied", 499)
                    try:
                        connection.send("commit")
                    except OSError:
                        raise self._crashed(process) from None  # died before it could publish
                    phase, since = "committing", time.monotonic()
                elif kind == "published":
                    return Outcome(message[1], bool(message[2]))
                elif kind == "cancelled":
                    raise WriteFailed("the write was cancelled; nothing was applied", 503, 5)
                elif kind in {"refused", "failed"}:
                    raise WriteFailed(message[1], message[2], 5 if message[2] == 503 else None)
                continue
            elapsed = time.monotonic() - since
            if phase in limits and stopping():
                process.kill()
                raise _shutting_down()
            if phase == "starting" and elapsed > limits["starting"]:
                process.kill()
                raise WriteFailed(
                    "the store is being written by another process (a build, an import or a "
                    "write) for longer than a write waits; try again when it has finished",
                    503,
                    retry_after=10,
                )
            if phase == "running" and elapsed > self.deadline_s:
                process.kill()
                raise WriteFailed(
                    f"the update ran past the deadline of {self.deadline_s:g} s and was stopped; "
                    "nothing was applied",
                    503,
                    retry_after=5,
                )
            if phase == "committing" and elapsed > COMMIT_TIMEOUT_S:
                process.kill()
                await asyncio.to_thread(process.join, 5)
                return await asyncio.to_thread(self._settle, generation)
            polls += 1
            if phase in limits and polls % 10 == 0 and await disconnected():
                process.kill()
                raise WriteFailed("the client went away; the write was not applied", 499)
            await asyncio.sleep(_POLL_S)

    def _crashed(self, process: BaseProcess) -> WriteFailed:
        process.join(1)
        code = process.exitcode
        log.warning("the write process %s stopped (exit code %s)", process.pid, code)
        if code in {-signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV}:
            return WriteFailed(
                "the update stopped the process applying it (most likely by needing more memory "
                f"than a write may use, {self.limits.max_memory_mb} MB, or by nesting too "
                "deeply); nothing was applied",
                500,
            )
        return WriteFailed("the process applying the update stopped; nothing was applied", 500)

    def _settle(self, generation: str) -> Outcome:
        """The child died while publishing ``generation``: under the store lock, after the
        recovery, the write happened if and only if its log entry was published."""
        location = StoreLocation(self.store_path)
        try:
            with location.lock(self.lock_wait_s):
                location.recover()
                number = generation.split("-", 1)[0]
                for entry in location.writes_dir.glob(f"{number}.*"):
                    with entry.open("rb") as handle:
                        header = handle.readline().decode("utf-8", "replace").split()
                    if header[3:4] == [generation]:
                        return Outcome(generation, False)
        except StoreError as error:
            log.error("cannot settle the write %s: %s", generation, error)
        raise WriteFailed("the process publishing the update stopped; it was not applied", 500)


def _receive(connection: Connection) -> tuple[Any, ...] | None:
    try:
        if connection.poll():
            message: tuple[Any, ...] = connection.recv()
            return message
    except (EOFError, OSError):
        pass
    return None


def _shutting_down() -> WriteFailed:
    return WriteFailed(
        "the service is shutting down; the write was not applied", 503, retry_after=5
    )
