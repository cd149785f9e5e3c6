"""Rewrite the README's table of resources per class from the bundled data.

Run after changing data/:  .venv/bin/python scripts/update-readme-counts.py
tests/test_docs.py fails while the README's table differs from the data.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START, END = "<!-- class-counts:start -->", "<!-- class-counts:end -->"


def counts_table(root: Path) -> str:
    import pyoxigraph as ox

    from hrgraph.build import build
    from hrgraph.execution import run_query
    from hrgraph.queries import load_query
    from hrgraph.settings import Settings

    _, store = build(Settings(root=root))
    query = load_query(root / "queries" / "class-counts.rq").bind({})
    result = run_query(store, query, Settings(root=root).limits)
    assert isinstance(result, ox.QuerySolutions)
    lines = ["| class | resources |", "| --- | ---: |"]
    for row in result:
        name = row["class"].value.rsplit("#", 1)[1]
        lines.append(f"| `hrg:{name}` | {row['resources'].value} |")
    return "\n".join(lines)


def replace_table(readme: str, table: str) -> str:
    head, _, rest = readme.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{table}\n{END}{tail}"


def main() -> int:
    path = ROOT / "README.md"
    path.write_text(replace_table(path.read_text(), counts_table(ROOT)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
