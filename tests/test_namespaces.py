"""src/hrgraph/rdf/namespaces.py is a closed namespace that matches the ontology exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from conftest import load_script
from rdflib.namespace import OWL, RDF

from hrgraph.rdf import namespaces
from hrgraph.rdf.namespaces import HRG, NAMESPACE, TERMS

DECLARATIONS = {
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
}


def ontology_terms(project_root: Path) -> set[str]:
    graph = rdflib.Graph().parse(project_root / "ontology" / "hrgraph.ttl", format="turtle")
    return {
        str(subject)[len(NAMESPACE) :]
        for subject, kind in graph.subject_objects(RDF.type)
        if kind in DECLARATIONS and str(subject).startswith(NAMESPACE)
    }


def test_namespace_matches_the_ontology_exactly(project_root: Path) -> None:
    declared = ontology_terms(project_root)
    assert len(declared) > 150
    assert sorted(declared - TERMS) == [], "in the ontology, missing from namespaces.py"
    assert sorted(TERMS - declared) == [], "in namespaces.py, not declared by the ontology"
    for name in TERMS:
        assert getattr(HRG, name).value == NAMESPACE + name


def test_the_generated_file_is_up_to_date(project_root: Path) -> None:
    generator = load_script("generate-namespaces.py")
    expected = generator.render(generator.ontology_terms(project_root / "ontology" / "hrgraph.ttl"))
    assert Path(namespaces.__file__).read_text(encoding="utf-8") == expected


def test_a_misspelt_term_fails_at_once() -> None:
    with pytest.raises(AttributeError):
        HRG.Ratifcation  # noqa: B018
    with pytest.raises(AttributeError):
        HRG.Ratification = HRG.Signature  # type: ignore[misc]
