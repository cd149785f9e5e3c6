"""``hrgraph import upr-info``: UPR Info database exports (a JSON array of records, or CSV) to
UPR recommendations with the recommending State, the response, the action category (1-5), the
issues (mapped to rights), the cycle and the session. Fields: docs/importers.md."""

from __future__ import annotations

import json
from collections.abc import Iterator
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
    read_table,
    resolve_columns,
    text,
)
from hrgraph.importers.recommendations import Record, position_of, record_triples, state_triples
from hrgraph.importers.runner import run_import
from hrgraph.settings import Settings

COLUMNS: dict[str, tuple[str, ...]] = {
    "State under Review": ("SuR", "State Under Review", "state_under_review"),
    "Recommending State": ("Recommending States", "Recommanding State", "recommending_state"),
    "Recommendation": ("Recommendation Text", "recommendation"),
    "Response": ("Position", "response"),
    "Action Category": ("Action", "Category", "action_category"),
    "Issues": ("Issue", "Themes", "issues"),
    "Cycle": ("UPR Cycle", "cycle"),
    "Session": ("session",),
}
REQUIRED = {"State under Review", "Recommending State", "Recommendation", "Response", "Cycle"}


def import_upr_info(
    settings: Settings,
    path: Path,
    progress: Progress | None = None,
    *,
    dry_run: bool = False,
    output: Path | None = None,
) -> ImportSummary:
    """Import a UPR Info export; raises :class:`ImportFailed` if the file cannot be imported."""
    if path.suffix.lower() == ".json":
        header, rows = _read_json(path)
    else:
        header, rows = read_table(path)
    columns = resolve_columns(path.name, header, COLUMNS, REQUIRED)
    mappings = settings.data_dir / "mappings"
    states = StateIndex.load(mappings / "states.csv")
    themes = ThemeMapping.load(mappings / "themes.ttl")
    named: set[str] = set()
    unmapped: set[str] = set()
    described: set[str] = set()

    def cell(cells: list[Cell], name: str) -> Cell:
        index = columns.get(name)
        return cells[index] if index is not None and index < len(cells) else None

    def convert(
        number: int, cells: list[Cell], source: ox.NamedNode, known: frozenset[str]
    ) -> Triples:
        cycle_text = text(cell(cells, "Cycle"))
        digits = "".join(ch for ch in cycle_text if ch.isdigit())
        if not digits or not 1 <= int(digits) <= 9:
            raise RowError(f"Cycle {cycle_text!r} is not a cycle number")
        category_text = text(cell(cells, "Action Category"))
        category = None
        if category_text:
            if category_text not in {"1", "2", "3", "4", "5"}:
                raise RowError(f"Action Category {category_text!r} is not 1-5")
            category = int(category_text)
        state = states.code(text(cell(cells, "State under Review")))
        recommending = [states.code(n) for n in multi(cell(cells, "Recommending State"))]
        if not recommending:
            raise RowError("no recommending State")
        record = Record(
            state=state,
            mechanism="upr",
            text=text(cell(cells, "Recommendation")),
            themes=multi(cell(cells, "Issues")),
            recommending=recommending,
            position=position_of(text(cell(cells, "Response"))),
            cycle=int(digits),
            session=text(cell(cells, "Session")),
            action_category=category,
        )
        triples = record_triples(
            record, "upr-info", themes, source, "PartlyVerified", known, unmapped, described
        )
        named.update([state, *recommending])
        return triples

    summary = run_import(
        settings, "upr-info", path, rows, convert,
        finish=lambda source, known: state_triples(named, known, source),
        progress=progress, dry_run=dry_run, output=output,
    )  # fmt: skip
    summary.unmapped = unmapped
    return summary


def _read_json(path: Path) -> tuple[list[str], Iterator[tuple[int, list[Cell]]]]:
    """Records as rows: the header is the union of the keys, row numbers count records from 1."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportFailed(f"{path.name}: not a readable JSON file: {error}") from None
    if isinstance(data, dict):
        data = data.get("records", data.get("data"))
    if not isinstance(data, list):
        raise ImportFailed(f"{path.name}: expected a JSON array of records")
    header: list[str] = []
    for record in data:
        if isinstance(record, dict):
            header += [key for key in record if key not in header]

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        for number, record in enumerate(data, start=1):
            if not isinstance(record, dict):
                yield number, [None] * len(header)
                continue
            cells: list[Cell] = []
            for key in header:
                value = record.get(key)
                if isinstance(value, list):
                    value = "\n".join(str(item) for item in value)
                elif value is not None and not isinstance(value, str | int | float):
                    value = json.dumps(value)
                cells.append(value)
            yield number, cells

    return header, rows()
