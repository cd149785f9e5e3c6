"""``hrgraph import KIND FILE --output data/NAME.ttl``: an import written as the project's own
Turtle (how ``make data`` makes the bundled files), without a store, byte-for-byte reproducible,
atomic, and linked to the curated subjects of ``data/`` without relabelling them."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from hrgraph.build.importers.output import GENERATED_MARK, curated_subjects, is_generated
from hrgraph.cli.main import main
from hrgraph.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
EXPORT = ROOT / "tests" / "fixtures" / "imports" / "un_hr_ratifications-2026-02-03.csv"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
KAZ = "https://w3id.org/hrgraph/id/state/kaz"


def run(project: Path, output: Path, *extra: str) -> int:
    store = project / "var" / "never-built"
    return main(
        ["--root", str(project), "import", "ratifications", str(EXPORT), "--output", str(output),
         "--quiet", "--store", str(store), *extra]
    )  # fmt: skip


def test_output_is_turtle_in_its_own_data_graph_without_a_store(project_copy: Path) -> None:
    output = project_copy / "data" / "world-test.ttl"
    assert run(project_copy, output) == 0
    assert not (project_copy / "var" / "never-built").exists()
    text = output.read_text(encoding="utf-8")
    assert text.startswith(GENERATED_MARK + " ratifications`")
    assert "# Input: un_hr_ratifications-2026-02-03.csv, sha256 b57f5065" in text
    triples = [q.triple for q in ox.parse(path=str(output), format=ox.RdfFormat.TURTLE)]
    graph = ox.NamedNode("https://w3id.org/hrgraph/graph/data/world-test")
    creator = ox.NamedNode("http://purl.org/dc/terms/creator")
    assert ox.Triple(graph, creator, ox.Literal("hrgraph import ratifications")) in triples
    # Kazakhstan is labelled in the curated data: linked to, never relabelled
    assert not [t for t in triples if t.subject.value == KAZ and t.predicate.value == LABEL]
    assert is_generated(output)


def test_output_is_reproducible(project_copy: Path, tmp_path: Path) -> None:
    first = project_copy / "data" / "world-test.ttl"
    assert run(project_copy, first) == 0
    again = tmp_path / "world-test.ttl"  # same stem, so the same graph name
    assert run(project_copy, again) == 0
    assert first.read_bytes() == again.read_bytes()


def test_generated_files_are_not_curated(project_copy: Path) -> None:
    settings = Settings(root=project_copy, store_path=None)
    before = curated_subjects(settings)
    output = project_copy / "data" / "world-test.ttl"
    assert run(project_copy, output) == 0
    assert curated_subjects(settings) == before
    assert KAZ in before


def test_a_failed_import_leaves_the_previous_file(project_copy: Path, tmp_path: Path) -> None:
    output = project_copy / "data" / "world-test.ttl"
    assert run(project_copy, output) == 0
    previous = output.read_bytes()
    bad = tmp_path / "un_hr_ratifications-2026-02-03.csv"
    bad.write_text("country,year\nKazakhstan,2006\n", encoding="utf-8")
    code = main(["--root", str(project_copy), "import", "ratifications", str(bad), "--output",
                 str(output), "--quiet", "--store", str(tmp_path / "s")])  # fmt: skip
    assert code == 2
    assert output.read_bytes() == previous
    assert [p.name for p in output.parent.glob(".world-test.ttl.*")] == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("world.nt", "give a Turtle file name ending in .ttl"),
        ("missing/world.ttl", "does not exist"),
    ],
)
def test_output_name_is_checked(
    project_copy: Path, name: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(project_copy, project_copy / name) == 2
    assert message in capsys.readouterr().err
