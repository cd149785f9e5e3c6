"""Rewrite ontology/README.md's reference of classes and their properties.

For every hrg: class: its definition, superclasses, the values of an enumeration, and each
property whose rdfs:domain names the class (alone or in a union) with its kind, range and an
example from the bundled data; then the properties without a domain. Run after changing the
ontology or data/:
    .venv/bin/python scripts/ontology-docs.py
tests/test_ontology.py fails while the README differs from what this script writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "ontology" / "README.md"
START, END = "<!-- ontology-docs:start -->", "<!-- ontology-docs:end -->"

HRG = "https://w3id.org/hrgraph/ontology#"
ID = "https://w3id.org/hrgraph/id/"
PREFIXES = {
    HRG: "hrg:",
    "http://www.w3.org/2001/XMLSchema#": "xsd:",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
    "http://www.w3.org/ns/prov#": "prov:",
    "http://www.w3.org/ns/org#": "org:",
    "http://www.w3.org/2004/02/skos/core#": "skos:",
    "http://data.europa.eu/eli/ontology#": "eli:",
    "http://purl.org/dc/terms/": "dcterms:",
    "https://schema.org/": "schema:",
    "http://xmlns.com/foaf/0.1/": "foaf:",
    "http://docs.oasis-open.org/legalruleml/ns/mm/v1.0/": "lrmlmm:",
    "http://www.w3.org/ns/shacl#": "sh:",
}
KINDS = {
    "http://www.w3.org/2002/07/owl#ObjectProperty": "object",
    "http://www.w3.org/2002/07/owl#DatatypeProperty": "datatype",
}
EXAMPLE_LENGTH = 70

TERMS_QUERY = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?term ?kind ?definition WHERE {
  GRAPH <https://w3id.org/hrgraph/graph/ontology> {
    ?term a ?kind .
    VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty }
    OPTIONAL { ?term skos:definition ?definition FILTER(LANG(?definition) = "en") }
    FILTER(STRSTARTS(STR(?term), "https://w3id.org/hrgraph/ontology#"))
  }
}
"""


def short(iri: str) -> str:
    if iri.startswith(ID):
        return "id/" + iri[len(ID) :]
    for namespace, prefix in PREFIXES.items():
        if iri.startswith(namespace):
            return prefix + iri[len(namespace) :]
    return iri


def cell(text: str) -> str:
    """Text for a Markdown table cell: one line, pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def shown(node: object) -> str:
    import pyoxigraph as ox

    if isinstance(node, ox.NamedNode):
        return f"`{short(node.value)}`"
    if isinstance(node, ox.Literal):
        value = (
            node.value if len(node.value) <= EXAMPLE_LENGTH else node.value[:EXAMPLE_LENGTH] + "…"
        )
        value = value.replace("`", "'")
        if node.language:
            return f'`"{value}"@{node.language}`'
        datatype = short(node.datatype.value)
        if datatype == "xsd:string":
            return f'`"{value}"`'
        return f'`"{value}"^^{datatype}`'
    return "—"


def reference(root: Path) -> str:
    import pyoxigraph as ox

    from hrgraph.build.pipeline import build
    from hrgraph.settings import Settings

    _, store = build(Settings(root=root, store_path=None))
    ontology = "GRAPH <https://w3id.org/hrgraph/graph/ontology>"

    def rows(query: str) -> list[ox.QuerySolution]:
        result = store.query(query)
        assert isinstance(result, ox.QuerySolutions)
        return list(result)

    classes: dict[str, str] = {}
    properties: dict[str, tuple[str, str]] = {}
    for row in rows(TERMS_QUERY):
        term, kind = row["term"].value, row["kind"].value
        definition = row["definition"].value if row["definition"] is not None else ""
        if kind.endswith("#Class"):
            classes[term] = definition
        else:
            properties[term] = (KINDS[kind], definition)

    def objects(subject: str, predicate: str) -> list[ox.NamedNode]:
        found = rows(
            f"SELECT ?o WHERE {{ {ontology} {{ <{subject}> <{predicate}> ?o }} }} ORDER BY ?o"
        )
        return [r["o"] for r in found]

    rdfs = "http://www.w3.org/2000/01/rdf-schema#"
    owl = "http://www.w3.org/2002/07/owl#"
    domains: dict[str, list[str]] = {}
    ranges: dict[str, str] = {}
    for prop in properties:
        for domain in objects(prop, rdfs + "domain"):
            if isinstance(domain, ox.NamedNode):
                domains.setdefault(domain.value, []).append(prop)
            else:  # a union of classes
                members = rows(
                    f"""SELECT ?c WHERE {{ {ontology} {{
                          <{prop}> <{rdfs}domain>/<{owl}unionOf>/<{rdf_rest()}>*/<{rdf_first()}> ?c
                        }} }}"""
                )
                for member in members:
                    domains.setdefault(member["c"].value, []).append(prop)
        found = objects(prop, rdfs + "range")
        if not found:
            ranges[prop] = "—"
        elif isinstance(found[0], ox.NamedNode):
            ranges[prop] = f"`{short(found[0].value)}`"
        else:
            union = rows(
                f"""SELECT ?c WHERE {{ {ontology} {{
                      <{prop}> <{rdfs}range>/<{owl}unionOf>/<{rdf_rest()}>*/<{rdf_first()}> ?c
                    }} }} ORDER BY ?c"""
            )
            ranges[prop] = " or ".join(f"`{short(r['c'].value)}`" for r in union)

    def kind_of(prop: str) -> str:
        """The property's kind, with the properties it is a subproperty of."""
        kind, _ = properties[prop]
        supers = [o for o in objects(prop, rdfs + "subPropertyOf") if isinstance(o, ox.NamedNode)]
        return ", ".join([kind] + [f"⊑ `{short(o.value)}`" for o in supers])

    def example(prop: str, klass: str | None) -> str:
        typed = f"?s a <{klass}> ." if klass else ""
        found = rows(
            f"""SELECT ?s ?o WHERE {{ ?s <{prop}> ?o . {typed} FILTER(isIRI(?s)) }}
                ORDER BY DESC(CONTAINS(STR(?s), "/kaz")) STR(?s) STR(?o) LIMIT 1"""
        )
        if not found:
            return "not in the data"
        return f"{shown(found[0]['s'])} → {shown(found[0]['o'])}"

    lines = [
        "Generated by `scripts/ontology-docs.py` from the ontology and the built data; "
        "`tests/test_ontology.py` fails while this section is stale. "
        f"{len(classes)} classes, "
        f"{sum(k == 'object' for k, _ in properties.values())} object properties, "
        f"{sum(k == 'datatype' for k, _ in properties.values())} datatype properties. "
        "A property is listed under the class its `rdfs:domain` names (a subclass also has the "
        "properties of its superclasses), with the external properties it is a subproperty of "
        "(⊑); the example is one statement from the data, a Kazakh resource where there is one.",
        "",
    ]
    for klass in sorted(classes, key=lambda c: c.lower()):
        lines.append(f"### `{short(klass)}`")
        lines.append("")
        lines.append(cell(classes[klass]) or "(no definition)")
        supers = [o for o in objects(klass, rdfs + "subClassOf") if isinstance(o, ox.NamedNode)]
        if supers:
            lines.append("")
            lines.append("Subclass of " + ", ".join(f"`{short(o.value)}`" for o in supers) + ".")
        values = rows(
            f"""SELECT ?i WHERE {{ {ontology} {{ ?i a <{klass}>, <{owl}NamedIndividual> }} }}
                ORDER BY ?i"""
        )
        if values:
            lines.append("")
            lines.append("Values: " + ", ".join(f"`{short(v['i'].value)}`" for v in values) + ".")
        own = sorted(domains.get(klass, []), key=str.lower)
        if own:
            lines += ["", "| property | kind | range | example from the data |"]
            lines.append("| --- | --- | --- | --- |")
            for prop in own:
                lines.append(
                    f"| `{short(prop)}` | {kind_of(prop)} | {ranges[prop]} | "
                    f"{example(prop, klass)} |"
                )
        lines.append("")
    free = sorted(
        (p for p in properties if not any(p in props for props in domains.values())),
        key=str.lower,
    )
    lines += ["### Properties without a domain", ""]
    lines.append("| property | kind | range | definition | example from the data |")
    lines.append("| --- | --- | --- | --- | --- |")
    for prop in free:
        _, definition = properties[prop]
        lines.append(
            f"| `{short(prop)}` | {kind_of(prop)} | {ranges[prop]} | {cell(definition)} | "
            f"{example(prop, None)} |"
        )
    return "\n".join(lines)


def rdf_first() -> str:
    return "http://www.w3.org/1999/02/22-rdf-syntax-ns#first"


def rdf_rest() -> str:
    return "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"


def replace_section(readme: str, section: str) -> str:
    head, found, rest = readme.partition(START)
    if not found:
        raise SystemExit(f"{START} not found in {README}")
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n\n{section}\n\n{END}{tail}"


def main() -> int:
    README.write_text(
        replace_section(README.read_text(encoding="utf-8"), reference(ROOT)), encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
