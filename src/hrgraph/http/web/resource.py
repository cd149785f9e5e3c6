"""The HTML page of a resource under ``/id/``: its label in English, Russian or Kazakh, its
properties and incoming links grouped by meaning, each fact with its sources and confidence,
external links, and links to the same resource as Turtle and JSON-LD. No JavaScript needed.

The linked-data route (``http.api.linked_data``) answers browsers with :func:`write_page`, which
the app wires in (``http.deps.ResourcePages``)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from fastapi import Request

from hrgraph.http.deps import get_settings
from hrgraph.http.pages import LANGUAGES, render, short
from hrgraph.http.web.data import PAGE_REQUEST, Cell, iri, pick_label, select
from hrgraph.query.execution import Executor
from hrgraph.rdf.namespaces import NAMESPACE
from hrgraph.rdf.vocab import DCTERMS, ELI, GRAPH, OWL, PROV, RDF, RDFS, SCHEMA, SKOS
from hrgraph.settings import Settings

HRG = NAMESPACE
LABELS = {RDFS + "label", SKOS + "prefLabel"}
SOURCES = {HRG + "source", HRG + "confidence", HRG + "textIsSummary"}
EXTERNAL = {RDFS + "seeAlso", OWL + "sameAs", SKOS + "exactMatch", SKOS + "closeMatch",
            HRG + "url", SCHEMA + "url"}  # fmt: skip
TEXT = {HRG + "text", HRG + "note", SKOS + "definition", RDFS + "comment"}
NAMES = {SKOS + "altLabel", HRG + "shortName", HRG + "unSymbol", HRG + "articleNumber",
         HRG + "paragraphNumber", HRG + "paragraph", ELI + "number",
         DCTERMS + "identifier"}  # fmt: skip
MIRRORS = {
    DCTERMS + "source", PROV + "used", PROV + "wasGeneratedBy", PROV + "wasAssociatedWith",
    SCHEMA + "url", DCTERMS + "date",
}  # fmt: skip
"""Standard-vocabulary copies of hrg: properties the build materialises: shown once, as hrg:."""
GROUPS = ("What it is", "Names and numbers", "Text", "Dates", "Relations", "Details",
          "External links", "Sources and confidence")  # fmt: skip
MAX_INCOMING = 1000


@dataclass
class Fact:
    property: str
    property_label: str
    value: Cell
    value_label: str | None
    graphs: set[str] = field(default_factory=set)
    attestations: list[dict[str, str]] = field(default_factory=list)


def group_of(prop: str, value: Cell) -> str:
    if prop == RDF + "type":
        return "What it is"
    if prop in NAMES:
        return "Names and numbers"
    if prop in TEXT:
        return "Text"
    if prop in EXTERNAL:
        return "External links"
    if prop in SOURCES:
        return "Sources and confidence"
    if value.datatype and value.datatype.rsplit("#", 1)[-1] in ("date", "gYear", "gYearMonth",
                                                                "dateTime"):  # fmt: skip
        return "Dates"
    if value.is_iri:
        return "Relations"
    return "Details"


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key that orders the numbers in a text by value (claim 5 before claim 10).

    >>> sorted(["claim 10", "claim 5", "Claim 11"], key=natural_key)
    ['claim 5', 'claim 10', 'Claim 11']
    """
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part.casefold())
        for part in re.split(r"(\d+)", text)
        if part
    )


def incoming_order(item: dict[str, str]) -> tuple[object, ...]:
    """Dated links first, in date order (office holders in the order they held office), then
    the others by label in natural order."""
    return (item["when"] == "", item["when"], natural_key(item["label"]))


def _hidden(prop: str) -> bool:
    return prop in MIRRORS or (prop.startswith(ELI) and prop != ELI + "number")


async def write_page(request: Request, executor: Executor, node: str, lang: str, path: str) -> str:
    """The page of ``node`` for the ``request`` it answers (its queries are cancelled with its
    client), at ``path``: an :class:`hrgraph.http.deps.ResourcePages`."""
    PAGE_REQUEST.set(request)
    return await resource_page(executor, node, get_settings(request), lang, path)


async def resource_page(
    executor: Executor, node: str, settings: Settings, lang: str, path: str
) -> str:
    """The page of the resource ``node`` (an IRI) in ``lang`` (en, ru or kk; else en)."""
    lang = lang if lang in LANGUAGES else "en"
    term = iri(node)
    labels = await select(executor, f"SELECT ?l WHERE {{ {term} rdfs:label|skos:prefLabel ?l }}")
    label_cells = [row["l"] for row in labels]
    title = pick_label(label_cells, lang) or short(node)
    outgoing = await select(
        executor,
        f"""SELECT ?p ?o ?g ?pl ?ol WHERE {{
          GRAPH ?g {{ {term} ?p ?o }}
          OPTIONAL {{ ?p rdfs:label ?pl FILTER (LANGMATCHES(LANG(?pl), "{lang}")
                                               || LANGMATCHES(LANG(?pl), "en")) }}
          OPTIONAL {{ ?o rdfs:label|skos:prefLabel ?ol FILTER (isIRI(?o) &&
                      (LANGMATCHES(LANG(?ol), "{lang}") || LANGMATCHES(LANG(?ol), "en"))) }}
        }}""",
    )
    attestations = await select(
        executor,
        f"""SELECT ?property ?source ?title ?url ?confidence WHERE {{
          ?attestation hrg:attests {term} ; hrg:source ?source .
          OPTIONAL {{ ?attestation hrg:attestedProperty ?property }}
          OPTIONAL {{ ?attestation hrg:confidence ?confidence }}
          OPTIONAL {{ ?source rdfs:label ?title FILTER (LANGMATCHES(LANG(?title), "en")) }}
          OPTIONAL {{ ?source hrg:url ?url }}
        }}""",
    )
    own_sources = await select(
        executor,
        f"""SELECT ?source ?title ?url ?accessed WHERE {{
          {term} hrg:source ?source .
          OPTIONAL {{ ?source rdfs:label ?title FILTER (LANGMATCHES(LANG(?title), "en")) }}
          OPTIONAL {{ ?source hrg:url ?url }} OPTIONAL {{ ?source hrg:accessed ?accessed }}
        }} ORDER BY ?title""",
    )
    # A link through a standard vocabulary's property (an alignment the build materialises,
    # e.g. prov:wasAssociatedWith beside hrg:actingState) is left out where the same resource
    # links through an hrg: property: each linking resource is listed once.
    incoming = await select(
        executor,
        f"""SELECT ?s ?p (SAMPLE(?pl0) AS ?pl) (SAMPLE(?sl0) AS ?sl) (SAMPLE(?se) AS ?sle)
               (MIN(STR(?w)) AS ?when)
        WHERE {{
          ?s ?p {term} . FILTER (isIRI(?s))
          FILTER (?p NOT IN (dcterms:source, prov:wasDerivedFrom))
          FILTER (STRSTARTS(STR(?p), STR(hrg:)) || NOT EXISTS {{
            ?s ?q {term} . FILTER (?q != ?p && STRSTARTS(STR(?q), STR(hrg:))) }})
          OPTIONAL {{ ?p rdfs:label ?pl0 FILTER (LANGMATCHES(LANG(?pl0), "en")) }}
          OPTIONAL {{ ?s rdfs:label ?sl0 FILTER (LANGMATCHES(LANG(?sl0), "{lang}")) }}
          OPTIONAL {{ ?s rdfs:label ?se FILTER (LANGMATCHES(LANG(?se), "en")) }}
          OPTIONAL {{ ?s hrg:validFrom|hrg:date|hrg:adoptionDate ?w }}
        }} GROUP BY ?s ?p ORDER BY ?p ?s LIMIT {MAX_INCOMING}""",
    )
    facts: dict[tuple[str, Cell], Fact] = {}
    for row in outgoing:
        prop, value = str(row["p"]), row["o"]
        if prop in LABELS or _hidden(prop):
            continue
        key = (prop, value)
        fact = facts.get(key)
        if fact is None:
            fact = facts[key] = Fact(prop, str(row.get("pl") or short(prop)), value, None)
        if "ol" in row and (fact.value_label is None or row["ol"].lang == lang):
            fact.value_label = str(row["ol"])
        fact.graphs.add(str(row["g"]).removeprefix(GRAPH))
    by_property: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in attestations:
        by_property[str(row.get("property", ""))].append({k: str(v) for k, v in row.items()})
    for fact in facts.values():
        fact.attestations = by_property.get(fact.property, [])
    groups: dict[str, list[Fact]] = {name: [] for name in GROUPS}

    def fact_order(fact: Fact) -> tuple[object, ...]:
        return fact.property_label, natural_key(fact.value_label or fact.value.value)

    for fact in sorted(facts.values(), key=fact_order):
        groups[group_of(fact.property, fact.value)].append(fact)
    links: dict[str, list[dict[str, str]]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for row in incoming:
        name = str(row.get("pl") or short(str(row["p"])))
        key2 = (name, str(row["s"]))  # two properties of one label: one list, listed once
        if key2 in seen:
            continue
        seen.add(key2)
        links[name].append(
            {"iri": str(row["s"]),
             "label": str(row.get("sl") or row.get("sle") or short(str(row["s"]))),
             "when": str(row.get("when") or "")}
        )  # fmt: skip
    for items in links.values():
        items.sort(key=incoming_order)
    return render(
        "resource.html",
        settings,
        title=title,
        iri=node,
        page_lang=lang,
        lang=lang,
        path=path,
        labels=[(c.lang or "", c.value) for c in label_cells],
        groups={name: items for name, items in groups.items() if items},
        incoming=dict(links),
        incoming_capped=len(incoming) >= MAX_INCOMING,
        own_sources=[{k: str(v) for k, v in row.items()} for row in own_sources],
        general_attestations=by_property.get("", []),
        language_names=LANGUAGES,
    )
