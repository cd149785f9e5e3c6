"""bench/generate.py: deterministic, smaller scales are prefixes, and its output follows the
ontology and passes the integrity shapes (no timing here: speed is measured in bench/)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pyshacl
import pytest
from rdflib import OWL, RDF, Graph, URIRef
from rdflib.namespace import SH

ROOT = Path(__file__).resolve().parents[1]
HRG = "https://w3id.org/hrgraph/ontology#"


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    return load_generator()


@pytest.fixture(scope="module")
def tiny(generator: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generator.generate(0.005, tmp_path_factory.mktemp("bench") / "scale")  # one State


def test_deterministic_and_prefixes(generator: ModuleType, tmp_path: Path) -> None:
    assert generator.state_file(0) == generator.state_file(0)
    assert generator.state_file(0) != generator.state_file(1)
    assert generator.states_for(0.01) == 2
    assert generator.states_for(0.1) == 19
    assert generator.states_for(1.0) == 193
    small = generator.generate(0.005, tmp_path / "small")
    larger = generator.generate(0.011, tmp_path / "larger")
    small_files = sorted(p.name for p in (small / "data").glob("bench-*.ttl"))
    larger_files = sorted(p.name for p in (larger / "data").glob("bench-*.ttl"))
    assert len(small_files) == 2  # sources + States
    assert len(larger_files) == 3
    for name in small_files:
        assert (small / "data" / name).read_bytes() == (larger / "data" / name).read_bytes()


def test_scale_one_has_the_issues_size(generator: ModuleType) -> None:
    per_state = (
        generator.UPR_CYCLES * generator.UPR_RECOMMENDATIONS
        + len(generator.TREATY_BODIES) * generator.TB_RECOMMENDATIONS
    )
    assert 240_000 <= generator.STATES * per_state <= 260_000
    text = generator.state_file(5)
    assert text.count(" a hrg:Recommendation ;") == per_state


def _data(tiny: Path) -> Graph:
    data = Graph()
    for path in sorted((tiny / "data").glob("*.ttl")):
        data.parse(path, format="turtle")
    return data


def test_follows_the_ontology(tiny: Path) -> None:
    ontology = Graph().parse(ROOT / "ontology" / "hrgraph.ttl", format="turtle")
    generated = Graph()
    for path in sorted((tiny / "data").glob("bench-*.ttl")):
        generated.parse(path, format="turtle")
    classes = set(ontology.subjects(RDF.type, OWL.Class))
    properties = {
        s
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
        for s in ontology.subjects(RDF.type, kind)
    }
    individuals = set(ontology.subjects(RDF.type, OWL.NamedIndividual))
    used_classes = set(generated.objects(None, RDF.type))
    assert used_classes
    assert used_classes <= classes
    used_properties = {p for p in generated.predicates() if str(p).startswith(HRG)}
    assert used_properties <= properties, used_properties - properties
    hrg_objects = {
        o for o in generated.objects() if isinstance(o, URIRef) and str(o).startswith(HRG)
    }
    assert hrg_objects <= classes | individuals
    # every resource the generated files point at is defined somewhere in the data
    data = _data(tiny)
    targets = {
        o
        for p, o in generated.predicate_objects()
        if isinstance(o, URIRef)
        and str(o).startswith("https://w3id.org/hrgraph/id/")
        and p != RDF.type
    }
    assert {t for t in targets if (t, RDF.type, None) not in data} == set()


def test_passes_the_integrity_shapes(tiny: Path) -> None:
    shapes = Graph()
    for path in sorted((ROOT / "shapes" / "integrity").glob("*.ttl")):
        shapes.parse(path, format="turtle")
    ontology = Graph().parse(ROOT / "ontology" / "hrgraph.ttl", format="turtle")
    conforms, report, text = pyshacl.validate(
        _data(tiny),
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=False,
    )
    results = {str(report.value(r, SH.focusNode)) for r in report.objects(None, SH.result)}
    assert conforms, text
    assert results == set()
