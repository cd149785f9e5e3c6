"""The ontology's alignments hold under the aligned vocabularies' own axioms (issue 17, item 2).

The ontology imports nothing (see ontology/README.md, "Why no owl:imports"), so its alignments are
only subclass and subproperty links to terms declared with a label. Here the axioms that PROV-O,
W3C ORG, SKOS and ELI state about those terms (classes, disjointness, domains, ranges; the
fixtures in tests/fixtures/vocabularies/, each citing its source) are loaded with the ontology
and a sample of the built data into HermiT: the whole must be consistent, and no resource may be
typed by a vocabulary against that vocabulary's own definition (a provision or an act is an ELI
legal resource, never a legal expression; a treaty action is a PROV activity, never an entity).
The negative tests put back the alignments issue 17 removed and expect the reasoner to object.
The sample (every class and predicate of the data, a few resources each, about 3,500 statements)
keeps a run to seconds; HermiT finds the whole ABox consistent too (78,000 statements in 30 s when
this was written).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import owlready2
import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from test_ontology import newest_java

from hrgraph.store.local import GraphStore

ROOT = Path(__file__).parents[1]
ONTOLOGY_FILE = ROOT / "ontology" / "hrgraph.ttl"
VOCABULARIES = ROOT / "tests" / "fixtures" / "vocabularies"
FIXTURES = ("prov-o.ttl", "org.ttl", "skos.ttl", "eli.ttl")

HRG = "https://w3id.org/hrgraph/ontology#"
ID = "https://w3id.org/hrgraph/id/"
DATA_GRAPHS = "https://w3id.org/hrgraph/graph/data/"
INFERRED_GRAPH = "https://w3id.org/hrgraph/graph/inferred"
PROV = "http://www.w3.org/ns/prov#"
ELI = "http://data.europa.eu/eli/ontology#"

pytestmark = pytest.mark.reasoner

# Instances sampled per class and subjects per predicate: every class and every property used in
# the data is represented, with the types of everything the sampled statements point to.
PER_CLASS = 3
PER_PREDICATE = 3


def _term(node: ox.NamedNode | ox.BlankNode | ox.Literal) -> URIRef | Literal:
    if isinstance(node, ox.NamedNode):
        return URIRef(node.value)
    if isinstance(node, ox.Literal):
        language = node.language
        if language:
            return Literal(node.value, lang=language)
        return Literal(node.value, datatype=URIRef(node.datatype.value))
    raise TypeError(f"blank node in the data: {node}")


def _solutions(store: GraphStore, query: str) -> list[ox.QuerySolution]:
    result = store.query(query)
    assert isinstance(result, ox.QuerySolutions)
    return list(result)


def data_sample(store: GraphStore) -> Graph:
    """A faithful sample of the bundled data's ABox: for every class asserted in a data graph
    (or on a binding the build derives), a few of its instances; for every predicate, a few of
    its subjects; all the statements about each chosen resource, and the types of every resource
    those statements point to."""
    # The data graphs, and from the build's graph only the bindings it derives.
    scope = (
        f'FILTER(STRSTARTS(STR(?g), "{DATA_GRAPHS}") '
        f'|| (?g = <{INFERRED_GRAPH}> && STRSTARTS(STR(?s), "{ID}binding/")))'
    )
    chosen: set[str] = set()
    patterns = [
        (f"?s a {row['c']}", PER_CLASS)
        for row in _solutions(
            store, f"SELECT DISTINCT ?c WHERE {{ GRAPH ?g {{ ?s a ?c }} {scope} }}"
        )
    ] + [
        (f"?s {row['p']} ?o", PER_PREDICATE)
        for row in _solutions(
            store, f"SELECT DISTINCT ?p WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {scope} }}"
        )
    ]
    for pattern, limit in patterns:
        query = (
            f"SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ {pattern} }} FILTER(isIRI(?s)) {scope} }}"
            f" ORDER BY ?s LIMIT {limit}"
        )
        chosen.update(row["s"].value for row in _solutions(store, query))
    sample = Graph()
    values = " ".join(f"<{iri}>" for iri in sorted(chosen))
    query = f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} {scope} }}"
    for row in _solutions(store, query):
        sample.add((_term(row["s"]), _term(row["p"]), _term(row["o"])))
    objects = {str(o) for o in sample.objects() if isinstance(o, URIRef)} - chosen
    values = " ".join(f"<{iri}>" for iri in sorted(objects))
    query = f"SELECT ?s ?o WHERE {{ VALUES ?s {{ {values} }} GRAPH ?g {{ ?s a ?o }} {scope} }}"
    for row in _solutions(store, query):
        sample.add((_term(row["s"]), RDF.type, _term(row["o"])))
    return sample


def vocabularies() -> Graph:
    graph = Graph()
    for name in FIXTURES:
        graph.parse(VOCABULARIES / name, format="turtle")
    return graph


@pytest.fixture(scope="module")
def sample(store: GraphStore) -> Graph:
    graph = data_sample(store)
    assert len(graph) > 1000
    return graph


@pytest.fixture(scope="module")
def hermit_java() -> Iterator[str]:
    """The newest Java found (HermiT runs on Java 17 or later)."""
    best, _version = newest_java()
    previous = owlready2.JAVA_EXE
    owlready2.JAVA_EXE = best
    yield best
    owlready2.JAVA_EXE = previous


def reason(graph: Graph, tmp_path: Path) -> owlready2.World:
    """Run HermiT over the graph in a fresh owlready2 World; raises
    OwlReadyInconsistentOntologyError when the graph is inconsistent."""
    path = tmp_path / "world.nt"
    graph.serialize(destination=str(path), format="nt", encoding="utf-8")
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load()
    # Date literals (xsd:date, xsd:gYear...) are outside the OWL 2 datatype map; HermiT is told
    # to ignore them (see tests/test_ontology.py).
    owlready2.sync_reasoner(
        world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
    )
    return world


def whole(sample: Graph, *, without: tuple[URIRef, URIRef, URIRef] | None = None) -> Graph:
    graph = Graph()
    graph.parse(ONTOLOGY_FILE, format="turtle")
    if without is not None:
        graph.remove(without)
    graph += vocabularies()
    graph += sample
    return graph


def test_fixtures_cite_their_source() -> None:
    for name in FIXTURES:
        text = (VOCABULARIES / name).read_text(encoding="utf-8")
        assert text.startswith("# "), name
        assert "Source:" in text, name
        assert "(c)" in text.lower() or "copyright" in text.lower(), name


def test_sample_covers_every_class_and_predicate_of_the_data(
    store: GraphStore, sample: Graph
) -> None:
    graphs = f'FILTER(STRSTARTS(STR(?g), "{DATA_GRAPHS}"))'
    query = f"SELECT DISTINCT ?c WHERE {{ GRAPH ?g {{ ?s a ?c }} {graphs} }}"
    classes = {row["c"].value for row in _solutions(store, query)}
    query = f"SELECT DISTINCT ?p WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {graphs} }}"
    predicates = {row["p"].value for row in _solutions(store, query)}
    assert len(classes) > 50
    assert classes - {str(c) for c in sample.objects(None, RDF.type)} == set()
    assert predicates - {str(p) for p in sample.predicates()} == set()
    assert (None, URIRef(HRG + "derivedFromAction"), None) in sample


@pytest.mark.usefixtures("hermit_java")
def test_ontology_and_data_are_consistent_with_the_aligned_vocabularies(
    sample: Graph, tmp_path: Path
) -> None:
    world = reason(whole(sample), tmp_path)
    assert list(world.inconsistent_classes()) == []
    # Types inferred from the vocabularies' domains and ranges stay where those vocabularies put
    # them: no provision or act is an ELI expression, no treaty action a PROV entity.
    legal_expression = world[ELI + "LegalExpression"]
    assert legal_expression is not None
    assert list(legal_expression.instances()) == []
    entity = world[PROV + "Entity"]
    action = world[HRG + "TreatyAction"]
    assert action is not None
    assert entity is not None
    actions = set(action.instances())
    assert actions
    assert actions & set(entity.instances()) == set()


@pytest.mark.usefixtures("hermit_java")
@pytest.mark.parametrize(
    ("axiom", "why"),
    [
        (
            (URIRef(HRG + "source"), RDFS.subPropertyOf, URIRef(PROV + "wasDerivedFrom")),
            "a treaty action with a source would be a prov:Entity, disjoint with prov:Activity",
        ),
        (
            (
                URIRef(HRG + "derivedFromAction"),
                RDFS.subPropertyOf,
                URIRef(PROV + "wasDerivedFrom"),
            ),
            "the action a binding is derived from would be a prov:Entity",
        ),
    ],
)
def test_the_old_prov_alignments_are_inconsistent(
    sample: Graph, tmp_path: Path, axiom: tuple[URIRef, URIRef, URIRef], why: str
) -> None:
    graph = whole(sample)
    graph.add(axiom)
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        reason(graph, tmp_path)


@pytest.mark.usefixtures("hermit_java")
def test_the_old_eli_title_alignment_types_provisions_as_expressions(
    sample: Graph, tmp_path: Path
) -> None:
    # ELI's title belongs to a legal expression; a provision's heading under it would make every
    # article with a heading an eli:LegalExpression. Not inconsistent, but not ELI's model.
    graph = whole(sample)
    graph.add((URIRef(HRG + "heading"), RDFS.subPropertyOf, URIRef(ELI + "title")))
    world = reason(graph, tmp_path)
    legal_expression = world[ELI + "LegalExpression"]
    assert legal_expression is not None
    assert list(legal_expression.instances()) != []
