"""Build: the ontology and every file in ``data/`` into one store, a named graph per source file,
plus a graph of materialised inferences (see ``ontology/README.md``, "What the build infers").

Files are read in a fixed order (the ontology, then ``data/`` sorted by name, then the imports
kept in ``{store}/imports/``), so the same sources give the same graphs. An on-disk build writes
a new store generation and publishes it only when everything has loaded: a bad file leaves the
previous store serving.

An on-disk build holds the store lock (``hrgraph.store.generations``) from reading the write log to
publishing, so no write or import can happen in between and be lost, and then *replays the write
log* (``{store}/writes/``, see ``hrgraph.build.writes``): every write acknowledged over HTTP, in the
order it was published, on top of the sources. A rebuild therefore keeps what was written. An
entry that no longer applies to the new sources (e.g. a ``DROP GRAPH`` of a graph a data file no
longer has) is skipped with a warning naming it.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from hrgraph import __version__
from hrgraph.build import changes, timecheck
from hrgraph.build.inference import materialise
from hrgraph.errors import BadInput
from hrgraph.rdf.vocab import (
    BUILD_GRAPH,
    DCTERMS,
    INFERRED_GRAPH,
    ONTOLOGY_GRAPH,
    RDF_TYPE,
    SPDX,
    VOID,
    XSD,
    data_graph,
)
from hrgraph.settings import Settings
from hrgraph.store.backend import open_backend
from hrgraph.store.generations import WRITES_FOLDER, StoreError, StoreLocation
from hrgraph.store.local import GraphStore
from hrgraph.store.remote import RemoteStore

DATA_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES}
"""Data files the build reads; each holds triples only and becomes one named graph."""

Progress = Callable[[str], None]
LOCK_WAIT_S = 600.0
"""How long a build waits for a write or an import in another process to finish."""


class BuildError(BadInput):
    """A source cannot be built; names the file and, for syntax errors, the line and column."""

    def __init__(
        self, path: str, message: str, line: int | None = None, column: int | None = None
    ) -> None:
        self.path, self.line, self.column, self.message = path, line, column, message
        where = path if line is None else f"{path}:{line}:{column or 1}"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Source:
    path: Path
    relative: str
    graph: ox.NamedNode
    format: ox.RdfFormat
    content: bytes | None = None
    """The source's bytes when it is not read from ``path`` (an upload: no file is written)."""


def source_checksum(source: Source) -> str:
    """The checksum a build records for a source (``spdx:checksumValue`` in the build graph):
    SHA-256 of its bytes. Raises ``OSError`` if the file cannot be read."""
    return _checksum(source.content if source.content is not None else source.path.read_bytes())


def _checksum(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def recorded_sources(store: GraphStore) -> dict[str, tuple[str, str]]:
    """What the build of ``store`` recorded in its build graph: for each source's graph, the
    source (as :attr:`Source.relative`) and its :func:`source_checksum`."""
    rows = store.query(
        f"""SELECT ?graph ?file ?sum WHERE {{ GRAPH <{BUILD_GRAPH.value}> {{
            ?graph <{DCTERMS}identifier> ?file ; <{SPDX}checksumValue> ?sum }} }}"""
    )
    assert isinstance(rows, ox.QuerySolutions)
    return {
        row["graph"].value: (row["file"].value, row["sum"].value)
        for row in rows
        if row["graph"] is not None and row["file"] is not None and row["sum"] is not None
    }


@dataclass(frozen=True)
class GraphReport:
    graph: str
    source: str
    triples: int


@dataclass
class BuildReport:
    graphs: list[GraphReport] = field(default_factory=list)
    inferred: int = 0
    replayed: int = 0
    """Writes replayed from the store's write log."""
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    location: str = "memory"


def discover_sources(settings: Settings) -> list[Source]:
    """The ontology, then every data file in ``data/`` by name."""
    if not settings.ontology_path.is_file():
        raise BuildError(str(settings.ontology_path), "the ontology file is missing")
    sources = [
        Source(
            settings.ontology_path,
            _relative(settings.ontology_path, settings.root),
            ONTOLOGY_GRAPH,
            ox.RdfFormat.TURTLE,
        )
    ]
    if not settings.data_dir.is_dir():
        raise BuildError(str(settings.data_dir), "the data folder is missing")
    seen: dict[str, Path] = {}
    for path in sorted(settings.data_dir.iterdir()):
        rdf_format = DATA_FORMATS.get(path.suffix)
        if rdf_format is None or not path.is_file():
            continue
        relative = _relative(path, settings.root)
        if path.stem in seen:
            raise BuildError(
                relative, f"has the same name as {seen[path.stem].name}: one graph each"
            )
        seen[path.stem] = path
        sources.append(Source(path, relative, data_graph(path.stem), rdf_format))
    # Imports (hrgraph import) are kept in the store folder and rebuilt with everything else.
    from hrgraph.build.importers.apply import saved_imports

    for path, graph in saved_imports(settings.store_path):
        relative = f"imports/{path.parent.name}/{path.name}"
        sources.append(Source(path, relative, graph, ox.RdfFormat.N_TRIPLES))
    return sources


UPLOAD_FORMATS = {**DATA_FORMATS, ".jsonld": ox.RdfFormat.JSON_LD}
"""Formats accepted for data given on the command line or uploaded: no format with a DTD, and
JSON-LD only with inline contexts (Oxigraph refuses to fetch a remote one)."""


def sources_for_files(settings: Settings, paths: list[Path]) -> list[Source]:
    """The ontology and the given data files (e.g. ``hrgraph validate --data``), as sources."""
    sources = discover_sources(settings)[:1]
    for number, path in enumerate(paths, start=1):
        rdf_format = UPLOAD_FORMATS.get(path.suffix)
        if rdf_format is None:
            accepted = ", ".join(sorted(UPLOAD_FORMATS))
            raise BuildError(str(path), f"unsupported file type; use one of {accepted}")
        if not path.is_file():
            raise BuildError(str(path), "no such file")
        sources.append(Source(path, str(path), data_graph(f"input-{number}"), rdf_format))
    return sources


def build_in_memory(
    sources: list[Source], progress: Progress | None = None
) -> tuple[BuildReport, GraphStore]:
    """Build the given sources into a new in-memory store (with inferences)."""
    started = time.perf_counter()
    store = GraphStore.in_memory()
    report = _fill(store, sources, progress or (lambda _message: None))
    report.seconds = time.perf_counter() - started
    return report, store


def build(settings: Settings, progress: Progress | None = None) -> tuple[BuildReport, GraphStore]:
    """Build every source into a store and return the report and the store.

    With ``settings.store_path`` the store is written on disk as a new generation and published
    only on success; the returned store is then opened read-only on the published generation.
    """
    say = progress or (lambda _message: None)
    started = time.perf_counter()
    sources = discover_sources(settings)
    backend = open_backend(settings)
    if isinstance(backend, RemoteStore):
        return _build_remote(backend, settings.remote_store or "", sources, say)
    if settings.store_path is None:
        return build_in_memory(sources, progress)

    from hrgraph.build.writes import journal_entries

    location = StoreLocation(settings.store_path)
    with location.lock(LOCK_WAIT_S, lambda: say("waiting for another write to the store")):
        location.recover()
        # Read under the lock: an import published while we waited is included.
        sources = discover_sources(settings)
        writes = journal_entries(settings.store_path)
        previous = location.current()
        with location.begin() as generation:  # discarded unless published
            report = _fill_generation(generation.path, sources, say, writes, previous)
            generation.publish()
    report.location = str(settings.store_path)
    report.seconds = time.perf_counter() - started
    say(f"published {settings.store_path} ({report.seconds:.1f} s)")
    return report, GraphStore.open_read_only(location)


def _build_remote(
    remote: RemoteStore, url: str, sources: list[Source], say: Progress
) -> tuple[BuildReport, GraphStore]:
    """Build in memory, then publish every named graph to the remote store (atomically for its
    readers: see ``hrgraph.store.remote``); a failure leaves the previous data visible."""
    started = time.perf_counter()
    try:
        report, store = build_in_memory(sources, say)
        published = remote.publish(store, say)  # a RemoteStoreError is a StoreError
    finally:
        remote.close()
    report.location = url
    report.seconds = time.perf_counter() - started
    say(f"pushed to {url}: {published} ({report.seconds:.1f} s)")
    return report, store


def _fill_generation(
    generation: Path,
    sources: list[Source],
    say: Progress,
    writes: list[Path],
    previous: Path | None = None,
) -> BuildReport:
    """Fill a new generation and record what changed since ``previous``
    (:mod:`hrgraph.build.changes`); the writer is closed on return, before anyone reads it or it
    is removed after a failure (an open store would write its files back)."""
    store = GraphStore.create(generation)
    try:
        report = _fill(store, sources, say, writes)
        store.flush()
        say("recording what changed since the previous generation")
        found = changes.compare(store, recorded_sources, len(writes), previous)
        changes.write(generation, found)
        return report
    finally:
        store.close()


def _fill(
    store: GraphStore, sources: list[Source], say: Progress, writes: Sequence[Path] = ()
) -> BuildReport:
    report = BuildReport()
    checksums: dict[str, str] = {}
    for number, source in enumerate(sources, start=1):
        say(f"[{number}/{len(sources)}] loading {source.relative}")
        checksums[source.graph.value] = _load(store, source)
        count = store.graph_size(source.graph)
        if count == 0:
            report.warnings.append(f"{source.relative} holds no triples")
        report.graphs.append(GraphReport(source.graph.value, source.relative, count))
    say("materialising inferences")
    inference = materialise(store)
    if writes:
        _replay(store, writes, say, report)
        say("materialising inferences again, after the writes")
        store.update(f"CLEAR SILENT GRAPH <{INFERRED_GRAPH.value}>")
        inference = materialise(store)
    report.inferred = inference.triples
    report.warnings.extend(inference.warnings)
    say("checking time-bound facts against the acts they rest on")
    report.warnings.extend(timecheck.problems(store))
    _describe_build(store, sources, report, checksums)
    return report


def _replay(store: GraphStore, writes: Sequence[Path], say: Progress, report: BuildReport) -> None:
    """Re-apply the write log, in order, after the sources (each entry atomically)."""
    from hrgraph.build.writes import replay

    say(f"replaying {len(writes)} write(s) from {WRITES_FOLDER}/")
    for entry in writes:
        try:
            replay(store, entry)
            report.replayed += 1
        except ValueError as error:
            report.warnings.append(
                f"{WRITES_FOLDER}/{entry.name} no longer applies and was skipped: {error}"
            )
        except OSError as error:  # not the write's fault: stop rather than publish without it
            raise BuildError(
                f"{WRITES_FOLDER}/{entry.name}",
                f"cannot be replayed ({error.strerror or error}); nothing was published",
            ) from None


def _load(store: GraphStore, source: Source) -> str:
    """Load a source; the checksum of the very bytes loaded (a file saved again while the build
    runs must not be recorded with the new bytes' checksum and the old statements)."""
    try:
        data = source.content if source.content is not None else source.path.read_bytes()
        store.load_bytes(data, source.format, source.graph)
        return _checksum(data)
    except SyntaxError as error:
        raise BuildError(
            source.relative, _syntax_message(error), error.lineno, error.offset
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise BuildError(source.relative, f"cannot be read: {error}") from None


def _syntax_message(error: SyntaxError) -> str:
    message = error.msg or str(error)
    # Oxigraph prefixes the position, which BuildError already gives as file:line:column.
    head, _, tail = message.partition(": ")
    return tail if tail and "line" in head else message


def _describe_build(
    store: GraphStore, sources: list[Source], report: BuildReport, checksums: dict[str, str]
) -> None:
    """Record what was built from what: a VoID description of each graph, with the checksum of
    the bytes loaded (``checksums``, by graph)."""
    dataset = ox.NamedNode(BUILD_GRAPH.value + "#dataset")
    void_dataset = ox.NamedNode(VOID + "Dataset")
    quads = [
        ox.Quad(dataset, RDF_TYPE, void_dataset, BUILD_GRAPH),
        ox.Quad(
            dataset,
            ox.NamedNode(DCTERMS + "modified"),
            ox.Literal(
                datetime.now(UTC).replace(microsecond=0).isoformat(),
                datatype=ox.NamedNode(XSD + "dateTime"),
            ),
            BUILD_GRAPH,
        ),
        ox.Quad(
            dataset,
            ox.NamedNode(DCTERMS + "creator"),
            ox.Literal(f"hrgraph {__version__}"),
            BUILD_GRAPH,
        ),
    ]
    counts = {graph.graph: graph.triples for graph in report.graphs}
    for source in sources:
        quads += [
            ox.Quad(dataset, ox.NamedNode(VOID + "subset"), source.graph, BUILD_GRAPH),
            ox.Quad(source.graph, RDF_TYPE, void_dataset, BUILD_GRAPH),
            ox.Quad(
                source.graph,
                ox.NamedNode(DCTERMS + "identifier"),
                ox.Literal(source.relative),
                BUILD_GRAPH,
            ),
            ox.Quad(
                source.graph,
                ox.NamedNode(SPDX + "checksumValue"),
                ox.Literal(checksums[source.graph.value]),
                BUILD_GRAPH,
            ),
            ox.Quad(
                source.graph,
                ox.NamedNode(VOID + "triples"),
                ox.Literal(str(counts[source.graph.value]), datatype=ox.NamedNode(XSD + "integer")),
                BUILD_GRAPH,
            ),
        ]
    store.add_quads(quads)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name


__all__ = [
    "BuildError",
    "BuildReport",
    "GraphReport",
    "StoreError",
    "build",
    "build_in_memory",
    "discover_sources",
    "sources_for_files",
]
