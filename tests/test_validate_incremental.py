"""Incremental validation of the built store: each build records the statements it changed
(hrgraph.build.changes); a validation reruns a constraint only on the focus nodes a changed
statement can reach (hrgraph.validation.affected), reuses every other result, says what it
reran, and its findings are those of a full run; a generation that records no changes (a write)
makes everything run again (no timing here: speed is measured in bench/)."""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

import pytest

from hrgraph.build.pipeline import build
from hrgraph.settings import Settings
from hrgraph.validation.findings import ValidationReport
from hrgraph.validation.validate import validate

ROOT = Path(__file__).resolve().parents[1]
DAY = date(2026, 11, 1)


def _generate(out: Path) -> Path:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return Path(module.generate(0.011, out))  # the real data and States XAA, XAB, XAC


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
    assert f", {2 * text.count(statement)} statements with the inferred ones): " in changed.basis
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
    term = (
        "<https://w3id.org/hrgraph/id/feature/xab/nhri-term> "
        "<https://w3id.org/hrgraph/ontology#termYears>"
    )
    integer = "<http://www.w3.org/2001/XMLSchema#integer>"
    assert changes.removed == [f'{term} "6"^^{integer} .']
    assert changes.added == [f'{term} "7"^^{integer} .']
    report = validate(world, as_of=DAY)
    assert "(data/bench-state-xab.ttl changed, 2 statements with the inferred ones)" in report.basis
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
    assert "(data/bench-state-xaa.ttl, data/bench-state-xab.ttl changed, 4 statements" in (
        report.basis
    )
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
    assert "(data/paris-principles.ttl changed, 0 statements with the inferred ones): 0 of " in (
        report.basis
    )
    assert report.revalidated == frozenset()


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
