"""The only module that knows the storage engine: an embedded Oxigraph store, on disk or in memory.

An on-disk store is a folder of *generations*: each build writes a new generation and then
swaps the ``current`` symbolic link to it in one atomic rename, so a failed build never
touches what is being served, and a reader opened on the old generation keeps working.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
"""Any RDF term a query can return."""
GENERATIONS_KEPT = 3
"""Older generations kept after a publish, so readers opened on them are not cut off."""


class StoreError(Exception):
    """The store cannot be opened, created or written; the message names the path."""


class StoreLocation:
    """An on-disk store folder: ``generations/<id>/`` and a ``current`` link to one of them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.current_link = path / "current"
        self.generations_dir = path / "generations"

    def check_usable(self) -> None:
        """Refuse a path that is a file, unreadable, or a non-empty folder that is not a store."""
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(f"store path {self.path} exists and is not a folder")
        if self.path.is_dir():
            if not os.access(self.path, os.R_OK | os.W_OK | os.X_OK):
                raise StoreError(f"store path {self.path} is not readable and writable")
            entries = {entry.name for entry in self.path.iterdir()}
            if entries and not entries & {"current", "generations"}:
                raise StoreError(
                    f"store path {self.path} is a non-empty folder that is not an hrgraph store; "
                    "choose an empty or new folder"
                )

    def current(self) -> Path | None:
        """The generation being served, or ``None`` if nothing was ever built here."""
        if not self.current_link.is_symlink():
            return None
        target = self.current_link.resolve()
        return target if target.is_dir() else None

    def new_generation(self) -> Path:
        """A new, empty generation folder, numbered after every existing one."""
        self.check_usable()
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        numbers = [self._number(p) for p in self._generations()]
        number = max(numbers, default=0) + 1
        while True:
            generation = self.generations_dir / f"{number:06d}-{stamp}"
            try:
                generation.mkdir(parents=True)
                return generation
            except FileExistsError:
                number += 1  # a concurrent build took this number
            except OSError as error:
                raise StoreError(
                    f"cannot create a store generation in {self.path}: {error}"
                ) from None

    def _generations(self) -> list[Path]:
        if not self.generations_dir.is_dir():
            return []
        return sorted(p for p in self.generations_dir.iterdir() if p.is_dir())

    @staticmethod
    def _number(generation: Path) -> int:
        head = generation.name.split("-", 1)[0]
        return int(head) if head.isdigit() else 0

    def publish(self, generation: Path) -> None:
        """Atomically make ``generation`` the current one, then prune old generations."""
        temporary = self.path / f".current-{os.getpid()}"
        if temporary.is_symlink():
            temporary.unlink()
        temporary.symlink_to(generation.relative_to(self.path))
        os.replace(temporary, self.current_link)
        self.prune()

    def prune(self, keep: int = GENERATIONS_KEPT) -> None:
        current = self.current()
        generations = sorted(self._generations(), key=self._number)
        for old in generations[:-keep]:
            if old != current:
                shutil.rmtree(old, ignore_errors=True)

    @staticmethod
    def discard(generation: Path) -> None:
        shutil.rmtree(generation, ignore_errors=True)


class GraphStore:
    """A quad store answering SPARQL; the default graph is the union of the named graphs."""

    def __init__(self, engine: ox.Store, path: Path | None = None) -> None:
        self._engine = engine
        self.path = path

    @classmethod
    def in_memory(cls) -> GraphStore:
        return cls(ox.Store())

    @classmethod
    def create(cls, path: Path) -> GraphStore:
        try:
            return cls(ox.Store(str(path)), path)
        except OSError as error:
            raise StoreError(f"cannot create a store at {path}: {error}") from None

    @classmethod
    def open_read_only(cls, location: StoreLocation) -> GraphStore:
        """Open the current generation of an on-disk store for reading."""
        location.check_usable()
        current = location.current()
        if current is None:
            raise StoreError(
                f"no built store at {location.path}: run `hrgraph build --store {location.path}`"
            )
        try:
            return cls(ox.Store.read_only(str(current)), current)
        except OSError as error:
            raise StoreError(f"cannot open the store at {current}: {error}") from None

    def load_file(self, path: Path, rdf_format: ox.RdfFormat, graph: ox.NamedNode) -> None:
        """Load a file of triples into ``graph`` in one transaction: all of it or nothing.

        Raises ``SyntaxError`` (with ``lineno`` and ``offset``) for malformed input. Relative
        IRIs are refused, since no base IRI is given.
        """
        self._engine.load(path=str(path), format=rdf_format, to_graph=graph)

    def add_triples(self, graph: ox.NamedNode, triples: Iterable[ox.Triple]) -> None:
        self._engine.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)

    def add_quads(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads with the bulk loader, not in one transaction: every caller writes to a store
        nobody reads yet (a build's or a write's new generation, or an in-memory store) and
        discards it whole on failure, and a large import's inferences load several times faster."""
        self._engine.bulk_extend(quads)

    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal] | None = None,
        default_graphs: Sequence[ox.NamedNode] | None = None,
        named_graphs: Sequence[ox.NamedNode] | None = None,
    ) -> QueryResult:
        """Run a SPARQL query.

        Without ``default_graphs`` the default graph is the union of all named graphs, as users
        of a dataset with one named graph per source expect (Fuseki's ``unionDefaultGraph``).

        >>> store = GraphStore.in_memory()
        >>> store.add_triples(ox.NamedNode("http://example.org/g"),
        ...     [ox.Triple(ox.NamedNode("http://example.org/s"),
        ...                ox.NamedNode("http://example.org/p"), ox.Literal("o"))])
        >>> bool(store.query("ASK { ?s ?p 'o' }"))
        True

        Raises ``SyntaxError`` with the parser's message and position for a malformed query.
        """
        return self._engine.query(
            sparql,
            use_default_graph_as_union=default_graphs is None,
            default_graph=list(default_graphs) if default_graphs is not None else None,
            named_graphs=list(named_graphs) if named_graphs is not None else None,
            substitutions=dict(substitutions) if substitutions else None,
        )

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update (atomic); only for stores nobody else reads (e.g. a
        :meth:`checkpoint`)."""
        self._engine.update(sparql)

    def quads(
        self,
        subject: ox.NamedNode | ox.BlankNode | None = None,
        predicate: ox.NamedNode | None = None,
        obj: ox.NamedNode | ox.BlankNode | ox.Literal | None = None,
    ) -> Iterator[ox.Quad]:
        """The quads matching a pattern, in every graph."""
        return iter(self._engine.quads_for_pattern(subject, predicate, obj, None))

    def remove_subject(self, subject: ox.NamedNode | ox.BlankNode) -> None:
        """Remove every statement about ``subject``, in every graph."""
        for quad in list(self._engine.quads_for_pattern(subject, None, None, None)):
            self._engine.remove(quad)

    def checkpoint(self, target: Path) -> GraphStore:
        """A private writable copy of this on-disk store at ``target`` (a folder that must not
        exist): RocksDB hard-links the immutable files, so it takes milliseconds and almost no
        space, and writes to the copy never reach this store."""
        if self.path is None:
            raise StoreError("only a store on disk can be checkpointed")
        try:
            self._engine.backup(str(target))
            return GraphStore(ox.Store(str(target)), target)
        except OSError as error:
            raise StoreError(f"cannot copy the store {self.path} to {target}: {error}") from None

    def named_graphs(self) -> list[ox.NamedNode]:
        graphs = [g for g in self._engine.named_graphs() if isinstance(g, ox.NamedNode)]
        return sorted(graphs, key=lambda g: g.value)

    def graph_size(self, graph: ox.NamedNode) -> int:
        return sum(1 for _ in self._engine.quads_for_pattern(None, None, None, graph))

    def serialize_graph(self, graph: ox.NamedNode) -> bytes:
        """One named graph as N-Triples (e.g. to upload it to a remote store)."""
        data = self._engine.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
        return data if data is not None else b""

    def graph_checksum(self, graph: ox.NamedNode) -> str:
        """SHA-256 of a graph's content in canonical form (RDFC-1.0: blank node labels do not
        matter), so two builds of the same sources give the same checksum."""
        dataset = ox.Dataset(
            ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
            for q in self._engine.quads_for_pattern(None, None, None, graph)
        )
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        lines = sorted(str(quad) for quad in dataset)
        return "sha256:" + hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()

    def contains(self, quad: ox.Quad) -> bool:
        return quad in self._engine

    def flush(self) -> None:
        if self.path is not None:
            self._engine.flush()

    def close(self) -> None:
        """Release the engine (and its files); the object is unusable afterwards."""
        del self._engine
