"""SHACL-SPARQL shapes run as SPARQL on Oxigraph (hrgraph.validation.shaclsparql): every feature it
implements gives exactly pySHACL's results on the same data and shapes, and every feature it
does not implement is refused, so ``hrgraph validate`` falls back to pySHACL."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib
from rdflib.namespace import SH

from hrgraph.settings import Settings
from hrgraph.store.local import GraphStore
from hrgraph.validation import shaclrun, shaclsparql
from hrgraph.validation.asof import cut, merge_graphs
from hrgraph.validation.errors import ValidationInputError
from hrgraph.validation.validate import PYSHACL_ENGINE, SPARQL_ENGINE, evaluate, validate

PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
"""
KZ = "https://w3id.org/hrgraph/id/institution/kaz/"
G1 = ox.NamedNode("http://example.org/graph/1")
G2 = ox.NamedNode("http://example.org/graph/2")

Row = tuple[str, str, str, str, str, str, str]
"""(focus, shape, constraint, severity, value, path, messages)"""


def rows(report: rdflib.Graph) -> set[Row]:
    found = set()
    for result in report.objects(None, SH.result):
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        found.add(
            (
                str(report.value(result, SH.focusNode)),
                str(report.value(result, SH.sourceShape)),
                str(report.value(result, SH.sourceConstraint)),
                str(report.value(result, SH.resultSeverity)),
                str(report.value(result, SH.value)),
                str(report.value(result, SH.resultPath)),
                " | ".join(messages),
            )
        )
    return found


def both(
    data: str, shapes: str, graphs: tuple[ox.NamedNode, ...] = (G1,)
) -> tuple[set[Row], set[Row]]:
    """The results of this module (data loaded into each of ``graphs``) and of pySHACL."""
    shapes_graph = rdflib.Graph().parse(data=PREFIXES + shapes, format="turtle")
    store = GraphStore.in_memory()
    triples = list(ox.parse((PREFIXES + data).encode(), format=ox.RdfFormat.TURTLE))
    for graph in graphs:
        store.add_quads(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    compiled = shaclsparql.compile_shapes(shapes_graph)
    if compiled.needs_set_semantics:
        merge_graphs(store)
    results = shaclrun.run(
        compiled,
        lambda text, subs: store.query(text, substitutions=subs),  # type: ignore[arg-type,return-value]
    )
    ours = shaclrun.report_graph(results)[1]
    data_graph = rdflib.Graph().parse(data=PREFIXES + data, format="turtle")
    _, theirs, _ = pyshacl.validate(
        data_graph, shacl_graph=shapes_graph, inference="none", advanced=True
    )
    assert isinstance(theirs, rdflib.Graph)
    return rows(ours), rows(theirs)


DATA = """
ex:a a ex:Act ; rdfs:label "Act A"@en ; ex:article ex:a1, ex:a2 ; ex:year 2001 .
ex:b a ex:Law ; rdfs:label "Law B" ; ex:article ex:b1 .
ex:Law rdfs:subClassOf ex:Act .
ex:a1 ex:text "first" . ex:a2 ex:text "second" . ex:b1 ex:text "third" .
ex:c ex:cites ex:a .
"""


def test_values_messages_and_merged_duplicates_match_pyshacl() -> None:
    ours, theirs = both(
        DATA,
        """
        ex:ArticlesHaveNoText a sh:NodeShape ; sh:targetClass ex:Act ;
          sh:sparql ex:NoText .
        ex:NoText a sh:SPARQLConstraint ;
          sh:message "{$this} has article {?value} saying {?text} ({?missing})"@en ;
          sh:select \"\"\"SELECT $this ?value ?text WHERE {
              $this <http://example.org/article> ?value . ?value <http://example.org/text> ?text .
              ?value <http://example.org/text> ?again .
          }\"\"\" .
        """,
    )
    assert ours == theirs
    assert {(row[0], row[4], row[6]) for row in ours} == {
        (
            "http://example.org/a",
            "http://example.org/a1",
            "http://example.org/a has article http://example.org/a1 saying first ({?missing})",
        ),
        (
            "http://example.org/a",
            "http://example.org/a2",
            "http://example.org/a has article http://example.org/a2 saying second ({?missing})",
        ),
        # ex:b is an ex:Law, a subclass of ex:Act: sh:targetClass reaches it
        (
            "http://example.org/b",
            "http://example.org/b1",
            "http://example.org/b has article http://example.org/b1 saying third ({?missing})",
        ),
    }


def test_failure_path_severity_and_the_focus_as_default_value_match_pyshacl() -> None:
    ours, theirs = both(
        DATA,
        """
        ex:Checks a sh:NodeShape ; sh:severity sh:Warning ;
          sh:targetNode ex:a, ex:c ; sh:targetSubjectsOf ex:cites ; sh:targetObjectsOf ex:cites ;
          sh:message "shape says {$this}" ;
          sh:sparql ex:Failing, ex:WithPath, ex:Plain .
        ex:Failing a sh:SPARQLConstraint ; sh:message "failed" ;
          sh:select \"\"\"SELECT $this ?failure WHERE {
              $this <http://example.org/article> ?where . BIND (true AS ?failure) }\"\"\" .
        ex:WithPath a sh:SPARQLConstraint ; sh:message "cites {?value}" ;
          sh:select \"\"\"SELECT $this ?path ?value WHERE {
              $this ?path ?value FILTER (?path = <http://example.org/cites>) }\"\"\" .
        ex:Plain a sh:SPARQLConstraint ;
          sh:select \"\"\"SELECT $this WHERE { $this <http://example.org/year> ?y }\"\"\" .
        """,
    )
    assert ours == theirs
    assert sorted((row[0], row[2].rsplit("/", 1)[1], row[4], row[5]) for row in ours) == [
        ("http://example.org/a", "Failing", "http://example.org/a", "None"),  # once, not twice
        ("http://example.org/a", "Plain", "http://example.org/a", "None"),
        ("http://example.org/c", "WithPath", "http://example.org/a", "http://example.org/cites"),
    ]
    assert {row[3] for row in ours} == {str(SH.Warning)}


def test_sparql_targets_prefixes_and_deactivation_match_pyshacl() -> None:
    ours, theirs = both(
        DATA,
        """
        ex:prefixes sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/"^^xsd:anyURI ] .
        ex:Targeted a sh:NodeShape ;
          sh:target [ a sh:SPARQLTarget ; sh:prefixes ex:prefixes ;
                      sh:select "SELECT ?this WHERE { ?this ex:article ?x }" ] ;
          sh:sparql ex:Cites, ex:Off .
        ex:Cites a sh:SPARQLConstraint ; sh:prefixes ex:prefixes ; sh:message "{$this}" ;
          sh:select "SELECT $this WHERE { $this ex:article ex:b1 }" .
        ex:Off a sh:SPARQLConstraint ; sh:deactivated true ; sh:message "never" ;
          sh:select "SELECT $this WHERE { $this ?p ?o }" .
        ex:Resting a sh:NodeShape ; sh:deactivated true ; sh:targetNode ex:a ;
          sh:sparql [ a sh:SPARQLConstraint ; sh:message "never" ;
                      sh:select "SELECT $this WHERE { $this ?p ?o }" ] .
        """,
    )
    assert ours == theirs
    assert {(row[0], row[6]) for row in ours} == {("http://example.org/b", "http://example.org/b")}


def test_a_triple_in_two_graphs_counts_once_where_results_count() -> None:
    ours, theirs = both(
        DATA,
        """
        ex:FewArticles a sh:NodeShape ; sh:targetClass ex:Act ; sh:sparql [
          a sh:SPARQLConstraint ; sh:message "{?n} articles" ;
          sh:select \"\"\"SELECT $this (COUNT(?a) AS ?n) WHERE {
              $this <http://example.org/article> ?a }
            GROUP BY $this HAVING (COUNT(?a) = 2)\"\"\" ] .
        """,
        graphs=(G1, G2),
    )
    assert ours == theirs
    assert {(row[0], row[6]) for row in ours} == {("http://example.org/a", "2 articles")}


@pytest.mark.parametrize(
    ("shapes", "refused"),
    [
        (
            "ex:S a sh:NodeShape ; sh:targetClass ex:Act ; "
            "sh:property [ sh:path ex:x ; sh:minCount 1 ] .",
            "sh:property",
        ),
        ("ex:S a sh:NodeShape ; sh:targetClass ex:Act ; sh:class ex:Act .", "sh:class"),
        (
            "ex:S a sh:NodeShape ; sh:targetClass ex:Act ; sh:sparql [ sh:message 'm' ; "
            "sh:ask 'ASK { $this ?p ?o }' ] .",
            "sh:ask",
        ),
        (
            "ex:S a sh:NodeShape, rdfs:Class ; sh:sparql [ sh:message 'm' ; "
            "sh:select 'SELECT $this WHERE { $this ?p ?o }' ] .",
            "implicit class target",
        ),
        (
            "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:sparql [ "
            "sh:select 'SELECT $this WHERE { $this ?p ?o }' ] .",
            "without sh:message",
        ),
        (
            "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:sparql [ sh:message 'm' ; "
            "sh:select 'SELECT $this WHERE { $this ?p ?o FILTER (?o = $shapesGraph) }' ] .",
            "$shapesGraph",
        ),
        (
            "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:sparql [ sh:message 'm' ; "
            "sh:select 'SELECT $this WHERE { $currentShape a ?kind }' ] .",
            "$currentShape",
        ),
        (
            "ex:S a sh:NodeShape ; sh:target [ a sh:SPARQLTargetType ] ; "
            "sh:sparql [ sh:message 'm' ; sh:select 'SELECT $this WHERE { $this ?p ?o }' ] .",
            "sh:SPARQLTargetType",
        ),
    ],
)
def test_features_not_implemented_are_refused(shapes: str, refused: str) -> None:
    graph = rdflib.Graph().parse(data=PREFIXES + shapes, format="turtle")
    with pytest.raises(shaclsparql.NotCompilable, match=re.escape(refused)):
        shaclsparql.compile_shapes(graph)


BATCH_SELECT = "SELECT $this ?value WHERE { %s }"


@pytest.mark.parametrize(
    ("where", "batched"),
    [
        ("$this ex:p ?value", True),
        ("$this ex:p ?value FILTER NOT EXISTS { ?value ex:q $this }", True),
        ("FILTER NOT EXISTS { $this ex:p ?x . FILTER EXISTS { ?x ex:q $this } }", True),
        ("$this ex:p ?value BIND (STR($this) AS ?name)", True),
        ("?value ex:p ?x OPTIONAL { $this ex:q ?value }", False),
        ("{ $this ex:p ?value } UNION { ?value ex:q ?x }", False),
        ("?value ex:p ?x { FILTER (?x = $this) }", False),
        ("$this ex:p ?value } GROUP BY $this ?value", False),
        ("$this ex:p ?value } LIMIT 1", False),
        ("$this ex:p ?value FILTER (?value IN (ex:a, ex:b))", True),
    ],
)
def test_which_constraints_run_once_for_all_focus_nodes(where: str, batched: bool) -> None:
    text = "PREFIX ex: <http://example.org/>\n" + BATCH_SELECT % where
    foci = [ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/b")]
    got = shaclrun.batched(text, foci)
    if not batched:
        assert got is None
        return
    assert got == text.replace(
        "WHERE {", "WHERE { VALUES ?this { <http://example.org/a> <http://example.org/b> } ", 1
    )
    ox.Store().query(got)  # the engine reads it


def test_a_batched_constraint_gives_pyshacls_results_per_focus_node() -> None:
    data = (
        DATA
        + "ex:a1 ex:q ex:a . ex:b1 ex:q ex:a . ex:b ex:year 2001 . ex:d a ex:Act ; ex:year 1999 ."
    )
    ours, theirs = both(
        data,
        """
        ex:Batched a sh:NodeShape ; sh:targetClass ex:Act ;
          sh:sparql [ sh:message "{$this} {?value} {?name}" ; sh:select \"\"\"
            PREFIX ex: <http://example.org/>
            SELECT $this ?value ?name WHERE {
              $this ex:article ?value .
              FILTER NOT EXISTS { ?value ex:q $this }
              BIND (STR($this) AS ?name)
            }\"\"\" ] , [ sh:message "no year like the other" ; sh:select \"\"\"
            PREFIX ex: <http://example.org/>
            SELECT $this WHERE {
              FILTER NOT EXISTS { $this ex:year ?y . FILTER EXISTS { ?other ex:year ?y .
                                  FILTER (?other != $this) } }
            }\"\"\" ] .
        """,
    )
    assert ours == theirs
    assert {(row[0], row[4]) for row in ours} == {
        ("http://example.org/a", "http://example.org/a2"),  # a1 points back to ex:a
        ("http://example.org/b", "http://example.org/b1"),  # b1 points to ex:a, not ex:b
        ("http://example.org/d", "http://example.org/d"),  # the only Act of 1999
    }


def test_validate_falls_back_to_pyshacl_with_the_reason(project_root: Path, tmp_path: Path) -> None:
    shapes = tmp_path / "core.ttl"
    shapes.write_text(
        PREFIXES
        + """@prefix hrg: <https://w3id.org/hrgraph/ontology#> .
        @prefix kz: <https://w3id.org/hrgraph/id/institution/kaz/> .
        ex:Named a sh:NodeShape ; sh:targetNode kz:commissioner-for-human-rights ;
          sh:property [ sh:path rdfs:label ; sh:minCount 5 ; sh:message "few labels" ] .
        """
    )
    settings = Settings(root=project_root)
    report = validate(settings, as_of=date(2026, 11, 1), shape_files=[shapes])
    assert report.engine == f"{PYSHACL_ENGINE} (the shapes use sh:minCount, sh:path, sh:property)"
    assert [(f.focus, f.message) for f in report.findings] == [
        (f"{KZ}commissioner-for-human-rights", "few labels")
    ]
    with pytest.raises(ValidationInputError, match="cannot run as SPARQL on the store"):
        validate(settings, as_of=date(2026, 11, 1), shape_files=[shapes], engine="sparql")


def test_a_query_that_does_not_select_this_falls_back(project_root: Path, tmp_path: Path) -> None:
    """Substitution needs $this in the projection; pySHACL's pre-binding does not."""
    shapes = tmp_path / "unselected.ttl"
    shapes.write_text(
        PREFIXES
        + """@prefix hrg: <https://w3id.org/hrgraph/ontology#> .
        @prefix kz: <https://w3id.org/hrgraph/id/institution/kaz/> .
        ex:S a sh:NodeShape ; sh:targetNode kz:commissioner-for-human-rights ;
          sh:sparql [ a sh:SPARQLConstraint ;
          sh:message "labelled {?value}" ;
          sh:select \"\"\"SELECT ?value WHERE {
              $this <http://www.w3.org/2000/01/rdf-schema#label> ?value
              FILTER (LANG(?value) = 'en') }\"\"\" ] .
        """
    )
    report = validate(Settings(root=project_root), as_of=date(2026, 11, 1), shape_files=[shapes])
    assert report.engine.startswith(
        f"{PYSHACL_ENGINE} (the shapes use a query that does not select $this"
    )
    assert [(f.focus, f.message) for f in report.findings] == [
        (
            "https://w3id.org/hrgraph/id/institution/kaz/commissioner-for-human-rights",
            "labelled Commissioner for Human Rights in the Republic of Kazakhstan",
        )
    ]


def test_the_store_engine_and_pyshacl_agree_on_the_bundled_graph(store: GraphStore) -> None:
    """The store of the bundled data, cut at two dates: identical findings, fact for fact
    (tests/test_bench.py compares the findings on a third, 2009-06-01, as the benchmark does)."""
    shapes_dir = Path(__file__).resolve().parents[1] / "shapes"
    shapes = rdflib.Graph()
    for path in sorted(shapes_dir.glob("*.ttl")):
        shapes.parse(path, format="turtle")
    for day in (date(2015, 1, 1), date(2026, 11, 1)):
        work = GraphStore.in_memory()
        work.add_quads(store.quads())
        cut(work, day)
        ours = evaluate(work, shapes, day)
        theirs = evaluate(work, shapes, day, engine="pyshacl")
        assert ours.engine == SPARQL_ENGINE
        assert theirs.engine == f"{PYSHACL_ENGINE} (asked for)"
        assert ours.findings == theirs.findings, day
        assert rows(ours.results_graph) == rows(theirs.results_graph), day
        assert ours.conforms is theirs.conforms is False
