"""The application factory: settings in, FastAPI app out (no module-level app or settings).

An app over an on-disk store runs queries in a :class:`~hrgraph.query.workers.WorkerPool` started
and stopped with the app; an app over a store given in memory (tests) runs them in-process.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
import anyio.to_thread
from fastapi import FastAPI, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hrgraph import __version__
from hrgraph.http.api import dataset, linked_data, named_queries, sparql, validation, writes
from hrgraph.http.conventions import Compression, HeadAsGet, Revalidation
from hrgraph.http.deps import StoreProvider
from hrgraph.http.errors import ApiError, error_response_for, install_error_handlers
from hrgraph.query.workers import WorkerPool
from hrgraph.settings import Settings
from hrgraph.store.local import GraphStore
from hrgraph.store.remote import RemoteExecutor, RemoteStore
from hrgraph.validation.worker import ValidationRunner

DRAIN_MAX_BYTES = 64_000_000
"""Most of an unread request body read and discarded before an error answer, so that clients
that send the whole body before reading (Python's urllib) get the answer, not a reset."""
DRAIN_MAX_S = 10.0


def create_app(settings: Settings, store: GraphStore | None = None) -> FastAPI:
    """The hrgraph service over ``store`` or, by default, the on-disk store in ``settings``."""
    provider = StoreProvider(settings, store)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        remote: RemoteStore | None = None
        if store is None and settings.remote_store is not None:
            # Queries are answered by the remote store: the same checks and limits, the query
            # deadline as the HTTP timeout (hrgraph.store.remote).
            remote = RemoteStore.from_url(settings.remote_store)
            provider.remote = remote
            executor = RemoteExecutor(remote, settings.limits, settings.service)
            app.state.executor_factory = lambda: executor
        provider.open()
        pool: WorkerPool | None = None
        if store is None and remote is None and settings.store_path is not None:
            pool = WorkerPool(
                settings.store_path, settings.limits, settings.service, local_graphs(provider)
            )
            pool.start()
            app.state.executor_factory = lambda: pool
            app.state.worker_pool = pool
            # Every admitted query holds a thread while it waits for its worker: make sure the
            # threadpool never becomes a second, unbounded queue in front of the pool's own.
            limiter = anyio.to_thread.current_default_thread_limiter()
            service = settings.service
            needed = (
                service.workers + service.queue_size + service.validation_workers
                + service.validation_queue + 16
            )  # fmt: skip
            limiter.total_tokens = max(limiter.total_tokens, needed)
        try:
            yield
        finally:
            if pool is not None:
                app.state.executor_factory = None
                pool.close()
            if remote is not None:
                app.state.executor_factory = None
                remote.close()

    app = FastAPI(
        title="hrgraph",
        version=__version__,
        description=(
            "A knowledge graph of human-rights obligations and the institutions that carry them "
            "out. SPARQL 1.1 at /sparql; the default graph is the union of all named graphs."
        ),
        lifespan=lifespan,
        docs_url=None,  # /docs is served from local assets (api.docs), /redoc points to it
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store_provider = provider
    app.state.validator = ValidationRunner(settings)
    install_error_handlers(app)
    app.add_middleware(RequestSizeLimit, max_bytes=settings.limits.max_request_bytes)
    app.add_middleware(Revalidation, generation=provider.generation)  # outermost last
    app.add_middleware(Compression)
    app.add_middleware(HeadAsGet)
    app.include_router(sparql.router)
    app.include_router(named_queries.build_router(settings))
    app.include_router(validation.router)
    app.include_router(linked_data.router)
    app.include_router(dataset.router)
    app.include_router(writes.router)
    from hrgraph.http.api.docs import install_docs
    from hrgraph.http.web.routes import build_router as build_web_router  # the web pages import
    from hrgraph.http.web.routes import mount_static  # hrgraph.http.errors: imported late, no cycle

    app.include_router(build_web_router(settings))
    install_docs(app)
    mount_static(app)
    return app


def local_graphs(provider: StoreProvider) -> Callable[[], frozenset[str]]:
    """The named graphs of the store being served, read again only when a build publishes a
    new generation: the graphs a query's FROM and USING may name."""
    cache: dict[Path | None, frozenset[str]] = {}

    def graphs() -> frozenset[str]:
        current = provider.get()
        if current.path not in cache:
            cache.clear()
            cache[current.path] = frozenset(graph.value for graph in current.named_graphs())
        return cache[current.path]

    return graphs


class RequestSizeLimit:
    """Refuses request bodies over ``max_bytes`` with 413, by ``Content-Length`` before reading
    and by counting for chunked bodies, so no handler ever holds a larger body in memory.

    Before any answer to a request whose body has not been read to its end, the rest of the
    body is read and discarded (at most :data:`DRAIN_MAX_BYTES`, for at most
    :data:`DRAIN_MAX_S`): a client that sends its whole body before reading the answer then
    reads it (a connection closed with unread data is reset, and the answer lost). A body past
    that bound, or a client waiting for ``100 Continue``, gets the answer and
    ``Connection: close`` without being read."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Request(scope).headers
        declared = headers.get("content-length")
        chunked = "chunked" in headers.get("transfer-encoding", "").lower()
        waits_for_continue = headers.get("expect", "").lower() == "100-continue"
        body = {"complete": not chunked and (declared is None or declared.strip() == "0")}
        received = 0

        async def tracked_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if not message.get("more_body", False):
                    body["complete"] = True
            else:
                body["complete"] = True
            return message

        async def drain() -> None:
            if body["complete"] or (waits_for_continue and received == 0):
                return
            if declared is not None and (
                not declared.strip().isdigit() or int(declared) > DRAIN_MAX_BYTES
            ):
                return
            with anyio.move_on_after(DRAIN_MAX_S):
                while not body["complete"] and received <= DRAIN_MAX_BYTES:
                    await tracked_receive()

        async def draining_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                await drain()
                if not body["complete"]:
                    message = dict(message)
                    message["headers"] = [*message.get("headers", []), (b"connection", b"close")]
            await send(message)

        refusal: tuple[int, str] | None = None
        if declared is not None and not declared.strip().isdigit():
            refusal = (400, "the Content-Length header is not a number")
        elif declared is not None and int(declared) > self.max_bytes:
            refusal = (413, self._too_large())
        if refusal is not None:
            response = error_response_for(Request(scope), *refusal)
            await response(scope, tracked_receive, draining_send)
            return

        async def limited_receive() -> Message:
            message = await tracked_receive()
            if message["type"] == "http.request" and received > self.max_bytes:
                raise ApiError(413, self._too_large())
            return message

        await self.app(scope, limited_receive, draining_send)

    def _too_large(self) -> str:
        return f"the request body is over {self.max_bytes} bytes, the most this service reads"
