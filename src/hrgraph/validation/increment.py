"""Incremental validation of the built store (docs/architecture.md, layer "validation"): the
results of the last validation kept outside the store, and which resources must run again."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import cast

from hrgraph import __version__
from hrgraph.build.importers.apply import saved_imports
from hrgraph.build.pipeline import recorded_sources
from hrgraph.build.writes import journal_entries
from hrgraph.store.generations import WRITES_FOLDER
from hrgraph.store.local import GraphStore
from hrgraph.validation import shaclrun

CACHE_KEPT = 64
"""How many validations' results the cache keeps (the latest, one per store, day, shapes and
engine)."""


def cache_folder() -> Path:
    """Where each validation of a built store keeps its results for the next: outside the store
    folder (``$HRGRAPH_VALIDATION_CACHE``, else ``$XDG_CACHE_HOME/hrgraph/validation``, else
    ``~/.cache/hrgraph/validation``)."""
    import os

    if folder := os.environ.get("HRGRAPH_VALIDATION_CACHE"):
        return Path(folder)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "hrgraph" / "validation"


@dataclass
class Increment:
    """Incremental validation of the built store. The results of the last validation of the store
    for the same day, shapes, engine and validation code are kept (:func:`cache_folder`) with the
    SHA-256 of every source file (the build graph's), of every write-log entry and of every saved
    import. When none of them changed, every resource keeps its earlier results (the targets
    still run: a resource judged for the first time is judged). When any changed, everything
    runs again and the report says which changed: a finding on one resource can rest on
    statements of other files (a ministry's label, an act that ends a power recorded elsewhere,
    another refusal of the same applicant), so reusing the results of resources a changed file
    does not mention could keep a stale finding."""

    path: Path
    checksums: dict[str, str]
    reuse: shaclrun.Reuse
    previous: str | None = None
    changed: list[str] = field(default_factory=list)
    everything: str = ""
    generation: str = ""

    @classmethod
    def start(
        cls,
        folder: Path,
        store: GraphStore,
        day: date,
        shape_paths: Sequence[Path],
        engine: str,
        *,
        full: bool = False,
    ) -> Increment:
        """Read the checksums of the store's sources (before the cut drops the build graph),
        write log and imports, and the previous results; decide whether they can be reused.
        ``full``: reuse nothing (the results are kept for the next validation all the same)."""
        files = recorded_sources(store)
        digest = hashlib.sha256(
            f"{folder.resolve()}\n{__version__}\n{_code()}\n{day.isoformat()}\n{engine}\n".encode()
        )
        for path in shape_paths:
            digest.update(path.name.encode() + b"\n" + path.read_bytes())
        where = cache_folder() / f"{digest.hexdigest()[:32]}.json"
        checksums = {graph: value for graph, (_, value) in files.items()}
        names = {graph: name for graph, (name, _) in files.items()}
        for entry in journal_entries(folder):
            key = f"{WRITES_FOLDER}/{entry.name}"
            checksums[key], names[key] = _sha256(entry), key
        for saved, graph in saved_imports(folder):
            checksums[graph.value], names[graph.value] = _sha256(saved), f"import {graph.value}"
        anew = cls(where, checksums, shaclrun.Reuse({}, lambda _focus: True))
        earlier = None if full else _earlier(where)
        if earlier is None:
            return anew
        before, results, generation = earlier
        changed = sorted(
            names.get(key, key)
            for key in set(before) | set(checksums)
            if before.get(key) != checksums.get(key)
        )
        if changed:
            anew.previous, anew.changed = generation, changed
            anew.everything = (
                f"{', '.join(changed)} changed; a finding on one resource can rest on statements "
                "of other files"
            )
            return anew
        return cls(where, checksums, shaclrun.Reuse(results, lambda _focus: False), generation)

    def finish(self) -> str:
        """Keep this validation's results for the next; what was reused, for the report."""
        import json
        import os

        kept = {
            "format": CACHE_FORMAT,
            "generation": self.generation,
            "checksums": self.checksums,
            "results": self.reuse.record,
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_suffix(f".{os.getpid()}.part")
            partial.write_text(json.dumps(kept))
            partial.replace(self.path)
            kept_files = sorted(
                self.path.parent.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True
            )
            for old in kept_files[CACHE_KEPT:]:
                old.unlink(missing_ok=True)
        except OSError:
            pass  # no writable cache: validate in full next time
        if self.previous is None:
            return ""
        if self.everything:
            return f"; everything revalidated since generation {self.previous} ({self.everything})"
        return (
            f"; unchanged since the last validation (generation {self.previous}): "
            f"{len(self.reuse.reused)} resources' results reused, none revalidated"
        )


CACHE_FORMAT = 2
"""The layout of a kept validation (2: no per-graph focus nodes, checksums of the write log and
imports); a file of another layout is not read."""


def _earlier(where: Path) -> tuple[dict[str, str], dict[str, list[shaclrun.Stored]], str] | None:
    """The checksums, results and generation of the kept validation, or ``None`` if there is
    none, or it is unreadable or of another layout (then everything runs)."""
    import json

    try:
        kept = json.loads(where.read_text())
        if kept["format"] != CACHE_FORMAT:
            return None
        checksums = {str(k): str(v) for k, v in kept["checksums"].items()}
        results = {
            str(key): [cast("shaclrun.Stored", tuple(stored)) for stored in value]
            for key, value in kept["results"].items()
        }
        return checksums, results, str(kept.get("generation"))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _code() -> str:
    """The validation code's own checksum: results kept by other code are not reused."""
    digest = hashlib.sha256()
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.name.encode() + b"\n" + module.read_bytes())
    return digest.hexdigest()
