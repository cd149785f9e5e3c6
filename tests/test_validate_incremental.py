"""Incremental validation of the built store: each build records the statements it changed
(hrgraph.build.changes); a validation reruns a constraint only on the focus nodes a changed
statement can reach (hrgraph.validation.affected), reuses every other result, says what it
reran, and its findings are those of a full run; a generation that records no changes (a write)
makes everything run again (no timing here: speed is measured in bench/)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import generate_lean

from hrgraph.build.pipeline import build
from hrgraph.settings import Settings
from hrgraph.validation.findings import ValidationReport
from hrgraph.validation.validate import validate

DAY = date(2026, 11, 1)


def _generate(out: Path) -> Path:
    # what the tests edit is the States' frameworks, and each build (about twenty here) loads
    # and infers over every recommendation
    return generate_lean(0.01, out)  # the real data and States XAA and XAB


def _outcomes(report: ValidationReport) -> tuple[object, ...]:
    findings = sorted((f.focus, f.shape, f.message, f.outcome) for f in report.findings)
    met = sorted((m.focus, m.requirement) for m in report.met)
    return tuple(findings), tuple(met)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = _generate(tmp_path_factory.mktemp("incremental") / "world")
    settings = Settings(root=root, store_path=root / "store")
    build(settings)[1].close()
    return settings


def _edit(world: Settings, name: str, old: str, new: str, count: int = -1) -> None:
    path = world.root / "data" / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, count))
    build(world)[1].close()


def _recorded(world: Settings) -> tuple[list[str], int]:
    """The statements the last build recorded as changed, but those naming a blank node (every
    build labels them anew: the ontology's OWL restrictions), and how many it recorded in all."""
    from hrgraph.build.changes import read
    from hrgraph.store.generations import StoreLocation

    assert world.store_path is not None
    current = StoreLocation(world.store_path).current()
    assert current is not None
    changes = read(current)
    assert changes is not None
    assert changes.recorded
    lines = changes.removed + changes.added
    return [line for line in lines if "_:" not in line], len(lines)


def _revalidated(report: ValidationReport) -> set[str]:
    assert report.revalidated is not None
    return {iri.rsplit("/id/", 1)[-1] for iri in report.revalidated}


def _subjects_of(text: str, statement: str) -> set[str]:
    """The subject of each Turtle block of ``text`` that holds ``statement`` (``id:`` names)."""
    return {
        block.split()[0].removeprefix("id:").replace("\\/", "/")
        for block in text.split("\n\n")
        if statement in block
    }


def test_results_are_reused_and_one_states_change_reruns_only_what_it_reaches(
    world: Settings,
) -> None:
    first = validate(world, as_of=DAY)
    assert first.basis.startswith("the built store (generation ")
    assert first.revalidated is None

    again = validate(world, as_of=DAY)
    assert "unchanged since the last validation" in again.basis
    assert "none revalidated" in again.basis
    assert again.revalidated == frozenset()
    assert _outcomes(again) == _outcomes(first)

    # State XAB's file changes: its provisions on founders and assemblies now exclude aliens.
    text = (world.root / "data" / "bench-state-xab.ttl").read_text()
    statement = "hrg:appliesTo hrg:Everyone"
    _edit(world, "bench-state-xab.ttl", statement, "hrg:appliesTo hrg:CitizensOnly")

    changed = validate(world, as_of=DAY)
    assert "; incremental since generation " in changed.basis
    assert "(data/bench-state-xab.ttl changed, " in changed.basis
    plain, recorded = _recorded(world)
    assert len(plain) == 2 * text.count(statement)
    assert all(" <https://w3id.org/hrgraph/ontology#appliesTo> " in line for line in plain)
    assert f", {recorded} statements with the inferred ones and those naming blank nodes): " in (
        changed.basis
    )
    # Only the provisions whose statement changed are judged again, nothing of XAA or Kazakhstan,
    # and of those not the battery provision: the shapes that judge it do not read hrg:appliesTo.
    battery = "act/xab/administrative-code/battery"
    assert battery in _subjects_of(text, statement)
    assert _revalidated(changed) == _subjects_of(text, statement) - {battery}
    full = validate(world, as_of=DAY, incremental=False)
    assert full.revalidated is None
    assert _outcomes(changed) == _outcomes(full)
    assert _outcomes(changed) != _outcomes(first)  # the change is seen


def test_a_build_records_the_statements_it_changed(world: Settings) -> None:
    from hrgraph.build.changes import read
    from hrgraph.store.generations import StoreLocation

    assert world.store_path is not None
    validate(world, as_of=DAY)
    _edit(world, "bench-state-xab.ttl", "hrg:termYears 6 ;", "hrg:termYears 7 ;", 1)
    current = StoreLocation(world.store_path).current()
    assert current is not None
    changes = read(current)
    assert changes is not None
    assert changes.recorded
    assert changes.graphs == ["data/bench-state-xab.ttl"]
    # which sources name blank nodes, by checksum, for the next build (the ontology's OWL
    # restrictions do; the synthetic States' files do not)
    assert set(changes.blank.values()) == {False, True}
    term = (
        "<https://w3id.org/hrgraph/id/feature/xab/nhri-term> "
        "<https://w3id.org/hrgraph/ontology#termYears>"
    )
    integer = "<http://www.w3.org/2001/XMLSchema#integer>"
    assert [line for line in changes.removed if "_:" not in line] == [f'{term} "6"^^{integer} .']
    assert [line for line in changes.added if "_:" not in line] == [f'{term} "7"^^{integer} .']
    report = validate(world, as_of=DAY)
    assert "(data/bench-state-xab.ttl changed, " in report.basis
    assert _outcomes(report) == _outcomes(validate(world, as_of=DAY, incremental=False))


def test_a_date_that_moves_a_fact_out_of_force_reruns_what_reads_it(world: Settings) -> None:
    """The cut to the day drops every statement about the legal basis the edit dates after the
    day: they count as changed, though the edit changed one statement."""
    validate(world, as_of=DAY)
    law = '"2017-06-15"^^xsd:date ;\n    hrg:validFrom "2017-07"^^xsd:gYearMonth ;'
    later = '"2017-06-15"^^xsd:date ;\n    hrg:validFrom "2027-01"^^xsd:gYearMonth ;'
    _edit(world, "bench-state-xab.ttl", law, later, 1)
    report = validate(world, as_of=DAY)
    assert "; incremental since generation " in report.basis
    assert "institution/xab/nhri" in _revalidated(report)
    assert all("xab" in name for name in _revalidated(report))
    assert _outcomes(report) == _outcomes(validate(world, as_of=DAY, incremental=False))


def test_changes_over_several_builds_add_up(world: Settings) -> None:
    validate(world, as_of=DAY)
    _edit(world, "bench-state-xab.ttl", "hrg:termYears 7 ;", "hrg:termYears 5 ;", 1)
    _edit(world, "bench-state-xaa.ttl", "hrg:termYears 2 ;", "hrg:termYears 8 ;", 1)
    report = validate(world, as_of=DAY)
    assert "(data/bench-state-xaa.ttl, data/bench-state-xab.ttl changed, " in report.basis
    assert _outcomes(report) == _outcomes(validate(world, as_of=DAY, incremental=False))


def test_a_generation_no_longer_kept_makes_everything_run(world: Settings) -> None:
    validate(world, as_of=DAY)
    for years in ("9", "10"):  # four builds: three generations are kept
        _edit(world, "bench-state-xaa.ttl", "hrg:termYears 8 ;", f"hrg:termYears {years} ;", 1)
        _edit(world, "bench-state-xaa.ttl", f"hrg:termYears {years} ;", "hrg:termYears 8 ;", 1)
    report = validate(world, as_of=DAY)
    assert "everything revalidated since generation " in report.basis
    assert " is no longer kept)" in report.basis
    assert report.revalidated is None


def test_a_change_in_one_file_that_changes_findings_on_another_files_resources(
    world: Settings,
) -> None:
    """A ministry renamed in the institutions' file changes the findings on the refusals of the
    events' file, which it does not mention: those are judged again."""
    validate(world, as_of=DAY)
    label = '"Ministry of Justice of the Republic of Kazakhstan"@en'
    _edit(world, "kaz-institutions.ttl", label, '"Renamed Ministry of Justice"@en', 1)
    report = validate(world, as_of=DAY)
    assert "; incremental since generation " in report.basis
    assert any("Renamed Ministry of Justice" in f.message for f in report.findings)
    assert _outcomes(report) == _outcomes(validate(world, as_of=DAY, incremental=False))


def test_a_full_validation_is_kept_for_the_next_and_a_broken_cache_is_not_read(
    world: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hrgraph.validation.increment import cache_folder

    monkeypatch.setenv("HRGRAPH_VALIDATION_CACHE", str(tmp_path / "cache"))
    validate(world, as_of=DAY, incremental=False)
    assert "unchanged since the last validation" in validate(world, as_of=DAY).basis
    for kept in cache_folder().glob("*.json"):
        kept.write_text('{"checksums": {}}')  # an older or broken layout
    report = validate(world, as_of=DAY)
    assert "unchanged since" not in report.basis
    assert report.revalidated is None


def test_a_file_edited_without_changing_a_statement_reruns_nothing(world: Settings) -> None:
    validate(world, as_of=DAY)
    path = world.root / "data" / "paris-principles.ttl"
    path.write_text(path.read_text() + "\n# edited\n")
    build(world)[1].close()
    report = validate(world, as_of=DAY)
    assert _recorded(world)[0] == []
    assert "(data/paris-principles.ttl changed, " in report.basis
    assert report.revalidated == frozenset()
    build(world)[1].close()  # nothing changed but the labels of the ontology's blank nodes
    assert "unchanged since the last validation" in validate(world, as_of=DAY).basis


def test_the_cli_revalidates_everything_when_asked(
    world: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    from hrgraph.cli.main import main

    command = ["--root", str(world.root), "validate", "--store", str(world.store_path),
               "--as-of", DAY.isoformat()]  # fmt: skip
    main(command)  # a first validation, whose results the next one could reuse
    capsys.readouterr()
    main(command)
    assert "unchanged since the last validation" in capsys.readouterr().out
    main([*command, "--full"])
    line = next(line for line in capsys.readouterr().out.splitlines() if "Validated:" in line)
    assert line.startswith("Validated: the built store (generation ")
    assert "; incremental" not in line
    assert "unchanged since the last validation" not in line


BASIS_SHAPE = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix hrg: <https://w3id.org/hrgraph/ontology#> .
@prefix ex: <https://example.org/test#> .
ex:BasisShape a sh:NodeShape ;
    sh:targetClass hrg:NationalHumanRightsInstitution ;
    sh:sparql [ a sh:SPARQLConstraint ; sh:message "no legal basis level"@en ;
        sh:select \"\"\"PREFIX hrg: <https://w3id.org/hrgraph/ontology#>
            SELECT $this WHERE { $this a hrg:NationalHumanRightsInstitution .
            FILTER NOT EXISTS { $this hrg:hasFeature ?b . ?b hrg:basisLevel ?l } }\"\"\" ] ,
      [ a sh:SPARQLConstraint ; sh:message "the same query, another message"@en ;
        sh:select \"\"\"PREFIX hrg: <https://w3id.org/hrgraph/ontology#>
            SELECT $this WHERE { $this a hrg:NationalHumanRightsInstitution .
            FILTER NOT EXISTS { $this hrg:hasFeature ?b . ?b hrg:basisLevel ?l } }\"\"\" ] .
"""
TERMS = """@prefix hrg: <https://w3id.org/hrgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://example.org/terms#> .
"""


def test_statements_through_a_blank_node_of_an_unchanged_file(
    world: Settings, tmp_path: Path
) -> None:
    """Every build labels a file's blank nodes anew, so their statements always count as changed:
    here the inferred statement about one goes (the axiom it rests on is removed in another
    file) and the institution the blank node hangs from is judged again. Two constraints of one
    shape with the same query keep their own results (and messages)."""
    shapes = tmp_path / "basis.ttl"
    shapes.write_text(BASIS_SHAPE)
    (world.root / "data" / "zz-nhri.ttl").write_text(
        TERMS + "<https://w3id.org/hrgraph/id/institution/zz> a "
        "hrg:NationalHumanRightsInstitution ; hrg:hasFeature [ ex:level hrg:StatutoryLevel ] .\n"
    )
    terms = world.root / "data" / "zz-terms.ttl"
    terms.write_text(TERMS + "ex:level rdfs:subPropertyOf hrg:basisLevel .\n")
    build(world)[1].close()

    def zz(report: ValidationReport) -> list[str]:
        return sorted(f.message for f in report.findings if f.focus.endswith("/zz"))

    assert zz(validate(world, as_of=DAY, shape_files=[shapes])) == []
    terms.write_text(TERMS + 'ex:level rdfs:label "level"@en .\n')
    build(world)[1].close()
    report = validate(world, as_of=DAY, shape_files=[shapes])
    assert "; incremental since generation " in report.basis
    assert "institution/zz" in _revalidated(report)
    assert zz(report) == ["no legal basis level", "the same query, another message"]
    full = validate(world, as_of=DAY, shape_files=[shapes], incremental=False)
    assert _outcomes(report) == _outcomes(full)
    again = validate(world, as_of=DAY, shape_files=[shapes])
    assert "unchanged since the last validation" in again.basis
    assert _outcomes(again) == _outcomes(full)
    # the files go: the report names them as it named them, and the institution goes
    (world.root / "data" / "zz-nhri.ttl").unlink()
    terms.unlink()
    build(world)[1].close()
    gone = validate(world, as_of=DAY, shape_files=[shapes])
    assert "(data/zz-nhri.ttl, data/zz-terms.ttl changed, " in gone.basis
    assert zz(gone) == []


def test_a_file_saved_during_a_build_is_recorded_as_it_was_loaded(
    world: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The checksum a build records is that of the bytes it loaded: a file saved again while
    the build runs is seen as changed by the next build, which records the change."""
    import hashlib

    from hrgraph.build.changes import read
    from hrgraph.build.pipeline import recorded_sources
    from hrgraph.store.generations import StoreLocation
    from hrgraph.store.local import GraphStore

    assert world.store_path is not None
    path = world.root / "data" / "bench-state-xab.ttl"
    loaded = path.read_bytes()
    assert b"hrg:termYears 5 ;" in loaded
    load = GraphStore.load_bytes

    def load_then_save(self: GraphStore, data: bytes, *args: object) -> None:
        load(self, data, *args)  # type: ignore[arg-type]
        if data == loaded:  # the user saves the file just after the build read it
            path.write_bytes(loaded.replace(b"hrg:termYears 5 ;", b"hrg:termYears 4 ;"))

    monkeypatch.setattr(GraphStore, "load_bytes", load_then_save)
    build(world)[1].close()
    monkeypatch.undo()
    location = StoreLocation(world.store_path)
    current = location.current()
    assert current is not None
    store = GraphStore.read_only_at(current)
    try:
        recorded = dict(recorded_sources(store).values())
    finally:
        store.close()
    assert recorded["data/bench-state-xab.ttl"] == "sha256:" + hashlib.sha256(loaded).hexdigest()
    build(world)[1].close()
    now = location.current()
    assert now is not None
    changes = read(now)
    assert changes is not None
    assert changes.graphs == ["data/bench-state-xab.ttl"]
    added = [line for line in changes.added if "_:" not in line]
    assert len(added) == len([line for line in changes.removed if "_:" not in line]) == 1
    assert '"4"^^' in added[0]


def test_a_write_to_the_store_is_a_change(world: Settings) -> None:
    from hrgraph.build.writes import StoreWriter
    from hrgraph.settings import Limits
    from hrgraph.store.generations import StoreLocation

    assert world.store_path is not None
    validate(world, as_of=DAY)
    assert "unchanged since" in validate(world, as_of=DAY).basis
    writer = StoreWriter(StoreLocation(world.store_path), Limits())
    writer.update("INSERT DATA { <http://example.org/w> <http://example.org/p> 1 }")
    report = validate(world, as_of=DAY)
    assert "everything revalidated" in report.basis
    assert "writes/" in report.basis
    # A build replays the write log, which may change any graph: it records no changes either.
    build(world)[1].close()
    report = validate(world, as_of=DAY)
    assert "everything revalidated" in report.basis
    assert "does not record its changes: the build replayed 1 write(s), which may change" in (
        report.basis
    )
