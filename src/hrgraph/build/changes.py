"""What a build changed since the generation it replaces (docs/architecture.md, layer "build"),
kept in the new generation's folder for incremental validation
(:mod:`hrgraph.validation.increment`).

The file (:data:`CHANGES_FILE`, JSON) names the generation the changes are relative to and lists
the statements removed and added, as N-Triples lines, over the graphs a validation reads (all
but the build graph; a statement held by two graphs may be listed though the union did not
change, which only makes a validation rerun more). A graph is compared only where it can differ:

- the inferred graph, always;
- a source's graph when its file's checksum changed, or the file appeared or went, or it names
  a blank node: a graph read from the same bytes holds the same statements but for the labels
  of its blank nodes, which every build draws anew (so every statement naming one counts as
  changed, and a validation never reuses a result that names one);
- nothing is compared when the build replays the write log, or the generation it replaces was
  not made by a build with an empty write log (a write may change any graph): the file then
  says the changes are not recorded, and so it does when they exceed :data:`MAX_CHANGES`
  statements or the previous generation cannot be read. A validation then runs in full.

Comparing reads the inferred graph of both generations: about 4 µs a statement on this
machine, some 15 s at world scale, beside a build of minutes. Whether a source names a blank
node is read from the previous record when its checksum is the same, else by scanning its graph
(each file once).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from hrgraph.rdf.vocab import BUILD_GRAPH, INFERRED_GRAPH
from hrgraph.store.local import GraphStore

CHANGES_FILE = "hrgraph-changes.json"
"""In a generation's folder (RocksDB leaves files it does not know alone)."""
MAX_CHANGES = 250_000
"""Statements removed and added beyond which the changes are not recorded."""
FORMAT = 2
"""The layout of the record (2: which sources name blank nodes); another is not read."""


@dataclass
class Changes:
    """The statements removed and added since generation ``since`` (its folder name), or why
    they are not recorded (``why``). ``graphs``: the source files (or graphs) that changed (not
    those read again only to new blank node labels);
    ``writes``: how many write-log entries the build replayed."""

    since: str | None
    removed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    graphs: list[str] = field(default_factory=list)
    writes: int = 0
    why: str = ""
    blank: dict[str, bool] = field(default_factory=dict)
    """For the checksum of each source of the generation, whether its statements name a blank
    node (the same bytes give the same answer: the next build reads it here instead of scanning
    the graph again)."""

    @property
    def recorded(self) -> bool:
        return self.since is not None and not self.why

    def triples(self) -> list[ox.Triple]:
        """The removed and added statements (over-approximating what changed: both kinds
        matter alike to a validation)."""
        text = "\n".join(self.removed + self.added).encode()
        return list(ox.parse(text, format=ox.RdfFormat.N_TRIPLES))


def compare(
    new: GraphStore,
    recorded: Callable[[GraphStore], dict[str, tuple[str, str]]],
    writes: int,
    previous: Path | None,
) -> Changes:
    """What changed from generation ``previous`` (a folder; ``None`` for the first build) to
    ``new``, which replayed ``writes`` write-log entries; ``recorded`` reads the sources a
    generation's build recorded (graph IRI -> file, checksum)."""
    earlier = read(previous) if previous is not None else None
    sources = recorded(new)
    # (a build that replays writes says nothing of the files' own statements)
    known = earlier.blank if earlier is not None and not earlier.writes else {}
    blank = {
        checksum: known[checksum] if checksum in known else _blank_nodes(new, ox.NamedNode(graph))
        for graph, (_, checksum) in ({} if writes else sources).items()
    }
    if previous is None:
        return Changes(None, writes=writes, why="the first build of the store", blank=blank)
    changes = Changes(previous.name, writes=writes, blank=blank)
    if writes:
        changes.why = f"the build replayed {writes} write(s), which may change any graph"
        return changes
    if earlier is None or earlier.writes:
        changes.why = (
            f"generation {previous.name} was not made by a build of this hrgraph without writes"
        )
        return changes
    try:
        old = GraphStore.read_only_at(previous)
    except OSError:  # (its message names server paths: the record may be shown over HTTP)
        changes.why = f"generation {previous.name} cannot be read"
        return changes
    try:
        before = recorded(old)
        graphs = {g.value for g in new.named_graphs()} | {g.value for g in old.named_graphs()}
        graphs.discard(BUILD_GRAPH.value)
        for graph in sorted(graphs):
            node = ox.NamedNode(graph)
            if (
                graph in sources
                and before.get(graph) == sources[graph]
                and not blank[sources[graph][1]]
            ):
                continue  # the same file read again, to the same statements
            old_lines, new_lines = _lines(old, node), _lines(new, node)
            removed, added = old_lines - new_lines, new_lines - old_lines
            if removed or added:
                if graph != INFERRED_GRAPH.value and before.get(graph) != sources.get(graph):
                    changes.graphs.append((sources.get(graph) or before.get(graph) or (graph,))[0])
                changes.removed += sorted(line.decode() for line in removed)
                changes.added += sorted(line.decode() for line in added)
            if len(changes.removed) + len(changes.added) > MAX_CHANGES:
                changes.why = f"more than {MAX_CHANGES} statements changed"
                changes.removed, changes.added = [], []
                break
    finally:
        old.close()
    return changes


def _blank_nodes(store: GraphStore, graph: ox.NamedNode) -> bool:
    """Whether a statement of ``graph`` names a blank node (read again, a file gives its blank
    nodes new labels: their statements all count as changed)."""
    found = store.query(
        f"ASK {{ GRAPH <{graph.value}> {{ ?s ?p ?o FILTER (isBLANK(?s) || isBLANK(?o)) }} }}"
    )
    return bool(found)


def _lines(store: GraphStore, graph: ox.NamedNode) -> set[bytes]:
    lines = set(store.serialize_graph(graph).split(b"\n"))
    lines.discard(b"")
    return lines


def write(generation: Path, changes: Changes) -> None:
    """Keep ``changes`` in the generation's folder (before it is published and fsynced)."""
    kept = {
        "format": FORMAT,
        "since": changes.since,
        "why": changes.why,
        "writes": changes.writes,
        "graphs": changes.graphs,
        "removed": changes.removed,
        "added": changes.added,
        "blank": changes.blank,
    }
    (generation / CHANGES_FILE).write_text(json.dumps(kept), encoding="utf-8")


def read(generation: Path) -> Changes | None:
    """The changes kept in a generation's folder; ``None`` if there are none (a generation made
    by a write, an import or an older hrgraph) or they cannot be read."""
    try:
        kept = json.loads((generation / CHANGES_FILE).read_text(encoding="utf-8"))
        if kept["format"] != FORMAT:
            return None
        return Changes(
            None if kept["since"] is None else str(kept["since"]),
            [str(line) for line in kept["removed"]],
            [str(line) for line in kept["added"]],
            [str(name) for name in kept["graphs"]],
            int(kept["writes"]),
            str(kept["why"]),
            {str(checksum): bool(named) for checksum, named in kept["blank"].items()},
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
