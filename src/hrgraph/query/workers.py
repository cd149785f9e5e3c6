"""Query execution in killable worker processes (docs/architecture.md: a running Oxigraph query
cannot be interrupted, so hard deadlines need processes that can be killed and replaced).

:class:`WorkerPool` implements :class:`hrgraph.query.execution.Executor`. Each worker is a process
started with the ``spawn`` method (never a fork of a threaded server) that opens the store's
``current`` generation read-only, reopens it when a build publishes a new one, runs one query at
a time under an address-space limit (``RLIMIT_AS``) and sends the result back serialised in the
requested format, refusing one over the result-size cap. The parent checks every query
(``querycheck``) before a worker sees it, admits at most ``workers + queue_size`` requests at a
time (more get :class:`~hrgraph.query.execution.Overloaded`), kills a worker at the deadline and
starts a replacement for any worker that was killed, crashed or ran out of memory.

A request waits in the queue at most ``Service.queue_timeout_s`` (then ``Overloaded``). A caller
may pass a ``cancel`` event (set when the HTTP client disconnects): a queued request then leaves
the queue and a running one has its worker killed. :meth:`WorkerPool.run_held` keeps the
request's admission until the caller has sent the answer, so slow readers count against the
same bound as running queries.

This module is the parent side, the pool; each worker process runs
:func:`hrgraph.query.worker.worker_main`.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import queue
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from hrgraph.query.execution import (
    Overloaded,
    QueryFailed,
    QueryRequest,
    QueryResponse,
    QuerySyntaxError,
    QueryTimeout,
)
from hrgraph.query.worker import STORE_UNAVAILABLE, worker_main
from hrgraph.settings import Limits, Service
from hrgraph.sparql.querycheck import QueryRejected, check_sparql
from hrgraph.store.generations import StoreError

log = logging.getLogger("hrgraph.query.workers")

STARTUP_TIMEOUT_S = 60.0
"""How long a new worker may take to start (import, open the store) before it is given up."""
POLL_S = 0.1
"""How often a waiting request looks whether its client has gone."""


class ClientGone(QueryFailed):
    """The client disconnected: the request left the queue, or its worker was killed."""

    def __init__(self) -> None:
        super().__init__("the client disconnected; the query was cancelled", status=503)


def _wait(connection: Connection, timeout: float, cancel: threading.Event | None) -> bool:
    """``connection.poll(timeout)``, giving up early (``ClientGone``) once ``cancel`` is set."""
    if cancel is None:
        return connection.poll(timeout)
    deadline = time.monotonic() + timeout
    while True:
        if cancel.is_set():
            raise ClientGone
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        if connection.poll(min(POLL_S, left)):
            return True


@dataclass
class _Worker:
    process: BaseProcess
    connection: Connection

    @property
    def pid(self) -> int | None:
        return self.process.pid


class _Replace(Exception):
    """The worker must be killed and replaced; carries the error to raise, if any."""

    def __init__(self, error: Exception | None) -> None:
        super().__init__()
        self.error = error


class WorkerPool:
    """A fixed number of query worker processes behind a bounded queue; thread-safe.

    ``local_graphs`` gives the graph IRIs FROM and USING may name (the store's named graphs);
    the workers check again against the generation they answer from.
    """

    def __init__(
        self,
        store_path: Path,
        limits: Limits,
        service: Service,
        local_graphs: Callable[[], frozenset[str]],
    ) -> None:
        if service.workers < 1:
            raise ValueError("a worker pool needs at least one worker")
        self.store_path, self.limits, self.service = store_path, limits, service
        self._local_graphs = local_graphs
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._workers: list[_Worker] = []
        self._lock = threading.Lock()
        self._admitted = 0
        self._closed = False
        self.replacements = 0
        """How many workers were replaced (killed at a deadline, crashed, out of memory)."""

    # life cycle

    def start(self) -> None:
        """Start every worker and wait until each answers, so the first queries are not slow."""
        started = [self._spawn() for _ in range(self.service.workers)]
        for worker in started:
            if not self._ping(worker, STARTUP_TIMEOUT_S):
                raise RuntimeError("a query worker did not start")
            self._idle.put(worker)

    def close(self) -> None:
        """Stop every worker (those running a query are killed)."""
        with self._lock:
            self._closed = True
            workers, self._workers = self._workers, []
        for worker in workers:
            with contextlib.suppress(OSError):
                worker.connection.send(None)
        deadline = time.monotonic() + 2
        for worker in workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(1)
            worker.connection.close()

    def __enter__(self) -> WorkerPool:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def pids(self) -> list[int]:
        """The worker processes' ids (for monitoring and tests)."""
        with self._lock:
            return [w.pid for w in self._workers if w.pid is not None]

    # the Executor interface

    def run(self, request: QueryRequest, cancel: threading.Event | None = None) -> QueryResponse:
        """Check the query, wait for a free worker (the queue is bounded), run it with a deadline.

        Raises ``QueryRejected``, :class:`QuerySyntaxError`, :class:`QueryTimeout`,
        :class:`Overloaded`, :class:`ClientGone` (``cancel`` set) or :class:`QueryFailed`.
        """
        response, release = self.run_held(request, cancel)
        release()
        return response

    def run_held(
        self, request: QueryRequest, cancel: threading.Event | None = None
    ) -> tuple[QueryResponse, Callable[[], None]]:
        """:meth:`run`, but the request stays admitted until the caller calls the function
        returned with the answer (once the answer is sent): an answer waiting for a slow
        client takes a place in the queue like a query still running."""
        try:
            local = self._local_graphs()
        except StoreError as error:
            log.error("cannot read the store's graphs: %s", error)
            raise QueryFailed(STORE_UNAVAILABLE, status=503, retry_after=5) from None
        check_sparql(request.query, self.limits, local_graphs=local)
        self._admit()
        try:
            response = self._admitted_run(request, cancel)
        except BaseException:
            self._release()
            raise
        released = threading.Lock()

        def release() -> None:
            if released.acquire(blocking=False):
                self._release()

        return response, release

    def admitted(self) -> int:
        """Requests admitted now: running, queued, or holding an answer being sent."""
        with self._lock:
            return self._admitted

    def _release(self) -> None:
        with self._lock:
            self._admitted -= 1

    def _admitted_run(self, request: QueryRequest, cancel: threading.Event | None) -> QueryResponse:
        taken = self._take(cancel)
        worker: _Worker | None = taken
        try:
            return self._run_on(taken, request, cancel)
        except _Replace as replace:
            worker = self._replace(taken)
            if replace.error is not None:
                raise replace.error from None
            if worker is None:
                raise self._closing() from None
            # The worker was gone before it saw the query: once more, on a fresh one.
            try:
                return self._run_on(worker, request, cancel)
            except _Replace as again:
                worker = self._replace(worker)
                raise again.error or QueryFailed(
                    "no query worker could be started; try again shortly",
                    status=503,
                    retry_after=self.service.retry_after_s,
                ) from None
        finally:
            if worker is not None:
                self._idle.put(worker)

    # internals

    def _admit(self) -> None:
        with self._lock:
            if self._closed:
                raise self._closing()
            if self._admitted >= self.service.workers + self.service.queue_size:
                raise Overloaded(
                    "the service is busy: every query worker is in use and the queue is full; "
                    f"try again in {self.service.retry_after_s} s",
                    retry_after=self.service.retry_after_s,
                )
            self._admitted += 1

    def _take(self, cancel: threading.Event | None = None) -> _Worker:
        """A free worker; a queued request waits at most ``queue_timeout_s`` and leaves the
        queue as soon as ``cancel`` is set (its client has gone)."""
        deadline = time.monotonic() + self.service.queue_timeout_s
        while True:
            if cancel is not None and cancel.is_set():
                raise ClientGone
            left = deadline - time.monotonic()
            if left <= 0:
                raise Overloaded(
                    "the service is busy: no query worker became free within "
                    f"{self.service.queue_timeout_s:g} s; try again in "
                    f"{self.service.retry_after_s} s",
                    retry_after=self.service.retry_after_s,
                )
            try:
                worker = self._idle.get(timeout=min(POLL_S, left) if cancel else left)
                break
            except queue.Empty:
                continue
        if not worker.process.is_alive():
            new = self._replace(worker)
            if new is None:
                raise self._closing()
            return new
        return worker

    @staticmethod
    def _closing() -> QueryFailed:
        return QueryFailed("the service is shutting down", status=503, retry_after=5)

    def _run_on(
        self, worker: _Worker, request: QueryRequest, cancel: threading.Event | None = None
    ) -> QueryResponse:
        try:
            worker.connection.send(("query", request))
            if not _wait(worker.connection, STARTUP_TIMEOUT_S, cancel):
                raise _Replace(QueryFailed("a query worker did not respond", status=503))
            worker.connection.recv()  # ("started",)
        except ClientGone as gone:
            raise _Replace(gone) from None
        except (EOFError, OSError):
            raise _Replace(None) from None
        started = time.monotonic()
        try:
            if not _wait(worker.connection, self.limits.query_timeout_s, cancel):
                raise _Replace(
                    QueryTimeout(
                        f"the query ran past the deadline of {self.limits.query_timeout_s:g} s "
                        "and was stopped; narrow it or add a LIMIT"
                    )
                )
            reply = worker.connection.recv()
        except ClientGone as gone:
            log.info("client gone: killing worker %s and its query", worker.pid)
            raise _Replace(gone) from None
        except (EOFError, OSError):
            raise _Replace(self._crash_error(worker)) from None
        log.debug("query answered in %.3f s by worker %s", time.monotonic() - started, worker.pid)
        kind = reply[0]
        if kind == "ok":
            return QueryResponse(reply[1], request.result_format)
        if kind == "rejected":
            raise QueryRejected(reply[1], status=reply[2])
        if kind == "syntax":
            raise QuerySyntaxError(reply[1])
        error = QueryFailed(reply[1], status=reply[2], retry_after=5 if reply[2] == 503 else None)
        if reply[3]:
            raise _Replace(error)
        raise error

    def _crash_error(self, worker: _Worker) -> QueryFailed:
        worker.process.join(1)
        code = worker.process.exitcode
        log.warning("query worker %s stopped while answering (exit code %s)", worker.pid, code)
        if code in {-signal.SIGABRT, -signal.SIGKILL}:
            return QueryFailed(
                "the query stopped the worker answering it, most likely by needing more memory "
                f"than a query may use ({self.limits.max_memory_mb} MB); narrow it or add a LIMIT"
            )
        return QueryFailed(
            "the query stopped the worker answering it (the worker crashed); it has been "
            "replaced, but this query cannot be answered"
        )

    def _spawn(self) -> _Worker:
        parent_end, child_end = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=worker_main,
            args=(child_end, str(self.store_path), self.limits),
            name="hrgraph-query-worker",
            daemon=True,
        )
        process.start()
        child_end.close()
        worker = _Worker(process, parent_end)
        with self._lock:
            self._workers.append(worker)
        return worker

    @staticmethod
    def _ping(worker: _Worker, timeout: float) -> bool:
        try:
            worker.connection.send(("ping",))
            if worker.connection.poll(timeout):
                return bool(worker.connection.recv()[0] == "pong")
        except (EOFError, OSError):
            pass
        return False

    def _replace(self, worker: _Worker) -> _Worker | None:
        """Kill ``worker`` (if still running) and start another in its place, returned to the
        caller to use or to put back; ``None`` once the pool is closed."""
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(5)
        worker.connection.close()
        with self._lock:
            if worker in self._workers:
                self._workers.remove(worker)
            self.replacements += 1
            closed = self._closed
        log.warning("replaced query worker %s (exit code %s)", worker.pid, worker.process.exitcode)
        return None if closed else self._spawn()
