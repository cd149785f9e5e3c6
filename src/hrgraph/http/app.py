"""The application factory: settings in, FastAPI app out (no module-level app or settings). The
only module that imports both the machine routes (``http.api``) and the pages (``http.web``): it
wires the pages' writer of resource pages into the linked-data route (``http.deps``).

An app over an on-disk store runs queries in a :class:`~hrgraph.query.workers.WorkerPool` started
and stopped with the app; an app over a store given in memory (tests) runs them in-process.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI

from hrgraph import __version__
from hrgraph.http.api import dataset, linked_data, named_queries, sparql, validation, writes
from hrgraph.http.api.docs import install_docs
from hrgraph.http.conventions import Compression, HeadAsGet, Revalidation
from hrgraph.http.deps import RequestSizeLimit
from hrgraph.http.errors import install_error_handlers
from hrgraph.http.provider import StoreProvider
from hrgraph.http.web import resource as resource_pages
from hrgraph.http.web.routes import build_router as build_web_router
from hrgraph.http.web.routes import mount_static
from hrgraph.query.cache import AnswerCache
from hrgraph.query.remote import RemoteExecutor
from hrgraph.query.workers import WorkerPool
from hrgraph.settings import Settings
from hrgraph.store.backend import EmbeddedBackend, open_backend
from hrgraph.store.local import GraphStore
from hrgraph.validation.worker import ValidationRunner


def create_app(settings: Settings, store: GraphStore | None = None) -> FastAPI:
    """The hrgraph service over ``store`` or, by default, the on-disk store in ``settings``."""
    backend = open_backend(settings, store)
    provider = StoreProvider(backend)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        remote = provider.remote
        if remote is not None:
            # Queries are answered by the remote store: the same checks and limits, the query
            # deadline as the HTTP timeout (hrgraph.query.remote).
            executor = RemoteExecutor(remote, settings.limits, settings.service)
            app.state.executor_factory = lambda: executor
        provider.open()
        pool: WorkerPool | None = None
        if isinstance(backend, EmbeddedBackend) and backend.store_location is not None:
            pool = WorkerPool(
                backend.store_location.path,
                settings.limits,
                settings.service,
                local_graphs(provider),
            )
            pool.start()
            app.state.executor_factory = lambda: pool
            app.state.worker_pool = pool
            # Queries are awaited on the event loop (query.asyncpool), but one whose worker must
            # be replaced, and every validation, holds a thread: make sure the threadpool never
            # becomes a second, unbounded queue in front of the pool's own.
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
            backend.close()

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
    # No trailing-slash redirects: Starlette builds their Location from the Host header.
    app.router.redirect_slashes = False
    app.state.settings = settings
    app.state.store_provider = provider
    app.state.validator = ValidationRunner(settings)
    app.state.resource_pages = resource_pages.write_page  # the HTML of /id/ (http.deps)
    cache_bytes = settings.service.answer_cache_mb * 1024 * 1024
    app.state.answer_cache = AnswerCache(cache_bytes) if cache_bytes > 0 else None
    install_error_handlers(app)
    app.add_middleware(RequestSizeLimit, max_bytes=settings.limits.max_request_bytes)
    app.add_middleware(  # outermost last
        Revalidation, generation=provider.generation, fingerprint=_fingerprint(settings)
    )
    app.add_middleware(Compression)
    app.add_middleware(HeadAsGet)
    app.include_router(sparql.router)
    app.include_router(named_queries.build_router(settings))
    app.include_router(validation.router)
    app.include_router(linked_data.router)
    app.include_router(dataset.router)
    app.include_router(writes.router)
    app.include_router(build_web_router(settings))
    install_docs(app)
    mount_static(app)
    return app


def freeze_startup_heap() -> None:
    """Leave what the server made while starting (its modules, the app, its routes and
    templates: about 94,000 objects) out of the cycle collector's full collections, which
    otherwise walk all of it every time and stop every request meanwhile (about 50 ms each on
    this project's machine; about 5 ms for the objects made afterwards, with the answer cache's
    keys untracked). Called once by ``hrgraph serve``, after the app is made and before it
    serves; what is frozen is still freed when nothing refers to it any more."""
    gc.collect()
    gc.freeze()


def local_graphs(provider: StoreProvider) -> Callable[[], frozenset[str]]:
    """The named graphs of the store being served, read again only when a build publishes a
    new generation: the graphs a query's FROM and USING may name."""
    cache: dict[str | None, frozenset[str]] = {}

    def graphs() -> frozenset[str]:
        generation = provider.generation()  # cheap while the generation stays the same
        name = None if generation is None else generation[0]
        if name is None or name not in cache:
            current = provider.get()
            cache.clear()
            cache[name] = frozenset(graph.value for graph in current.named_graphs())
        return cache[name]

    return graphs


def _fingerprint(settings: Settings) -> str:
    """What answers depend on besides the store and the request: the settings (never the write
    token) and the named queries' texts, read now as the service reads them (for the ETag)."""
    digest = hashlib.sha256(repr(settings).encode("utf-8"))
    if settings.queries_dir.is_dir():
        for path in sorted(settings.queries_dir.glob("*.rq")):
            digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]
