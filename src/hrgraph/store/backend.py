"""The storage backend, chosen once (docs/architecture.md, "Seams"): every user of a
store (the CLI, the build's publish, validation, the HTTP service) asks :func:`open_backend` for
one, or is given one, and never decides between the embedded and the remote store itself.

A :class:`Backend` gives what every user needs: the named graphs, a query's answer, publishing
the data of a built store, the generation being served (for ETag and Last-Modified) and close.
The two implementations are :class:`EmbeddedBackend` (the embedded Oxigraph store, on disk with
its generations or in memory) and :class:`~hrgraph.store.remote.RemoteStore` (a SPARQL 1.1 store
over HTTP).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from hrgraph.rdf.results import serialize
from hrgraph.settings import Settings
from hrgraph.store.generations import StoreError, StoreLocation
from hrgraph.store.local import GraphStore
from hrgraph.store.remote import RemoteStore

Progress = Callable[[str], None]


class Backend(Protocol):
    """Where the graph is served from: the embedded store or a remote one."""

    @property
    def location(self) -> str:
        """Where the data is, for messages: a folder, ``memory``, or a store's origin."""
        ...

    def named_graphs(self) -> list[ox.NamedNode]:
        """The graphs of the dataset being served."""
        ...

    def query(
        self,
        sparql: str,
        result_format: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        timeout_s: float,
        max_bytes: int,
    ) -> bytes:
        """A query's answer written in ``result_format`` (a key of ``results.SOLUTION_FORMATS``
        or ``results.GRAPH_FORMATS``). Not checked here: user queries go through an executor
        (``hrgraph.query``), which checks them first."""
        ...

    def publish(self, store: GraphStore, say: Progress | None = None) -> str:
        """Make the data of a built store the data served, atomically for readers; what was
        done, for the user."""
        ...

    def generation(self) -> tuple[str, float] | None:
        """The generation being served as a name and its publication time (ETag,
        Last-Modified); ``None`` where changes cannot be seen."""
        ...

    def close(self) -> None: ...


def open_backend(settings: Settings, store: GraphStore | None = None) -> Backend:
    """The backend ``settings`` name: the remote store at ``settings.remote_store`` (``--store
    URL``), else the embedded store in ``settings.store_path``, else in memory. ``store``: serve
    this embedded store as it is (tests)."""
    if store is not None:
        return EmbeddedBackend(None, store)
    if settings.remote_store is not None:
        return RemoteStore.from_url(settings.remote_store)
    return EmbeddedBackend(StoreLocation(settings.store_path) if settings.store_path else None)


class EmbeddedBackend:
    """The embedded Oxigraph store: the current generation of an on-disk store, reopened when a
    new one is published, or a store in memory (``location`` ``None``)."""

    def __init__(self, location: StoreLocation | None, store: GraphStore | None = None) -> None:
        self.store_location = location
        self._fixed = store if store is not None else None
        self._lock = threading.Lock()
        self._store: GraphStore | None = None
        self._generation: Path | None = None
        self._started = time.time()

    @property
    def location(self) -> str:
        return str(self.store_location.path) if self.store_location is not None else "memory"

    def current(self) -> GraphStore:
        """The store being served, opened for reading (an on-disk store's current generation)."""
        if self.store_location is None:
            if self._fixed is None:
                self._fixed = GraphStore.in_memory()
            return self._fixed
        current = self.store_location.current()
        if self._store is not None and current == self._generation:
            return self._store
        with self._lock:
            if self._store is None or current != self._generation:
                self._store = GraphStore.open_read_only(self.store_location)
                self._generation = self._store.path
            return self._store

    def named_graphs(self) -> list[ox.NamedNode]:
        return self.current().named_graphs()

    def query(
        self,
        sparql: str,
        result_format: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        timeout_s: float,
        max_bytes: int,
    ) -> bytes:
        """Run in this thread, without a deadline (the service runs queries in worker
        processes, ``hrgraph.query.workers``); ``max_bytes`` bounds the answer."""
        del timeout_s
        result = self.current().query(
            sparql,
            default_graphs=None
            if default_graphs is None
            else [ox.NamedNode(g) for g in default_graphs],
            named_graphs=None if named_graphs is None else [ox.NamedNode(g) for g in named_graphs],
        )
        body = serialize(result, result_format)
        if len(body) > max_bytes:
            raise StoreError(f"the answer is over {max_bytes} bytes")
        return body

    def publish(self, store: GraphStore, say: Progress | None = None) -> str:
        """Write the data of ``store`` as a new generation and publish it (in memory: take
        ``store`` as the data served)."""
        if self.store_location is None:
            self._fixed = store
            return "kept in memory"
        location = self.store_location
        waiting = None if say is None else (lambda: say("waiting for another write to the store"))
        with location.lock(waiting=waiting):
            location.recover()
            with location.begin() as generation:
                copy = GraphStore.create(generation.path)
                try:
                    copy.add_quads(store.quads())
                    copy.flush()
                finally:
                    copy.close()
                generation.publish()
        return f"published {location.path}"

    @property
    def immutable(self) -> bool:
        """Whether a generation, once published, never changes (an on-disk store's generations;
        a store in memory may be changed in place)."""
        return self.store_location is not None

    def generation(self) -> tuple[str, float] | None:
        """An on-disk store's current generation and when it was published; for a store in
        memory, this process's start."""
        if self.store_location is None:
            return f"memory-{int(self._started)}", self._started
        current = self.store_location.current()
        if current is None:
            return None
        try:  # the link is replaced when a generation is published
            published = self.store_location.current_link.lstat().st_mtime
        except OSError:
            published = self._started
        return current.name, published

    def close(self) -> None:
        """Close the store this backend opened (a store it was given stays open); the next use
        opens it again."""
        with self._lock:
            if self._store is not None:
                self._store.close()
            self._store, self._generation = None, None
