"""Rendering query results: SPARQL 1.1 result formats (JSON, XML, CSV, TSV), RDF syntaxes for
graphs, and an aligned text table for people at a terminal."""

from __future__ import annotations

import re
from collections.abc import Mapping

import pyoxigraph as ox

from hrgraph.store import QueryResult, Term
from hrgraph.vocab import PREFIXES

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
