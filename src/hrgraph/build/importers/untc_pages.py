"""Reading UN Treaty Collection participant pages (ViewDetails HTML, ``.html`` or
``.html.gz``): the participants table with its footnotes, the lists of declarations and
reservations, and the instrument and status date of a page (docs/importers.md)."""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from hrgraph.build.importers.common import Cell, ImportFailed
from hrgraph.build.importers.tables import normalise_header
from hrgraph.build.importers.treaties import BY_ID, BY_MTDSG, Instrument

MAX_PAGE_BYTES = 32 * 1024 * 1024
"""A UNTC page is about 1 MB (ICCPR's, with every declaration); larger files are refused."""


_PAGE_AS_AT = re.compile(r"STATUS AS AT\s*:\s*(\d{2})-(\d{2})-(\d{4})")
_PAGE_MTDSG = re.compile(r"mtdsg_no=(IV-\d+(?:-[a-z])?)\b")
_SECTIONS = {"dgDec": "declarations", "dgDecUnderArticle": "declarations-under-articles"}
"""The page's lists of statements read: declarations and reservations, and declarations
recognising a committee's competence; objections (dgObj) and notifications (dgNotifications,
e.g. derogations under ICCPR art. 4) are not read."""
_HEADING_WORDS = re.compile(
    r"\b(reservation|declaration|understanding|interpretative statement)s?\b", re.IGNORECASE
)


def is_page(path: Path) -> bool:
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


def _page_html(path: Path) -> str:
    try:
        opener = gzip.open if path.name.lower().endswith(".gz") else open
        with opener(path, "rb") as handle:
            raw = handle.read(MAX_PAGE_BYTES + 1)
    except (OSError, EOFError, zlib.error) as error:  # zlib.error: corrupt compressed data
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
class Page:
    path: Path
    instrument: Instrument
    as_at: str
    header: list[str]
    rows: list[tuple[int, list[Cell]]]
    notes: dict[str, str]
    statements: list[PageStatement]


def read_page(path: Path, as_at: str | None) -> Page:
    html = _page_html(path)
    stem = path.name.split(".", 1)[0].casefold()
    instrument = BY_ID.get(stem)
    if instrument is None:
        numbers = sorted({m for m in _PAGE_MTDSG.findall(html)})
        found = [BY_MTDSG[n.casefold()] for n in numbers if n.casefold() in BY_MTDSG]
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
    return Page(path, instrument, status, header, list(rows), notes, read_untc_statements(html))
