"""Checks a SPARQL query or update before any engine sees it (docs/architecture.md,
security invariants).

Refused: SERVICE (outbound requests) except to the configured endpoints, LOAD (reads a URL or a
file), FROM / FROM NAMED / USING / USING NAMED naming a graph outside this dataset, text over the
size limit, nesting over the depth limit and a structure too deep for the engine's recursive
parser and evaluator (a deeply nested query, or a very long chain of operators, can crash it).

The decisions are made on the text as Oxigraph (pyoxigraph 0.5) reads it, not on a loose scan:
the tokens of :mod:`hrgraph.sparql.tokens`, a lexer for the SPARQL 1.1/1.2 grammar as that
engine implements it. Anything the lexer cannot read the way the engine would (an unknown
character, an unterminated string or IRI, an invalid escape, a keyword glued to something it
cannot account for) is refused with a 400 and the position, so the engine never gets a text the
check did not read.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from hrgraph.errors import BadInput
from hrgraph.settings import Limits
from hrgraph.sparql.tokens import Token, lex, position

_WATCHED = ("SERVICE", "LOAD", "FROM", "USING")
_QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})


class QueryRejected(BadInput, ValueError):
    """The request is refused before execution; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message, status=status)


@dataclass(frozen=True)
class Scan:
    tokens: tuple[tuple[str, str], ...]
    """Significant tokens in order: ("word", upper-cased bare word), ("pname", prefixed name),
    ("iri", IRI without brackets, escapes decoded) or ("var", variable name without ? or $)."""
    depth: int
    """The deepest bracket nesting ((), [], {}, <<>>), on the tokens as the engine reads them."""
    structure: int = 0
    """An upper bound of the depth of the engine's parse tree: nested brackets plus, in each,
    the chained operators and graph-pattern elements the parser folds into a left-deep tree."""
    raw_depth: int = 0
    """The nesting of bracket characters counted everywhere, strings and IRIs included: a bound
    that holds whatever the lexer decides."""
    error: str | None = None
    """Why the text cannot be read the way the engine reads it (``None``: it can)."""
    lexemes: tuple[Token, ...] = field(default=(), repr=False)

    @property
    def keywords(self) -> set[str]:
        return {text for kind, text in self.tokens if kind == "word"}

    @property
    def form(self) -> str | None:
        """``query`` or ``update``, from the first keyword after the prologue (``None``: none)."""
        index = 0
        lexemes = self.lexemes
        while index < len(lexemes):
            token = lexemes[index]
            if token.kind == "word" and token.value in {"BASE", "PREFIX", "VERSION"}:
                index += 3 if token.value == "PREFIX" else 2
                continue
            if token.kind != "word":
                return None
            return "query" if token.value.startswith(tuple(_QUERY_FORMS)) else "update"
        return None


_BRACKETS = re.compile(r"[()\[\]{}]")


def _raw_depth(text: str) -> int:
    depth = deepest = 0
    for char in _BRACKETS.findall(text):
        if char in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]}" and depth:
            depth -= 1
    return deepest


@functools.lru_cache(maxsize=16)
def scan(text: str) -> Scan:
    """The query's tokens as the engine reads them, its bracket nesting and structural depth,
    and why it cannot be read (``error``). Never raises. The last texts read are kept (a
    :class:`Scan` never changes): the service reads a query's form to negotiate its answer and
    then checks it, one reading for both.

    >>> scan("SELECT * { <http://x/\\\\u0041#> ?p 'SERVICE' }").tokens
    (('word', 'SELECT'), ('iri', 'http://x/A#'), ('var', 'p'))
    """
    lexemes, depth, structure, error = lex(text)
    significant = tuple(
        (token.kind, token.value)
        for token in lexemes
        if token.kind in {"word", "pname", "iri", "var"}
    )
    return Scan(significant, depth, structure, _raw_depth(text), error, tuple(lexemes))


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
    hrgraph.sparql.querycheck.QueryRejected: SERVICE (federated query) is refused: ...
    >>> check_sparql("SELECT * { ?s ?p 'SERVICE' }", Limits())
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limits.max_query_bytes:
        raise QueryRejected(
            f"the query is {size} bytes long; the limit is {limits.max_query_bytes}", status=413
        )
    result = scan(text)
    if result.error is not None:
        where = re.search(r" at line (\d+), column (\d+)$", result.error)
        reason = result.error[: where.start()] if where else result.error
        at = f" at {where.group(1)}:{where.group(2)}" if where else ""
        kind = "update" if result.form == "update" else "query"
        raise QueryRejected(
            f"malformed {kind}: syntax error{at}: {reason}; the {kind} cannot be checked, so it "
            "is refused (it must be read exactly as the SPARQL engine reads it)"
        )
    if result.depth > limits.max_nesting:
        raise QueryRejected(
            f"the query nests {result.depth} levels deep; the limit is {limits.max_nesting}"
        )
    bound = structure_limit(limits)
    if result.raw_depth > bound:
        raise QueryRejected(
            f"the query nests {result.raw_depth} levels deep counting the brackets inside "
            f"strings and IRIs too; the limit is {bound}"
        )
    if result.structure > bound:
        raise QueryRejected(
            f"the query is {result.structure} levels deep once parsed (nested brackets plus "
            f"chained operators and graph patterns); the limit is {bound}"
        )
    allowed = frozenset(limits.service_endpoints) if allowed_services is None else allowed_services
    lexemes = result.lexemes
    for index, token in enumerate(lexemes):
        if token.kind == "pname":
            prefix = token.value.split(":", 1)[0].upper()
            _refuse_glued(prefix, token, text)
        elif token.kind == "langtag":
            _refuse_glued(token.value, token, text)
        if token.kind != "word":
            continue
        word = token.value
        if "LOAD" in word:
            raise QueryRejected("LOAD is refused: this endpoint reads no URLs or files")
        if "SERVICE" in word:
            rest = word[word.rindex("SERVICE") + len("SERVICE") :]
            following = lexemes[index + 1 :]
            if rest == "" and following and following[0] == _word("SILENT", following[0]):
                following = following[1:]
            elif rest not in {"", "SILENT"}:
                raise QueryRejected(
                    f"SERVICE is refused: {word} at {position(text, token.start)} cannot be checked"
                )
            _check_service(following[0] if following else None, allowed)
        for name in ("FROM", "USING"):
            if name not in word:
                continue
            rest = word[word.rindex(name) + len(name) :]
            following = lexemes[index + 1 :]
            if rest == "" and following and following[0] == _word("NAMED", following[0]):
                following = following[1:]
            target = following[0] if following and rest in {"", "NAMED"} else None
            if target is None or target.kind != "iri" or target.value not in local_graphs:
                named = f" <{target.value}>" if target is not None and target.kind == "iri" else ""
                raise QueryRejected(
                    f"{name}{named} is refused: it may only name a graph of this dataset "
                    "(written as a full IRI); without FROM the default graph is their union"
                )


def structure_limit(limits: Limits) -> int:
    """How deep a parsed query may be: five times the bracket nesting limit."""
    return 5 * limits.max_nesting


def _word(value: str, token: Token) -> Token:
    return Token("word", value, token.start, token.end)


def _refuse_glued(name: str, token: Token, text: str) -> None:
    """The engine's keywords need no word boundary: a prefix name or language tag holding
    SERVICE, LOAD, FROM or USING may be read as that keyword, so it is refused."""
    for keyword in _WATCHED:
        if keyword in name:
            raise QueryRejected(
                f"{keyword} is refused: {text[token.start : token.end]!r} at "
                f"{position(text, token.start)} may be read as {keyword}"
            )


def _check_service(target: Token | None, allowed: frozenset[str]) -> None:
    """A SERVICE must name, as a full IRI, an endpoint of the allow-list."""
    if not allowed:
        raise QueryRejected(
            "SERVICE (federated query) is refused: this endpoint makes no outbound requests"
        )
    if target is None or target.kind != "iri" or target.value not in allowed:
        named = f" <{target.value}>" if target is not None and target.kind == "iri" else ""
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
    for token in scan(text).lexemes:
        kind, value = token.kind, token.value
        if kind == "word" and form is None and value in _QUERY_FORMS:
            form = value
        elif kind == "word" and form == "CONSTRUCT" and depth == 0 and value == "WHERE":
            braces_seen = 1  # CONSTRUCT ... WHERE: the next brace opens the WHERE clause
        elif kind == "open":
            if value == "{" and depth == 0 and form is not None:
                braces_seen += 1
                if form != "CONSTRUCT" or braces_seen == 2:
                    return token.end
            depth += 1
        elif kind == "close":
            depth -= 1
    raise ValueError("the query has no WHERE clause to bind parameters in")


def query_form(text: str) -> str:
    """The query form, ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``, read lexically so that
    results can be negotiated before the query runs; raises ``ValueError`` for none (an update).

    >>> query_form("PREFIX ex: <http://example.org/> # SELECT in a comment\\nASK { ?s ?p ?o }")
    'ASK'
    """
    for kind, word in scan(text).tokens:
        if kind == "word":
            for form in _QUERY_FORMS:
                if word.startswith(form):
                    return form
    raise ValueError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE")


_VOLATILE = ("NOW", "RAND", "UUID", "BNODE", "SERVICE")  # UUID also finds STRUUID


def volatile(text: str) -> bool:
    """Whether a query's answer may differ each time it runs over the same data: it calls
    ``NOW()``, ``RAND()``, ``UUID()``, ``STRUUID()`` or ``BNODE()``, or asks a remote endpoint
    (``SERVICE``). Read as the check reads the text: the names are looked for inside every run
    of letters (the engine needs no word boundary), never in strings, IRIs or comments. Such an
    answer is neither kept nor given a validator (``ETag``, ``Last-Modified``).

    >>> volatile("SELECT (nOw( ) AS ?t) {}"), volatile("SELECT ?s { ?s ?p 'NOW()' } # RAND()")
    (True, False)
    >>> volatile("SELECT * { SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o } }")
    True
    """
    return any(name in word for word in scan(text).keywords for name in _VOLATILE)
