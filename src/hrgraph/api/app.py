"""The application factory: settings in, FastAPI app out (no module-level app or settings)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from hrgraph import __version__
from hrgraph.api import sparql
from hrgraph.api.errors import install_error_handlers
from hrgraph.api.state import StoreProvider
from hrgraph.settings import Settings
from hrgraph.store import GraphStore


def create_app(settings: Settings, store: GraphStore | None = None) -> FastAPI:
    """The hrgraph service over ``store`` or, by default, the on-disk store in ``settings``."""
    provider = StoreProvider(settings, store)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        provider.open()
        yield

    app = FastAPI(
        title="hrgraph",
        version=__version__,
        description=(
            "A knowledge graph of human-rights obligations and the institutions that carry them "
            "out. SPARQL 1.1 at /sparql; the default graph is the union of all named graphs."
        ),
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store_provider = provider
    install_error_handlers(app)
    app.include_router(sparql.router)
    return app
