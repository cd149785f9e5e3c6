"""The triples of a UPR Working Group report import besides the recommendations: the report
and UPR Info's records as sources, the document and the review, each UPR Info record with its
link to the paragraph it records, and the issues' treaty articles from themes.ttl
(``hrgraph import upr-report``, docs/importers.md)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from hrgraph.build.importers.common import (
    CONFIDENCE,
    LABEL,
    SOURCE,
    ImportFailed,
    RowError,
    Triples,
    hrg,
    literal,
    node,
    slug,
    typed,
)
from hrgraph.build.importers.mappings import StateIndex, ThemeMapping
from hrgraph.build.importers.output import is_generated
from hrgraph.build.importers.recommendations import KIND, SUBJECT
from hrgraph.build.importers.uprlink import Match
from hrgraph.build.importers.uprreport_text import NOTED, SUPPORTED, Report
from hrgraph.rdf.vocab import DCTERMS, RDF_TYPE, RDFS, SKOS
from hrgraph.settings import Settings

RELATED_MATCH = SKOS + "relatedMatch"
"""themes.ttl: an issue's treaty articles (hrg:concernsProvision), apart from its rights."""


def response_status(response: str) -> str:
    value = response.strip().casefold()
    if value in {"accepted", "supported"}:
        return SUPPORTED
    if value in {"noted", "not supported", "rejected"}:
        return NOTED
    return ""


def related_matches(path: Path) -> dict[str, list[ox.NamedNode]]:
    """Each issue's treaty articles (skos:relatedMatch in themes.ttl)."""
    out: dict[str, list[ox.NamedNode]] = {}
    try:
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            if quad.predicate.value == RELATED_MATCH and isinstance(quad.object, ox.NamedNode):
                out.setdefault(quad.subject.value, []).append(quad.object)
    except (OSError, SyntaxError) as error:
        raise ImportFailed(f"the mapping {path.name} cannot be read: {error}") from None
    return out


def generated_subjects(settings: Settings, output: Path | None) -> set[str]:
    """Subjects labelled in the other generated data files (e.g. the States of data/world-*.ttl,
    the other cycle's file): described there, so only linked to here (one home per triple)."""
    subjects: set[str] = set()
    if output is None:
        return subjects
    for path in sorted(settings.data_dir.glob("*.ttl")):
        if not is_generated(path) or path.resolve() == output.resolve():
            continue
        for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            if triple.predicate.value == RDFS + "label" and isinstance(
                triple.subject, ox.NamedNode
            ):
                subjects.add(triple.subject.value)
    return subjects


def describe_sources(
    report: Report,
    path: Path,
    upr_info: Path | None,
    report_source: ox.NamedNode,
    info_source: ox.NamedNode | None,
    import_source: ox.NamedNode,
    document: ox.NamedNode,
    review: ox.NamedNode,
    state: ox.NamedNode,
    cycle: int,
    known: set[str],
) -> Triples:
    out: Triples = [
        (report_source, RDF_TYPE, hrg("Source")),
        (report_source, LABEL, literal(
            f"Report of the Working Group on the Universal Periodic Review: {report.state}, "
            f"{report.symbol}" + (f" ({report.day:%d %B %Y})" if report.day else "")
            + ", conclusions and/or recommendations", "en",
        )),
        (report_source, hrg("unSymbol"), literal(report.symbol)),
        (report_source, hrg("note"), literal(
            f"The recommendations as numbered and worded in the report, read from the text of "
            f"its PDF ({path.name}) by `hrgraph import upr-report`.", "en",
        )),
        (report_source, ox.NamedNode(DCTERMS + "source"), import_source),
    ]  # fmt: skip
    if info_source is not None and upr_info is not None:
        out += [
            (info_source, RDF_TYPE, hrg("Source")),
            (info_source, LABEL, literal(
                f"UPR Info, database of UPR recommendations: the records of {report.state}'s "
                f"review in cycle {cycle} ({upr_info.name})", "en",
            )),
            (info_source, hrg("note"), literal(
                "UPR Info's records (wording, recommending State, response, action category, "
                "issues) as exported from its database; linked to the report's paragraphs by "
                "text matching (hrg:matchedRecommendation, hrg:matchScore).", "en",
            )),
            (info_source, ox.NamedNode(DCTERMS + "source"), import_source),
        ]  # fmt: skip
    if document.value not in known:
        out += [
            (document, RDF_TYPE, hrg("UPRWorkingGroupReport")),
            (document, LABEL, literal(
                f"Report of the Working Group on the Universal Periodic Review: {report.state} "
                f"({report.symbol})", "en",
            )),
            (document, hrg("unSymbol"), literal(report.symbol)),
            (document, hrg("documentOf"), review),
            (document, SOURCE, report_source),
            (document, CONFIDENCE, hrg("Verified")),
        ]  # fmt: skip
        if report.day is not None:
            out.append((document, hrg("date"), typed(report.day.isoformat(), "date")))
    if review.value not in known:
        out += [
            (review, RDF_TYPE, hrg("Review")),
            (review, LABEL, literal(
                f"Universal Periodic Review of {report.state}, cycle {cycle}", "en"
            )),
            (review, hrg("reviewingMechanism"), node("mechanism/upr")),
            (review, hrg("reviewedState"), state),
            (review, hrg("cycle"), typed(str(cycle), "integer")),
            (review, SOURCE, report_source),
            (review, CONFIDENCE, hrg("Verified")),
        ]  # fmt: skip
        if report.session is not None:
            out.append((review, hrg("session"), literal(str(report.session))))
    return out


def record_triples(
    match: Match,
    symbol_slug: str,
    cycle: int,
    states: StateIndex,
    themes: ThemeMapping,
    source: ox.NamedNode | None,
    reviewed: ox.NamedNode,
) -> Triples:
    """A UPR Info record and its link to the paragraph it records."""
    assert source is not None
    row = match.row
    record = node(f"upr-info/{symbol_slug}/" + (slug(row.key) if row.key else f"row-{row.row}"))
    names = ", ".join(row.recommending) or "no State"
    excerpt = row.text if len(row.text) <= 70 else row.text[:67].rstrip() + "..."
    out: Triples = [
        (record, RDF_TYPE, hrg("UPRInfoRecord")),
        (record, LABEL, literal(
            f"UPR Info record (row {row.row}), cycle {cycle}, {names}: {excerpt}", "en"
        )),
        (record, hrg("text"), literal(row.text, "en")),
        (record, hrg("recordedReviewedState"), reviewed),
        (record, SOURCE, source),
        (record, CONFIDENCE, hrg("PartlyVerified")),
    ]  # fmt: skip
    if match.item is not None:
        paragraph = node(f"recommendation/{symbol_slug}/para-{slug(match.item.number)}")
        out.append((record, hrg("matchedRecommendation"), paragraph))
    out.append((record, hrg("matchScore"), typed(f"{match.score:.2f}", "decimal")))
    for name in row.recommending:
        try:
            out.append((record, hrg("recordedRecommendingState"),
                        node(f"state/{states.code(name).lower()}")))  # fmt: skip
        except RowError:
            out.append((record, hrg("note"), literal(f"Recommending State as recorded: {name}")))
    status = response_status(row.response)
    if status:
        out.append((record, hrg("recordedResponse"), hrg(status)))
    try:
        category = row.action_category()
    except RowError:
        category = None
        out.append((record, hrg("note"), literal(f"Action category as recorded: {row.action}")))
    if category is not None:
        out.append((record, KIND, node(f"upr-info/action-category/{category}")))
    for issue in row.issues:
        theme = themes.find("upr-info", issue)
        if theme is not None:
            out.append((record, SUBJECT, theme.concept))
    return out
