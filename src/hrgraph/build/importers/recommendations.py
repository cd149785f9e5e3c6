"""Recommendations and observations read from UHRI or UPR Info rows, as triples with stable IRIs
that follow the curated data's policy (``recommendation/{document}/para-{n}``,
``response/{document}/...``, ``review/upr/{state}/{cycle}``), so an import links to the curated
resources instead of duplicating them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pyoxigraph as ox

from hrgraph.build.importers.common import (
    CONFIDENCE,
    LABEL,
    SOURCE,
    RowError,
    Triples,
    digest,
    hrg,
    literal,
    node,
    slug,
    typed,
)
from hrgraph.build.importers.mappings import ThemeMapping
from hrgraph.rdf.vocab import DCTERMS, RDF_TYPE, SKOS

POSITIONS = {
    "supported": "Supported",
    "accepted": "Supported",
    "noted": "Noted",
    "not supported": "Noted",
    "notsupported": "Noted",
    "rejected": "Noted",
    "partially supported": "PartiallySupported",
    "partially accepted": "PartiallySupported",
}
"""Responses as the exports spell them; UPR Info's "Not Supported" is the UN's "noted"."""

SUBJECT = ox.NamedNode(DCTERMS + "subject")
AUDIENCE = ox.NamedNode(DCTERMS + "audience")
RELATION = ox.NamedNode(DCTERMS + "relation")
KIND = ox.NamedNode(DCTERMS + "type")
IDENTIFIER = ox.NamedNode(DCTERMS + "identifier")
CONCEPT = ox.NamedNode(SKOS + "Concept")
PREF_LABEL = ox.NamedNode(SKOS + "prefLabel")


@dataclass
class Record:
    state: str
    mechanism: str
    text: str
    symbol: str = ""
    paragraph: str = ""
    document_kind: str = ""
    themes: list[str] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)
    sdgs: list[str] = field(default_factory=list)
    recommending: list[str] = field(default_factory=list)
    position: str = ""
    day: date | None = None
    cycle: int | None = None
    session: str = ""
    observation: bool = False
    action_category: int | None = None
    others: list[str] = field(default_factory=list)
    """Further States a joint recommendation or observation is addressed to (UHRI's "Countries
    Concerned" may name several): one resource, addressed to each."""
    tail: str = ""
    """The last IRI segment, when the importer chooses it (UHRI: from the OHCHR annotation id)."""
    identifier: str = ""
    """The source's own identifier of the row (UHRI's "OHCHR Annotation Id"): dcterms:identifier."""
    verbatim: bool = False
    """The text is the document's own wording: recorded as hrg:textIsSummary false. Such a row
    does not give a second label, text or textIsSummary to a recommendation the curated data
    already describes (whose text may be a summary): it adds its links only."""


def position_of(value: str) -> str:
    """The project's response status for an export's position; :class:`RowError` if unknown."""
    if not value:
        return ""
    status = POSITIONS.get(value.strip().casefold())
    if status is None:
        known = "Supported, Noted, Not Supported, Partially supported"
        raise RowError(f"unknown position {value!r} (expected {known})")
    return status


def record_triples(
    record: Record,
    scheme: str,
    themes: ThemeMapping,
    source: ox.NamedNode,
    confidence: str,
    known: frozenset[str],
    unmapped: set[str],
    described: set[str] | None = None,
    minted: dict[str, int] | None = None,
    row: int = 0,
) -> Triples:
    """All triples of one row (:class:`RowError` for a row that cannot be recorded).

    ``described`` collects the reviews and documents already described by earlier rows of the
    same import, so that each is described once (the row's own links are always written).
    ``minted`` holds the recommendations (and observations) earlier rows of the file became, by
    row number: a row that would become one of them again is skipped, naming that row, rather
    than merged into it (two texts, two responses on one resource)."""
    described = set() if described is None else described
    if not record.text:
        raise RowError("no recommendation text")
    codes = list(dict.fromkeys([record.state, *record.others]))
    mechanism = node(f"mechanism/{record.mechanism}")
    upr = record.mechanism == "upr"
    if upr and record.cycle is None:
        raise RowError("a UPR recommendation needs its cycle")
    if record.symbol:
        document_slug = slug(record.symbol)
    elif upr:
        document_slug = f"upr-{record.state.lower()}-{record.cycle}-working-group-report"
    else:
        raise RowError("no document symbol")
    if record.observation and (record.position or record.recommending):
        raise RowError("an observation has no recommending State and no position")
    if record.position and len(codes) > 1:
        raise RowError("a position given for a recommendation to several States: whose is it?")
    document = node(f"document/{document_slug}")
    if record.tail:
        tail = record.tail
    elif record.paragraph:
        tail = "para-" + slug(record.paragraph)
    else:
        tail = digest(record.text, " ".join(record.recommending))
    kind = "observation" if record.observation else "recommendation"
    subject = node(f"{kind}/{document_slug}/{tail}")
    if minted is not None and subject.value in minted:
        raise RowError(f"the same {kind} as row {minted[subject.value]}")
    out: Triples = []
    add = out.append
    fresh: list[str] = []

    for code in codes:
        state = node(f"state/{code.lower()}")
        if upr:
            review = node(f"review/upr/{code.lower()}/{record.cycle}")
        else:
            review = node(f"review/{record.mechanism}/{code.lower()}/{document_slug}")
        if review.value not in described:
            _review(out, record, code, review, mechanism, state, upr, source, confidence, known)
            fresh.append(review.value)
        add((document, hrg("documentOf"), review))
        if record.observation:
            add((subject, hrg("observationAbout"), state))
        else:
            add((subject, hrg("addressedTo"), state))
    if document.value not in described:
        _document(out, record, document, upr, source, confidence, known)
        fresh.append(document.value)
    if record.observation:
        add((subject, RDF_TYPE, hrg("Observation")))
        add((subject, hrg("observedIn"), document))
    else:
        add((subject, RDF_TYPE, hrg("Recommendation")))
        add((subject, hrg("inDocument"), document))
        if record.paragraph:
            add((subject, hrg("paragraph"), literal(record.paragraph)))
    if not (record.verbatim and subject.value in known):
        add((subject, LABEL, literal(_label(record, kind), "en")))
        add((subject, hrg("text"), literal(record.text, "en")))
    if record.verbatim and subject.value not in known:
        add((subject, hrg("textIsSummary"), typed("false", "boolean")))
    if record.identifier:
        add((subject, IDENTIFIER, literal(record.identifier)))
    add((subject, SOURCE, source))
    add((subject, CONFIDENCE, hrg(confidence)))
    for code in record.recommending:
        add((subject, hrg("recommendingState"), node(f"state/{code.lower()}")))
    for name in record.themes:
        theme = themes.find(scheme, name)
        if theme is None:
            unmapped.add(name)
            concept = node(f"theme/{scheme}/{slug(name)}")
            if concept.value not in described:
                add((concept, RDF_TYPE, CONCEPT))
                add((concept, PREF_LABEL, literal(name, "en")))
                fresh.append(concept.value)
            add((subject, SUBJECT, concept))
            continue
        add((subject, SUBJECT, theme.concept))
        for right in theme.rights:
            add((subject, hrg("concernsRight"), right))
    for name in record.persons:
        group = node(f"affected-persons/{slug(name)}")
        if group.value not in described:
            add((group, RDF_TYPE, CONCEPT))
            add((group, PREF_LABEL, literal(name, "en")))
            fresh.append(group.value)
        add((subject, AUDIENCE, group))
    for target in record.sdgs:
        code = target.split(" ", 1)[0].rstrip(".:")
        if not code.replace(".", "").isalnum():
            raise RowError(f"malformed SDG target {target!r}")
        sdg = node(f"sdg/{slug(code)}")
        if sdg.value not in described:
            add((sdg, RDF_TYPE, CONCEPT))
            add((sdg, ox.NamedNode(SKOS + "notation"), literal(code)))
            fresh.append(sdg.value)
        add((subject, RELATION, sdg))
    if record.action_category is not None:
        category = node(f"upr-info/action-category/{record.action_category}")
        add((category, RDF_TYPE, CONCEPT))
        add((category, PREF_LABEL, literal(f"UPR Info action category {record.action_category}")))
        add((subject, KIND, category))
    if record.position:
        response = node(f"response/{document_slug}/{tail}")
        add((subject, hrg("hasResponse"), response))
        add((response, RDF_TYPE, hrg("Response")))
        add((response, LABEL, literal(f"{record.state} response: {record.position}", "en")))
        add((response, hrg("respondsTo"), subject))
        add((response, hrg("respondingState"), state))
        add((response, hrg("responseStatus"), hrg(record.position)))
        # The response's provenance is its recommendation's (same row) and the import graph's.
    described.update(fresh)  # only now: a row that failed above described nothing
    if minted is not None:
        minted[subject.value] = row
    return out


def _describe(
    out: Triples,
    resource: ox.NamedNode,
    cls: str,
    label: str,
    source: ox.NamedNode,
    confidence: str,
    known: frozenset[str],
) -> None:
    out.append((resource, RDF_TYPE, hrg(cls)))
    if resource.value not in known:
        out.append((resource, LABEL, literal(label, "en")))
        out.append((resource, SOURCE, source))
        out.append((resource, CONFIDENCE, hrg(confidence)))


def _review(
    out: Triples,
    record: Record,
    code: str,
    review: ox.NamedNode,
    mechanism: ox.NamedNode,
    state: ox.NamedNode,
    upr: bool,
    source: ox.NamedNode,
    confidence: str,
    known: frozenset[str],
) -> None:
    """The review of one State that a row's recommendation belongs to."""
    label = f"{record.mechanism.upper()} review of {code}" + (
        f", cycle {record.cycle}" if upr else f" ({record.symbol})"
    )
    _describe(out, review, "Review", label, source, confidence, known)
    out.append((review, hrg("reviewingMechanism"), mechanism))
    out.append((review, hrg("reviewedState"), state))
    if upr:
        out.append((review, hrg("cycle"), typed(str(record.cycle), "integer")))
    if record.session and review.value not in known:
        out.append((review, hrg("session"), literal(record.session)))


def _document(
    out: Triples,
    record: Record,
    document: ox.NamedNode,
    upr: bool,
    source: ox.NamedNode,
    confidence: str,
    known: frozenset[str],
) -> None:
    """The document a row's recommendation is in."""
    document_class = {"concluding observations": "ConcludingObservations"}.get(
        record.document_kind.casefold(), "UPRWorkingGroupReport" if upr else "Document"
    )
    review = node(f"review/upr/{record.state.lower()}/{record.cycle}")
    label = record.symbol or f"UPR Working Group report ({review})"
    _describe(out, document, document_class, label, source, confidence, known)
    if record.symbol and document.value not in known:
        out.append((document, hrg("unSymbol"), literal(record.symbol)))
    if record.day is not None and document.value not in known:
        out.append((document, hrg("date"), typed(record.day.isoformat(), "date")))


def _label(record: Record, kind: str) -> str:
    where = record.symbol or (f"UPR cycle {record.cycle}" if record.cycle else record.mechanism)
    para = f" para. {record.paragraph}" if record.paragraph else ""
    excerpt = record.text if len(record.text) <= 80 else record.text[:77].rstrip() + "..."
    return f"{where}{para} ({kind}): {excerpt}"


def state_triples(codes: set[str], known: frozenset[str], source: ox.NamedNode) -> Triples:
    """A minimal description of the States an import names that the curated data lacks."""
    out: Triples = []
    for code in sorted(codes):
        state = node(f"state/{code.lower()}")
        if state.value in known:
            continue
        out += [
            (state, RDF_TYPE, hrg("State")),
            (state, LABEL, literal(code, "en")),
            (state, hrg("isoCode"), literal(code)),
            (state, SOURCE, source),
            (state, CONFIDENCE, hrg("Verified")),
        ]
    return out
