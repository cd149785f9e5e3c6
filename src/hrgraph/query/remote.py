"""Running user queries on a remote store (``--store URL``): :class:`RemoteExecutor`, the
:class:`~hrgraph.query.execution.Executor` over :class:`~hrgraph.store.remote.RemoteStore`
(docs/architecture.md, layer "query").

The store answers (:mod:`hrgraph.store.answers`); this module checks each query as every executor
does (``querycheck``), bounds how many are sent at once, and raises the query layer's errors.
"""

from __future__ import annotations

import threading

from hrgraph.query.execution import (
    Overloaded,
    QueryFailed,
    QueryRequest,
    QueryResponse,
    QuerySyntaxError,
    QueryTimeout,
)
from hrgraph.settings import Limits, Service
from hrgraph.sparql.querycheck import check_sparql
from hrgraph.store.answers import RemoteQueryError, media_type
from hrgraph.store.remote import RemoteStore, RemoteStoreError


class RemoteExecutor:
    """Runs checked queries on a remote store: the same refusals as locally (``querycheck``),
    the query deadline as the HTTP timeout and the result size limit while reading.

    With ``service``, at most ``service.workers`` queries are sent at once and at most
    ``service.queue_size`` more wait; beyond that :class:`Overloaded` (503 with Retry-After),
    as with the embedded store's worker pool."""

    def __init__(self, store: RemoteStore, limits: Limits, service: Service | None = None) -> None:
        self.store, self.limits = store, limits
        self._service = service
        self._admitted = (
            threading.BoundedSemaphore(service.workers + service.queue_size) if service else None
        )
        self._running = threading.BoundedSemaphore(service.workers) if service else None

    def run(self, request: QueryRequest) -> QueryResponse:
        try:
            local = frozenset(self.store.manifest())
        except RemoteStoreError as error:
            raise QueryFailed(str(error), status=502) from None
        if not local:
            raise QueryFailed(
                "the remote store holds no hrgraph dataset yet: run `hrgraph build --store URL`",
                status=503,
            )
        check_sparql(request.query, self.limits, local_graphs=local)
        media_type(request.result_format)
        if self._admitted is None or self._running is None or self._service is None:
            return self._send(request)
        if not self._admitted.acquire(blocking=False):
            raise Overloaded(
                "every connection to the store is busy and the queue is full; try again shortly",
                retry_after=self._service.retry_after_s,
            )
        try:
            if not self._running.acquire(timeout=self.limits.query_timeout_s):
                raise QueryTimeout("the query waited past its deadline for a free connection")
            try:
                return self._send(request)
            finally:
                self._running.release()
        finally:
            self._admitted.release()

    def _send(self, request: QueryRequest) -> QueryResponse:
        return QueryResponse(
            ask(self.store, request, self.limits.query_timeout_s, self.limits.max_result_bytes),
            request.result_format,
        )


def ask(store: RemoteStore, request: QueryRequest, timeout_s: float, max_bytes: int) -> bytes:
    """The answer of the remote store to ``request`` (not checked here: :class:`RemoteExecutor`
    checks), in the request's format; the store's refusals raised as the query layer's errors:
    :class:`QuerySyntaxError` (400), :class:`QueryTimeout` (503) or :class:`QueryFailed`."""
    try:
        return store.query(
            request.query,
            request.result_format,
            default_graphs=request.default_graphs,
            named_graphs=request.named_graphs,
            timeout_s=timeout_s,
            max_bytes=max_bytes,
        )
    except RemoteQueryError as error:
        if error.status == 400:
            raise QuerySyntaxError(str(error)) from None
        if error.status == 503:
            raise QueryTimeout(str(error)) from None
        raise QueryFailed(str(error), status=error.status) from None
