"""``hrgraph import ratifications``: UN treaty-status data to signatures, ratifications,
accessions and successions, in two formats (docs/importers.md):

- the UN Treaty Collection export of Chapter IV, ``un_hr_ratifications.csv`` (one row per
  participant and instrument, all 18 instruments in one file, ISO dates, the ViewDetails page of
  each instrument), whose consents get an entry into force computed from the instrument's own
  article (:data:`INSTRUMENTS`);
- a status table of one treaty as the UN Treaty Collection prints it (participant, signature,
  ratification / accession with the a, d, A and AA markers, footnotes), with ``--treaty``.

The format is recognised from the header; any other header is refused naming both formats'
columns and the columns found."""

from __future__ import annotations

import calendar
import contextlib
import gzip
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html.parser import HTMLParser
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
    Triples,
    hrg,
    literal,
    node,
    normalise_header,
    parse_date,
    read_table,
    resolve_columns,
    slug,
    text,
    typed,
)
from hrgraph.build.importers.common import HRG as HRG_NS
from hrgraph.build.importers.recommendations import state_triples
from hrgraph.build.importers.runner import run_import
from hrgraph.rdf.vocab import DCTERMS, ID, RDF_TYPE
from hrgraph.settings import Settings

ID_STATE = ID + "state/"

COLUMNS: dict[str, tuple[str, ...]] = {
    "Participant": ("State", "Participants", "Participant(s)"),
    "Signature": ("Signature, Succession to signature(d)", "Signed"),
    "Ratification": (
        "Ratification, Accession(a), Succession(d)",
        "Ratification, Accession(a), Succession(d), Acceptance(A), Approval(AA)",
        "Ratification, Acceptance(A), Approval(AA), Accession(a), Succession(d)",
        "Ratification, Acceptance(A), Accession(a), Succession(d)",
        "Accession(a), Succession(d), Ratification",
        "Accession(a), Ratification",
        "Formal confirmation(c), Accession(a), Ratification",
        "Ratification/Accession",
    ),
    "Declarations": ("Declarations and Reservations", "Reservations/Declarations", "Footnotes"),
}
REQUIRED = {"Participant", "Signature", "Ratification"}
MARKERS = {
    "": ("Ratification", "ratification", "ratifies"),
    "a": ("Accession", "accession", "accedes to"),
    "d": ("Succession", "succession", "succeeds to"),
    "A": ("Ratification", "acceptance", "accepts"),
    "AA": ("Ratification", "approval", "approves"),
    "c": ("Ratification", "formal-confirmation", "formally confirms"),
}
"""The UN's markers after a date: the class, the IRI suffix and the verb of the label."""
_DATED = re.compile(
    r"^(?P<date>.*?\d{4})(?:\s+(?P<marker>AA|A|a|c|d))?(?:\s+(?P<notes>\d{1,2}(?:\s*,\s*\d{1,2})*))?$"
)
_FOOTNOTES = re.compile(r"^(?P<name>.*?[^\d\s,])\s*(?P<notes>\d+(?:\s*,\s*\d+)*)?\s*$")


# --- the UN Treaty Collection export (un_hr_ratifications.csv) ----------------------------------

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
_UNTC_SIGNS = {"countryname", "mtdsgno", "treatyid", "actiontype"}
_TABLE_SIGNS = {
    normalise_header(name) for name in ("Participant", *COLUMNS["Participant"], "Ratification")
}
UNTC_ACTIONS = {
    "Ratification": ("Ratification", "ratification", "ratifies"),
    "Accession": ("Accession", "accession", "accedes to"),
    "Succession": ("Succession", "succession", "succeeds to"),
}
"""The export's action_type: the class, the IRI suffix and the verb of the label."""


@dataclass(frozen=True)
class Instrument:
    """One of the 18 instruments of Chapter IV and the rule of its own entry into force."""

    mtdsg: str
    """The UN Treaty Collection's number, ``IV-4``."""
    untc_id: str
    """The export's treaty_id, ``iccpr``."""
    slug: str
    """The project's ``id/treaty/{slug}`` (data/instruments.ttl, iccpr.ttl, cat.ttl)."""
    in_force: date
    """The instrument's own entry into force, as its UNTC page gives it."""
    number: str
    """The article on entry into force: paragraph 1 for the instrument itself, paragraph 2 for
    a State consenting later (e.g. ICCPR art. 49)."""
    rule: str
    """``days:30`` (the thirtieth day after deposit), ``months:N`` (N months after deposit) or
    ``month-after:3`` (the first day of the month following three months after deposit)."""

    @property
    def general(self) -> str:
        return f"art. {self.number}(1)"

    @property
    def article(self) -> str:
        return f"{self.slug.upper()} art. {self.number}(2)"


INSTRUMENTS: tuple[Instrument, ...] = (
    Instrument("IV-2", "cerd", "cerd", date(1969, 1, 4), "19", "days:30"),
    Instrument("IV-3", "icescr", "icescr", date(1976, 1, 3), "27", "months:3"),
    Instrument("IV-3-a", "icescr_op", "op-icescr", date(2013, 5, 5), "18", "months:3"),
    Instrument("IV-4", "iccpr", "iccpr", date(1976, 3, 23), "49", "months:3"),
    Instrument("IV-5", "iccpr_op1", "iccpr-op1", date(1976, 3, 23), "9", "months:3"),
    Instrument("IV-8", "cedaw", "cedaw", date(1981, 9, 3), "27", "days:30"),
    Instrument("IV-8-b", "cedaw_op", "op-cedaw", date(2000, 12, 22), "16", "months:3"),
    Instrument("IV-9", "cat", "cat", date(1987, 6, 26), "27", "days:30"),
    Instrument("IV-9-b", "cat_op", "op-cat", date(2006, 6, 22), "28", "days:30"),
    Instrument("IV-11", "crc", "crc", date(1990, 9, 2), "49", "days:30"),
    Instrument("IV-11-b", "crc_op_ac", "crc-opac", date(2002, 2, 12), "10", "months:1"),
    Instrument("IV-11-c", "crc_op_sc", "crc-opsc", date(2002, 1, 18), "14", "months:1"),
    Instrument("IV-11-d", "crc_op_ic", "crc-opic", date(2014, 4, 14), "19", "months:3"),
    Instrument("IV-12", "iccpr_op2", "iccpr-op2", date(1991, 7, 11), "8", "months:3"),
    Instrument("IV-13", "cmw", "icrmw", date(2003, 7, 1), "87", "month-after:3"),
    Instrument("IV-15", "crpd", "crpd", date(2008, 5, 3), "45", "days:30"),
    Instrument("IV-15-a", "crpd_op", "op-crpd", date(2008, 5, 3), "13", "days:30"),
    Instrument("IV-16", "ced", "cped", date(2010, 12, 23), "39", "days:30"),
)  # fmt: skip
"""The 18 instruments: numbers and dates from their UNTC pages (status as at 3 February 2026:
"Entry into force: 23 March 1976, in accordance with article 49"), the rule for later consents
from each instrument's own article (paragraph 2 of the article named)."""
_BY_MTDSG = {instrument.mtdsg.casefold(): instrument for instrument in INSTRUMENTS}
_BY_ID = {instrument.untc_id: instrument for instrument in INSTRUMENTS}
_BY_SLUG = {instrument.slug: instrument for instrument in INSTRUMENTS}
_RULES = {
    "days:30": "on the thirtieth day after the date of deposit of the instrument",
    "months:3": "three months after the date of deposit of the instrument",
    "months:1": "one month after the date of deposit of the instrument",
    "month-after:3": "on the first day of the month following a period of three months after "
    "the date of deposit of the instrument",
}
_AS_AT = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
UNTC_HOST = "https://treaties.un.org/"


def untc_page(mtdsg: str) -> str:
    """The instrument's status page in the UN Treaty Collection (Chapter IV)."""
    return f"{UNTC_HOST}Pages/ViewDetails.aspx?src=TREATY&mtdsg_no={mtdsg}&chapter=4&clang=_en"


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def entry_into_force(instrument: Instrument, deposit: date) -> tuple[date, str]:
    """The day the instrument enters into force for a State depositing on ``deposit``, and the
    note saying how: the instrument's own rule for later consents, or its own entry into force
    for a State that deposited before it.

    >>> iccpr, cat = _BY_ID["iccpr"], _BY_ID["cat"]
    >>> entry_into_force(iccpr, date(2006, 1, 24))[0], entry_into_force(cat, date(1998, 8, 26))[0]
    (datetime.date(2006, 4, 24), datetime.date(1998, 9, 25))
    >>> entry_into_force(iccpr, date(1972, 1, 6))[0]
    datetime.date(1976, 3, 23)
    """
    kind, number = instrument.rule.split(":")
    if kind == "days":
        computed = deposit + timedelta(days=int(number))
    elif kind == "months":
        computed = _add_months(deposit, int(number))
    else:
        after = _add_months(deposit, int(number))
        computed = _add_months(after.replace(day=1), 1)
    rule = f"{instrument.article}: {_RULES[instrument.rule]}"
    if computed <= instrument.in_force:
        return instrument.in_force, (
            f"Deposited on {deposit.isoformat()}, before the instrument entered into force: in "
            f"force for the State on the instrument's own entry into force, "
            f"{instrument.in_force.isoformat()} ({instrument.general}; UN Treaty Collection); "
            f"not {computed.isoformat()} ({rule})."
        )
    return computed, (
        f"Computed from the deposit on {deposit.isoformat()} under {rule} "
        f"(the instrument itself in force since {instrument.in_force.isoformat()}, "
        f"{instrument.general})."
    )


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
    if _is_page(path):
        header, rows, notes = read_untc_page(path)
    else:
        header, rows = read_table(path)
    names = {normalise_header(title) for title in header if title.strip()}
    if names & _UNTC_SIGNS:
        if treaty:
            raise ImportFailed(
                f"{path.name}: the UN Treaty Collection export names each row's instrument "
                "(treaty_id, mtdsg_no): leave out --treaty"
            )
        return _import_untc_export(settings, path, header, rows, progress, dry_run, as_at, output)
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
        match = _FOOTNOTES.match(text(cell(cells, "Participant")))
        if match is None:
            raise RowError("no participant")
        code = states.code(match["name"])
        if code in seen:
            raise RowError(f"{match['name']!r} already given in row {seen[code]}")
        notes = [n.strip() for n in (match["notes"] or "").split(",") if n.strip()]
        out: Triples = []
        signature = cell(cells, "Signature")
        consent = cell(cells, "Ratification")
        signature_text, _ = _unbracket(signature)
        consent_text, denounced = _unbracket(consent)
        if text(signature_text):
            out += _action(code, instrument, treaty, "Signature", "signature", "signs",
                           _date(signature_text, "Signature")[0], source, known)  # fmt: skip
        if denounced and page_notes is None:
            raise RowError("a bracketed date (a denunciation) outside a UNTC page")
        if text(consent_text):
            day, marker = _date(consent_text, "Ratification")
            cls, suffix, verb = MARKERS[marker]
            action = _action(code, instrument, treaty, cls, suffix, verb, day, source, known)
            subject = action[0][0]
            if slug(treaty) in _BY_SLUG:
                action += _entry_into_force_triples(
                    code, _BY_SLUG[slug(treaty)], suffix, cls == "Succession",
                    date.fromisoformat(day), subject, source,
                )  # fmt: skip
            if denounced:
                assert page_notes is not None
                action += _denunciation(
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


def _date(value: Cell, column: str) -> tuple[str, str]:
    """The ISO day and the marker of a dated cell such as ``24 Jan 2006 a`` or a serial date."""
    if not isinstance(value, str):
        try:
            return parse_date(value).isoformat(), ""
        except ValueError as error:
            raise RowError(f"{column}: {error}") from None
    match = _DATED.match(text(value))
    if match is None:
        raise RowError(f"{column}: {value!r} is not a date")
    try:
        day = parse_date(match["date"]).isoformat()
    except ValueError as error:
        raise RowError(f"{column}: {error}") from None
    return day, match["marker"] or ""


def _action(
    code: str,
    instrument: ox.NamedNode,
    treaty: str,
    cls: str,
    suffix: str,
    verb: str,
    day: str,
    source: ox.NamedNode,
    known: frozenset[str],
    *,
    cite_known: bool = False,
) -> Triples:
    action = node(f"action/{code.lower()}/{slug(treaty)}-{suffix}")
    out: Triples = [
        (action, RDF_TYPE, hrg(cls)),
        (action, hrg("actingState"), node(f"state/{code.lower()}")),
        (action, hrg("instrument"), instrument),
        (action, hrg("date"), typed(day, "date")),
    ]
    if action.value not in known:
        out += [
            (action, LABEL, literal(f"{code} {verb} {treaty.upper()}", "en")),
            (action, SOURCE, source),
            (action, CONFIDENCE, hrg("Verified")),
        ]
    elif cite_known:
        out.append((action, SOURCE, source))  # a curated action: the date's source, no label
    return out


def _import_untc_export(
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
            out += _action(code, treaty, instrument.slug, "Signature", "signature", "signs",
                           day.isoformat(), page, known, cite_known=True)  # fmt: skip
        if kind:
            day = _iso_date(deposit, "action_date")
            cls, suffix, verb = UNTC_ACTIONS[kind]
            action = _action(code, treaty, instrument.slug, cls, suffix, verb, day.isoformat(),
                             page, known, cite_known=True)  # fmt: skip
            subject = action[0][0]
            action += _entry_into_force_triples(
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


def _entry_into_force_triples(
    code: str,
    instrument: Instrument,
    suffix: str,
    succession: bool,
    day: date,
    subject: ox.NamedNode,
    source: ox.NamedNode,
    *,
    attest_rule: bool = True,
) -> Triples:
    """``hrg:entryIntoForce`` of a consent to be bound and the attestation saying how it was
    worked out (the instrument's own article; for a succession, the notification's date).
    Without ``attest_rule`` a day computed by the instrument's rule for later consents gets no
    attestation of its own (the source says the rule once for all); only the exceptions do: a
    deposit before the instrument's own entry into force, and a succession."""
    if succession:
        start = max(day, instrument.in_force)
        note = (
            f"Notification of succession deposited on {day.isoformat()}. A successor State is "
            "bound from the date of the succession of States, which the UN Treaty Collection "
            "status does not give; the entry into force is recorded as the date of the "
            "notification (so the binding starts late, never early)."
        )
    else:
        start, note = entry_into_force(instrument, day)
        if not attest_rule and start > instrument.in_force:
            return [(subject, hrg("entryIntoForce"), typed(start.isoformat(), "date"))]
    attestation = node(
        f"attestation/untc/{code.lower()}-{instrument.slug}-{suffix}-entry-into-force"
    )
    return [
        (subject, hrg("entryIntoForce"), typed(start.isoformat(), "date")),
        (attestation, RDF_TYPE, hrg("Attestation")),
        (attestation, LABEL, literal(
            f"Entry into force of the {instrument.slug.upper()} for {code} (import)", "en"
        )),
        (attestation, hrg("attests"), subject),
        (attestation, hrg("attestedProperty"), hrg("entryIntoForce")),
        (attestation, hrg("note"), literal(note, "en")),
        (attestation, SOURCE, source),
        (attestation, CONFIDENCE, hrg("Verified")),
    ]  # fmt: skip


def _instrument(mtdsg: str, untc_id: str) -> Instrument:
    """The instrument of a row, by its UNTC number (mtdsg_no) checked against treaty_id."""
    instrument = _BY_MTDSG.get(mtdsg.casefold())
    if instrument is None:
        raise RowError(
            f"mtdsg_no {mtdsg!r} is not one of the 18 instruments of Chapter IV hrgraph maps "
            f"({', '.join(i.mtdsg for i in INSTRUMENTS)})"
        )
    if untc_id and _BY_ID.get(untc_id.casefold()) is not instrument:
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


# --- UNTC participant pages (ViewDetails HTML) and denunciations --------------------------------

MAX_PAGE_BYTES = 32 * 1024 * 1024
"""A UNTC page is about 1 MB (ICCPR's, with every declaration); larger files are refused."""
DENUNCIATIONS: dict[str, tuple[str, str]] = {
    "iccpr-op1": ("art. 12(1)", "months:3"),
    "cerd": ("art. 21", "months:12"),
    "cat": ("art. 31(1)", "months:12"),
    "crc": ("art. 52", "months:12"),
}
"""When a denunciation notified on a day takes effect, by the instrument's own article, for the
footnotes that give the notification but not the effect (ICCPR-OP1 art. 12(1): three months after
receipt; CERD art. 21, CAT art. 31(1), CRC art. 52: one year). The ICCPR, the ICESCR, CEDAW and
the Second Optional Protocol make no provision for denunciation."""
_BRACKETED = re.compile(r"^\[\s*(?P<inner>.*?)\s*\]$")
_EFFECT = re.compile(r"with effect from (?P<day>\d{1,2} [A-Z][a-z]+ \d{4})")
_NOTIFIED = re.compile(
    r"On (?P<day>\d{1,2} [A-Z][a-z]+ \d{4}),? the Government of .{1,120}? (?:notified|informed) "
    r"the Secretary-General (?:of its (?:decision to )?denunciation|of its decision to denounce"
    r"|that it had decided to denounce)"
)


def _unbracket(value: Cell) -> tuple[Cell, bool]:
    """A UNTC date in square brackets (a consent or signature later denounced) without them."""
    if not isinstance(value, str):
        return value, False
    match = _BRACKETED.match(text(value))
    return (match["inner"], True) if match else (value, False)


def _denunciation(
    code: str,
    instrument: ox.NamedNode,
    treaty: str,
    consent: str,
    notes: list[str],
    page_notes: dict[str, str],
    source: ox.NamedNode,
    known: frozenset[str],
) -> Triples:
    """The denunciation a bracketed date stands for, dated from the participant's footnotes: the
    latest "with effect from" day they give, else the latest notification day plus the instrument's
    own period (:data:`DENUNCIATIONS`). The latest dates are taken: a State may have denounced,
    re-acceded and denounced again (Trinidad and Tobago, ICCPR-OP1, 1998 and 2000)."""
    texts = [page_notes[number] for number in notes if number in page_notes]
    effects = sorted(parse_date(m["day"]) for t in texts for m in _EFFECT.finditer(t))
    notified = sorted(parse_date(m["day"]) for t in texts for m in _NOTIFIED.finditer(t))
    if not effects and not notified:
        raise RowError(
            f"a bracketed date (denounced) but no denunciation date in footnote(s) "
            f"{', '.join(notes) or '(none)'} of the page"
        )
    day = notified[-1].isoformat() if notified else None
    if effects:
        effect = effects[-1]
        how = f"with effect from {effect.isoformat()}, as the page's footnote says"
    else:
        assert day is not None
        rule = DENUNCIATIONS.get(slug(treaty))
        if rule is None:
            raise RowError(
                f"a denunciation notified on {day} whose effect the footnote does not give, "
                f"and no rule for {treaty} in DENUNCIATIONS"
            )
        effect = _add_months(date.fromisoformat(day), int(rule[1].split(":")[1]))
        how = f"taking effect on {effect.isoformat()} under {treaty.upper()} {rule[0]}"
    action = node(f"action/{code.lower()}/{slug(treaty)}-denunciation")
    out: Triples = [
        (action, RDF_TYPE, hrg("Denunciation")),
        (action, hrg("actingState"), node(f"state/{code.lower()}")),
        (action, hrg("instrument"), instrument),
        (action, hrg("entryIntoForce"), typed(effect.isoformat(), "date")),
        (action, hrg("note"), literal(
            f"The UN Treaty Collection shows the consent to be bound deposited on {consent} in "
            f"square brackets: "
            f"denounced{f', notified on {day}' if day else ''}, {how} "
            f"(footnote(s) {', '.join(notes)} of the page).", "en",
        )),
    ]  # fmt: skip
    if day:
        out.append((action, hrg("date"), typed(day, "date")))
    if action.value not in known:
        out += [
            (action, LABEL, literal(f"{code} denounces {treaty.upper()}", "en")),
            (action, SOURCE, source),
            (action, CONFIDENCE, hrg("Verified")),
        ]
    return out


def _is_page(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith((".html", ".htm", ".html.gz", ".htm.gz"))


def read_untc_page(
    path: Path,
) -> tuple[list[str], Iterator[tuple[int, list[Cell]]], dict[str, str]]:
    """The participants table of a UN Treaty Collection ViewDetails page (``.html`` or
    ``.html.gz``): its header, its rows (numbered from 2 after the header, as in a table) with
    the footnote numbers after each name ("Jamaica 3"), and the page's footnotes by number."""
    parser = _PageParser()
    parser.feed(_page_html(path))
    parser.close()
    if not parser.rows:
        raise ImportFailed(
            f"{path.name}: no participants table (a table whose first column is 'Participant') "
            "in the page"
        )
    header, *body = parser.rows
    header = [re.sub(r"\s+\d+(?:,\d+)*$", "", title) for title in header]  # footnotes
    rows = ((number, list[Cell](cells)) for number, cells in enumerate(body, start=2))
    return header, rows, parser.notes


class _PageParser(HTMLParser):
    """The participants table and the footnotes of a UNTC page (stdlib parser: no DTD, no
    external entities). Tables nest in the page's layout, so each open table keeps its own rows
    and open cell; the first table whose first cell starts with "Participant" is kept."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.notes: dict[str, str] = {}
        self._tables: list[tuple[list[list[str]], list[list[str]]]] = []
        """Open tables, innermost last: (rows, open cell as a one-item or empty list)."""
        self._sup: list[str] | None = None
        self._note_depth = 0
        self._note: list[str] = []
        self._note_key: str | None = None
        self._in_anchor_name = False

    def _open_cell(self) -> list[str] | None:
        if not self._tables or not self._tables[-1][1]:
            return None
        return self._tables[-1][1][0]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        cell = self._open_cell()
        if tag == "table":
            self._tables.append(([], []))
        elif tag == "tr" and self._tables:
            self._tables[-1][0].append([])
        elif tag in ("td", "th") and self._tables and self._tables[-1][0]:
            self._tables[-1][1][:] = [[]]
        elif tag == "sup" and cell is not None:
            self._sup = []
        elif tag == "br" and cell is not None:
            cell.append(" ")
        if tag == "div":
            if self._note_depth:
                self._note_depth += 1
            elif "divNotesAll" in (attributes.get("class") or ""):
                self._note_depth, self._note, self._note_key = 1, [], None
        elif tag == "a" and self._note_depth and self._note_key is None and "name" in attributes:
            self._note_key = (attributes["name"] or "").strip()
            self._in_anchor_name = True
        elif tag == "br" and self._note_depth:
            self._note.append(" ")

    def handle_endtag(self, tag: str) -> None:
        cell = self._open_cell()
        if tag == "sup" and self._sup is not None and cell is not None:
            numbers = re.findall(r"\d+", "".join(self._sup))
            if numbers:
                cell.append(" " + ",".join(numbers))
            self._sup = None
        elif tag in ("td", "th") and cell is not None:
            rows, open_cell = self._tables[-1]
            rows[-1].append(re.sub(r"\s+", " ", "".join(cell)).strip())
            open_cell.clear()
        elif tag == "table" and self._tables:
            rows, _ = self._tables.pop()
            first = rows[0][0] if rows and rows[0] else ""
            if not self.rows and normalise_header(first).startswith("participant"):
                self.rows = [row for row in rows if any(row)]
        elif tag == "a" and self._in_anchor_name:
            self._in_anchor_name = False
        elif tag == "div" and self._note_depth:
            self._note_depth -= 1
            if not self._note_depth and self._note_key:
                self.notes[self._note_key] = re.sub(r"\s+", " ", "".join(self._note)).strip()

    def handle_data(self, data: str) -> None:
        cell = self._open_cell()
        if self._sup is not None:
            self._sup.append(data)
        elif cell is not None:
            cell.append(data)
        if self._note_depth and not self._in_anchor_name:
            self._note.append(data)


# --- a folder of UNTC participant pages: every instrument, one output ---------------------------

STATEMENT_STATES = ("KAZ", "POL", "SVN", "GBR")
"""The States whose declarations and reservations are imported from the pages: Kazakhstan and
its comparators (docs/importers.md). The pages give every participant's; the others are left
for now (their wording is long, and typing each by its effect needs reading it)."""
PROCEDURE_ARTICLES: dict[str, tuple[str, str]] = {
    "cat": ("22", "procedure/cat-art-22"),
    "cerd": ("14", "procedure/cerd-art-14"),
    "cped": ("31", "procedure/cped-art-31"),
    "icrmw": ("77", "procedure/icrmw-art-77"),
}
"""Instruments whose individual communications procedure a State accepts by a declaration under
an article: the article and the procedure (data/instruments.ttl)."""
PROTOCOL_PROCEDURES: dict[str, str] = {
    "iccpr-op1": "procedure/iccpr-op1",
    "op-cedaw": "procedure/op-cedaw",
    "op-crpd": "procedure/op-crpd",
    "crc-opic": "procedure/crc-opic",
    "op-icescr": "procedure/op-icescr",
}
"""Protocols whose communications procedure a State accepts by becoming a party (ICCPR-OP1
art. 1, OP-CEDAW art. 1, OP-CRPD art. 1, OPIC art. 1, OP-ICESCR art. 1)."""
_PAGE_AS_AT = re.compile(r"STATUS AS AT\s*:\s*(\d{2})-(\d{2})-(\d{4})")
_PAGE_MTDSG = re.compile(r"mtdsg_no=(IV-\d+(?:-[a-z])?)\b")
_SECTIONS = {"dgDec": "declarations", "dgDecUnderArticle": "declarations-under-articles"}
"""The page's lists of statements read: declarations and reservations, and declarations
recognising a committee's competence; objections (dgObj) and notifications (dgNotifications,
e.g. derogations under ICCPR art. 4) are not read."""
_HEADING_WORDS = re.compile(
    r"\b(reservation|declaration|understanding|interpretative statement)s?\b", re.IGNORECASE
)
_INDIVIDUALS = re.compile(
    r"communications?\s+(?:submitted\s+)?(?:from|by)\s+(?:or\s+on\s+behalf\s+of\s+)?"
    r"(?:individuals|persons)",
    re.IGNORECASE,
)


def designations(wording: str) -> list[str]:
    """What the page's headings call the parts of a statement: the words reservation,
    declaration or understanding in its short heading lines (not in the quoted wording).

    >>> designations("Reservation made upon signature:\\n\\"The Republic ...\\"")
    ['reservation']
    >>> designations("Upon signature:\\n\\"First, ... declare their understanding ...\\"")
    []
    """
    found: set[str] = set()
    for line in wording.split("\n"):
        line = line.strip()
        if not line or len(line) > 120 or line[0] in "\"\u201c\u2018'(-[":
            continue
        if line.endswith((".", ";", ",")):
            continue
        found.update(match.casefold() for match in _HEADING_WORDS.findall(line))
    return sorted(found)


_LEADING_DATE = re.compile(r"^(\d{1,2} [A-Z][a-z]+ \d{4})\b")


def _page_html(path: Path) -> str:
    try:
        opener = gzip.open if path.name.lower().endswith(".gz") else open
        with opener(path, "rb") as handle:
            raw = handle.read(MAX_PAGE_BYTES + 1)
    except (OSError, EOFError) as error:
        raise ImportFailed(f"{path.name}: cannot be read: {error}") from None
    if len(raw) > MAX_PAGE_BYTES:
        raise ImportFailed(f"{path.name}: over {MAX_PAGE_BYTES} bytes, not a UNTC page")
    return raw.decode("utf-8", errors="replace")


@dataclass(frozen=True)
class PageStatement:
    """One participant's entry in a page's list of declarations and reservations."""

    section: str
    """``declarations`` or ``declarations-under-articles`` (:data:`_SECTIONS`)."""
    participant: str
    text: str


def read_untc_statements(html: str) -> list[PageStatement]:
    """The entries of a UNTC page's lists of declarations and reservations and of declarations
    under articles (the participant's name without its footnote numbers, the verbatim text)."""
    parser = _StatementParser()
    parser.feed(html)
    parser.close()
    return parser.statements


class _StatementParser(HTMLParser):
    """The ``divParticipant``/``divText`` pairs of the page's statement lists (``dgDec_ctlNN``,
    ``dgDecUnderArticle_ctlNN``): the name heading, then the text, whose first paragraph repeats
    the name (``<p class='invisible'>``) and is dropped."""

    _ID = re.compile(r"_(dg[A-Za-z]+)_ctl\d+_div(Participant|Text)$")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.statements: list[PageStatement] = []
        self._depth = 0
        self._target: tuple[str, str] | None = None
        self._buffer: list[str] = []
        self._skip = 0
        self._name: tuple[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if self._target is None:
            match = self._ID.search(attributes.get("id") or "") if tag == "div" else None
            if match and match[1] in _SECTIONS:
                self._target, self._depth, self._buffer = (match[1], match[2]), 1, []
            return
        if tag == "div":
            self._depth += 1
        if self._skip:
            self._skip += tag not in ("br",)
            return
        invisible = tag == "p" and "invisible" in (attributes.get("class") or "")
        if tag in ("sup", "superscript") or invisible:
            self._skip = 1
        elif tag in ("br", "p"):
            self._buffer.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self._target is None:
            return
        if self._skip:
            self._skip -= 1
            return
        if tag != "div":
            return
        self._depth -= 1
        if self._depth:
            return
        section, part = self._target
        value = "".join(self._buffer)
        self._target = None
        if part == "Participant":
            self._name = (section, re.sub(r"\s+", " ", value).strip())
        elif self._name and self._name[0] == section:
            lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in value.split("\n")]
            wording = "\n".join(line for line in lines if line)
            if wording:
                self.statements.append(PageStatement(_SECTIONS[section], self._name[1], wording))
            self._name = None

    def handle_data(self, data: str) -> None:
        if self._target is not None and not self._skip:
            self._buffer.append(data)


@dataclass
class _Page:
    path: Path
    instrument: Instrument
    as_at: str
    header: list[str]
    rows: list[tuple[int, list[Cell]]]
    notes: dict[str, str]
    statements: list[PageStatement]


def _read_page(path: Path, as_at: str | None) -> _Page:
    html = _page_html(path)
    stem = path.name.split(".", 1)[0].casefold()
    instrument = _BY_ID.get(stem)
    if instrument is None:
        numbers = sorted({m for m in _PAGE_MTDSG.findall(html)})
        found = [_BY_MTDSG[n.casefold()] for n in numbers if n.casefold() in _BY_MTDSG]
        if len(found) != 1:
            raise ImportFailed(
                f"{path.name}: cannot tell which of the 18 instruments the page is (named by "
                f"treaty_id, e.g. iccpr_op1.html.gz, or one mtdsg_no in the page; found "
                f"{', '.join(numbers) or 'none'})"
            )
        instrument = found[0]
    match = _PAGE_AS_AT.search(html)
    status = as_at or (f"{match[3]}-{match[2]}-{match[1]}" if match else None)
    if status is None:
        raise ImportFailed(f"{path.name}: no 'STATUS AS AT' date in the page; give --as-at")
    header, rows, notes = read_untc_page(path)
    return _Page(path, instrument, status, header, list(rows), notes, read_untc_statements(html))


def _other_states(settings: Settings, output: Path | None) -> frozenset[str]:
    """States described (typed hrg:State) in the data files other than ``output``: the
    generated data/world-states.ttl gives every State, so the import does not describe them."""
    typed_state = ox.NamedNode(HRG_NS + "State")
    found: set[str] = set()
    for path in sorted(settings.data_dir.glob("*.ttl")):
        if output is not None and path.resolve() == output.resolve():
            continue
        try:
            for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
                if triple.object == typed_state and triple.predicate == RDF_TYPE:
                    found.add(triple.subject.value)
        except (OSError, SyntaxError) as error:
            raise ImportFailed(f"{path}: cannot be read: {error}") from None
    return frozenset(found)


def _curated_statements(settings: Settings) -> frozenset[str]:
    """The consents to be bound (their IRIs) that carry a statement (hrg:hasStatement) in the
    curated files of data/: there the curated description of the State's statements on the
    instrument is kept, and the page's entries are not imported again."""
    from hrgraph.build.importers.common import is_generated

    has = ox.NamedNode(HRG_NS + "hasStatement")
    carriers: set[str] = set()
    for path in sorted(settings.data_dir.glob("*.ttl")):
        if is_generated(path):
            continue
        for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            if triple.predicate == has:
                carriers.add(triple.subject.value)
    return frozenset(carriers)


def import_untc_pages(
    settings: Settings,
    folder: Path,
    progress: Progress | None = None,
    *,
    dry_run: bool = False,
    as_at: str | None = None,
    output: Path | None = None,
    statement_states: Sequence[str] = STATEMENT_STATES,
) -> ImportSummary:
    """Import every UN Treaty Collection participant page in ``folder`` (``*.html`` or
    ``*.html.gz``, one per instrument, named by its treaty_id as in the UNTC export or holding
    its mtdsg_no) as one import: each participant's signature and consent to be bound with the
    entry into force from the instrument's own article, the denunciations the bracketed dates
    stand for, the declarations and reservations of ``statement_states``, and, for each page,
    its source: the instrument's UNTC page as at the page's status date, recorded as listing
    every participant (``hrg:listsParticipantsOf``), so that a State it does not list is known
    to have taken no action then."""
    paths = sorted(p for p in folder.iterdir() if p.is_file() and _is_page(p))
    if not paths:
        raise ImportFailed(f"{folder}: no UN Treaty Collection pages (*.html, *.html.gz)")
    pages = [_read_page(path, as_at) for path in paths]
    seen_instruments: dict[str, str] = {}
    for page in pages:
        other = seen_instruments.setdefault(page.instrument.mtdsg, page.path.name)
        if other != page.path.name:
            raise ImportFailed(
                f"{page.path.name} and {other} are both pages of {page.instrument.mtdsg}"
            )
    states = StateIndex.load(settings.data_dir / "mappings" / "states.csv")
    described = _other_states(settings, output)
    curated_statements = _curated_statements(settings)
    named: set[str] = set()
    seen: dict[tuple[str, str], int] = {}
    by_page = {page.path.name: page for page in pages}

    def page_node(page: _Page) -> ox.NamedNode:
        return node(f"source/untc/{slug(page.instrument.mtdsg)}/{page.as_at}")

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        for page in pages:
            for number, cells in page.rows:
                yield number, [page.path.name, *cells]

    def convert(
        number: int, cells: list[Cell], source: ox.NamedNode, known: frozenset[str]
    ) -> Triples:
        page = by_page[str(cells[0])]
        try:
            return convert_row(number, page, cells[1:], known)
        except RowError as error:
            raise RowError(f"{page.path.name}: {error}") from None

    columns_of = {
        page.path.name: resolve_columns(page.path.name, page.header, COLUMNS, REQUIRED)
        for page in pages
    }

    def convert_row(number: int, page: _Page, cells: list[Cell], known: frozenset[str]) -> Triples:
        columns = columns_of[page.path.name]

        def cell(name: str) -> Cell:
            index = columns.get(name)
            return cells[index] if index is not None and index < len(cells) else None

        instrument = page.instrument
        treaty = node(f"treaty/{instrument.slug}")
        source = page_node(page)
        match = _FOOTNOTES.match(text(cell("Participant")))
        if match is None:
            raise RowError("no participant")
        code = states.code(match["name"])
        key = (code, instrument.slug)
        if key in seen:
            raise RowError(f"{match['name']!r} already given in row {seen[key]}")
        notes = [n.strip() for n in (match["notes"] or "").split(",") if n.strip()]
        signature_text, _ = _unbracket(cell("Signature"))
        consent_text, denounced = _unbracket(cell("Ratification"))
        out: Triples = []
        if text(signature_text):
            out += _action(code, treaty, instrument.slug, "Signature", "signature", "signs",
                           _date(signature_text, "Signature")[0], source, known,
                           cite_known=True)  # fmt: skip
        if text(consent_text):
            day, marker = _date(consent_text, "Ratification")
            cls, suffix, verb = MARKERS[marker]
            action = _action(code, treaty, instrument.slug, cls, suffix, verb, day, source,
                             known, cite_known=True)  # fmt: skip
            subject = action[0][0]
            action += _entry_into_force_triples(
                code, instrument, suffix, cls == "Succession", date.fromisoformat(day),
                subject, source, attest_rule=False,
            )  # fmt: skip
            if instrument.slug in PROTOCOL_PROCEDURES:
                action.append(
                    (subject, hrg("acceptsProcedure"), node(PROTOCOL_PROCEDURES[instrument.slug]))
                )
            if denounced:
                action += _denunciation(code, treaty, instrument.slug, day, notes, page.notes,
                                        source, known)  # fmt: skip
            out += action
            if code in statement_states:
                out += _statements(code, page, subject, states, curated_statements)
        if not out:
            raise RowError("neither a signature nor a ratification, accession or succession")
        seen[key] = number
        named.add(code)
        return out

    def finish(source: ox.NamedNode, known: frozenset[str]) -> Triples:
        out: Triples = []
        for page in pages:
            node_ = page_node(page)
            instrument = page.instrument
            out += [
                (node_, RDF_TYPE, hrg("Source")),
                (node_, LABEL, literal(
                    f"UN Treaty Collection, Chapter IV, {instrument.mtdsg}: status of the "
                    f"{instrument.slug.upper()} (status as at {page.as_at})", "en"
                )),
                (node_, hrg("url"), typed(untc_page(instrument.mtdsg), "anyURI")),
                (node_, hrg("asOf"), typed(page.as_at, "date")),
                (node_, hrg("listsParticipantsOf"), node(f"treaty/{instrument.slug}")),
                (node_, hrg("note"), literal(
                    f"The participants table, footnotes and declarations of the instrument's "
                    f"UN Treaty Collection page as at {page.as_at}, read from the saved page "
                    f"{page.path.name}. The page lists every participant: a State it does not "
                    "list had neither signed nor become a party by that date. Entry into force "
                    f"for a State ratifying or acceding after the instrument itself entered into "
                    f"force ({instrument.in_force.isoformat()}, {instrument.general}): computed "
                    f"under {instrument.article}, {_RULES[instrument.rule]}; for a State that "
                    "deposited earlier and for a succession, an attestation on the consent says "
                    "how it was worked out.", "en"
                )),
                (node_, ox.NamedNode(DCTERMS + "source"), source),
            ]  # fmt: skip
        missing = sorted(code for code in named if ID_STATE + code.lower() not in described)
        out += state_triples(set(missing), known, source)
        return out

    first, *rest = paths
    return run_import(
        settings, "ratifications", first, rows(), convert, finish=finish,
        progress=progress, dry_run=dry_run, output=output, inputs=rest,
        comment=(
            "Every signature, ratification, accession and succession of the 18 instruments of "
            "the UN Treaty Collection's Chapter IV for every participant, with the entry into "
            "force from each instrument's own article, the denunciations (dates in square "
            "brackets), and the declarations and reservations of "
            f"{', '.join(statement_states)}; status as at {pages[0].as_at}.",
            "Each page is recorded as listing every participant of its instrument "
            "(hrg:listsParticipantsOf): 'not party' where a State is not listed.",
        ),
    )  # fmt: skip


def _statements(
    code: str,
    page: _Page,
    consent: ox.NamedNode,
    states: StateIndex,
    curated: frozenset[str],
) -> Triples:
    """The State's entries in the page's statement lists, each one statement attached to its
    consent to be bound. An entry of the declarations under articles is an acceptance of a
    procedure (with the procedure where the article establishes individual communications); an
    entry of the declarations and reservations is typed by what the page calls it: only
    "reservation(s)" a reservation, only "declaration(s)" or "understanding(s)" a declaration
    (partly verified: its effect was not assessed, VCLT art. 2(1)(d)), both or neither the
    general hrg:StatementOnTreaty. Where the curated data already describes the State's
    statements on the instrument, nothing is added (the curated description is kept)."""
    instrument = page.instrument
    if consent.value in curated:
        return []
    out: Triples = []
    source = node(f"source/untc/{slug(instrument.mtdsg)}/{page.as_at}")
    entries = [s for s in page.statements if _matches(states, s.participant, code)]
    for index, statement in enumerate(entries):
        earlier = sum(1 for e in entries[:index] if e.section == statement.section)
        tail = f"-{earlier + 1}" if earlier else ""
        subject = node(f"statement/{code.lower()}/{instrument.slug}-untc-{statement.section}{tail}")
        called = designations(statement.text)
        confidence = "Verified"
        if statement.section == "declarations-under-articles":
            cls = "AcceptanceOfProcedure"
            words = "declarations recognising the competence of the committee"
            note = (
                "A declaration under an article of the instrument recognising the competence "
                "of its committee, as the UN Treaty Collection lists it."
            )
            rule = PROCEDURE_ARTICLES.get(instrument.slug)
            if rule and (
                re.search(
                    rf"\barticles?\s+(?:\d+\s*(?:,|and)\s*)*{rule[0]}\b", statement.text, re.I
                )
                or _INDIVIDUALS.search(statement.text)
            ):
                out.append((subject, hrg("acceptsProcedure"), node(rule[1])))
        else:
            kinds = {"reservation" if d == "reservation" else "declaration" for d in called}
            words = "declarations and reservations"
            if kinds == {"reservation"}:
                cls = "Reservation"
                note = "Called a reservation on the UN Treaty Collection page."
            elif kinds == {"declaration"}:
                cls, confidence = "Declaration", "PartlyVerified"
                note = (
                    f"Called {' and '.join(called)} on the UN Treaty Collection page and "
                    "typed as a declaration by that name: whether it purports to exclude or "
                    "modify the legal effect of a provision (and so is a reservation however "
                    "named, VCLT art. 2(1)(d)) was not assessed."
                )
            else:
                cls, confidence = "StatementOnTreaty", "PartlyVerified"
                named = " and ".join(called) if called else "nothing"
                note = (
                    f"The page's entry calls its parts {named}; it is kept whole, not typed "
                    "as a reservation or a declaration (each part's effect was not assessed)."
                )
            for designation in called:
                out.append((subject, hrg("designatedAs"), literal(designation, "en")))
        dated = _LEADING_DATE.match(statement.text)
        if dated:
            with contextlib.suppress(ValueError):
                out.append((subject, hrg("date"), typed(parse_date(dated[1]).isoformat(), "date")))
        out += [
            (consent, hrg("hasStatement"), subject),
            (subject, RDF_TYPE, hrg(cls)),
            (subject, LABEL, literal(
                f"{code}: {words} on the {instrument.slug.upper()} (UN Treaty Collection)", "en"
            )),
            (subject, hrg("text"), literal(statement.text, "en")),
            (subject, hrg("textIsSummary"), typed("false", "boolean")),
            (subject, hrg("note"), literal(note, "en")),
            (subject, SOURCE, source),
            (subject, CONFIDENCE, hrg(confidence)),
        ]  # fmt: skip
    return out


def _matches(states: StateIndex, participant: str, code: str) -> bool:
    try:
        return states.code(participant) == code
    except RowError:
        return False
