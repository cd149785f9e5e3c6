"""The requirements met on the day (docs/architecture.md, layer "validation"): for each
requirement a shape cites, the resources its targets select that no constraint citing the same
requirement reported, each with what was tested (the constraints that judged it); a resource
next to a fact dated only to the month or year of the day meets nothing for certain that day.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, RDFS, SH

from hrgraph.store.local import GraphStore
from hrgraph.validation import shaclrun, shaclsparql
from hrgraph.validation.findings import (
    HRG,
    Finding,
    Met,
    StoreView,
    ValidationReport,
    cited_requirement,
    fact_of,
    group_of,
    label_of,
    order,
    requirement_label,
)
from hrgraph.validation.shaclsparql import NotCompilable


def assess_met(
    store: GraphStore,
    shapes: rdflib.Graph,
    report: ValidationReport,
    query: shaclsparql.Query,
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
    # (focus, requirement) -> IRI -> label, of the shapes that can find a breach (a shape that
    # can only find something not established tests nothing the requirement asks)
    tested: dict[tuple[str, str], dict[str, str]] = {}
    for shape in compiled.shapes:
        cited = {
            cited_requirement(shapes, c.node) or cited_requirement(shapes, shape.node)
            for c in shape.constraints
        }
        requirements = {str(r) for r in cited if r is not None}
        if not requirements:
            continue
        tests: dict[str, dict[str, str]] = {}  # requirement -> what this shape tests of it
        for c in shape.constraints:  # each constraint's text under the requirement it cites
            cites = cited_requirement(shapes, c.node) or cited_requirement(shapes, shape.node)
            if cites is not None:
                read_by[str(cites)] = read_by.get(str(cites), "") + c.query
                if shape.severity != SH.Info:
                    tests.setdefault(str(cites), {}).update(_what_is_tested(shapes, shape, c))
        for target in shape.target_queries:
            for node in shaclrun.target_nodes(query, target, targets):
                if isinstance(node, ox.NamedNode):
                    for requirement in requirements:
                        judged.add((node.value, requirement))
                        shape_of.setdefault((node.value, requirement), str(shape.node))
                        if requirement in tests:
                            tested.setdefault((node.value, requirement), {}).update(
                                tests[requirement]
                            )
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
        what = tested.get((focus, requirement), {})
        met.append(
            Met(
                focus=focus,
                focus_label=label_of(view, focus_node),
                requirement=requirement,
                requirement_label=requirement_label(view, shapes, requirement_node) or "",
                group_kind=kind,
                group=group,
                tested=tuple(what[iri] for iri in sorted(what)),
                tested_by=tuple(sorted(what)),
            )
        )
        if holder is not None:
            entry = rdflib.BNode()
            graph.add((holder, HRG.assessment, entry))
            graph.add((entry, RDF.type, HRG.Assessment))
            graph.add((entry, SH.focusNode, focus_node))
            graph.add((entry, HRG.assessedRequirement, requirement_node))
            graph.add((entry, HRG.outcome, HRG.Met))
            for iri in sorted(what):
                graph.add((entry, HRG.testedBy, rdflib.URIRef(iri)))
    if unsure:
        report.findings = sorted([*report.findings, *unsure], key=order)
    return met


def _what_is_tested(
    shapes: rdflib.Graph, shape: shaclsparql.Shape, constraint: shaclsparql.Constraint
) -> dict[str, str]:
    """The constraint's IRI and label (its shape's, for a constraint that is a blank node or has
    no label of its own): what a requirement met was tested for."""
    for node in (constraint.node, shape.node):
        if isinstance(node, rdflib.URIRef) and (node, RDFS.label, None) in shapes:
            return {str(node): label_of(shapes, node)}
    return {}


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
