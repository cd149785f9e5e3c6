"""Treaty bindings derived from treaty actions: exact and partial dates, denunciations, and
consents that give no binding."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from hrgraph.build import inference
from hrgraph.build.inference import materialise
from hrgraph.rdf.vocab import INFERRED_GRAPH, ONTOLOGY_GRAPH, RDF_TYPE, data_graph
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


def test_a_consent_or_denunciation_naming_a_blank_node_is_reported_not_a_crash(
    project_root: Path,
) -> None:
    store = GraphStore.in_memory()
    store.load_file(project_root / "ontology" / "hrgraph.ttl", ox.RdfFormat.TURTLE, ONTOLOGY_GRAPH)
    text = (
        ACTIONS.split("state:xxa a hrg:State .")[0]
        + """
    action:a7 a hrg:Ratification ; hrg:actingState state:xxa ; hrg:instrument [ a hrg:Treaty ] ;
        hrg:entryIntoForce "2002-01-01"^^xsd:date .
    action:a8 a hrg:Denunciation ; hrg:actingState [ a hrg:State ] ; hrg:instrument treaty:t1 ;
        hrg:entryIntoForce "2003-01-01"^^xsd:date ."""
    )
    store.add_triples(data_graph("test"), ox.parse(text, format=ox.RdfFormat.TURTLE))
    report = materialise(store)
    assert report.warnings == [
        f"{ID}action/a7: its hrg:actingState and hrg:instrument must be IRIs, so no treaty "
        "binding is derived"
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


def test_what_the_bindings_and_links_add_has_its_own_consequences_drawn() -> None:
    """The bindings and links are derived after the first round of property and type closure;
    the second round reads only what they added, and still draws every consequence: a binding's
    super-property, that property's inverse (a further round), a binding's superclasses, a
    link's super-property. Nothing is counted twice: the report counts the inferred graph."""
    store = GraphStore.in_memory()
    store.add_triples(
        ONTOLOGY_GRAPH,
        ox.parse(
            """@prefix hrg: <https://w3id.org/hrgraph/ontology#> .
            @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
            @prefix owl: <http://www.w3.org/2002/07/owl#> .
            @prefix ex: <https://example.org/> .
            hrg:Ratification rdfs:subClassOf hrg:ConsentToBeBound .
            hrg:derivedFromAction rdfs:subPropertyOf ex:generatedBy .
            ex:generatedBy owl:inverseOf ex:generated .
            hrg:TreatyBinding rdfs:subClassOf ex:Obligation .
            ex:Obligation rdfs:subClassOf ex:Norm .
            rdfs:seeAlso rdfs:subPropertyOf ex:related .""",
            format=ox.RdfFormat.TURTLE,
        ),
    )
    store.add_triples(
        data_graph("test"),
        ox.parse(
            """@prefix hrg: <https://w3id.org/hrgraph/ontology#> .
            @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
            <https://w3id.org/hrgraph/id/action/a1> a hrg:Ratification ;
                hrg:actingState <https://w3id.org/hrgraph/id/state/xxa> ;
                hrg:instrument <https://w3id.org/hrgraph/id/treaty/t1> ;
                hrg:entryIntoForce "2000-01-01"^^xsd:date ;
                hrg:unSymbol "CCPR/C/XXA/1" .""",
            format=ox.RdfFormat.TURTLE,
        ),
    )
    report = materialise(store)
    rows = store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{INFERRED_GRAPH.value}> {{ ?s ?p ?o }} }}")
    assert isinstance(rows, ox.QuerySolutions)
    every = [(r["s"], r["p"], r["o"]) for r in rows]
    inferred = {
        (s.value.removeprefix(ID), p.value, o.value.removeprefix(ID))
        for s, p, o in every
        if isinstance(s, ox.NamedNode)  # not the class partitions (blank nodes)
    }
    ex, binding, action = "https://example.org/", "binding/xxa/t1", "action/a1"
    assert {
        (s, p, o)
        for s, p, o in inferred
        if binding in (s, o) and p not in {HRG + "validFrom", HRG + "bindingStartAsStated"}
    } == {
        (binding, RDF_TYPE.value, HRG + "TreatyBinding"),
        (binding, RDF_TYPE.value, ex + "Obligation"),
        (binding, RDF_TYPE.value, ex + "Norm"),
        (binding, HRG + "boundState", "state/xxa"),
        (binding, HRG + "boundInstrument", "treaty/t1"),
        (binding, HRG + "derivedFromAction", action),
        (binding, ex + "generatedBy", action),
        (action, ex + "generated", binding),
    }
    assert (action, ex + "related", "https://undocs.org/CCPR/C/XXA/1") in inferred
    assert report.triples == len(every)


def test_a_first_round_stopped_at_its_bound_is_continued_on_every_property(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """If the first round of property closure stops at MAX_ROUNDS before its fixed point, the
    second round reads every property again, not only what the bindings and links added."""
    monkeypatch.setattr(inference, "MAX_ROUNDS", 1)
    store = GraphStore.in_memory()
    store.add_triples(
        ONTOLOGY_GRAPH,
        ox.parse(
            """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
            @prefix owl: <http://www.w3.org/2002/07/owl#> .
            <https://example.org/p> rdfs:subPropertyOf <https://example.org/q> .
            <https://example.org/q> owl:inverseOf <https://example.org/r> .""",
            format=ox.RdfFormat.TURTLE,
        ),
    )
    triple = "<https://example.org/a> <https://example.org/p> <https://example.org/b> ."
    store.add_triples(data_graph("test"), ox.parse(triple, format=ox.RdfFormat.TURTLE))
    materialise(store)  # round 1: a q b; round 2 (the second call's first): b r a
    assert store.query(
        "ASK { <https://example.org/b> <https://example.org/r> <https://example.org/a> }"
    )
