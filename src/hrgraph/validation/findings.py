"""The validation report a lawyer reads (W3C SHACL, section 3.6: validation reports): findings,
requirements met, and the facts and sources each rests on, read from a SHACL results graph
(docs/architecture.md, layer "validation").

Each result is joined to the requirement or treaty article its shape cites (``hrg:enforces``)
and to the sources of the facts. What the findings come to on the day (not established, giving
way, a text dated after the day) is :mod:`hrgraph.validation.outcomes`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

import pyoxigraph as ox
import rdflib
from rdflib.namespace import DCTERMS, RDF, RDFS, SH

from hrgraph.rdf.namespaces import NAMESPACE
from hrgraph.rdf.vocab import ID
from hrgraph.store.local import GraphStore
from hrgraph.validation.errors import ValidatorFailure
from hrgraph.validation.shaclsparql import to_oxigraph, to_rdflib

HRG = rdflib.Namespace(NAMESPACE)
RDF_IRI = str(RDF)
SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
T = TypeVar("T")


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
    cites: tuple[str, ...] = ()
    """The documents the finding's message cites beside its requirement's own text (the
    constraint's ``dcterms:references``, else its shape's): a date after the day judged is
    noted (:func:`hrgraph.validation.outcomes.date_authorities`)."""


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
    tested: tuple[str, ...] = ()
    """What was tested and found not failing: the labels of the constraints that cite the
    requirement and judged the resource (a requirement may be wider than what its shapes test,
    e.g. A.2's "mandate as broad as possible", of which one shape tests the level of the act)."""
    tested_by: tuple[str, ...] = ()
    """The IRIs of those constraints (or of their shapes, for a constraint that is a blank node),
    in the order of ``tested``. A requirement judged only by shapes that can find nothing worse
    than "not established" names none."""
    note: str = ""
    """What the reader must know of the standard applied, e.g. that the text cited for it is
    dated after the day judged (:func:`hrgraph.validation.outcomes.date_authorities`)."""


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


class StoreView:
    """The few rdflib ``Graph`` reads the report needs, answered by a store."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        # The store is read-only while a report is read, and the same labels, sources and
        # owners are asked for again and again (a requirement's label once per finding): the
        # reads with a subject or an object given are kept (each as small as one node's
        # statements).
        self._memo: dict[tuple[object, object, object], list[ox.Quad]] = {}

    def _quads(
        self, s: rdflib.term.Node | None, p: rdflib.term.Node | None, o: rdflib.term.Node | None
    ) -> Iterator[ox.Quad]:
        key = (s, p, o)
        kept = self._memo.get(key)
        if kept is not None:
            return iter(kept)
        subject = to_oxigraph(s) if s is not None else None
        predicate = to_oxigraph(p) if p is not None else None
        if isinstance(subject, ox.Literal) or not isinstance(predicate, (ox.NamedNode, type(None))):
            return iter(())
        quads = self._store.quads(subject, predicate, to_oxigraph(o) if o is not None else None)
        if s is None and o is None:
            return quads
        kept = list(quads)
        self._memo[key] = kept
        return iter(kept)

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


def read_report(
    data: Data, shapes: rdflib.Graph, results: rdflib.Graph, day: date
) -> ValidationReport:
    reads = _Reads(data, shapes)
    findings = [_finding(reads, results, result) for result in results.objects(None, SH.result)]
    for result in results.objects(None, SH.result):
        severity = results.value(result, SH.resultSeverity)
        results.set(
            (result, HRG.outcome, HRG.NotEstablished if severity == SH.Info else HRG.NotMet)
        )
    findings.sort(key=order)
    return ValidationReport(day, findings, results_graph=results)


def order(f: Finding) -> tuple[str, ...]:
    """The order findings are listed in."""
    return (
        f.group_kind,
        f.group,
        f.severity,
        f.requirement_label or "",
        f.focus_label,
        f.message,
    )


class _Reads:
    """The reads of one report, each done once: many findings share a focus node, a value, a
    requirement or a constraint, and nothing changes while the report is read."""

    def __init__(self, data: Data, shapes: rdflib.Graph) -> None:
        self.data, self.shapes = data, shapes
        self._kept: dict[tuple[object, ...], object] = {}

    def _once(self, key: tuple[object, ...], read: Callable[[], T]) -> T:
        if key not in self._kept:
            self._kept[key] = read()
        return self._kept[key]  # type: ignore[return-value]

    def label(self, node: rdflib.term.Node) -> str:
        return self._once(("label", node), lambda: label_of(self.data, node))

    def fact(self, node: rdflib.term.Node) -> Fact:
        return self._once(("fact", node), lambda: fact_of(self.data, node))

    def group(
        self, focus: rdflib.term.Node | None, requirement: rdflib.term.Node | None
    ) -> tuple[str, str]:
        return self._once(
            ("group", focus, requirement), lambda: group_of(self.data, focus, requirement)
        )

    def requirement(
        self, constraint: rdflib.term.Node | None, shape: rdflib.term.Node | None
    ) -> rdflib.term.Node | None:
        return self._once(
            ("requirement", constraint, shape),
            lambda: (
                cited_requirement(self.shapes, constraint) or cited_requirement(self.shapes, shape)
            ),
        )

    def cites(
        self, constraint: rdflib.term.Node | None, shape: rdflib.term.Node | None
    ) -> tuple[str, ...]:
        def read() -> tuple[str, ...]:
            for node in (constraint, shape):
                if node is not None:
                    found = sorted(str(o) for o in self.shapes.objects(node, DCTERMS.references))
                    if found:
                        return tuple(found)
            return ()

        return self._once(("cites", constraint, shape), read)

    def requirement_label(self, requirement: rdflib.term.Node | None) -> str | None:
        return self._once(
            ("requirement label", requirement),
            lambda: requirement_label(self.data, self.shapes, requirement),
        )


def _finding(reads: _Reads, results: rdflib.Graph, result: rdflib.term.Node) -> Finding:
    focus = results.value(result, SH.focusNode)
    shape = results.value(result, SH.sourceShape)
    constraint = results.value(result, SH.sourceConstraint)
    requirement = reads.requirement(constraint, shape)
    value = results.value(result, SH.value)
    path = results.value(result, SH.resultPath)
    severity_node = results.value(result, SH.resultSeverity)
    severity = (
        SEVERITIES.get(severity_node, "Violation")
        if isinstance(severity_node, rdflib.URIRef)
        else "Violation"
    )
    message = str(results.value(result, SH.resultMessage) or "does not conform")
    group_kind, group = reads.group(focus, requirement)
    if focus is None:
        raise ValidatorFailure("a validation result without a focus node")
    facts = [reads.fact(focus)]
    if isinstance(value, rdflib.URIRef) and str(value).startswith(ID) and value != focus:
        facts.append(reads.fact(value))
    return Finding(
        focus=str(focus),
        focus_label=reads.label(focus),
        shape=str(shape),
        severity=severity,
        message=message,
        requirement=str(requirement) if requirement else None,
        requirement_label=reads.requirement_label(requirement),
        path=str(path) if path is not None else None,
        value=str(value) if value is not None else None,
        group_kind=group_kind,
        group=group,
        facts=tuple(facts),
        outcome="not established" if severity == "Info" else "not met",
        cites=reads.cites(constraint, shape),
    )


def cited_requirement(
    shapes: rdflib.Graph, node: rdflib.term.Node | None
) -> rdflib.term.Node | None:
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


def requirement_label(
    data: Data, shapes: rdflib.Graph, requirement: rdflib.term.Node | None
) -> str | None:
    if requirement is None:
        return None
    code = data.value(requirement, HRG.requirementCode) or shapes.value(
        requirement, HRG.requirementCode
    )
    label = (
        label_of(data, requirement)
        if (requirement, None, None) in data
        else label_of(shapes, requirement)
    )
    return f"{code} — {label}" if code else label


def group_of(
    data: Data, focus: rdflib.term.Node | None, requirement: rdflib.term.Node | None
) -> tuple[str, str]:
    if focus is None:
        return "other", ""
    owner = data.value(None, HRG.hasFeature, focus)
    if owner is not None:
        return "institution", label_of(data, owner)
    types = set(data.objects(focus, RDF.type))
    if HRG.Institution in types:
        return "institution", label_of(data, focus)
    if HRG.LegalAct in types:
        return "act", label_of(data, focus)
    if HRG.DomesticProvision in types:
        act = focus
        while (parent := data.value(None, HRG.hasProvision, act)) is not None:
            act = parent
        return "act", label_of(data, act)
    if requirement is not None and (requirement, RDF.type, HRG.TreatyProvision) in data:
        return "treaty article", label_of(data, requirement)
    return "other", label_of(data, focus)


def fact_of(data: Data, node: rdflib.term.Node) -> Fact:
    """A resource as a fact a finding rests on: its label, confidence and sources."""
    confidence = data.value(node, HRG.confidence)
    sources = []
    for source in sorted(data.objects(node, HRG.source), key=str):
        url = data.value(source, HRG.url)
        symbol = data.value(source, HRG.unSymbol)
        sources.append(
            SourceRef(
                str(source),
                label_of(data, source),
                str(url) if url else None,
                str(symbol) if symbol else None,
            )
        )
    return Fact(
        iri=str(node),
        label=label_of(data, node),
        confidence=label_of(data, confidence) if confidence is not None else None,
        sources=tuple(sources),
    )


def label_of(graph: Data, node: rdflib.term.Node | None) -> str:
    if node is None:
        return ""
    labels = list(graph.objects(node, RDFS.label))
    english = [label for label in labels if getattr(label, "language", None) == "en"]
    chosen = english or labels
    if chosen:
        return str(chosen[0])
    text = str(node)
    return text[len(ID) :] if text.startswith(ID) else text
