"""The store the service answers from (:class:`StoreProvider`): the backend it was built with,
the embedded store's current generation (reopened when ``hrgraph build`` publishes a new one) or
a remote store, and the generation being served, read once per request. ``http.deps`` gives it
to the routes and pages."""

from __future__ import annotations

import os
from typing import Protocol

import pyoxigraph as ox
from starlette.types import Scope

from hrgraph.http.conventions import GENERATION, flags
from hrgraph.store.backend import Backend, EmbeddedBackend
from hrgraph.store.local import GraphStore
from hrgraph.store.remote import RemoteStore


class StoreView(Protocol):
    """What the service reads from a store directly (not through an executor)."""

    def named_graphs(self) -> list[ox.NamedNode]: ...


class StoreProvider:
    """Gives the store the service answers from: the backend it was built with
    (:func:`hrgraph.store.backend.open_backend`), the embedded store's current generation or a
    remote store."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self._known: tuple[tuple[int, int, int], tuple[str, float] | None] | None = None

    @property
    def remote(self) -> RemoteStore | None:
        """The remote store the service answers from (``--store URL``), if it is one."""
        return self.backend if isinstance(self.backend, RemoteStore) else None

    def generation(self) -> tuple[str, float] | None:
        """The generation being served, as a name and the time it was published (for ETag and
        Last-Modified): the on-disk store's current generation, or this process's start for a
        store given in memory; ``None`` for a remote store, whose changes the service cannot see.

        Read again only when the ``current`` link has changed: a build publishes a generation by
        putting a new link in its place, so one ``lstat`` of the link tells (its device, inode
        and time) whether the generation read last is still the one served."""
        backend = self.backend
        location = backend.store_location if isinstance(backend, EmbeddedBackend) else None
        if location is None:
            return backend.generation()
        try:
            link = os.lstat(location.current_link)
        except OSError:
            return backend.generation()
        seen = (link.st_dev, link.st_ino, link.st_mtime_ns)
        known = self._known
        if known is not None and known[0] == seen:
            return known[1]
        current = backend.generation()
        self._known = (seen, current)
        return current

    def immutable_generation(self, scope: Scope | None = None) -> str | None:
        """The name of the generation being served when its answers can never change (a
        published generation of an on-disk store), else ``None``: the answer cache's key. Read
        once per request: the one :class:`~hrgraph.http.conventions.Revalidation` read for the
        request's ``scope``, if it did."""
        backend = self.backend
        if not isinstance(backend, EmbeddedBackend) or not backend.immutable:
            return None
        shared = {} if scope is None else flags(scope)
        current = shared[GENERATION] if GENERATION in shared else self.generation()
        return None if current is None else current[0]

    def view(self) -> StoreView:
        """The store's graphs: the remote store's, or the current local store's."""
        return self.backend if self.remote is not None else self.get()

    def open(self) -> None:
        """Open the store now, so a missing or unreadable store stops start-up with its reason."""
        self.backend.named_graphs()

    def get(self) -> GraphStore:
        """The embedded store being served (its current generation)."""
        assert isinstance(self.backend, EmbeddedBackend), "a remote store has no local store"
        return self.backend.current()
