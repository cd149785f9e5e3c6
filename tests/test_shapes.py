"""The legal shapes (shapes/paris-principles.ttl, iccpr-art22.ttl, beyond.ttl), case by case.

Each case in tests/cases/shapes/{paris,art22,beyond}/ is a small Turtle file named by its expected
outcome: ``*-valid-*.ttl`` meets every requirement (no finding), ``*-invalid-*.ttl`` fails one
(a Violation or a Warning: not met), ``*-unknown-*.ttl`` records too little to tell (only Info
findings: not established, and the data conforms). Its leading comments say how to validate it
and what to expect:

    # as-of: 2020-06-01                                  the day validated
    # with: tests/cases/shapes/_state.ttl               base files validated with it (optional)
    # expect: <focus> <requirement> [Warning|Info]      one line per finding (default Violation)

Focus and requirement are IRIs, written relative to https://w3id.org/hrgraph/id/ when they are
in the dataset's namespace. The findings must be exactly those expected, no more, no fewer.
Files whose name starts with ``_`` are bases, not cases.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import rdflib

from hrgraph.settings import Settings
from hrgraph.sparql.querycheck import scan
from hrgraph.store.local import GraphStore
from hrgraph.validation.validate import SPARQL_ENGINE, validate

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "cases" / "shapes"
ID = "https://w3id.org/hrgraph/id/"
ENFORCES = rdflib.URIRef("https://w3id.org/hrgraph/ontology#enforces")
SHAPE_FILES = {
    "paris": ROOT / "shapes" / "paris-principles.ttl",
    "art22": ROOT / "shapes" / "iccpr-art22.ttl",
    "beyond": ROOT / "shapes" / "beyond.ttl",
}

Expected = tuple[str, str, str]
"""(focus, requirement, severity)"""
OUTCOMES = ("valid", "invalid", "unknown")


@dataclass(frozen=True)
class Case:
    path: Path
    as_of: date
    with_files: tuple[Path, ...]
    expected: tuple[Expected, ...]

    @property
    def valid(self) -> bool:
        return "-valid-" in self.path.name

    @property
    def outcome(self) -> str:
        """``valid``, ``invalid`` or ``unknown``, from the file name."""
        return next(kind for kind in OUTCOMES if f"-{kind}-" in self.path.name)


def _iri(token: str) -> str:
    return token if "://" in token else ID + token


def read_case(path: Path) -> Case:
    as_of: date | None = None
    with_files: list[Path] = []
    expected: list[Expected] = []
    for line in path.read_text().splitlines():
        if not line.startswith("#"):
            continue
        key, _, value = line.lstrip("# ").partition(":")
        value = value.strip()
        if key == "as-of":
            as_of = date.fromisoformat(value)
        elif key == "with":
            with_files += [ROOT / name for name in value.split()]
        elif key == "expect":
            focus, requirement, *severity = value.split()
            expected.append(
                (_iri(focus), _iri(requirement), severity[0] if severity else "Violation")
            )
    assert as_of is not None, f"{path.name}: no '# as-of: YYYY-MM-DD' line"
    return Case(path, as_of, tuple(with_files), tuple(expected))


def discover() -> list[Case]:
    paths = sorted(
        path
        for folder in SHAPE_FILES
        for path in (CASES / folder).glob("*.ttl")
        if not path.name.startswith("_")
    )
    return [read_case(path) for path in paths]


ALL_CASES = discover()


def test_cases_are_found_and_named_by_outcome() -> None:
    assert len(ALL_CASES) >= 60
    for folder in SHAPE_FILES:
        names = [case.path.name for case in ALL_CASES if case.path.parent.name == folder]
        assert any("-valid-" in name for name in names), folder
        assert any("-invalid-" in name for name in names), folder
    for case in ALL_CASES:
        name = case.path.name
        assert sum(f"-{kind}-" in name for kind in OUTCOMES) == 1, name
        severities = {severity for _, _, severity in case.expected}
        expected = {
            "valid": not severities,
            "invalid": bool(severities - {"Info"}),
            "unknown": severities == {"Info"},
        }
        assert expected[case.outcome], f"{name}: expectations contradict its name"


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda case: case.path.stem)
def test_case(project_root: Path, case: Case) -> None:
    """The findings expected, exactly; and pySHACL on the same data and shapes finds exactly
    the same, fact for fact (the shapes run as SPARQL on the store by default)."""
    arguments = {
        "as_of": case.as_of,
        "data_files": [*case.with_files, case.path],
        "shape_files": [SHAPE_FILES[case.path.parent.name]],
    }
    report = validate(Settings(root=project_root), **arguments)  # type: ignore[arg-type]
    assert report.engine == SPARQL_ENGINE
    found = Counter((f.focus, f.requirement or "", f.severity) for f in report.findings)
    assert found == Counter(case.expected), "\n".join(
        f"{f.severity} {f.focus} {f.requirement}: {f.message}" for f in report.findings
    )
    # a warning, too, makes the data not conform; a finding that something is not established
    # never does
    assert report.conforms == (case.outcome != "invalid")
    found_outcomes = {f.outcome for f in report.findings}
    assert found_outcomes <= {"not met", "not established"}
    assert all((f.severity == "Info") == (f.outcome == "not established") for f in report.findings)
    theirs = validate(Settings(root=project_root), engine="pyshacl", **arguments)  # type: ignore[arg-type]
    assert report.findings == theirs.findings, "pySHACL finds otherwise"
    assert report.conforms == theirs.conforms


def test_every_requirement_a_shape_cites_fails_in_some_case() -> None:
    """Each cited requirement or article has at least one violating case; the valid cases
    cover the same shapes, since they validate against the whole shape file."""
    shapes = rdflib.Graph()
    for path in SHAPE_FILES.values():
        shapes.parse(path, format="turtle")
    cited = {str(requirement) for requirement in shapes.objects(None, ENFORCES)}
    assert len(cited) >= 25
    failing = {requirement for case in ALL_CASES for _, requirement, _ in case.expected}
    assert sorted(cited - failing) == []


def test_every_cited_requirement_is_described_in_the_bundled_data(store: GraphStore) -> None:
    """A typo in hrg:enforces would leave findings citing nothing: each cited IRI is a
    requirement of data/paris-principles.ttl or a treaty provision of the bundled data."""
    shapes = rdflib.Graph()
    for path in SHAPE_FILES.values():
        shapes.parse(path, format="turtle")
    cited = sorted({str(requirement) for requirement in shapes.objects(None, ENFORCES)})
    hrg = "https://w3id.org/hrgraph/ontology#"
    kinds = f"<{hrg}Requirement>, <{hrg}TreatyProvision>"
    undescribed = [
        iri for iri in cited if not store.query(f"ASK {{ <{iri}> a ?k FILTER (?k IN ({kinds})) }}")
    ]
    assert undescribed == []


def test_every_message_placeholder_is_selected() -> None:
    """A ``{?name}`` in a constraint's message that its SELECT does not project is left in the
    finding as it is written (SHACL 5.3.2; pySHACL does the same): each one names a variable
    the constraint projects."""
    shapes = rdflib.Graph()
    for path in SHAPE_FILES.values():
        shapes.parse(path, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    unbound = []
    for constraint, select in shapes.subject_objects(sh.select):
        tokens = scan(str(select)).tokens
        end = next(i for i, token in enumerate(tokens) if token == ("word", "WHERE"))
        projected = {name for kind, name in tokens[:end] if kind == "var"}
        for message in shapes.objects(constraint, sh.message):
            named = set(re.findall(r"\{[?$](\w+)\}", str(message)))
            unbound += [f"{constraint}: {{?{name}}}" for name in sorted(named - projected)]
    assert unbound == []
