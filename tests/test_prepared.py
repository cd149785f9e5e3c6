"""The rdflib graph pySHACL validates (hrgraph.validation.prepared): a SPARQL text is parsed once,
and each call still answers for its own bindings, prefixes and the graph's statements then."""

from __future__ import annotations

import uuid

import pytest
import rdflib
from rdflib.plugins.sparql import processor

from hrgraph.validation.prepared import PreparedQueryGraph

EX = rdflib.Namespace("http://example.org/")


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts rdflib's SPARQL parser is given from here on."""
    seen: list[str] = []
    parse = processor.parseQuery

    def counting(text: str) -> object:
        seen.append(text)
        return parse(text)

    monkeypatch.setattr(processor, "parseQuery", counting)
    return seen


def _graph() -> PreparedQueryGraph:
    graph = PreparedQueryGraph()
    graph.add((EX.a, EX.p, EX.b))
    graph.add((EX.b, EX.p, EX.c))
    return graph


def _unique(text: str) -> str:
    """``text`` made new to the process-wide cache (a comment differs)."""
    return f"# {uuid.uuid4()}\n{text}"


def test_one_text_is_parsed_once_and_answers_for_each_binding(parses: list[str]) -> None:
    graph = _graph()
    text = _unique("SELECT ?o WHERE { ?this <http://example.org/p> ?o }")
    answers = [
        [row[0] for row in graph.query(text, initBindings={"this": node})]
        for node in (EX.a, EX.b, EX.c, EX.a)
    ]
    assert answers == [[EX.b], [EX.c], [], [EX.b]]
    assert parses == [text]


def test_the_graph_as_it_is_at_each_call(parses: list[str]) -> None:
    graph = _graph()
    text = _unique("ASK { <http://example.org/c> ?p ?o }")
    assert graph.query(text).askAnswer is False
    graph.add((EX.c, EX.p, EX.a))
    assert graph.query(text).askAnswer is True
    assert parses == [text]


def test_a_prefix_is_read_from_each_graph_that_runs_the_text(parses: list[str]) -> None:
    """The same text with a prefix the query does not declare: each graph's own binding."""
    text = _unique("SELECT ?o WHERE { ex:a ex:p ?o }")
    first, second = _graph(), _graph()
    first.bind("ex", "http://example.org/")
    second.bind("ex", "http://example.net/")
    second.add((rdflib.URIRef("http://example.net/a"), rdflib.URIRef("http://example.net/p"), EX.z))
    assert [row[0] for row in first.query(text)] == [EX.b]
    assert [row[0] for row in second.query(text)] == [EX.z]
    assert [row[0] for row in first.query(text)] == [EX.b]
    assert parses == [text, text]  # once for each set of prefixes


def test_a_plain_graph_parses_the_text_each_time(parses: list[str]) -> None:
    """What the class is for: rdflib alone parses the text on every call."""
    graph = rdflib.Graph()
    graph += _graph()
    text = _unique("ASK { ?s ?p ?o }")
    for _ in range(3):
        assert graph.query(text).askAnswer is True
    assert parses == [text] * 3


def test_a_query_prepared_by_the_caller_is_run_as_it_is(parses: list[str]) -> None:
    graph = _graph()
    prepared = processor.prepareQuery(_unique("ASK { ?s <http://example.org/p> ?o }"))
    parses.clear()
    assert graph.query(prepared).askAnswer is True
    assert parses == []
