"""``hrgraph import upr-info``: UPR Info's records of UPR recommendations, in the two formats UPR
Info has published them (docs/importers.md):

- the legacy CSV export (``cycle, Session, To, Text, From, From-Rgrp, From-Org, Response, Action,
  Issue, To-Rgrp, To-Org``; as in rochelleterman/uprs, whose files are cp1252 with CR line
  endings, issues separated by commas);
- the JSON envelope of UPR Info's Uwazi database API (``{"rows": [{"sharedId", "title",
  "metadata": {"recommendation": [{"value"}], "state_under_review": [{"value", "label"}], ...}}],
  "totalRows"}``; every metadata value is a list of ``{"value", "label"}``).

A file in neither format is refused with the columns (or keys) expected and found. Each record
becomes a recommendation with the recommending State, the response, the action category (1-5),
the issues (mapped to rights) and the cycle; :func:`read_upr_info` gives the records to the
Working Group report importer (importers/uprreport.py), which links them to their paragraphs."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from hrgraph.build.importers.common import (
    Cell,
    ImportFailed,
    ImportSummary,
    Progress,
    RowError,
    Triples,
    text,
)
from hrgraph.build.importers.mappings import StateIndex, ThemeMapping
from hrgraph.build.importers.recommendations import (
    Record,
    position_of,
    record_triples,
    state_triples,
)
from hrgraph.build.importers.runner import run_import
from hrgraph.build.importers.tables import normalise_header
from hrgraph.settings import Settings

LEGACY_COLUMNS = (
    "cycle", "Session", "To", "Text", "From", "From-Rgrp", "From-Org", "Response", "Action",
    "Issue", "To-Rgrp", "To-Org",
)  # fmt: skip
"""The legacy export's header (a derived copy may add ``source_file``, which is ignored)."""
LEGACY_REQUIRED = ("cycle", "To", "Text", "From", "Response")
LEGACY_IGNORED = ("source_file",)
UWAZI_KEYS = (
    "recommendation", "state_under_review", "recommending_state", "response", "issues",
    "cycle", "session", "action_category",
)  # fmt: skip
"""The metadata keys of an Uwazi row that the importer reads."""
UWAZI_REQUIRED = ("recommendation", "state_under_review", "recommending_state", "cycle")


@dataclass
class UprInfoRow:
    """One UPR Info record, whatever the format it came in."""

    row: int
    """The CSV record's row number (header = 1) or the JSON row's position (from 1)."""
    cycle_text: str
    session: str
    state_under_review: str
    text: str
    recommending: list[str]
    response: str
    action: str
    issues: list[str] = field(default_factory=list)
    key: str = ""
    """UPR Info's own identifier where the format has one (Uwazi ``sharedId``)."""

    def cycle(self) -> int:
        digits = re.findall(r"\d+", self.cycle_text)
        if not digits or not 1 <= int(digits[0]) <= 9:
            raise RowError(f"cycle {self.cycle_text!r} is not a cycle number")
        return int(digits[0])

    def action_category(self) -> int | None:
        if not self.action:
            return None
        found = re.match(r"\D*([0-9]+)", self.action)
        if found is None or found[1] not in {"1", "2", "3", "4", "5"}:
            raise RowError(f"action category {self.action!r} is not 1-5")
        return int(found[1])


def read_upr_info(path: Path) -> tuple[str, Iterator[UprInfoRow]]:
    """The format's name and the records of a UPR Info file; :class:`ImportFailed` if it is in
    neither known format (the message names the columns or keys expected and found)."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ImportFailed(f"{path.name}: cannot be read: {error.strerror}") from None
    if raw.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] in (b"{", b"["):  # after a UTF-8 BOM
        return "UPR Info Uwazi API (JSON)", _uwazi_rows(path.name, raw)
    return "UPR Info legacy export (CSV)", _legacy_rows(path.name, raw)


def _decode(raw: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else Windows-1252: the legacy export's
    original encoding (README of ../shared/data, section 3)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _legacy_rows(name: str, raw: bytes) -> Iterator[UprInfoRow]:
    # newline="" semantics: the csv module reads CR, LF and CRLF record ends alike, and keeps
    # line breaks inside quoted cells.
    reader = csv.reader(io.StringIO(_decode(raw), newline=""))
    try:
        header = [title.strip() for title in next(reader)]
    except StopIteration:
        raise ImportFailed(f"{name}: the file is empty") from None
    except csv.Error as error:
        raise ImportFailed(f"{name}: not readable CSV: {error}") from None
    wanted = {normalise_header(column): column for column in LEGACY_COLUMNS}
    ignored = {normalise_header(column) for column in LEGACY_IGNORED}
    index: dict[str, int] = {}
    unknown = []
    for position, title in enumerate(header):
        key = normalise_header(title)
        if key in wanted and wanted[key] not in index:
            index[wanted[key]] = position
        elif title and key not in ignored:
            unknown.append(title)
    missing = [column for column in LEGACY_REQUIRED if column not in index]
    if missing or unknown:
        problems = []
        if unknown:
            problems.append("unknown columns: " + ", ".join(repr(u) for u in unknown))
        if missing:
            problems.append("missing columns: " + ", ".join(repr(m) for m in missing))
        raise ImportFailed(
            f"{name}: not a UPR Info export: {'; '.join(problems)} (expected the legacy CSV "
            f"columns {', '.join(LEGACY_COLUMNS)}, or the Uwazi API's JSON; found: "
            f"{', '.join(header)}; see docs/importers.md)"
        )

    def cell(values: list[str], column: str) -> str:
        position = index.get(column)
        return text(values[position]) if position is not None and position < len(values) else ""

    def rows() -> Iterator[UprInfoRow]:
        try:
            for number, values in enumerate(reader, start=2):
                if not any(value.strip() for value in values):
                    continue
                yield UprInfoRow(
                    row=number,
                    cycle_text=cell(values, "cycle"),
                    session=cell(values, "Session"),
                    state_under_review=cell(values, "To"),
                    text=cell(values, "Text"),
                    recommending=_split(cell(values, "From"), ","),
                    response=cell(values, "Response"),
                    action=cell(values, "Action"),
                    # Issues are comma-separated ("Disabilities,International instruments");
                    # no issue name holds a comma.
                    issues=_split(cell(values, "Issue"), ","),
                )
        except csv.Error as error:
            raise ImportFailed(
                f"{name}: line {reader.line_num}: not readable CSV: {error}"
            ) from None

    return rows()


def _split(value: str, separator: str) -> list[str]:
    parts = [text(part) for part in re.split(rf"[{re.escape(separator)}\r\n]+", value)]
    return list(dict.fromkeys(part for part in parts if part))


def _uwazi_rows(name: str, raw: bytes) -> Iterator[UprInfoRow]:
    try:
        data = json.loads(_decode(raw))
    except json.JSONDecodeError as error:
        raise ImportFailed(f"{name}: not a readable JSON file: {error}") from None
    except RecursionError:
        raise ImportFailed(f"{name}: refused: JSON nested too deeply to be read") from None
    if not isinstance(data, dict) or not isinstance(data.get("rows"), list):
        found = ", ".join(sorted(data)) if isinstance(data, dict) else type(data).__name__
        raise ImportFailed(
            f'{name}: not UPR Info\'s Uwazi API envelope: expected an object with "rows" (and '
            f'"totalRows"), each row with "sharedId" and "metadata" holding '
            f"{', '.join(UWAZI_KEYS)}; found: {found}"
        )
    rows: list[Any] = data["rows"]
    keys: set[str] = set()
    for row in rows:
        if isinstance(row, dict) and isinstance(row.get("metadata"), dict):
            keys.update(row["metadata"])
    missing = [key for key in UWAZI_REQUIRED if key not in keys]
    if rows and missing:
        raise ImportFailed(
            f"{name}: the rows' metadata lack {', '.join(missing)} (expected: "
            f"{', '.join(UWAZI_KEYS)}; found: {', '.join(sorted(keys)) or 'none'})"
        )

    def values(metadata: dict[str, Any], key: str) -> list[str]:
        """The labels (else the values) of one metadata field: a list of {value, label}."""
        found = metadata.get(key) or []
        if not isinstance(found, list):
            found = [found]
        out = []
        for item in found:
            if isinstance(item, dict):
                item = item.get("label") or item.get("value")
            if item is not None and not isinstance(item, dict | list):
                out.append(text(str(item)))
        return [value for value in out if value]

    def one(metadata: dict[str, Any], key: str) -> str:
        return "; ".join(values(metadata, key))

    def generate() -> Iterator[UprInfoRow]:
        for number, row in enumerate(rows, start=1):
            metadata = row.get("metadata") if isinstance(row, dict) else None
            if not isinstance(metadata, dict):
                metadata = {}
            yield UprInfoRow(
                row=number,
                cycle_text=one(metadata, "cycle"),
                session=one(metadata, "session"),
                state_under_review=one(metadata, "state_under_review"),
                text=one(metadata, "recommendation")
                or (text(row.get("title")) if isinstance(row, dict) else ""),
                recommending=values(metadata, "recommending_state"),
                response=one(metadata, "response"),
                action=one(metadata, "action_category"),
                issues=values(metadata, "issues"),
                key=text(row.get("sharedId")) if isinstance(row, dict) else "",
            )

    return generate()


def import_upr_info(
    settings: Settings,
    path: Path,
    progress: Progress | None = None,
    *,
    dry_run: bool = False,
    output: Path | None = None,
) -> ImportSummary:
    """Import a UPR Info file on its own (recommendations keyed by their text and States; the
    Working Group report importer links them to paragraphs); :class:`ImportFailed` if the file
    cannot be imported."""
    _format, records = read_upr_info(path)
    mappings = settings.data_dir / "mappings"
    states = StateIndex.load(mappings / "states.csv")
    themes = ThemeMapping.load(mappings / "themes.ttl")
    named: set[str] = set()
    unmapped: set[str] = set()
    described: set[str] = set()
    minted: dict[str, int] = {}
    by_row: dict[int, UprInfoRow] = {}

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        for record in records:
            by_row[record.row] = record
            yield record.row, []

    def convert(
        number: int, _cells: list[Cell], source: ox.NamedNode, known: frozenset[str]
    ) -> Triples:
        row = by_row.pop(number)
        cycle = row.cycle()
        category = row.action_category()
        state = states.code(row.state_under_review)
        recommending = [states.code(name) for name in row.recommending]
        if not recommending:
            raise RowError("no recommending State")
        record = Record(
            state=state,
            mechanism="upr",
            text=row.text,
            themes=row.issues,
            recommending=recommending,
            position=position_of(row.response),
            cycle=cycle,
            session=row.session,
            action_category=category,
        )
        triples = record_triples(
            record, "upr-info", themes, source, "PartlyVerified", known, unmapped, described,
            minted, number,
        )  # fmt: skip
        named.update([state, *recommending])
        return triples

    summary = run_import(
        settings, "upr-info", path, rows(), convert,
        finish=lambda source, known: state_triples(named, known, source),
        progress=progress, dry_run=dry_run, output=output,
    )  # fmt: skip
    summary.unmapped = unmapped
    return summary
