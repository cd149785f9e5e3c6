"""Frozen settings, built once in an entry point (CLI or app factory) and passed down.

Nothing in the package reads configuration at import time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

BASE_IRI = "https://w3id.org/hrgraph/"
"""Every resource, graph and term of the project is minted under this IRI."""


def find_project_root(start: Path | None = None) -> Path:
    """Return the folder holding ``ontology/hrgraph.ttl``: the working directory or one of its
    parents, falling back to the source checkout this package was installed from."""
    candidates = [start or Path.cwd()]
    candidates += list(candidates[0].resolve().parents)
    candidates.append(Path(__file__).resolve().parents[2])
    for candidate in candidates:
        if (candidate / "ontology" / "hrgraph.ttl").is_file():
            return candidate
    return Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Limits:
    """Bounds on what one request may ask of the engine (see ARCHITECTURE: security invariants)."""

    max_query_bytes: int = 100_000
    max_nesting: int = 100
    query_timeout_s: float = 30.0


@dataclass(frozen=True)
class Settings:
    """Where the sources and the store live, and how the service behaves."""

    root: Path
    store_path: Path | None = None
    """On-disk store folder; ``None`` keeps the store in memory (tests)."""
    host: str = "127.0.0.1"
    port: int = 8000
    base_iri: str = BASE_IRI
    limits: Limits = field(default_factory=Limits)

    @property
    def ontology_path(self) -> Path:
        return self.root / "ontology" / "hrgraph.ttl"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @classmethod
    def from_environment(cls, **overrides: object) -> Settings:
        """Settings for an entry point: defaults, then ``HRGRAPH_*`` variables, then overrides
        (command-line options) whose value is not ``None``."""
        root = Path(os.environ.get("HRGRAPH_ROOT") or find_project_root())
        env_store = os.environ.get("HRGRAPH_STORE")
        values: dict[str, object] = {
            "root": root,
            "store_path": Path(env_store) if env_store else root / "var" / "store",
        }
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)  # type: ignore[arg-type]
