"""Checks a SPARQL query or update before any engine sees it (ARCHITECTURE: security invariants).

Refused: SERVICE (outbound requests), LOAD (reads a URL or a file), FROM / FROM NAMED / USING
naming a graph outside this dataset, text over the size limit and nesting over the depth limit
(a deeply nested query can crash the engine). The scan is lexical: comments, strings and IRIs
are skipped, so a keyword inside a literal or an IRI is not mistaken for an operation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hrgraph.settings import Limits

_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
  | (?P<word>[A-Za-z_](?:[A-Za-z0-9_\-]|\.(?=[A-Za-z0-9_\-]))*(?::(?:[\w\-:%]|\\.|\.(?=[\w\-:%]))*)?
             |:(?:[\w\-:%]|\\.|\.(?=[\w\-:%]))*)
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


class QueryRejected(ValueError):
    """The request is refused before execution; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Scan:
    tokens: tuple[tuple[str, str], ...]
    """Significant tokens in order: ("word", upper-cased bare word), ("pname", prefixed name),
    ("iri", IRI without brackets) or ("var", variable name without ? or $)."""
    depth: int

    @property
    def keywords(self) -> set[str]:
        return {text for kind, text in self.tokens if kind == "word"}


def scan(text: str) -> Scan:
    """The query's words, IRIs and variables in order (comments and strings skipped), and its
    deepest bracket nesting."""
    tokens: list[tuple[str, str]] = []
    depth = deepest = 0
    for match in _TOKEN.finditer(text):
        kind, value = match.lastgroup, match.group()
        if kind == "word":
            tokens.append(("pname", value) if ":" in value else ("word", value.upper()))
        elif kind == "iri":
            tokens.append(("iri", value[1:-1]))
        elif kind == "var":
            tokens.append(("var", value[1:]))
        elif kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth -= 1
    return Scan(tuple(tokens), deepest)


def check_sparql(
    text: str,
    limits: Limits,
    *,
    local_graphs: frozenset[str] = frozenset(),
    allowed_services: frozenset[str] | None = None,
) -> None:
    """Raise :class:`QueryRejected` if the query or update must not run.

    ``local_graphs`` are the graph IRIs that FROM, FROM NAMED and USING may name.
    ``allowed_services`` are the endpoint IRIs SERVICE may name (default: the limits'
    ``service_endpoints``, empty unless configured); SERVICE to anything else, to a variable or
    with SILENT to an unlisted endpoint is refused.

    >>> check_sparql("SELECT * { SERVICE <http://example.org/> { ?s ?p ?o } }", Limits())
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    hrgraph.querycheck.QueryRejected: SERVICE (federated query) is refused: ...
    >>> check_sparql("SELECT * { ?s ?p 'SERVICE' }", Limits())
    """
    size = len(text.encode("utf-8"))
    if size > limits.max_query_bytes:
        raise QueryRejected(
            f"the query is {size} bytes long; the limit is {limits.max_query_bytes}", status=413
        )
    result = scan(text)
    if result.depth > limits.max_nesting:
        raise QueryRejected(
            f"the query nests {result.depth} levels deep; the limit is {limits.max_nesting}"
        )
    allowed = frozenset(limits.service_endpoints) if allowed_services is None else allowed_services
    if "SERVICE" in result.keywords:
        _check_services(result.tokens, allowed)
    if "LOAD" in result.keywords:
        raise QueryRejected("LOAD is refused: this endpoint reads no URLs or files")
    tokens = result.tokens
    for index, (kind, word) in enumerate(tokens):
        if kind != "word" or word not in {"FROM", "USING"}:
            continue
        target = _named_after(tokens, index, "NAMED")
        if target[0] != "iri" or target[1] not in local_graphs:
            named = f" <{target[1]}>" if target[0] == "iri" else ""
            raise QueryRejected(
                f"{word}{named} is refused: it may only name a graph of this dataset "
                "(written as a full IRI); the default graph is already the union of them all"
            )


def _named_after(tokens: tuple[tuple[str, str], ...], index: int, modifier: str) -> tuple[str, str]:
    """The token a keyword at ``index`` names, past an optional modifier (NAMED, SILENT)."""
    following = [t for t in tokens[index + 1 : index + 3] if t != ("word", modifier)]
    return following[0] if following else ("", "")


def _check_services(tokens: tuple[tuple[str, str], ...], allowed: frozenset[str]) -> None:
    """Every SERVICE must name, as a full IRI, an endpoint of the allow-list."""
    if not allowed:
        raise QueryRejected(
            "SERVICE (federated query) is refused: this endpoint makes no outbound requests"
        )
    for index, (kind, word) in enumerate(tokens):
        if kind != "word" or word != "SERVICE":
            continue
        target = _named_after(tokens, index, "SILENT")
        if target[0] != "iri" or target[1] not in allowed:
            named = f" <{target[1]}>" if target[0] == "iri" else ""
            raise QueryRejected(
                f"SERVICE{named} is refused: only the configured endpoints may be named "
                f"(as full IRIs): {', '.join(sorted(allowed))}"
            )


def where_clause_start(text: str) -> int:
    """The offset just after the opening brace of a query's WHERE clause.

    That is the first top-level ``{`` after the query form's keyword, except for CONSTRUCT
    with a template, whose WHERE clause is the second. Raises ``ValueError`` if there is none.

    >>> query = "PREFIX ex: <http://example.org/> SELECT ?x WHERE { ?x ex:p 1 }"
    >>> query[where_clause_start(query):]
    ' ?x ex:p 1 }'
    """
    form: str | None = None
    depth = 0
    braces_seen = 0
    for match in _TOKEN.finditer(text):
        kind, value = match.lastgroup, match.group()
        if kind == "word" and form is None and value.upper() in _QUERY_FORMS:
            form = value.upper()
        elif kind == "word" and form == "CONSTRUCT" and depth == 0 and value.upper() == "WHERE":
            braces_seen = 1  # CONSTRUCT ... WHERE: the next brace opens the WHERE clause
        elif kind == "open" and value == "{":
            if depth == 0 and form is not None:
                braces_seen += 1
                if form != "CONSTRUCT" or braces_seen == 2:
                    return match.end()
            depth += 1
        elif kind == "close" and value == "}":
            depth -= 1
    raise ValueError("the query has no WHERE clause to bind parameters in")


_QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})


def query_form(text: str) -> str:
    """The query form, ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``, read lexically so that
    results can be negotiated before the query runs; raises ``ValueError`` for none (an update).

    >>> query_form("PREFIX ex: <http://example.org/> # SELECT in a comment\\nASK { ?s ?p ?o }")
    'ASK'
    """
    for kind, word in scan(text).tokens:
        if kind == "word" and word in _QUERY_FORMS:
            return word
    raise ValueError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE")
