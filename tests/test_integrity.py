"""The integrity shapes (shapes/integrity/): every file in data/ passes them, and each rule
catches the fault it is written for."""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from conftest import generate_lean
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import SH

from hrgraph.validation.prepared import PreparedQueryGraph

ROOT = Path(__file__).resolve().parents[1]
ID = Namespace("https://w3id.org/hrgraph/id/")
PREFIXES = """
@prefix hrg: <https://w3id.org/hrgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/hrgraph/id/> .
@prefix state: <https://w3id.org/hrgraph/id/state/> .
@prefix treaty: <https://w3id.org/hrgraph/id/treaty/> .
@prefix action: <https://w3id.org/hrgraph/id/action/> .
"""
SOURCE = (
    'id:s a hrg:Source ; rdfs:label "A source"@en ; hrg:url "https://example.org/"^^xsd:anyURI .\n'
)


@pytest.fixture(scope="module")
def shapes() -> Graph:
    graph = Graph()
    files = sorted((ROOT / "shapes" / "integrity").glob("*.ttl"))
    assert files, "no integrity shapes found"
    for path in files:
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ROOT / "ontology" / "hrgraph.ttl", format="turtle")


def validate(data: Graph, shapes: Graph, ontology: Graph) -> tuple[bool, set[tuple[str, str]], str]:
    # pySHACL mixes the ontology into the graph it validates: into a copy, made here as a graph
    # that parses each SPARQL text once (the integrity shapes' constraints run once per node)
    graph = PreparedQueryGraph()
    graph += data
    conforms, report, text = pyshacl.validate(
        graph,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=False,
        inplace=True,
    )
    results = {
        (str(report.value(result, SH.focusNode)), str(report.value(result, SH.resultMessage)))
        for result in report.objects(None, SH.result)
    }
    return bool(conforms), results, str(text)


def _generate(out: Path) -> Path:
    # the generated State's recommendations were two fifths of the statements validated here
    return generate_lean(0.005, out / "scale", real_data=False)  # one State


def test_every_data_file_and_a_generated_state_pass_and_the_bundled_data_is_in_scope(
    shapes: Graph, ontology: Graph, tmp_path: Path
) -> None:
    """One pySHACL run over every data file and over one State of bench/generate.py, which
    refers to the bundled data (both are large: one run, not three), with one fault put in: the
    fault, and nothing else, is found. So every file passes, the generator writes what the
    shapes accept, and the shapes' targets reach the bundled resources (a target that matched
    nothing would miss it)."""
    data = Graph()
    files = sorted((ROOT / "data").glob("*.ttl"))
    assert len(files) >= 5
    generated = sorted((_generate(tmp_path) / "data").glob("bench-*.ttl"))
    assert [path.name for path in generated] == ["bench-sources.ttl", "bench-state-xaa.ttl"]
    for path in files + generated:
        data.parse(path, format="turtle")
    assert (ID["state/xaa"], None, None) in data
    ratification = ID["action/kaz/iccpr-ratification"]
    confidence = URIRef("https://w3id.org/hrgraph/ontology#confidence")
    assert (ratification, confidence, None) in data
    data.remove((ratification, confidence, None))
    conforms, results, text = validate(data, shapes, ontology)
    assert not conforms
    assert {focus for focus, _ in results} == {str(ratification)}, text


CASES = [
    (
        "a resource without provenance",
        'state:xxa a hrg:State ; rdfs:label "X"@en ; hrg:isoCode "XXA" .',
        {
            ("state/xxa", "needs hrg:source: the document(s) its statements come from"),
            (
                "state/xxa",
                "needs exactly one hrg:confidence: hrg:Verified, hrg:PartlyVerified or "
                "hrg:Unverified",
            ),
        },
    ),
    (
        "a resource without an English label",
        'state:xxa a hrg:State ; rdfs:label "Икс"@ru ; hrg:isoCode "XXA" ; hrg:source id:s ;'
        " hrg:confidence hrg:Verified .",
        {("state/xxa", "needs exactly one English rdfs:label")},
    ),
    (
        "a dangling reference",
        'state:xxa a hrg:State ; rdfs:label "X"@en ; hrg:source id:s ; hrg:confidence'
        ' hrg:Verified ; hrg:isoCode "XXA" . action:a a hrg:Signature ; rdfs:label "A"@en ;'
        " hrg:actingState state:xxa ; hrg:instrument treaty:nowhere ; hrg:source id:s ;"
        " hrg:confidence hrg:Verified .",
        {
            (
                "action/a",
                "refers to https://w3id.org/hrgraph/id/treaty/nowhere, which nothing in the "
                "dataset describes (a dangling reference)",
            ),
            ("action/a", "needs exactly one hrg:instrument, a treaty"),
        },
    ),
    (
        "a term the ontology does not define",
        'state:xxa a hrg:State ; rdfs:label "X"@en ; hrg:source id:s ; hrg:confidence'
        ' hrg:Verified ; hrg:isoCode "XXA" ; hrg:capitalCity "Nowhere" .',
        {
            (
                "state/xxa",
                "uses https://w3id.org/hrgraph/ontology#capitalCity, which the ontology does not"
                " define",
            )
        },
    ),
    (
        "an ill-formed date",
        'id:e a hrg:Event ; rdfs:label "E"@en ; hrg:source id:s ; hrg:confidence hrg:Verified ;'
        ' hrg:date "12 Feb 2010" .',
        {
            (
                "e",
                "a date must be an xsd:date, or an xsd:gYearMonth or xsd:gYear when only the month"
                " or year is known",
            )
        },
    ),
    (
        "an impossible date",
        'id:e a hrg:Event ; rdfs:label "E"@en ; hrg:source id:s ; hrg:confidence hrg:Verified ;'
        ' hrg:date "2010-02-30"^^xsd:date .',
        {
            (
                "e",
                "a date must be an xsd:date, or an xsd:gYearMonth or xsd:gYear when only the month"
                " or year is known",
            )
        },
    ),
    (
        "an interval ending before it starts",
        'id:f a hrg:Term ; rdfs:label "F"@en ; hrg:source id:s ; hrg:confidence hrg:Verified ;'
        ' hrg:validFrom "2010-01-01"^^xsd:date ; hrg:validUntil "2009-01-01"^^xsd:date .',
        {
            (
                "f",
                "hrg:validFrom must be before hrg:validUntil (compared at the coarser of the two"
                " precisions)",
            )
        },
    ),
    (
        "an empty interval",
        'id:f a hrg:Term ; rdfs:label "F"@en ; hrg:source id:s ; hrg:confidence hrg:Verified ;'
        ' hrg:validFrom "2010-01-01"^^xsd:date ; hrg:validUntil "2010-01-01"^^xsd:date .',
        {
            (
                "f",
                "hrg:validFrom must be before hrg:validUntil (compared at the coarser of the two"
                " precisions)",
            )
        },
    ),
    (
        "a partial end before the start",
        'id:f a hrg:Term ; rdfs:label "F"@en ; hrg:source id:s ; hrg:confidence hrg:Verified ;'
        ' hrg:validFrom "2010-05-01"^^xsd:date ; hrg:validUntil "2009"^^xsd:gYear .',
        {
            (
                "f",
                "hrg:validFrom must be before hrg:validUntil (compared at the coarser of the two"
                " precisions)",
            )
        },
    ),
    (
        "a partial in-force end before a partial start",
        'id:a a hrg:Law ; rdfs:label "A"@en ; hrg:source id:s ; hrg:confidence hrg:Verified ;'
        ' hrg:inForceFrom "2010-05"^^xsd:gYearMonth ; hrg:inForceUntil "2010-04-30"^^xsd:date .',
        {
            (
                "a",
                "hrg:inForceFrom must be before hrg:inForceUntil (compared at the coarser of the"
                " two precisions)",
            )
        },
    ),
    (
        "an interval value that is not a date",
        'id:f a hrg:Term ; rdfs:label "F"@en ; hrg:source id:s ; hrg:confidence hrg:Verified ;'
        ' hrg:validUntil "2010" .',
        {
            (
                "f",
                "hrg:validUntil must be one xsd:date, or an xsd:gYearMonth or xsd:gYear when only"
                " the month or year is known",
            )
        },
    ),
    (
        "a malformed UN symbol",
        'id:d a hrg:ConcludingObservations ; rdfs:label "D"@en ; hrg:source id:s ;'
        ' hrg:confidence hrg:Verified ; hrg:unSymbol "ccpr c kaz co 2" .',
        {("d", "hrg:unSymbol must look like a UN document symbol, e.g. CCPR/C/KAZ/CO/2")},
    ),
    (
        "a recommendation that does not say whether its text is a summary",
        'id:d a hrg:ConcludingObservations ; rdfs:label "D"@en ; hrg:source id:s ;'
        ' hrg:confidence hrg:Verified ; hrg:unSymbol "CCPR/C/KAZ/CO/2" .'
        ' state:xxa a hrg:State ; rdfs:label "X"@en ; hrg:source id:s ; hrg:confidence'
        ' hrg:Verified ; hrg:isoCode "XXA" .'
        ' id:r a hrg:Recommendation ; rdfs:label "R"@en ; hrg:source id:s ; hrg:confidence'
        ' hrg:Verified ; hrg:inDocument id:d ; hrg:addressedTo state:xxa ; hrg:text "Do X"@en .',
        {("r", "needs hrg:textIsSummary true or false: is hrg:text verbatim or a summary?")},
    ),
    (
        "a claim with two verdicts",
        'id:c a hrg:Claim ; rdfs:label "C"@en ; hrg:source id:s ; hrg:confidence hrg:Verified ;'
        ' hrg:claimText "X is so"@en ; hrg:claimedIn id:s ; hrg:verdict hrg:Confirmed,'
        " hrg:Contradicted .",
        {("c", "needs exactly one hrg:verdict: confirmed, outdated, contradicted or not verified")},
    ),
]


@pytest.mark.parametrize(("fault", "turtle", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_rule_catches_its_fault(
    shapes: Graph,
    ontology: Graph,
    fault: str,
    turtle: str,
    expected: set[tuple[str, str]],
) -> None:
    data = Graph().parse(data=PREFIXES + SOURCE + turtle, format="turtle")
    conforms, results, text = validate(data, shapes, ontology)
    assert not conforms, fault
    found = {(focus.removeprefix(str(ID)), message) for focus, message in results}
    assert found == expected, text


GOOD_INTERVALS = [
    (
        "a partial end in the year of an exact start",
        'hrg:validFrom "2022-03-01"^^xsd:date ; hrg:validUntil "2022"^^xsd:gYear',
    ),
    (
        "a partial end in the month of a partial start",
        'hrg:validFrom "2022-01"^^xsd:gYearMonth ; hrg:validUntil "2022-01"^^xsd:gYearMonth',
    ),
    (
        "an exact end after a partial start",
        'hrg:validFrom "2022-06"^^xsd:gYearMonth ; hrg:validUntil "2026-07-01"^^xsd:date',
    ),
    ("a partial end and no start", 'hrg:validUntil "2019-08"^^xsd:gYearMonth'),
]


@pytest.mark.parametrize(("case", "interval"), GOOD_INTERVALS, ids=[c[0] for c in GOOD_INTERVALS])
def test_partial_intervals_pass(shapes: Graph, ontology: Graph, case: str, interval: str) -> None:
    """The datatype is the precision: partial values are allowed, and "start before end" is
    judged on the part both values state."""
    turtle = (
        'id:f a hrg:Term ; rdfs:label "F"@en ; hrg:source id:s ; hrg:confidence hrg:Verified ;'
        f" {interval} ."
    )
    data = Graph().parse(data=PREFIXES + SOURCE + turtle, format="turtle")
    conforms, results, text = validate(data, shapes, ontology)
    assert conforms, f"{case}: {text}"
    assert results == set()
