"""Three outcomes (not met, not established, met), dates known only to the month or year, and a
report that prints each group's sources once: the validator's machinery for issue 13. The legal
shapes themselves are tested case by case in test_shapes.py."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import RDF, SH

from hrgraph.settings import Settings
from hrgraph.store.local import GraphStore
from hrgraph.validation.asof import _standing, held
from hrgraph.validation.findings import SourceRef, ValidationReport
from hrgraph.validation.reportformat import render, source_text
from hrgraph.validation.validate import validate

ROOT = Path(__file__).resolve().parents[1]
PARIS = ROOT / "tests" / "cases" / "shapes" / "paris"
SHAPES = [ROOT / "shapes" / "paris-principles.ttl"]
HRG = rdflib.Namespace("https://w3id.org/hrgraph/ontology#")
OMBUDSMAN = "https://w3id.org/hrgraph/id/institution/xxa/ombudsman"
REQ = "https://w3id.org/hrgraph/id/requirement/"


@pytest.mark.parametrize(
    ("end", "value", "day", "standing"),
    [
        (False, "2020-06-15", "2020-06-14", "out"),  # an exact start after the day
        (False, "2020-06-15", "2020-06-15", "in"),  # inclusive
        (True, "2020-06-15", "2020-06-14", "in"),
        (True, "2020-06-15", "2020-06-15", "out"),  # exclusive end
        (False, "2020-06", "2020-05-31", "out"),
        (False, "2020-06", "2020-06-30", "uncertain"),  # began on some day of June
        (False, "2020-06", "2020-07-01", "in"),
        (True, "2020", "2019-12-31", "in"),
        (True, "2020", "2020-01-01", "uncertain"),  # ended on some day of 2020
        (True, "2020", "2020-12-31", "uncertain"),
        (True, "2020", "2021-01-01", "out"),
    ],
)
def test_a_bound_places_the_day_in_out_or_uncertain(
    end: bool, value: str, day: str, standing: str
) -> None:
    assert _standing(end, value, len(value), day) == standing


def _store(turtle: str) -> GraphStore:
    store = GraphStore.in_memory()
    graph = ox.NamedNode("https://w3id.org/hrgraph/graph/data/test")
    store.add_quads(
        ox.Quad(t.subject, t.predicate, t.object, graph)
        for t in ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE)
    )
    return store


ACTS = """
@prefix hrg: <https://w3id.org/hrgraph/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix x: <https://w3id.org/hrgraph/id/test/> .
x:old-act a hrg:Law ; hrg:inForceUntil "2020"^^xsd:gYear ; hrg:hasProvision x:old-article .
x:old-article a hrg:DomesticProvision .
x:granted a hrg:PowerGrant ; hrg:grantedBy x:old-article .
x:repealed-code a hrg:Code ; hrg:inForceUntil "2015-01-01"^^xsd:date ; hrg:hasProvision x:art .
x:art a hrg:DomesticProvision ; hrg:hasProvision x:para .
x:para a hrg:DomesticProvision .
x:basis a hrg:LegalBasis ; hrg:basisAct x:repealed-code .
x:dated a hrg:Event ; hrg:date "2016-03"^^xsd:gYearMonth .
"""


def test_what_an_ended_act_contains_or_granted_ends_with_it() -> None:
    cut = held(_store(ACTS), date(2016, 3, 10))
    x = "https://w3id.org/hrgraph/id/test/"
    assert sorted(node.value for node in cut.out if isinstance(node, ox.NamedNode)) == [
        x + "art",
        x + "basis",
        x + "para",
        x + "repealed-code",
    ]
    assert sorted(cut.uncertain) == [x + "dated"]
    assert cut.uncertain[x + "dated"] == "began to hold on a day of 2016-03 that is not recorded"


def test_an_act_that_ended_in_a_year_makes_its_parts_and_grants_uncertain_that_year() -> None:
    x = "https://w3id.org/hrgraph/id/test/"
    during = held(_store(ACTS), date(2020, 7, 1))
    assert sorted(during.uncertain) == [x + "granted", x + "old-act", x + "old-article"]
    assert during.uncertain[x + "old-act"] == (
        "ceased to hold on a day of 2020 that is not recorded"
    )
    after = held(_store(ACTS), date(2021, 1, 1))
    assert {x + "granted", x + "old-act", x + "old-article"} <= {
        node.value for node in after.out if isinstance(node, ox.NamedNode)
    }


def _case(name: str, as_of: date) -> ValidationReport:
    return validate(
        Settings(root=ROOT),
        as_of=as_of,
        data_files=[PARIS / "_institution.ttl", PARIS / name],
        shape_files=SHAPES,
    )


def test_a_finding_on_a_fact_that_may_have_ended_is_not_established_and_says_why() -> None:
    before = _case("immunity-invalid-before-partial-end.ttl", date(2020, 5, 15))
    during = _case("immunity-unknown-in-month-of-partial-end.ttl", date(2020, 6, 15))
    [certain] = before.findings
    [doubtful] = during.findings
    assert (certain.outcome, certain.severity) == ("not met", "Warning")
    assert (doubtful.outcome, doubtful.severity) == ("not established", "Info")
    assert doubtful.message.startswith(
        "Not established from the sources read: No functional immunity until a law of June 2020 "
        "(day not known) ceased to hold on a day of 2020-06 that is not recorded, so whether it "
        "held on 2020-06-15 cannot be established"
    )
    assert doubtful.message.endswith(certain.message)
    assert (before.conforms, during.conforms) == (False, True)
    [result] = during.results_graph.objects(None, SH.result)
    assert during.results_graph.value(result, SH.resultSeverity) == SH.Info
    assert during.results_graph.value(result, HRG.outcome) == HRG.NotEstablished


def test_three_outcomes_are_counted_apart() -> None:
    report = _case("staffing-unknown-unrecorded.ttl", date(2020, 6, 1))
    assert report.outcomes() == {"not met": 0, "not established": 2, "met": 20}
    assert report.conforms
    assert {m.focus for m in report.met} == {OMBUDSMAN}
    # not established is not met: GO 2.4 and the GO on secondment are missing
    assert sorted(m.requirement.removeprefix(REQ) for m in report.met) == [
        "effectiveness-binding-recommendations", "effectiveness-legislative-initiative",
        "effectiveness-publicity-of-decisions", "ganhri-accreditation-a", "ganhri-go-1-2",
        "ganhri-go-1-6", "ganhri-go-1-8", "ganhri-go-2-1", "ganhri-go-2-2", "ganhri-go-2-3",
        "paris-a-2", "paris-a-3-a-i", "paris-a-3-a-iii", "paris-a-3-c", "paris-a-3-e",
        "paris-b-1", "paris-b-2", "paris-b-3", "paris-c-c", "paris-d-d",
    ]  # fmt: skip
    failing = _case("staffing-invalid-seconded.ttl", date(2020, 6, 1))
    assert failing.outcomes() == {"not met": 1, "not established": 0, "met": 21}
    assert (OMBUDSMAN, REQ + "ganhri-go-secondment") not in {
        (m.focus, m.requirement) for m in failing.met
    }


def test_the_turtle_report_keeps_the_outcomes_apart_and_counts_them() -> None:
    report = _case("staffing-unknown-unrecorded.ttl", date(2020, 6, 1))
    graph = rdflib.Graph().parse(data=render(report, "turtle"), format="turtle")
    [node] = graph.subjects(RDF.type, SH.ValidationReport)
    assert graph.value(node, SH.conforms).toPython() is True
    counts = [graph.value(node, p).toPython() for p in (HRG.notMetCount, HRG.notEstablishedCount,
                                                        HRG.metCount)]  # fmt: skip
    assert counts == [0, 2, 20]
    outcomes = {graph.value(r, HRG.outcome) for r in graph.objects(node, SH.result)}
    assert outcomes == {HRG.NotEstablished}
    assessments = list(graph.objects(node, HRG.assessment))
    assert len(assessments) == 20
    assert {graph.value(a, HRG.outcome) for a in assessments} == {HRG.Met}


def test_json_carries_outcomes_and_what_is_met() -> None:
    body = json.loads(render(_case("staffing-invalid-seconded.ttl", date(2020, 6, 1)), "json"))
    assert body["outcomes"] == {"not met": 1, "not established": 0, "met": 21}
    assert body["counts"] == {"Violation": 0, "Warning": 1, "Info": 0}
    [finding] = body["findings"]
    assert (finding["outcome"], finding["requirement"]) == (
        "not met", REQ + "ganhri-go-secondment"
    )  # fmt: skip
    assert len(body["met"]) == 21


def test_each_groups_sources_are_printed_once_and_cited_by_number(project_root: Path) -> None:
    report = validate(Settings(root=project_root), as_of=date(2015, 1, 1))
    text = render(report, "text")
    commissioner = text.split("Institution: Commissioner for Human Rights")[1].split("\n\n")[0]
    urls = [line for line in commissioner.splitlines() if "retrieved from" in line]
    assert urls, "the group lists its sources"
    assert len(urls) == len(set(urls))
    assert "    rests on: " in commissioner
    assert "[1]" in commissioner
    assert text.count("https://odihr.osce.org/odihr/54757") == 1


def test_a_source_is_cited_by_its_document_before_the_copy_read() -> None:
    copy = SourceRef("s", "Concluding observations", "https://example.org/copy", "CCPR/C/KAZ/CO/2")
    assert source_text(copy) == (
        "CCPR/C/KAZ/CO/2: Concluding observations; retrieved from https://example.org/copy"
    )
    named = SourceRef("s", "Report A/HRC/28/10", None, "A/HRC/28/10")
    assert source_text(named) == "Report A/HRC/28/10"
