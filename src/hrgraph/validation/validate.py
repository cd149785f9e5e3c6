"""SHACL validation of a national framework as it stood on a date (docs/architecture.md, layer
"validation"): the orchestration. The data (:mod:`~hrgraph.validation.dataset`) is cut to what
held on the date (:mod:`~hrgraph.validation.asof`); the shapes (:mod:`~hrgraph.validation.shapes`)
run as SPARQL on the store (:mod:`hrgraph.validation.shaclsparql`) when they use only what that
engine implements, else with pySHACL on an rdflib copy (``engine="pyshacl"`` forces it; both
give the same findings, which the tests check); the report (:mod:`~hrgraph.validation.findings`)
joins each result to the requirement its shape cites and to the sources of the facts.

:func:`validate_dataset` validates a store in memory; :func:`validate` reads the data and shapes
named by paths (the command line), :func:`validate_upload` an uploaded document's triples.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Literal

import pyoxigraph as ox
import pyshacl
import rdflib
from rdflib.namespace import RDF, SH

from hrgraph.settings import Settings
from hrgraph.store.local import GraphStore
from hrgraph.validation import shaclrun, shaclsparql
from hrgraph.validation.asof import cut, merge_graphs, to_graph
from hrgraph.validation.dataset import BUILT_STORE, Dataset, open_dataset, upload_dataset
from hrgraph.validation.errors import ValidationInputError, ValidatorFailure
from hrgraph.validation.findings import (
    HRG,
    Finding,
    Met,
    StoreView,
    ValidationReport,
    authorities,
    cited_requirement,
    count_outcomes,
    date_authorities,
    fact_of,
    give_way,
    group_of,
    label_of,
    order,
    read_report,
    requirement_label,
    settle,
)
from hrgraph.validation.increment import Increment
from hrgraph.validation.shaclsparql import NotCompilable, scan, to_rdflib
from hrgraph.validation.shapes import default_shape_files, load_shapes

Engine = Literal["auto", "sparql", "pyshacl"]
SPARQL_ENGINE = "SPARQL on the Oxigraph store"
PYSHACL_ENGINE = "pySHACL"


def validate(
    settings: Settings,
    *,
    as_of: date | None = None,
    data_files: Sequence[Path] | None = None,
    shape_files: Sequence[Path] | None = None,
    engine: Engine = "auto",
    incremental: bool = True,
) -> ValidationReport:
    """Validate the bundled data (or ``data_files``) against the shapes as of a date (today):
    the data of the backend ``settings`` name (:mod:`hrgraph.validation.dataset`). From the built
    store, the results of its last validation for the same day and shapes are reused when no
    source file, write or import changed since (:class:`~hrgraph.validation.increment.Increment`;
    ``incremental=False`` revalidates everything and keeps its results for the next), and the
    report's ``basis`` says what was revalidated."""
    day = as_of or date.today()
    shape_paths = _shape_paths(settings, shape_files)
    shapes = load_shapes(shape_paths)
    with open_dataset(settings, data_files, shapes) as data:
        increment = None
        if data.basis.startswith(BUILT_STORE) and settings.store_path is not None:
            increment = Increment.start(
                settings.store_path,
                data.store,
                day,
                shape_paths,
                engine,
                generation=data.basis.partition("(generation ")[2].rstrip(")"),
                full=not incremental,
            )
        report = validate_dataset(data, shapes, day, engine, increment)
    report.shapes = [_display(path, settings.root) for path in shape_paths]
    return report


def validate_upload(
    settings: Settings,
    triples: Sequence[ox.Triple],
    *,
    as_of: date | None = None,
    shape_files: Sequence[Path] | None = None,
) -> ValidationReport:
    """Validate an uploaded document's triples (parsed by ``hrgraph.rdf.uploads``), built in
    memory with the ontology, against the shapes as of a date (today)."""
    shape_paths = _shape_paths(settings, shape_files)
    shapes = load_shapes(shape_paths)
    report = validate_dataset(upload_dataset(settings, triples), shapes, as_of or date.today())
    report.shapes = [_display(path, settings.root) for path in shape_paths]
    return report


def validate_dataset(
    data: Dataset,
    shapes: rdflib.Graph,
    day: date,
    engine: Engine = "auto",
    increment: Increment | None = None,
) -> ValidationReport:
    """Validate a private store (which is cut to ``day``: see :func:`hrgraph.validation.asof.cut`)
    against parsed shapes; the report says what was validated (``data.basis``)."""
    basis = data.basis
    stated = authorities(data.store)
    held = cut(data.store, day, increment.note_cut if increment is not None else None)
    report = evaluate(data.store, shapes, day, engine, held.uncertain, increment)
    date_authorities(report, stated, day)
    if increment is not None:
        basis += increment.finish()
        if increment.previous is not None and not increment.everything:
            report.revalidated = frozenset(str(to_rdflib(node)) for node in increment.reuse.reran)
    report.data = data.names
    report.basis = basis
    return report


def _shape_paths(settings: Settings, shape_files: Sequence[Path] | None) -> list[Path]:
    shape_paths = list(shape_files) if shape_files is not None else default_shape_files(settings)
    if not shape_paths:
        raise ValidationInputError(f"no shapes to validate with in {settings.shapes_dir}")
    return shape_paths


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
    give_way(report)
    report.met = assess_met(store, shapes, report, targets, uncertain or {})
    count_outcomes(report)
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
            results = shaclrun.run(compiled, _runner(store), targets, reuse)
        except NotCompilable as error:
            if engine == "sparql":
                raise ValidationInputError(
                    f"these shapes cannot run as SPARQL on the store ({error}); "
                    "use the pySHACL engine"
                ) from None
            reason = f"the shapes use {error}"
        else:
            _, graph = shaclrun.report_graph(results)
            report = read_report(StoreView(store), shapes, graph, day)
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
            inlined = shaclrun.inline(text, focus) if focus is not None else None
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
    return read_report(data, shapes, results, day)


def assess_met(
    store: GraphStore,
    shapes: rdflib.Graph,
    report: ValidationReport,
    targets: dict[str, frozenset[shaclsparql.Focus]] | None = None,
    uncertain: Mapping[str, str] | None = None,
) -> list[Met]:
    """The requirements met: for each requirement a shape cites, the resources its target
    selects that no constraint citing the same requirement reported. Added to the report graph
    as hrg:Assessment nodes. Targets are evaluated on the store as SPARQL (:mod:`shaclsparql`),
    or taken from ``targets`` where the validation already evaluated them. A resource that is,
    or is next to, a fact in ``uncertain`` (IRI -> why: an interval known only to the month or
    year that holds the day) meets nothing for certain that day: each requirement it would meet
    is reported as not established instead (an Info finding), as a breach resting on such a fact
    is (:func:`settle`)."""
    try:
        compiled = shaclsparql.compile_shapes(shapes)
    except NotCompilable:
        return []
    reported = {(f.focus, f.requirement) for f in report.findings}
    judged: set[tuple[str, str]] = set()
    shape_of: dict[tuple[str, str], str] = {}
    read_by: dict[str, str] = {}  # requirement -> the text of the constraints citing it
    query = _runner(store)
    for shape in compiled.shapes:
        cited = {
            cited_requirement(shapes, c.node) or cited_requirement(shapes, shape.node)
            for c in shape.constraints
        }
        requirements = {str(r) for r in cited if r is not None}
        if not requirements:
            continue
        for c in shape.constraints:  # each constraint's text under the requirement it cites
            cites = cited_requirement(shapes, c.node) or cited_requirement(shapes, shape.node)
            if cites is not None:
                read_by[str(cites)] = read_by.get(str(cites), "") + c.query
        for target in shape.target_queries:
            for node in shaclrun.target_nodes(query, target, targets):
                if isinstance(node, ox.NamedNode):
                    for requirement in requirements:
                        judged.add((node.value, requirement))
                        shape_of.setdefault((node.value, requirement), str(shape.node))
    view = StoreView(store)
    met = []
    graph = report.results_graph
    holder = next(iter(graph.subjects(RDF.type, SH.ValidationReport)), None)
    near = _near_uncertain(store, uncertain or {})
    unsure: list[Finding] = []
    for focus, requirement in sorted(judged - reported):
        focus_node, requirement_node = rdflib.URIRef(focus), rdflib.URIRef(requirement)
        kind, group = group_of(view, focus_node, requirement_node)
        read = read_by.get(requirement, "")
        resting = sorted(
            fact
            for fact, link, kinds in near.get(focus, ())
            # the fact itself, or a fact linked as the constraints read, of a class or with a
            # property they read
            if link is None or (_local(link) in read and any(_local(k) in read for k in kinds))
        )
        if resting and uncertain:
            label = requirement_label(view, shapes, requirement_node) or requirement
            why = "; ".join(f"{label_of(view, rdflib.URIRef(i))} {uncertain[i]}" for i in resting)
            finding = Finding(
                focus=focus,
                focus_label=label_of(view, focus_node),
                shape=shape_of[(focus, requirement)],
                severity="Info",
                message=(
                    f"Not established from the sources read: {why}, so whether "
                    f"'{label}' was met on {report.as_of.isoformat()} cannot be established "
                    "(a date known only to the month or year is read conservatively)."
                ),
                requirement=requirement,
                requirement_label=label,
                path=None,
                value=None,
                group_kind=kind,
                group=group,
                facts=tuple(fact_of(view, rdflib.URIRef(i)) for i in [focus, *resting]),
                outcome="not established",
            )
            unsure.append(finding)
            if holder is not None:
                result = rdflib.BNode()
                graph.add((holder, SH.result, result))
                graph.add((result, RDF.type, SH.ValidationResult))
                graph.add((result, SH.focusNode, focus_node))
                graph.add((result, SH.sourceShape, rdflib.URIRef(finding.shape)))
                graph.add((result, SH.resultSeverity, SH.Info))
                graph.add((result, SH.resultMessage, rdflib.Literal(finding.message)))
                graph.add((result, HRG.outcome, HRG.NotEstablished))
            continue
        met.append(
            Met(
                focus=focus,
                focus_label=label_of(view, focus_node),
                requirement=requirement,
                requirement_label=requirement_label(view, shapes, requirement_node) or "",
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
    if unsure:
        report.findings = sorted([*report.findings, *unsure], key=order)
    return met


def _near_uncertain(
    store: GraphStore, uncertain: Mapping[str, str]
) -> dict[str, set[tuple[str, str | None, tuple[str, ...]]]]:
    """For each resource that is, or is linked (either way) to, a fact in ``uncertain``: those
    facts, each with the property linking it (``None``: the resource itself) and its classes
    and own properties."""
    iris = sorted(i for i in uncertain if i.startswith(("http://", "https://", "urn:")))
    near: dict[str, set[tuple[str, str | None, tuple[str, ...]]]] = {
        i: {(i, None, ())} for i in iris
    }
    for start in range(0, len(iris), 200):
        values = " ".join(f"<{i}>" for i in iris[start : start + 200])
        kinds: dict[str, list[str]] = {}
        typed = store.query(
            f"SELECT DISTINCT ?x ?k WHERE {{ VALUES ?x {{ {values} }} "
            "{ ?x a ?k } UNION { ?x ?k ?o FILTER (?k NOT IN "
            "(<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>, "
            "<http://www.w3.org/2000/01/rdf-schema#label>)) } }"
        )
        assert isinstance(typed, ox.QuerySolutions)
        for row in typed:
            kinds.setdefault(row["x"].value, []).append(row["k"].value)
        rows = store.query(
            f"SELECT DISTINCT ?f ?x ?p WHERE {{ VALUES ?x {{ {values} }} "
            "{ ?f ?p ?x } UNION { ?x ?p ?f } FILTER (isIRI(?f)) }"
        )
        assert isinstance(rows, ox.QuerySolutions)
        for row in rows:
            fact = row["x"].value
            link = (fact, row["p"].value, tuple(sorted(kinds.get(fact, ()))))
            near.setdefault(row["f"].value, set()).add(link)
    return near


def _local(iri: str) -> str:
    """A term's local name as a query writes it (``hrg:hasFeature``, ``hrg:Term``)."""
    return ":" + iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
