"""Regenerate src/hrgraph/rdf/namespaces.py from ontology/hrgraph.ttl.

Run after adding or removing a term in the ontology:
    .venv/bin/python scripts/generate-namespaces.py
tests/test_namespaces.py fails while the two differ.
"""

from __future__ import annotations

import keyword
import sys
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
NAMESPACE = "https://w3id.org/hrgraph/ontology#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def ontology_terms(path: Path) -> list[str]:
    """Local names of every hrg: IRI the ontology gives a type to."""
    names = set()
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        subject = quad.subject
        if (
            quad.predicate == RDF_TYPE
            and isinstance(subject, ox.NamedNode)
            and subject.value.startswith(NAMESPACE)
            and subject.value != NAMESPACE
        ):
            names.add(subject.value[len(NAMESPACE) :])
    return sorted(names, key=lambda name: (name.lower(), name))


def render(names: list[str]) -> str:
    bad = [name for name in names if not name.isidentifier() or keyword.iskeyword(name)]
    if bad:
        raise SystemExit(f"terms that are not Python identifiers: {', '.join(bad)}")
    lines = [
        '"""The hrgraph ontology\'s terms as a closed namespace: a misspelt term fails at once',
        "(mypy flags it, and Python raises AttributeError).",
        "",
        "Generated from ontology/hrgraph.ttl by scripts/generate-namespaces.py: do not edit.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from typing import Final",
        "",
        "import pyoxigraph as ox",
        "",
        f'NAMESPACE: Final = "{NAMESPACE}"',
        "",
        "",
        "def _term(name: str) -> ox.NamedNode:",
        "    return ox.NamedNode(NAMESPACE + name)",
        "",
        "",
        "class _Terms:",
        '    """Every class, property and individual of https://w3id.org/hrgraph/ontology."""',
        "",
        "    __slots__ = ()",
        "",
        "    def __setattr__(self, name: str, value: object) -> None:",
        '        raise AttributeError(f"the hrgraph namespace is read-only: cannot set {name}")',
        "",
    ]
    lines += [f'    {name}: Final = _term("{name}")' for name in names]
    lines += [
        "",
        "",
        "HRG: Final = _Terms()",
        '"""The ontology\'s terms: ``HRG.Ratification`` is the IRI ``hrg:Ratification``."""',
        "",
        "TERMS: Final = frozenset(",
        "    {",
        *[f'        "{name}",' for name in names],
        "    }",
        ")",
        '"""The local names of all terms, for checks against the ontology."""',
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    text = render(ontology_terms(ROOT / "ontology" / "hrgraph.ttl"))
    (ROOT / "src" / "hrgraph" / "rdf" / "namespaces.py").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
