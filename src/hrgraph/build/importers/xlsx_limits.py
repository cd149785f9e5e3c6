"""The bounds an ``.xlsx`` import must respect (values documented in docs/importers.md) and the
two ways a workbook is turned down: a limit or rule broken, or a part missing or malformed
(:mod:`~hrgraph.build.importers.xlsx` turns both into
:class:`~hrgraph.build.importers.common.ImportFailed`)."""

from __future__ import annotations

from dataclasses import dataclass

MiB = 1024 * 1024


@dataclass(frozen=True)
class XlsxLimits:
    """The bounds an ``.xlsx`` import must respect (values documented in docs/importers.md)."""

    max_parts: int = 1_000
    """Entries in the zip archive."""
    max_part_bytes: int = 256 * MiB
    """Uncompressed size of one part, declared and actual."""
    max_total_bytes: int = 256 * MiB
    """Uncompressed size of all the parts together, declared and actual."""
    max_ratio: int = 100
    """Uncompressed / compressed size of a part larger than ``ratio_floor_bytes``."""
    ratio_floor_bytes: int = 1 * MiB
    """Parts up to this size are not held to ``max_ratio`` (small parts compress unevenly)."""
    max_rows: int = 250_000
    """Declared (``<dimension>``) and actual rows of the sheet, header included."""
    max_columns: int = 128
    """Declared and actual columns of the sheet (the UHRI export has 16)."""
    max_cell_chars: int = 32_767
    """Characters in one cell or shared string (Excel's own limit for a cell)."""
    max_shared_strings: int = 1_000_000
    """Strings in the shared-strings part, declared (``count``, ``uniqueCount``) and actual."""


XLSX_LIMITS = XlsxLimits()


class Refused(Exception):
    """A limit or rule broken (hostile input); becomes ImportFailed with the file's name."""


class Malformed(Exception):
    """A part missing or not well formed; becomes ImportFailed with the file's name."""
