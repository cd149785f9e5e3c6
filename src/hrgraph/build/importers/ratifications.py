"""``hrgraph import ratifications``: UN treaty-status data to signatures, ratifications,
accessions and successions, in two formats (docs/importers.md):

- the UN Treaty Collection export of Chapter IV, ``un_hr_ratifications.csv`` (one row per
  participant and instrument, all 18 instruments in one file, ISO dates, the ViewDetails page of
  each instrument), whose consents get an entry into force computed from the instrument's own
  article (:data:`~hrgraph.build.importers.treaties.INSTRUMENTS`), read in
  :mod:`~hrgraph.build.importers.untc_csv`;
- a status table of one treaty as the UN Treaty Collection prints it (participant, signature,
  ratification / accession with the a, d, A and AA markers, footnotes), with ``--treaty``: here,
  from a table or from one saved UNTC participant page.

A folder of UNTC participant pages, one per instrument, is read by
:mod:`~hrgraph.build.importers.untc_pages` and imported by
:mod:`~hrgraph.build.importers.untc_folder`; the instruments and the triples every format shares
are in :mod:`~hrgraph.build.importers.treaties`. The format is recognised from the header; any
other header is refused naming both formats' columns and the columns found."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
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
    Triples,
    hrg,
    literal,
    node,
    slug,
    text,
)
from hrgraph.build.importers.mappings import StateIndex
from hrgraph.build.importers.recommendations import state_triples
from hrgraph.build.importers.runner import run_import
from hrgraph.build.importers.tables import normalise_header, read_table, resolve_columns
from hrgraph.build.importers.treaties import (
    BY_SLUG,
    COLUMNS,
    FOOTNOTES,
    MARKERS,
    REQUIRED,
    action_triples,
    cell_date,
    denunciation_triples,
    entry_into_force_triples,
    unbracket,
)
from hrgraph.build.importers.untc_csv import UNTC_COLUMNS, UNTC_SIGNS, import_untc_export
from hrgraph.build.importers.untc_folder import import_untc_pages
from hrgraph.build.importers.untc_pages import is_page, read_untc_page
from hrgraph.rdf.vocab import RDF_TYPE
from hrgraph.settings import Settings

_TABLE_SIGNS = {
    normalise_header(name) for name in ("Participant", *COLUMNS["Participant"], "Ratification")
}


def import_ratifications(
    settings: Settings,
    path: Path,
    treaty: str | None = None,
    progress: Progress | None = None,
    *,
    dry_run: bool = False,
    as_at: str | None = None,
    output: Path | None = None,
) -> ImportSummary:
    """Import a treaty-status file: the UN Treaty Collection export (every instrument in one
    file; ``treaty`` must be None) or the status table of ``treaty`` (the slug of
    ``id/treaty/{slug}``). ``as_at`` is the date of the status (``YYYY-MM-DD``) for the export;
    by default the first such date in the file's name or its folder's name. A folder is read as
    UN Treaty Collection participant pages, one per instrument (:func:`import_untc_pages`)."""
    if path.is_dir():
        if treaty:
            raise ImportFailed(
                f"{path.name}: a folder of UN Treaty Collection pages names each page's "
                "instrument: leave out --treaty"
            )
        return import_untc_pages(
            settings, path, progress, dry_run=dry_run, as_at=as_at, output=output
        )
    notes: dict[str, str] | None = None
    if is_page(path):
        header, rows, notes = read_untc_page(path)
    else:
        header, rows = read_table(path)
    names = {normalise_header(title) for title in header if title.strip()}
    if names & UNTC_SIGNS:
        if treaty:
            raise ImportFailed(
                f"{path.name}: the UN Treaty Collection export names each row's instrument "
                "(treaty_id, mtdsg_no): leave out --treaty"
            )
        return import_untc_export(settings, path, header, rows, progress, dry_run, as_at, output)
    if names & _TABLE_SIGNS:
        if not treaty:
            raise ImportFailed(
                f"{path.name}: a status table of one treaty: give --treaty SLUG "
                "(e.g. --treaty iccpr)"
            )
        return _import_status_table(
            settings, path, treaty, header, rows, progress, dry_run, notes, output
        )
    found = ", ".join(repr(title.strip()) for title in header if title.strip()) or "none"
    raise ImportFailed(
        f"{path.name}: not a treaty-status format hrgraph reads; expected the columns of the "
        f"UN Treaty Collection export ({', '.join(UNTC_COLUMNS)}) or of a status table of one "
        f"treaty ({', '.join(COLUMNS)}); found: {found} (see docs/importers.md)"
    )


def _import_status_table(
    settings: Settings,
    path: Path,
    treaty: str,
    header: Sequence[str],
    rows: Iterator[tuple[int, list[Cell]]],
    progress: Progress | None,
    dry_run: bool,
    page_notes: dict[str, str] | None = None,
    output: Path | None = None,
) -> ImportSummary:
    """Import the status table of ``treaty`` (the slug of ``id/treaty/{slug}``). ``page_notes``
    are the footnotes of a UNTC page (number to text): there the footnote numbers after a name are
    the page's notes, not declarations, and a bracketed date is a consent later denounced."""
    columns = resolve_columns(path.name, header, COLUMNS, REQUIRED)
    states = StateIndex.load(settings.data_dir / "mappings" / "states.csv")
    instrument = node(f"treaty/{slug(treaty)}")
    named: set[str] = set()
    seen: dict[str, int] = {}

    def cell(cells: list[Cell], name: str) -> Cell:
        index = columns.get(name)
        return cells[index] if index is not None and index < len(cells) else None

    def convert(
        number: int, cells: list[Cell], source: ox.NamedNode, known: frozenset[str]
    ) -> Triples:
        if instrument.value not in known:
            raise ImportFailed(
                f"no treaty <{instrument.value}> in the store: give --treaty as the slug of a "
                "treaty or protocol in data/ (e.g. iccpr, cat, icescr)"
            )
        match = FOOTNOTES.match(text(cell(cells, "Participant")))
        if match is None:
            raise RowError("no participant")
        code = states.code(match["name"])
        if code in seen:
            raise RowError(f"{match['name']!r} already given in row {seen[code]}")
        notes = [n.strip() for n in (match["notes"] or "").split(",") if n.strip()]
        out: Triples = []
        signature = cell(cells, "Signature")
        consent = cell(cells, "Ratification")
        signature_text, _ = unbracket(signature)
        consent_text, denounced = unbracket(consent)
        if text(signature_text):
            signed = cell_date(signature_text, "Signature")[0]
            out += action_triples(code, instrument, treaty, "Signature", "signature", "signs",
                                  signed, source, known)  # fmt: skip
        if denounced and page_notes is None:
            raise RowError("a bracketed date (a denunciation) outside a UNTC page")
        if text(consent_text):
            day, marker = cell_date(consent_text, "Ratification")
            cls, suffix, verb = MARKERS[marker]
            action = action_triples(code, instrument, treaty, cls, suffix, verb, day, source, known)
            subject = action[0][0]
            if slug(treaty) in BY_SLUG:
                action += entry_into_force_triples(
                    code, BY_SLUG[slug(treaty)], suffix, cls == "Succession",
                    date.fromisoformat(day), subject, source,
                )  # fmt: skip
            if denounced:
                assert page_notes is not None
                action += denunciation_triples(
                    code, instrument, treaty, day, notes, page_notes, source, known
                )
            declarations = text(cell(cells, "Declarations"))
            if (notes and page_notes is None) or declarations:
                statement = node(f"statement/{code.lower()}/{slug(treaty)}-import-declarations")
                note = declarations or f"see footnote(s) {', '.join(notes)} of the status table"
                action += [
                    (subject, hrg("hasStatement"), statement),
                    (statement, RDF_TYPE, hrg("Declaration")),
                    (statement, LABEL, literal(f"{code} declarations on {treaty} (import)", "en")),
                    (statement, hrg("note"), literal(note, "en")),
                    (statement, SOURCE, source),
                    (statement, CONFIDENCE, hrg("PartlyVerified")),
                ]
            out += action
        if not out:
            raise RowError("neither a signature nor a ratification, accession or succession")
        seen[code] = number
        named.add(code)
        return out

    return run_import(
        settings, "ratifications", path, rows, convert,
        finish=lambda source, known: state_triples(named, known, source),
        progress=progress, dry_run=dry_run, output=output,
    )  # fmt: skip
