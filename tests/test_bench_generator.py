"""bench/generate.py: deterministic, smaller scales are prefixes, and its output follows the
ontology (that it passes the integrity shapes is tested in tests/test_integrity.py, in the one
pySHACL run over the bundled data it refers to; no timing here: speed is measured in bench/)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from conftest import load_script
from rdflib import OWL, RDF, Graph, URIRef

ROOT = Path(__file__).resolve().parents[1]
HRG = "https://w3id.org/hrgraph/ontology#"


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    return load_script("generate.py", "bench")


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


def test_every_state_has_a_national_framework(generator: ModuleType) -> None:
    """State 0's framework, exactly: an NHRI with its features, office holding and
    accreditation, a state of emergency and the NHRI's dated response to it (an event), the acts
    and provisions the treaty shapes read, refusals and a ban."""
    graph = Graph().parse(data=generator.state_file(0), format="turtle")
    kinds: dict[str, int] = {}
    for kind in graph.objects(None, RDF.type):
        name = str(kind).removeprefix(HRG)
        kinds[name] = kinds.get(name, 0) + 1
    framework = {name: n for name, n in kinds.items() if name not in {
        "Recommendation", "Response", "Review", "ConcludingObservations", "UPRWorkingGroupReport",
        "Ratification", "State"}}  # fmt: skip
    assert framework == {
        "NationalHumanRightsInstitution": 1, "Ombudsman": 1, "LegalBasis": 1, "Mandate": 1,
        "PowerGrant": 9, "AppointmentProcedure": 1, "Term": 1, "Immunity": 1,
        "BudgetArrangement": 1, "StaffingArrangement": 1, "OfficeHolding": 1, "Person": 1,
        "AccreditationDecision": 1, "StateOfEmergency": 1, "Event": 1, "Ministry": 1, "Court": 1,
        "Institution": 1, "Constitution": 1, "Decree": 1, "Law": 4, "Code": 2,
        "DomesticProvision": 14, "Sanction": 3, "RegistrationRefusal": 3, "Dissolution": 1,
        "GroundStatement": 4, "CivilSocietyOrganisation": 2,
    }  # fmt: skip
    for number in range(12):  # every State has one, whatever its draws
        text = generator.state_file(number)
        assert text.count(" a hrg:NationalHumanRightsInstitution, hrg:Ombudsman ;") == 1
        assert "hrg:regulatesRight id:right\\/freedom-of-association" in text
        assert "hrg:regulatesRight id:right\\/peaceful-assembly" in text
        assert "hrg:regulatesRight id:right\\/freedom-of-expression" in text


def test_generated_states_are_judged(tiny: Path) -> None:
    """Validation judges the generated State with every outcome: exact counts for State XAA
    (its resources' IRIs name its code) as of the benchmark's day."""
    import re
    from datetime import date

    from hrgraph.settings import Settings
    from hrgraph.validation.validate import validate

    report = validate(Settings(root=tiny), as_of=date(2026, 11, 1))
    assert report.engine == "SPARQL on the Oxigraph store"
    ours = re.compile(r"/id/[a-z-]+/xaa[/-]")
    findings = [f for f in report.findings if ours.search(f.focus)]
    met = [m for m in report.met if ours.search(m.focus)]
    outcomes = {"not met": 0, "not established": 0}
    for finding in findings:
        outcomes[finding.outcome] += 1
    assert outcomes == {"not met": 15, "not established": 6}
    assert len(met) == 22
    kinds = {(f.group_kind, f.outcome) for f in findings} | {(m.group_kind, "met") for m in met}
    assert ("institution", "not met") in kinds
    assert ("institution", "not established") in kinds
    assert ("institution", "met") in kinds
    assert ("act", "not met") in kinds
    assert ("act", "met") in kinds
    focuses = {f.focus for f in findings} | {m.focus for m in met}
    assert "https://w3id.org/hrgraph/id/institution/xaa/nhri" in focuses
    assert "https://w3id.org/hrgraph/id/event/xaa/registration-refusal-3" in focuses
