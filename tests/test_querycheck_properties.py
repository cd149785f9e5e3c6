"""The checker reads a query exactly as the engine does (issue 14): property tests.

Queries are generated with IRIs, prefixed names and strings in every escape form (``\\u``,
``\\U``, ``\\``-escapes, ``%XX``), comments and strings in every gap between tokens, ``<`` as an
operator next to strings holding ``>``, and SERVICE / LOAD either real (in an escaped IRI) or
only quoted inside strings, comments and IRIs. The engine is the oracle: pyoxigraph runs every
generated text on an in-memory store and a local HTTP server records what it calls out to.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hrgraph.settings import Limits
from hrgraph.sparql.querycheck import QueryRejected, check_sparql, scan

NS = "http://e.example/ns/"
SETTINGS = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class Recorder(BaseHTTPRequestHandler):
    """Answers SERVICE with one empty solution and LOAD with one triple; counts the calls."""

    calls: list[str]

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.server.calls.append(self.path)  # type: ignore[attr-defined]
        if self.path.endswith(".ttl"):
            body, media = b"<http://e.example/a> <http://e.example/b> 1 .\n", "text/turtle"
        else:
            body = b'{"head":{"vars":[]},"results":{"bindings":[{}]}}'
            media = "application/sparql-results+json"
        self.send_response(200)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = _answer
    do_POST = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def endpoint() -> Iterator[tuple[str, list[str]]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    server.calls = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/", server.calls  # type: ignore[attr-defined]
    server.shutdown()
    server.server_close()


# --- escape forms ---------------------------------------------------------------------------


def _escape(char: str, how: int) -> str:
    return {0: char, 1: f"\\u{ord(char):04X}", 2: f"\\U{ord(char):08X}"}[how]


@st.composite
def escaped_iri(draw: st.DrawFn, iri: str) -> str:
    """``<iri>`` with each character written as itself, ``\\uXXXX`` or ``\\UXXXXXXXX``."""
    hows = draw(st.lists(st.integers(0, 2), min_size=len(iri), max_size=len(iri)))
    return "<" + "".join(_escape(c, h) for c, h in zip(iri, hows, strict=True)) + ">"


LOCAL_PIECES = st.sampled_from(
    [
        "a",
        "Z",
        "0",
        "_",
        "-",
        "é",
        "\\(",
        "\\)",
        "\\'",
        "\\~",
        "\\.",
        "\\!",
        "\\,",
        "\\;",
        "\\=",
        "\\/",
        "\\?",
        "\\@",
        "%41",
        "%7e",
        ".",
        ":",
        "\\&",
        "\\*",
    ]
)


@st.composite
def prefixed_name(draw: st.DrawFn) -> tuple[str, str]:
    """A prefixed name ``p:local`` in escape forms, and the IRI the engine makes of it."""
    middle = draw(st.lists(LOCAL_PIECES, max_size=6))
    middle += draw(st.sampled_from([[], ["\\#"], ["\\#", "a", "\\?"]]))
    local = "x" + "".join(middle) + "y"
    iri_local = "".join(p[1] if p.startswith("\\") else p for p in ["x", *middle, "y"])
    return f"p:{local}", NS + iri_local


IRI_TEXT = st.lists(
    st.sampled_from([*list("abcXYZ019-._~:/@!$&'()*+,;=é"), "%41", "%7e"]), max_size=10
).map("".join)


@st.composite
def iri_term(draw: st.DrawFn) -> tuple[str, str]:
    tail = draw(IRI_TEXT)
    fragment = draw(st.sampled_from(["", "#", "#a", "#x?y"]))
    iri = "http://e.example/" + tail + fragment
    return draw(escaped_iri(iri)), iri


def term() -> st.SearchStrategy[tuple[str, str]]:
    return st.one_of(iri_term(), prefixed_name())


# Text that would change the reading if a checker mistook where a string, comment or IRI ends.
TRICKY = ["SERVICE <{svc}> { }", "LOAD <{svc}x.ttl>", "}", "{", "#", ">", "<", "(", ")"]
TRICKY += ["'", '"', "\\u0022", "\\u0027", "\\u005C", "\\\\", "\\u003E", " ", "x"]


@st.composite
def string_literal(draw: st.DrawFn, svc: str) -> str:
    """A string in one of the four quote forms, holding tricky text with valid escapes."""
    quote = draw(st.sampled_from(["'", '"', "'''", '"""']))
    pieces = draw(st.lists(st.sampled_from(TRICKY), max_size=6))
    body = "".join(p.replace("{svc}", svc).replace("'", "\\'").replace('"', '\\"') for p in pieces)
    return quote + body + quote


@st.composite
def gap(draw: st.DrawFn, svc: str) -> str:
    """What may stand between two tokens: white space or a comment with tricky text."""
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return " "
    if kind == 1:
        return draw(st.sampled_from(["\n", "\t", "\r\n", "  "]))
    pieces = draw(st.lists(st.sampled_from(TRICKY), max_size=4))
    return (
        " #"
        + "".join(p.replace("{svc}", svc) for p in pieces)
        + draw(st.sampled_from(["\n", "\r"]))
    )


@st.composite
def query_with_terms(draw: st.DrawFn, svc: str) -> tuple[str, list[str], bool]:
    """A SELECT binding each generated term to a variable, strings and comments around, maybe a
    real SERVICE to ``svc`` in an escaped IRI; the IRIs in order, and whether SERVICE is real."""
    terms = draw(st.lists(term(), min_size=1, max_size=4))
    service = draw(st.booleans())
    g = lambda: draw(gap(svc))  # noqa: E731
    parts = [f"PREFIX p:{g()}<{NS}>{g()}SELECT{g()}*{g()}WHERE{g()}{{"]
    for number, (written, _) in enumerate(terms):
        literal = draw(string_literal(svc))
        sigil = draw(st.sampled_from("?$"))
        parts.append(f"{g()}BIND({g()}{written}{g()}AS{g()}{sigil}v{number}){g()}")
        # '<' right after an operand is less-than, even when the string holds '>'
        parts.append(f"FILTER(true||?v{number}<{draw(st.sampled_from(['', ' ']))}{literal}){g()}")
    if service:
        keyword = draw(st.sampled_from(["SERVICE", "service", "SeRvIcE"]))
        silent = draw(st.sampled_from(["", "SILENT", "silent"]))
        silent += g() if silent else ""
        parts.append(f"{keyword}{g()}{silent}{draw(escaped_iri(svc))}{g()}{{{g()}}}")
    parts.append(f"{g()}}}{g()}")
    return "".join(parts), [iri for _, iri in terms], service


def engine_iris(query: str) -> list[str]:
    solutions = ox.Store().query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    rows = list(solutions)
    assert len(rows) == 1
    names = sorted((v.value for v in solutions.variables), key=lambda n: int(n[1:]))
    return [rows[0][name].value for name in names]


def checker_iris(query: str) -> list[str]:
    """The IRIs the checker read, prefixed names expanded (the PREFIX's own IRI left out)."""
    found = []
    tokens = scan(query).tokens
    for kind, value in tokens[3:]:
        if kind == "iri":
            found.append(value)
        elif kind == "pname":
            local = value.split(":", 1)[1]
            found.append(NS + "".join(c for i, c in enumerate(local) if not _escaped(local, i)))
    return found


def _escaped(local: str, index: int) -> bool:
    """Whether ``local[index]`` is the backslash of a ``\\``-escape."""
    return local[index] == "\\" and (index == 0 or not _escaped(local, index - 1))


@SETTINGS
@given(data=st.data())
def test_checker_and_engine_read_the_same_iris_and_services(
    data: st.DataObject, endpoint: tuple[str, list[str]]
) -> None:
    svc, calls = endpoint
    query, iris, service = data.draw(query_with_terms(svc))
    before = len(calls)
    assert engine_iris(query) == iris
    called = len(calls) > before
    assert called == service
    assert checker_iris(query) == iris + ([svc] if service else [])
    assert scan(query).form == "query"
    # A '<' glued to a string that could also be read as an IRI is refused as ambiguous (the
    # checker still reads it as the engine does: the IRIs above agree); otherwise the refusal is
    # exactly SERVICE, when the engine called out.
    refused = _refusal(query, Limits())
    if refused is not None and AMBIGUOUS in refused:
        assert _ambiguous(query)
        return
    assert not _ambiguous(query)
    if service:
        assert refused is not None
        assert refused.startswith("SERVICE")
    else:
        assert refused is None
    # the allow-listed endpoint, however it is escaped, is let through
    assert _refusal(query, Limits(), allowed=frozenset({svc})) is None


AMBIGUOUS = "could be read as less-than or as the IRI"


def _ambiguous(query: str) -> bool:
    """Whether a '<' right after ?vN starts a text that is also an IRI holding ' # \\ ( ) [ ]."""
    iri = r"<(?:[^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>"
    for match in re.finditer(r"\?v[0-9]+(" + iri + ")", query):
        if any(c in match.group(1) for c in "'#\\()[]"):
            return True
    return False


@SETTINGS
@given(data=st.data())
def test_load_is_refused_exactly_when_the_engine_would_load(
    data: st.DataObject, endpoint: tuple[str, list[str]]
) -> None:
    svc, calls = endpoint
    g = lambda: data.draw(gap(svc))  # noqa: E731
    literal = data.draw(string_literal(svc))
    load = data.draw(st.booleans())
    text = f"INSERT{g()}DATA{g()}{{{g()}<{NS}s>{g()}<{NS}p>{g()}{literal}{g()}}}{g()}"
    if load:
        target = data.draw(escaped_iri(svc + "x.ttl"))
        text += f";{g()}{data.draw(st.sampled_from(['LOAD', 'load', 'Load']))}{g()}{target}{g()}"
    before = len(calls)
    store = ox.Store()
    store.update(text)
    assert (len(calls) > before) == load
    refused = _refusal(text, Limits())
    assert (refused is not None and refused.startswith("LOAD")) == load
    assert refused is None or load
    assert scan(text).form == "update"


@SETTINGS
@given(data=st.data())
def test_from_targets_are_the_graphs_the_engine_reads(data: st.DataObject) -> None:
    graph = data.draw(st.sampled_from([f"{NS}g1", f"{NS}g2"]))
    written = data.draw(escaped_iri(graph))
    named = data.draw(st.booleans())
    g = lambda: data.draw(gap("http://127.0.0.1:9/"))  # noqa: E731
    pattern = "GRAPH ?g { ?s ?p ?o }" if named else "?s ?p ?o"
    query = f"SELECT ?o{g()}FROM{g()}{'NAMED' + g() if named else ''}{written}{g()}{{ {pattern} }}"
    store = ox.Store()
    for name in ("g1", "g2"):
        store.add(
            ox.Quad(
                ox.NamedNode(f"{NS}s"),
                ox.NamedNode(f"{NS}p"),
                ox.Literal(name),
                ox.NamedNode(f"{NS}{name}"),
            )
        )
    read = [row["o"].value for row in store.query(query)]  # type: ignore[union-attr]
    assert read == [graph.rsplit("/", 1)[1]]
    assert _refusal(query, Limits(), local=frozenset({graph})) is None
    other = f"{NS}g2" if graph.endswith("g1") else f"{NS}g1"
    refused = _refusal(query, Limits(), local=frozenset({other}))
    assert refused is not None
    assert refused.startswith(f"FROM <{graph}> is refused")


def _refusal(
    text: str,
    limits: Limits,
    *,
    allowed: frozenset[str] | None = None,
    local: frozenset[str] = frozenset(),
) -> str | None:
    try:
        check_sparql(text, limits, local_graphs=local, allowed_services=allowed)
    except QueryRejected as error:
        return str(error)
    return None


# --- token soup: the engine never calls out on a text the checker lets through ----------------

VALID = [  # group graph pattern elements, most of them hiding a SERVICE or a trap for a lexer
    "?s ?p ?o .",
    "FILTER(?o<'x>y')",
    "FILTER(?o < 'x>y')",
    "FILTER(?o<'x&&?o>?o')",
    "FILTER(?o<?p&&?p>?o)",
    "FILTER(EXISTS{ ?s ?p ?o }<'>')",
    "FILTER(!BOUND(?z))",
    "OPTIONAL { <http://x/\\u0041#> ?a ?b }",
    "OPTIONAL { <http://x/\\U00000041#> ?a ?b }",
    "OPTIONAL { ?s ?p ?o }",
    "BIND('}' AS ?z)",
    'BIND("\\u0022" AS ?y)',
    "?s ?p '''a'' SERVICE <{svc}> { }'''.",
    "?s ?p 'SERVICE <{svc}> { }' .",
    '?s ?p "\\u0022 } SERVICE <{svc}> { } \\u0022" .',
    "# SERVICE <{svc}> { }\n",
    "#\\u000A SERVICE <{svc}> { }\n",
    "SERVICE <{svc}> { }",
    "SERVICE <{svc_escaped}> { }",
    "service silent <{svc}> { }",
    "VALUES ?v { 1 }",
    "?s <http://e/p> (1 2) .",
    "MINUS { ?s ?p 1 }",
    "?s xVALUES:p* ?s .",  # prefixes named like keywords (declared by the query below)
    "?s xSELECT:p ?o .",
    "?s HAVINGx:p ?o .",
]
GARBAGE = ["?s ?p true", "SERVICE", "<{svc}>", "{ }", "{", "}", "(", ")", "'", '"', "<", ">"]
GARBAGE += ["#", "\n", "\\u0041"]
SOUP = st.one_of(
    st.sampled_from(VALID), st.sampled_from(VALID), st.sampled_from(VALID), st.sampled_from(GARBAGE)
)


@settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(pieces=st.lists(SOUP, min_size=1, max_size=8))
def test_the_engine_never_calls_out_on_a_text_the_checker_lets_through(
    pieces: list[str], endpoint: tuple[str, list[str]]
) -> None:
    svc, calls = endpoint
    escaped = "".join(f"\\u{ord(c):04X}" if c in "h.:/" else c for c in svc)
    body = " ".join(p.replace("{svc}", svc).replace("{svc_escaped}", escaped) for p in pieces)
    prefixes = "".join(f"PREFIX {name}: <http://e/> " for name in ("xVALUES", "xSELECT", "HAVINGx"))
    query = f"{prefixes}SELECT * WHERE {{ {body} }}"
    refused = _refusal(query, Limits())
    store = ox.Store()
    store.add(
        ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.NamedNode("http://e/o"))
    )
    before = len(calls)
    try:
        solutions = store.query(query)
        list(solutions)  # type: ignore[arg-type]
    except SyntaxError:
        assert refused is not None or len(calls) == before
        return
    except (OSError, RuntimeError):
        pass  # a SERVICE the engine tried and failed: it still called out, counted below
    if len(calls) > before:
        assert refused is not None
        assert refused.startswith(("SERVICE", "malformed query: syntax error"))
