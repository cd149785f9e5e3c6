"""Running a query on a :class:`~hrgraph.query.workers.WorkerPool` from the event loop, without a
thread per request (the HTTP service's path for every query it answers).

The checks, the admission bound, the queue (first come, first served: ``handoff``), the deadlines
and the cancellation are the pool's own; only the waiting differs. The request waits for a free
worker as a future, sends it the query and reads the reply from the worker's pipe as it arrives
(``loop.add_reader``: the loop never blocks on a reply, however large), with the query deadline
as a timer and the client's disconnect (:class:`Cancel`) as a wake-up. What may block (killing
and replacing a worker) runs in a thread exactly as in
:meth:`WorkerPool.run_held <hrgraph.query.workers.WorkerPool.run_held>`. A request cancelled while
its worker holds its query gives the worker up: it is killed and replaced, never reused with a
reply still in its pipe.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import struct
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.reduction import ForkingPickler
from typing import Any

import anyio.to_thread

from hrgraph.query.execution import QueryFailed, QueryRequest, QueryResponse
from hrgraph.query.handoff import ClientGone, Replace, Waiter, Worker, outcome
from hrgraph.query.workers import STARTUP_TIMEOUT_S, WorkerPool

log = logging.getLogger("hrgraph.query.workers")
READ_BYTES = 1 << 20
"""Most bytes read from a worker's pipe at a time."""


class Cancel(threading.Event):
    """An event set once the client has gone, which also wakes a request awaiting its worker.
    Set it from the event loop's thread (the watcher of the client's connection does)."""

    def __init__(self) -> None:
        super().__init__()
        self.wakers: list[Callable[[], None]] = []

    def set(self) -> None:
        super().set()
        for wake in list(self.wakers):
            wake()


async def run_held(
    pool: WorkerPool, request: QueryRequest, cancel: Cancel | None = None
) -> tuple[QueryResponse, Callable[[], None]]:
    """:meth:`WorkerPool.run_held`, awaited: the response and the function that gives the
    request's admission back once its answer has been sent."""
    pool._check(request)
    pool._admit()
    try:
        response = await _admitted_run(pool, request, cancel)
    except BaseException:
        pool._release()
        raise
    return response, pool._releaser()


async def _admitted_run(
    pool: WorkerPool, request: QueryRequest, cancel: Cancel | None
) -> QueryResponse:
    worker = await _take(pool, cancel)
    if not worker.usable():  # replace it, in a thread
        return await _in_thread(pool, worker, pool._admitted_run, request, cancel, worker)
    try:
        reply = await _exchange(pool, worker, request, cancel)
    except Replace as replace:
        return await _in_thread(pool, worker, pool._recover, worker, replace, request, cancel)
    except _Crashed:
        return await _in_thread(pool, worker, _recover_crash, pool, worker, request, cancel)
    except BaseException:
        # Cancelled while the worker holds the query: give it up (kill it, never reuse it with a
        # reply in its pipe).
        _give_up(pool, worker)
        raise
    try:
        response = outcome(reply, request.result_format)
    except Replace as replace:
        return await _in_thread(pool, worker, pool._recover, worker, replace, request, cancel)
    except BaseException:
        pool._free.put(worker)
        raise
    pool._free.put(worker)
    return response


async def _take(pool: WorkerPool, cancel: Cancel | None) -> Worker:
    """A free worker, as ``WorkerPool._take`` gives one: in turn, within the queue timeout,
    unless the client goes first."""
    if cancel is not None and cancel.is_set():
        raise ClientGone
    loop = asyncio.get_running_loop()
    arrived: asyncio.Future[None] = loop.create_future()

    def settle() -> None:
        if not arrived.done():
            arrived.set_result(None)

    def notify() -> None:  # from whichever thread gives a worker back
        loop.call_soon_threadsafe(settle)

    waiter = Waiter(notify)
    worker = pool._free.take_or_wait(waiter)
    if worker is not None:
        return worker
    timer = loop.call_later(max(0.0, pool.service.queue_timeout_s), settle)
    if cancel is not None:
        cancel.wakers.append(settle)
    try:
        await arrived
    except BaseException:
        pool._free.give_back(waiter)
        raise
    finally:
        timer.cancel()
        if cancel is not None:
            cancel.wakers.remove(settle)
    handed = pool._free.withdraw(waiter)
    if cancel is not None and cancel.is_set():
        if handed is not None:
            pool._free.put(handed)
        raise ClientGone
    if handed is None:
        raise pool._queue_timeout()
    return handed


class _Crashed(Exception):
    """The worker's pipe closed while it answered: it stopped (crash, memory, kill)."""


def _recover_crash(
    pool: WorkerPool, worker: Worker, request: QueryRequest, cancel: Cancel | None
) -> QueryResponse:
    return pool._recover(worker, Replace(pool._crash_error(worker)), request, cancel)


async def _in_thread(
    pool: WorkerPool, worker: Worker, function: Callable[..., QueryResponse], *args: Any
) -> QueryResponse:
    """``function(*args)`` in a thread, where it puts ``worker`` back or replaces it. A request
    cancelled before the thread has started it (anyio may wait for a free thread first) gives
    the worker up instead: never lost to the pool, never left holding a query."""
    began = threading.Event()

    def run() -> QueryResponse:
        began.set()
        return function(*args)

    try:
        return await anyio.to_thread.run_sync(run)
    except BaseException:
        if not began.is_set():  # once started, the thread runs to its end (not abandoned)
            _give_up(pool, worker)
        raise


def _give_up(pool: WorkerPool, worker: Worker) -> None:
    """Kill ``worker`` and start its replacement now, in a thread, rather than in the path of
    the next request that would take it."""
    threading.Thread(
        target=_replace_given_up, args=(pool, worker), name="hrgraph-replace", daemon=True
    ).start()


def _replace_given_up(pool: WorkerPool, worker: Worker) -> None:
    """Kill a worker given up and put a fresh one in its place (none once the pool is
    closed), once it answers: started, with the store open, not a cold process that the next
    request would wait for. If none can be started, ``_replace`` has put the closed worker back
    (the next request to take it tries again)."""
    try:
        fresh = pool._replace(worker)
    except Exception:  # logged by _replace
        return
    if fresh is None:
        return
    try:
        if not pool._ping(fresh, STARTUP_TIMEOUT_S):
            fresh.connection.close()  # a late "pong" must never meet a query: replaced when taken
    finally:
        pool._free.put(fresh)


async def _exchange(
    pool: WorkerPool, worker: Worker, request: QueryRequest, cancel: Cancel | None
) -> tuple[Any, ...]:
    """Send the query to ``worker`` and await its reply, as ``WorkerPool._run_on`` does."""
    inbox = _Inbox(worker.connection)
    try:
        worker.connection.send(("query", request))
        if await inbox.receive(STARTUP_TIMEOUT_S, cancel) is None:  # ("started",)
            raise Replace(QueryFailed("a query worker did not respond", status=503))
    except ClientGone as gone:
        raise Replace(gone) from None
    except (EOFError, OSError):
        raise Replace(None) from None
    try:
        reply = await inbox.receive(pool.limits.query_timeout_s, cancel)
    except ClientGone as gone:
        log.info("client gone: killing worker %s and its query", worker.pid)
        raise Replace(gone) from None
    except (EOFError, OSError):
        raise _Crashed from None
    if reply is None:
        raise Replace(pool._timeout())
    return reply


class _Inbox:
    """The messages of a worker's pipe (``multiprocessing.connection``'s framing: a length,
    then the pickled object), read as they arrive: the event loop never blocks on a reply, however
    large, and never reads past the reply it waits for."""

    def __init__(self, connection: Connection) -> None:
        self.fd = connection.fileno()
        self.buffer = bytearray()

    def _complete(self) -> tuple[int, int] | None:
        """Where the first whole message in the buffer starts and ends, if there is one."""
        buffer = self.buffer
        if len(buffer) < 4:
            return None
        (size,), start = struct.unpack_from("!i", buffer), 4
        if size == -1:  # a message over 2 GiB: an 8-byte length follows
            if len(buffer) < 12:
                return None
            (size,), start = struct.unpack_from("!Q", buffer, 4), 12
        return (start, start + size) if len(buffer) >= start + size else None

    def _take(self, bounds: tuple[int, int]) -> tuple[Any, ...]:
        start, end = bounds
        with memoryview(self.buffer) as view, view[start:end] as message:
            value: tuple[Any, ...] = ForkingPickler.loads(message)
        del self.buffer[:end]
        return value

    async def receive(self, timeout: float, cancel: Cancel | None) -> tuple[Any, ...] | None:
        """The next message, or ``None`` if none has come within ``timeout`` s;
        :class:`ClientGone` once ``cancel`` is set, ``EOFError`` if the pipe closes."""
        bounds = self._complete()
        if bounds is not None:
            return self._take(bounds)
        if cancel is not None and cancel.is_set():
            raise ClientGone
        loop = asyncio.get_running_loop()
        woken: asyncio.Future[str] = loop.create_future()

        def wake(outcome: str) -> None:
            if not woken.done():
                woken.set_result(outcome)

        def readable() -> None:
            try:
                chunk = os.read(self.fd, READ_BYTES)
            except BlockingIOError:
                return
            except OSError as error:
                if not woken.done():
                    woken.set_exception(error)
                return
            if not chunk:
                if not woken.done():
                    woken.set_exception(EOFError())
                return
            self.buffer += chunk
            if self._complete() is not None:
                wake("message")

        def gone() -> None:
            wake("gone")

        os.set_blocking(self.fd, False)
        loop.add_reader(self.fd, readable)
        timer = loop.call_later(timeout, wake, "late")
        if cancel is not None:
            cancel.wakers.append(gone)
        try:
            outcome = await woken
        finally:
            loop.remove_reader(self.fd)
            with contextlib.suppress(OSError):
                os.set_blocking(self.fd, True)  # as the pool's threads expect it
            timer.cancel()
            if cancel is not None:
                cancel.wakers.remove(gone)
        if outcome == "gone":
            raise ClientGone
        bounds = self._complete()
        return None if bounds is None else self._take(bounds)
