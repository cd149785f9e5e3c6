"""The XML parts of an ``.xlsx`` workbook, parsed safely and within limits (see
:mod:`~hrgraph.build.importers.xlsx`): an expat parser that refuses any DOCTYPE, and the handlers
that read the styles (which cells hold dates), the shared strings and the rows of the sheet."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from xml.parsers import expat

from hrgraph.build.importers.common import Cell
from hrgraph.build.importers.xlsx_limits import Refused, XlsxLimits

_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
BUILTIN_DATE_FORMATS = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47})
_EXCEL_EPOCH = datetime(1899, 12, 30)


def local_name(tag: str) -> str:
    return tag.rpartition("}")[2]


def safe_parser(part: str) -> expat.XMLParserType:
    """An expat parser that refuses any DOCTYPE (so no DTD, no entity, no external reference)."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(*_args: object) -> None:
        raise Refused(
            f"{part} has a DOCTYPE declaration (DTDs and entities are not allowed in .xlsx)"
        )

    def refuse_reference(*_args: object) -> int:
        refuse()
        return 0

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse_reference
    return parser


class Handler:
    def start(self, tag: str, attrs: dict[str, str]) -> None:
        pass

    def end(self, tag: str) -> None:
        pass

    def text(self, data: str) -> None:
        pass


class Collect(Handler):
    """The attributes (by local name) of every element named ``tag``."""

    def __init__(self, tag: str) -> None:
        self.tag = tag
        self.found: list[dict[str, str]] = []

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == self.tag and len(self.found) < 10_000:
            self.found.append({local_name(key): value for key, value in attrs.items()})


class Styles(Handler):
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
                raise Refused(f"the styles declare over {self.limit:,} cell formats")
            self.cell_formats.append(_int(attrs.get("numFmtId"), 0))

    def end(self, tag: str) -> None:
        if tag == "cellXfs":
            self.in_cell_xfs = False


def is_date_code(code: str) -> bool:
    """Whether a custom number format shows a date or time (as openpyxl decides)."""
    stripped = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.', "", code).split(";")[0]
    return bool(re.search(r"[dmyhs]", stripped, re.IGNORECASE))


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None and len(value) < 20 else default
    except ValueError:
        return default


class SharedStrings(Handler):
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
                    raise Refused(
                        f"{self.part} declares {attribute}={declared[:20]!r} shared strings, "
                        f"over the limit of {self.limits.max_shared_strings:,}"
                    )
        elif tag == "si":
            if len(self.strings) >= self.limits.max_shared_strings:
                raise Refused(
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
                raise Refused(
                    f"{self.part}: shared string {len(self.strings):,} is longer than "
                    f"{self.limits.max_cell_chars:,} characters"
                )
            self.current.append(data)


class Sheet(Handler):
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
                raise Refused(f"the sheet has a malformed row number {attrs.get('r')!r}")
            if number > self.limits.max_rows:
                raise Refused(
                    f"the sheet has a row {number:,}, over the limit of "
                    f"{self.limits.max_rows:,} rows"
                )
            self.row_number, self.row, self.column = number, {}, 0
        elif tag == "c" and self.row is not None:
            ref = attrs.get("r")
            if ref is not None:
                match = _REF.fullmatch(ref)
                if match is None:
                    raise Refused(f"the sheet has a malformed cell reference {ref[:20]!r}")
                self.column = _column_number(match[1])
            else:
                self.column += 1
            if self.column > self.limits.max_columns:
                raise Refused(
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
                raise Refused(
                    f"the cell {self.cell_ref} holds more than "
                    f"{self.limits.max_cell_chars:,} characters"
                )
            self.value.append(data)

    def _dimension(self, ref: str) -> None:
        first, _, last = ref.partition(":")
        corners = [_REF.fullmatch(corner) for corner in (first, last or first)]
        if corners[0] is None or corners[1] is None:
            raise Refused(f"the sheet declares a malformed dimension {ref[:40]!r}")
        rows = int(corners[1][2]) - int(corners[0][2]) + 1
        columns = _column_number(corners[1][1]) - _column_number(corners[0][1]) + 1
        last_row, last_column = int(corners[1][2]), _column_number(corners[1][1])
        if (
            max(rows, last_row) > self.limits.max_rows
            or max(columns, last_column) > self.limits.max_columns
        ):
            raise Refused(
                f"the sheet declares the dimension {ref}, {last_row:,} rows by "
                f"{last_column:,} columns, over the limit of {self.limits.max_rows:,} rows "
                f"and {self.limits.max_columns} columns"
            )

    def _convert(self, raw: str) -> Cell:
        kind = self.cell_type
        if kind in {"s"}:
            index = _int(raw.strip(), -1)
            if not 0 <= index < len(self.strings):
                raise Refused(
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
            raise Refused(f"the cell {self.cell_ref} holds a malformed number") from None
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
