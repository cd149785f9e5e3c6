"""Faceted browsing for readers who do not write SPARQL: recommendations by mechanism, UPR cycle,
right, treaty article, response and follow-up; domestic provisions by act, right and finding.
The rows come from one query each; facet counts are taken over the rows the other facets leave."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from hrgraph.http.web import report as report_pages
from hrgraph.http.web.data import select
from hrgraph.query.execution import Executor
from hrgraph.settings import Settings

RECOMMENDATIONS = """SELECT ?item ?label ?text ?symbol ?mechanism ?mechanismLabel ?cycle ?date
       ?response ?followup ?right ?rightLabel ?article ?articleLabel WHERE {
  ?item a hrg:Recommendation ; hrg:inDocument ?document .
  OPTIONAL { ?item rdfs:label ?label FILTER (LANGMATCHES(LANG(?label), "en")) }
  OPTIONAL { ?item hrg:text ?text }
  OPTIONAL { ?document hrg:unSymbol ?symbol }
  OPTIONAL { ?document hrg:documentOf ?review . ?review hrg:reviewingMechanism ?mechanism .
             OPTIONAL { ?mechanism hrg:shortName ?mechanismLabel }
             OPTIONAL { ?review hrg:cycle ?cycleValue } OPTIONAL { ?review hrg:date ?date } }
  OPTIONAL { ?item hrg:hasResponse/hrg:responseStatus ?status }
  OPTIONAL { ?item hrg:forFollowUp ?followupValue }
  OPTIONAL { ?item hrg:concernsRight ?right .
             OPTIONAL { ?right skos:prefLabel|rdfs:label ?rightLabel
                        FILTER (LANGMATCHES(LANG(?rightLabel), "en")) } }
  OPTIONAL { ?item hrg:concernsProvision ?article .
             OPTIONAL { ?article rdfs:label ?articleLabel
                        FILTER (LANGMATCHES(LANG(?articleLabel), "en")) } }
  BIND (IF(BOUND(?cycleValue), CONCAT("UPR cycle ", STR(?cycleValue)), "") AS ?cycle)
  BIND (COALESCE(STRAFTER(STR(?status), "#"), "no response recorded") AS ?response)
  BIND (IF(COALESCE(?followupValue, false), "selected for follow-up", "no follow-up") AS ?followup)
} ORDER BY ?date ?item"""

PROVISIONS = """SELECT ?item ?label ?text ?act ?actLabel ?right ?rightLabel ?from ?until WHERE {
  ?item a hrg:DomesticProvision ; hrg:provisionOf ?act .
  OPTIONAL { ?item rdfs:label ?label FILTER (LANGMATCHES(LANG(?label), "en")) }
  OPTIONAL { ?item hrg:text ?text }
  OPTIONAL { ?act rdfs:label ?actLabel FILTER (LANGMATCHES(LANG(?actLabel), "en")) }
  OPTIONAL { ?item hrg:regulatesRight ?right .
             OPTIONAL { ?right skos:prefLabel|rdfs:label ?rightLabel
                        FILTER (LANGMATCHES(LANG(?rightLabel), "en")) } }
  OPTIONAL { ?item hrg:inForceFrom ?from } OPTIONAL { ?item hrg:inForceUntil ?until }
} ORDER BY ?actLabel ?item"""


@dataclass
class Item:
    iri: str
    label: str
    text: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    """Single values shown in the table (symbol, date, ...)."""
    facets: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    """facet name -> {value key: value label}; a value key is an IRI or a literal."""


@dataclass
class Facet:
    name: str
    title: str
    selected: str
    options: list[tuple[str, str, int]]
    """(value key, label, how many items of the current selection have it)."""


def _collect(rows: list[dict[str, Any]], facets: dict[str, tuple[str, str]]) -> list[Item]:
    """Rows (one per combination of multi-valued facets) into items; ``facets`` maps a facet name
    to its (key column, label column)."""
    items: dict[str, Item] = {}
    for row in rows:
        iri = str(row["item"])
        item = items.get(iri)
        if item is None:
            label = str(row.get("label") or iri.rsplit("/", 2)[-2:][-1])
            item = items[iri] = Item(iri, label, str(row.get("text") or ""))
        for name, (key_column, label_column) in facets.items():
            if key_column in row:
                key = str(row[key_column])
                item.facets[name][key] = str(row.get(label_column) or key.rsplit("/", 1)[-1])
        for column in ("symbol", "date", "from", "until", "actLabel"):
            if column in row:
                item.fields[column] = str(row[column])
    return list(items.values())


def _facet(items: list[Item], params: dict[str, str], names: dict[str, str]) -> dict[str, Any]:
    chosen = {name: params.get(name, "") for name in names}
    chosen = {name: value for name, value in chosen.items() if value}

    def matches(item: Item, skip: str | None = None) -> bool:
        return all(value in item.facets.get(name, {}) for name, value in chosen.items()
                   if name != skip)  # fmt: skip

    facets = []
    for name, title in names.items():
        counts: dict[str, int] = defaultdict(int)
        labels: dict[str, str] = {}
        for item in items:
            if matches(item, skip=name):
                for key, label in item.facets.get(name, {}).items():
                    counts[key] += 1
                    labels[key] = label
        options = sorted(((k, labels[k], n) for k, n in counts.items()), key=lambda o: o[1])
        facets.append(Facet(name, title, chosen.get(name, ""), options))
    shown = [item for item in items if matches(item)]
    return {"facets": facets, "items": shown, "total": len(items), "chosen": chosen}


async def recommendations(executor: Executor, params: dict[str, str]) -> dict[str, Any]:
    rows = await select(executor, RECOMMENDATIONS)
    columns = {
        "mechanism": ("mechanism", "mechanismLabel"),
        "cycle": ("cycle", "cycle"),
        "right": ("right", "rightLabel"),
        "article": ("article", "articleLabel"),
        "response": ("response", "response"),
        "followup": ("followup", "followup"),
    }
    items = _collect([{k: v for k, v in r.items() if str(v) != ""} for r in rows], columns)
    names = {
        "mechanism": "Mechanism",
        "cycle": "UPR cycle",
        "right": "Right",
        "article": "Treaty article",
        "response": "Response",
        "followup": "Follow-up",
    }
    return {"title": "Recommendations", **_facet(items, params, names)}


async def provisions(
    executor: Executor, settings: Settings, params: dict[str, str]
) -> dict[str, Any]:
    rows = await select(executor, PROVISIONS)
    columns = {"act": ("act", "actLabel"), "right": ("right", "rightLabel")}
    items = _collect([dict(r) for r in rows], columns)
    found = await report_pages.report_for(settings, params.get("as_of"))
    by_focus: dict[str, set[str]] = defaultdict(set)
    for finding in found.findings:
        name = finding.requirement_label or finding.severity
        by_focus[finding.focus].add(name)
        for fact in finding.facts:
            by_focus[fact.iri].add(name)
    for item in items:
        names = by_focus.get(item.iri) or {"no finding"}
        item.facets["finding"] = {name: name for name in names}
    facets = {"act": "Act", "right": "Right", "finding": "Validation finding"}
    return {
        "title": "Domestic provisions",
        "as_of": found.as_of.isoformat(),
        **_facet(items, params, facets),
    }
