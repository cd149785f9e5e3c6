"""The W3C SPARQL 1.1 query-evaluation tests (``mf:QueryEvaluationTest`` in
sparql/sparql11/manifest-sparql11-query.ttl, 225 tests) run through hrgraph's query path: the
check in ``querycheck``, ``query_form`` to choose the result format, ``InProcessExecutor`` and the
serialisation in ``results``, then parsed back and compared with the expected results.

Each test's ``qt:data`` is loaded into a named graph that is passed as the only default graph
(hrgraph's default graph is otherwise the union of all named graphs) and each ``qt:graphData``
into a named graph called by the file's IRI, passed as the named graphs: the dataset the test
describes. Solutions are compared as multisets with blank nodes matched up to renaming, in order
when the query has ORDER BY; graphs are compared up to blank-node renaming (isomorphism).

The pass count may only go up (``PASSING``). Every failure is listed, with a one-line reason, in
tests/w3c-known-failures.txt; a listed test that starts passing fails this test too, so the list
stays true. SERVICE tests are refused by design (the service makes no outbound requests).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from hrgraph.query.execution import InProcessExecutor, QueryRequest
from hrgraph.settings import Limits
from hrgraph.sparql.querycheck import QueryRejected, query_form
from hrgraph.store.local import GraphStore

SPARQL11 = Path("/work/shared/w3c/sparql/sparql11")
TESTS_BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/"
"""The IRIs the manifests give their tests and files (their ``@prefix`` and relative IRIs)."""
KNOWN_FAILURES = Path(__file__).with_name("w3c-known-failures.txt")
EXPECTED_TESTS = 225
EXPECTED_SERVICE_TESTS = 7
"""The evaluation tests of manifest-sparql11-fed.ttl: all SERVICE, all refused by design."""
PASSING = 220
"""How many pass today: it may only go up."""

MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
QT = "http://www.w3.org/2001/sw/DataAccess/tests/test-query#"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
DEFAULT_GRAPH = ox.NamedNode("urn:x-hrgraph-test:default-graph")
RDF_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES,
               ".rdf": ox.RdfFormat.RDF_XML}  # fmt: skip
RESULT_FORMATS = {".srx": ox.QueryResultsFormat.XML, ".srj": ox.QueryResultsFormat.JSON,
                  ".tsv": ox.QueryResultsFormat.TSV}  # fmt: skip


@dataclass(frozen=True)
class EvaluationTest:
    iri: str
    query: str
    data: tuple[str, ...]
    graph_data: tuple[str, ...]
    result: str


def _local(iri: str) -> Path:
    assert iri.startswith(TESTS_BASE), iri
    return SPARQL11 / iri.removeprefix(TESTS_BASE)


def _manifest_store(path: Path) -> ox.Store:
    store = ox.Store()
    iri = TESTS_BASE + path.relative_to(SPARQL11).as_posix()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=iri)
    return store


def discover_tests(top_manifest: str) -> list[EvaluationTest]:
    """The query-evaluation tests of every manifest ``top_manifest`` includes."""
    top = SPARQL11 / top_manifest
    includes = _manifest_store(top).query(
        f"SELECT ?m WHERE {{ ?top <{MF}include>/<http://www.w3.org/1999/02/22-rdf-syntax-ns#rest>*"
        f"/<http://www.w3.org/1999/02/22-rdf-syntax-ns#first> ?m }}"
    )
    assert isinstance(includes, ox.QuerySolutions)
    tests = []
    for row in includes:
        manifest = row["m"]
        assert isinstance(manifest, ox.NamedNode)
        store = _manifest_store(_local(manifest.value))
        rows = store.query(
            "PREFIX mf: <" + MF + "> PREFIX qt: <" + QT + "> "
            "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
            "SELECT ?test ?query ?result "
            "(GROUP_CONCAT(DISTINCT STR(?data); SEPARATOR=' ') AS ?datas) "
            "(GROUP_CONCAT(DISTINCT STR(?graph); SEPARATOR=' ') AS ?graphs) WHERE { "
            "  ?manifest mf:entries/rdf:rest*/rdf:first ?test . "
            "  ?test a mf:QueryEvaluationTest ; mf:action ?action ; mf:result ?result . "
            "  ?action qt:query ?query . "
            "  OPTIONAL { ?action qt:data ?data } OPTIONAL { ?action qt:graphData ?graph } "
            "} GROUP BY ?test ?query ?result"
        )
        assert isinstance(rows, ox.QuerySolutions)
        for test in rows:
            values = {
                name: term.value if (term := test[name]) is not None else ""
                for name in ("test", "query", "result", "datas", "graphs")
            }
            tests.append(
                EvaluationTest(
                    iri=values["test"],
                    query=values["query"],
                    data=tuple(values["datas"].split()),
                    graph_data=tuple(values["graphs"].split()),
                    result=values["result"],
                )
            )
    return sorted(tests, key=lambda test: test.iri)


def _quads(iri: str, graph: ox.NamedNode) -> Iterator[ox.Quad]:
    path = _local(iri)
    for quad in ox.parse(path=str(path), format=RDF_FORMATS[path.suffix], base_iri=iri):
        yield ox.Quad(quad.subject, quad.predicate, quad.object, graph)


Row = Mapping[str, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]


def _match(
    expected: list[Row], actual: list[Row], ordered: bool, mapping: dict[str, str] | None = None
) -> bool:
    """Whether the rows are equal up to a consistent renaming of blank nodes (a multiset
    comparison, or a sequence one when ``ordered``), by backtracking over candidate pairs."""
    if len(expected) != len(actual):
        return False
    mapping = {} if mapping is None else mapping
    if not expected:
        return True
    first, rest = expected[0], expected[1:]
    candidates = [0] if ordered else range(len(actual))
    for index in candidates:
        extended = _unify(first, actual[index], mapping)
        if extended is not None and _match(
            rest, actual[:index] + actual[index + 1 :], ordered, extended
        ):
            return True
    return False


def _unify(expected: Row, actual: Row, mapping: dict[str, str]) -> dict[str, str] | None:
    if set(expected) != set(actual):
        return None
    mapping = dict(mapping)
    for name, term in expected.items():
        other = actual[name]
        if isinstance(term, ox.BlankNode) and isinstance(other, ox.BlankNode):
            bound = mapping.get(term.value)
            if bound is None:
                if other.value in mapping.values():
                    return None
                mapping[term.value] = other.value
            elif bound != other.value:
                return None
        elif term != other:
            return None
    return mapping


def _solutions_rows(result: ox.QuerySolutions) -> list[Row]:
    names = [variable.value for variable in result.variables]
    return [
        {name: term for name in names if (term := solution[name]) is not None}
        for solution in result
    ]


def _triples_rows(triples: list[ox.Triple]) -> list[Row]:
    return [{"s": t.subject, "p": t.predicate, "o": t.object} for t in set(triples)]


def _rdf_result_set(path: Path, iri: str) -> list[Row] | ox.QueryBoolean:
    """Solutions written in RDF with the DAWG result-set vocabulary (``rs:``)."""
    store = ox.Store()
    store.load(path=str(path), format=RDF_FORMATS[path.suffix], base_iri=iri)
    rs = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#"
    boolean = store.query(f"SELECT ?b {{ ?set <{rs}boolean> ?b }}")
    assert isinstance(boolean, ox.QuerySolutions)
    for row in boolean:
        return ox.parse_query_results(
            f'{{"head":{{}},"boolean":{row["b"].value}}}', ox.QueryResultsFormat.JSON
        )  # type: ignore[return-value]
    rows: dict[object, dict[str, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]] = {}
    solutions = store.query(
        f"SELECT ?solution ?name ?value {{ ?set <{rs}solution> ?solution "
        f"OPTIONAL {{ ?solution <{rs}binding> [ <{rs}variable> ?name ; <{rs}value> ?value ] }} }}"
    )
    assert isinstance(solutions, ox.QuerySolutions)
    for solution in solutions:
        row = rows.setdefault(solution["solution"], {})
        if solution["name"] is not None and solution["value"] is not None:
            row[solution["name"].value] = solution["value"]
    return list(rows.values())


_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)


def run_test(test: EvaluationTest) -> str | None:
    """``None`` if hrgraph answers as expected, else what went wrong (one line)."""
    store = GraphStore.in_memory()
    for data in test.data:
        store.add_quads(_quads(data, DEFAULT_GRAPH))
    for data in test.graph_data:
        store.add_quads(_quads(data, ox.NamedNode(data)))
    text = _local(test.query).read_text(encoding="utf-8")
    query = f"BASE <{test.query}>\n{text}"  # the base of a query file is its own IRI
    try:
        form = query_form(query)
    except ValueError as error:
        return f"query_form: {error}"
    fmt = "ntriples" if form in {"CONSTRUCT", "DESCRIBE"} else "json"
    request = QueryRequest(
        query, fmt, default_graphs=(DEFAULT_GRAPH.value,), named_graphs=test.graph_data
    )
    try:
        body = InProcessExecutor(store, Limits()).run(request).body
    except QueryRejected as error:
        return f"refused: {error}"
    except Exception as error:
        return f"{type(error).__name__}: {error}".splitlines()[0]
    expected_path = _local(test.result)
    if fmt == "ntriples":
        actual_triples = [q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
        expected_triples = [q.triple for q in ox.parse(
            path=str(expected_path), format=RDF_FORMATS[expected_path.suffix],
            base_iri=test.result)]  # fmt: skip
        if _match(_triples_rows(expected_triples), _triples_rows(actual_triples), False):
            return None
        return f"graph differs: {len(actual_triples)} triples, {len(expected_triples)} expected"
    actual = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
    expected = (
        _rdf_result_set(expected_path, test.result)
        if expected_path.suffix in RDF_FORMATS
        else ox.parse_query_results(
            path=str(expected_path), format=RESULT_FORMATS[expected_path.suffix]
        )
    )
    if not isinstance(expected, list) or isinstance(actual, ox.QueryBoolean):
        if bool(expected) == bool(actual) and type(expected) is type(actual):
            return None
        return f"boolean differs: {actual}, {expected} expected"
    assert isinstance(actual, ox.QuerySolutions)
    actual_rows = _solutions_rows(actual)
    expected_rows = expected if isinstance(expected, list) else _solutions_rows(expected)
    if _match(expected_rows, actual_rows, ordered=bool(_ORDER_BY.search(text))):
        return None
    return f"solutions differ: {len(actual_rows)} rows, {len(expected_rows)} expected"


def read_known_failures() -> dict[str, str]:
    """``IRI reason`` per line; blank lines and lines starting with ``#`` are ignored."""
    failures = {}
    for line in KNOWN_FAILURES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            iri, _, reason = line.partition(" ")
            assert reason.strip(), f"no reason given for {iri}"
            failures[iri] = reason.strip()
    return failures


@pytest.fixture(scope="module")
def outcomes() -> dict[str, str | None]:
    tests = discover_tests("manifest-sparql11-query.ttl")
    assert len(tests) == EXPECTED_TESTS
    federated = discover_tests("manifest-sparql11-fed.ttl")
    assert len(federated) == EXPECTED_SERVICE_TESTS
    return {test.iri: run_test(test) for test in [*tests, *federated]}


def test_all_query_evaluation_tests_ran(outcomes: dict[str, str | None]) -> None:
    assert len(outcomes) == EXPECTED_TESTS + EXPECTED_SERVICE_TESTS


def test_service_tests_are_refused_before_running(outcomes: dict[str, str | None]) -> None:
    service = {iri: problem for iri, problem in outcomes.items() if "/service/" in iri}
    assert len(service) == EXPECTED_SERVICE_TESTS
    for problem in service.values():
        assert problem is not None
        assert problem.startswith("refused: SERVICE (federated query) is refused")


def test_the_comparison_can_tell_results_apart() -> None:
    a, b, c = ox.BlankNode("a"), ox.BlankNode("b"), ox.BlankNode("c")
    one, two = ox.Literal("1"), ox.Literal("01", datatype=ox.NamedNode(XSD_INTEGER))
    assert _match([{"x": a}, {"x": b}], [{"x": c}, {"x": a}], ordered=False)
    assert not _match([{"x": a, "y": a}], [{"x": b, "y": c}], ordered=False)
    assert not _match([{"x": one}, {"x": one}], [{"x": one}], ordered=False)
    assert not _match([{"x": one}], [{"x": two}], ordered=False)
    assert not _match([{"x": one}, {"x": two}], [{"x": two}, {"x": one}], ordered=True)
    assert _match([{"x": one}, {"x": two}], [{"x": two}, {"x": one}], ordered=False)


def test_the_pass_count_only_goes_up(outcomes: dict[str, str | None]) -> None:
    passed = sum(1 for problem in outcomes.values() if problem is None)
    assert passed >= PASSING, f"{passed} pass; {PASSING} passed before"


def test_failures_are_exactly_the_known_ones(outcomes: dict[str, str | None]) -> None:
    known = read_known_failures()
    failing = {iri: problem for iri, problem in outcomes.items() if problem is not None}
    unexpected = {iri: problem for iri, problem in failing.items() if iri not in known}
    now_passing = sorted(iri for iri in known if outcomes.get(iri, "missing") is None)
    unknown = sorted(iri for iri in known if iri not in outcomes)
    assert not unexpected, f"failing, not in {KNOWN_FAILURES.name}: {unexpected}"
    assert not now_passing, f"passing now: remove from {KNOWN_FAILURES.name}: {now_passing}"
    assert not unknown, f"not tests of the query manifest: {unknown}"
