"""The data a validation reads (docs/architecture.md, layer "validation"), as a private, writable
store: a checkpoint of the built store when it was built from the current files (what the build
recorded, :func:`hrgraph.build.pipeline.recorded_sources`), else the files (or an upload) built in
memory as ``hrgraph build`` would (so derived treaty bindings exist), or the statements of a
remote store's dataset that the shapes read.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, RDFS

from hrgraph.build.pipeline import (
    BuildError,
    Source,
    build_in_memory,
    discover_sources,
    recorded_sources,
    source_checksum,
    sources_for_files,
)
from hrgraph.rdf.namespaces import NAMESPACE
from hrgraph.rdf.vocab import BUILD_GRAPH, data_graph
from hrgraph.settings import Settings
from hrgraph.store.answers import RemoteQueryError
from hrgraph.store.backend import EmbeddedBackend, open_backend
from hrgraph.store.generations import StoreError
from hrgraph.store.local import GraphStore
from hrgraph.store.remote import RemoteStore, RemoteStoreError
from hrgraph.validation import shaclsparql
from hrgraph.validation.errors import ValidationInputError, ValidatorFailure
from hrgraph.validation.reads import reads
from hrgraph.validation.shaclsparql import NotCompilable

RDF_IRI = str(RDF)
UPLOAD_NAME = "the upload"
"""How an uploaded document is named in messages and reports."""

BUILT_STORE = "the built store"


REPORT_PROPERTIES = frozenset(
    {
        RDF_IRI + "type",
        str(RDFS.label),
        NAMESPACE + "source",
        NAMESPACE + "url",
        NAMESPACE + "confidence",
        NAMESPACE + "hasFeature",
        NAMESPACE + "hasProvision",
        NAMESPACE + "requirementCode",
        NAMESPACE + "unSymbol",
        NAMESPACE + "statedIn",
    }
)
"""What the report reads besides the shapes (labels, sources, confidence, owners, and the document
that states a requirement, :func:`hrgraph.validation.outcomes.authorities`, whose ``hrg:date`` the
cut reads too)."""
CUT_PROPERTIES = frozenset(
    NAMESPACE + name
    for name in (
        "validFrom",
        "validUntil",
        "inForceFrom",
        "inForceUntil",
        "adoptionDate",
        "date",
        "hasProvision",
        "grantedBy",
        "basisAct",
    )
)
"""What :func:`excluded` reads to cut the data to a day."""
REMOTE_GRAPH = ox.NamedNode("urn:hrgraph:validation:remote")
REMOTE_TIMEOUT_S = 600.0
REMOTE_MAX_BYTES = 8 * 2**30


@dataclass
class Dataset:
    """A private, writable store holding the data to validate, what it is (``basis``), and the
    files (or graphs) it was read from."""

    store: GraphStore
    basis: str
    names: list[str]
    generation: str | None = None
    """The name of the built store's generation copied, when the data is the built store."""


def needed_predicates(compiled: shaclsparql.CompiledShapes) -> frozenset[str] | None:
    """The IRIs of every property the shapes' queries (targets and constraints) read, or
    ``None`` when one may read any triple: what a remote store must send for these shapes. Each
    query is read as :func:`hrgraph.validation.reads.reads` reads it (every triple a solution or
    an EXISTS / MINUS candidate matches has a property it names, in its steps or ``anywhere``);
    ``None`` there, or for a query it cannot read, means any property."""
    found: set[str] = set()
    queries = [q for shape in compiled.shapes for q in shape.target_queries]
    queries += [c.query for shape in compiled.shapes for c in shape.constraints]
    for text in queries:
        read = reads(text)
        if read is None:
            return None
        for predicate in {p for p, _ahead in read.steps} | read.anywhere:
            if predicate is None:
                return None
            found.add(predicate)
    return frozenset(found)


def fetch_remote(remote: RemoteStore, url: str, shapes: rdflib.Graph) -> Dataset:
    """The statements of a remote store's dataset (the graphs its manifest lists, not the build
    graph) whose property the shapes, the cut to a day or the report read
    (:func:`needed_predicates`; every statement when the shapes may
    read any), in one CONSTRUCT, as an in-memory store."""
    try:
        needed = needed_predicates(shaclsparql.compile_shapes(shapes))
    except NotCompilable:
        needed = None
    try:
        graphs = sorted(g for g in remote.manifest(fresh=True) if g != BUILD_GRAPH.value)
        if not graphs:
            raise ValidationInputError(
                f"no hrgraph dataset at {remote.clean(url)}: run `hrgraph build --store URL`"
            )
        properties = None if needed is None else needed | REPORT_PROPERTIES | CUT_PROPERTIES
        values = (
            ""
            if properties is None
            else "VALUES ?p { " + " ".join(f"<{p}>" for p in sorted(properties)) + " }"
        )
        body = remote.query(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {values} GRAPH ?g {{ ?s ?p ?o }} }}",
            "ntriples",
            default_graphs=(),
            named_graphs=tuple(graphs),
            timeout_s=REMOTE_TIMEOUT_S,
            max_bytes=REMOTE_MAX_BYTES,
        )
    except (RemoteStoreError, RemoteQueryError) as error:
        raise ValidationInputError(f"the remote store at {remote.clean(url)}: {error}") from None
    store = GraphStore.in_memory()
    try:
        store.add_quads(
            ox.Quad(t.subject, t.predicate, t.object, REMOTE_GRAPH)
            for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
        )
    except SyntaxError as error:
        raise ValidatorFailure(f"the remote store sent malformed N-Triples: {error}") from None
    size = sum(1 for _ in store.quads())
    what = "every property" if properties is None else f"{len(properties)} properties"
    basis = (
        f"the remote store ({size} statements of {what} the shapes read, from {len(graphs)} graphs)"
    )
    return Dataset(store, basis, graphs)  # the URL is left out: reports may be served to anyone


def _built_from(backend: EmbeddedBackend, sources: list[Source]) -> GraphStore | None:
    """The current generation of the built store, open for reading, if it was built from exactly
    these files: the same paths and checksums as its build recorded
    (:func:`hrgraph.build.pipeline.recorded_sources`)."""
    if backend.store_location is None:
        return None
    try:
        wanted = {(source.relative, source_checksum(source)) for source in sources}
    except OSError:
        return None
    try:
        store = backend.current()
    except StoreError:
        return None
    recorded = set(recorded_sources(store).values())
    return store if recorded == wanted else None


@contextmanager
def open_dataset(
    settings: Settings, data_files: Sequence[Path] | None, shapes: rdflib.Graph
) -> Iterator[Dataset]:
    """The data to validate: the given files, else the data of the backend ``settings`` name
    (:func:`hrgraph.store.backend.open_backend`)."""
    if data_files:
        yield _in_memory(settings, data_files=data_files)
        return
    backend = open_backend(settings)
    try:
        if isinstance(backend, RemoteStore):
            yield fetch_remote(backend, settings.remote_store or "", shapes)
            return
        assert isinstance(backend, EmbeddedBackend)
        with _built(settings, backend) as dataset:
            yield dataset
    finally:
        backend.close()


@contextmanager
def _built(settings: Settings, backend: EmbeddedBackend) -> Iterator[Dataset]:
    """A checkpoint of the built store if it is fresh, else the data files built in memory."""
    try:
        sources = discover_sources(settings)
    except BuildError as error:
        raise ValidationInputError(str(error)) from None
    names = [source.relative for source in sources]
    built = _built_from(backend, sources)
    if built is not None:
        generation = built.path
        assert generation is not None
        work = Path(tempfile.mkdtemp(prefix=".validate-", dir=generation.parent.parent))
        try:
            copy = built.checkpoint(work / "store")
        except StoreError:  # e.g. a read-only folder: build in memory instead
            copy = None
        finally:
            backend.close()
        try:
            if copy is not None:
                try:
                    name = generation.name
                    yield Dataset(copy, f"{BUILT_STORE} (generation {name})", names, name)
                finally:
                    copy.close()
                return
        finally:
            shutil.rmtree(work, ignore_errors=True)
    yield _in_memory(settings, sources=sources)


def _in_memory(
    settings: Settings,
    *,
    data_files: Sequence[Path] | None = None,
    sources: list[Source] | None = None,
) -> Dataset:
    """The given files, or ``sources``, built in memory as ``hrgraph build`` would."""
    try:
        if sources is None:
            sources = sources_for_files(settings, list(data_files or ()))
        _, store = build_in_memory(sources)
    except BuildError as error:
        raise ValidationInputError(str(error)) from None
    what = "the given files" if data_files else "the data files"
    return Dataset(store, f"{what}, built in memory", [source.relative for source in sources])


def upload_dataset(settings: Settings, triples: Sequence[ox.Triple]) -> Dataset:
    """An uploaded document's triples with the ontology, built in memory as ``hrgraph validate
    --data`` builds a file (no file is written)."""
    content = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    upload = Source(
        Path(UPLOAD_NAME), UPLOAD_NAME, data_graph("input-1"), ox.RdfFormat.N_TRIPLES, content
    )
    try:
        sources = [*discover_sources(settings)[:1], upload]
        _, store = build_in_memory(sources)
    except BuildError as error:
        raise ValidationInputError(str(error)) from None
    return Dataset(store, "the given files, built in memory", [UPLOAD_NAME])
