"""What the findings come to on the day (docs/architecture.md, layer "validation"): a finding that
rests on a fact whose interval is known only to the month or year of the day is not established
(:func:`settle`); a finding whose requirement is stated in a document dated after the day says
so (:func:`date_authorities`); and the report graph counts the outcomes (:func:`count_outcomes`).
Each changes the report's findings and its results graph together.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, RDFS, SH

from hrgraph.rdf.namespaces import NAMESPACE
from hrgraph.store.local import GraphStore
from hrgraph.validation.findings import HRG, Finding, ValidationReport, order


def count_outcomes(report: ValidationReport) -> None:
    """The report graph says whether the data conforms (no requirement not met: a finding that
    something is not established is an Info, never a breach) and counts the three outcomes."""
    graph = report.results_graph
    for node in graph.subjects(RDF.type, SH.ValidationReport):
        graph.set((node, SH.conforms, rdflib.Literal(report.conforms)))
        counts = report.outcomes()
        graph.set((node, HRG.notMetCount, rdflib.Literal(counts["not met"])))
        graph.set((node, HRG.notEstablishedCount, rdflib.Literal(counts["not established"])))
        graph.set((node, HRG.metCount, rdflib.Literal(counts["met"])))


def settle(report: ValidationReport, uncertain: Mapping[str, str], day: date) -> None:
    """Findings that rest on a fact whose interval is known only to the month or year that
    holds the day are not established (Info): no breach is found on a fact that may not have
    held, and the finding says why. The report graph is changed with them."""
    if not uncertain:
        return
    settled = []
    results = _results_by_focus(report.results_graph)
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
        settled.append(_reword(report, results, finding, message, not_established=True))
    report.findings = sorted(settled, key=order)


def _results_by_focus(graph: rdflib.Graph) -> dict[str, list[rdflib.term.Node]]:
    """The results of a report graph by their focus as a finding names it (an IRI, or a blank
    node's label: an upload's), read once for a pass over the findings."""
    found: dict[str, list[rdflib.term.Node]] = {}
    for result, focus in graph.subject_objects(SH.focusNode):
        found.setdefault(str(focus), []).append(result)
    return found


def _reword(
    report: ValidationReport,
    results: Mapping[str, list[rdflib.term.Node]],
    finding: Finding,
    message: str,
    not_established: bool = False,
) -> Finding:
    """``finding`` with a new message (and made "not established"), in the report graph too
    (``results``: :func:`_results_by_focus` of it)."""
    graph = report.results_graph
    for result in results.get(finding.focus, ()):
        if str(graph.value(result, SH.resultMessage)) == finding.message:
            graph.set((result, SH.resultMessage, rdflib.Literal(message)))
            if not_established:
                graph.set((result, SH.resultSeverity, SH.Info))
                graph.set((result, HRG.outcome, HRG.NotEstablished))
    if not_established:
        return replace(finding, severity="Info", outcome="not established", message=message)
    return replace(finding, message=message)


@dataclass(frozen=True)
class Authority:
    """The document that states a requirement, as it is dated (``date``: its lexical form, a
    day, a month or a year)."""

    label: str
    date: str


def authorities(store: GraphStore) -> dict[str, Authority]:
    """Requirement IRI -> the dated document that states it (``hrg:statedIn``), read before the
    data is cut to a day (the cut leaves out a document dated after the day). Stated in several
    documents, the earliest decides (no note if any was there that day)."""
    return _earliest(
        store,
        f"""SELECT ?key ?date (SAMPLE(?name) AS ?label) WHERE {{
            ?key <{NAMESPACE}statedIn> ?document .
            ?document <{NAMESPACE}date> ?date .
            OPTIONAL {{ ?document <{RDFS.label}> ?name FILTER (LANGMATCHES(LANG(?name), "en")) }}
        }} GROUP BY ?key ?document ?date""",
    )


def dated_documents(store: GraphStore) -> dict[str, Authority]:
    """Document IRI -> the document as it is dated (``hrg:date``), for the texts a finding cites
    beside its requirement's (``Finding.cites``); read, as :func:`authorities`, before the data
    is cut to a day."""
    return _earliest(
        store,
        f"""SELECT ?key ?date (SAMPLE(?name) AS ?label) WHERE {{
            ?key a <{NAMESPACE}Document> ; <{NAMESPACE}date> ?date .
            OPTIONAL {{ ?key <{RDFS.label}> ?name FILTER (LANGMATCHES(LANG(?name), "en")) }}
        }} GROUP BY ?key ?date""",
    )


def _earliest(store: GraphStore, query: str) -> dict[str, Authority]:
    """``?key`` IRI -> the earliest ``?date`` of the rows of ``query``, with its ``?label``."""
    rows = store.query(query)
    assert isinstance(rows, ox.QuerySolutions)
    found: dict[str, Authority] = {}
    for row in rows:
        key, dated, label = row["key"], row["date"], row["label"]
        if not isinstance(key, ox.NamedNode) or not isinstance(dated, ox.Literal):
            continue
        # the calendar part of a date, a month or a year (a time or a zone after it is not read;
        # a date in any other form is not read at all)
        calendar = _CALENDAR.match(dated.value)
        if calendar is None:
            continue
        name = label.value if isinstance(label, ox.Literal) else key.value
        earlier = found.get(key.value)
        if earlier is None or calendar[0] < earlier.date:
            found[key.value] = Authority(name, calendar[0])
    return found


_CALENDAR = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def date_authorities(
    report: ValidationReport,
    stated: Mapping[str, Authority],
    day: date,
    documents: Mapping[str, Authority] | None = None,
) -> None:
    """A finding whose requirement is stated in a document dated after the day judged says so:
    the text is applied as the present reading of the requirement, not as one the State was held
    to in those words that day (e.g. GANHRI's General Observations of 2018 on a day of 2007).
    A requirement met under such a text says so in its note (``Met.note``; ``rdfs:comment`` on
    its hrg:Assessment in the report graph). So does a finding whose message cites, beside the
    requirement's own text, one of ``documents`` dated after the day (``Finding.cites``: e.g.
    General Comment No. 37 of 2020 in a finding under article 21 on a day of 2015). A document
    dated only to the month or year of the day is not said to come after it."""
    iso = day.isoformat()

    known = documents or {}

    def after(authority: Authority) -> bool:
        return authority.date > iso[: len(authority.date)]

    def later(requirement: str | None) -> str | None:
        authority = stated.get(requirement or "")
        if authority is None or not after(authority):
            return None
        return (
            f"The text cited as the standard, {authority.label}, dates from {authority.date}, "
            "after the day judged: it is applied as the present reading of the requirement; the "
            f"reading in force on {iso} is not in the sources read"
        )

    def also_later(finding: Finding) -> str | None:
        own = stated.get(finding.requirement or "")
        cited = [
            known[iri]
            for iri in finding.cites
            if iri in known and after(known[iri]) and known[iri] != own
        ]
        if not cited:
            return None
        texts = " and ".join(f"{a.label} (dated {a.date})" for a in cited)
        if len(cited) == 1:
            return (
                f"The text also cited, {texts}, comes after the day judged: it is cited as the "
                f"present reading, not as a text in force on {iso}"
            )
        return (
            f"The texts also cited, {texts}, come after the day judged: they are cited as the "
            f"present reading, not as texts in force on {iso}"
        )

    dated = []
    results = _results_by_focus(report.results_graph)
    for finding in report.findings:
        notes = [note for note in (later(finding.requirement), also_later(finding)) if note]
        if not notes:
            dated.append(finding)
            continue
        message = ". ".join([finding.message.rstrip("."), *notes])
        dated.append(_reword(report, results, finding, message))
    report.findings = dated
    # A requirement met under such a text says so too: it is met as the text now reads it.
    graph = report.results_graph
    noted = []
    for met in report.met:
        note = later(met.requirement)
        if note is None:
            noted.append(met)
            continue
        noted.append(replace(met, note=note))
        for entry in graph.subjects(HRG.assessedRequirement, rdflib.URIRef(met.requirement)):
            if (entry, SH.focusNode, rdflib.URIRef(met.focus)) in graph:  # an IRI: met.py
                graph.set((entry, RDFS.comment, rdflib.Literal(note, lang="en")))
    report.met = noted
