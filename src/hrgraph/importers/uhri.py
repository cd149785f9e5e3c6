"""``hrgraph import uhri``: the OHCHR Universal Human Rights Index export (XLSX or CSV) to
recommendations and observations, with their documents, reviews, mechanisms, themes, affected
persons, SDG targets, recommending States and positions. Columns: docs/importers.md."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from hrgraph.importers.common import (
    Cell,
    ImportFailed,
    ImportSummary,
    Progress,
    RowError,
    StateIndex,
    ThemeMapping,
    Triples,
    multi,
    parse_date,
    read_table,
    resolve_columns,
    text,
)
from hrgraph.importers.recommendations import Record, position_of, record_triples, state_triples
from hrgraph.importers.runner import run_import
from hrgraph.settings import Settings

COLUMNS: dict[str, tuple[str, ...]] = {
    "Text": ("Recommendation", "Recommendation/Observation", "Annotation text"),
    "Annotation Type": ("Type", "Annotation type", "Anotation Type"),
    "Body": ("Mechanism", "Body/Mechanism"),
    "Document Type": ("Doc Type", "Document type"),
    "Symbol": ("Document Symbol", "UN Symbol"),
    "Paragraph": ("Paragraph Number", "Para", "Paragraph No"),
    "Country": ("State", "State under Review", "Countries"),
    "Region": ("Regions",),
    "Themes": ("Theme", "Thematic Issues"),
    "Affected Persons": ("Affected persons", "Afected Persons", "Affected Groups"),
    "SDG Targets": ("SDG", "SDGs", "Sustainable Development Goals", "SDG Goals"),
    "Recommending States": (
        "Recommending State", "Recomending State", "Recommending States/Entities",
    ),
    "Position": ("Response", "State Position", "Postion"),
    "Publication Date": ("Date", "Publication date", "Date of Publication"),
    "UPR Cycle": ("Cycle", "UPR cycle"),
    "Session": ("Session Number",),
}  # fmt: skip
"""The 16 columns of the UHRI export, each with the spellings seen for it."""
REQUIRED = {"Text", "Body", "Symbol", "Country", "Themes", "Publication Date"}


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
    columns = resolve_columns(path.name, header, COLUMNS, REQUIRED)
    mappings = settings.data_dir / "mappings"
    states = StateIndex.load(mappings / "states.csv")
    themes = ThemeMapping.load(mappings / "themes.ttl")
    mechanisms = _mechanisms(mappings / "mechanisms.csv")
    named: set[str] = set()
    unmapped: set[str] = set()
    described: set[str] = set()

    def cell(cells: list[Cell], name: str) -> Cell:
        index = columns.get(name)
        return cells[index] if index is not None and index < len(cells) else None

    def convert(
        number: int, cells: list[Cell], source: ox.NamedNode, known: frozenset[str]
    ) -> Triples:
        countries = multi(cell(cells, "Country"))
        if len(countries) != 1:
            raise RowError(f"expected one State under review in 'Country', found {len(countries)}")
        body = text(cell(cells, "Body"))
        mechanism = mechanisms.get(body.casefold())
        if mechanism is None:
            raise RowError(f"unknown body {body!r} (add it to data/mappings/mechanisms.csv)")
        try:
            day = parse_date(cell(cells, "Publication Date"))
        except ValueError as error:
            raise RowError(f"Publication Date: {error}") from None
        cycle_text = text(cell(cells, "UPR Cycle"))
        cycle = None
        if cycle_text:
            digits = "".join(ch for ch in cycle_text if ch.isdigit())
            if not digits or not 1 <= int(digits) <= 9:
                raise RowError(f"UPR Cycle {cycle_text!r} is not a cycle number")
            cycle = int(digits)
        state = states.code(countries[0])
        recommending = [states.code(name) for name in multi(cell(cells, "Recommending States"))]
        annotation = text(cell(cells, "Annotation Type")).casefold()
        record = Record(
            state=state,
            mechanism=mechanism,
            text=text(cell(cells, "Text")),
            symbol=text(cell(cells, "Symbol")),
            paragraph=text(cell(cells, "Paragraph")),
            document_kind=text(cell(cells, "Document Type")),
            themes=multi(cell(cells, "Themes")),
            persons=multi(cell(cells, "Affected Persons")),
            sdgs=multi(cell(cells, "SDG Targets")),
            recommending=recommending,
            position=position_of(text(cell(cells, "Position"))),
            day=day,
            cycle=cycle,
            session=text(cell(cells, "Session")),
            observation=annotation.startswith("obs"),
        )
        triples = record_triples(
            record, "uhri", themes, source, "Verified", known, unmapped, described
        )
        named.update([state, *recommending])
        return triples

    summary = run_import(
        settings, "uhri", path, rows, convert,
        finish=lambda source, known: state_triples(named, known, source),
        progress=progress, dry_run=dry_run, output=output,
    )  # fmt: skip
    summary.unmapped = unmapped
    return summary


def _mechanisms(path: Path) -> dict[str, str]:
    from hrgraph.importers.common import _read_mapping_csv

    try:
        return {k.casefold(): v for k, v in _read_mapping_csv(path, "name", "mechanism").items()}
    except ImportFailed:
        raise
