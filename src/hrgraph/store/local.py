"""The only module that knows the storage engine: an embedded Oxigraph store, on disk or in
memory (docs/architecture.md, layer "store"). An on-disk store is read from and written to one
generation at a time (:mod:`hrgraph.store.generations`)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from hrgraph.rdf.results import QueryResult
from hrgraph.store.generations import StoreError, StoreLocation, _Gone


class GraphStore:
    """A quad store answering SPARQL; the default graph is the union of the named graphs."""

    def __init__(
        self, engine: ox.Store, path: Path | None = None, pin: IO[bytes] | None = None
    ) -> None:
        self._engine = engine
        self.path = path
        self._pin = pin

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
        for _attempt in range(5):
            current = location.current()
            if current is None:
                raise StoreError(
                    f"no built store at {location.path}: run `hrgraph build --store "
                    f"{location.path}`"
                )
            try:
                pin = location.pin(current)  # pruning leaves a pinned generation alone
            except _Gone:
                continue
            try:
                return cls(ox.Store.read_only(str(current)), current, pin)
            except OSError as error:
                if pin is not None:
                    pin.close()
                raise StoreError(f"cannot open the store at {current}: {error}") from None
        raise StoreError(f"cannot open the store at {location.path}: it keeps changing")

    @classmethod
    def read_only_at(cls, generation: Path) -> GraphStore:
        """Open one generation's folder for reading (the caller keeps it from being pruned,
        e.g. by holding the store lock); raises ``OSError``."""
        return cls(ox.Store.read_only(str(generation)), generation)

    def load_file(self, path: Path, rdf_format: ox.RdfFormat, graph: ox.NamedNode) -> None:
        """Load a file of triples into ``graph`` in one transaction: all of it or nothing.

        Raises ``SyntaxError`` (with ``lineno`` and ``offset``) for malformed input. Relative
        IRIs are refused, since no base IRI is given.
        """
        self._engine.load(path=str(path), format=rdf_format, to_graph=graph)

    def load_bytes(self, data: bytes, rdf_format: ox.RdfFormat, graph: ox.NamedNode) -> None:
        """As :meth:`load_file`, from a document in memory (e.g. an upload)."""
        self._engine.load(data, format=rdf_format, to_graph=graph)

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

        The dataset follows SPARQL 1.1 (Query §13.2, Protocol §2.1.4): ``default_graphs`` /
        ``named_graphs`` (the protocol's) replace the query's own; otherwise the query's ``FROM``
        / ``FROM NAMED`` define it (a query with only ``FROM NAMED`` has an empty default
        graph); only when neither names a graph is the default graph the union of all named
        graphs, as users of a dataset with one named graph per source expect (Fuseki's
        ``unionDefaultGraph``). ``FROM`` is found as the engine reads the query
        (:func:`hrgraph.sparql.querycheck.scan`), never in a string, IRI or comment.

        >>> store = GraphStore.in_memory()
        >>> store.add_triples(ox.NamedNode("http://example.org/g"),
        ...     [ox.Triple(ox.NamedNode("http://example.org/s"),
        ...                ox.NamedNode("http://example.org/p"), ox.Literal("o"))])
        >>> bool(store.query("ASK { ?s ?p 'o' }"))
        True

        Raises ``SyntaxError`` with the parser's message and position for a malformed query.
        """
        from hrgraph.sparql.querycheck import scan

        protocol = default_graphs is not None or named_graphs is not None
        # the engine needs no word boundary after a keyword (querycheck): FROM may be glued
        union = not protocol and not any("FROM" in word for word in scan(sparql).keywords)
        return self._engine.query(
            sparql,
            use_default_graph_as_union=union,
            # the protocol's dataset is whole: named graphs alone leave the default graph empty
            default_graph=list(default_graphs or ()) if protocol else None,
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
        # counted by the engine (iterating the quads in Python took 20 times as long)
        rows = self._engine.query(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"
        )
        assert isinstance(rows, ox.QuerySolutions)
        count = next(iter(rows))["n"]
        assert isinstance(count, ox.Literal)
        return int(count.value)

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
        """Release the engine (and its files, and its pin); the object is unusable afterwards."""
        del self._engine
        if self._pin is not None:
            self._pin.close()
            self._pin = None
