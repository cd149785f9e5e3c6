"""Applying an import to the store: its triples replace the import graph in a new store
generation, published atomically under the store lock, and are saved as
``{store}/imports/{kind}/{file stem}.nt`` so that ``hrgraph build`` loads them again. The
``.nt`` file is staged with the generation, so the saved file changes if and only if the
generation is published (``hrgraph.store.generations``)."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox

from hrgraph.build.importers.common import IMPORT_GRAPH_PREFIX, ImportFailed, ImportSummary, Triples
from hrgraph.rdf.vocab import RDFS
from hrgraph.settings import Limits, Settings
from hrgraph.store.generations import StoreLocation

IMPORTS_FOLDER = "imports"
"""Folder of the store holding each import's triples, re-loaded by ``hrgraph build``."""


def imports_dir(store_path: Path) -> Path:
    return store_path / IMPORTS_FOLDER


def saved_imports(store_path: Path | None) -> list[tuple[Path, ox.NamedNode]]:
    """Each saved import (its N-Triples file and graph), in a fixed order, for the build."""
    if store_path is None or not imports_dir(store_path).is_dir():
        return []
    found = []
    for path in sorted(imports_dir(store_path).glob("*/*.nt")):
        if path.name.startswith("."):
            continue  # staged for a generation not yet published (hrgraph.store.generations)
        found.append((path, ox.NamedNode(f"{IMPORT_GRAPH_PREFIX}{path.parent.name}/{path.stem}")))
    return found


def known_subjects(settings: Settings) -> frozenset[str]:
    """IRIs already labelled in the curated data: an import links to them, never relabels them."""
    from hrgraph.store.generations import StoreError
    from hrgraph.store.local import GraphStore

    assert settings.store_path is not None
    try:
        store = GraphStore.open_read_only(StoreLocation(settings.store_path))
    except StoreError as error:
        raise ImportFailed(f"{error}; build the store before importing") from None
    rows = store.query(
        f"""SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s <{RDFS}label> ?l }}
        FILTER (!STRSTARTS(STR(?g), "{IMPORT_GRAPH_PREFIX}")) }}"""
    )
    assert isinstance(rows, ox.QuerySolutions)
    subjects = frozenset(row["s"].value for row in rows)
    store.close()
    return subjects


def apply_import(
    settings: Settings, kind: str, graph: ox.NamedNode, triples: Triples, summary: ImportSummary
) -> None:
    """Replace the import graph with ``triples`` in a new store generation and save the triples
    for the build; on any failure neither the store nor the saved imports change."""
    from hrgraph.build.writes import StoreWriter, WriteRefused

    assert settings.store_path is not None
    folder = imports_dir(settings.store_path) / kind
    target = folder / f"{graph.value.rsplit('/', 1)[1]}.nt"
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{target.name}.{os.getpid()}.tmp"
    unique = list(dict.fromkeys(triples))
    summary.triples = len(unique)
    with temporary.open("wb") as handle:
        ox.serialize(
            (ox.Triple(s, p, o) for s, p, o in unique), handle, format=ox.RdfFormat.N_TRIPLES
        )

    def apply(store: ox.Store) -> None:
        # The generation is a private copy that is discarded on any failure, so the fast,
        # non-transactional bulk loader is safe here; atomicity comes from the publish.
        if graph not in store.named_graphs():
            store.bulk_load(path=str(temporary), format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
            return
        # A re-import mostly restates the same triples: apply the difference, far cheaper than
        # dropping and reloading a large graph.
        old = {
            (q.subject, q.predicate, q.object)
            for q in store.quads_for_pattern(None, None, None, graph)
        }
        new = set(unique)
        gone = old - new
        if len(gone) > len(old) // 2:
            store.remove_graph(graph)
            store.bulk_load(path=str(temporary), format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
            return
        for s, p, o in gone:
            store.remove(ox.Quad(s, p, o, graph))
        store.bulk_extend(ox.Quad(s, p, o, graph) for s, p, o in new - old)

    # Not in the write log: the saved .nt file is what the build loads again.
    writer = StoreWriter(StoreLocation(settings.store_path), Limits(), journal=False)
    try:
        result = writer.apply_with_files(apply, staged=[(temporary, target)])
    except WriteRefused as error:
        temporary.unlink(missing_ok=True)
        raise ImportFailed(str(error)) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    summary.generation = result.generation
