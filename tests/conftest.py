"""Shared fixtures: the project's own sources, built in memory once, and throw-away copies of the
project for tests that break or rebuild things."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from types import ModuleType

import pytest

from hrgraph.build.pipeline import BuildReport, build
from hrgraph.settings import Settings
from hrgraph.store.local import GraphStore

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT


def load_script(name: str, folder: str = "scripts") -> ModuleType:
    """A script from scripts/ (or ``folder``, e.g. bench/) as a new module each time (kebab-case
    file names are not importable)."""
    spec = importlib.util.spec_from_file_location(name.replace("-", "_"), ROOT / folder / name)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def generate_lean(scale: float, out: Path, *, real_data: bool = True) -> Path:
    """bench/generate.py's world at ``scale``, each State with a tenth of a benchmark State's
    recommendations, still of every kind (for tests that build or validate it: the
    recommendations are most of a State's statements)."""
    generator = load_script("generate.py", "bench")
    generator.UPR_RECOMMENDATIONS //= 10
    generator.TB_RECOMMENDATIONS //= 10
    return Path(generator.generate(scale, out, real_data=real_data))


@pytest.fixture(scope="session")
def built() -> tuple[BuildReport, GraphStore]:
    """The bundled ontology and data, built once into an in-memory store."""
    return build(Settings(root=ROOT, store_path=None))


@pytest.fixture(scope="session")
def store(built: tuple[BuildReport, GraphStore]) -> GraphStore:
    return built[1]


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of the project's sources (ontology, data, queries) to modify freely."""
    copy = tmp_path / "project"
    for folder in ("ontology", "data", "queries", "shapes"):
        shutil.copytree(ROOT / folder, copy / folder)
    return copy
