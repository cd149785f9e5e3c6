"""hrgraph validate, the machinery: dates, formats, exit codes and bad input. The legal shapes
themselves are tested in test_shapes_*.py."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import rdflib
from conftest import load_script
from rdflib.namespace import RDF, SH

from hrgraph.cli.main import main
from hrgraph.settings import Settings
from hrgraph.validation.errors import ValidationInputError
from hrgraph.validation.validate import SPARQL_ENGINE, validate

COMMISSIONER = "https://w3id.org/hrgraph/id/institution/kaz/commissioner-for-human-rights"
SHAPE = """
@prefix hrg: <https://w3id.org/hrgraph/ontology#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix t: <https://example.org/test-shapes#> .
t:TermKnown a sh:NodeShape ;
    sh:targetClass hrg:NationalHumanRightsInstitution ;
    hrg:enforces <https://w3id.org/hrgraph/id/treaty/iccpr/art-22> ;
    sh:sparql [ sh:message "has no five-year term in force" ; sh:select \"\"\"
        PREFIX hrg: <https://w3id.org/hrgraph/ontology#>
        SELECT $this WHERE {
            FILTER NOT EXISTS { $this hrg:hasFeature ?f . ?f hrg:termYears ?y FILTER (?y = 5) }
        }
    \"\"\" ] .
"""


@pytest.fixture
def shape_file(tmp_path: Path) -> Path:
    path = tmp_path / "term.ttl"
    path.write_text(SHAPE)
    return path


@pytest.fixture
def framework(tmp_path: Path) -> Path:
    """A second State's small framework: one NHRI whose five-year term starts in 2010."""
    path = tmp_path / "xxa.ttl"
    path.write_text(
        """@prefix hrg: <https://w3id.org/hrgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/hrgraph/id/institution/xxa/ombudsman> a hrg:NationalHumanRightsInstitution ;
    rdfs:label "Ombudsman of Xanadu"@en ;
    hrg:hasFeature <https://w3id.org/hrgraph/id/feature/xxa/ombudsman-term> ;
    hrg:source <https://w3id.org/hrgraph/id/source/xxa-law> ; hrg:confidence hrg:Verified .
<https://w3id.org/hrgraph/id/feature/xxa/ombudsman-term> a hrg:Term ;
    rdfs:label "Five-year term"@en ; hrg:termYears 5.0 ;
    hrg:validFrom "2010-01-01"^^xsd:date ;
    hrg:source <https://w3id.org/hrgraph/id/source/xxa-law> ; hrg:confidence hrg:Verified .
<https://w3id.org/hrgraph/id/source/xxa-law> a hrg:Source ;
    rdfs:label "Ombudsman Act of Xanadu"@en ;
    hrg:url "https://example.org/xxa-law"^^xsd:anyURI .
"""
    )
    return path


def test_a_feature_not_yet_valid_is_not_seen(
    project_root: Path, shape_file: Path, framework: Path
) -> None:
    settings = Settings(root=project_root)
    before = validate(
        settings, as_of=_d("2009-12-31"), data_files=[framework], shape_files=[shape_file]
    )
    after = validate(
        settings, as_of=_d("2010-01-01"), data_files=[framework], shape_files=[shape_file]
    )
    assert [(f.focus_label, f.message) for f in before.findings] == [
        ("Ombudsman of Xanadu", "has no five-year term in force")
    ]
    assert (after.conforms, after.findings) == (True, [])


def test_a_finding_cites_its_requirement_group_and_sources(
    project_root: Path, shape_file: Path, framework: Path
) -> None:
    report = validate(
        Settings(root=project_root), as_of=_d("2009-01-01"), data_files=[framework],
        shape_files=[shape_file],
    )  # fmt: skip
    [finding] = report.findings
    assert finding.requirement == "https://w3id.org/hrgraph/id/treaty/iccpr/art-22"
    assert (finding.group_kind, finding.group, finding.severity) == (
        "institution", "Ombudsman of Xanadu", "Violation",
    )  # fmt: skip
    assert [(f.label, f.confidence, [s.url for s in f.sources]) for f in finding.facts] == [
        ("Ombudsman of Xanadu", "verified", ["https://example.org/xxa-law"])
    ]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_exit_codes_and_formats(
    capsys: pytest.CaptureFixture[str], shape_file: Path, framework: Path
) -> None:
    common = ["validate", "--shapes", str(shape_file), "--data", str(framework)]
    code, out, _ = run(capsys, *common, "--as-of", "2010-06-01")
    assert (code, out.splitlines()[0]) == (
        0,
        "Conforms as of 2010-06-01: no requirement found not met. "
        "Outcomes: not met 0; not established 0; met 1.",
    )

    code, out, _ = run(capsys, *common, "--as-of", "2009-06-01", "--format", "json")
    body = json.loads(out)
    assert (code, body["conforms"], body["counts"]["Violation"]) == (1, False, 1)

    code, out, _ = run(capsys, *common, "--as-of", "2009-06-01", "--format", "turtle")
    graph = rdflib.Graph().parse(data=out, format="turtle")
    [report] = graph.subjects(RDF.type, SH.ValidationReport)
    assert code == 1
    assert graph.value(report, SH.conforms).toPython() is False
    assert len(list(graph.objects(report, SH.result))) == 1

    code, out, _ = run(capsys, *common, "--as-of", "2009-06-01", "--format", "markdown")
    assert code == 1
    assert "## Institution: Ombudsman of Xanadu" in out

    code, out, _ = run(capsys, *common, "--as-of", "2009-06-01", "--format", "html")
    assert code == 1
    assert "<h2>Institution: Ombudsman of Xanadu</h2>" in out


def test_markup_in_data_is_escaped_in_html(
    capsys: pytest.CaptureFixture[str], shape_file: Path, framework: Path
) -> None:
    framework.write_text(
        framework.read_text().replace('"Ombudsman of Xanadu"@en', '"<script>alert(1)</script>"@en')
    )
    code, out, _ = run(capsys, "validate", "--shapes", str(shape_file), "--data", str(framework),
                       "--as-of", "2009-06-01", "--format", "html")  # fmt: skip
    assert code == 1
    assert "<script>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ("bad-data", "xxa.ttl:1:"),
        ("bad-shapes", "term.ttl: cannot be read as Turtle"),
        ("unknown-term", "uses terms the ontology does not define: hrg:termLength"),
        ("service", "a SHACL-SPARQL constraint is refused: SERVICE"),
    ],
)
def test_bad_data_or_shapes_exit_2_with_no_report(
    capsys: pytest.CaptureFixture[str], shape_file: Path, framework: Path, fault: str, message: str
) -> None:
    if fault == "bad-data":
        framework.write_text("<https://example.org/a> <https://example.org/b> .\n")
    elif fault == "bad-shapes":
        shape_file.write_text("this is not turtle\n")
    elif fault == "unknown-term":
        shape_file.write_text(SHAPE.replace("hrg:termYears", "hrg:termLength"))
    else:
        shape_file.write_text(
            SHAPE.replace("FILTER NOT EXISTS", "SERVICE <http://127.0.0.1:9/> {}")
        )
    code, out, err = run(capsys, "validate", "--shapes", str(shape_file), "--data", str(framework))
    assert (code, out) == (2, "")
    assert message in err


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing.ttl", "missing.ttl: no such file"),
        ("notes.txt", "notes.txt: unsupported file type"),
    ],
)
def test_unusable_data_files_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, shape_file: Path, name: str, message: str
) -> None:
    if name.endswith(".txt"):
        (tmp_path / name).write_text("notes\n")
    code, out, err = run(
        capsys, "validate", "--shapes", str(shape_file), "--data", str(tmp_path / name)
    )
    assert (code, out) == (2, "")
    assert message in err


def test_an_impossible_date_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["validate", "--as-of", "2009-02-30"])
    assert caught.value.code == 2
    assert "'2009-02-30' is not a date: write YYYY-MM-DD" in capsys.readouterr().err


def test_validate_raises_for_missing_shapes(project_root: Path, tmp_path: Path) -> None:
    with pytest.raises(ValidationInputError, match="no such shapes file"):
        validate(Settings(root=project_root), shape_files=[tmp_path / "none.ttl"])


def _d(text: str):  # type: ignore[no-untyped-def]
    from datetime import date

    return date.fromisoformat(text)


def _quads(store_dir: Path) -> int:
    import pyoxigraph as ox

    current = (store_dir / "current").resolve()
    return sum(1 for _ in ox.Store.read_only(str(current)))


def test_the_built_store_is_validated_when_it_was_built_from_the_current_files(
    project_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With a store built from the files as they are, validation reads a private checkpoint of
    it (cut to the day there, never in the store) and finds what validating the files finds;
    once a file changes, the files are validated, built in memory."""
    store_dir = project_copy / "var" / "store"
    assert main(["--root", str(project_copy), "build", "--quiet"]) == 0
    capsys.readouterr()
    before = _quads(store_dir)
    settings = Settings(root=project_copy, store_path=store_dir)
    from_store = validate(settings, as_of=date(2015, 1, 1))
    generation = (store_dir / "current").resolve().name
    assert from_store.basis == f"the built store (generation {generation})"  # no server path
    assert from_store.engine == SPARQL_ENGINE
    from_files = validate(Settings(root=project_copy), as_of=date(2015, 1, 1))
    assert from_files.basis == "the data files, built in memory"
    assert from_store.findings == from_files.findings
    table = load_script("legal-table.py").read_table()
    assert len(from_store.findings) == sum(  # the legal table's rows for that day
        1 for row in table if row["as_of"] == "2015-01-01" and row["outcome"] != "met"
    )
    assert from_store.met == from_files.met
    assert _quads(store_dir) == before  # the cut happened in the checkpoint only
    assert sorted(p.name for p in store_dir.iterdir()) == ["current", "generations"]

    events = project_copy / "data" / "events.ttl"
    events.write_text(events.read_text() + "\n# an edit after the build\n")
    stale = validate(settings, as_of=date(2015, 1, 1))
    assert stale.basis == "the data files, built in memory"
    assert stale.findings == from_store.findings

    assert main(["--root", str(project_copy), "validate", "--as-of", "2015-01-01"]) == 1
    out = capsys.readouterr().out
    assert (
        "Validated: the data files, built in memory; engine: SPARQL on the Oxigraph store." in out
    )
    # pySHACL asked for, with one shape file (the findings of the bundled graph are compared
    # engine against engine, all shapes and two days, in tests/test_shaclsparql.py)
    beyond = project_copy / "shapes" / "beyond.ttl"
    assert main(
        ["--root", str(project_copy), "validate", "--as-of", "2015-01-01", "--engine", "pyshacl",
         "--shapes", str(beyond), "--format", "json"]
    ) == 1  # fmt: skip
    body = json.loads(capsys.readouterr().out)
    assert body["engine"] == "pySHACL (asked for)"
    ours = validate(settings, as_of=date(2015, 1, 1), shape_files=[beyond])
    assert body["counts"] == ours.counts() == {"Violation": 2, "Warning": 3, "Info": 1}


def test_root_option_sets_the_default_store_folder(project_copy: Path) -> None:
    """`hrgraph --root FOLDER build` builds into FOLDER/var/store, not the current project's."""
    assert main(["--root", str(project_copy), "build", "--quiet"]) == 0
    assert (project_copy / "var" / "store" / "current").is_dir()
