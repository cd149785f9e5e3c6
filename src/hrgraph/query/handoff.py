"""What the worker pool (``workers``) and its awaiting side (``asyncpool``) share: a worker process
and its pipe, the reading of its replies, and :class:`Handoff`, the free workers and the
requests waiting for one.

Waiting requests are served first come, first served: a worker given back goes straight to the
request that has waited longest (a thread's or a coroutine's alike), so that under load the
time a request waits is its place in the queue, not a matter of which waiter wakes first.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from hrgraph.query.execution import QueryFailed, QueryResponse, QuerySyntaxError
from hrgraph.sparql.querycheck import QueryRejected

POLL_S = 0.1
"""How often a waiting thread looks whether its client has gone."""


class ClientGone(QueryFailed):
    """The client disconnected: the request left the queue, or its worker was killed."""

    def __init__(self) -> None:
        super().__init__("the client disconnected; the query was cancelled", status=503)


class Replace(Exception):
    """The worker must be killed and replaced; carries the error to raise, if any."""

    def __init__(self, error: Exception | None) -> None:
        super().__init__()
        self.error = error


@dataclass
class Worker:
    process: BaseProcess
    connection: Connection

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def usable(self) -> bool:
        """Alive, and not given up by a request that left in the middle of a query."""
        return not self.connection.closed and self.process.is_alive()


def wait(connection: Connection, timeout: float, cancel: threading.Event | None) -> bool:
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


def outcome(reply: tuple[Any, ...], result_format: str) -> QueryResponse:
    """The response a worker's reply stands for, or its error (:class:`Replace`: replace it)."""
    kind = reply[0]
    if kind == "ok":
        return QueryResponse(reply[1], result_format)
    if kind == "rejected":
        raise QueryRejected(reply[1], status=reply[2])
    if kind == "syntax":
        raise QuerySyntaxError(reply[1])
    error = QueryFailed(reply[1], status=reply[2], retry_after=5 if reply[2] == 503 else None)
    if reply[3]:
        raise Replace(error)
    raise error


class Waiter:
    """A request waiting for a worker; ``notify`` is called (from any thread) once one is
    handed to it."""

    def __init__(self, notify: Callable[[], None]) -> None:
        self._lock = threading.Lock()
        self._open = True
        self._notify = notify
        self.worker: Worker | None = None

    def offer(self, worker: Worker) -> bool:
        """Hand ``worker`` over, unless the request has stopped waiting."""
        with self._lock:
            if not self._open:
                return False
            self._open, self.worker = False, worker
        self._notify()
        return True

    def close(self) -> Worker | None:
        """Stop waiting; the worker handed over meanwhile, if any."""
        with self._lock:
            self._open = False
            return self.worker


class Handoff:
    """The free workers, the most recently used first (its memory is the one in the processor's
    caches: at one client every query runs in the same worker), and the waiting requests, oldest
    first; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: deque[Worker] = deque()
        self._waiters: deque[Waiter] = deque()

    def put(self, worker: Worker) -> None:
        """Give ``worker`` to the request that has waited longest, or keep it free."""
        with self._lock:
            while self._waiters:
                if self._waiters.popleft().offer(worker):
                    return
            self._idle.append(worker)

    def take_now(self) -> Worker | None:
        """A free worker, or ``None``."""
        with self._lock:
            return self._idle.pop() if self._idle else None

    def take_or_wait(self, waiter: Waiter) -> Worker | None:
        """A free worker, or ``None`` with ``waiter`` queued for the next one."""
        with self._lock:
            if self._idle:
                return self._idle.pop()
            self._waiters.append(waiter)
            return None

    def withdraw(self, waiter: Waiter) -> Worker | None:
        """Take ``waiter`` out of the queue; the worker it was handed meanwhile, if any (the
        caller uses it or puts it back)."""
        with self._lock, contextlib.suppress(ValueError):
            self._waiters.remove(waiter)
        return waiter.close()

    def give_back(self, waiter: Waiter) -> None:
        """Stop waiting, putting back any worker handed over meanwhile."""
        handed = self.withdraw(waiter)
        if handed is not None:
            self.put(handed)
