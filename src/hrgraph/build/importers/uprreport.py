"""``hrgraph import upr-report``: the recommendations of a UPR Working Group report, read from
the report's text, each with its paragraph number (e.g. 97.16), its full wording, the recommending
State(s), the position the report records in the section's heading, and the cycle; optionally
(``upr_info``) UPR Info's records of the same review, each linked to the paragraph it records by
text matching (:mod:`hrgraph.build.importers.uprlink`), giving the response where the report gives
none and the issues (mapped to rights and treaty articles in data/mappings/themes.ttl).

The report's text is read by :mod:`~hrgraph.build.importers.uprreport_text`; the triples of
the sources, the review and UPR Info's records are in
:mod:`~hrgraph.build.importers.uprreport_records`."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from hrgraph.build.importers.common import (
    CONFIDENCE,
    LABEL,
    SOURCE,
    Cell,
    ImportFailed,
    ImportSummary,
    Progress,
    RowError,
    Triples,
    file_slug,
    hrg,
    literal,
    node,
    parse_date,
    slug,
    typed,
)
from hrgraph.build.importers.mappings import StateIndex, ThemeMapping
from hrgraph.build.importers.output import curated_subjects
from hrgraph.build.importers.recommendations import SUBJECT
from hrgraph.build.importers.runner import run_import
from hrgraph.build.importers.uprinfo import UprInfoRow, read_upr_info
from hrgraph.build.importers.uprlink import Match, match_rows
from hrgraph.build.importers.uprreport_records import (
    describe_sources,
    generated_subjects,
    record_triples,
    related_matches,
    response_status,
)
from hrgraph.build.importers.uprreport_text import (
    STANCE_WORDS,
    SYMBOL,
    Item,
    Report,
    Section,
    parse_report,
    split_states,
)
from hrgraph.rdf.vocab import RDF_TYPE, SKOS
from hrgraph.settings import Settings


@dataclass
class ReportSummary(ImportSummary):
    """The import summary with the UPR Info records' matching."""

    records: int = 0
    matched: int = 0
    unmatched: list[str] = field(default_factory=list)
    paragraphs: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = super().lines()
        out.insert(
            2,
            "paragraphs: "
            + ", ".join(f"{section}: {count}" for section, count in self.paragraphs.items()),
        )
        if self.records:
            out.append(
                f"UPR Info records: {self.records}, matched to a paragraph: {self.matched}, "
                f"unmatched: {len(self.unmatched)}"
            )
            out += [f"  {line}" for line in self.unmatched]
        out += [f"  {line}" for line in self.notes]
        return out


def import_upr_report(
    settings: Settings,
    path: Path,
    progress: Progress | None = None,
    *,
    dry_run: bool = False,
    output: Path | None = None,
    symbol: str | None = None,
    day: str | None = None,
    upr_info: Path | None = None,
) -> ReportSummary:
    """Import the recommendations of a Working Group report's text (and link UPR Info's records
    of the review to them); :class:`ImportFailed` if the file cannot be imported."""
    try:
        content = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ImportFailed(f"{path.name}: not a readable UTF-8 text file: {error}") from None
    report = parse_report(content, path.name)
    if symbol:
        report.symbol = symbol
    if day:
        try:
            report.day = parse_date(day)
        except ValueError as error:
            raise ImportFailed(f"--date: {error}") from None
    if not SYMBOL.fullmatch(report.symbol or ""):
        raise ImportFailed(f"{path.name}: no document symbol (A/HRC/..) found; give --symbol")
    cycle = report.cycle()
    mappings = settings.data_dir / "mappings"
    states = StateIndex.load(mappings / "states.csv")
    themes = ThemeMapping.load(mappings / "themes.ttl")
    articles = related_matches(mappings / "themes.ttl")
    try:
        state = states.code(report.state)
    except RowError as error:
        raise ImportFailed(f"{path.name}: the State under review: {error}") from None

    parsed: dict[str, Item] = {}
    problems: dict[str, str] = {}
    for item in report.items:
        try:
            item.text, item.states, item.parts = split_states(item.raw, states)
            [states.code(name) for name in item.states]
        except RowError as error:
            problems[item.number] = str(error)
        parsed[item.number] = item

    records: list[UprInfoRow] = []
    skipped_records: list[str] = []
    if upr_info is not None:
        _format, found = read_upr_info(upr_info)
        for row in found:
            try:
                if row.cycle() != cycle or states.code(row.state_under_review) != state:
                    continue
            except RowError as error:
                skipped_records.append(f"row {row.row}: skipped: {error}")
                continue
            records.append(row)
    good = [item for item in report.items if item.number not in problems]
    matches = match_rows(records, good, states)
    by_item: dict[str, list[Match]] = {}
    for match in matches:
        if match.item is not None:
            by_item.setdefault(match.item.number, []).append(match)
    unmatched = [
        f"row {m.row.row}: {m.row.recommending and m.row.recommending[0]}: {m.row.text[:90]}"
        + ("..." if len(m.row.text) > 90 else "")
        + f" (best score {m.score:.2f})"
        for m in matches
        if m.item is None
    ]

    symbol_slug = slug(report.symbol)
    document = node(f"document/{symbol_slug}")
    review = node(f"review/upr/{state.lower()}/{cycle}")
    kaz = node(f"state/{state.lower()}")
    year = report.day.year if report.day else None
    report_source = node(f"source/upr-report/{symbol_slug}")
    info_source = (
        node(f"source/upr-info/{file_slug(upr_info.stem)}-cycle-{cycle}") if upr_info else None
    )
    known = set(curated_subjects(settings)) | generated_subjects(settings, output)
    section_of = {section.number: section for section in report.sections}
    disagreements: list[str] = []

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        for item in report.items:
            yield item.line, [item.number]

    merged: list[bool] = []

    def convert(
        _number: int, cells: list[Cell], _source: ox.NamedNode, _known: frozenset[str]
    ) -> Triples:
        if not merged:  # what the store (an import) or the curated files (--output) label
            known.update(_known)
            merged.append(True)
        number = str(cells[0])
        if number in problems:
            raise RowError(f"recommendation {number}: {problems[number]}")
        item = parsed[number]
        section = section_of[item.section]
        tail = "para-" + slug(number)
        rec = node(f"recommendation/{symbol_slug}/{tail}")
        out: Triples = []
        add = out.append
        codes = [states.code(name) for name in item.states]
        if rec.value not in known:
            where = f"UPR {year} ({report.symbol})" if year else report.symbol
            excerpt = item.text if len(item.text) <= 70 else item.text[:67].rstrip() + "..."
            add((rec, RDF_TYPE, hrg("Recommendation")))
            add((rec, LABEL, literal(f"{where} recommendation {number}: {excerpt}", "en")))
            add((rec, CONFIDENCE, hrg("Verified")))
            add((rec, hrg("inDocument"), document))
            add((rec, hrg("addressedTo"), kaz))
        add((rec, SOURCE, report_source))
        add((rec, hrg("paragraph"), literal(number)))
        add((rec, hrg("text"), literal(item.text, "en")))
        add((rec, hrg("textIsSummary"), typed("false", "boolean")))
        for code in codes:
            add((rec, hrg("recommendingState"), node(f"state/{code.lower()}")))
        linked = by_item.get(number, [])
        for match in linked:
            for issue in match.row.issues:
                theme = themes.find("upr-info", issue)
                if theme is None:
                    unmapped.add(issue)
                    continue
                add((rec, SUBJECT, theme.concept))
                for right in theme.rights:
                    add((rec, hrg("concernsRight"), right))
                for article in articles.get(theme.concept.value, ()):
                    add((rec, hrg("concernsProvision"), article))
        out += _response(number, rec, item, section, linked)
        return out

    def _response(
        number: str, rec: ox.NamedNode, item: Item, section: Section, linked: list[Match]
    ) -> Triples:
        response = node(f"response/{symbol_slug}/para-{slug(number)}")
        if response.value in known:
            return []  # the curated data holds the response (e.g. from a later national report)
        stance = section.stance()
        recorded = {response_status(match.row.response) for match in linked} - {""}
        heading = " ".join(section.heading.split())
        note = f"{report.symbol}, para. {section.number}: '{heading}'"
        if number in report.remarks:
            note += f" {report.remarks[number]}"
        if stance:
            status, source, confidence = stance, report_source, "Verified"
            if recorded and recorded != {stance}:
                note += f" UPR Info records it as {', '.join(sorted(recorded))}."
        elif len(recorded) == 1 and info_source is not None:
            status, source, confidence = recorded.pop(), info_source, "PartlyVerified"
            note += (
                f" The response is UPR Info's record of it (the State's responses, in the "
                f"addendum {report.symbol}/Add.1, were not read)."
            )
        else:
            return []
        words = STANCE_WORDS[status]
        where = f"UPR {year} recommendation" if year else f"{report.symbol} recommendation"
        return [
            (rec, hrg("hasResponse"), response),
            (response, RDF_TYPE, hrg("Response")),
            (response, LABEL, literal(f"{report.state}'s response to {where} {number}: {words}",
                                      "en")),
            (response, hrg("respondsTo"), rec),
            (response, hrg("respondingState"), kaz),
            (response, hrg("responseStatus"), hrg(status)),
            (response, hrg("note"), literal(note, "en")),
            (response, SOURCE, source),
            (response, CONFIDENCE, hrg(confidence)),
        ]  # fmt: skip

    def finish(source: ox.NamedNode, _known: frozenset[str]) -> Triples:
        out: Triples = describe_sources(
            report, path, upr_info, report_source, info_source, source, document, review,
            kaz, cycle, known,
        )  # fmt: skip
        named: dict[str, str] = {}
        for item in good:
            for name in item.states:
                named.setdefault(states.code(name), name)
        concepts: dict[str, str] = {}
        for match in matches:
            out += record_triples(match, symbol_slug, cycle, states, themes, info_source, kaz)
            for issue in match.row.issues:
                theme = themes.find("upr-info", issue)
                if theme is not None:
                    concepts[theme.concept.value] = theme.label
            try:
                category = match.row.action_category()
            except RowError:
                category = None
            if category is not None:
                concepts[node(f"upr-info/action-category/{category}").value] = (
                    f"UPR Info action category {category}"
                )
        for iri, label in sorted(concepts.items()):
            concept = ox.NamedNode(iri)
            if iri in known or info_source is None:
                continue
            out += [
                (concept, RDF_TYPE, ox.NamedNode(SKOS + "Concept")),
                (concept, LABEL, literal(label, "en")),
                (concept, ox.NamedNode(SKOS + "prefLabel"), literal(label, "en")),
                (concept, SOURCE, info_source),
                (concept, CONFIDENCE, hrg("Verified")),
            ]
            for name in match.row.recommending:
                with contextlib.suppress(RowError):
                    named.setdefault(states.code(name), name)
        for code, name in sorted(named.items()):
            subject = node(f"state/{code.lower()}")
            if subject.value in known:
                continue
            out += [
                (subject, RDF_TYPE, hrg("State")),
                (subject, LABEL, literal(name, "en")),
                (subject, hrg("isoCode"), literal(code)),
                (subject, SOURCE, report_source if code in _codes(good, states) else source),
                (subject, CONFIDENCE, hrg("Verified")),
            ]
        return out

    unmapped: set[str] = set()
    counts: dict[str, int] = {}
    for section in report.sections:
        counts[section.number] = len(section.items)
    for item in good:
        stance = section_of[item.section].stance()
        recorded = {response_status(m.row.response) for m in by_item.get(item.number, [])} - {""}
        if stance and recorded and recorded != {stance}:
            disagreements.append(
                f"{item.number}: the report: {stance}; UPR Info: {', '.join(sorted(recorded))}"
            )
        elif not stance and len(recorded) > 1:
            disagreements.append(f"{item.number}: UPR Info records {', '.join(sorted(recorded))}")
    comment = _header(report, cycle, counts, records, matches, unmatched, problems)
    comment += [f"Position: {line}" for line in disagreements]
    summary = run_import(
        settings, "upr-report", path, rows(), convert, finish=finish, progress=progress,
        dry_run=dry_run, output=output, inputs=[upr_info] if upr_info else [], comment=comment,
    )  # fmt: skip
    result = ReportSummary(**vars(summary))
    result.unmapped = unmapped
    result.paragraphs = {f"para. {k}": v for k, v in counts.items()}
    result.records = len(records)
    result.matched = sum(1 for match in matches if match.item is not None)
    result.unmatched = [f"unmatched {line}" for line in unmatched] + skipped_records
    result.notes = [f"disagreement on {line}" for line in disagreements]
    return result


def _codes(items: Sequence[Item], states: StateIndex) -> set[str]:
    return {states.code(name) for item in items for name in item.states}


def _header(
    report: Report,
    cycle: int,
    counts: dict[str, int],
    records: Sequence[UprInfoRow],
    matches: Sequence[Match],
    unmatched: Sequence[str],
    problems: dict[str, str],
) -> list[str]:
    total = sum(counts.values())
    out = [
        f"The recommendations of {report.symbol} (UPR of {report.state}, cycle {cycle}, Working "
        f"Group session {report.session}): {total} numbered recommendations ("
        + "; ".join(
            f"para. {number}: {count}, {STANCE_WORDS[_stance(report, number)]}"
            for number, count in counts.items()
        )
        + "), with their full wording, recommending States and the position the report records.",
        f"Not read: the addendum {report.symbol}/Add.1 (the State's responses and comments).",
    ]
    if problems:
        out.append("Items not imported: " + "; ".join(f"{k}: {v}" for k, v in problems.items()))
    if records:
        matched = sum(1 for match in matches if match.item is not None)
        out += [
            f"UPR Info records of the review: {len(records)}; matched to a paragraph by text: "
            f"{matched}; unmatched: {len(unmatched)} (kept as hrg:UPRInfoRecord without "
            "hrg:matchedRecommendation).",
            *(f"  unmatched {line}" for line in unmatched),
        ]
    return out


def _stance(report: Report, number: str) -> str:
    return next(s for s in report.sections if s.number == number).stance()
