"""``hrgraph import uhri``: the OHCHR Universal Human Rights Index export (uhri.ohchr.org, "Export
to Excel"; the same table saved as CSV is read the same way) to recommendations and observations,
with their documents, reviews, mechanisms, themes, affected persons, SDGs, recommending States and
positions.

The export has exactly these 16 columns, with OHCHR's own misspellings ("Reccomending")::

    Text, Countries Concerned, Reccomending Body, Document Symbol, Themes, Affected Persons, Sdgs,
    Document Publication Date, UPR Reccomending States, UPR Position, Type, OHCHR Annotation Id,
    UPR Session, Regions Concerned, Recommending Regions, Date of publication on UHRI

A file with another header (a missing column of the export, or a column it does not have) is
refused with the columns expected and found. The cell quirks and the choices made for them are in
docs/importers.md; the fixture tests/fixtures/imports/uhri-kaz.csv names where each was seen."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from hrgraph.build.importers.common import (
    Cell,
    ImportFailed,
    ImportSummary,
    Progress,
    RowError,
    Triples,
    multi,
    parse_date,
    slug,
    text,
)
from hrgraph.build.importers.mappings import StateIndex, ThemeMapping, _read_mapping_csv
from hrgraph.build.importers.recommendations import (
    Record,
    position_of,
    record_triples,
    state_triples,
)
from hrgraph.build.importers.runner import run_import
from hrgraph.build.importers.tables import normalise_header, read_table, resolve_columns
from hrgraph.settings import Settings

COLUMNS: dict[str, tuple[str, ...]] = {
    "Text": (),
    "Countries Concerned": (),
    "Reccomending Body": ("Recommending Body",),
    "Document Symbol": (),
    "Themes": (),
    "Affected Persons": (),
    "Sdgs": (),
    "Document Publication Date": (),
    "UPR Reccomending States": ("UPR Recommending States",),
    "UPR Position": (),
    "Type": (),
    "OHCHR Annotation Id": (),
    "UPR Session": (),
    "Regions Concerned": (),
    "Recommending Regions": (),
    "Date of publication on UHRI": (),
}
"""The 16 columns of the UHRI export, as OHCHR spells them (and the corrected spelling of its two
misspelt ones, should OHCHR fix them)."""
REQUIRED = {
    "Text", "Countries Concerned", "Reccomending Body", "Document Symbol", "Themes",
    "Document Publication Date", "Type", "OHCHR Annotation Id",
}  # fmt: skip
"""Without these a row cannot be read; the others may be left out of a trimmed copy."""

TYPES = {
    "recommendations": False,
    "recommendation": False,
    "concerns/observations": True,
    "concerns / observations": True,
    "observations": True,
    "concerns": True,
}
"""UHRI's "Type" (after its "- " bullet) to whether the row is an observation."""

GENERIC_BODIES = {"special procedures", "treaty bodies"}
"""Group names UHRI writes beside a mandate's own name: ignored when the mandate is named too."""

UPR_CYCLES = ((1, 12, 1), (13, 26, 2), (27, 40, 3), (41, 54, 4), (55, 68, 5))
"""UPR Working Group sessions (first, last) of each cycle: cycle 1 = sessions 1-12 (2008-2011),
cycle 2 = 13-26 (2012-2017), cycle 3 = 27-40 (2017-2022), cycle 4 = 41-54 (2022-2027); cycle 5
assumed to keep 14 sessions. Source: OHCHR, UPR sessions and cycles (ohchr.org/en/hr-bodies/upr)."""

_SESSION = re.compile(r"\d{1,3}")
_PARAGRAPH = re.compile(r"^\s*(\d{1,3}\.\d{1,3}|\d{1,3}(?=\.))\.?\s*(?=[A-Z(\"\u201c'])")
"""A paragraph number at the start of the text: "139.1 Ensure ..." (UPR), "49. The Committee"."""
_HEADED = re.compile(r"^\s*[A-Z][^\d\n.;:]{0,80}?\s(\d{1,3})\.(?=[A-Z])")
"""The same after the heading UHRI keeps glued in front of it: "Rural women 49.The Committee"."""


def paragraph_of(value: str) -> str:
    """The paragraph number the text starts with, or "".

    >>> paragraph_of("139.1 Ensure that"), paragraph_of("Rural women 49.The Committee notes")
    ('139.1', '49')
    >>> paragraph_of("Ratify the Optional Protocol"), paragraph_of("2014 was a year")
    ('', '')
    >>> paragraph_of("Act under article 2. The State"), paragraph_of("49. The Committee")
    ('', '49')
    """
    match = _PARAGRAPH.match(value) or _HEADED.match(value)
    return match[1] if match else ""


def cycle_of(session: str) -> tuple[int, int]:
    """The UPR session number and cycle in an "UPR Session" cell; :class:`RowError` otherwise.

    >>> cycle_of("34"), cycle_of("20th session - October 2014"), cycle_of("- 7 Session")
    ((34, 3), (20, 2), (7, 1))
    """
    match = _SESSION.search(session)
    number = int(match[0]) if match else 0
    for first, last, cycle in UPR_CYCLES:
        if first <= number <= last:
            return number, cycle
    raise RowError(f"UPR Session {session!r} is not a UPR Working Group session (1-68)")


def check_header(file: str, header: list[str]) -> dict[str, int]:
    """The column indexes; :class:`ImportFailed` naming the columns expected and found when the
    header is not the UHRI export's."""
    spellings = {
        normalise_header(spelling)
        for name, aliases in COLUMNS.items()
        for spelling in (name, *aliases)
    }
    found = [title.strip() for title in header if title.strip()]
    found_keys = {normalise_header(title) for title in found}
    unknown = [title for title in found if normalise_header(title) not in spellings]
    missing = [
        name
        for name in COLUMNS
        if name in REQUIRED
        and not {normalise_header(s) for s in (name, *COLUMNS[name])} & found_keys
    ]
    if unknown or missing:
        problems = []
        if missing:
            problems.append("missing: " + ", ".join(repr(m) for m in missing))
        if unknown:
            problems.append("not in the export: " + ", ".join(repr(u) for u in unknown))
        raise ImportFailed(
            f"{file}: not a UHRI export ({'; '.join(problems)}). Expected the export's columns: "
            f"{', '.join(COLUMNS)}. Found: {', '.join(found) or 'no header'} "
            "(see docs/importers.md)"
        )
    return resolve_columns(file, header, COLUMNS, REQUIRED)


def import_uhri(
    settings: Settings,
    path: Path,
    progress: Progress | None = None,
    *,
    dry_run: bool = False,
    output: Path | None = None,
) -> ImportSummary:
    """Import a UHRI export; raises :class:`ImportFailed` if the file cannot be imported."""
    header, rows = read_table(path)
    columns = check_header(path.name, header)
    mappings = settings.data_dir / "mappings"
    states = StateIndex.load(mappings / "states.csv")
    themes = ThemeMapping.load(mappings / "themes.ttl")
    bodies = _read_mapping_csv(mappings / "mechanisms.csv", "name", "mechanism")
    mechanisms = {key.casefold(): value for key, value in bodies.items()}
    named: set[str] = set()
    unmapped: set[str] = set()
    described: set[str] = set()
    minted: dict[str, int] = {}
    taken: dict[str, str] = {}  # IRI tail per document -> the annotation id that has it

    def cell(cells: list[Cell], name: str) -> Cell:
        index = columns.get(name)
        return cells[index] if index is not None and index < len(cells) else None

    def mechanism_of(cells: list[Cell]) -> str:
        names = multi(cell(cells, "Reccomending Body"))
        if not names:
            raise RowError("no body in 'Reccomending Body'")
        found = {name: mechanisms.get(name.casefold()) for name in names}
        known = {m for n, m in found.items() if m and n.casefold() not in GENERIC_BODIES}
        unknown = [n for n, m in found.items() if not m and n.casefold() not in GENERIC_BODIES]
        if unknown:
            raise RowError(f"unknown body {unknown[0]!r} (add it to data/mappings/mechanisms.csv)")
        if not known:
            raise RowError(
                f"the body {names[0]!r} names no mandate or committee (add the one UHRI names "
                "beside it to data/mappings/mechanisms.csv)"
            )
        if len(known) > 1:
            raise RowError(f"several bodies in 'Reccomending Body': {', '.join(names)}")
        return known.pop()

    def convert(
        number: int, cells: list[Cell], source: ox.NamedNode, known: frozenset[str]
    ) -> Triples:
        body = text(cell(cells, "Text"))
        if not body:
            raise RowError("no recommendation text")
        kind = text(cell(cells, "Type"))
        observation = TYPES.get(kind.casefold())
        if observation is None:
            expected = "Recommendations or Concerns/Observations"
            raise RowError(f"unknown Type {kind!r} (expected {expected})")
        countries = multi(cell(cells, "Countries Concerned"))
        if not countries:
            raise RowError("no State in 'Countries Concerned'")
        codes = list(dict.fromkeys(states.code(name) for name in countries))
        mechanism = mechanism_of(cells)
        symbol = text(cell(cells, "Document Symbol"))
        if not symbol:
            raise RowError("no Document Symbol")
        try:
            day = parse_date(cell(cells, "Document Publication Date"))
        except ValueError as error:
            raise RowError(f"Document Publication Date: {error}") from None
        session_text = text(cell(cells, "UPR Session"))
        session, cycle = ("", None)
        if mechanism == "upr":
            if not session_text:
                raise RowError("a UPR recommendation needs its UPR Session (it gives the cycle)")
            session_number, cycle = cycle_of(session_text)
            session = str(session_number)
        recommending = [states.code(n) for n in multi(cell(cells, "UPR Reccomending States"))]
        paragraph = paragraph_of(body)
        annotation = text(cell(cells, "OHCHR Annotation Id"))
        document = slug(symbol)
        key = f"{observation}/{document}/{paragraph}"
        tail = ""
        if annotation and (not paragraph or taken.get(key, annotation) != annotation):
            # no paragraph number, or a second annotation on the same paragraph: keep it apart
            tail = "uhri-" + slug(annotation)
        record = Record(
            state=codes[0],
            others=codes[1:],
            mechanism=mechanism,
            text=body,
            symbol=symbol,
            paragraph=paragraph,
            document_kind="concluding observations" if "/CO/" in symbol.upper() else "",
            themes=multi(cell(cells, "Themes")),
            persons=multi(cell(cells, "Affected Persons")),
            sdgs=multi(cell(cells, "Sdgs")),
            recommending=recommending,
            position=position_of(text(cell(cells, "UPR Position"))),
            day=day,
            cycle=cycle,
            session=session,
            observation=observation,
            tail=tail,
            identifier=annotation,
            verbatim=True,
        )
        triples = record_triples(
            record, "uhri", themes, source, "Verified", known, unmapped, described, minted, number
        )
        named.update([*codes, *recommending])
        if paragraph and not tail:
            taken.setdefault(key, annotation)
        return triples

    summary = run_import(
        settings, "uhri", path, rows, convert,
        finish=lambda source, known: state_triples(named, known, source),
        progress=progress, dry_run=dry_run, output=output,
    )  # fmt: skip
    summary.unmapped = unmapped
    return summary
