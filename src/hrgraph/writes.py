"""Writes to the on-disk store: SPARQL 1.1 Update and the Graph Store HTTP Protocol's operations,
each atomic (https://www.w3.org/TR/sparql11-update/, https://www.w3.org/TR/sparql11-http-rdf-update/).

Readers open published generations read-only, so a write never touches the generation being
served: it copies the current generation (``Store.backup``, which hard-links RocksDB's immutable
files), applies the change there in one transaction, re-materialises the inferred graph, flushes,
closes and publishes the copy. Any failure discards the copy, so nothing changes. Writes are
serialised by a lock; the credential check belongs to the HTTP layer.
"""

from __future__ import annotations

import hmac
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from hrgraph.inference import materialise
from hrgraph.querycheck import QueryRejected, check_sparql, scan
from hrgraph.settings import Limits
from hrgraph.store import GraphStore, StoreError, StoreLocation
from hrgraph.vocab import BUILD_GRAPH, INFERRED_GRAPH

PROTECTED_GRAPHS = frozenset({INFERRED_GRAPH.value, BUILD_GRAPH.value})
"""Graphs the build maintains: the inferred graph is recomputed after every write."""


class WriteRefused(Exception):
    """A write that is not applied; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class WriteResult:
    generation: str
    """The name of the published generation."""
    inferred: int
    """Triples in the re-materialised inferred graph."""
    created: bool = False
    """Whether the write created the graph it wrote to (GSP answers 201 then)."""


def tokens_match(given: str | None, expected: str | None) -> bool:
    """Constant-time comparison of a presented bearer token with the configured one.

    >>> tokens_match("s3cret", "s3cret"), tokens_match("guess", "s3cret"), tokens_match(None, "x")
    (True, False, False)
    """
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def read_token_file(path: Path) -> str:
    """The write token kept in a file (first line, surrounding spaces dropped); ``ValueError``
    if it is empty or unreadable. Tokens are never taken from the command line, where other
    users of the machine can read them."""
    try:
        token = path.read_text(encoding="utf-8").strip().splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"cannot read the write token file: {error.__class__.__name__}") from None
    if not token or not token[0].strip():
        raise ValueError("the write token file is empty")
    return token[0].strip()


class StoreWriter:
    """Applies writes to an on-disk store, one at a time, each as a new published generation."""

    def __init__(self, location: StoreLocation, limits: Limits) -> None:
        self.location, self.limits = location, limits
        self._lock = threading.Lock()

    def update(self, sparql: str) -> WriteResult:
        """Run a SPARQL 1.1 Update; raises :class:`WriteRefused` (400/413) and nothing changes."""
        if _is_query(sparql):
            raise WriteRefused("this is a query, not an update: send it to /sparql")

        def apply(store: ox.Store) -> None:
            local = frozenset(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
            try:
                check_sparql(sparql, self.limits, local_graphs=local)
            except QueryRejected as error:
                raise WriteRefused(str(error), error.status) from None
            protected = {graph: _quads(store, graph) for graph in PROTECTED_GRAPHS}
            try:
                store.update(sparql)
            except SyntaxError as error:
                raise WriteRefused(f"malformed update: syntax {error.msg or error}") from None
            except (RuntimeError, ValueError, OSError) as error:
                raise WriteRefused(f"the update failed: {error}") from None
            # However the update names them (full IRIs, prefixed names, WITH, GRAPH ?g), the
            # graphs the build maintains must come out of it unchanged.
            for graph, before in protected.items():
                if _quads(store, graph) != before:
                    raise WriteRefused(f"the graph <{graph}> is maintained by the build")

        return self._write(apply)

    def replace_graph(
        self, graph: ox.NamedNode | None, triples: Iterable[ox.Triple]
    ) -> WriteResult:
        """GSP PUT: the graph (``None``: the default graph) holds exactly these triples."""
        target = self._target(graph)
        items = list(triples)

        created: list[bool] = []

        def apply(store: ox.Store) -> None:
            if isinstance(target, ox.DefaultGraph) or _has(store, target):
                store.clear_graph(target)
            else:
                created.append(True)
            store.extend(ox.Quad(t.subject, t.predicate, t.object, target) for t in items)

        result = self._write(apply)
        return WriteResult(result.generation, result.inferred, created=bool(created))

    def add_to_graph(self, graph: ox.NamedNode | None, triples: Iterable[ox.Triple]) -> WriteResult:
        """GSP POST: the triples are added to the graph (created if needed)."""
        target = self._target(graph)
        items = list(triples)

        created: list[bool] = []

        def apply(store: ox.Store) -> None:
            if isinstance(target, ox.NamedNode) and not _has(store, target):
                created.append(True)
            store.extend(ox.Quad(t.subject, t.predicate, t.object, target) for t in items)

        result = self._write(apply)
        return WriteResult(result.generation, result.inferred, created=bool(created))

    def delete_graph(self, graph: ox.NamedNode | None) -> WriteResult:
        """GSP DELETE: the graph is removed (the default graph is emptied); 404 if absent."""
        target = self._target(graph)

        def apply(store: ox.Store) -> None:
            if isinstance(target, ox.DefaultGraph):
                store.clear_graph(target)
            elif _has(store, target):
                store.remove_graph(target)
            else:
                raise WriteRefused(f"no graph <{target.value}> in this dataset", 404)

        return self._write(apply)

    @staticmethod
    def _target(graph: ox.NamedNode | None) -> ox.NamedNode | ox.DefaultGraph:
        if graph is None:
            return ox.DefaultGraph()
        if graph.value in PROTECTED_GRAPHS:
            raise WriteRefused(f"the graph <{graph.value}> is maintained by the build")
        return graph

    def _write(self, apply: Callable[[ox.Store], None]) -> WriteResult:
        with self._lock:
            current = self.location.current()
            if current is None:
                raise WriteRefused("no built store to write to", 503)
            generation = self.location.new_generation()
            failure: BaseException | None = None
            engine: ox.Store | None = None
            try:
                ox.Store.read_only(str(current)).backup(str(generation / "db"))
                engine = ox.Store(str(generation / "db"))
                apply(engine)
                engine.clear_graph(INFERRED_GRAPH)
                inferred = materialise(GraphStore(engine, generation / "db")).triples
                engine.flush()
            except BaseException as error:
                failure = _without_tracebacks(error)
            # The store must be closed (unreferenced) before its folder is removed or published:
            # an open store writes its files back. Tracebacks would keep it open through frames.
            engine = None
            if failure is not None:
                StoreLocation.discard(generation)
                raise failure
            _point(generation)
            self.location.publish(generation)
            return WriteResult(generation.name, inferred)


_QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
_UPDATE_WORDS = frozenset(
    {"INSERT", "DELETE", "WITH", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD"}
)


def _is_query(text: str) -> bool:
    """Whether the text's first operation keyword is a query form (an update may hold a
    sub-SELECT in its WHERE clause, after its own keyword).

    >>> _is_query("SELECT * { ?s ?p ?o }"), _is_query("INSERT { ?s a 1 } WHERE { SELECT ?s {} }")
    (True, False)
    """
    for kind, word in scan(text).tokens:
        if kind == "word" and word in _QUERY_FORMS | _UPDATE_WORDS:
            return word in _QUERY_FORMS
    return False


def _quads(store: ox.Store, graph: str) -> set[ox.Quad]:
    return set(store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))


def _without_tracebacks(error: BaseException) -> BaseException:
    seen: BaseException | None = error
    while seen is not None:
        seen.__traceback__ = None
        seen = seen.__cause__ or seen.__context__
    return error


def _has(store: ox.Store, graph: ox.NamedNode | ox.DefaultGraph) -> bool:
    return isinstance(graph, ox.NamedNode) and graph in store.named_graphs()


def _point(generation: Path) -> None:
    """Keep the generation layout the readers expect (the store files at the generation's root)."""
    database = generation / "db"
    for entry in database.iterdir():
        entry.rename(generation / entry.name)
    database.rmdir()


__all__ = [
    "PROTECTED_GRAPHS",
    "StoreError",
    "StoreWriter",
    "WriteRefused",
    "WriteResult",
    "read_token_file",
    "tokens_match",
]
