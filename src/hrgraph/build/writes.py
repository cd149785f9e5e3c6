"""Writes to the on-disk store: SPARQL 1.1 Update and the Graph Store HTTP Protocol's operations,
each atomic (https://www.w3.org/TR/sparql11-update/, https://www.w3.org/TR/sparql11-http-rdf-update/).

Readers open published generations read-only, so a write never touches the generation being
served: it copies the current generation (``Store.backup``, which hard-links RocksDB's immutable
files), applies the change there in one transaction, re-materialises the inferred graph, flushes,
closes and publishes the copy. Any failure discards the copy, so nothing changes. The credential
check belongs to the HTTP layer; over HTTP, each write runs in a child process
(``hrgraph.build.update_worker``).

One writer at a time across processes: :class:`StoreWriter` holds the store lock
(:meth:`hrgraph.store.generations.StoreLocation.lock`) from reading the current generation
until it has published, as builds and imports do, so no publisher overwrites another's work.

No lost write, by a **write log** that every build replays. Each HTTP write is kept in
``{store}/writes/NNNNNN.ru`` (an update: its SPARQL text) or ``NNNNNN.nt`` (a Graph Store
``put``/``post``/``delete``: a comment line with the operation and graph, then N-Triples), named
by the number of the generation it published. ``hrgraph build`` loads the sources, then replays
the log in order (:func:`replay`). A log rather than named graphs carried over, because an update
may change any graph, curated ones included, and may depend on what it reads: only replaying the
operations in order reproduces the store. The entry is staged (fsynced, under a name recording
its generation) before the switch of ``current``, which is the commit point: it counts if and only
if that generation was published, so a crash on either side leaves the store and the log
agreeing. A write is acknowledged only after the switch; one cancelled before it (its client
gone: ``confirm`` answers ``False``) is not applied, one published stays.
"""

from __future__ import annotations

import hmac
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from hrgraph.build.inference import materialise
from hrgraph.errors import BadInput, Unavailable
from hrgraph.rdf.vocab import BUILD_GRAPH, INFERRED_GRAPH
from hrgraph.settings import Limits
from hrgraph.sparql.querycheck import QueryRejected, check_sparql, scan
from hrgraph.store.generations import WRITES_FOLDER, StoreBusy, StoreError, StoreLocation
from hrgraph.store.local import GraphStore

MAX_WRITE_QUADS = 1_000_000
"""The most quads one write may add (413 beyond)."""
LOCK_WAIT_S = 60.0
"""How long a write waits for another process's build, import or write to finish."""
PROTECTED_GRAPHS = frozenset({INFERRED_GRAPH.value, BUILD_GRAPH.value})
"""Graphs the build maintains: the inferred graph is recomputed after every write."""


class WriteRefused(BadInput):
    """A write that is not applied; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message, status=status)


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


class WriteCancelled(Unavailable):
    """The write was ready but not published (its client went away, or the service is
    stopping): nothing changed."""


Confirm = Callable[[WriteResult], bool]
"""Asked once a write is ready to publish; ``False`` cancels it (nothing changes)."""


class StoreWriter:
    """Applies writes to an on-disk store, one at a time across processes (the store lock), each
    as a new published generation; HTTP writes are also kept in the write log (``journal``)."""

    def __init__(
        self,
        location: StoreLocation,
        limits: Limits,
        *,
        journal: bool = True,
        lock_wait_s: float | None = LOCK_WAIT_S,
        on_locked: Callable[[], None] | None = None,
        confirm: Confirm | None = None,
    ) -> None:
        self.location, self.limits = location, limits
        self.journal, self.lock_wait_s = journal, lock_wait_s
        self.on_locked, self.confirm = on_locked, confirm
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
            size = len(store)
            try:
                store.update(sparql)
            except SyntaxError as error:
                raise WriteRefused(f"malformed update: syntax {error.msg or error}") from None
            except (RuntimeError, ValueError, OSError) as error:
                if isinstance(error, OSError) or _names_files(error, self.location):
                    # the storage (RocksDB) failed, not the update: a 5xx, its message only logged
                    raise StoreError(f"cannot write {self.location.path}: {error}") from None
                raise WriteRefused(f"the update failed: {error}") from None
            # However the update names them (full IRIs, prefixed names, WITH, GRAPH ?g), the
            # graphs the build maintains must come out of it unchanged.
            for graph, before in protected.items():
                if _quads(store, graph) != before:
                    raise WriteRefused(f"the graph <{graph}> is maintained by the build")
            if len(store) - size > MAX_WRITE_QUADS:
                raise WriteRefused(
                    f"the update would add more than {MAX_WRITE_QUADS} triples, the most one write "
                    "may add; split it (nothing was applied)",
                    413,
                )

        return self._write(apply, lambda: ("ru", sparql.encode("utf-8")))

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

        return self._write(apply, lambda: ("nt", _gsp_entry("put", target, items)), created=created)

    def add_to_graph(self, graph: ox.NamedNode | None, triples: Iterable[ox.Triple]) -> WriteResult:
        """GSP POST: the triples are added to the graph (created if needed)."""
        target = self._target(graph)
        items = list(triples)
        created: list[bool] = []

        def apply(store: ox.Store) -> None:
            if isinstance(target, ox.NamedNode) and not _has(store, target):
                created.append(True)
            store.extend(ox.Quad(t.subject, t.predicate, t.object, target) for t in items)

        return self._write(
            apply, lambda: ("nt", _gsp_entry("post", target, items)), created=created
        )

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

        return self._write(apply, lambda: ("nt", _gsp_entry("delete", target, [])))

    @staticmethod
    def _target(graph: ox.NamedNode | None) -> ox.NamedNode | ox.DefaultGraph:
        if graph is None:
            return ox.DefaultGraph()
        if graph.value in PROTECTED_GRAPHS:
            raise WriteRefused(f"the graph <{graph.value}> is maintained by the build")
        return graph

    def apply_with_files(
        self, apply: Callable[[ox.Store], None], staged: Sequence[tuple[Path, Path]]
    ) -> WriteResult:
        """A change made outside the write log, with files that come into place if and only if
        it is published (``staged``: temporary, final): how an import saves its triples for the
        next build (:func:`hrgraph.build.importers.apply.apply_import`)."""
        return self._write(apply, staged=staged)

    def _write(
        self,
        apply: Callable[[ox.Store], None],
        entry: Callable[[], tuple[str, bytes]] | None = None,
        *,
        created: list[bool] | None = None,
        staged: Sequence[tuple[Path, Path]] = (),
    ) -> WriteResult:
        """Under the store lock: copy the current generation, ``apply`` the change, re-infer,
        then (once ``confirm`` agrees) stage the write-log ``entry`` and the ``staged`` files
        (temporary, final) and publish. Any failure or a refusal leaves everything unchanged."""
        with self._lock:
            try:
                with self.location.lock(self.lock_wait_s):
                    self.location.recover()
                    if self.on_locked is not None:
                        self.on_locked()
                    return self._write_locked(
                        apply, entry, created if created is not None else [], staged
                    )
            except StoreBusy as error:
                raise WriteRefused(str(error), 503) from None

    def _write_locked(
        self,
        apply: Callable[[ox.Store], None],
        entry: Callable[[], tuple[str, bytes]] | None,
        created: list[bool],
        staged: Sequence[tuple[Path, Path]],
    ) -> WriteResult:
        current = self.location.current()
        if current is None:
            raise WriteRefused("no built store to write to", 503)
        with self.location.begin() as generation:  # discarded unless published
            inferred = _fill_copy(current, generation.path, apply)
            result = WriteResult(generation.name, inferred, created=bool(created))
            if self.confirm is not None and not self.confirm(result):
                raise WriteCancelled("the write was cancelled before it was published")
            if entry is not None and self.journal:
                suffix, data = entry()
                self.location.writes_dir.mkdir(exist_ok=True)
                final = self.location.writes_dir / f"{generation.number:06d}.{suffix}"
                temporary = self.location.writes_dir / f".{final.name}.{os.getpid()}.tmp"
                header = f"# hrgraph write {generation.name} {_now()}\n".encode()
                temporary.write_bytes(header + data)
                generation.stage(temporary, final)
            for temporary, final in staged:
                generation.stage(temporary, final)
            generation.publish()  # the commit point: the switch of `current`
        return result


def _fill_copy(current: Path, generation: Path, apply: Callable[[ox.Store], None]) -> int:
    """Copy ``current`` into the new ``generation``, ``apply`` the change and re-infer; returns
    the number of inferred triples. The store is closed (unreferenced) before returning or
    raising: an open store writes its files back into a folder being removed or published, and
    a traceback would keep it open through its frames."""
    failure: BaseException | None = None
    engine: ox.Store | None = None
    inferred = 0
    try:
        ox.Store.read_only(str(current)).backup(str(generation / "db"))
        engine = ox.Store(str(generation / "db"))
        apply(engine)
        engine.clear_graph(INFERRED_GRAPH)
        inferred = materialise(GraphStore(engine, generation / "db")).triples
        engine.flush()
    except BaseException as error:
        failure = _without_tracebacks(error)
    engine = None
    if failure is not None:
        raise failure
    _point(generation)
    return inferred


# --- the write log -----------------------------------------------------------------------------


def journal_entries(store_path: Path | None) -> list[Path]:
    """The write log's entries (published writes, oldest first), for the build to replay; read
    under the store lock, after :meth:`StoreLocation.recover`."""
    if store_path is None:
        return []
    folder = store_path / WRITES_FOLDER
    if not folder.is_dir():
        return []
    entries = [p for p in folder.iterdir() if p.suffix in {".ru", ".nt"} and p.stem.isdigit()]
    return sorted(entries, key=lambda p: int(p.stem))


def replay(store: GraphStore, entry: Path) -> None:
    """Apply one write-log entry to ``store`` (a build's new generation). Raises ``ValueError``
    with the reason if it no longer applies, ``OSError`` if it cannot be read or the store
    cannot be written; the store is then unchanged."""
    if entry.suffix == ".ru":
        try:
            store.update(entry.read_text(encoding="utf-8"))
        except (SyntaxError, RuntimeError, ValueError) as error:
            raise ValueError(str(error)) from None
        return
    with entry.open("rb") as handle:
        handle.readline()  # "# hrgraph write <generation> <time>"
        fields = handle.readline().decode("utf-8").split()
    if len(fields) != 4 or fields[:2] != ["#", "graph-store"]:
        raise ValueError("not a Graph Store write")
    operation, graph_text = fields[2], fields[3]
    target = "DEFAULT" if graph_text == "default" else f"GRAPH {graph_text}"
    if operation in {"put", "delete"}:
        store.update(f"{'CLEAR' if target == 'DEFAULT' else 'DROP'} SILENT {target}")
    if operation in {"put", "post"}:
        graph: ox.NamedNode | ox.DefaultGraph = (
            ox.DefaultGraph() if graph_text == "default" else ox.NamedNode(graph_text[1:-1])
        )
        try:
            store.load_file(entry, ox.RdfFormat.N_TRIPLES, graph)  # type: ignore[arg-type]
        except (SyntaxError, OSError) as error:
            raise ValueError(str(error)) from None


def _gsp_entry(
    operation: str, target: ox.NamedNode | ox.DefaultGraph, triples: list[ox.Triple]
) -> bytes:
    """A Graph Store write as a log entry: its operation and graph on a comment line, then the
    triples as N-Triples (so the entry loads as it is)."""
    graph = "default" if isinstance(target, ox.DefaultGraph) else f"<{target.value}>"
    body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) if triples else b""
    return f"# graph-store {operation} {graph}\n".encode() + (body or b"")


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


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


def _names_files(error: Exception, location: StoreLocation) -> bool:
    """Whether an engine error names the store's files (a storage error, not the update's)."""
    folder = location.generations_dir
    return any(str(path) in str(error) for path in {folder, folder.absolute(), folder.resolve()})


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
    "WriteCancelled",
    "WriteRefused",
    "WriteResult",
    "journal_entries",
    "read_token_file",
    "replay",
    "tokens_match",
]
