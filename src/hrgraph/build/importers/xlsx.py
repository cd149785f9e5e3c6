"""A bounded, streaming reader for the first sheet of an ``.xlsx`` workbook.

An ``.xlsx`` file is a zip archive of XML parts, and both layers can be turned into weapons: a
few kilobytes can declare gigabytes once inflated (a zip bomb), a sheet can declare a dimension of
a million rows by sixteen thousand columns (a reader that pads rows to it runs for minutes), a
shared-strings part can hold millions of strings, and an XML part can carry a DTD whose entities
expand exponentially ("billion laughs"). This reader checks, in this order, before it converts
any row:

1. the zip directory: the number of parts, each part's declared uncompressed size, their total,
   and each part's compression ratio (:class:`XlsxLimits`);
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
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO
from xml.parsers import expat

from hrgraph.build.importers.common import Cell, ImportFailed

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
CHUNK = 64 * 1024

_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
_BUILTIN_DATE_FORMATS = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47})
_EXCEL_EPOCH = datetime(1899, 12, 30)
_REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


class _Refused(Exception):
    """A limit or rule broken (hostile input); becomes ImportFailed with the file's name."""


class _Malformed(Exception):
    """A part missing or not well formed; becomes ImportFailed with the file's name."""


def read_xlsx(
    path: Path, limits: XlsxLimits = XLSX_LIMITS
) -> tuple[list[str], Iterator[tuple[int, list[Cell]]]]:
    """The header (row 1) and the data rows, with their row numbers, of the first sheet; blank
    rows are dropped. Raises :class:`ImportFailed` for an unreadable or hostile workbook."""
    name = path.name
    try:
        _check_end_record(path, limits)
        archive = zipfile.ZipFile(path)
    except _Refused as error:
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
        raise _Refused(
            f"the zip archive has {entries:,} entries, over the limit of {limits.max_parts:,}"
        )
    if directory_size > limits.max_parts * 4096:
        raise _Refused(
            f"the zip directory is {directory_size:,} bytes, over the limit of "
            f"{limits.max_parts * 4096:,}"
        )


def _failure(name: str, error: BaseException) -> BaseException:
    if isinstance(error, _Refused):
        return ImportFailed(f"{name}: refused: {error}")
    if isinstance(error, _Malformed):
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
            raise _Refused(
                f"the zip archive has {len(infos):,} entries, over the limit of "
                f"{limits.max_parts:,}"
            )
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise _Refused(f"the part {info.filename} is encrypted")
            if info.file_size > limits.max_part_bytes:
                raise _Refused(
                    f"the part {info.filename} declares {info.file_size:,} bytes uncompressed, "
                    f"over the limit of {limits.max_part_bytes:,}"
                )
            if (
                info.file_size > limits.ratio_floor_bytes
                and info.file_size > limits.max_ratio * max(info.compress_size, 1)
            ):
                ratio = info.file_size // max(info.compress_size, 1)
                raise _Refused(
                    f"the part {info.filename} is compressed {ratio:,}:1, over the limit of "
                    f"{limits.max_ratio}:1 (a zip bomb)"
                )
            total += info.file_size
        if total > limits.max_total_bytes:
            raise _Refused(
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
                    raise _Refused(
                        f"the part {part} inflates to more than "
                        f"{min(info.file_size, self.limits.max_part_bytes):,} bytes"
                    )
                if self.inflated > self.limits.max_total_bytes:
                    raise _Refused(
                        f"the parts inflate to more than {self.limits.max_total_bytes:,} bytes"
                    )
                yield chunk

    def _parse(self, part: str, handler: _Handler) -> Iterator[None]:
        """Parse a part with ``handler``, yielding after each chunk (so rows can be handed on
        while the sheet is still being read)."""
        parser = _safe_parser(part)
        parser.StartElementHandler = lambda tag, attrs: handler.start(_local(tag), attrs)
        parser.EndElementHandler = lambda tag: handler.end(_local(tag))
        parser.CharacterDataHandler = handler.text
        try:
            for chunk in self._chunks(part):
                parser.Parse(chunk, False)
                yield
            parser.Parse(b"", True)
        except expat.ExpatError as error:
            raise _Malformed(
                f"{part}: malformed XML at line {error.lineno}, "
                f"column {error.offset}: {expat.ErrorString(error.code)}"
            ) from None
        yield

    def _read(self, part: str, handler: _Handler) -> None:
        for _ in self._parse(part, handler):
            pass

    # --- the parts: workbook, relationships, styles, shared strings, sheet

    def _locate_parts(self) -> tuple[str, str | None, str | None]:
        if "xl/workbook.xml" not in self.parts:
            raise _Malformed("it has no xl/workbook.xml")
        sheets = _Collect("sheet")
        self._read("xl/workbook.xml", sheets)
        rels = _Collect("Relationship")
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
            raise _Malformed("it has no sheet")
        shared = by_type.get("sharedStrings", "xl/sharedStrings.xml")
        styles = by_type.get("styles", "xl/styles.xml")
        return (
            sheet,
            shared if shared in self.parts else None,
            styles if styles in self.parts else None,
        )

    def _date_styles(self, part: str) -> frozenset[int]:
        styles = _Styles(self.limits)
        self._read(part, styles)
        return frozenset(
            index
            for index, number_format in enumerate(styles.cell_formats)
            if number_format in _BUILTIN_DATE_FORMATS
            or _is_date_code(styles.custom_formats.get(number_format, ""))
        )

    def _shared_strings(self, part: str) -> list[str]:
        strings = _SharedStrings(part, self.limits)
        self._read(part, strings)
        return strings.strings

    def rows(self) -> Iterator[tuple[int, list[Cell]]]:
        sheet = _Sheet(self.limits, self.strings, self.date_styles)
        for _ in self._parse(self.sheet, sheet):
            yield from sheet.ready
            sheet.ready.clear()


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _safe_parser(part: str) -> expat.XMLParserType:
    """An expat parser that refuses any DOCTYPE (so no DTD, no entity, no external reference)."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(*_args: object) -> None:
        raise _Refused(
            f"{part} has a DOCTYPE declaration (DTDs and entities are not allowed in .xlsx)"
        )

    def refuse_reference(*_args: object) -> int:
        refuse()
        return 0

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse_reference
    return parser


class _Handler:
    def start(self, tag: str, attrs: dict[str, str]) -> None:
        pass

    def end(self, tag: str) -> None:
        pass

    def text(self, data: str) -> None:
        pass


class _Collect(_Handler):
    """The attributes (by local name) of every element named ``tag``."""

    def __init__(self, tag: str) -> None:
        self.tag = tag
        self.found: list[dict[str, str]] = []

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == self.tag and len(self.found) < 10_000:
            self.found.append({_local(key): value for key, value in attrs.items()})


class _Styles(_Handler):
    def __init__(self, limits: XlsxLimits) -> None:
        self.custom_formats: dict[int, str] = {}
        self.cell_formats: list[int] = []
        self.in_cell_xfs = False
        self.limit = limits.max_shared_strings

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "numFmt" and len(self.custom_formats) < self.limit:
            self.custom_formats[_int(attrs.get("numFmtId"), -1)] = attrs.get("formatCode", "")
        elif tag == "cellXfs":
            self.in_cell_xfs = True
        elif tag == "xf" and self.in_cell_xfs:
            if len(self.cell_formats) >= self.limit:
                raise _Refused(f"the styles declare over {self.limit:,} cell formats")
            self.cell_formats.append(_int(attrs.get("numFmtId"), 0))

    def end(self, tag: str) -> None:
        if tag == "cellXfs":
            self.in_cell_xfs = False


def _is_date_code(code: str) -> bool:
    """Whether a custom number format shows a date or time (as openpyxl decides)."""
    stripped = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.', "", code).split(";")[0]
    return bool(re.search(r"[dmyhs]", stripped, re.IGNORECASE))


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None and len(value) < 20 else default
    except ValueError:
        return default


class _SharedStrings(_Handler):
    def __init__(self, part: str, limits: XlsxLimits) -> None:
        self.part = part
        self.limits = limits
        self.strings: list[str] = []
        self.current: list[str] | None = None
        self.length = 0
        self.in_text = False
        self.phonetic = 0

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "sst":
            for attribute in ("count", "uniqueCount"):
                declared = attrs.get(attribute, "0")
                if not declared.isdigit() or int(declared[:20]) > self.limits.max_shared_strings:
                    raise _Refused(
                        f"{self.part} declares {attribute}={declared[:20]!r} shared strings, "
                        f"over the limit of {self.limits.max_shared_strings:,}"
                    )
        elif tag == "si":
            if len(self.strings) >= self.limits.max_shared_strings:
                raise _Refused(
                    f"{self.part} holds more than {self.limits.max_shared_strings:,} shared strings"
                )
            self.current, self.length = [], 0
        elif tag == "rPh":
            self.phonetic += 1
        elif tag == "t" and self.current is not None and not self.phonetic:
            self.in_text = True

    def end(self, tag: str) -> None:
        if tag == "si" and self.current is not None:
            self.strings.append("".join(self.current))
            self.current = None
        elif tag == "rPh":
            self.phonetic -= 1
        elif tag == "t":
            self.in_text = False

    def text(self, data: str) -> None:
        if self.in_text and self.current is not None:
            self.length += len(data)
            if self.length > self.limits.max_cell_chars:
                raise _Refused(
                    f"{self.part}: shared string {len(self.strings):,} is longer than "
                    f"{self.limits.max_cell_chars:,} characters"
                )
            self.current.append(data)


class _Sheet(_Handler):
    def __init__(self, limits: XlsxLimits, strings: list[str], date_styles: frozenset[int]):
        self.limits = limits
        self.strings = strings
        self.date_styles = date_styles
        self.ready: list[tuple[int, list[Cell]]] = []
        self.row_number = 0
        self.row: dict[int, Cell] | None = None
        self.column = 0
        self.cell_type = "n"
        self.cell_style = 0
        self.cell_ref = ""
        self.value: list[str] | None = None  # text of <v> or of <is><t>
        self.length = 0
        self.in_sheet_data = False
        self.in_inline = False
        self.phonetic = 0
        self.collect = False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "dimension":
            self._dimension(attrs.get("ref", ""))
        elif tag == "sheetData":
            self.in_sheet_data = True
        elif not self.in_sheet_data:
            return
        elif tag == "row":
            number = _int(attrs.get("r"), -1) if "r" in attrs else self.row_number + 1
            if number < 1 or number <= self.row_number:
                raise _Refused(f"the sheet has a malformed row number {attrs.get('r')!r}")
            if number > self.limits.max_rows:
                raise _Refused(
                    f"the sheet has a row {number:,}, over the limit of "
                    f"{self.limits.max_rows:,} rows"
                )
            self.row_number, self.row, self.column = number, {}, 0
        elif tag == "c" and self.row is not None:
            ref = attrs.get("r")
            if ref is not None:
                match = _REF.fullmatch(ref)
                if match is None:
                    raise _Refused(f"the sheet has a malformed cell reference {ref[:20]!r}")
                self.column = _column_number(match[1])
            else:
                self.column += 1
            if self.column > self.limits.max_columns:
                raise _Refused(
                    f"the sheet has a cell in column {self.column:,}, over the limit of "
                    f"{self.limits.max_columns} columns"
                )
            self.cell_ref = ref or f"{_column_letters(self.column)}{self.row_number}"
            self.cell_type = attrs.get("t", "n")
            self.cell_style = _int(attrs.get("s"), 0)
            self.value, self.length = None, 0
        elif tag == "v":
            self.value, self.length, self.collect = [], 0, True
        elif tag == "is":
            self.in_inline, self.value, self.length = True, [], 0
        elif tag == "rPh":
            self.phonetic += 1
        elif tag == "t" and self.in_inline and not self.phonetic:
            self.collect = True

    def end(self, tag: str) -> None:
        if not self.in_sheet_data:
            return
        if tag in {"v", "t"}:
            self.collect = False
        elif tag == "rPh":
            self.phonetic -= 1
        elif tag == "is":
            self.in_inline = False
        elif tag == "c" and self.row is not None:
            if self.value is not None:
                self.row[self.column] = self._convert("".join(self.value))
            self.value = None
        elif tag == "row" and self.row is not None:
            width = max(self.row, default=0)
            cells: list[Cell] = [self.row.get(index) for index in range(1, width + 1)]
            self.ready.append((self.row_number, cells))
            self.row = None
        elif tag == "sheetData":
            self.in_sheet_data = False

    def text(self, data: str) -> None:
        if self.collect and self.value is not None:
            self.length += len(data)
            if self.length > self.limits.max_cell_chars:
                raise _Refused(
                    f"the cell {self.cell_ref} holds more than "
                    f"{self.limits.max_cell_chars:,} characters"
                )
            self.value.append(data)

    def _dimension(self, ref: str) -> None:
        first, _, last = ref.partition(":")
        corners = [_REF.fullmatch(corner) for corner in (first, last or first)]
        if corners[0] is None or corners[1] is None:
            raise _Refused(f"the sheet declares a malformed dimension {ref[:40]!r}")
        rows = int(corners[1][2]) - int(corners[0][2]) + 1
        columns = _column_number(corners[1][1]) - _column_number(corners[0][1]) + 1
        last_row, last_column = int(corners[1][2]), _column_number(corners[1][1])
        if (
            max(rows, last_row) > self.limits.max_rows
            or max(columns, last_column) > self.limits.max_columns
        ):
            raise _Refused(
                f"the sheet declares the dimension {ref}, {last_row:,} rows by "
                f"{last_column:,} columns, over the limit of {self.limits.max_rows:,} rows "
                f"and {self.limits.max_columns} columns"
            )

    def _convert(self, raw: str) -> Cell:
        kind = self.cell_type
        if kind in {"s"}:
            index = _int(raw.strip(), -1)
            if not 0 <= index < len(self.strings):
                raise _Refused(
                    f"the cell {self.cell_ref} refers to shared string {raw.strip()[:20]!r}, "
                    f"but there are {len(self.strings):,}"
                )
            return self.strings[index]
        if kind in {"str", "inlineStr", "e"}:
            return raw
        if kind == "b":
            return raw.strip() in {"1", "true"}
        if kind == "d":
            try:
                return datetime.fromisoformat(raw.strip())
            except ValueError:
                return raw
        return self._number(raw.strip())

    def _number(self, raw: str) -> Cell:
        if not raw:
            return None
        try:
            number: int | float = (
                float(raw) if any(mark in raw for mark in ".eE") or len(raw) > 18 else int(raw)
            )
        except ValueError:
            raise _Refused(f"the cell {self.cell_ref} holds a malformed number") from None
        if self.cell_style in self.date_styles and 0 <= number < 2_958_466:
            return _EXCEL_EPOCH + timedelta(days=float(number))
        return number


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
