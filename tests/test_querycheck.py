"""Queries and updates refused before the engine sees them (ARCHITECTURE: security invariants)."""

from __future__ import annotations

import pytest

from hrgraph.querycheck import QueryRejected, check_sparql, where_clause_start
from hrgraph.settings import Limits

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
