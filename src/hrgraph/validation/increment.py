"""Incremental validation of the built store (docs/architecture.md, layer "validation"): the
results of the last validation kept outside the store, and which results must run again."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import NamedTuple, cast

import pyoxigraph as ox

from hrgraph import __version__
from hrgraph.build import changes
from hrgraph.build.importers.apply import saved_imports
from hrgraph.build.pipeline import recorded_sources
from hrgraph.build.writes import journal_entries
from hrgraph.store.generations import WRITES_FOLDER, StoreLocation
from hrgraph.store.local import GraphStore
from hrgraph.validation import shaclrun
from hrgraph.validation.affected import Affected
from hrgraph.validation.reads import Reads

CACHE_KEPT = 64
"""How many validations' results the cache keeps (the latest, one per store, day, shapes and
engine)."""


def cache_folder() -> Path:
    """Where each validation of a built store keeps its results for the next: outside the store
    folder (``$HRGRAPH_VALIDATION_CACHE``, else ``$XDG_CACHE_HOME/hrgraph/validation``, else
    ``~/.cache/hrgraph/validation``; with no home folder, one that cannot be created, so
    every validation runs in full)."""
    import os

    if folder := os.environ.get("HRGRAPH_VALIDATION_CACHE"):
        return Path(folder)
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home folder (a user without one): a cache that is never read
            return Path("/nonexistent/hrgraph-validation-cache")
    return Path(base) / "hrgraph" / "validation"


@dataclass
class Increment:
    """Incremental validation of the built store. The results of the last validation of the store
    for the same day, shapes, engine and validation code are kept (:func:`cache_folder`), with
    the generation validated, the resources the cut to the day removed
    (:func:`hrgraph.validation.asof.held`) and the SHA-256 of every source file, write-log entry
    and saved import (to name what changed).

    Each build records the statements it changed since the generation before
    (:mod:`hrgraph.build.changes`). From the kept generation to the current one, those are the
    statements that changed; to them are added every statement about a resource the cut to the
    day now treats differently. A constraint runs again on the focus nodes those statements can
    reach (:mod:`hrgraph.validation.affected`); every other result is the kept one. The targets
    always run, so a focus node that appears is judged. Everything runs again when a generation
    on the way records no changes (a write or an import made it, or the build replayed writes)
    or too many, and the report says why."""

    path: Path
    checksums: dict[str, str]
    names: dict[str, str]
    reuse: shaclrun.Reuse
    previous: str | None = None
    changed: list[str] = field(default_factory=list)
    everything: str = ""
    generation: str = ""
    delta: list[ox.Triple] = field(default_factory=list)
    earlier_out: frozenset[str] | None = None
    out: list[str] = field(default_factory=list)
    known: dict[str, Reads | None] = field(default_factory=dict)

    @classmethod
    def start(
        cls,
        folder: Path,
        store: GraphStore,
        day: date,
        shape_paths: Sequence[Path],
        engine: str,
        *,
        generation: str,
        full: bool = False,
    ) -> Increment:
        """Read the checksums of the store's sources (before the cut drops the build graph),
        write log and imports, and the previous results; decide what can be reused.
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
        everything = shaclrun.Reuse({}, lambda _constraint, foci: foci)
        anew = cls(where, checksums, names, everything, generation=generation)
        earlier = _earlier(where)
        if earlier is not None:
            anew.known = earlier.reads  # what each constraint reads does not depend on the data
        if earlier is None or full:
            return anew
        before, results, kept_generation = earlier.checksums, earlier.results, earlier.generation
        anew.previous = kept_generation
        anew.changed = sorted(
            names.get(key) or earlier.names.get(key) or key
            for key in set(before) | set(checksums)
            if before.get(key) != checksums.get(key)
        )
        found = _delta(StoreLocation(folder).generations_dir, kept_generation, generation)
        if isinstance(found, str):
            what = f"{', '.join(anew.changed)} changed; " if anew.changed else ""
            anew.everything = what + found
            return anew
        anew.delta, graphs = found
        anew.changed = sorted(set(graphs) | set(anew.changed))
        anew.earlier_out = earlier.out
        anew.reuse = shaclrun.Reuse(results, lambda _constraint, foci: foci)
        return anew

    def note_cut(self, store: GraphStore, out: Iterable[ox.NamedNode | ox.BlankNode]) -> None:
        """Called with the resources the cut to the day removes, before it removes them: every
        statement about one the cut treated otherwise last time counts as changed; then the
        focus nodes to run again are those the changed statements reach."""
        self.out = sorted(_key(node) for node in out)
        if self.earlier_out is None:
            return
        for key in set(self.out) ^ self.earlier_out:
            node = ox.BlankNode(key[2:]) if key.startswith("_:") else ox.NamedNode(key)
            self.delta += (ox.Triple(q.subject, q.predicate, q.object) for q in store.quads(node))
        self.reuse.fresh = Affected(store._engine, self.delta, self.known)

    def finish(self) -> str:
        """Keep this validation's results for the next; what was reused, for the report."""
        import json
        import os
        import threading

        kept = {
            "format": CACHE_FORMAT,
            "generation": self.generation,
            "checksums": self.checksums,
            "names": self.names,
            "out": self.out,
            "reads": {text: _stored_reads(found) for text, found in self.known.items()},
            "results": self.reuse.record,
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_suffix(f".{os.getpid()}-{threading.get_ident()}.part")
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
        reuse = self.reuse
        if not reuse.pairs_rerun and not self.changed:  # (blank nodes relabelled, at most)
            return (
                f"; unchanged since the last validation (generation {self.previous}): "
                f"{len(reuse.reused)} resources' results reused, none revalidated"
            )
        what = f"{', '.join(self.changed)} changed, " if self.changed else ""
        return (
            f"; incremental since generation {self.previous} ({what}{len(self.delta)} statements "
            f"with the inferred ones and those naming blank nodes): {reuse.pairs_rerun} of "
            f"{reuse.pairs_rerun + reuse.pairs_reused} results rerun, on {len(reuse.reran)} "
            f"resource{'' if len(reuse.reran) == 1 else 's'} whose constraints read a changed "
            "statement; the others reused"
        )


CACHE_FORMAT = 3
"""The layout of a kept validation (3: the resources cut out and what each constraint reads; 2:
checksums of the write log and imports); a file of another layout is not read."""


class Kept(NamedTuple):
    """A kept validation: checksums and names of the sources, results, generation, cut-out
    resources and what each constraint reads."""

    checksums: dict[str, str]
    names: dict[str, str]
    results: dict[str, list[shaclrun.Stored]]
    generation: str
    out: frozenset[str]
    reads: dict[str, Reads | None]


def _earlier(where: Path) -> Kept | None:
    """The kept validation, or ``None`` if there is none, or it is unreadable or of another
    layout (then everything runs)."""
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
        out = frozenset(str(key) for key in kept["out"])
        known = {str(text): _read_back(found) for text, found in kept["reads"].items()}
        names = {str(k): str(v) for k, v in kept.get("names", {}).items()}
        return Kept(checksums, names, results, str(kept["generation"]), out, known)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _delta(generations: Path, since: str, now: str) -> tuple[list[ox.Triple], list[str]] | str:
    """The statements changed from generation ``since`` to ``now`` and the files they came from,
    as the builds between recorded them (:mod:`hrgraph.build.changes`), or why they are not
    known."""
    triples: list[ox.Triple] = []
    graphs: list[str] = []
    name = now
    visited: set[str] = set()
    while name != since:
        if name in visited:
            return f"generation {name}'s record of its changes names a later generation"
        visited.add(name)
        if not (generations / name).is_dir():
            return f"generation {name} is no longer kept"
        found = changes.read(generations / name)
        if found is None:
            return (
                f"generation {name} records no changes (a write, an import or another version "
                "of hrgraph made it)"
            )
        if not found.recorded:
            return f"generation {name} does not record its changes: {found.why}"
        if len(triples) + len(found.removed) + len(found.added) > changes.MAX_CHANGES:
            return f"more than {changes.MAX_CHANGES} statements changed"
        try:
            triples += found.triples()
        except SyntaxError:
            return f"generation {name}'s record of its changes cannot be read"
        graphs += found.graphs
        assert found.since is not None  # recorded
        name = found.since
    return triples, graphs


def _stored_reads(found: Reads | None) -> object:
    if found is None:
        return None
    return {"steps": sorted(found.steps, key=str), "anywhere": sorted(found.anywhere, key=str)}


def _read_back(kept: object) -> Reads | None:
    if kept is None:
        return None
    if not isinstance(kept, dict):
        raise TypeError("a constraint's reads kept in another form")
    return Reads(
        frozenset((None if p is None else str(p), bool(ahead)) for p, ahead in kept["steps"]),
        frozenset(None if p is None else str(p) for p in kept["anywhere"]),
    )


def _key(node: ox.NamedNode | ox.BlankNode) -> str:
    return node.value if isinstance(node, ox.NamedNode) else f"_:{node.value}"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@functools.cache
def _code() -> str:
    """The checksum of hrgraph's code and of the engines' versions: results kept by other code
    are not reused (the validation reads queries with the SPARQL lexer, terms with rdflib...).
    Once per process: the code that runs is the code loaded."""
    from importlib.metadata import version

    digest = hashlib.sha256(f"{version('pyoxigraph')}\n{version('rdflib')}\n".encode())
    package = Path(__file__).resolve().parents[1]
    for module in sorted(package.rglob("*.py")):
        digest.update(module.relative_to(package).as_posix().encode() + b"\n")
        digest.update(module.read_bytes())
    return digest.hexdigest()
