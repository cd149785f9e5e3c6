"""Named queries: grlc headers, typed parameters, safe binding, and every bundled query."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from hrgraph.query.execution import run_query
from hrgraph.settings import Limits
from hrgraph.sparql.queries import ParameterError, QueryFileError, load_queries, load_query
from hrgraph.store.local import GraphStore

HEADER = "#+ summary: A question\n"


def write(tmp_path: Path, text: str, name: str = "q.rq") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_header_and_parameters_are_read(tmp_path: Path) -> None:
    query = load_query(
        write(
            tmp_path,
            "#+ summary: Things of a State\n#+ description: Longer text.\n#+ tags:\n#+   - a\n"
            "#+   - b\n#+ defaults:\n#+   - lang: en\n#+ enumerate:\n#+   - kind:\n"
            "#+     - x\n#+     - y\n"
            "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
            "SELECT ?x WHERE { ?x ?p ?_state_iri ; ?q ?__when_xsd_date ; ?r ?_n_integer ;"
            " ?s ?_label_en ; ?t ?_kind . ?_state_iri ?u ?__lang }",
        )
    )
    assert (query.name, query.summary, query.description, query.tags) == (
        "q", "Things of a State", "Longer text.", ("a", "b"),
    )  # fmt: skip
    assert [(p.name, p.required, p.type_label) for p in query.parameters] == [
        ("state", True, "IRI"),
        ("when", False, "xsd:date"),
        ("n", True, "xsd:integer"),
        ("label", True, "string@en"),
        ("kind", True, "string"),
        ("lang", False, "string"),
    ]
    assert dict(query.defaults) == {"lang": "en"}
    assert dict(query.enumerate) == {"kind": ("x", "y")}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("SELECT * {}", "q.rq:1: no grlc header"),
        ("#+ summary: [unclosed\nSELECT * {}", "q.rq:1: malformed header"),
        ("#+ summary: a\n#+ colour: red\nSELECT * {}", "unknown header key 'colour'"),
        ("#+ description: no summary\nSELECT * {}", "q.rq:1: the header needs a 'summary'"),
        (HEADER + "SELECT * { ?s ?p ?_x_bogus_type_here }", "cannot read the type of parameter"),
        (
            HEADER + "SELECT * { ?s ?_a_iri ?_a_integer }",
            "parameter 'a' is declared with two types",
        ),
    ],
)
def test_malformed_query_files_name_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(QueryFileError, match=r"q\.rq") as caught:
        load_query(write(tmp_path, text))
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({}, "needs parameter 'state' (IRI)"),
        ({"state": "kaz"}, "parameter 'state' must be an absolute IRI, got 'kaz'"),
        ({"state": "http://e/a> } ; DROP ALL ; <x:"}, "must be an absolute IRI"),
        ({"state": "http://e/a", "n": "1.5"}, "parameter 'n' must be an xsd:integer value"),
        ({"state": "http://e/a", "n": "1", "kind": "z"}, "'kind' must be one of x, y; got 'z'"),
    ],
)
def test_bad_parameter_values(tmp_path: Path, values: dict[str, str], message: str) -> None:
    query = load_query(
        write(
            tmp_path,
            "#+ summary: s\n#+ enumerate:\n#+   - kind:\n#+     - x\n#+     - y\n"
            "SELECT * WHERE { ?_state_iri ?p ?_n_integer . OPTIONAL { ?x ?y ?__kind } }",
        )
    )
    with pytest.raises(ParameterError) as caught:
        query.bind(values)
    assert message in str(caught.value)


def test_a_hostile_value_stays_one_literal(tmp_path: Path) -> None:
    store = GraphStore.in_memory()
    store.add_triples(
        ox.NamedNode("http://example.org/g"),
        [ox.Triple(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"),
                   ox.Literal("x"))],
    )  # fmt: skip
    query = load_query(write(tmp_path, HEADER + "SELECT ?s WHERE { ?s ?p ?_value }"))
    hostile = 'x" } UNION { ?s ?p ?any } #'
    result = run_query(store, query.bind({"value": hostile}), Limits())
    assert isinstance(result, ox.QuerySolutions)
    assert list(result) == []
    result = run_query(store, query.bind({"value": "x"}), Limits())
    assert isinstance(result, ox.QuerySolutions)
    assert [row["s"].value for row in result] == ["http://example.org/s"]


def test_every_bundled_query_loads_and_runs(project_root: Path, store: GraphStore) -> None:
    queries = load_queries(project_root / "queries")
    assert len(queries) >= 3
    samples = {"date": "2010-01-01"}
    for query in queries.values():
        assert query.summary, query.name
        assert query.description, query.name
        values = {
            p.name: samples[p.name] for p in query.parameters if p.required and p.name in samples
        }
        result = run_query(store, query.bind(values), Limits())
        assert isinstance(result, ox.QuerySolutions), query.name
        assert len(list(result)) > 0, f"{query.name} returns nothing on the bundled data"
