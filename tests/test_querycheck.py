"""Queries and updates refused before the engine sees them (ARCHITECTURE: security invariants)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from servers import Listener, start_server, stop

from hrgraph.settings import Limits
from hrgraph.sparql.querycheck import QueryRejected, check_sparql, scan, where_clause_start
from hrgraph.store.generations import StoreLocation
from hrgraph.store.local import GraphStore

LOCAL = frozenset({"https://w3id.org/hrgraph/graph/data/iccpr"})


@pytest.mark.parametrize(
    ("query", "status", "reason"),
    [
        ("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", 400, "SERVICE"),
        ("select * { service silent <http://127.0.0.1:9/> { ?s ?p ?o } }", 400, "SERVICE"),
        ("SELECT * {\n# comment\nSERVICE <http://127.0.0.1:9/> {}}", 400, "SERVICE"),
        ("LOAD <file:///etc/passwd>", 400, "LOAD"),
        ("load silent <http://127.0.0.1:9/x.ttl> into graph <http://e/g>", 400, "LOAD"),
        ("SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }", 400, "FROM <file:///etc/passwd>"),
        (
            "SELECT * FROM NAMED <http://127.0.0.1:9/> { ?s ?p ?o }",
            400,
            "FROM <http://127.0.0.1:9/>",
        ),
        ("PREFIX ex: <http://e/> SELECT * FROM ex:g { ?s ?p ?o }", 400, "FROM is refused"),
        ("DELETE { ?s ?p ?o } USING <http://127.0.0.1:9/> WHERE { ?s ?p ?o }", 400, "USING"),
        ("SELECT * {" + "{" * 101 + "}" * 101 + "}", 400, "nests 102 levels deep"),
        ("SELECT * { ?s ?p '" + "x" * 100_000 + "' }", 413, "the limit is 100000"),
    ],
)
def test_refused(query: str, status: int, reason: str) -> None:
    with pytest.raises(QueryRejected) as caught:
        check_sparql(query, Limits(), local_graphs=LOCAL)
    assert caught.value.status == status
    assert reason in str(caught.value)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { ?s ?p 'SERVICE <http://127.0.0.1:9/>' }",
        'SELECT * { ?s ?p """LOAD\n<file:///etc/passwd>""" }',
        "SELECT * { ?s <http://example.org/SERVICE> ?o } # LOAD <file:///x>",
        "PREFIX ex: <http://example.org/> SELECT ?service ?load { ?service ex:LOAD ?load }",
        "SELECT * FROM <https://w3id.org/hrgraph/graph/data/iccpr> { ?s ?p ?o }",
        "SELECT * FROM NAMED <https://w3id.org/hrgraph/graph/data/iccpr> { GRAPH ?g { ?s ?p ?o } }",
        "SELECT * {" + "{" * 99 + "}" * 99 + "}",
    ],
)
def test_allowed(query: str) -> None:
    check_sparql(query, Limits(), local_graphs=LOCAL)


@pytest.mark.parametrize(
    ("query", "rest"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", " ?s ?p ?o }"),
        ("ASK { ?s ?p ?o }", " ?s ?p ?o }"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p 1 }", " ?s ?p 1 }"),
        ("CONSTRUCT { ?s ?p ?o } { ?s ?p 2 }", " ?s ?p 2 }"),
        ("CONSTRUCT WHERE { ?s ?p 3 }", " ?s ?p 3 }"),
        ("PREFIX a: <x:y> SELECT * { ?s ?p '{' }", " ?s ?p '{' }"),
    ],
)
def test_where_clause_start(query: str, rest: str) -> None:
    assert query[where_clause_start(query) :] == rest


# Issue 14: the checker reads the text as the engine does (escapes, comments, strings, '<').
PORT_URL = "http://127.0.0.1:9/x"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (  # '#' inside an escaped IRI is not a comment: the SERVICE after it is seen
            "SELECT * WHERE { OPTIONAL { <http://x/\\u0041#> ?a ?b } "
            f"SERVICE <{PORT_URL}> {{ ?s ?p ?o }} }}",
            "SERVICE (federated query) is refused: this endpoint makes no outbound requests",
        ),
        (  # the same with \U and the endpoint itself escaped
            "SELECT * { <http://x/\\U00000041#> ?a ?b SERVICE <http://127.0.0.1:9/\\u0078> {} }",
            "SERVICE (federated query) is refused: this endpoint makes no outbound requests",
        ),
        (  # '<' after an operand is less-than: the string holds the '>', not an IRI
            f"SELECT * {{ FILTER(?o < 'x&&?o>?o') SERVICE <{PORT_URL}> {{}} }}",
            "SERVICE (federated query) is refused: this endpoint makes no outbound requests",
        ),
        (  # glued, the same '<' could start an IRI: refused rather than guessed
            f"SELECT * {{ FILTER(?o<'x&&?o>?o') SERVICE <{PORT_URL}> {{}} }}",
            "malformed query: syntax error at 1:21: a '<' that could be read as less-than or as "
            "the IRI <'x&&?o> (write a space after a '<' that compares); the query cannot be "
            "checked",
        ),
        (  # after EXISTS { } too, and after a function called through a glued FILTER
            f"SELECT * {{ FILTER(EXISTS{{}}<'x>y') SERVICE <{PORT_URL}> {{}} }}",
            "malformed query: syntax error at 1:",
        ),
        (
            "PREFIX FILTERex: <http://e/> "
            f"SELECT * {{ ?a ?b ?c FILTERex:f(?a<'x&&?a>?a') SERVICE <{PORT_URL}> {{}} }}",
            "malformed query: syntax error at 1:",
        ),
        (  # a prefix named like VALUES is no VALUES: FILTER's '(' still opens an expression
            "PREFIX xVALUES: <http://e/> "
            f"SELECT * {{ ?s xVALUES:p* ?s FILTER(?a<'x>'||true) SERVICE <{PORT_URL}> {{}} #')\n}}",
            "malformed query: syntax error at 1:",
        ),
        (  # keywords need no word boundary in the engine
            f"SELECT * {{ ?s ?p trueSERVICE<{PORT_URL}> {{}} }}",
            "SERVICE (federated query) is refused: this endpoint makes no outbound requests",
        ),
        (
            "PREFIX SERVICEex: <http://127.0.0.1:9/> SELECT * { SERVICEex:x {} }",
            "SERVICE is refused: 'SERVICEex:' at line 1, column 8 may be read as SERVICE",
        ),
        (  # LOAD in an update, after a string holding an escaped quote and a comment
            'INSERT DATA { <http://e/s> <http://e/p> "\\u0022 # \\"" } ; # }\n'
            "LOAD <http://127.0.0.1:9/\\u0078.ttl> INTO GRAPH <http://e/g>",
            "LOAD is refused: this endpoint reads no URLs or files",
        ),
        (  # an escaped keyword is not a keyword for the engine: refused as unreadable
            "LO\\u0041D <http://127.0.0.1:9/x.ttl>",
            "malformed update: syntax error at 1:3: the character '\\\\', which the SPARQL "
            "grammar does not allow here; the update cannot be checked",
        ),
        (
            "SELECT * FROMNAMED <http://127.0.0.1:9/> {}",
            "FROM <http://127.0.0.1:9/> is refused: it may only name a graph of this dataset",
        ),
        (  # deep nesting written with an escaped IRI in front
            "SELECT * { <http://x/\\u0041#> ?p ?o " + "{" * 5000 + "}" * 5000 + " }",
            "the query nests 5001 levels deep; the limit is 100",
        ),
        (  # braces written as escapes are not braces for the engine (a syntax error): refused
            "SELECT * { " + "\\u007B" * 5000 + " }",
            "malformed query: syntax error at 1:12: the character '\\\\', which the SPARQL "
            "grammar does not allow here; the query cannot be checked",
        ),
        (  # nesting hidden behind a '<' the old lexer took for an IRI
            "SELECT * { FILTER(?a<" + "(" * 300 + "1" + ")" * 300 + ") }",
            "the query nests 302 levels deep; the limit is 100",
        ),
        (  # brackets inside a string still count, up to five times the limit
            "SELECT * { ?s ?p '" + "(" * 600 + "' }",
            "the query nests 601 levels deep counting the brackets inside strings and IRIs too; "
            "the limit is 500",
        ),
        (  # a long chain the engine folds into a deep tree (this one crashes its parser)
            "SELECT * { ?s " + "a/" * 2000 + "a ?o }",
            "the query is 2002 levels deep once parsed (nested brackets plus chained operators "
            "and graph patterns); the limit is 500",
        ),
        (
            "SELECT * { FILTER(" + "1+" * 10000 + "1) }",
            "the query is 10004 levels deep once parsed",
        ),
        (
            "SELECT * { ?s ?p 'unterminated }",
            "malformed query: syntax error at 1:",
        ),
    ],
)
def test_smuggling_is_refused(query: str, message: str) -> None:
    with pytest.raises(QueryRejected) as caught:
        check_sparql(query, Limits(), local_graphs=LOCAL)
    assert caught.value.status == 400
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { ?s ?p '\\u0027 } SERVICE <http://127.0.0.1:9/x> { }' }",
        'SELECT * { ?s ?p "\\u0022 LOAD <file:///etc/passwd> \\u005C" }',
        "SELECT * { ?o ?p ?o FILTER(?o < 'x>y'&&?o>0) } # SERVICE <http://127.0.0.1:9/x> {}",
        "SELECT * { ?o ?p ?o FILTER(?o<?p&&?o>0) }",
        "PREFIX : <http://x/> SELECT * { ?s :p :a\\#b, :a%41, :a\\(\\) }",
        "SELECT * WHERE { << <a:a> <a:b> <a:c> >> ?p <<( <a:a> <a:b> <a:c> )>> {| <a:b> ?c |} }",
    ],
)
def test_lookalikes_are_allowed(query: str) -> None:
    check_sparql(query, Limits(), local_graphs=LOCAL)


def test_escaped_service_endpoint_matches_the_allow_list() -> None:
    query = "SELECT * { SERVICE <http://127.0.0.1:9/\\u0078> { ?s ?p ?o } }"
    check_sparql(query, Limits(), allowed_services=frozenset({PORT_URL}))


def test_scan_reports_the_form() -> None:
    assert scan("PREFIX a: <x:y> BASE <x:z> SELECT * {}").form == "query"
    assert scan("PREFIX a: <x:y> INSERT DATA {}").form == "update"


# Over HTTP, against a real server with writes on: the examples get a 400 with the reason,
# nothing is called, no worker dies.
TOKEN = "querycheck-token-7e2d"


@pytest.fixture(scope="module")
def http(tmp_path_factory: pytest.TempPathFactory, project_root: Path) -> Iterator[str]:
    path = tmp_path_factory.mktemp("querycheck") / "store"
    location = StoreLocation(path)
    generation = location.new_generation()
    store = GraphStore.create(generation)
    graph = ox.NamedNode("http://example.org/g")
    store.add_triples(graph, [ox.Triple(graph, graph, ox.Literal(1))])
    store.flush()
    store.close()
    location.publish(generation)
    url, process = start_server(
        project_root, path, "--workers", "1", env={"HRGRAPH_WRITE_TOKEN": TOKEN}, startup_s=30
    )
    yield url
    stop(process)


@pytest.mark.server
def test_smuggling_over_http_is_refused_with_its_reason(http: str) -> None:
    recorder = Listener()
    target = recorder.url + "x"
    try:
        escaped = target.replace("x", "\\u0078")
        cases = [
            (
                "SELECT * WHERE { OPTIONAL { <http://x/\\u0041#> ?a ?b } "
                f"SERVICE <{target}> {{ ?s ?p ?o }} }}",
                "SERVICE (federated query) is refused: this endpoint makes no outbound requests",
            ),
            (
                "SELECT * { <http://x/\\u0041#> ?p ?o " + "{" * 5000 + "}" * 5000 + " }",
                "the query nests 5001 levels deep; the limit is 100",
            ),
        ]
        for query, message in cases:
            response = httpx.post(f"{http}/sparql", data={"query": query}, timeout=30)
            assert response.status_code == 400, response.text
            assert message in response.json()["message"]
        update = (
            'INSERT DATA { <http://e/s> <http://e/p> "\\u0022 # \\"" } ; # }\n'
            f"LOAD <{escaped}> INTO GRAPH <http://e/g>"
        )
        response = httpx.post(
            f"{http}/update",
            content=update,
            headers={
                "content-type": "application/sparql-update",
                "authorization": f"Bearer {TOKEN}",
            },
            timeout=30,
        )
        assert response.status_code == 400, response.text
        assert "LOAD is refused: this endpoint reads no URLs or files" in response.json()["message"]
        ok = httpx.get(f"{http}/sparql", params={"query": "ASK { ?s ?p 1 }"}, timeout=30)
        assert ok.status_code == 200, ok.text
        time.sleep(0.3)  # a connection attempt in flight would have been accepted by now
        assert recorder.connections == []
    finally:
        recorder.close()
