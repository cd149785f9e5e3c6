"""What every importer shares: its errors and summary, cleaning cells (bullets, multi-values,
spreadsheet serial dates), and the RDF terms and provenance of an import graph. Reading tables is
in :mod:`~hrgraph.build.importers.tables`, the mappings of ``data/mappings/`` in
:mod:`~hrgraph.build.importers.mappings`, writing the project's Turtle in
:mod:`~hrgraph.build.importers.output` and applying an import to the store in
:mod:`~hrgraph.build.importers.apply` (docs/architecture.md).

An import becomes one named graph, ``graph/import/{kind}/{file stem}``.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pyoxigraph as ox

from hrgraph.errors import BadInput
from hrgraph.rdf.namespaces import NAMESPACE, TERMS
from hrgraph.rdf.vocab import DCTERMS, GRAPH, ID, RDF_TYPE, RDFS, SPDX, VOID, XSD

HRG = NAMESPACE
IMPORT_GRAPH_PREFIX = GRAPH + "import/"
PROGRESS_EVERY = 10_000

Progress = Callable[[str], None]
Cell = str | int | float | datetime | date | None


class ImportFailed(BadInput):
    """The file cannot be imported at all (unreadable, wrong columns, no store); nothing changed."""


class RowError(BadInput, ValueError):
    """One row cannot be imported; the row is skipped whole with this reason."""


@dataclass(frozen=True)
class SkippedRow:
    row: int
    reason: str


@dataclass
class ImportSummary:
    kind: str
    file: str
    graph: str
    rows: int = 0
    imported: int = 0
    skipped: list[SkippedRow] = field(default_factory=list)
    triples: int = 0
    generation: str = ""
    unmapped: set[str] = field(default_factory=set)
    """Themes or issues not in data/mappings/themes.ttl (imported as subjects, no right)."""

    def lines(self) -> list[str]:
        """The summary as the CLI prints it: counts, then each skipped row and why."""
        out = [
            f"{self.kind} import of {self.file} into <{self.graph}>",
            f"rows read: {self.rows}, imported: {self.imported}, skipped: {len(self.skipped)}, "
            f"triples: {self.triples}",
        ]
        out += [f"  row {skip.row}: skipped: {skip.reason}" for skip in self.skipped]
        if self.unmapped:
            out.append("not in data/mappings/themes.ttl: " + "; ".join(sorted(self.unmapped)))
        return out


# --- cleaning cells ------------------------------------------------------------------------

_BULLET = re.compile(r"^\s*(?:[-\u2022\u2013\u00b7*]\s+)")
_BULLET_CHARS = "-\u2022\u2013\u00b7*"
_SPACES = re.compile(r"[ \t\u00a0]{2}|[\t\u00a0]")


def text(value: Cell) -> str:
    """A cell as clean text: spaces collapsed, a leading "- " bullet removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    raw = str(value).strip()
    if not raw or (raw[0] not in _BULLET_CHARS and not _SPACES.search(raw)):
        return raw  # the common case, without the regular expressions below
    cleaned = _BULLET.sub("", raw)
    return re.sub(r"[ \t\u00a0]+", " ", cleaned).strip()


def multi(value: Cell) -> list[str]:
    """A multi-valued cell: one value a line (or separated by ";" or "|"), each without its
    "- " bullet, empty ones dropped, order kept, duplicates removed.

    >>> multi("- Freedom of association\\n- Torture\\n\\n- Torture")
    ['Freedom of association', 'Torture']
    """
    if value is None:
        return []
    parts = re.split(r"[\r\n;|]+", str(value))
    seen: dict[str, None] = {}
    for part in parts:
        cleaned = text(part)
        if cleaned:
            seen.setdefault(cleaned, None)
    return list(seen)


_EXCEL_EPOCH = date(1899, 12, 30)
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip


def parse_date(value: Cell) -> date:
    """A date from a cell: a spreadsheet date, a spreadsheet serial number (days since
    1899-12-30, five digits: from 10000, 1927-05-18; a fraction is the time of day, dropped),
    ``YYYY-MM-DD`` (also with a time, as ``2014-11-02 00:00:00``), ``DD/MM/YYYY`` when the day is
    over 12 or equals the month, ``DD.MM.YYYY``, ``2 Dec 2003`` or ``December 2, 2003``;
    ``ValueError`` otherwise. A year alone (``2010``) is refused, never read as a day count: what
    the data does not record exactly is not invented. So is a slash date that reads both ways
    (``1/2/2010``: 1 February day first, 2 January month first).

    >>> parse_date(40221), parse_date("40221"), parse_date("12 Feb 2010"), parse_date("13/02/2010")
    (datetime.date(2010, 2, 12), datetime.date(2010, 2, 12), datetime.date(2010, 2, 12), datetime.date(2010, 2, 13))
    >>> parse_date("2010")
    Traceback (most recent call last):
    ...
    ValueError: a year alone, not a date: '2010'
    >>> parse_date("1/2/2010")
    Traceback (most recent call last):
    ...
    ValueError: '1/2/2010' is ambiguous: day/month or month/day (write YYYY-MM-DD)
    """  # noqa: E501
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    cleaned = text(value)
    if isinstance(value, int | float):
        return _serial(float(value), cleaned)
    if re.fullmatch(r"\d+(\.\d+)?", cleaned):
        return _serial(float(cleaned), cleaned)
    slashed = re.fullmatch(r"(\d{1,2})/(\d{1,2})/\d{4}", cleaned)
    first, second = (int(slashed[1]), int(slashed[2])) if slashed else (0, 0)
    if 1 <= first <= 12 and 1 <= second <= 12 and first != second:
        # 1/2/2010 is 1 February day first (en-GB) and 2 January month first (en-US)
        raise ValueError(f"{cleaned!r} is ambiguous: day/month or month/day (write YYYY-MM-DD)")
    try:
        # an ISO date, or a date-time as a spreadsheet's CSV export writes one
        match = re.fullmatch(
            r"(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?", cleaned
        )
        if match:
            return date.fromisoformat(match[1])
        match = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", cleaned)
        if match:
            return date(int(match[3]), int(match[2]), int(match[1]))
        match = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})", cleaned)
        if match and match[2].casefold() in _MONTHS:
            return date(int(match[3]), _MONTHS[match[2].casefold()], int(match[1]))
        match = re.fullmatch(r"([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})", cleaned)
        if match and match[1].casefold() in _MONTHS:
            return date(int(match[3]), _MONTHS[match[1].casefold()], int(match[2]))
    except ValueError:
        pass
    raise ValueError(f"{cleaned!r} is not a date")


def _serial(number: float, shown: str) -> date:
    """A spreadsheet's day count: five digits (10000 is 1927-05-18); four digits are a year."""
    if number.is_integer() and 1000 <= number <= 9999:
        raise ValueError(f"a year alone, not a date: {shown!r}")
    if not 10_000 <= number < 2_958_466:
        raise ValueError(f"{shown!r} is not a date (a spreadsheet day count has five digits)")
    return _EXCEL_EPOCH + timedelta(days=int(number))


def slug(value: str) -> str:
    """An IRI segment: lower case ASCII letters, digits and hyphens.

    >>> slug("A/HRC/WG.6/7/KAZ/1"), slug("97.1"), slug("Women's rights")
    ('a-hrc-wg-6-7-kaz-1', '97-1', 'women-s-rights')
    """
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def file_slug(stem: str) -> str:
    """The IRI segment of a file's name: its :func:`slug`, or, for a name without an ASCII letter
    or digit, ``file-`` and 12 hex of its sha256 (each such file keeps a graph of its own).

    >>> file_slug("UHRI export (2024)"), file_slug("рекомендации")
    ('uhri-export-2024', 'file-bb7f124be3a5')
    """
    named = unicodedata.normalize("NFC", stem)
    return slug(named) or "file-" + hashlib.sha256(named.encode("utf-8")).hexdigest()[:12]


def digest(*parts: str) -> str:
    """A short stable key for rows without a natural identifier."""
    joined = "\x1f".join(re.sub(r"\s+", " ", part).strip().casefold() for part in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


# --- RDF helpers -----------------------------------------------------------------------------


def node(path: str) -> ox.NamedNode:
    return ox.NamedNode(ID + path)


@functools.cache
def hrg(name: str) -> ox.NamedNode:
    """A term of the ontology by name, checked against the closed namespace
    (:mod:`hrgraph.rdf.namespaces`): a name the ontology does not define raises ``ValueError``.

    >>> hrg("Ratification").value
    'https://w3id.org/hrgraph/ontology#Ratification'
    >>> hrg("Ratifcation")
    Traceback (most recent call last):
    ...
    ValueError: hrg:Ratifcation is not a term of the ontology (ontology/hrgraph.ttl)
    """
    if name not in TERMS:
        raise ValueError(f"hrg:{name} is not a term of the ontology (ontology/hrgraph.ttl)")
    return ox.NamedNode(HRG + name)


LABEL = ox.NamedNode(RDFS + "label")
SOURCE = hrg("source")
CONFIDENCE = hrg("confidence")


def literal(value: str, language: str | None = None) -> ox.Literal:
    return ox.Literal(value, language=language) if language else ox.Literal(value)


def typed(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


Triples = list[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]]


def import_graph(kind: str, stem: str) -> ox.NamedNode:
    return ox.NamedNode(f"{IMPORT_GRAPH_PREFIX}{kind}/{file_slug(stem)}")


def describe_import(
    graph: ox.NamedNode, source: ox.NamedNode, kind: str, path: Path, checksum: str
) -> Triples:
    """The import graph described in itself: the file it came from, its checksum and the day."""
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    return [
        (graph, RDF_TYPE, ox.NamedNode(VOID + "Dataset")),
        (graph, LABEL, literal(f"{kind} import of {path.name}", "en")),
        (graph, ox.NamedNode(DCTERMS + "source"), literal(path.name)),
        (graph, ox.NamedNode(SPDX + "checksumValue"), literal(f"sha256:{checksum}")),
        (graph, ox.NamedNode(DCTERMS + "created"), typed(now, "dateTime")),
        (graph, ox.NamedNode(DCTERMS + "creator"), literal(f"hrgraph import {kind}")),
        (source, RDF_TYPE, hrg("Source")),
        (source, LABEL, literal(f"{path.name} ({kind} export, sha256 {checksum[:12]})", "en")),
        (source, hrg("accessed"), typed(now[:10], "date")),
        (source, ox.NamedNode(DCTERMS + "isPartOf"), graph),
    ]


def file_checksum(path: Path) -> str:
    hasher = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                hasher.update(block)
    except OSError as error:
        raise ImportFailed(f"{path.name}: cannot be read: {error.strerror}") from None
    return hasher.hexdigest()


__all__ = [
    "ImportFailed",
    "ImportSummary",
    "RowError",
    "SkippedRow",
    "file_slug",
    "multi",
    "parse_date",
    "slug",
    "text",
]
