"""Rendering query results: SPARQL 1.1 result formats (JSON, XML, CSV, TSV), RDF syntaxes for
graphs, and an aligned text table for people at a terminal."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping

import pyoxigraph as ox

from hrgraph.rdf.vocab import PREFIXES

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
"""What a SPARQL query answers: solutions (SELECT), a boolean (ASK) or triples (CONSTRUCT,
DESCRIBE)."""
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

SOLUTION_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
SOLUTION_MEDIA_TYPES: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
}
"""Media types for SELECT and ASK results over HTTP, in the server's order of preference (the
first is the default)."""
GRAPH_MEDIA_TYPES: dict[str, str] = {
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
}
"""Media types for CONSTRUCT and DESCRIBE results over HTTP, in the server's order of preference
(the first is the default)."""
FORMAT_IRIS: dict[str, str] = {
    "application/sparql-results+json": "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    "application/sparql-results+xml": "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    "text/csv": "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    "text/tab-separated-values": "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    "text/turtle": "http://www.w3.org/ns/formats/Turtle",
    "application/n-triples": "http://www.w3.org/ns/formats/N-Triples",
    "application/ld+json": "http://www.w3.org/ns/formats/JSON-LD",
    "application/rdf+xml": "http://www.w3.org/ns/formats/RDF_XML",
}
"""The W3C format IRIs (https://www.w3.org/ns/formats/) of the media types offered."""


def content_type(media_type: str) -> str:
    """The ``Content-Type`` header for a media type: text formats say their charset (UTF-8);
    JSON and XML types carry their encoding themselves.

    >>> content_type("text/csv"), content_type("application/sparql-results+json")
    ('text/csv; charset=utf-8', 'application/sparql-results+json')
    """
    return media_type if media_type.endswith(("json", "xml")) else f"{media_type}; charset=utf-8"


_PREFIX_DECLARATION = re.compile(r"PREFIX\s+([A-Za-z][\w\-.]*)?:\s*<([^>]*)>", re.IGNORECASE)


def serialize(result: QueryResult, fmt: str) -> bytes:
    """Serialise a result in a SPARQL results format (SELECT, ASK) or an RDF syntax (CONSTRUCT,
    DESCRIBE); raises ``ValueError`` when the format does not fit the kind of result."""
    if isinstance(result, ox.QueryTriples):
        if fmt not in GRAPH_FORMATS:
            raise ValueError(
                f"a CONSTRUCT or DESCRIBE result cannot be written as {fmt}; "
                f"use one of {', '.join(GRAPH_FORMATS)}"
            )
        return result.serialize(format=GRAPH_FORMATS[fmt]) or b""
    if fmt not in SOLUTION_FORMATS:
        raise ValueError(
            f"a SELECT or ASK result cannot be written as {fmt}; "
            f"use one of {', '.join(SOLUTION_FORMATS)}"
        )
    return result.serialize(format=SOLUTION_FORMATS[fmt]) or b""


SPREADSHEET_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (CSV injection)."""
CLI_FORMATS: dict[str, str] = {"csv": "csv", "sparql-csv": "csv"}
"""``hrgraph query --format`` names that differ from the engine's: ``csv`` is the SPARQL CSV
results format neutralised for spreadsheets (:func:`neutralise_csv`), ``sparql-csv`` the exact
W3C format (docs/http-api.md, "CSV and spreadsheets")."""


def neutralise_cell(value: str) -> str:
    r"""A cell a spreadsheet shows as text: one starting with ``=``, ``+``, ``-``, ``@``, a tab or
    a carriage return gets a leading apostrophe (OWASP's advice against CSV injection).

    >>> neutralise_cell('=HYPERLINK("http://x")'), neutralise_cell("-5"), neutralise_cell("a=b")
    ('\'=HYPERLINK("http://x")', "'-5", 'a=b')
    """
    return "'" + value if value.startswith(SPREADSHEET_TRIGGERS) else value


def neutralise_csv(data: bytes) -> bytes:
    """SPARQL CSV results (UTF-8, CRLF, RFC 4180 quoting) with every value cell passed through
    :func:`neutralise_cell`; the header (variable names) is kept. No longer the exact W3C
    format: a literal ``-5`` reads ``'-5``. Used where people open CSV in a spreadsheet."""
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    for number, row in enumerate(reader):
        writer.writerow(row if number == 0 else [neutralise_cell(cell) for cell in row])
    return out.getvalue().encode("utf-8")


def cli_output(fmt: str, data: bytes) -> bytes:
    """What ``hrgraph query --format fmt`` prints, given the result serialised in
    ``CLI_FORMATS.get(fmt, fmt)``: CSV neutralised unless ``sparql-csv`` was asked for."""
    return neutralise_csv(data) if fmt == "csv" else data


def prefixes_of(query: str) -> dict[str, str]:
    """The project's usual prefixes, overridden by those the query declares."""
    declared = {name or "": iri for name, iri in _PREFIX_DECLARATION.findall(query)}
    return {**PREFIXES, **declared}


def render_term(term: Term | None, prefixes: Mapping[str, str]) -> str:
    """A short, readable form: prefixed names where a prefix fits, literal values with their
    language tag, ``_:id`` for blank nodes, empty for unbound."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        best = max(
            ((name, iri) for name, iri in prefixes.items() if term.value.startswith(iri)),
            key=lambda item: len(item[1]),
            default=None,
        )
        if best is not None:
            local = term.value[len(best[1]) :]
            # For reading only: "/" is kept in local names (id:treaty/iccpr), unlike in Turtle.
            if re.fullmatch(r"[\w\-./]*", local) and not local.endswith("."):
                return f"{best[0]}:{local}"
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        return f"{term.value}@{term.language}" if term.language else term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


def render_table(result: QueryResult, query: str) -> str:
    """An aligned text table for SELECT, ``true``/``false`` for ASK, Turtle for graphs."""
    if isinstance(result, ox.QueryBoolean):
        return "true\n" if bool(result) else "false\n"
    if isinstance(result, ox.QueryTriples):
        return serialize(result, "turtle").decode("utf-8")
    prefixes = prefixes_of(query)
    names = [variable.value for variable in result.variables]
    rows = [
        [render_term(solution[name], prefixes).replace("\n", " ") for name in names]
        for solution in result
    ]
    widths = [max([len(name), *(len(row[i]) for row in rows)]) for i, name in enumerate(names)]
    lines = [
        "  ".join(name.ljust(width) for name, width in zip(names, widths, strict=True)).rstrip(),
        "  ".join("-" * width for width in widths),
    ]
    lines += [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"
