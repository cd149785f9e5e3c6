"""The data as it stood on a day (docs/architecture.md, layer "validation"): what held on the day
(acts and provisions in force, features and bindings valid, nothing dated later), what may or may
not have held (a bound known only to the month or year), and the cut of a private store to it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

import pyoxigraph as ox
import rdflib

from hrgraph.rdf.namespaces import NAMESPACE
from hrgraph.rdf.vocab import BUILD_GRAPH
from hrgraph.store.local import GraphStore
from hrgraph.validation.shaclsparql import to_rdflib

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


def cut(
    store: GraphStore,
    day: date,
    seen: Callable[[GraphStore, set[ox.NamedNode | ox.BlankNode]], None] | None = None,
) -> Cut:
    """Make a private store hold the data as it stood on ``day``: the build's own description
    and the default graph go, and so does every statement about a resource that did not hold
    (:func:`held`), which ``seen`` is shown first. Returns what was cut and what is uncertain on
    the day."""
    store.update(f"DROP SILENT GRAPH <{BUILD_GRAPH.value}> ; CLEAR SILENT DEFAULT")
    result = held(store, day)
    if seen is not None:
        seen(store, result.out)
    for node in result.out:
        store.remove_subject(node)
    store.update(
        f"INSERT DATA {{ GRAPH <{VALIDATION_CONTEXT}> {{ <{VALIDATION_CONTEXT}> "
        f'<{NAMESPACE}asOf> "{day.isoformat()}"^^<{XSD}date> }} }}'
    )
    return result


def merge_graphs(store: GraphStore) -> None:
    """Move every statement into the default graph, so a triple held by two graphs is seen
    once (needed only by shapes whose results count solutions)."""
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } } ; DROP SILENT NAMED")


def to_graph(
    store: GraphStore,
    left_out: Iterable[ox.NamedNode | ox.BlankNode] = (),
    graph: rdflib.Graph | None = None,
) -> rdflib.Graph:
    """The statements of the store but the build graph's, as one rdflib graph (what pySHACL
    validates), without those about ``left_out``; added to ``graph`` when given."""
    skipped = set(left_out)
    graph = rdflib.Graph() if graph is None else graph
    for quad in store.quads():
        if quad.graph_name != BUILD_GRAPH and quad.subject not in skipped:
            graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graph


def snapshot(store: GraphStore, day: date) -> rdflib.Graph:
    """The data as it stood on ``day``, as an rdflib graph, leaving ``store`` as it is (the
    statements :func:`cut` would remove are skipped)."""
    return to_graph(store, excluded(store, day))
