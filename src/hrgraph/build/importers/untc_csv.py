"""The UN Treaty Collection export of Chapter IV, ``un_hr_ratifications.csv``, to triples:
one row per participant and instrument, all 18 instruments in one file, ISO dates, the
ViewDetails page of each instrument as the source (docs/importers.md)."""

from __future__ import annotations

import re
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
    typed,
)
from hrgraph.build.importers.mappings import StateIndex
from hrgraph.build.importers.runner import run_import
from hrgraph.build.importers.tables import resolve_columns
from hrgraph.build.importers.treaties import (
    BY_ID,
    BY_MTDSG,
    INSTRUMENTS,
    UNTC_HOST,
    Instrument,
    action_triples,
    entry_into_force_triples,
    untc_page,
)
from hrgraph.rdf.vocab import DCTERMS, RDF_TYPE
from hrgraph.settings import Settings

UNTC_COLUMNS: dict[str, tuple[str, ...]] = {
    "country_name": (),
    "treaty_id": (),
    "treaty_name": (),
    "action_type": (),
    "action_date": (),
    "signature_date": (),
    "treaty_open_year": (),
    "mtdsg_no": (),
    "source_url": (),
}
UNTC_REQUIRED = {"country_name", "mtdsg_no", "action_type", "action_date", "signature_date"}
UNTC_SIGNS = {"countryname", "mtdsgno", "treatyid", "actiontype"}


UNTC_ACTIONS = {
    "Ratification": ("Ratification", "ratification", "ratifies"),
    "Accession": ("Accession", "accession", "accedes to"),
    "Succession": ("Succession", "succession", "succeeds to"),
}
"""The export's action_type: the class, the IRI suffix and the verb of the label."""


_AS_AT = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _status_date(path: Path, as_at: str | None) -> str | None:
    if as_at:
        try:
            return date.fromisoformat(as_at).isoformat()
        except ValueError:
            raise ImportFailed(f"--as-at {as_at!r}: give the status date as YYYY-MM-DD") from None
    for name in (path.name, path.parent.name):
        match = _AS_AT.search(name)
        if match:
            try:
                return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
            except ValueError:
                continue
    return None


def import_untc_export(
    settings: Settings,
    path: Path,
    header: Sequence[str],
    rows: Iterator[tuple[int, list[Cell]]],
    progress: Progress | None,
    dry_run: bool,
    as_at: str | None,
    output: Path | None = None,
) -> ImportSummary:
    """Import the UN Treaty Collection export: every participant's signature and consent to be
    bound for each of the 18 instruments, with the entry into force computed for each consent
    and the instrument's UNTC page as the source."""
    columns = resolve_columns(path.name, header, UNTC_COLUMNS, UNTC_REQUIRED)
    states = StateIndex.load(settings.data_dir / "mappings" / "states.csv")
    status = _status_date(path, as_at)
    names: dict[str, str] = {}
    pages: dict[str, tuple[Instrument, str, str]] = {}
    seen: dict[tuple[str, str], int] = {}

    def cell(cells: list[Cell], name: str) -> str:
        index = columns.get(name)
        return text(cells[index]) if index is not None and index < len(cells) else ""

    def page_node(instrument: Instrument) -> ox.NamedNode:
        tail = f"/{status}" if status else ""
        return node(f"source/untc/{slug(instrument.mtdsg)}{tail}")

    def convert(
        number: int, cells: list[Cell], source: ox.NamedNode, known: frozenset[str]
    ) -> Triples:
        name = cell(cells, "country_name")
        if not name:
            raise RowError("no participant name (country_name is empty)")
        instrument = _instrument(cell(cells, "mtdsg_no"), cell(cells, "treaty_id"))
        treaty = node(f"treaty/{instrument.slug}")
        if treaty.value not in known:
            raise RowError(
                f"no treaty <{treaty.value}> in the store for {instrument.mtdsg} "
                "(build the store from data/ first)"
            )
        code = states.code(name)
        if (code, instrument.slug) in seen:
            raise RowError(
                f"{name!r} ({code}) already given for {instrument.mtdsg} in row "
                f"{seen[(code, instrument.slug)]}"
            )
        url = cell(cells, "source_url") or untc_page(instrument.mtdsg)
        if not url.startswith(UNTC_HOST):
            raise RowError(f"source_url {url!r} is not a page of {UNTC_HOST}")
        page = page_node(instrument)
        kind, deposit = cell(cells, "action_type"), cell(cells, "action_date")
        signed = cell(cells, "signature_date")
        if kind and kind not in UNTC_ACTIONS:
            raise RowError(
                f"action_type {kind!r} is not one of {', '.join(UNTC_ACTIONS)} (or empty)"
            )
        if bool(kind) != bool(deposit):
            raise RowError("action_type and action_date must be given together")
        out: Triples = []
        if signed:
            day = _iso_date(signed, "signature_date")
            out += action_triples(code, treaty, instrument.slug, "Signature", "signature", "signs",
                                  day.isoformat(), page, known, cite_known=True)  # fmt: skip
        if kind:
            day = _iso_date(deposit, "action_date")
            cls, suffix, verb = UNTC_ACTIONS[kind]
            action = action_triples(code, treaty, instrument.slug, cls, suffix, verb,
                                    day.isoformat(), page, known, cite_known=True)  # fmt: skip
            subject = action[0][0]
            action += entry_into_force_triples(
                code, instrument, suffix, kind == "Succession", day, subject, page
            )
            out += action
        if not out:
            raise RowError("neither a signature_date nor an action_type with its action_date")
        seen[(code, instrument.slug)] = number
        names.setdefault(code, name)
        title = cell(cells, "treaty_name") or instrument.slug.upper()
        pages.setdefault(instrument.mtdsg, (instrument, url, title))
        return out

    def finish(source: ox.NamedNode, known: frozenset[str]) -> Triples:
        out: Triples = []
        as_at_words = f"status as at {status}" if status else "status date not given"
        for instrument, url, title in pages.values():
            page = page_node(instrument)
            out += [
                (page, RDF_TYPE, hrg("Source")),
                (page, LABEL, literal(
                    f"UN Treaty Collection, Chapter IV, {instrument.mtdsg}: {title} "
                    f"({as_at_words})", "en"
                )),
                (page, hrg("url"), typed(url, "anyURI")),
                (page, hrg("note"), literal(
                    f"Participants' dates as in the UN Treaty Collection's status page "
                    f"({as_at_words}), read from the export {path.name}.", "en"
                )),
                (page, ox.NamedNode(DCTERMS + "source"), source),
            ]  # fmt: skip
        for code, name in sorted(names.items()):
            state = node(f"state/{code.lower()}")
            if state.value in known:
                continue
            out += [
                (state, RDF_TYPE, hrg("State")),
                (state, LABEL, literal(name, "en")),
                (state, hrg("isoCode"), literal(code)),
                (state, SOURCE, source),
                (state, CONFIDENCE, hrg("Verified")),
            ]
        return out

    return run_import(
        settings, "ratifications", path, rows, convert, finish=finish,
        progress=progress, dry_run=dry_run, output=output,
    )  # fmt: skip


def _instrument(mtdsg: str, untc_id: str) -> Instrument:
    """The instrument of a row, by its UNTC number (mtdsg_no) checked against treaty_id."""
    instrument = BY_MTDSG.get(mtdsg.casefold())
    if instrument is None:
        raise RowError(
            f"mtdsg_no {mtdsg!r} is not one of the 18 instruments of Chapter IV hrgraph maps "
            f"({', '.join(i.mtdsg for i in INSTRUMENTS)})"
        )
    if untc_id and BY_ID.get(untc_id.casefold()) is not instrument:
        raise RowError(f"treaty_id {untc_id!r} does not match mtdsg_no {mtdsg!r}")
    return instrument


def _iso_date(value: str, column: str) -> date:
    """An exact ISO day (``YYYY-MM-DD``), as the export writes every date."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise RowError(f"{column}: {value!r} is not a date (YYYY-MM-DD)")
