"""``hrgraph import upr-report``: the recommendations of a UPR Working Group report, read from
the report's text, each with its paragraph number (e.g. 97.16), its full wording, the recommending
State(s), the position the report records in the section's heading, and the cycle; optionally
(``upr_info``) UPR Info's records of the same review, each linked to the paragraph it records by
text matching (:mod:`hrgraph.build.importers.uprlink`), giving the response where the report gives
none and the issues (mapped to rights and treaty articles in data/mappings/themes.ttl).

The text is a PDF's text layer: the paragraph number may stand on its own line ("1. " then the
text), a recommendation may run over a page break, one item may hold several States' wordings
("... (Slovenia); ratify ... (Republic of Korea)") or several States at its end ("(Hungary)
(Spain)"), a footnote marker may follow ("(Slovenia);2"), and the States' names may hold brackets
("(Iran (Islamic republic of))"). The sections' headings say what the State under review did:
"enjoy the support of" (supported), "did not enjoy the support ... would thus be noted" (noted),
"will be examined by ..., which will provide responses in due course" (no position yet).
docs/importers.md gives the details."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
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
    StateIndex,
    ThemeMapping,
    Triples,
    curated_subjects,
    hrg,
    is_generated,
    literal,
    node,
    parse_date,
    slug,
    typed,
)
from hrgraph.build.importers.recommendations import KIND, SUBJECT
from hrgraph.build.importers.runner import run_import
from hrgraph.build.importers.uprinfo import UprInfoRow, read_upr_info
from hrgraph.build.importers.uprlink import Match, match_rows
from hrgraph.rdf.vocab import DCTERMS, RDF_TYPE, RDFS, SKOS
from hrgraph.settings import Settings

SUPPORTED, NOTED, EXAMINE = "Supported", "Noted", ""
STANCE_WORDS = {SUPPORTED: "supported", NOTED: "noted", EXAMINE: "to be examined"}
RELATED_MATCH = SKOS + "relatedMatch"
"""themes.ttl: an issue's treaty articles (hrg:concernsProvision), apart from its rights."""


@dataclass
class Item:
    """One numbered recommendation of the report."""

    number: str
    section: str
    line: int
    raw: str = ""
    text: str = ""
    states: list[str] = field(default_factory=list)
    parts: list[tuple[str, list[str]]] = field(default_factory=list)
    """The wording each State (or group of States) gave, for matching: one part unless the
    item joins several wordings ("... (Slovenia); ratify ... (Republic of Korea)")."""


@dataclass
class Section:
    number: str
    line: int
    heading: str = ""
    items: list[Item] = field(default_factory=list)
    style: str = ""
    """How the items are numbered: "plain" ("1. " on its own line) or "dotted" ("124.1 ")."""

    def stance(self) -> str:
        heading = " ".join(self.heading.casefold().split())
        if any(
            words in heading
            for words in ("not enjoy", "not be supported", "not supported", "be noted", "will note")
        ):
            return NOTED
        if "examine" in heading:
            return EXAMINE
        if "enjoy the support" in heading or "enjoys the support" in heading:
            return SUPPORTED
        raise ImportFailed(
            f"line {self.line}: the heading of section {self.number} says neither that the "
            f"recommendations enjoy the support, are noted nor will be examined: {self.heading!r}"
        )


@dataclass
class Report:
    symbol: str
    day: date | None
    session: int | None
    state: str
    sections: list[Section]
    remarks: dict[str, str] = field(default_factory=dict)
    """Paragraph numbers (e.g. "95.7") to a later paragraph's remark on them, e.g. para. 96 of
    A/HRC/14/10: "Kazakhstan considers that recommendations Nos. 7, 8 ... have already been
    implemented or are in the process of implementation"."""

    @property
    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]

    def cycle(self) -> int:
        """The UPR cycle of the Working Group session: 1-12 first cycle (2008-2011), 13-26
        second (2012-2016), 27-40 third (2017-2022), 41-54 fourth (HRC resolutions 5/1 and
        16/21, and the Council's cycle calendar)."""
        if self.session is None:
            raise ImportFailed("the report does not name its Working Group session")
        for cycle, last in ((1, 12), (2, 26), (3, 40), (4, 54)):
            if self.session <= last:
                return cycle
        raise ImportFailed(f"Working Group session {self.session} is beyond the fourth cycle")


# --- reading the text ----------------------------------------------------------------------

_ORDINALS = {
    name: number
    for number, name in enumerate(
        [
            "first",
            "second",
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
            "eleventh",
            "twelfth",
            "thirteenth",
            "fourteenth",
            "fifteenth",
            "sixteenth",
            "seventeenth",
            "eighteenth",
            "nineteenth",
        ],
        start=1,
    )
}
_TENS = {"twent": 20, "thirt": 30, "fort": 40, "fift": 50}
_UNITS = dict(
    zip(
        ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"],
        range(1, 10),
        strict=True,
    )
)


def ordinal(word: str) -> int | None:
    """'seventh' -> 7, 'twentieth' -> 20, 'thirty-fourth' -> 34; None if not an ordinal."""
    word = word.casefold().strip()
    if word in _ORDINALS:
        return _ORDINALS[word]
    for stem, tens in _TENS.items():
        if word == stem + "ieth":
            return tens
        if word.startswith(stem + "y-") or word.startswith(stem + "y "):
            unit = _ORDINALS.get(word[len(stem) + 2 :])
            return tens + unit if unit is not None and unit < 10 else None
    return None


ITEM_DOTTED = re.compile(r"^\s*(\d{2,3})\.(\d{1,3})\.?\s+(\S.*)$")
NUMBERED = re.compile(r"^\s*(\d{1,3})\.(?!\d)\s*(.*)$")
SYMBOL = re.compile(r"\bA/HRC/\d+/\d+\b")
DAY = re.compile(
    r"\b(\d{1,2}) (January|February|March|April|May|June|July|August|September|October|"
    r"November|December) (\d{4})\b"
)
HEADING = re.compile(r"^\s*(?:[IVX]+\.?\s+)?conclusions and/or recommendations", re.IGNORECASE)
END = re.compile(r"^\s*(all conclusions|annex\b)", re.IGNORECASE)


def parse_report(content: str, name: str = "report") -> Report:
    """The recommendations of a Working Group report's text; :class:`ImportFailed` naming the
    line where the numbering or the layout is not what a Working Group report has."""
    lines = content.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    head = "\n".join(lines[:40])
    symbol = SYMBOL.search(head)
    contents = next((i for i, line in enumerate(lines) if line.strip() == "Contents"), 40)
    day = None
    for line in lines[:contents]:
        found = DAY.search(line)
        if found:
            day = parse_date(found[0])
            break
    session = None
    found_session = re.search(r"held its ([a-z]+(?:[- ][a-z]+)?) session", content, re.IGNORECASE)
    if found_session:
        session = ordinal(found_session[1])
    state = _state_under_review(lines)
    starts = [i for i, line in enumerate(lines) if HEADING.match(line) and ".." not in line]
    if not starts:
        raise ImportFailed(f"{name}: no section 'Conclusions and/or recommendations' found")
    sections = _sections(lines, starts[-1] + 1, name)
    report = Report(symbol[0] if symbol else "", day, session, state, [])
    last: Section | None = None
    for section in sections:
        if section.items:
            section.stance()  # a heading the importer cannot read is refused here
            report.sections.append(section)
            last = section
            continue
        numbers = re.search(r"recommendations? nos?\.?\s*([\d,\sand]+)", section.heading, re.I)
        if numbers and last is not None:
            after = re.split(
                r"nos?\.?\s*(?:\d+|,|\s|\band\b)+(?:above\s+)?",
                section.heading,
                maxsplit=1,
                flags=re.I,
            )
            phrase = " ".join(after[-1].split()).rstrip(". ") if len(after) > 1 else ""
            remark = (
                f"In para. {section.number}, {report.state or 'the State'} lists it among the "
                f"recommendations that, it considers, {phrase}."
                if phrase
                else f"Para. {section.number}: {' '.join(section.heading.split())}"
            )
            for number in re.findall(r"\d+", numbers[1]):
                report.remarks[f"{last.number}.{number}"] = remark
        elif "recommendation" in section.heading.casefold() and "following" in section.heading:
            raise ImportFailed(
                f"{name}: line {section.line}: section {section.number} announces "
                "recommendations but lists none"
            )
    if not report.sections:
        raise ImportFailed(f"{name}: no numbered recommendations found after the heading")
    return report


def _state_under_review(lines: Sequence[str]) -> str:
    for i, line in enumerate(lines[:60]):
        if "Report of the Working Group on the Universal Periodic Review" in line:
            for following in lines[i + 1 : i + 8]:
                cleaned = following.strip()
                if cleaned and not cleaned.startswith("*") and cleaned != "Contents":
                    return cleaned
    return ""


def _sections(lines: Sequence[str], start: int, name: str) -> list[Section]:
    sections: list[Section] = []
    section: Section | None = None
    item: Item | None = None
    expected = 1

    def add_text(value: str) -> None:
        value = value.strip()
        if not value:
            return
        if item is not None:
            item.raw = f"{item.raw} {value}".strip()
        elif section is not None:
            section.heading = f"{section.heading} {value}".strip()

    for index in range(start, len(lines)):
        line, number = lines[index], index + 1
        dotted = ITEM_DOTTED.match(line)
        plain = NUMBERED.match(line)
        if dotted and section is not None and dotted[1] == section.number:
            if int(dotted[2]) != expected:
                raise ImportFailed(
                    f"{name}: line {number}: recommendation {dotted[1]}.{dotted[2]} where "
                    f"{section.number}.{expected} was expected"
                )
            item = Item(f"{dotted[1]}.{dotted[2]}", section.number, number, dotted[3].strip())
            section.items.append(item)
            section.style = "dotted"
            expected += 1
        elif (
            plain and section is not None and section.style != "dotted"
            and int(plain[1]) == expected
        ):  # fmt: skip
            item = Item(f"{section.number}.{plain[1]}", section.number, number, plain[2].strip())
            section.items.append(item)
            section.style = "plain"
            expected += 1
        elif (
            plain
            and int(plain[1]) > (int(section.number) if section else 0)
            and (section is not None or int(plain[1]) >= 10)
        ):
            if END.match(plain[2]):
                break
            section = Section(plain[1], number, plain[2].strip())
            sections.append(section)
            item = None
            expected = 1
        elif END.match(line) and section is not None and item is not None:
            break
        else:
            add_text(line)
    return sections


# --- States and wording --------------------------------------------------------------------


def _groups(value: str) -> list[tuple[int, int, str]]:
    """The top-level bracketed groups of ``value``: (start, end, content)."""
    out = []
    depth, begin = 0, 0
    for position, char in enumerate(value):
        if char == "(":
            if depth == 0:
                begin = position
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                out.append((begin, position + 1, value[begin + 1 : position]))
    return out


def split_states(
    raw: str, states: StateIndex
) -> tuple[str, list[str], list[tuple[str, list[str]]]]:
    """An item's wording, its recommending States (as written) and its parts (each State's
    wording); :class:`RowError` if no recommending State is found at its end."""
    value = " ".join(raw.split())
    value = re.sub(r"\)\s*([;.,]?)\s*\d{1,2}\s*$", r")\1", value)  # "(Slovenia);2": footnote 2
    value = re.sub(r"[\s;.,]+$", "", value)

    def is_state(name: str) -> bool:
        try:
            states.code(name)
        except RowError:
            return False
        return True

    named = [group for group in _groups(value) if is_state(group[2])]
    trailing: list[tuple[int, int, str]] = []
    end = len(value)
    for group in reversed(named):
        if value[group[1] : end].strip(" ;.,") == "":
            trailing.insert(0, group)
            end = group[0]
        else:
            break
    if not trailing:
        last = _groups(value)[-1][2] if _groups(value) else ""
        hint = f" ('({last})' is not a State in data/mappings/states.csv)" if last else ""
        raise RowError(f"no recommending State in brackets at the end of the item{hint}")
    text = value[: trailing[0][0]].strip()
    text = re.sub(r"(?<=[a-z])\d{1,2}$", "", text)  # "employment1 (Belarus)": footnote 1
    parts: list[tuple[str, list[str]]] = []
    begin = 0
    pending: list[str] = []
    for group in named:
        between = value[begin : group[0]]
        if pending and between.strip(" ;,"):
            parts[-1] = (parts[-1][0], pending)
            pending = []
        if between.strip(" ;,"):
            parts.append((between.strip(" ;,"), []))
        pending.append(group[2])
        begin = group[1]
    if parts:
        parts[-1] = (parts[-1][0], pending)
    return text, [group[2] for group in named], parts


# --- the import ------------------------------------------------------------------------------


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
    articles = _related_matches(mappings / "themes.ttl")
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
    info_source = node(f"source/upr-info/{slug(upr_info.stem)}-cycle-{cycle}") if upr_info else None
    known = set(curated_subjects(settings)) | _generated_subjects(settings, output)
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
        recorded = {_status(match.row.response) for match in linked} - {""}
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
        out: Triples = _describe_sources(
            report, path, upr_info, report_source, info_source, source, document, review,
            kaz, cycle, known,
        )  # fmt: skip
        named: dict[str, str] = {}
        for item in good:
            for name in item.states:
                named.setdefault(states.code(name), name)
        concepts: dict[str, str] = {}
        for match in matches:
            out += _record_triples(match, symbol_slug, cycle, states, themes, info_source, kaz)
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
        recorded = {_status(m.row.response) for m in by_item.get(item.number, [])} - {""}
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


def _status(response: str) -> str:
    value = response.strip().casefold()
    if value in {"accepted", "supported"}:
        return SUPPORTED
    if value in {"noted", "not supported", "rejected"}:
        return NOTED
    return ""


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


def _related_matches(path: Path) -> dict[str, list[ox.NamedNode]]:
    """Each issue's treaty articles (skos:relatedMatch in themes.ttl)."""
    out: dict[str, list[ox.NamedNode]] = {}
    try:
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            if quad.predicate.value == RELATED_MATCH and isinstance(quad.object, ox.NamedNode):
                out.setdefault(quad.subject.value, []).append(quad.object)
    except (OSError, SyntaxError) as error:
        raise ImportFailed(f"the mapping {path.name} cannot be read: {error}") from None
    return out


def _generated_subjects(settings: Settings, output: Path | None) -> set[str]:
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


def _describe_sources(
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


def _record_triples(
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
    status = _status(row.response)
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
