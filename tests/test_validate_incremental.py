"""Incremental validation of the built store: the results of the last validation are reused
while no source file, write or import changed; after any change everything runs again, the
report says which changed, and the findings are those of a full run (no timing here: speed is
measured in bench/)."""

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


def test_results_are_reused_until_a_file_changes_then_everything_runs(world: Settings) -> None:
    first = validate(world, as_of=DAY)
    assert first.basis.startswith("the built store (generation ")
    assert first.revalidated is None

    again = validate(world, as_of=DAY)
    assert "unchanged since the last validation" in again.basis
    assert "none revalidated" in again.basis
    assert again.revalidated == frozenset()
    assert _outcomes(again) == _outcomes(first)

    # State XAB's file changes: its provisions on founders and assemblies now exclude aliens.
    path = world.root / "data" / "bench-state-xab.ttl"
    text = path.read_text()
    assert "hrg:appliesTo hrg:Everyone" in text
    path.write_text(text.replace("hrg:appliesTo hrg:Everyone", "hrg:appliesTo hrg:CitizensOnly"))
    build(world)[1].close()

    changed = validate(world, as_of=DAY)
    assert "everything revalidated" in changed.basis
    assert "(data/bench-state-xab.ttl changed; a finding on one resource can rest on " in (
        changed.basis
    )
    assert changed.revalidated is None
    full = validate(world, as_of=DAY, incremental=False)
    assert full.revalidated is None
    assert _outcomes(changed) == _outcomes(full)
    assert _outcomes(changed) != _outcomes(first)  # the change is seen


def test_a_change_in_one_file_that_changes_findings_on_another_files_resources(
    world: Settings,
) -> None:
    """A ministry renamed in the institutions' file changes the findings on the refusals of the
    events' file, which it does not mention: nothing is reused."""
    validate(world, as_of=DAY)
    path = world.root / "data" / "kaz-institutions.ttl"
    text = path.read_text()
    label = '"Ministry of Justice of the Republic of Kazakhstan"@en'
    assert label in text
    path.write_text(text.replace(label, '"Renamed Ministry of Justice"@en', 1))
    build(world)[1].close()
    report = validate(world, as_of=DAY)
    assert "everything revalidated" in report.basis
    assert any("Renamed Ministry of Justice" in f.message for f in report.findings)
    assert _outcomes(report) == _outcomes(validate(world, as_of=DAY, incremental=False))


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


def test_a_change_to_what_every_framework_is_read_against_revalidates_everything(
    world: Settings,
) -> None:
    validate(world, as_of=DAY)
    path = world.root / "data" / "paris-principles.ttl"
    path.write_text(path.read_text() + "\n# edited\n")
    build(world)[1].close()
    report = validate(world, as_of=DAY)
    assert "everything revalidated" in report.basis
    assert "data/paris-principles.ttl changed" in report.basis
    assert report.revalidated is None


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
