"""``hrgraph import ratifications``: a UN treaty-status table (participant, signature,
ratification / accession with the a, d, A and AA markers, footnotes on declarations) for one
treaty, to signatures, ratifications, accessions and successions. Columns: docs/importers.md."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from hrgraph.importers.common import (
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
    parse_date,
    read_table,
    resolve_columns,
    slug,
    text,
    typed,
)
from hrgraph.importers.recommendations import state_triples
from hrgraph.importers.runner import run_import
from hrgraph.settings import Settings
from hrgraph.vocab import RDF_TYPE

COLUMNS: dict[str, tuple[str, ...]] = {
    "Participant": ("State", "Participants", "Participant(s)"),
    "Signature": ("Signature, Succession to signature(d)", "Signed"),
    "Ratification": (
        "Ratification, Accession(a), Succession(d)",
        "Ratification, Accession(a), Succession(d), Acceptance(A), Approval(AA)",
        "Ratification, Acceptance(A), Approval(AA), Accession(a), Succession(d)",
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
}
"""The UN's markers after a date: the class, the IRI suffix and the verb of the label."""
_DATED = re.compile(
    r"^(?P<date>.*?\d{4})(?:\s+(?P<marker>AA|A|a|d))?(?:\s+(?P<notes>\d{1,2}(?:\s*,\s*\d{1,2})*))?$"
)
_FOOTNOTES = re.compile(r"^(?P<name>.*?[^\d\s,])\s*(?P<notes>\d+(?:\s*,\s*\d+)*)?\s*$")


def import_ratifications(
    settings: Settings,
    path: Path,
    treaty: str,
    progress: Progress | None = None,
    *,
    dry_run: bool = False,
) -> ImportSummary:
    """Import the status table of ``treaty`` (the slug of ``id/treaty/{slug}``)."""
    header, rows = read_table(path)
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
        if text(signature):
            out += _action(code, instrument, treaty, "Signature", "signature", "signs",
                           _date(signature, "Signature")[0], source, known)  # fmt: skip
        if text(consent):
            day, marker = _date(consent, "Ratification")
            cls, suffix, verb = MARKERS[marker]
            action = _action(code, instrument, treaty, cls, suffix, verb, day, source, known)
            subject = action[0][0]
            declarations = text(cell(cells, "Declarations"))
            if notes or declarations:
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
        progress=progress, dry_run=dry_run,
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
    return out
