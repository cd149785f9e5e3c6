"""What a SHACL-SPARQL constraint can read for one focus node (hrgraph.validation.reads): the
steps walkable from the focus node and the predicates read anywhere, exactly, and ``None`` where
the module cannot say."""

from __future__ import annotations

from pathlib import Path

import pytest

from hrgraph.validation.dataset import needed_predicates
from hrgraph.validation.reads import Reads, reads
from hrgraph.validation.shaclsparql import compile_shapes
from hrgraph.validation.shapes import load_shapes

HRG = "https://w3id.org/hrgraph/ontology#"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
PREFIXES = """PREFIX hrg: <https://w3id.org/hrgraph/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


def read(where: str) -> Reads | None:
    return reads(f"{PREFIXES}SELECT $this WHERE {{ {where} }}")


def expect(
    steps: set[tuple[str | None, bool]],
    anywhere: frozenset[str | None] | set[str | None] = frozenset(),
) -> Reads:
    """The expected answer, ``hrg:`` names given without their namespace."""

    def iri(name: str | None) -> str | None:
        return None if name is None else name if ":" in name else HRG + name

    return Reads(frozenset((iri(p), d) for p, d in steps), frozenset(map(iri, anywhere)))


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("$this hrg:a ?x . ?x hrg:b ?y", expect({("a", True), ("b", True)})),
        (  # the other refusal of the same applicant: a step backward
            "$this hrg:applicant ?a . ?other hrg:applicant ?a",
            expect({("applicant", True), ("applicant", False)}),
        ),
        (  # a class is a constant: what is said of it is read anywhere
            "$this hrg:a ?x . ?x rdf:type/rdfs:subClassOf* hrg:Law . hrg:Law hrg:b ?y",
            expect({("a", True), (TYPE, True), (SUBCLASS, True)}, {"b"}),
        ),
        (
            "$this ^hrg:a/hrg:b ?x . ?y hrg:c/^hrg:d $this",
            expect({("a", False), ("b", True), ("c", False), ("d", True)}),
        ),
        ("$this hrg:a [ hrg:b ?y ]", expect({("a", True), ("b", True)})),
        ("$this !hrg:a ?x", expect({(None, True), (None, False)})),
        (  # Oxigraph matches p* at a node only if some triple has that node
            "$this hrg:a* ?x",
            expect({("a", True), (None, True), (None, False)}),
        ),
        (
            "$this hrg:a ?x . hrg:Law rdfs:subClassOf* ?c",
            expect({("a", True)}, {SUBCLASS, None}),
        ),
    ],
)
def test_steps_of_patterns_and_paths(where: str, expected: Reads) -> None:
    assert read(where) == expected


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("$this hrg:a ?x FILTER NOT EXISTS { ?x hrg:b ?y }", expect({("a", True), ("b", True)})),
        ("$this hrg:a ?y FILTER NOT EXISTS { ?x a hrg:Law }", expect({("a", True)}, {TYPE})),
        (
            "$this hrg:a ?x FILTER (!EXISTS { ?x hrg:b ?y } || ?x = 1)",
            expect({("a", True), ("b", True)}),
        ),
        (  # rdflib keeps the FILTER of an EXISTS only in its translated pattern
            "$this hrg:a ?x FILTER NOT EXISTS { ?x hrg:b ?y FILTER EXISTS { ?y hrg:c ?z } }",
            expect({("a", True), ("b", True), ("c", True)}),
        ),
        ("$this hrg:a ?x MINUS { ?x hrg:b ?y }", expect({("a", True), ("b", True)})),
        ("?x hrg:p ?y MINUS { $this hrg:q ?x }", expect({("q", True)}, {"p"})),
    ],
)
def test_exists_and_minus(where: str, expected: Reads) -> None:
    assert read(where) == expected


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("$this hrg:a ?x BIND (?x AS ?y) ?y hrg:b ?z", expect({("a", True)}, {"b"})),
        ("$this hrg:a ?v . VALUES ?v { hrg:k } ?v hrg:b ?z", expect({("a", True)}, {"b"})),
        (  # ?x of the sub-select is not the ?x of the query
            "$this hrg:a ?x { SELECT ?y WHERE { ?x hrg:b ?y } }",
            expect({("a", True)}, {"b"}),
        ),
        (
            "$this hrg:a ?x { SELECT ?x ?y WHERE { ?x hrg:b ?y } }",
            expect({("a", True), ("b", True)}),
        ),
        (  # an aggregating sub-select counts rows of every ?x
            "$this hrg:a ?x { SELECT ?x (COUNT(?y) AS ?n) WHERE { ?x hrg:b ?y } GROUP BY ?x }",
            expect({("a", True)}, {"b"}),
        ),
    ],
)
def test_bound_variables_and_subselects_do_not_connect(where: str, expected: Reads) -> None:
    assert read(where) == expected


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("$this ?p ?x VALUES ?p { hrg:a }", expect({("a", True)})),
        ("?x ?p $this VALUES ?p { hrg:a hrg:b }", expect({("a", False), ("b", False)})),
        ("$this ?p ?x", expect({(None, True)})),
        ("$this ?p ?x VALUES (?p ?q) { (hrg:a UNDEF) (UNDEF hrg:b) }", expect({(None, True)})),
        (
            "$this hrg:a ?x { BIND (hrg:b AS ?p) } UNION { BIND (hrg:c AS ?p) } ?x ?p ?y",
            expect({("a", True), ("b", True), ("c", True)}),
        ),
        ("{ VALUES ?p { hrg:a } } UNION { ?s ?p ?o }", expect(set(), {None})),
    ],
)
def test_variable_predicates(where: str, expected: Reads) -> None:
    assert read(where) == expected


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        # each has solutions, or candidates, where ?x is any node
        ("{ $this hrg:a ?x } UNION { ?x hrg:b ?y }", expect({("a", True)}, {"b"})),
        ("OPTIONAL { $this hrg:a ?x } ?x hrg:b ?y", expect({("a", True)}, {"b"})),
        (
            "$this hrg:a ?x { ?y hrg:r ?z FILTER NOT EXISTS { ?x hrg:q ?w } }",
            expect({("a", True)}, {"q", "r"}),
        ),
        # these bind ?x from $this in every solution
        ("$this hrg:a ?x OPTIONAL { ?x hrg:b ?y }", expect({("a", True), ("b", True)})),
        (
            "{ $this hrg:a ?x } UNION { $this hrg:b ?x } ?x hrg:c ?y",
            expect({("a", True), ("b", True), ("c", True)}),
        ),
        # a path that may match no triple matches every node
        ("$this hrg:a ?x FILTER NOT EXISTS { ?u hrg:b* ?v }", expect({("a", True)}, {"b", None})),
    ],
)
def test_connection_holds_in_every_solution(where: str, expected: Reads) -> None:
    assert read(where) == expected


@pytest.mark.parametrize(
    "text",
    [
        "SELECT $this WHERE { GRAPH ?g { $this hrg:a ?x } }",
        "SELECT $this WHERE { SERVICE <http://example.org/sparql> { $this hrg:a ?x } }",
        "SELECT $this FROM <http://example.org/g> WHERE { $this hrg:a ?x }",
        "SELECT $this WHERE { $this hrg:a ?x ",
        "ASK { $this hrg:a ?x }",
        "SELECT $this WHERE { VALUES ?this { hrg:k } ?this hrg:a ?x }",
        "SELECT $this (EXISTS { $this hrg:a ?x } AS ?e) WHERE { $this hrg:b ?y }",
    ],
)
def test_what_cannot_be_said(text: str) -> None:
    assert reads(PREFIXES + text) is None


def test_the_project_constraints(project_root: Path) -> None:
    compiled = compile_shapes(load_shapes(sorted((project_root / "shapes").glob("*.ttl"))))
    constraints = [c for shape in compiled.shapes for c in shape.constraints]
    found = {c.node: reads(c.query) for c in constraints}
    assert None not in found.values()
    emergency = [
        found[c.node]
        for c in constraints
        if "hrg:stateOf ?state ." in c.query and "?value hrg:stateConcerned ?state" in c.query
    ]
    assert len(emergency) == 1
    assert emergency[0] is not None
    assert {(HRG + "stateOf", True), (HRG + "stateConcerned", False)} <= emergency[0].steps
    assert emergency[0].anywhere == frozenset()
    # One constraint reads a statement not tied to the focus node: the day validated.
    anywhere = {str(n).rsplit("#")[-1]: r.anywhere for n, r in found.items() if r and r.anywhere}
    assert anywhere == {"TermRenewableOnce": frozenset({HRG + "asOf"})}
    # What a remote store is asked for covers every property a constraint reads, those of the
    # FILTERs nested in an EXISTS included (rdflib keeps them only in the translated pattern).
    needed = needed_predicates(compiled)
    assert needed is not None
    read = {p for r in found.values() if r for p, _ in r.steps} | {
        p for r in found.values() if r for p in r.anywhere
    }
    assert read <= needed
    assert HRG + "coversAllPublicAuthorities" in needed


def test_what_a_constraint_reads_is_kept_with_the_results_as_it_was(project_root: Path) -> None:
    """Incremental validation keeps each constraint's reads in its JSON cache: read back, they
    are the same (a step lost there would keep a stale finding)."""
    import json

    from hrgraph.validation.increment import _read_back, _stored_reads

    compiled = compile_shapes(load_shapes(sorted((project_root / "shapes").glob("*.ttl"))))
    for constraint in (c for shape in compiled.shapes for c in shape.constraints):
        found = reads(constraint.query)
        assert _read_back(json.loads(json.dumps(_stored_reads(found)))) == found
    odd = Reads(frozenset({(None, True), (HRG + "a", False)}), frozenset({None, HRG + "b"}))
    assert _read_back(json.loads(json.dumps(_stored_reads(odd)))) == odd
    assert _read_back(json.loads(json.dumps(_stored_reads(None)))) is None
