"""Incremental validation of the built store (docs/architecture.md, layer "validation"): the
results of the last validation kept outside the store, and which resources must run again."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyoxigraph as ox

from hrgraph.build.pipeline import recorded_sources
from hrgraph.store.local import GraphStore
from hrgraph.validation import shaclrun
from hrgraph.validation.shaclsparql import to_rdflib

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
    """Incremental validation of the built store (named-graph granularity). The results of the
    last validation of the store for the same day, shapes and engine are kept
    (:func:`cache_folder`) with the SHA-256 of every source file (the build graph's) and,
    for each named graph, the focus nodes it mentions. The next validation compares the
    checksums: the targets always run again, and a constraint runs again only on the focus
    nodes that a changed graph mentions (as subject or object, before or after the change);
    every other focus node keeps its earlier results. Everything runs again when the ontology
    changed, a changed graph mentioned no focus node before (it may hold what every framework
    is read against: standards, permitted aims) or is new, or the shapes count solutions.
    Findings are what a full run gives as long as a constraint on a focus node reads only
    statements of the graphs that mention that node, as every shape here does for a State's
    own file (its institution, features, acts, provisions and decisions)."""

    path: Path
    checksums: dict[str, str]
    reuse: shaclrun.Reuse
    previous: str | None = None
    changed: list[str] = field(default_factory=list)
    everything: str = ""
    generation: str = ""

    @classmethod
    def start(
        cls, folder: Path, store: GraphStore, day: date, shape_paths: Sequence[Path], engine: str
    ) -> Increment:
        """Read the checksums of the store's sources (before the cut drops the build graph)
        and the previous results, and decide which focus nodes run again."""
        import json

        from hrgraph import __version__

        files = recorded_sources(store)
        digest = hashlib.sha256(
            f"{folder.resolve()}\n{__version__}\n{day.isoformat()}\n{engine}\n".encode()
        )
        for path in shape_paths:
            digest.update(path.name.encode() + b"\n" + path.read_bytes())
        where = cache_folder() / f"{digest.hexdigest()[:32]}.json"
        checksums = {graph: value for graph, (_, value) in files.items()}
        try:
            earlier = json.loads(where.read_text())
        except (OSError, ValueError):
            earlier = None
        if not isinstance(earlier, dict) or "checksums" not in earlier:
            return cls(where, checksums, shaclrun.Reuse({}, lambda _focus: True))
        before: dict[str, str] = earlier["checksums"]
        changed = sorted(
            g for g in set(before) | set(checksums) if before.get(g) != checksums.get(g)
        )
        names = sorted(files[g][0] if g in files else g for g in changed)
        mentioned: dict[str, list[str]] = earlier.get("graph_focus", {})
        results = {
            key: [tuple(stored) for stored in value] for key, value in earlier["results"].items()
        }
        increment = cls(
            where,
            checksums,
            shaclrun.Reuse(results, lambda _focus: True),
            previous=str(earlier.get("generation")),
            changed=names,
        )
        from hrgraph.rdf.vocab import ONTOLOGY_GRAPH

        if ONTOLOGY_GRAPH.value in changed:
            increment.everything = "the ontology changed"
        elif blind := [files[g][0] if g in files else g for g in changed if not mentioned.get(g)]:
            increment.everything = f"{', '.join(sorted(blind))} mentioned no resource judged before"
        if increment.everything:
            return increment
        touched = {node for graph in changed for node in mentioned.get(graph, [])}
        for graph in changed:
            if graph in checksums:
                touched |= _mentioned(store, graph)
        increment.reuse.fresh = lambda focus: to_rdflib(focus).n3() in touched
        return increment

    def finish(self, store: GraphStore) -> str:
        """Keep this validation's results for the next; what was reused, for the report."""
        import json
        import os

        reuse = self.reuse
        focus = {node for key in reuse.record for node in [key.rsplit("\x1f", 1)[1]]}
        kept = {
            "generation": self.generation,
            "checksums": self.checksums,
            "graph_focus": _graph_focus(store, focus),
            "results": reuse.record,
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
        if not self.changed:
            return (
                f"; unchanged since the last validation (generation {self.previous}): "
                f"{len(reuse.reused)} resources' results reused, none revalidated"
            )
        return (
            f"; incremental: {len(reuse.reran)} resources revalidated (those "
            f"{', '.join(self.changed)} mentions), {len(reuse.reused)} resources' results "
            f"reused from the last validation (generation {self.previous})"
        )


def _mentioned(store: GraphStore, graph: str) -> set[str]:
    """The IRIs and blank nodes a named graph mentions (as subject or object), in N3."""
    rows = store.query(
        f"SELECT DISTINCT ?x WHERE {{ GRAPH <{graph}> {{ {{ ?x ?p ?o }} UNION "
        "{ ?s ?p ?x FILTER (!isLITERAL(?x)) } } }"
    )
    assert isinstance(rows, ox.QuerySolutions)
    return {to_rdflib(row["x"]).n3() for row in rows}


def _graph_focus(store: GraphStore, focus: set[str]) -> dict[str, list[str]]:
    """For each named graph, the focus nodes (N3) it mentions."""
    found: dict[str, set[str]] = {}
    iris = sorted(node for node in focus if node.startswith("<"))
    for start in range(0, len(iris), 500):
        values = " ".join(iris[start : start + 500])
        rows = store.query(
            f"SELECT DISTINCT ?g ?x WHERE {{ VALUES ?x {{ {values} }} "
            "{ GRAPH ?g { ?x ?p ?o } } UNION { GRAPH ?g { ?s ?p ?x } } }"
        )
        assert isinstance(rows, ox.QuerySolutions)
        for row in rows:
            found.setdefault(row["g"].value, set()).add(f"<{row['x'].value}>")
    return {graph: sorted(nodes) for graph, nodes in found.items()}
