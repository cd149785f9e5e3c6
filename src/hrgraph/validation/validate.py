"""SHACL validation of a national framework as it stood on a date, and the report model a lawyer
reads (W3C SHACL, section 3.6: validation reports).

The data is the built store when it was built from the current files (a private checkpoint of
it, made in milliseconds), else the files built in memory as ``hrgraph build`` would (so derived
treaty bindings exist); it is then cut to what held on the date (acts and provisions in force,
features and bindings valid, nothing dated later). The shapes run as SPARQL on the store
(:mod:`hrgraph.validation.shaclsparql`) when they use only what that module implements, else with
pySHACL on an rdflib copy (``engine="pyshacl"`` forces it; both give the same findings, which the
tests check). Each result is joined to the requirement or treaty article its shape cites
(``hrg:enforces``) and to the sources of the facts.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Literal

import pyoxigraph as ox
import pyshacl
import rdflib
from rdflib.namespace import RDF, RDFS, SH

from hrgraph.build.pipeline import (
    BuildError,
    Source,
    build_in_memory,
    discover_sources,
    sources_for_files,
)
from hrgraph.errors import BadInput, HrgraphError
from hrgraph.rdf.namespaces import NAMESPACE, TERMS
from hrgraph.rdf.vocab import BUILD_GRAPH, DCTERMS, ID, SPDX
from hrgraph.settings import Limits, Settings
from hrgraph.sparql.querycheck import QueryRejected, check_sparql
from hrgraph.store.local import GraphStore, StoreError, StoreLocation
from hrgraph.validation import shaclsparql
from hrgraph.validation.shaclsparql import NotCompilable, scan, to_oxigraph, to_rdflib

HRG = rdflib.Namespace(NAMESPACE)
RDF_IRI = str(RDF)
SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
Engine = Literal["auto", "sparql", "pyshacl"]
SPARQL_ENGINE = "SPARQL on the Oxigraph store"
PYSHACL_ENGINE = "pySHACL"


class ValidationInputError(BadInput, ValueError):
    """Data or shapes cannot be used; the message names the file and, where known, the line."""


class ValidatorFailure(HrgraphError, RuntimeError):
    """The validator itself failed: never a finding about the data."""


@dataclass(frozen=True)
class SourceRef:
    iri: str
    label: str
    url: str | None
    symbol: str | None = None
    """The document's own identity where it has one (a UN symbol); the URL is the copy read."""


@dataclass(frozen=True)
class Fact:
    """A resource a finding rests on, with how sure the data is of it and where it comes from."""

    iri: str
    label: str
    confidence: str | None
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True)
class Finding:
    focus: str
    focus_label: str
    shape: str
    severity: str
    message: str
    requirement: str | None
    requirement_label: str | None
    path: str | None
    value: str | None
    group_kind: str
    """``institution``, ``act``, ``treaty article`` or ``other``: what the finding is about."""
    group: str
    """The label of the institution, act or article the finding belongs to."""
    facts: tuple[Fact, ...]
    outcome: str = "not met"
    """``not met`` (a Violation or a Warning) or ``not established`` (an Info)."""


@dataclass(frozen=True)
class Met:
    """A requirement a resource meets on the day: its shape's target selected the resource and
    no constraint citing the requirement reported it."""

    focus: str
    focus_label: str
    requirement: str
    requirement_label: str
    group_kind: str
    group: str


@dataclass
class ValidationReport:
    as_of: date
    findings: list[Finding] = field(default_factory=list)
    shapes: list[str] = field(default_factory=list)
    data: list[str] = field(default_factory=list)
    results_graph: rdflib.Graph = field(default_factory=rdflib.Graph)
    engine: str = ""
    """How the shapes ran: :data:`SPARQL_ENGINE`, or :data:`PYSHACL_ENGINE` and why."""
    basis: str = ""
    """What was validated: the built store (a checkpoint of it) or the files built in memory."""
    met: list[Met] = field(default_factory=list)
    revalidated: frozenset[str] | None = None
    """The resources whose constraints ran, when an incremental validation reused the others'
    results (see :class:`Increment`); ``None``: every resource's ran."""

    @property
    def conforms(self) -> bool:
        """No requirement is not met: a finding that something is not established never breaks
        conformance."""
        return not any(finding.outcome == "not met" for finding in self.findings)

    def counts(self) -> dict[str, int]:
        counts = {"Violation": 0, "Warning": 0, "Info": 0}
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts

    def outcomes(self) -> dict[str, int]:
        """How many requirement-resource pairs are not met, not established and met."""
        counts = {"not met": 0, "not established": 0, "met": len(self.met)}
        for finding in self.findings:
            counts[finding.outcome] += 1
        return counts


def default_shape_files(settings: Settings) -> list[Path]:
    """The legal-standard shapes: ``shapes/*.ttl`` (not the ontology or integrity shapes)."""
    return sorted(settings.shapes_dir.glob("*.ttl"))


def validate(
    settings: Settings,
    *,
    as_of: date | None = None,
    data_files: Sequence[Path] | None = None,
    shape_files: Sequence[Path] | None = None,
    engine: Engine = "auto",
    incremental: bool = True,
) -> ValidationReport:
    """Validate the bundled data (or ``data_files``) against the shapes as of a date (today).
    From the built store, the results of its last validation for the same day and shapes are
    reused for what no changed file mentions (:class:`Increment`; ``incremental=False``
    revalidates everything), and the report's ``basis`` says what was revalidated."""
    day = as_of or date.today()
    shape_paths = list(shape_files) if shape_files is not None else default_shape_files(settings)
    if not shape_paths:
        raise ValidationInputError(f"no shapes to validate with in {settings.shapes_dir}")
    shapes = load_shapes(shape_paths)
    with _dataset(settings, data_files, shapes) as (store, basis, names):
        increment = None
        if incremental and basis.startswith(BUILT_STORE) and settings.store_path is not None:
            increment = Increment.start(settings.store_path, store, day, shape_paths, engine)
            increment.generation = basis.partition("(generation ")[2].rstrip(")")
        held = cut(store, day)
        report = evaluate(store, shapes, day, engine, held.uncertain, increment)
        if increment is not None:
            basis += increment.finish(store)
            if increment.previous is not None and not increment.everything:
                report.revalidated = frozenset(
                    str(to_rdflib(node)) for node in increment.reuse.reran
                )
    report.shapes = [_display(path, settings.root) for path in shape_paths]
    report.data = names
    report.basis = basis
    return report


BUILT_STORE = "the built store"
CACHE_KEPT = 64
"""How many validations' results the cache keeps (the latest, one per store, day, shapes and
engine)."""


def cache_folder() -> Path:
    """Where each validation of a built store keeps its results for the next: outside the store
    folder (``$HRGRAPH_VALIDATION_CACHE``, else ``$XDG_CACHE_HOME/hrgraph/validation``, else
    ``~/.cache/hrgraph/validation``)."""
    import os

    if folder := os.environ.get("HRGRAPH_VALIDATION_CACHE"):
        return Path(folder)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "hrgraph" / "validation"


@dataclass
class Increment:
    """Incremental validation of the built store (named-graph granularity). The results of the
    last validation of the store for the same day, shapes and engine are kept
    (:func:`cache_folder`) with the SHA-256 of every source file (the build graph's) and,
    for each named graph, the focus nodes it mentions. The next validation compares the
    checksums: the targets always run again, and a constraint runs again only on the focus
    nodes that a changed graph mentions (as subject or object, before or after the change);
    every other focus node keeps its earlier results. Everything runs again when the ontology
    changed, a changed graph mentioned no focus node before (it may hold what every framework
    is read against: standards, permitted aims) or is new, or the shapes count solutions.
    Findings are what a full run gives as long as a constraint on a focus node reads only
    statements of the graphs that mention that node, as every shape here does for a State's
    own file (its institution, features, acts, provisions and decisions)."""

    path: Path
    checksums: dict[str, str]
    reuse: shaclsparql.Reuse
    previous: str | None = None
    changed: list[str] = field(default_factory=list)
    everything: str = ""
    generation: str = ""

    @classmethod
    def start(
        cls, folder: Path, store: GraphStore, day: date, shape_paths: Sequence[Path], engine: str
    ) -> Increment:
        """Read the checksums of the store's sources (before the cut drops the build graph)
        and the previous results, and decide which focus nodes run again."""
        import json

        from hrgraph import __version__

        rows = store.query(
            f"""SELECT ?graph ?file ?sum WHERE {{ GRAPH <{BUILD_GRAPH.value}> {{
                ?graph <{DCTERMS}identifier> ?file ; <{SPDX}checksumValue> ?sum }} }}"""
        )
        assert isinstance(rows, ox.QuerySolutions)
        files = {row["graph"].value: (row["file"].value, row["sum"].value) for row in rows}
        digest = hashlib.sha256(
            f"{folder.resolve()}\n{__version__}\n{day.isoformat()}\n{engine}\n".encode()
        )
        for path in shape_paths:
            digest.update(path.name.encode() + b"\n" + path.read_bytes())
        where = cache_folder() / f"{digest.hexdigest()[:32]}.json"
        checksums = {graph: value for graph, (_, value) in files.items()}
        try:
            earlier = json.loads(where.read_text())
        except (OSError, ValueError):
            earlier = None
        if not isinstance(earlier, dict) or "checksums" not in earlier:
            return cls(where, checksums, shaclsparql.Reuse({}, lambda _focus: True))
        before: dict[str, str] = earlier["checksums"]
        changed = sorted(
            g for g in set(before) | set(checksums) if before.get(g) != checksums.get(g)
        )
        names = sorted(files[g][0] if g in files else g for g in changed)
        mentioned: dict[str, list[str]] = earlier.get("graph_focus", {})
        results = {
            key: [tuple(stored) for stored in value] for key, value in earlier["results"].items()
        }
        increment = cls(
            where,
            checksums,
            shaclsparql.Reuse(results, lambda _focus: True),
            previous=str(earlier.get("generation")),
            changed=names,
        )
        from hrgraph.rdf.vocab import ONTOLOGY_GRAPH

        if ONTOLOGY_GRAPH.value in changed:
            increment.everything = "the ontology changed"
        elif blind := [files[g][0] if g in files else g for g in changed if not mentioned.get(g)]:
            increment.everything = f"{', '.join(sorted(blind))} mentioned no resource judged before"
        if increment.everything:
            return increment
        touched = {node for graph in changed for node in mentioned.get(graph, [])}
        for graph in changed:
            if graph in checksums:
                touched |= _mentioned(store, graph)
        increment.reuse.fresh = lambda focus: to_rdflib(focus).n3() in touched
        return increment

    def finish(self, store: GraphStore) -> str:
        """Keep this validation's results for the next; what was reused, for the report."""
        import json
        import os

        reuse = self.reuse
        focus = {node for key in reuse.record for node in [key.rsplit("\x1f", 1)[1]]}
        kept = {
            "generation": self.generation,
            "checksums": self.checksums,
            "graph_focus": _graph_focus(store, focus),
            "results": reuse.record,
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_suffix(f".{os.getpid()}.part")
            partial.write_text(json.dumps(kept))
            partial.replace(self.path)
            kept_files = sorted(
                self.path.parent.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True
            )
            for old in kept_files[CACHE_KEPT:]:
                old.unlink(missing_ok=True)
        except OSError:
            pass  # no writable cache: validate in full next time
        if self.previous is None:
            return ""
        if self.everything:
            return f"; everything revalidated since generation {self.previous} ({self.everything})"
        if not self.changed:
            return (
                f"; unchanged since the last validation (generation {self.previous}): "
                f"{len(reuse.reused)} resources' results reused, none revalidated"
            )
        return (
            f"; incremental: {len(reuse.reran)} resources revalidated (those "
            f"{', '.join(self.changed)} mentions), {len(reuse.reused)} resources' results "
            f"reused from the last validation (generation {self.previous})"
        )


def _mentioned(store: GraphStore, graph: str) -> set[str]:
    """The IRIs and blank nodes a named graph mentions (as subject or object), in N3."""
    rows = store.query(
        f"SELECT DISTINCT ?x WHERE {{ GRAPH <{graph}> {{ {{ ?x ?p ?o }} UNION "
        "{ ?s ?p ?x FILTER (!isLITERAL(?x)) } } }"
    )
    assert isinstance(rows, ox.QuerySolutions)
    return {to_rdflib(row["x"]).n3() for row in rows}


def _graph_focus(store: GraphStore, focus: set[str]) -> dict[str, list[str]]:
    """For each named graph, the focus nodes (N3) it mentions."""
    found: dict[str, set[str]] = {}
    iris = sorted(node for node in focus if node.startswith("<"))
    for start in range(0, len(iris), 500):
        values = " ".join(iris[start : start + 500])
        rows = store.query(
            f"SELECT DISTINCT ?g ?x WHERE {{ VALUES ?x {{ {values} }} "
            "{ GRAPH ?g { ?x ?p ?o } } UNION { GRAPH ?g { ?s ?p ?x } } }"
        )
        assert isinstance(rows, ox.QuerySolutions)
        for row in rows:
            found.setdefault(row["g"].value, set()).add(f"<{row['x'].value}>")
    return {graph: sorted(nodes) for graph, nodes in found.items()}


@contextmanager
def _dataset(
    settings: Settings, data_files: Sequence[Path] | None, shapes: rdflib.Graph
) -> Iterator[tuple[GraphStore, str, list[str]]]:
    """A private, writable store holding the data to validate, what it is, and its files."""
    if settings.remote_store is not None and not data_files:
        store, basis, graphs = fetch_remote(settings.remote_store, shapes)
        yield store, basis, graphs
        return
    try:
        sources = (
            sources_for_files(settings, list(data_files))
            if data_files
            else discover_sources(settings)
        )
    except BuildError as error:
        raise ValidationInputError(str(error)) from None
    names = [source.relative for source in sources]
    built = None if data_files else _built_from(settings, sources)
    if built is not None:
        generation = built.path
        assert generation is not None
        work = Path(tempfile.mkdtemp(prefix=".validate-", dir=generation.parent.parent))
        try:
            copy = built.checkpoint(work / "store")
        except StoreError:  # e.g. a read-only folder: build in memory instead
            copy = None
        finally:
            built.close()
        try:
            if copy is not None:
                try:
                    yield copy, f"{BUILT_STORE} (generation {generation.name})", names
                finally:
                    copy.close()
                return
        finally:
            shutil.rmtree(work, ignore_errors=True)
    try:
        _, store = build_in_memory(sources)
    except BuildError as error:
        raise ValidationInputError(str(error)) from None
    what = "the given files" if data_files else "the data files"
    yield store, f"{what}, built in memory", names


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
    }
)
"""What the report reads besides the shapes (labels, sources, confidence, owners)."""
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


def fetch_remote(url: str, shapes: rdflib.Graph) -> tuple[GraphStore, str, list[str]]:
    """The statements of a remote store's dataset (the graphs its manifest lists, not the build
    graph) whose property the shapes, the cut to a day or the report read
    (:func:`hrgraph.validation.shaclsparql.needed_predicates`; every statement when the shapes may
    read any), in one CONSTRUCT, as an in-memory store."""
    from hrgraph.query.execution import QueryFailed, QueryRequest, QuerySyntaxError, QueryTimeout
    from hrgraph.store.remote import RemoteStore, RemoteStoreError

    try:
        needed = shaclsparql.needed_predicates(shaclsparql.compile_shapes(shapes))
    except NotCompilable:
        needed = None
    remote = RemoteStore.from_url(url)
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
            QueryRequest(
                f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {values} GRAPH ?g {{ ?s ?p ?o }} }}",
                "ntriples",
                default_graphs=(),
                named_graphs=tuple(graphs),
            ),
            REMOTE_TIMEOUT_S,
            REMOTE_MAX_BYTES,
        )
    except (RemoteStoreError, QueryFailed, QueryTimeout, QuerySyntaxError) as error:
        raise ValidationInputError(f"the remote store at {remote.clean(url)}: {error}") from None
    finally:
        remote.close()
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
    return store, basis, graphs  # the URL is left out: reports may be served to anyone


def _built_from(settings: Settings, sources: list[Source]) -> GraphStore | None:
    """The current generation of the built store, opened for reading, if it was built from
    exactly these files (same paths, same SHA-256, as recorded in its build graph)."""
    if settings.store_path is None:
        return None
    wanted = set()
    for source in sources:
        try:
            digest = hashlib.sha256(source.path.read_bytes()).hexdigest()
        except OSError:
            return None
        wanted.add((source.relative, f"sha256:{digest}"))
    try:
        store = GraphStore.open_read_only(StoreLocation(settings.store_path))
    except StoreError:
        return None
    rows = store.query(
        f"""SELECT ?file ?sum WHERE {{ GRAPH <{BUILD_GRAPH.value}> {{
            ?graph <{DCTERMS}identifier> ?file ; <{SPDX}checksumValue> ?sum }} }}"""
    )
    assert isinstance(rows, ox.QuerySolutions)
    recorded = {
        (row["file"].value, row["sum"].value)
        for row in rows
        if row["file"] is not None and row["sum"] is not None
    }
    if recorded == wanted:
        return store
    store.close()
    return None


def evaluate(
    store: GraphStore,
    shapes: rdflib.Graph,
    day: date,
    engine: Engine = "auto",
    uncertain: Mapping[str, str] | None = None,
    increment: Increment | None = None,
) -> ValidationReport:
    """Run the shapes on ``store`` (already cut to the day; see :func:`cut`); a finding resting
    on a resource in ``uncertain`` (IRI -> why) is not established (see :func:`settle`);
    ``increment`` reuses earlier results (see :class:`Increment`)."""
    targets: dict[str, frozenset[shaclsparql.Focus]] = {}
    report = _evaluate(store, shapes, day, engine, targets, increment)
    settle(report, uncertain or {}, day)
    report.met = assess_met(store, shapes, report, targets)
    _count(report)
    return report


def _evaluate(
    store: GraphStore,
    shapes: rdflib.Graph,
    day: date,
    engine: Engine,
    targets: dict[str, frozenset[shaclsparql.Focus]] | None = None,
    increment: Increment | None = None,
) -> ValidationReport:
    reason = "asked for"
    if engine != "pyshacl":
        try:
            compiled = shaclsparql.compile_shapes(shapes)
            reuse = None
            if compiled.needs_set_semantics:
                merge_graphs(store)
                if increment is not None:
                    increment.everything = "the shapes count solutions"
            elif increment is not None:
                reuse = increment.reuse
            results = shaclsparql.run(compiled, _runner(store), targets, reuse)
        except NotCompilable as error:
            if engine == "sparql":
                raise ValidationInputError(
                    f"these shapes cannot run as SPARQL on the store ({error}); "
                    "use the pySHACL engine"
                ) from None
            reason = f"the shapes use {error}"
        else:
            _, graph = shaclsparql.report_graph(results)
            report = _report(StoreView(store), shapes, graph, day)
            report.engine = SPARQL_ENGINE
            return report
    if increment is not None:
        increment.everything = "pySHACL validates the whole graph"
    report = run_shapes(to_graph(store), shapes, day)
    report.engine = f"{PYSHACL_ENGINE} ({reason})"
    return report


def _runner(store: GraphStore) -> shaclsparql.Query:
    """Runs a shape's query on the store as :meth:`GraphStore.query` does (the union default
    graph unless the query names its graphs), deciding that once per query text: a constraint
    runs once per focus node, and reading its text again each time cost more than running it."""
    engine: ox.Store = store._engine  # the same store; its FROM check memoised
    union: dict[str, bool] = {}

    def query(
        text: str, substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal]
    ) -> ox.QuerySolutions:
        try:
            if text not in union:
                union[text] = not any("FROM" in word for word in scan(text).keywords)
            focus = substitutions.get(shaclsparql.THIS) if len(substitutions) == 1 else None
            inlined = shaclsparql.inline(text, focus) if focus is not None else None
            result = engine.query(
                inlined or text,
                use_default_graph_as_union=union[text],
                substitutions=None if inlined else dict(substitutions) or None,
            )
        except SyntaxError as error:
            raise ValidationInputError(f"a shape's SPARQL query is malformed: {error}") from None
        except RuntimeError as error:
            if "projection" in str(error):  # $this not selected: substitution needs it
                raise NotCompilable(f"a query that does not select $this ({error})") from None
            raise ValidatorFailure(f"a shape's query failed on the store: {error}") from None
        if not isinstance(result, ox.QuerySolutions):
            raise ValidationInputError("a shape's sh:select is not a SELECT query")
        return result

    return query


def load_shapes(paths: Iterable[Path]) -> rdflib.Graph:
    """Parse shape files; refuse unknown hrg: terms and unsafe SHACL-SPARQL."""
    graph = rdflib.Graph()
    for path in paths:
        try:
            graph.parse(path, format="turtle")
        except FileNotFoundError:
            raise ValidationInputError(f"{path}: no such shapes file") from None
        except Exception as error:  # rdflib raises many kinds for bad syntax
            raise ValidationInputError(f"{path}: cannot be read as Turtle: {error}") from None
    unknown = sorted(
        {
            str(term)
            for triple in graph
            for term in triple
            if isinstance(term, rdflib.URIRef)
            and str(term).startswith(NAMESPACE)
            and str(term)[len(NAMESPACE) :] not in TERMS
        }
    )
    if unknown:
        raise ValidationInputError(f"the shapes use terms the ontology does not define: {unknown}")
    for predicate in (SH.select, SH.ask):
        for query in graph.objects(None, predicate):
            _check_shape_query(str(query))
    return graph


def _check_shape_query(text: str) -> None:
    """SHACL-SPARQL is checked like any query, and the hrg: terms it names must exist."""
    try:
        check_sparql(text, Limits())
    except QueryRejected as error:
        raise ValidationInputError(f"a SHACL-SPARQL constraint is refused: {error}") from None
    names = set()
    for kind, token in scan(text).tokens:
        if kind == "pname" and token.startswith("hrg:"):
            names.add(token.removeprefix("hrg:"))
        elif kind == "iri" and token.startswith(NAMESPACE):
            names.add(token.removeprefix(NAMESPACE))
    unknown = sorted(name for name in names if name and name not in TERMS)
    if unknown:
        raise ValidationInputError(
            f"a SHACL-SPARQL constraint uses terms the ontology does not define: "
            f"{', '.join('hrg:' + name for name in unknown)}"
        )


STARTS = ("validFrom", "inForceFrom", "adoptionDate", "date")
ENDS = ("validUntil", "inForceUntil")
GRANTS = ("grantedBy", "basisAct")
"""A fact granted by an act or provision no longer in force no longer holds either."""
XSD = "http://www.w3.org/2001/XMLSchema#"
VALIDATION_CONTEXT = "urn:hrgraph:validation"
"""Where the day validated is recorded for the shapes that need it (``hrg:asOf``)."""
PRECISIONS = {XSD + "date": 10, XSD + "gYearMonth": 7, XSD + "gYear": 4}
"""The length of the lexical form of an exact date and of the partial ones (its precision)."""


@dataclass
class Cut:
    """What did not hold on a day, and what may or may not have held (IRI -> why)."""

    out: set[ox.NamedNode | ox.BlankNode] = field(default_factory=set)
    uncertain: dict[str, str] = field(default_factory=dict)


def _standing(end: bool, lexical: str, precision: int, day: str) -> str:
    """``in``, ``out`` or ``uncertain``: where ``day`` falls against one bound of an interval,
    given at a precision (10: a day; 7: a month; 4: a year). A start bound holds from its first
    day; an end bound (exclusive) is the first day the fact no longer holds; a day inside the
    month or year of a partial bound cannot be placed."""
    period = day[:precision]
    if precision < 10 and lexical == period:
        return "uncertain"
    if end:
        return "out" if lexical <= period else "in"
    return "out" if lexical > period else "in"


def held(store: GraphStore, day: date) -> Cut:
    """What held on ``day``. Out: resources whose interval (hrg:validFrom/validUntil,
    hrg:inForceFrom/inForceUntil) excludes the day, acts adopted and resources dated
    (hrg:adoptionDate, hrg:date) after it, the provisions of any of these at any depth, and the
    facts (hrg:grantedBy, hrg:basisAct) an act or provision no longer in force granted.
    Uncertain: the same where the day falls in the month or year of a bound known only to the
    month or year (xsd:gYearMonth, xsd:gYear), unless something else puts the resource out."""
    names = " ".join(f"hrg:{name}" for name in (*STARTS, *ENDS))
    rows = store.query(
        f"""PREFIX hrg: <{NAMESPACE}>
        SELECT ?x ?p ?v WHERE {{ VALUES ?p {{ {names} }} ?x ?p ?v FILTER (isLITERAL(?v)) }}"""
    )
    assert isinstance(rows, ox.QuerySolutions)
    iso = day.isoformat()
    result = Cut()
    uncertain: dict[ox.NamedNode | ox.BlankNode, str] = {}
    for row in rows:
        node, prop, value = row["x"], row["p"], row["v"]
        if not isinstance(node, (ox.NamedNode, ox.BlankNode)) or not isinstance(value, ox.Literal):
            continue
        precision = PRECISIONS.get(value.datatype.value)
        if precision is None or len(value.value) != precision:
            continue
        name = prop.value[len(NAMESPACE) :]
        end = name in ENDS
        standing = _standing(end, value.value, precision, iso)
        if standing == "out":
            result.out.add(node)
        elif standing == "uncertain":
            verb = "ceased to hold" if end else "began to hold"
            uncertain[node] = f"{verb} on a day of {value.value} that is not recorded"
    spread = _Spread(store)
    result.out = spread(result.out)
    for node, why in list(uncertain.items()):
        for part in spread({node}) - {node}:
            uncertain.setdefault(part, f"belongs to, or was granted by, what {why}")
    result.uncertain = {
        node.value if isinstance(node, ox.NamedNode) else str(node): why
        for node, why in uncertain.items()
        if node not in result.out
    }
    return result


class _Spread:
    """Nodes, the provisions they contain (at any depth) and the facts any of these granted."""

    def __init__(self, store: GraphStore) -> None:
        self.parts: dict[object, set[ox.NamedNode | ox.BlankNode]] = {}
        self.grants: dict[object, set[ox.NamedNode | ox.BlankNode]] = {}
        grants = " ".join(f"hrg:{name}" for name in GRANTS)
        for mapping, text in (
            (self.parts, "SELECT DISTINCT ?a ?b WHERE { ?a hrg:hasProvision+ ?b }"),
            (self.grants, f"SELECT DISTINCT ?a ?b WHERE {{ VALUES ?p {{ {grants} }} ?b ?p ?a }}"),
        ):
            rows = store.query(f"PREFIX hrg: <{NAMESPACE}>\n{text}")
            assert isinstance(rows, ox.QuerySolutions)
            for row in rows:
                if isinstance(row["b"], (ox.NamedNode, ox.BlankNode)):
                    mapping.setdefault(row["a"], set()).add(row["b"])

    def __call__(self, nodes: set[ox.NamedNode | ox.BlankNode]) -> set[ox.NamedNode | ox.BlankNode]:
        found = set(nodes)
        for node in nodes:
            found |= self.parts.get(node, set())
        for node in list(found):
            found |= self.grants.get(node, set())
        return found


def excluded(store: GraphStore, day: date) -> set[ox.NamedNode | ox.BlankNode]:
    """What did not hold on ``day`` (see :func:`held`)."""
    return held(store, day).out


def cut(store: GraphStore, day: date) -> Cut:
    """Make a private store hold the data as it stood on ``day``: the build's own description
    and the default graph go, and so does every statement about a resource that did not hold
    (:func:`held`). Returns what was cut and what is uncertain on the day."""
    store.update(f"DROP SILENT GRAPH <{BUILD_GRAPH.value}> ; CLEAR SILENT DEFAULT")
    result = held(store, day)
    for node in result.out:
        store.remove_subject(node)
    store.update(
        f"INSERT DATA {{ GRAPH <{VALIDATION_CONTEXT}> {{ <{VALIDATION_CONTEXT}> "
        f'<{NAMESPACE}asOf> "{day.isoformat()}"^^<{XSD}date> }} }}'
    )
    return result


def settle(report: ValidationReport, uncertain: Mapping[str, str], day: date) -> None:
    """Findings that rest on a fact whose interval is known only to the month or year that
    holds the day are not established (Info): no breach is found on a fact that may not have
    held, and the finding says why. The report graph is changed with them."""
    if not uncertain:
        return
    settled = []
    for finding in report.findings:
        resting = [fact for fact in finding.facts if fact.iri in uncertain]
        if finding.outcome == "not established" or not resting:
            settled.append(finding)
            continue
        why = "; ".join(f"{fact.label} {uncertain[fact.iri]}" for fact in resting)
        message = (
            f"Not established from the sources read: {why}, so whether it held on "
            f"{day.isoformat()} cannot be established, and no breach is found on it (a date "
            f"known only to the month or year is read conservatively). Were it in force: "
            f"{finding.message}"
        )
        for result in list(
            report.results_graph.subjects(SH.focusNode, rdflib.URIRef(finding.focus))
        ):
            if str(report.results_graph.value(result, SH.resultMessage)) == finding.message:
                report.results_graph.set((result, SH.resultSeverity, SH.Info))
                report.results_graph.set((result, SH.resultMessage, rdflib.Literal(message)))
                report.results_graph.set((result, HRG.outcome, HRG.NotEstablished))
        settled.append(
            replace(finding, severity="Info", outcome="not established", message=message)
        )
    report.findings = sorted(settled, key=_order)


def merge_graphs(store: GraphStore) -> None:
    """Move every statement into the default graph, so a triple held by two graphs is seen
    once (needed only by shapes whose results count solutions)."""
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } } ; DROP SILENT NAMED")


def to_graph(
    store: GraphStore, left_out: Iterable[ox.NamedNode | ox.BlankNode] = ()
) -> rdflib.Graph:
    """The statements of the store but the build graph's, as one rdflib graph (what pySHACL
    validates), without those about ``left_out``."""
    skipped = set(left_out)
    graph = rdflib.Graph()
    for quad in store.quads():
        if quad.graph_name != BUILD_GRAPH and quad.subject not in skipped:
            graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graph


def snapshot(store: GraphStore, day: date) -> rdflib.Graph:
    """The data as it stood on ``day``, as an rdflib graph, leaving ``store`` as it is (the
    statements :func:`cut` would remove are skipped)."""
    return to_graph(store, excluded(store, day))


class StoreView:
    """The few rdflib ``Graph`` reads the report needs, answered by a store."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store

    def _quads(
        self, s: rdflib.term.Node | None, p: rdflib.term.Node | None, o: rdflib.term.Node | None
    ) -> Iterator[ox.Quad]:
        subject = to_oxigraph(s) if s is not None else None
        predicate = to_oxigraph(p) if p is not None else None
        if isinstance(subject, ox.Literal) or not isinstance(predicate, (ox.NamedNode, type(None))):
            return iter(())
        return self._store.quads(subject, predicate, to_oxigraph(o) if o is not None else None)

    def value(
        self,
        subject: rdflib.term.Node | None = None,
        predicate: rdflib.term.Node | None = None,
        object: rdflib.term.Node | None = None,  # rdflib's name
    ) -> rdflib.term.Node | None:
        for quad in self._quads(subject, predicate, object):
            if subject is None:
                return to_rdflib(quad.subject)
            return to_rdflib(quad.object) if object is None else to_rdflib(quad.predicate)
        return None

    def objects(
        self, subject: rdflib.term.Node | None, predicate: rdflib.term.Node | None
    ) -> Iterator[rdflib.term.Node]:
        return (to_rdflib(quad.object) for quad in self._quads(subject, predicate, None))

    def __contains__(self, triple: tuple[rdflib.term.Node | None, ...]) -> bool:
        s, p, o = triple
        return next(self._quads(s, p, o), None) is not None


Data = rdflib.Graph | StoreView


def run_shapes(data: rdflib.Graph, shapes: rdflib.Graph, day: date) -> ValidationReport:
    try:
        _conforms, results, _text = pyshacl.validate(
            data,
            shacl_graph=shapes,
            inference="none",
            advanced=True,
            allow_warnings=False,
            allow_infos=True,  # not established is never a breach
            do_owl_imports=False,
        )
    except Exception as error:
        raise ValidatorFailure(f"the SHACL validator failed: {error}") from error
    if not isinstance(results, rdflib.Graph):
        raise ValidatorFailure(f"the SHACL validator returned no report: {results!r}"[:500])
    return _report(data, shapes, results, day)


def _report(data: Data, shapes: rdflib.Graph, results: rdflib.Graph, day: date) -> ValidationReport:
    findings = [
        _finding(data, shapes, results, result) for result in results.objects(None, SH.result)
    ]
    for result in results.objects(None, SH.result):
        severity = results.value(result, SH.resultSeverity)
        results.set(
            (result, HRG.outcome, HRG.NotEstablished if severity == SH.Info else HRG.NotMet)
        )
    findings.sort(key=_order)
    return ValidationReport(day, findings, results_graph=results)


def _order(f: Finding) -> tuple[str, ...]:
    return (
        f.group_kind,
        f.group,
        f.severity,
        f.requirement_label or "",
        f.focus_label,
        f.message,
    )


def _count(report: ValidationReport) -> None:
    """The report graph says whether the data conforms (no requirement not met: a finding that
    something is not established is an Info, never a breach) and counts the three outcomes."""
    graph = report.results_graph
    for node in graph.subjects(RDF.type, SH.ValidationReport):
        graph.set((node, SH.conforms, rdflib.Literal(report.conforms)))
        counts = report.outcomes()
        graph.set((node, HRG.notMetCount, rdflib.Literal(counts["not met"])))
        graph.set((node, HRG.notEstablishedCount, rdflib.Literal(counts["not established"])))
        graph.set((node, HRG.metCount, rdflib.Literal(counts["met"])))


def assess_met(
    store: GraphStore,
    shapes: rdflib.Graph,
    report: ValidationReport,
    targets: dict[str, frozenset[shaclsparql.Focus]] | None = None,
) -> list[Met]:
    """The requirements met: for each requirement a shape cites, the resources its target
    selects that no constraint citing the same requirement reported. Added to the report graph
    as hrg:Assessment nodes. Targets are evaluated on the store as SPARQL (:mod:`shaclsparql`),
    or taken from ``targets`` where the validation already evaluated them."""
    try:
        compiled = shaclsparql.compile_shapes(shapes)
    except NotCompilable:
        return []
    reported = {(f.focus, f.requirement) for f in report.findings}
    judged: set[tuple[str, str]] = set()
    query = _runner(store)
    for shape in compiled.shapes:
        cited = {_cited(shapes, c.node) or _cited(shapes, shape.node) for c in shape.constraints}
        requirements = {str(r) for r in cited if r is not None}
        if not requirements:
            continue
        for target in shape.target_queries:
            for node in shaclsparql.target_nodes(query, target, targets):
                if isinstance(node, ox.NamedNode):
                    judged |= {(node.value, requirement) for requirement in requirements}
    view = StoreView(store)
    met = []
    graph = report.results_graph
    holder = next(iter(graph.subjects(RDF.type, SH.ValidationReport)), None)
    for focus, requirement in sorted(judged - reported):
        focus_node, requirement_node = rdflib.URIRef(focus), rdflib.URIRef(requirement)
        kind, group = _group(view, focus_node, requirement_node)
        met.append(
            Met(
                focus=focus,
                focus_label=_label(view, focus_node),
                requirement=requirement,
                requirement_label=_requirement_label(view, shapes, requirement_node) or "",
                group_kind=kind,
                group=group,
            )
        )
        if holder is not None:
            entry = rdflib.BNode()
            graph.add((holder, HRG.assessment, entry))
            graph.add((entry, RDF.type, HRG.Assessment))
            graph.add((entry, SH.focusNode, focus_node))
            graph.add((entry, HRG.assessedRequirement, requirement_node))
            graph.add((entry, HRG.outcome, HRG.Met))
    return met


def _finding(
    data: Data, shapes: rdflib.Graph, results: rdflib.Graph, result: rdflib.term.Node
) -> Finding:
    focus = results.value(result, SH.focusNode)
    shape = results.value(result, SH.sourceShape)
    constraint = results.value(result, SH.sourceConstraint)
    requirement = _cited(shapes, constraint) or _cited(shapes, shape)
    value = results.value(result, SH.value)
    path = results.value(result, SH.resultPath)
    severity_node = results.value(result, SH.resultSeverity)
    severity = (
        SEVERITIES.get(severity_node, "Violation")
        if isinstance(severity_node, rdflib.URIRef)
        else "Violation"
    )
    message = str(results.value(result, SH.resultMessage) or "does not conform")
    group_kind, group = _group(data, focus, requirement)
    if focus is None:
        raise ValidatorFailure("a validation result without a focus node")
    facts = [_fact(data, focus)]
    if isinstance(value, rdflib.URIRef) and str(value).startswith(ID) and value != focus:
        facts.append(_fact(data, value))
    return Finding(
        focus=str(focus),
        focus_label=_label(data, focus),
        shape=str(shape),
        severity=severity,
        message=message,
        requirement=str(requirement) if requirement else None,
        requirement_label=_requirement_label(data, shapes, requirement),
        path=str(path) if path is not None else None,
        value=str(value) if value is not None else None,
        group_kind=group_kind,
        group=group,
        facts=tuple(facts),
        outcome="not established" if severity == "Info" else "not met",
    )


def _cited(shapes: rdflib.Graph, node: rdflib.term.Node | None) -> rdflib.term.Node | None:
    """The requirement a constraint cites: on the constraint, its shape, or the node shape
    that holds the property shape."""
    if node is None:
        return None
    cited = shapes.value(node, HRG.enforces)
    if cited is not None:
        return cited
    for holder in shapes.subjects(SH.property, node):
        cited = shapes.value(holder, HRG.enforces)
        if cited is not None:
            return cited
    for holder in shapes.subjects(SH.sparql, node):
        cited = shapes.value(holder, HRG.enforces)
        if cited is not None:
            return cited
    return None


def _requirement_label(
    data: Data, shapes: rdflib.Graph, requirement: rdflib.term.Node | None
) -> str | None:
    if requirement is None:
        return None
    code = data.value(requirement, HRG.requirementCode) or shapes.value(
        requirement, HRG.requirementCode
    )
    label = (
        _label(data, requirement)
        if (requirement, None, None) in data
        else _label(shapes, requirement)
    )
    return f"{code} — {label}" if code else label


def _group(
    data: Data, focus: rdflib.term.Node | None, requirement: rdflib.term.Node | None
) -> tuple[str, str]:
    if focus is None:
        return "other", ""
    owner = data.value(None, HRG.hasFeature, focus)
    if owner is not None:
        return "institution", _label(data, owner)
    types = set(data.objects(focus, RDF.type))
    if HRG.Institution in types:
        return "institution", _label(data, focus)
    if HRG.LegalAct in types:
        return "act", _label(data, focus)
    if HRG.DomesticProvision in types:
        act = focus
        while (parent := data.value(None, HRG.hasProvision, act)) is not None:
            act = parent
        return "act", _label(data, act)
    if requirement is not None and (requirement, RDF.type, HRG.TreatyProvision) in data:
        return "treaty article", _label(data, requirement)
    return "other", _label(data, focus)


def _fact(data: Data, node: rdflib.term.Node) -> Fact:
    confidence = data.value(node, HRG.confidence)
    sources = []
    for source in sorted(data.objects(node, HRG.source), key=str):
        url = data.value(source, HRG.url)
        symbol = data.value(source, HRG.unSymbol)
        sources.append(
            SourceRef(
                str(source),
                _label(data, source),
                str(url) if url else None,
                str(symbol) if symbol else None,
            )
        )
    return Fact(
        iri=str(node),
        label=_label(data, node),
        confidence=_label(data, confidence) if confidence is not None else None,
        sources=tuple(sources),
    )


def _label(graph: Data, node: rdflib.term.Node | None) -> str:
    if node is None:
        return ""
    labels = list(graph.objects(node, RDFS.label))
    english = [label for label in labels if getattr(label, "language", None) == "en"]
    chosen = english or labels
    if chosen:
        return str(chosen[0])
    text = str(node)
    return text[len(ID) :] if text.startswith(ID) else text


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


__all__ = [
    "Fact",
    "Finding",
    "Source",
    "SourceRef",
    "ValidationInputError",
    "ValidationReport",
    "ValidatorFailure",
    "cut",
    "default_shape_files",
    "evaluate",
    "excluded",
    "load_shapes",
    "snapshot",
    "validate",
]
