"""The loop every importer runs: rows to triples, a bad row skipped whole with its reason,
progress on large files, then one atomic store write (see :func:`common.apply_import`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph as ox

from hrgraph.importers.common import (
    PROGRESS_EVERY,
    Cell,
    ImportFailed,
    ImportSummary,
    Progress,
    RowError,
    SkippedRow,
    Triples,
    apply_import,
    describe_import,
    file_checksum,
    import_graph,
    known_subjects,
    node,
    slug,
)
from hrgraph.settings import Settings

RowFunction = Callable[[int, list[Cell], ox.NamedNode, frozenset[str]], Triples]


def run_import(
    settings: Settings,
    kind: str,
    path: Path,
    rows: Iterable[tuple[int, list[Cell]]],
    convert: RowFunction,
    finish: Callable[[ox.NamedNode, frozenset[str]], Triples] | None = None,
    progress: Progress | None = None,
    dry_run: bool = False,
) -> ImportSummary:
    """Convert every row, then apply the import (unless ``dry_run``); returns the summary."""
    if not path.is_file():
        raise ImportFailed(f"{path}: no such file")
    checksum = file_checksum(path)
    graph = import_graph(kind, path.stem)
    source = node(f"source/import/{kind}/{slug(path.stem)}")
    known = known_subjects(settings)
    summary = ImportSummary(kind, path.name, graph.value)
    triples: Triples = describe_import(graph, source, kind, path, checksum)
    say = progress or (lambda _message: None)
    for number, cells in rows:
        summary.rows += 1
        try:
            row_triples = convert(number, cells, source, known)
        except RowError as error:
            summary.skipped.append(SkippedRow(number, str(error)))
        else:
            triples += row_triples  # only a fully converted row is kept
            summary.imported += 1
        if summary.rows % PROGRESS_EVERY == 0:
            say(f"{path.name}: {summary.rows} rows read, {len(summary.skipped)} skipped")
    if finish is not None:
        triples += finish(source, known)
    if summary.imported == 0:
        raise ImportFailed(
            f"{path.name}: no row could be imported ({len(summary.skipped)} skipped); "
            "the store is unchanged"
        )
    if dry_run:
        summary.triples = len(set(triples))
        return summary
    say(f"{path.name}: writing {len(triples)} triples to the store")
    apply_import(settings, kind, graph, triples, summary)
    return summary
