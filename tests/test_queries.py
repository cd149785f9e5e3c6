"""Named queries: grlc headers, typed parameters, safe binding, and every bundled query."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from hrgraph.query.execution import run_query
from hrgraph.rdf.vocab import ID
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


INLINED = (
    HEADER + "SELECT ?x ?state ?s WHERE {\n"
    "  BIND (COALESCE(?__state_iri, <http://e/kaz>) AS ?state)\n"
    "  ?x <http://e/of> ?state .\n"
    "  OPTIONAL { ?x <http://e/kind> ?k FILTER (?k = ?__kind) }\n"
    "  { ?y <http://e/of> ?state BIND (?state AS ?s) }\n"
    "  UNION { ?z <http://e/of> ?state FILTER (BOUND(?state)) }\n"
    "  { SELECT ?state WHERE { ?w <http://e/of> ?state } }\n"
    "  FILTER (COALESCE(?__kind, \"\") IN (\"\", ?k)) # ?state\n"
    "}"
)  # fmt: skip


def test_bound_values_are_also_written_where_the_answers_stay_the_same(tmp_path: Path) -> None:
    """The parameter and its COALESCE alias are written as terms in the WHERE clause's patterns,
    an OPTIONAL's condition and a UNION branch that binds the alias itself; not in a branch that
    asks BOUND(?state) (the branch alone would then bind nothing), a sub-SELECT, the projection,
    after AS, or a comment. A literal goes only into expressions, serialised as one term."""
    query = load_query(write(tmp_path, INLINED))
    hostile = 'x") || true || ("'
    assert query.bind({"state": "http://e/pol", "kind": hostile}) == (
        HEADER + "SELECT ?x ?state ?s WHERE { VALUES (?__state_iri ?__kind) "
        '{ (<http://e/pol> "x\\") || true || (\\"") }\n'
        "  BIND (COALESCE( <http://e/pol> , <http://e/kaz>) AS ?state)\n"
        "  ?x <http://e/of>  <http://e/pol>  .\n"
        '  OPTIONAL { ?x <http://e/kind> ?k FILTER (?k =  "x\\") || true || (\\"" ) }\n'
        "  { ?y <http://e/of>  <http://e/pol>  BIND ( <http://e/pol>  AS ?s) }\n"
        "  UNION { ?z <http://e/of> ?state FILTER (BOUND(?state)) }\n"
        "  { SELECT ?state WHERE { ?w <http://e/of> ?state } }\n"
        '  FILTER (COALESCE( "x\\") || true || (\\"" , "") IN ("", ?k)) # ?state\n'
        "}"
    )


def _answers(store: GraphStore, text: str) -> list[str]:
    """A query's solutions, each as its sorted bound (variable, term) pairs, sorted."""
    result = run_query(store, text, Limits())
    assert isinstance(result, ox.QuerySolutions)
    return sorted(
        str(sorted((k.value, str(r[k])) for k in result.variables if r[k] is not None))
        for r in result
    )


def test_written_values_give_the_answers_of_the_values_block(tmp_path: Path) -> None:
    e = "http://e/"
    store = GraphStore.in_memory()
    facts = [("a", "of", "pol"), ("b", "of", "kaz"), ("c", "of", "pol"), ("w", "of", "pol")]
    store.add_triples(
        ox.NamedNode(e + "g"),
        [ox.Triple(ox.NamedNode(e + s), ox.NamedNode(e + p), ox.NamedNode(e + o))
         for s, p, o in facts]
        + [ox.Triple(ox.NamedNode(e + "a"), ox.NamedNode(e + "kind"), ox.Literal("x"))],
    )  # fmt: skip
    query = load_query(write(tmp_path, INLINED))
    cases = [({"state": e + "pol"}, 54), ({"state": e + "pol", "kind": "x"}, 18)]
    for values, rows in [*cases, ({"kind": 'x") || ("'}, 0)]:
        terms = query.substitutions(values)
        header = " ".join(f"?{v.value}" for v in terms)
        row = " ".join(str(t) for t in terms.values())
        plain = INLINED.replace("WHERE {", f"WHERE {{ VALUES ({header}) {{ ({row}) }}", 1)
        bound = query.bind(values)
        assert bound != plain
        answers = [_answers(store, text) for text in (bound, plain)]
        assert answers[0] == answers[1], values
        assert len(answers[0]) == rows, values


def test_provisions_in_conflict_narrowed_to_a_state(project_root: Path, store: GraphStore) -> None:
    """`state` keeps that State's acts and the recommendations addressed to it: on the bundled
    data, whose provisions and recommendations are Kazakhstan's, Kazakhstan's answer is the whole
    answer, and another State has none."""
    query = load_queries(project_root / "queries")["provisions-in-conflict"]

    def rows(values: dict[str, str]) -> list[tuple[str, ...]]:
        result = run_query(store, query.bind(values), Limits())
        assert isinstance(result, ox.QuerySolutions)
        names = [v.value for v in result.variables]
        return sorted(tuple(" ".join(sorted(str(r[n]).split())) for n in names) for r in result)

    everything = rows({})
    assert everything
    assert rows({"state": ID + "state/kaz"}) == everything
    assert rows({"state": ID + "state/pol"}) == []


@pytest.mark.parametrize(
    ("where", "facts"),
    [  # each once diverged: the written term changed what MINUS, VALUES or a GRAPH group saw
        ("{ ?s <http://e/q> ?__v_iri MINUS { ?s <http://e/r> ?__v_iri } } UNION { ?s ?p ?o }",
         [("s", "p", "o"), ("s", "q", "c"), ("s", "r", "d")]),
        ("{ ?s <http://e/p> ?__v_iri FILTER NOT EXISTS { VALUES ?__v_iri { <http://e/b> } } }",
         [("s", "p", "c")]),
        ("{ ?s <http://e/p> ?__v_iri OPTIONAL { VALUES ?__v_iri { <http://e/b> } } }",
         [("s", "p", "c")]),
        ("GRAPH ?__v_iri { ?s <http://e/p> ?o BIND (?__v_iri AS ?w) }", [("s", "p", "o")]),
        ("GRAPH ?__v_iri { ?s <http://e/p> ?o FILTER (?o != ?__v_iri) }", [("s", "p", "o")]),
        ("{ ?s <http://e/p> trueOPTIONAL { ?s <http://e/q> ?__v_iri } BIND (?__v_iri AS ?y) }",
         [("s", "q", "d")]),
    ],
)  # fmt: skip
def test_a_written_value_never_changes_what_a_nested_group_sees(
    tmp_path: Path, where: str, facts: list[tuple[str, str, str]]
) -> None:
    e = "http://e/"
    store = GraphStore.in_memory()
    store.add_triples(
        ox.NamedNode(e + "c"),
        [ox.Triple(ox.NamedNode(e + s), ox.NamedNode(e + p), ox.NamedNode(e + o))
         for s, p, o in facts]
        + [ox.Triple(ox.NamedNode(e + "s"), ox.NamedNode(e + "p"), ox.Literal(True))],
    )  # fmt: skip
    query = load_query(write(tmp_path, f"{HEADER}SELECT * WHERE {{ {where} }}"))
    bound = query.bind({"v": e + "c"})
    plain = f"SELECT * WHERE {{ VALUES (?__v_iri) {{ (<{e}c>) }} {where} }}"
    assert _answers(store, bound) == _answers(store, plain)
