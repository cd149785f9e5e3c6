"""A bounded, streaming reader for the first sheet of an ``.xlsx`` workbook.

An ``.xlsx`` file is a zip archive of XML parts, and both layers can be turned into weapons: a
few kilobytes can declare gigabytes once inflated (a zip bomb), a sheet can declare a dimension of
a million rows by sixteen thousand columns (a reader that pads rows to it runs for minutes), a
shared-strings part can hold millions of strings, and an XML part can carry a DTD whose entities
expand exponentially ("billion laughs"). This reader checks, in this order, before it converts
any row:

1. the zip directory: the number of parts, each part's declared uncompressed size, their total,
   and each part's compression ratio
   (:class:`~hrgraph.build.importers.xlsx_limits.XlsxLimits`);
2. every XML part as it is parsed: a ``DOCTYPE`` (hence any DTD or entity) is refused, and the
   bytes actually inflated are counted against the same limits;
3. the shared strings: the declared ``count``/``uniqueCount``, then the actual number of strings
   and the length of each;
4. the sheet's declared ``<dimension>`` (rows and columns), then each actual row number, column
   and cell text.

Every violation raises :class:`~hrgraph.build.importers.common.ImportFailed` with one message naming
the file and the problem (the CLI exits 2); nothing is written to the store, since an import
writes only after its last row has been read. Parsing is streaming (expat, in 64 KiB chunks):
memory is bounded by the shared strings and one row, time by the bytes the limits allow.

It replaces ``openpyxl`` for reading (which pads rows to the declared dimension and parses with
whatever XML parser is installed); values are returned as openpyxl's ``data_only`` mode returns
them: the cached value of a formula, ``datetime`` for numbers in a date format, ``int`` or
``float`` for numbers, ``bool``, the error text (``#N/A``) for errors.

This module reads the zip layer; the XML parts are parsed by
:mod:`~hrgraph.build.importers.xlsx_parts`.
"""

from __future__ import annotations

import posixpath
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO
from xml.parsers import expat

from hrgraph.build.importers.common import Cell, ImportFailed
from hrgraph.build.importers.xlsx_limits import XLSX_LIMITS, Malformed, Refused, XlsxLimits
from hrgraph.build.importers.xlsx_parts import (
    BUILTIN_DATE_FORMATS,
    Collect,
    Handler,
    SharedStrings,
    Sheet,
    Styles,
    is_date_code,
    local_name,
    safe_parser,
)

CHUNK = 64 * 1024


_REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def read_xlsx(
    path: Path, limits: XlsxLimits = XLSX_LIMITS
) -> tuple[list[str], Iterator[tuple[int, list[Cell]]]]:
    """The header (row 1) and the data rows, with their row numbers, of the first sheet; blank
    rows are dropped. Raises :class:`ImportFailed` for an unreadable or hostile workbook."""
    name = path.name
    try:
        _check_end_record(path, limits)
        archive = zipfile.ZipFile(path)
    except Refused as error:
        raise ImportFailed(f"{name}: refused: {error}") from None
    except OSError as error:
        raise ImportFailed(f"{name}: cannot be read: {error.strerror}") from None
    except Exception:  # BadZipFile, or what a forged directory makes zipfile raise
        raise ImportFailed(
            f"{name}: not an .xlsx workbook (not a zip archive, or a truncated one)"
        ) from None
    try:
        book = _Workbook(archive, limits)
        rows = book.rows()
        header_row = next(rows, None)
    except BaseException as error:
        archive.close()
        raise _failure(name, error) from None
    if header_row is None:
        archive.close()
        raise ImportFailed(f"{name}: the first sheet is empty")
    header = ["" if value is None else str(value) for value in header_row[1]]

    def data() -> Iterator[tuple[int, list[Cell]]]:
        try:
            for number, cells in rows:
                if len(cells) < len(header):
                    cells += [None] * (len(header) - len(cells))
                if any(cell not in (None, "") for cell in cells):
                    yield number, cells
        except Exception as error:
            raise _failure(name, error) from None
        finally:
            archive.close()

    return header, data()


def _check_end_record(path: Path, limits: XlsxLimits) -> None:
    """The number of entries and the size of the central directory, from the zip's end record,
    before ``zipfile`` reads the directory into memory (a few MB can list a million entries)."""
    with path.open("rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - 65_557))  # the end record (22 bytes) and a comment up to 64 KiB
        tail = handle.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return  # not a zip: zipfile says so
    entries, directory_size = struct.unpack_from("<HI", tail, at + 10)
    if entries > limits.max_parts:  # 0xFFFF (ZIP64) counts as over the limit too
        raise Refused(
            f"the zip archive has {entries:,} entries, over the limit of {limits.max_parts:,}"
        )
    if directory_size > limits.max_parts * 4096:
        raise Refused(
            f"the zip directory is {directory_size:,} bytes, over the limit of "
            f"{limits.max_parts * 4096:,}"
        )


def _failure(name: str, error: BaseException) -> BaseException:
    if isinstance(error, Refused):
        return ImportFailed(f"{name}: refused: {error}")
    if isinstance(error, Malformed):
        return ImportFailed(f"{name}: not a readable .xlsx workbook: {error}")
    if isinstance(error, ImportFailed):
        return error
    if isinstance(error, zipfile.BadZipFile | zlib.error | EOFError):
        return ImportFailed(f"{name}: not a readable .xlsx workbook: the zip archive is corrupt "
                            f"or truncated ({error})")  # fmt: skip
    if isinstance(error, NotImplementedError | RuntimeError):
        return ImportFailed(f"{name}: not a readable .xlsx workbook: {error}")
    if isinstance(error, OSError):
        return ImportFailed(f"{name}: cannot be read: {error.strerror or error}")
    if isinstance(error, Exception):
        return ImportFailed(f"{name}: not a readable .xlsx workbook: {error}")
    return error  # KeyboardInterrupt and the like


class _Workbook:
    def __init__(self, archive: zipfile.ZipFile, limits: XlsxLimits) -> None:
        self.archive = archive
        self.limits = limits
        self.inflated = 0  # bytes actually inflated so far, all parts
        self._check_directory()
        self.parts = {info.filename: info for info in archive.infolist()}
        sheet, shared, styles = self._locate_parts()
        self.sheet = sheet
        self.date_styles = self._date_styles(styles) if styles else frozenset()
        self.strings = self._shared_strings(shared) if shared else []

    # --- the zip directory, before anything is inflated

    def _check_directory(self) -> None:
        infos = self.archive.infolist()
        limits = self.limits
        if len(infos) > limits.max_parts:
            raise Refused(
                f"the zip archive has {len(infos):,} entries, over the limit of "
                f"{limits.max_parts:,}"
            )
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise Refused(f"the part {info.filename} is encrypted")
            if info.file_size > limits.max_part_bytes:
                raise Refused(
                    f"the part {info.filename} declares {info.file_size:,} bytes uncompressed, "
                    f"over the limit of {limits.max_part_bytes:,}"
                )
            if (
                info.file_size > limits.ratio_floor_bytes
                and info.file_size > limits.max_ratio * max(info.compress_size, 1)
            ):
                ratio = info.file_size // max(info.compress_size, 1)
                raise Refused(
                    f"the part {info.filename} is compressed {ratio:,}:1, over the limit of "
                    f"{limits.max_ratio}:1 (a zip bomb)"
                )
            total += info.file_size
        if total > limits.max_total_bytes:
            raise Refused(
                f"the parts declare {total:,} bytes uncompressed in all, over the limit of "
                f"{limits.max_total_bytes:,}"
            )

    # --- reading a part: bounded inflation, safe XML

    def _chunks(self, part: str) -> Iterator[bytes]:
        info = self.parts[part]
        read = 0
        with self.archive.open(info) as handle:
            stream: IO[bytes] = handle
            while chunk := stream.read(CHUNK):
                read += len(chunk)
                self.inflated += len(chunk)
                if read > info.file_size or read > self.limits.max_part_bytes:
                    raise Refused(
                        f"the part {part} inflates to more than "
                        f"{min(info.file_size, self.limits.max_part_bytes):,} bytes"
                    )
                if self.inflated > self.limits.max_total_bytes:
                    raise Refused(
                        f"the parts inflate to more than {self.limits.max_total_bytes:,} bytes"
                    )
                yield chunk

    def _parse(self, part: str, handler: Handler) -> Iterator[None]:
        """Parse a part with ``handler``, yielding after each chunk (so rows can be handed on
        while the sheet is still being read)."""
        parser = safe_parser(part)
        parser.StartElementHandler = lambda tag, attrs: handler.start(local_name(tag), attrs)
        parser.EndElementHandler = lambda tag: handler.end(local_name(tag))
        parser.CharacterDataHandler = handler.text
        try:
            for chunk in self._chunks(part):
                parser.Parse(chunk, False)
                yield
            parser.Parse(b"", True)
        except expat.ExpatError as error:
            raise Malformed(
                f"{part}: malformed XML at line {error.lineno}, "
                f"column {error.offset}: {expat.ErrorString(error.code)}"
            ) from None
        yield

    def _read(self, part: str, handler: Handler) -> None:
        for _ in self._parse(part, handler):
            pass

    # --- the parts: workbook, relationships, styles, shared strings, sheet

    def _locate_parts(self) -> tuple[str, str | None, str | None]:
        if "xl/workbook.xml" not in self.parts:
            raise Malformed("it has no xl/workbook.xml")
        sheets = Collect("sheet")
        self._read("xl/workbook.xml", sheets)
        rels = Collect("Relationship")
        if "xl/_rels/workbook.xml.rels" in self.parts:
            self._read("xl/_rels/workbook.xml.rels", rels)
        targets: dict[str, str] = {}
        by_type: dict[str, str] = {}
        for attrs in rels.found:
            target = attrs.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            target = posixpath.normpath(target)
            targets[attrs.get("Id", "")] = target
            by_type.setdefault(attrs.get("Type", "").removeprefix(_REL_TYPE), target)
        sheet = None
        if sheets.found:
            sheet = targets.get(sheets.found[0].get("id", ""))
        if sheet is None and "xl/worksheets/sheet1.xml" in self.parts:
            sheet = "xl/worksheets/sheet1.xml"
        if sheet is None or sheet not in self.parts:
            raise Malformed("it has no sheet")
        shared = by_type.get("sharedStrings", "xl/sharedStrings.xml")
        styles = by_type.get("styles", "xl/styles.xml")
        return (
            sheet,
            shared if shared in self.parts else None,
            styles if styles in self.parts else None,
        )

    def _date_styles(self, part: str) -> frozenset[int]:
        styles = Styles(self.limits)
        self._read(part, styles)
        return frozenset(
            index
            for index, number_format in enumerate(styles.cell_formats)
            if number_format in BUILTIN_DATE_FORMATS
            or is_date_code(styles.custom_formats.get(number_format, ""))
        )

    def _shared_strings(self, part: str) -> list[str]:
        strings = SharedStrings(part, self.limits)
        self._read(part, strings)
        return strings.strings

    def rows(self) -> Iterator[tuple[int, list[Cell]]]:
        sheet = Sheet(self.limits, self.strings, self.date_styles)
        for _ in self._parse(self.sheet, sheet):
            yield from sheet.ready
            sheet.ready.clear()
