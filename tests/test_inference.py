"""Treaty bindings derived from treaty actions: exact and partial dates, denunciations, and
consents that give no binding."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from hrgraph.build.inference import materialise
from hrgraph.rdf.vocab import ONTOLOGY_GRAPH, data_graph
from hrgraph.store.local import GraphStore

ID = "https://w3id.org/hrgraph/id/"
HRG = "https://w3id.org/hrgraph/ontology#"

ACTIONS = """
@prefix hrg: <https://w3id.org/hrgraph/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix state: <https://w3id.org/hrgraph/id/state/> .
@prefix treaty: <https://w3id.org/hrgraph/id/treaty/> .
@prefix action: <https://w3id.org/hrgraph/id/action/> .
state:xxa a hrg:State .
treaty:t1 a hrg:Treaty .
treaty:t2 a hrg:OptionalProtocol .
action:a1 a hrg:Accession ; hrg:actingState state:xxa ; hrg:instrument treaty:t1 ;
    hrg:entryIntoForce "1998-08"^^xsd:gYearMonth .
action:a2 a hrg:Succession ; hrg:actingState state:xxa ; hrg:instrument treaty:t2 ;
    hrg:entryIntoForce "1994"^^xsd:gYear .
action:a3 a hrg:Denunciation ; hrg:actingState state:xxa ; hrg:instrument treaty:t2 ;
    hrg:entryIntoForce "2001-03-15"^^xsd:date .
action:a4 a hrg:Ratification ; hrg:actingState state:xxa ; hrg:instrument treaty:t2 ;
    hrg:entryIntoForce "1996-02-29"^^xsd:date .
action:a5 a hrg:Signature ; hrg:actingState state:xxa ; hrg:instrument treaty:t1 ;
    hrg:date "1997-01-01"^^xsd:date .
action:a6 a hrg:Ratification ; hrg:actingState state:xxa ; hrg:instrument treaty:t1 .
"""


@pytest.fixture
def bindings(project_root: Path) -> tuple[dict[str, tuple[str, str, str | None]], list[str]]:
    store = GraphStore.in_memory()
    store.load_file(project_root / "ontology" / "hrgraph.ttl", ox.RdfFormat.TURTLE, ONTOLOGY_GRAPH)
    store.add_triples(data_graph("test"), ox.parse(ACTIONS, format=ox.RdfFormat.TURTLE))
    report = materialise(store)
    rows = store.query(
        f"""SELECT ?b ?from ?action ?until WHERE {{
          ?b a <{HRG}TreatyBinding> ; <{HRG}validFrom> ?from ; <{HRG}derivedFromAction> ?action .
          OPTIONAL {{ ?b <{HRG}validUntil> ?until }} }}"""
    )
    assert isinstance(rows, ox.QuerySolutions)
    found = {
        r["b"].value.removeprefix(ID): (
            r["from"].value,
            r["action"].value.removeprefix(ID),
            r["until"].value if r["until"] is not None else None,
        )
        for r in rows
    }
    return found, report.warnings


def test_partial_dates_bind_from_the_last_day_they_cover(
    bindings: tuple[dict[str, tuple[str, str, str | None]], list[str]],
) -> None:
    found, _ = bindings
    assert found["binding/xxa/t1"] == ("1998-08-31", "action/a1", None)


def test_earliest_consent_counts_and_a_later_denunciation_ends_the_binding(
    bindings: tuple[dict[str, tuple[str, str, str | None]], list[str]],
) -> None:
    found, _ = bindings
    assert found["binding/xxa/t2"] == ("1994-12-31", "action/a2", "2001-03-15")
    assert set(found) == {"binding/xxa/t1", "binding/xxa/t2"}


def test_a_consent_without_entry_into_force_is_reported_not_bound(
    bindings: tuple[dict[str, tuple[str, str, str | None]], list[str]],
) -> None:
    _, warnings = bindings
    assert warnings == [
        f"{ID}action/a6: no usable hrg:entryIntoForce, so no treaty binding is derived"
    ]


def test_links_to_undocs_and_adilet_for_well_formed_identifiers() -> None:
    store = GraphStore.in_memory()
    store.add_triples(
        data_graph("test"),
        ox.parse(
            """@prefix hrg: <https://w3id.org/hrgraph/ontology#> .
            <https://w3id.org/hrgraph/id/document/ccpr-c-kaz-co-2> hrg:unSymbol "CCPR/C/KAZ/CO/2" .
            <https://w3id.org/hrgraph/id/document/bad> hrg:unSymbol "not a symbol" .
            <https://w3id.org/hrgraph/id/act/kaz/z2000000333> hrg:adiletId "Z2000000333" .""",
            format=ox.RdfFormat.TURTLE,
        ),
    )
    materialise(store)
    rows = store.query(
        "SELECT ?s ?o WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#seeAlso> ?o } ORDER BY ?s"
    )
    assert isinstance(rows, ox.QuerySolutions)
    assert [(r["s"].value.removeprefix(ID), r["o"].value) for r in rows] == [
        ("act/kaz/z2000000333", "https://adilet.zan.kz/eng/docs/Z2000000333"),
        ("document/ccpr-c-kaz-co-2", "https://undocs.org/CCPR/C/KAZ/CO/2"),
    ]


def test_class_counts_are_materialised_per_data_graph_and_together(project_root: Path) -> None:
    """A resource typed in two data graphs counts once for them together; inferred supertypes and
    the ontology's own types are not counted; the class-counts query reads the counts."""
    store = GraphStore.in_memory()
    store.load_file(project_root / "ontology" / "hrgraph.ttl", ox.RdfFormat.TURTLE, ONTOLOGY_GRAPH)
    store.add_triples(data_graph("one"), ox.parse(ACTIONS, format=ox.RdfFormat.TURTLE))
    again = f"<{ID}state/xxa> a <{HRG}State> . <{ID}state/xxb> a <{HRG}State> ."
    store.add_triples(data_graph("two"), ox.parse(again, format=ox.RdfFormat.TURTLE))
    materialise(store)
    text = (project_root / "queries" / "class-counts.rq").read_text(encoding="utf-8")
    rows = store.query(text)
    assert isinstance(rows, ox.QuerySolutions)
    counts = {
        r["class"].value.removeprefix(HRG): (int(r["resources"].value), sorted(
            g.rsplit("/", 1)[1] for g in r["sources"].value.split(" ")))
        for r in rows
    }  # fmt: skip
    assert counts == {
        "State": (2, ["one", "two"]),
        "Treaty": (1, ["one"]),
        "OptionalProtocol": (1, ["one"]),
        "Accession": (1, ["one"]),
        "Succession": (1, ["one"]),
        "Denunciation": (1, ["one"]),
        "Ratification": (2, ["one"]),
        "Signature": (1, ["one"]),
    }  # not hrg:TreatyBinding (the inferred graph), nor the supertypes the build infers
