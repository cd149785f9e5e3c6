"""Reading an importer's table, CSV or XLSX, with the row numbers a spreadsheet shows, and
checking its columns against the ones the importer knows (docs/importers.md)."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from hrgraph.build.importers.common import Cell, ImportFailed
from hrgraph.build.importers.xlsx import read_xlsx


def read_table(path: Path) -> tuple[list[str], Iterator[tuple[int, list[Cell]]]]:
    """The header and the data rows (with their 1-based row numbers as a spreadsheet shows
    them) of a CSV or XLSX file; blank rows are dropped."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return read_xlsx(path)  # bounded and streaming, with safe XML: see importers/xlsx.py
    if suffix in {".csv", ".tsv", ".txt"}:
        return _read_csv(path, "\t" if suffix == ".tsv" else ",")
    raise ImportFailed(f"{path.name}: unsupported file type {suffix!r}; use .csv or .xlsx")


def _read_csv(path: Path, delimiter: str) -> tuple[list[str], Iterator[tuple[int, list[Cell]]]]:
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise ImportFailed(f"{path.name}: cannot be read: {error.strerror}") from None
    reader = csv.reader(handle, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        handle.close()
        raise ImportFailed(f"{path.name}: the file is empty") from None
    except (UnicodeDecodeError, csv.Error) as error:
        handle.close()
        raise ImportFailed(f"{path.name}: not a UTF-8 CSV file: {error}") from None

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        with handle:
            try:
                # Records, not physical lines: a quoted cell may hold newlines.
                for number, values in enumerate(reader, start=2):
                    if any(value.strip() for value in values):
                        yield number, list(values)
            except (UnicodeDecodeError, csv.Error) as error:
                raise ImportFailed(
                    f"{path.name}: line {reader.line_num}: not readable CSV: {error}"
                ) from None

    return header, rows()


def normalise_header(name: str) -> str:
    """Header names compared without case, spaces, punctuation or accents.

    >>> normalise_header(" Recommending  State(s) ")
    'recommendingstates'
    """
    folded = unicodedata.normalize("NFKD", name).casefold()
    return re.sub(r"[^a-z0-9]", "", folded)


def resolve_columns(
    file: str,
    header: Sequence[str],
    columns: Mapping[str, Sequence[str]],
    required: set[str],
) -> dict[str, int]:
    """Map each known column (by any of its spellings) to its index.

    Raises :class:`ImportFailed` naming every unknown column and every missing required one.
    """
    spellings = {
        normalise_header(spelling): name
        for name, aliases in columns.items()
        for spelling in (name, *aliases)
    }
    found: dict[str, int] = {}
    unknown: list[str] = []
    for index, title in enumerate(header):
        if not title.strip():
            continue
        name = spellings.get(normalise_header(title))
        if name is None:
            unknown.append(title.strip())
        elif name in found:
            raise ImportFailed(f"{file}: the column {name!r} appears twice ({title.strip()!r})")
        else:
            found[name] = index
    missing = sorted(required - set(found))
    problems = []
    if unknown:
        problems.append("unknown columns: " + ", ".join(repr(u) for u in unknown))
    if missing:
        problems.append("missing columns: " + ", ".join(repr(m) for m in missing))
    if problems:
        raise ImportFailed(
            f"{file}: {'; '.join(problems)} (expected: {', '.join(columns)}; see docs/importers.md)"
        )
    return found
