"""What every importer shares: reading a table (CSV or XLSX) with row numbers, checking its
columns, cleaning cells (bullets, multi-values, spreadsheet serial dates), the State and theme
mappings in ``data/mappings/``, and applying an import to the store atomically.

An import becomes one named graph, ``graph/import/{kind}/{file stem}``, published as a new store
generation through :class:`hrgraph.build.writes.StoreWriter` (a failure publishes nothing), and is
kept as ``{store}/imports/{kind}/{file stem}.nt`` so that ``hrgraph build`` loads it again. The
import holds the store lock (one writer at a time, across processes: builds, HTTP writes, other
imports) while it publishes, and its ``.nt`` file is staged with the generation, so the saved file
changes if and only if the generation is published (``hrgraph.store.local``).
"""

from __future__ import annotations

import csv
import functools
import hashlib
import os
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pyoxigraph as ox

from hrgraph.errors import BadInput
from hrgraph.rdf.namespaces import NAMESPACE, TERMS
from hrgraph.rdf.vocab import DCTERMS, GRAPH, ID, RDF_TYPE, RDFS, SKOS, SPDX, VOID, XSD
from hrgraph.settings import Limits, Settings
from hrgraph.store.local import StoreLocation

HRG = NAMESPACE
IMPORT_GRAPH_PREFIX = GRAPH + "import/"
IMPORTS_FOLDER = "imports"
"""Folder of the store holding each import's triples, re-loaded by ``hrgraph build``."""
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


# --- reading tables ------------------------------------------------------------------------


def read_table(path: Path) -> tuple[list[str], Iterator[tuple[int, list[Cell]]]]:
    """The header and the data rows (with their 1-based row numbers as a spreadsheet shows
    them) of a CSV or XLSX file; blank rows are dropped."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx(path)
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


def _read_xlsx(path: Path) -> tuple[list[str], Iterator[tuple[int, list[Cell]]]]:
    # A bounded, streaming reader with safe XML (no DTD, no entities): see importers/xlsx.py.
    from hrgraph.build.importers.xlsx import read_xlsx

    return read_xlsx(path)


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
    1899-12-30; a fraction is the time of day, dropped), ``YYYY-MM-DD`` (also with a time, as
    ``2014-11-02 00:00:00``), ``DD/MM/YYYY``, ``2 Dec 2003`` or ``December 2, 2003``;
    ``ValueError`` otherwise.

    >>> parse_date(40221), parse_date("40221"), parse_date("12 Feb 2010"), parse_date("12/02/2010")
    (datetime.date(2010, 2, 12), datetime.date(2010, 2, 12), datetime.date(2010, 2, 12), datetime.date(2010, 2, 12))
    """  # noqa: E501
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float):
        return _serial(float(value))
    cleaned = text(value)
    if re.fullmatch(r"\d{4,5}(\.\d+)?", cleaned):
        return _serial(float(cleaned))
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


def _serial(number: float) -> date:
    if not 1 <= number < 2_958_466:
        raise ValueError(f"{number:g} is not a spreadsheet date")
    return _EXCEL_EPOCH + timedelta(days=int(number))


def slug(value: str) -> str:
    """An IRI segment: lower case ASCII letters, digits and hyphens.

    >>> slug("A/HRC/WG.6/7/KAZ/1"), slug("97.1"), slug("Women's rights")
    ('a-hrc-wg-6-7-kaz-1', '97-1', 'women-s-rights')
    """
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def digest(*parts: str) -> str:
    """A short stable key for rows without a natural identifier."""
    joined = "\x1f".join(re.sub(r"\s+", " ", part).strip().casefold() for part in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


# --- mappings (data/mappings/) --------------------------------------------------------------


def _name_key(name: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9()]+", " ", ascii_text.casefold()).strip()


class StateIndex:
    """State names (and aliases) to ISO 3166-1 alpha-3 codes, from ``data/mappings/states.csv``."""

    def __init__(self, codes: Mapping[str, str]) -> None:
        self._codes = {_name_key(name): code.upper() for name, code in codes.items()}
        self._known = set(self._codes.values())

    @classmethod
    def load(cls, path: Path) -> StateIndex:
        return cls(_read_mapping_csv(path, "name", "iso3"))

    def code(self, name: str) -> str:
        """The alpha-3 code of a State named or coded ``name``; :class:`RowError` if unknown."""
        cleaned = re.sub(r"[\d,*]+$", "", text(name)).strip()  # footnote markers
        if re.fullmatch(r"[A-Za-z]{3}", cleaned) and cleaned.upper() in self._known:
            return cleaned.upper()
        code = self._codes.get(_name_key(cleaned))
        if code is None:
            raise RowError(
                f"unknown State {cleaned!r} (add it to data/mappings/states.csv with its ISO code)"
            )
        return code


def _read_mapping_csv(path: Path, key: str, value: str) -> dict[str, str]:
    try:
        lines = [
            line
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        ]
    except OSError as error:
        raise ImportFailed(f"the mapping {path.name} cannot be read: {error.strerror}") from None
    rows = list(csv.DictReader(lines))
    if not rows or key not in rows[0] or value not in rows[0]:
        raise ImportFailed(f"the mapping {path.name} needs the columns {key!r} and {value!r}")
    return {row[key].strip(): row[value].strip() for row in rows if row[key] and row[value]}


@dataclass(frozen=True)
class Theme:
    concept: ox.NamedNode
    label: str
    rights: tuple[ox.NamedNode, ...]


class ThemeMapping:
    """Theme and issue names (any label, case-insensitive) to their concept and mapped rights,
    from ``data/mappings/themes.ttl``."""

    MATCHES = ("exactMatch", "closeMatch", "broadMatch")

    def __init__(self, themes: Mapping[str, Theme]) -> None:
        self._themes = dict(themes)

    @classmethod
    def load(cls, path: Path) -> ThemeMapping:
        try:
            quads = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
        except (OSError, SyntaxError) as error:
            raise ImportFailed(f"the mapping {path.name} cannot be read: {error}") from None
        labels: dict[ox.NamedNode, list[str]] = {}
        preferred: dict[ox.NamedNode, str] = {}
        rights: dict[ox.NamedNode, list[ox.NamedNode]] = {}
        label_properties = {SKOS + name for name in ("prefLabel", "altLabel", "hiddenLabel")}
        match_properties = {SKOS + name for name in cls.MATCHES}
        for quad in quads:
            subject, predicate, value = quad.subject, quad.predicate.value, quad.object
            if not isinstance(subject, ox.NamedNode):
                continue
            if predicate in label_properties and isinstance(value, ox.Literal):
                labels.setdefault(subject, []).append(value.value)
                if predicate.endswith("prefLabel"):
                    preferred[subject] = value.value
            elif predicate in match_properties and isinstance(value, ox.NamedNode):
                rights.setdefault(subject, []).append(value)
        themes: dict[str, Theme] = {}
        for concept, names in labels.items():
            theme = Theme(
                concept,
                preferred.get(concept, names[0]),
                tuple(sorted(rights.get(concept, []), key=lambda n: n.value)),
            )
            scheme = "upr-info" if "/theme/upr-info/" in concept.value else "uhri"
            for name in names:
                themes[_theme_key(scheme, name)] = theme
        return cls(themes)

    def find(self, scheme: str, name: str) -> Theme | None:
        """The theme of ``scheme`` (``uhri`` or ``upr-info``) with this label, if mapped."""
        return self._themes.get(_theme_key(scheme, name))


def _theme_key(scheme: str, name: str) -> str:
    return scheme + ":" + _name_key(name.replace("&", "and"))


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
    return ox.NamedNode(f"{IMPORT_GRAPH_PREFIX}{kind}/{slug(stem)}")


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


# --- bundled data: an import written as the project's own Turtle ---------------------------

GENERATED_MARK = "# Generated by `hrgraph import"
"""First line of a data file written by ``hrgraph import ... --output``: such files are the
importers' output (``make data``) and never count as curated data."""


def is_generated(path: Path) -> bool:
    """Whether ``path`` is a data file that ``hrgraph import --output`` wrote."""
    try:
        with path.open(encoding="utf-8") as handle:
            return handle.readline().startswith(GENERATED_MARK)
    except OSError:
        return False


def curated_subjects(settings: Settings) -> frozenset[str]:
    """IRIs labelled in the curated files of ``data/`` (not in the importers' own output): what
    an import written to ``data/`` links to and never relabels. Read from the files, not from a
    store, so that ``make data`` gives the same output whether or not a store was built."""
    subjects: set[str] = set()
    label = ox.NamedNode(RDFS + "label")
    for path in sorted(settings.data_dir.glob("*.ttl")):
        if is_generated(path):
            continue
        try:
            for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
                if triple.predicate == label and isinstance(triple.subject, ox.NamedNode):
                    subjects.add(triple.subject.value)
        except (OSError, SyntaxError) as error:
            raise ImportFailed(f"{path}: cannot be read: {error}") from None
    return frozenset(subjects)


def output_graph(output: Path) -> ox.NamedNode:
    """The named graph a bundled file is built into (as
    :func:`hrgraph.build.pipeline.discover_sources`)."""
    return ox.NamedNode(f"{GRAPH}data/{output.stem}")


def describe_output(
    graph: ox.NamedNode,
    source: ox.NamedNode,
    kind: str,
    inputs: Sequence[tuple[Path, str]],
) -> Triples:
    """The bundled file described in itself, without a wall-clock time so that running
    ``make data`` twice on the same inputs writes the same bytes: the inputs' names and sha256."""
    # The build types every data file's graph as a void:Dataset in its own record already.
    triples: Triples = [
        (graph, ox.NamedNode(DCTERMS + "creator"), literal(f"hrgraph import {kind}")),
        (source, RDF_TYPE, hrg("Source")),
        (source, ox.NamedNode(DCTERMS + "isPartOf"), graph),
    ]
    names = ", ".join(f"{path.name} (sha256 {checksum[:12]})" for path, checksum in inputs)
    triples.append((source, LABEL, literal(f"{kind} export: {names}", "en")))
    for path, checksum in inputs:
        triples.append((graph, ox.NamedNode(DCTERMS + "source"), literal(path.name)))
        triples.append((graph, ox.NamedNode(SPDX + "checksumValue"), literal(f"sha256:{checksum}")))
    return triples


def write_output(
    output: Path,
    kind: str,
    inputs: Sequence[tuple[Path, str]],
    triples: Triples,
    summary: ImportSummary,
    comment: Sequence[str] = (),
) -> None:
    """Write ``triples`` as sorted Turtle with the project's prefixes to ``output``, atomically
    (a failure leaves the previous file); the header says it is generated and from what."""
    from hrgraph.publish.export import _prefixes

    unique = sorted(set(triples), key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
    summary.triples = len(unique)
    header = [
        f"{GENERATED_MARK} {kind}` (make data); do not edit: change the importer or its inputs.",
        *(f"# Input: {path.name}, sha256 {checksum}" for path, checksum in inputs),
        *(f"# {line}" if line else "#" for line in comment),
        "",
    ]
    prefixes = {k: v for k, v in _prefixes().items() if v.startswith("http")}
    for term in {t for s, _p, o in unique for t in (s, o) if isinstance(t, ox.NamedNode)}:
        # one prefix per first path segment of the project's IRIs (state:, treaty:, action: ...)
        first = term.value[len(ID) :].split("/", 1)[0] if term.value.startswith(ID) else ""
        if re.fullmatch(r"[a-z][a-z-]*[a-z]", first) and first not in prefixes:
            prefixes[first] = f"{ID}{first}/"
    body = ox.serialize(
        (ox.Triple(s, p, o) for s, p, o in unique),
        format=ox.RdfFormat.TURTLE,
        prefixes=dict(sorted(prefixes.items())),
    )
    assert body is not None
    temporary = output.with_name(f".{output.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes("\n".join(header).encode("utf-8") + b"\n" + body)
        temporary.replace(output)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise ImportFailed(f"{output}: cannot be written: {error.strerror}") from None


# --- applying an import ----------------------------------------------------------------------


def imports_dir(store_path: Path) -> Path:
    return store_path / IMPORTS_FOLDER


def saved_imports(store_path: Path | None) -> list[tuple[Path, ox.NamedNode]]:
    """Each saved import (its N-Triples file and graph), in a fixed order, for the build."""
    if store_path is None or not imports_dir(store_path).is_dir():
        return []
    found = []
    for path in sorted(imports_dir(store_path).glob("*/*.nt")):
        if path.name.startswith("."):
            continue  # staged for a generation not yet published (hrgraph.store.local)
        found.append((path, ox.NamedNode(f"{IMPORT_GRAPH_PREFIX}{path.parent.name}/{path.stem}")))
    return found


def known_subjects(settings: Settings) -> frozenset[str]:
    """IRIs already labelled in the curated data: an import links to them, never relabels them."""
    from hrgraph.store.local import GraphStore, StoreError

    assert settings.store_path is not None
    try:
        store = GraphStore.open_read_only(StoreLocation(settings.store_path))
    except StoreError as error:
        raise ImportFailed(f"{error}; build the store before importing") from None
    rows = store.query(
        f"""SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s <{RDFS}label> ?l }}
        FILTER (!STRSTARTS(STR(?g), "{IMPORT_GRAPH_PREFIX}")) }}"""
    )
    assert isinstance(rows, ox.QuerySolutions)
    subjects = frozenset(row["s"].value for row in rows)
    store.close()
    return subjects


def apply_import(
    settings: Settings, kind: str, graph: ox.NamedNode, triples: Triples, summary: ImportSummary
) -> None:
    """Replace the import graph with ``triples`` in a new store generation and save the triples
    for the build; on any failure neither the store nor the saved imports change."""
    from hrgraph.build.writes import StoreWriter, WriteRefused

    assert settings.store_path is not None
    folder = imports_dir(settings.store_path) / kind
    target = folder / f"{graph.value.rsplit('/', 1)[1]}.nt"
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{target.name}.{os.getpid()}.tmp"
    unique = list(dict.fromkeys(triples))
    summary.triples = len(unique)
    with temporary.open("wb") as handle:
        ox.serialize(
            (ox.Triple(s, p, o) for s, p, o in unique), handle, format=ox.RdfFormat.N_TRIPLES
        )

    def apply(store: ox.Store) -> None:
        # The generation is a private copy that is discarded on any failure, so the fast,
        # non-transactional bulk loader is safe here; atomicity comes from the publish.
        if graph not in store.named_graphs():
            store.bulk_load(path=str(temporary), format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
            return
        # A re-import mostly restates the same triples: apply the difference, far cheaper than
        # dropping and reloading a large graph.
        old = {
            (q.subject, q.predicate, q.object)
            for q in store.quads_for_pattern(None, None, None, graph)
        }
        new = set(unique)
        gone = old - new
        if len(gone) > len(old) // 2:
            store.remove_graph(graph)
            store.bulk_load(path=str(temporary), format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
            return
        for s, p, o in gone:
            store.remove(ox.Quad(s, p, o, graph))
        store.bulk_extend(ox.Quad(s, p, o, graph) for s, p, o in new - old)

    # Not in the write log: the saved .nt file is what the build loads again.
    writer = StoreWriter(StoreLocation(settings.store_path), Limits(), journal=False)
    try:
        result = writer.apply_with_files(apply, staged=[(temporary, target)])
    except WriteRefused as error:
        temporary.unlink(missing_ok=True)
        raise ImportFailed(str(error)) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    summary.generation = result.generation


__all__ = [
    "ImportFailed",
    "ImportSummary",
    "RowError",
    "SkippedRow",
    "StateIndex",
    "ThemeMapping",
    "multi",
    "parse_date",
    "read_table",
    "resolve_columns",
    "saved_imports",
    "slug",
    "text",
]
