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

A request waits in the queue at most ``Service.queue_timeout_s`` (then ``Overloaded``); once its
``cancel`` event is set (its client has gone), a queued request leaves the queue and a running one
has its worker killed. :meth:`WorkerPool.run_held` keeps the admission until the answer is sent,
so slow readers count against the same bound as running queries.

This module is the parent side (``asyncpool`` awaits it from the event loop); each worker
process runs :func:`hrgraph.query.worker.worker_main`.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

from hrgraph.query.execution import (
    Overloaded,
    QueryFailed,
    QueryRequest,
    QueryResponse,
    QueryTimeout,
)
from hrgraph.query.handoff import (
    POLL_S,
    ClientGone,
    Handoff,
    Replace,
    Waiter,
    Worker,
    outcome,
    wait,
)
from hrgraph.query.worker import STORE_UNAVAILABLE, worker_main
from hrgraph.settings import Limits, Service
from hrgraph.sparql.querycheck import check_sparql
from hrgraph.store.generations import StoreError

log = logging.getLogger("hrgraph.query.workers")

STARTUP_TIMEOUT_S = 60.0
"""How long a new worker may take to start (import, open the store) before it is given up."""

__all__ = ["STARTUP_TIMEOUT_S", "ClientGone", "WorkerPool"]


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
        self._free = Handoff()
        self._workers: list[Worker] = []
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
            if worker is None:
                raise RuntimeError("the query workers were stopped while they started")
            if not self._ping(worker, STARTUP_TIMEOUT_S):
                raise RuntimeError("a query worker did not start")
            self._free.put(worker)

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
        self._check(request)
        self._admit()
        try:
            response = self._admitted_run(request, cancel)
        except BaseException:
            self._release()
            raise
        return response, self._releaser()

    def _check(self, request: QueryRequest) -> None:
        """Check the query against the store's graphs before any worker sees it."""
        try:
            local = self._local_graphs()
        except StoreError as error:
            log.error("cannot read the store's graphs: %s", error)
            raise QueryFailed(STORE_UNAVAILABLE, status=503, retry_after=5) from None
        check_sparql(request.query, self.limits, local_graphs=local)

    def _releaser(self) -> Callable[[], None]:
        """Gives an admission back, once however often it is called."""
        released = threading.Lock()

        def release() -> None:
            if released.acquire(blocking=False):
                self._release()

        return release

    def admitted(self) -> int:
        """Requests admitted now: running, queued, or holding an answer being sent."""
        with self._lock:
            return self._admitted

    def _release(self) -> None:
        with self._lock:
            self._admitted -= 1

    def _admitted_run(
        self, request: QueryRequest, cancel: threading.Event | None, taken: Worker | None = None
    ) -> QueryResponse:
        """Run an admitted request on ``taken`` (a worker already out of the idle queue) or on
        the next free worker."""
        taken = self._take(cancel) if taken is None else self._ready(taken)
        worker: Worker | None = taken
        try:
            return self._run_on(taken, request, cancel)
        except Replace as replace:
            worker = None  # _recover puts back the worker it starts
            return self._recover(taken, replace, request, cancel)
        finally:
            if worker is not None:
                self._free.put(worker)

    def _recover(
        self,
        broken: Worker,
        replace: Replace,
        request: QueryRequest,
        cancel: threading.Event | None,
    ) -> QueryResponse:
        """Replace ``broken``; raise the error it carries or, if the worker was gone before it
        saw the query, run the query once more on the fresh one."""
        worker = self._replace(broken)
        try:
            if replace.error is not None:
                raise replace.error from None
            if worker is None:
                raise self._closing() from None
            try:
                return self._run_on(worker, request, cancel)
            except Replace as again:
                failed, worker = worker, None  # _replace keeps the slot if it raises
                worker = self._replace(failed)
                raise again.error or QueryFailed(
                    "no query worker could be started; try again shortly",
                    status=503,
                    retry_after=self.service.retry_after_s,
                ) from None
        finally:
            if worker is not None:
                self._free.put(worker)

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

    def _take(self, cancel: threading.Event | None = None) -> Worker:
        """A free worker; a queued request waits its turn at most ``queue_timeout_s`` and leaves
        the queue as soon as ``cancel`` is set (its client has gone)."""
        if cancel is not None and cancel.is_set():
            raise ClientGone
        arrived = threading.Event()
        waiter = Waiter(arrived.set)
        worker = self._free.take_or_wait(waiter)
        if worker is None:
            deadline = time.monotonic() + self.service.queue_timeout_s
            try:
                while not arrived.wait(min(POLL_S, deadline - time.monotonic())):
                    if cancel is not None and cancel.is_set():
                        raise ClientGone
                    if deadline - time.monotonic() <= 0:
                        raise self._queue_timeout()
            except BaseException:
                self._free.give_back(waiter)
                raise
            worker = waiter.worker
            assert worker is not None
        return self._ready(worker)

    def _queue_timeout(self) -> Overloaded:
        return Overloaded(
            "the service is busy: no query worker became free within "
            f"{self.service.queue_timeout_s:g} s; try again in {self.service.retry_after_s} s",
            retry_after=self.service.retry_after_s,
        )

    def _ready(self, worker: Worker) -> Worker:
        """``worker``, or a fresh one in its place if it has stopped or was given up."""
        if worker.usable():
            return worker
        new = self._replace(worker)
        if new is None:
            raise self._closing()
        return new

    @staticmethod
    def _closing() -> QueryFailed:
        return QueryFailed("the service is shutting down", status=503, retry_after=5)

    def _run_on(
        self, worker: Worker, request: QueryRequest, cancel: threading.Event | None = None
    ) -> QueryResponse:
        try:
            worker.connection.send(("query", request))
            if not wait(worker.connection, STARTUP_TIMEOUT_S, cancel):
                raise Replace(QueryFailed("a query worker did not respond", status=503))
            worker.connection.recv()  # ("started",)
        except ClientGone as gone:
            raise Replace(gone) from None
        except (EOFError, OSError):
            raise Replace(None) from None
        started = time.monotonic()
        try:
            if not wait(worker.connection, self.limits.query_timeout_s, cancel):
                raise Replace(self._timeout())
            reply = worker.connection.recv()
        except ClientGone as gone:
            log.info("client gone: killing worker %s and its query", worker.pid)
            raise Replace(gone) from None
        except (EOFError, OSError):
            raise Replace(self._crash_error(worker)) from None
        log.debug("query answered in %.3f s by worker %s", time.monotonic() - started, worker.pid)
        return outcome(reply, request.result_format)

    def _timeout(self) -> QueryTimeout:
        return QueryTimeout(
            f"the query ran past the deadline of {self.limits.query_timeout_s:g} s "
            "and was stopped; narrow it or add a LIMIT"
        )

    def _crash_error(self, worker: Worker) -> QueryFailed:
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

    def _spawn(self) -> Worker | None:
        """A new worker, listed as the pool's; ``None`` (and no process left) if the pool was
        closed while it started."""
        parent_end, child_end = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=worker_main,
            args=(child_end, str(self.store_path), self.limits),
            name="hrgraph-query-worker",
            daemon=True,
        )
        process.start()
        child_end.close()
        worker = Worker(process, parent_end)
        with self._lock:
            closed = self._closed
            if not closed:
                self._workers.append(worker)
        if closed:  # close() has stopped the pool's workers; this one it did not see
            process.kill()
            process.join(5)
            parent_end.close()
            return None
        return worker

    @staticmethod
    def _ping(worker: Worker, timeout: float) -> bool:
        try:
            worker.connection.send(("ping",))
            if worker.connection.poll(timeout):
                return bool(worker.connection.recv()[0] == "pong")
        except (EOFError, OSError):
            pass
        return False

    def _replace(self, worker: Worker) -> Worker | None:
        """Kill ``worker`` (if still running) and start another in its place, returned to the
        caller to use or to put back; ``None`` once the pool is closed. If no process can be
        started (no memory, too many processes or open files), ``worker``, closed, goes back to
        the free workers before the error is raised: its place in the pool is kept, and the
        next request to take it tries again."""
        with self._lock:  # no longer the pool's: close() leaves it to this thread
            if worker in self._workers:
                self._workers.remove(worker)
            self.replacements += 1
            closed = self._closed
        try:
            if worker.process.is_alive():
                worker.process.kill()
            worker.process.join(5)
            worker.connection.close()
            log.warning(
                "replaced query worker %s (exit code %s)", worker.pid, worker.process.exitcode
            )
            return None if closed else self._spawn()
        except BaseException:
            log.exception("could not start a query worker in place of %s", worker.pid)
            self._free.put(worker)
            raise
