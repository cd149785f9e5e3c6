"""The loop every importer runs: rows to triples, a bad row skipped whole with its reason,
progress on large files, then one atomic store write (see :func:`common.apply_import`), or,
with ``output``, one atomic write of the project's own Turtle to a data file (``make data``:
what a user imports and what ships take the same path)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox

from hrgraph.build.importers.apply import apply_import, known_subjects
from hrgraph.build.importers.common import (
    PROGRESS_EVERY,
    Cell,
    ImportFailed,
    ImportSummary,
    Progress,
    RowError,
    SkippedRow,
    Triples,
    describe_import,
    file_checksum,
    file_slug,
    import_graph,
    node,
)
from hrgraph.build.importers.output import (
    curated_subjects,
    describe_output,
    output_graph,
    write_output,
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
    output: Path | None = None,
    inputs: Sequence[Path] = (),
    comment: Sequence[str] = (),
) -> ImportSummary:
    """Convert every row, then apply the import (unless ``dry_run``); returns the summary.

    With ``output`` the import is written as Turtle to that data file instead of the store
    (the store is not read: the curated subjects come from ``data/``); ``inputs`` are further
    files the rows were read from (listed with their checksums), ``comment`` lines go into the
    file's header (what it holds, its snapshot date, what is known to be missing)."""
    for each in (path, *inputs):
        if not each.is_file():
            raise ImportFailed(f"{each}: no such file")
    checksum = file_checksum(path)
    # the export the statements come from: the file, or for a bundled file the output it makes
    source = node(f"source/import/{kind}/{file_slug(path.stem if output is None else output.stem)}")
    if output is None:
        graph = import_graph(kind, path.stem)
        known = known_subjects(settings)
        triples: Triples = describe_import(graph, source, kind, path, checksum)
    else:
        graph = output_graph(output)
        known = curated_subjects(settings)
        listed = [(path, checksum), *((each, file_checksum(each)) for each in inputs)]
        triples = describe_output(graph, source, kind, listed)
    named = path.name if not inputs else f"{path.name} and {len(inputs)} more file(s)"
    summary = ImportSummary(kind, named, graph.value)
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
            f"{path.name}: no row could be imported ({len(summary.skipped)} skipped)"
        )
    if dry_run:
        summary.triples = len(set(triples))
        return summary
    if output is not None:
        say(f"{path.name}: writing {len(triples)} triples to {output}")
        write_output(output, kind, listed, triples, summary, comment)
        return summary
    say(f"{path.name}: writing {len(triples)} triples to the store")
    apply_import(settings, kind, graph, triples, summary)
    return summary
