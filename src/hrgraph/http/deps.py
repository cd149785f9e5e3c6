"""The store the service answers from, reopened when ``hrgraph build`` publishes a new one."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox
from fastapi import Request

from hrgraph.query.execution import Executor, InProcessExecutor
from hrgraph.settings import Settings
from hrgraph.store.local import GraphStore, StoreLocation


class StoreView(Protocol):
    """What the service reads from a store directly (not through an executor)."""

    def named_graphs(self) -> list[ox.NamedNode]: ...


class StoreProvider:
    """Gives the current store: a fixed one (tests) or the current generation on disk."""

    def __init__(self, settings: Settings, store: GraphStore | None = None) -> None:
        self._fixed = store
        self._location = StoreLocation(settings.store_path) if settings.store_path else None
        self._lock = threading.Lock()
        self._store: GraphStore | None = None
        self._generation: Path | None = None
        self.remote: StoreView | None = None
        """The remote store the service answers from (``--store URL``), set by the app."""
        self._started = time.time()

    def generation(self) -> tuple[str, float] | None:
        """The generation being served, as a name and the time it was published (for ETag and
        Last-Modified): the on-disk store's current generation, or this process's start for a
        store given in memory; ``None`` for a remote store, whose changes the service cannot see.
        """
        if self.remote is not None:
            return None
        if self._location is None:
            return f"memory-{int(self._started)}", self._started
        current = self._location.current()
        if current is None:
            return None
        try:  # the link is replaced when a generation is published
            published = self._location.current_link.lstat().st_mtime
        except OSError:
            published = self._started
        return current.name, published

    def view(self) -> StoreView:
        """The store's graphs: the remote store's, or the current local store's."""
        return self.remote if self.remote is not None else self.get()

    def open(self) -> None:
        """Open the store now, so a missing or unreadable store stops start-up with its reason."""
        if self.remote is not None:
            self.remote.named_graphs()
        else:
            self.get()

    def get(self) -> GraphStore:
        if self._fixed is not None:
            return self._fixed
        assert self._location is not None
        current = self._location.current()
        if self._store is not None and current == self._generation:
            return self._store
        with self._lock:
            if self._store is None or current != self._generation:
                self._store = GraphStore.open_read_only(self._location)
                self._generation = self._store.path
            return self._store


def get_executor(request: Request) -> Executor:
    """The executor queries run on: ``app.state.executor_factory()`` where the app has one (the
    worker pool), else an in-process executor over the provider's current store."""
    factory = getattr(request.app.state, "executor_factory", None)
    if factory is not None:
        executor: Executor = factory()
        return executor
    provider: StoreProvider = request.app.state.store_provider
    settings: Settings = request.app.state.settings
    return InProcessExecutor(provider.get(), settings.limits)
