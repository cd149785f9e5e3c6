"""Materialise the inferences users expect when querying, into the graph ``graph/inferred``.

What is and is not inferred is documented in ``ontology/README.md`` ("What the build infers"):
type closure over subclass and equivalent-class axioms, property closure over subproperty,
equivalent-property and inverse axioms, the treaty bindings a State's consents give rise to,
links to the official copies of UN documents and Kazakh acts, and the number of resources of each
class in the data graphs (:mod:`hrgraph.build.statistics`).
"""

from __future__ import annotations

import calendar
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import pyoxigraph as ox

from hrgraph.build.statistics import class_partitions
from hrgraph.rdf.namespaces import HRG, NAMESPACE
from hrgraph.rdf.results import Term
from hrgraph.rdf.vocab import (
    ID,
    INFERRED_GRAPH,
    OWL,
    RDF_TYPE,
    RDFS,
    XSD_DATE,
    XSD_GYEAR,
    XSD_GYEARMONTH,
)
from hrgraph.store.local import GraphStore

MAX_ROUNDS = 20
"""Property rules feed each other (an inverse of a subproperty...); this bounds the rounds."""


@dataclass
class InferenceReport:
    triples: int = 0
    warnings: list[str] = field(default_factory=list)


def materialise(store: GraphStore) -> InferenceReport:
    """Add every inferred triple to ``graph/inferred`` and report how many there are."""
    report = InferenceReport()
    property_supers = _closure(
        _pairs(store, f"<{RDFS}subPropertyOf>", symmetric=False)
        + _pairs(store, f"<{OWL}equivalentProperty>", symmetric=True)
    )
    inverses = _pairs(store, f"<{OWL}inverseOf>", symmetric=True)
    class_supers = _closure(
        _pairs(store, f"<{RDFS}subClassOf>", symmetric=False)
        + _pairs(store, f"<{OWL}equivalentClass>", symmetric=True)
    )
    first = _property_closure(store, property_supers, inverses)
    typed = _type_closure(store, class_supers)
    report.triples += first.triples + typed
    bindings, warnings = _treaty_bindings(store)
    report.warnings += warnings
    links = _outbound_links(store) + _eli_aliases(store)
    added = bindings + links
    store.add_quads(added)
    report.triples += len(added)
    # Bindings use hrg:derivedFromAction, a subproperty of prov:wasGeneratedBy, and are typed.
    # Once the first round has reached its fixed point, only the statements added since (the
    # bindings, the links, the types just inferred) can have consequences not drawn yet: the
    # second round reads again only their properties and classes, and adds what reading every
    # property and class would add.
    since = {quad.predicate.value for quad in added} | ({RDF_TYPE.value} if typed else set())
    second = _property_closure(
        store, property_supers, inverses, only=since if first.complete else None
    )
    report.triples += second.triples
    classes = second.classes | {
        quad.object.value
        for quad in added
        if quad.predicate == RDF_TYPE and isinstance(quad.object, ox.NamedNode)
    }
    report.triples += _type_closure(store, class_supers, only=classes)
    partitions = class_partitions(store)  # counts of the data graphs' classes (statistics.py)
    store.add_quads(partitions)
    report.triples += len(partitions)
    return report


def _pairs(store: GraphStore, predicate: str, *, symmetric: bool) -> list[tuple[str, str]]:
    """(sub, super) IRI pairs of an axiom predicate, skipping class expressions (blank nodes)."""
    rows = store.query(
        f"SELECT DISTINCT ?a ?b WHERE {{ ?a {predicate} ?b FILTER(isIRI(?a) && isIRI(?b)) }}"
    )
    pairs = [(row["a"].value, row["b"].value) for row in _solutions(rows)]
    if symmetric:
        pairs += [(b, a) for a, b in pairs]
    return [(a, b) for a, b in pairs if a != b]


def _closure(pairs: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    """Every term's strict ancestors, transitively."""
    parents: dict[str, set[str]] = defaultdict(set)
    for child, parent in pairs:
        parents[child].add(parent)
    ancestors: dict[str, set[str]] = {}
    for term in list(parents):
        seen: set[str] = set()
        stack = list(parents[term])
        while stack:
            current = stack.pop()
            if current not in seen:
                seen.add(current)
                stack.extend(parents.get(current, ()))
        seen.discard(term)
        ancestors[term] = seen
    return ancestors


def _values(pairs: Iterable[tuple[str, str]]) -> str:
    return " ".join(f"(<{a}> <{b}>)" for a, b in sorted(pairs))


@dataclass
class _Closed:
    """What a property closure added: the number of statements, the classes its ``rdf:type``
    statements give, and whether it reached its fixed point within :data:`MAX_ROUNDS`."""

    triples: int = 0
    classes: set[str] = field(default_factory=set)
    complete: bool = False


def _property_closure(
    store: GraphStore,
    supers: dict[str, set[str]],
    inverses: list[tuple[str, str]],
    only: set[str] | None = None,
) -> _Closed:
    """Each statement restated with its property's super-properties and inverses, until nothing
    new follows; a statement already present in any graph is not added again. Read from the
    store's indexes property by property (far faster than a SPARQL join with FILTER NOT EXISTS
    once the data holds every State's treaty actions); ``only``: the properties read in the
    first round (all that have a super-property or an inverse when ``None``)."""
    inverse_of: dict[str, set[str]] = defaultdict(set)
    for p, q in inverses:
        inverse_of[p].add(q)
    existing: dict[str, set[tuple[Term, Term]]] = {}

    def present(q: str) -> set[tuple[Term, Term]]:
        if q not in existing:
            existing[q] = {(t.subject, t.object) for t in store.quads(None, ox.NamedNode(q))}
        return existing[q]

    closed = _Closed()
    pending = set(supers) | set(inverse_of)
    if only is not None:
        pending &= only
    for _ in range(MAX_ROUNDS):
        new: set[tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, Term]] = set()
        for p in sorted(pending):
            # each target property's node and statements looked up once, not once a statement
            targets = [(ox.NamedNode(q), present(q)) for q in sorted(supers.get(p, ()))]
            flipped = [(ox.NamedNode(q), present(q)) for q in sorted(inverse_of.get(p, ()))]
            for quad in store.quads(None, ox.NamedNode(p)):
                s, o = quad.subject, quad.object
                for q_node, there in targets:
                    if (s, o) not in there:
                        new.add((s, q_node, o))  # type: ignore[arg-type]
                if flipped and not isinstance(o, ox.Literal):
                    for q_node, there in flipped:
                        if (o, s) not in there:
                            new.add((o, q_node, s))  # type: ignore[arg-type]
        if not new:
            closed.complete = True
            break
        store.add_quads(ox.Quad(s, p, o, INFERRED_GRAPH) for s, p, o in new)
        closed.triples += len(new)
        pending = set()
        for subject, inferred, value in new:
            present(inferred.value).add((subject, value))
            if inferred.value in supers or inferred.value in inverse_of:
                pending.add(inferred.value)
            if inferred == RDF_TYPE and isinstance(value, ox.NamedNode):
                closed.classes.add(value.value)
    return closed


def _type_closure(
    store: GraphStore, supers: dict[str, set[str]], only: set[str] | None = None
) -> int:
    """Each typed resource typed with its classes' superclasses too (read class by class);
    ``only``: the classes whose members are read (all when ``None``)."""
    if not supers:
        return 0
    typed: dict[str, set[Term]] = {}

    def instances(c: str) -> set[Term]:
        if c not in typed:
            typed[c] = {q.subject for q in store.quads(None, RDF_TYPE, ox.NamedNode(c))}
        return typed[c]

    new: set[tuple[Term, str]] = set()
    for c, ancestors in supers.items():
        if only is not None and c not in only:
            continue
        members = instances(c)
        if not members:
            continue
        for d in ancestors:
            new.update((x, d) for x in members - instances(d))
    store.add_quads(ox.Quad(x, RDF_TYPE, ox.NamedNode(d), INFERRED_GRAPH) for x, d in new)  # type: ignore[arg-type]
    return len(new)


def _treaty_bindings(store: GraphStore) -> tuple[list[ox.Quad], list[str]]:
    """One hrg:TreatyBinding per State and instrument, from its earliest consent to be bound
    that has an entry-into-force date, ended by a denunciation taking effect later."""
    warnings: list[str] = []
    consents = store.query(
        f"""PREFIX hrg: <{NAMESPACE}>
        SELECT ?action ?state ?treaty ?eif WHERE {{
          ?action a hrg:ConsentToBeBound ; hrg:actingState ?state ; hrg:instrument ?treaty .
          OPTIONAL {{ ?action hrg:entryIntoForce ?eif }}
        }} ORDER BY ?action"""
    )
    earliest: dict[tuple[str, str], tuple[date, ox.Literal, ox.NamedNode]] = {}
    for row in _solutions(consents):
        action, state, treaty, eif = row["action"], row["state"], row["treaty"], row["eif"]
        if not isinstance(state, ox.NamedNode) or not isinstance(treaty, ox.NamedNode):
            warnings.append(
                f"{action.value}: its hrg:actingState and hrg:instrument must be IRIs, so no "
                "treaty binding is derived"
            )
            continue
        start = _last_day(eif) if isinstance(eif, ox.Literal) else None
        if start is None or not isinstance(eif, ox.Literal):
            warnings.append(
                f"{action.value}: no usable hrg:entryIntoForce, so no treaty binding is derived"
            )
            continue
        key = (state.value, treaty.value)
        if key not in earliest or start < earliest[key][0]:
            earliest[key] = (start, eif, action)
    ends: dict[tuple[str, str], list[date]] = defaultdict(list)
    denunciations = store.query(
        f"""PREFIX hrg: <{NAMESPACE}>
        SELECT ?state ?treaty ?eif WHERE {{
          ?action a hrg:Denunciation ; hrg:actingState ?state ; hrg:instrument ?treaty ;
                  hrg:entryIntoForce ?eif .
        }}"""
    )
    for row in _solutions(denunciations):
        if not isinstance(row["state"], ox.NamedNode) or not isinstance(
            row["treaty"], ox.NamedNode
        ):
            continue  # no binding to end (the consent's warning says why)
        effective = _first_day(row["eif"])
        if effective is not None:
            ends[(row["state"].value, row["treaty"].value)].append(effective)

    quads: list[ox.Quad] = []
    for (state, treaty), (start, stated, action) in sorted(earliest.items()):
        node = ox.NamedNode(f"{ID}binding/{_slug(state)}/{_slug(treaty)}")
        facts: list[tuple[ox.NamedNode, Term]] = [
            (HRG.boundState, ox.NamedNode(state)),
            (HRG.boundInstrument, ox.NamedNode(treaty)),
            (HRG.derivedFromAction, action),
            (HRG.bindingStartAsStated, stated),
            (HRG.validFrom, ox.Literal(start.isoformat(), datatype=XSD_DATE)),
        ]
        later = sorted(end for end in ends.get((state, treaty), []) if end > start)
        if later:
            facts.append((HRG.validUntil, ox.Literal(later[0].isoformat(), datatype=XSD_DATE)))
        quads.append(ox.Quad(node, RDF_TYPE, HRG.TreatyBinding, INFERRED_GRAPH))
        quads += [ox.Quad(node, p, o, INFERRED_GRAPH) for p, o in facts]
    return quads, warnings


def _outbound_links(store: GraphStore) -> list[ox.Quad]:
    """``rdfs:seeAlso`` links to the official copies: undocs.org for a UN symbol, adilet.zan.kz
    for an adilet id. Values that cannot form a clean IRI are skipped (the integrity shapes
    report malformed identifiers)."""
    rows = store.query(
        f"""PREFIX hrg: <{NAMESPACE}>
        SELECT ?resource ?symbol ?adilet WHERE {{
          {{ ?resource hrg:unSymbol ?symbol }} UNION {{ ?resource hrg:adiletId ?adilet }}
        }}"""
    )
    see_also = ox.NamedNode(RDFS + "seeAlso")
    quads = set()
    for row in _solutions(rows):
        symbol, adilet = row["symbol"], row["adilet"]
        if symbol is not None and _UN_SYMBOL.fullmatch(symbol.value):
            target = f"https://undocs.org/{symbol.value}"
        elif adilet is not None and _ADILET_ID.fullmatch(adilet.value):
            target = f"https://adilet.zan.kz/eng/docs/{adilet.value}"
        else:
            continue
        quads.add(ox.Quad(row["resource"], see_also, ox.NamedNode(target), INFERRED_GRAPH))
    return sorted(quads, key=str)


ELI_BASE = "https://w3id.org/hrgraph/eli/"
_ELI_TYPES = {
    "Constitution": "constitution",
    "ConstitutionalLaw": "constitutional-law",
    "Code": "code",
    "Law": "law",
    "Decree": "decree",
    "NormativeResolution": "resolution",
}


def _eli_aliases(store: GraphStore) -> list[ox.Quad]:
    """An ELI-style alias, ``eli/{state}/{type}/{year}/{number}``, for every domestic act whose
    kind, jurisdiction, adoption year and number are known (linked by ``owl:sameAs``)."""
    rows = store.query(
        f"""PREFIX hrg: <{NAMESPACE}>
        SELECT ?act ?kind ?code ?adopted ?number WHERE {{
          VALUES ?kind {{ {" ".join(f"hrg:{name}" for name in _ELI_TYPES)} }}
          GRAPH ?g {{ ?act a ?kind }}
          FILTER (?g != <{INFERRED_GRAPH.value}>)
          ?act hrg:jurisdiction/hrg:isoCode ?code ;
               hrg:adoptionDate ?adopted ;
               hrg:actNumber ?number .
        }}"""
    )
    acts_by_alias: dict[str, set[ox.NamedNode]] = defaultdict(set)
    for row in _solutions(rows):
        kind = _ELI_TYPES[row["kind"].value.removeprefix(NAMESPACE)]
        number = re.sub(r"[^a-z0-9-]+", "-", row["number"].value.lower()).strip("-")
        year = row["adopted"].value[:4]
        if number and year.isdigit() and isinstance(row["act"], ox.NamedNode):
            acts_by_alias[f"{ELI_BASE}{row['code'].value.lower()}/{kind}/{year}/{number}"].add(
                row["act"]
            )
    same_as = ox.NamedNode(OWL + "sameAs")
    # Two acts that would share an alias get none: owl:sameAs would merge them.
    return sorted(
        (
            ox.Quad(next(iter(acts)), same_as, ox.NamedNode(alias), INFERRED_GRAPH)
            for alias, acts in acts_by_alias.items()
            if len(acts) == 1
        ),
        key=str,
    )


_UN_SYMBOL = re.compile(r"[A-Z]+(/[A-Za-z0-9.()\-]+)+")
_ADILET_ID = re.compile(r"[A-Z][0-9]{9,10}_?")


def _last_day(literal: Term) -> date | None:
    """The last day covered by an exact or partial date: the first day certainly reached."""
    parsed = _parse_partial(literal)
    if parsed is None:
        return None
    year, month, day = parsed
    month = month or 12
    return date(year, month, day or calendar.monthrange(year, month)[1])


def _first_day(literal: Term) -> date | None:
    parsed = _parse_partial(literal)
    if parsed is None:
        return None
    year, month, day = parsed
    return date(year, month or 1, day or 1)


def _parse_partial(literal: Term) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) of an xsd:date, xsd:gYearMonth or xsd:gYear literal, else ``None``."""
    if not isinstance(literal, ox.Literal):
        return None
    text = literal.value
    try:
        if literal.datatype == XSD_DATE:
            exact = date.fromisoformat(text[:10])
            return exact.year, exact.month, exact.day
        if literal.datatype == XSD_GYEARMONTH:
            year, month = text[:7].split("-")
            return int(year), int(month), None
        if literal.datatype == XSD_GYEAR:
            return int(text[:4]), None, None
    except ValueError:
        return None
    return None


def _slug(iri: str) -> str:
    """``…/id/state/kaz`` -> ``kaz``; ``…/id/treaty/iccpr-op1`` -> ``iccpr-op1``; others hashed."""
    if iri.startswith(ID):
        _kind, _, rest = iri[len(ID) :].partition("/")
        if rest:
            return rest
    return hashlib.sha256(iri.encode()).hexdigest()[:16]


def _solutions(result: object) -> Iterable[ox.QuerySolution]:
    assert isinstance(result, ox.QuerySolutions)
    return result


__all__ = ["InferenceReport", "materialise"]
