"""The RDF dataset a query is evaluated against, as SPARQL 1.1 defines it (Query §13.2, Protocol
§2.1.4): the protocol's ``default-graph-uri`` / ``named-graph-uri`` win; otherwise the query's
``FROM`` / ``FROM NAMED``; only when neither names a graph is the default graph hrgraph's union
of every named graph. The cases follow the W3C SPARQL 1.0 dataset tests (dawg-dataset-01 ...
-12: FROM only, FROM NAMED only, both, several FROMs merged) on three graphs of one triple each,
and the same query text is checked through the store, the query path with its check, and the
CLI. Over HTTP: tests/test_clients.py (SPARQLWrapper); over a remote store:
tests/test_remote_store.py."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from hrgraph.cli.main import main
from hrgraph.query.execution import run_query
from hrgraph.settings import Limits
from hrgraph.store.local import GraphStore

EX = "http://example.org/"
G1, G2, G3 = (f"{EX}g{n}" for n in (1, 2, 3))
ALL = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s"
NAMED = "SELECT ?g ?s WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"


@pytest.fixture(scope="module")
def three() -> GraphStore:
    store = GraphStore.in_memory()
    for name in (G1, G2, G3):
        subject = ox.NamedNode(name.replace("/g", "/s"))
        store.add_triples(
            ox.NamedNode(name), [ox.Triple(subject, ox.NamedNode(f"{EX}p"), ox.Literal(name))]
        )
    return store


def rows(store: GraphStore, query: str, **dataset: list[str]) -> list[tuple[str, ...]]:
    graphs = {key: [ox.NamedNode(g) for g in value] for key, value in dataset.items()}
    result = run_query(store, query, Limits(), **graphs)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [tuple(row[name].value.removeprefix(EX) for name in names) for row in result]  # type: ignore[union-attr]


def with_dataset(query: str, clause: str) -> str:
    return query.replace(" WHERE", f" {clause} WHERE", 1)


@pytest.mark.parametrize(
    ("clause", "default", "named"),
    [
        ("", [("s1",), ("s2",), ("s3",)], [("g1", "s1"), ("g2", "s2"), ("g3", "s3")]),
        (f"FROM <{G1}>", [("s1",)], []),
        (f"FROM <{G1}> FROM <{G3}>", [("s1",), ("s3",)], []),
        (f"FROM NAMED <{G2}>", [], [("g2", "s2")]),
        (f"FROM <{G1}> FROM NAMED <{G2}> FROM NAMED <{G3}>", [("s1",)],
         [("g2", "s2"), ("g3", "s3")]),
    ],
)  # fmt: skip
def test_from_and_from_named_define_the_dataset(
    three: GraphStore,
    clause: str,
    default: list[tuple[str, ...]],
    named: list[tuple[str, ...]],
) -> None:
    assert rows(three, with_dataset(ALL, clause)) == default
    assert rows(three, with_dataset(NAMED, clause)) == named


def test_the_protocol_dataset_replaces_the_querys(three: GraphStore) -> None:
    query = with_dataset(ALL, f"FROM <{G1}>")
    assert rows(three, query, default_graphs=[G2]) == [("s2",)]
    assert rows(three, with_dataset(NAMED, f"FROM NAMED <{G1}>"), named_graphs=[G3]) == [
        ("g3", "s3")
    ]
    # named graphs given alone: the default graph is empty, not the query's FROM or the union
    assert rows(three, query, named_graphs=[G3]) == []


def test_from_is_read_as_the_engine_reads_it(three: GraphStore) -> None:
    # glued to the keyword before it (the engine needs no space) ...
    assert rows(three, f"SELECT?s FROM<{G2}>WHERE{{?s ?p ?o}}") == [("s2",)]
    # ... but not inside a string, an IRI or a comment: those leave the union
    in_a_string = f'SELECT ?s WHERE {{ ?s ?p ?o FILTER (?o != "FROM <{G1}>") }} ORDER BY ?s'
    assert rows(three, in_a_string) == [("s1",), ("s2",), ("s3",)]
    assert rows(three, "# FROM <x>\n" + ALL) == [("s1",), ("s2",), ("s3",)]


def test_the_cli_answers_with_the_querys_dataset(
    project_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store"
    assert main(["--root", str(project_root), "build", "--store", str(store), "--quiet"]) == 0
    laws = "https://w3id.org/hrgraph/graph/data/kaz-laws"
    counts = []
    for query in (
        f"SELECT (COUNT(*) AS ?n) FROM <{laws}> WHERE {{ ?s ?p ?o }}",
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{laws}> {{ ?s ?p ?o }} }}",
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    ):
        capsys.readouterr()
        assert main(["query", "--store", str(store), "-e", query, "-f", "csv"]) == 0
        counts.append(int(capsys.readouterr().out.splitlines()[1]))
    assert counts[0] == counts[1] > 100
    assert counts[2] > 10 * counts[0]  # the union is far larger
