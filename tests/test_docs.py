"""The README and data/README.md stay true to the tree: a test that fails when something is
undocumented (datasette's habit)."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import load_script

from hrgraph.cli.main import _parser


def test_readme_shows_the_two_commands(project_root: Path) -> None:
    readme = (project_root / "README.md").read_text()
    assert "make serve" in readme
    assert "make test" in readme
    makefile = (project_root / "Makefile").read_text()
    assert re.search(r"^serve:", makefile, re.M)
    assert re.search(r"^test:", makefile, re.M)
    assert "make test" in (project_root / ".ci" / "run").read_text()


def test_readme_maps_every_module_and_folder(project_root: Path) -> None:
    readme = (project_root / "README.md").read_text()
    modules = sorted(
        p.name if p.is_file() else f"{p.name}/"
        for p in (project_root / "src" / "hrgraph").iterdir()
        if (p.suffix == ".py" and p.name != "__init__.py")
        or (p.is_dir() and p.name != "__pycache__")
    )
    assert len(modules) >= 10
    missing = [module for module in modules if f"`{module}`" not in readme]
    assert missing == []
    for folder in ("ontology/", "shapes/", "data/", "queries/", "src/hrgraph/", "tests/"):
        assert f"`{folder}" in readme
        assert (project_root / folder).is_dir()


def test_readme_documents_every_command(project_root: Path) -> None:
    readme = (project_root / "README.md").read_text()
    commands = _parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert set(commands) == {
        "build",
        "query",
        "validate",
        "serve",
        "import",
        "links",
        "export",
        "release",
    }
    for command in commands:
        assert f"`hrgraph {command}" in readme


def test_readme_lists_every_named_query(project_root: Path) -> None:
    readme = (project_root / "README.md").read_text()
    names = sorted(p.stem for p in (project_root / "queries").glob("*.rq"))
    assert names
    assert [name for name in names if f"| `{name}` |" not in readme] == []


def test_data_readme_lists_every_data_file(project_root: Path) -> None:
    data_readme = (project_root / "data" / "README.md").read_text()
    files = sorted(p.name for p in (project_root / "data").glob("*.ttl"))
    assert files
    assert [name for name in files if f"| `{name}` |" not in data_readme] == []


def test_data_readme_counts_per_file_match_the_data(project_root: Path) -> None:
    script = load_script("update-readme-counts.py")
    table = script.file_table(project_root)
    assert "| `world-treaty-actions.ttl` | `make data` |" in table
    readme = (project_root / "data" / "README.md").read_text()
    assert script.FILE_START in readme
    updated = script.replace_table(readme, table, script.FILE_START, script.FILE_END)
    assert updated == readme, (
        "data/README.md's statements-per-file table is stale: run scripts/update-readme-counts.py"
    )


def test_readme_counts_per_class_match_the_data(project_root: Path) -> None:
    script = load_script("update-readme-counts.py")
    table = script.counts_table(project_root)
    assert table.count("\n") > 5
    readme = (project_root / "README.md").read_text()
    assert script.replace_table(readme, table) == readme, (
        "README's resources-per-class table is stale: run scripts/update-readme-counts.py"
    )
