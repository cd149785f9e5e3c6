"""What the findings come to on the day (hrgraph.validation.outcomes): the note on a requirement
stated in a document dated after the day, read from dates in their real forms, and the report
graph kept equal to the findings when the resource judged is a blank node (an upload's)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import SH

from hrgraph.settings import Settings
from hrgraph.store.local import GraphStore
from hrgraph.validation.findings import Finding, ValidationReport
from hrgraph.validation.outcomes import Authority, authorities, date_authorities, dated_documents
from hrgraph.validation.validate import validate_upload

ROOT = Path(__file__).resolve().parents[1]
HRG = "https://w3id.org/hrgraph/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
G = ox.NamedNode("https://example.org/graph")


def _dated(store: GraphStore, requirement: str, document: str, value: str, kind: str) -> None:
    store.add_quads(
        [
            ox.Quad(ox.NamedNode(requirement), ox.NamedNode(HRG + "statedIn"),
                    ox.NamedNode(document), G),
            ox.Quad(ox.NamedNode(document), ox.NamedNode(HRG + "date"),
                    ox.Literal(value, datatype=ox.NamedNode(kind)), G),
        ]
    )  # fmt: skip


def test_the_earliest_document_decides_and_only_calendar_dates_are_read() -> None:
    store = GraphStore.in_memory()
    moment = "2018-02-21T00:00:00+06:00"
    _dated(store, "https://example.org/r1", "https://example.org/d2018", moment, XSD + "dateTime")
    _dated(
        store, "https://example.org/r1", "https://example.org/d2013", "2013-05", XSD + "gYearMonth"
    )
    _dated(
        store,
        "https://example.org/r2",
        "https://example.org/words",
        "February 2018",
        XSD + "string",
    )
    _dated(
        store, "https://example.org/r3", "https://example.org/d2018z", "2018-02-21Z", XSD + "date"
    )
    assert authorities(store) == {
        "https://example.org/r1": Authority("https://example.org/r1", "2013-05"),
        "https://example.org/r3": Authority("https://example.org/r3", "2018-02-21"),
    }


def test_an_uploads_blank_node_is_judged_alike_in_the_findings_and_the_report_graph() -> None:
    """The tenure case with its institution as a blank node, uploaded with the requirements
    (data/paris-principles.ttl), on a day before the General Observations of 2018: the note on
    the later text is in the findings and in the results graph alike."""
    case = ROOT / "tests" / "cases" / "shapes" / "paris"
    text = (
        (case / "_institution.ttl").read_text()
        + "\n"
        + (case / "tenure-invalid-third-term-renewal-unstated.ttl").read_text()
    )
    text = text.replace("inst:ombudsman", "_:omb")
    triples = [q.triple for q in ox.parse(text.encode(), format=ox.RdfFormat.TURTLE)]
    triples += [q.triple for q in ox.parse(path=str(ROOT / "data" / "paris-principles.ttl"))]
    report = validate_upload(
        Settings(root=ROOT),
        triples,
        as_of=date(2016, 6, 1),
        shape_files=[ROOT / "shapes" / "paris-principles.ttl"],
    )
    (renewal,) = [f for f in report.findings if f.requirement and f.requirement.endswith("go-2-2")]
    assert not renewal.focus.startswith("http")  # the blank node
    assert renewal.message.endswith(
        "after the day judged: it is applied as the present reading of the requirement; the "
        "reading in force on 2016-06-01 is not in the sources read"
    )
    graph = report.results_graph
    in_graph = sorted(str(m) for m in graph.objects(None, SH.resultMessage))
    assert in_graph == sorted(f.message for f in report.findings)


def test_a_text_cited_beside_the_standard_is_noted_only_when_dated_after_the_day() -> None:
    """The documents a finding cites beside its requirement's text, read with their dates as
    the data gives them (a day, or only a year); one dated only to the year of the day is not
    said to come after it, and the requirement's own text is not noted twice."""
    store = GraphStore.in_memory()
    rdfs_label, doc_type = "http://www.w3.org/2000/01/rdf-schema#label", HRG + "Document"
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    for iri, label, value, kind in (
        ("https://example.org/gc", "A General Comment", "2014", XSD + "gYear"),
        ("https://example.org/go", "Observations", "2018-02-21", XSD + "date"),
    ):
        store.add_quads(
            [
                ox.Quad(ox.NamedNode(iri), ox.NamedNode(rdf_type), ox.NamedNode(doc_type), G),
                ox.Quad(ox.NamedNode(iri), ox.NamedNode(HRG + "date"),
                        ox.Literal(value, datatype=ox.NamedNode(kind)), G),
                ox.Quad(ox.NamedNode(iri), ox.NamedNode(rdfs_label),
                        ox.Literal(label, language="en"), G),
            ]
        )  # fmt: skip
    _dated(store, "https://example.org/r", "https://example.org/go", "2018-02-21", XSD + "date")
    documents = dated_documents(store)
    assert documents == {
        "https://example.org/gc": Authority("A General Comment", "2014"),
        "https://example.org/go": Authority("Observations", "2018-02-21"),
    }

    def noted(day: date) -> str:
        finding = Finding(
            focus="https://example.org/x", focus_label="x", shape="https://example.org/s",
            severity="Violation", message="Falls short.", requirement="https://example.org/r",
            requirement_label="r", path=None, value=None, group_kind="other", group="g",
            facts=(), cites=("https://example.org/gc", "https://example.org/go"),
        )  # fmt: skip
        report = ValidationReport(day, [finding])
        date_authorities(report, authorities(store), day, documents)
        return report.findings[0].message

    assert noted(date(2014, 3, 1)) == (
        "Falls short. The text cited as the standard, Observations, dates from 2018-02-21, after "
        "the day judged: it is applied as the present reading of the requirement; the reading in "
        "force on 2014-03-01 is not in the sources read"
    )  # the General Comment of 2014 may have been there that day; the requirement's text once
    assert noted(date(2013, 12, 31)).endswith(
        "is not in the sources read. The text also cited, A General Comment (dated 2014), comes "
        "after the day judged: it is cited as the present reading, not as a text in force on "
        "2013-12-31"
    )
    assert noted(date(2019, 1, 1)) == "Falls short."
