"""Rewrite the README's table of resources per class, and data/README.md's table of statements
and described resources per data file, from the bundled data.

Run after changing data/:  .venv/bin/python scripts/update-readme-counts.py
tests/test_docs.py fails while either table differs from the data.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START, END = "<!-- class-counts:start -->", "<!-- class-counts:end -->"
FILE_START, FILE_END = "<!-- file-counts:start -->", "<!-- file-counts:end -->"


def counts_table(root: Path) -> str:
    import pyoxigraph as ox

    from hrgraph.build.pipeline import build
    from hrgraph.query.execution import run_query
    from hrgraph.settings import Settings
    from hrgraph.sparql.queries import load_query

    _, store = build(Settings(root=root))
    query = load_query(root / "queries" / "class-counts.rq").bind({})
    result = run_query(store, query, Settings(root=root).limits)
    assert isinstance(result, ox.QuerySolutions)
    lines = ["| class | resources |", "| --- | ---: |"]
    for row in result:
        name = row["class"].value.rsplit("#", 1)[1]
        lines.append(f"| `hrg:{name}` | {row['resources'].value} |")
    return "\n".join(lines)


def file_table(root: Path) -> str:
    """Per data file: its statements and the resources it labels (read from the files)."""
    import pyoxigraph as ox

    from hrgraph.build.importers.output import is_generated

    label = "http://www.w3.org/2000/01/rdf-schema#label"
    lines = ["| file | made by | statements | labelled resources |", "| --- | --- | ---: | ---: |"]
    for path in sorted((root / "data").glob("*.ttl")):
        triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
        labelled = {t.subject for t in triples if t.predicate.value == label}
        made = "`make data`" if is_generated(path) else "curated"
        lines.append(f"| `{path.name}` | {made} | {len(triples)} | {len(labelled)} |")
    return "\n".join(lines)


def replace_table(readme: str, table: str, start: str = START, end: str = END) -> str:
    head, _, rest = readme.partition(start)
    _, _, tail = rest.partition(end)
    return f"{head}{start}\n{table}\n{end}{tail}"


def main() -> int:
    path = ROOT / "README.md"
    path.write_text(replace_table(path.read_text(), counts_table(ROOT)))
    data = ROOT / "data" / "README.md"
    data.write_text(replace_table(data.read_text(), file_table(ROOT), FILE_START, FILE_END))
    return 0


if __name__ == "__main__":
    sys.exit(main())
