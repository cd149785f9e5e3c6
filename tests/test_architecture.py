"""The architecture a newcomer can see (docs/architecture.md): one folder per stage, modules of
one job and modest size, docstrings that point inside the repository, and the layer contracts
(checked by `make lint` with import-linter) covering every package."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "hrgraph"
MAX_LINES = 420  # "none over ~400 lines"
GENERATED = {PACKAGE / "rdf" / "namespaces.py"}
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "static" not in p.parts)


@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_module_is_small_and_says_its_job(module: Path) -> None:
    text = module.read_text(encoding="utf-8")
    if module not in GENERATED:
        assert len(text.splitlines()) <= MAX_LINES
    docstring = ast.get_docstring(ast.parse(text))
    assert docstring, "every module opens with what it is for"
    # Documents outside the repository (the team's guide) are not where a reader can follow.
    assert "ARCHITECTURE" not in text


def test_every_stage_is_a_folder_documented_and_in_the_layers(project_root: Path) -> None:
    folders = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file())
    assert folders == [
        "build", "cli", "http", "publish", "query", "rdf", "sparql", "store", "validation",
    ]  # fmt: skip
    guide = (project_root / "docs" / "architecture.md").read_text(encoding="utf-8")
    for folder in folders:
        assert f"`{folder}" in guide
    config = tomllib.loads((project_root / "pyproject.toml").read_text(encoding="utf-8"))
    stages = next(c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "stages")
    named = {
        name.strip()
        for layer in stages["layers"]
        for part in layer.replace("|", ":").split(":")
        for name in [part.split("#")[0]]
    }
    top_modules = {p.stem for p in PACKAGE.glob("*.py") if p.name != "__init__.py"}
    assert named == set(folders) | top_modules
    assert stages["exhaustive"] is True
