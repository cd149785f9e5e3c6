"""Outbound links to other open legal datasets (Wikidata, ELI, undocs.org, adilet.zan.kz): which
entities have them, which lack them, and which links are malformed (``hrgraph links``).

A link is an ``owl:sameAs``, ``skos:exactMatch``, ``skos:closeMatch`` or ``rdfs:seeAlso`` whose
object is outside the project's own IRIs (ELI aliases under ``w3id.org/hrgraph/eli/``, which the
build materialises, count as ELI). Malformed: a literal where an IRI belongs, a Wikidata page URL
instead of the entity IRI, an undocs.org or adilet address that is not a document address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from hrgraph.rdf.vocab import OWL, RDFS, SKOS
from hrgraph.settings import BASE_IRI
from hrgraph.store.local import GraphStore

HRG = BASE_IRI + "ontology#"
LINK_PROPERTIES = (OWL + "sameAs", SKOS + "exactMatch", SKOS + "closeMatch", RDFS + "seeAlso")
TARGETS: dict[str, re.Pattern[str]] = {
    "wikidata": re.compile(r"http://www\.wikidata\.org/entity/Q[1-9][0-9]*"),
    "eli": re.compile(r"(?:http://data\.europa\.eu/eli/|https://w3id\.org/hrgraph/eli/)[a-z0-9/\-]+"),
    "undocs": re.compile(r"https://undocs\.org/(?:[a-z]{2}/)?[A-Z]+(?:/[A-Za-z0-9.()\-]+)+"),
    "adilet": re.compile(r"https://adilet\.zan\.kz/(?:eng|rus|kaz)/docs/[A-Z][0-9]{9,10}_?"),
}  # fmt: skip
"""What a well-formed link to each dataset looks like."""
_HOSTS = {
    "wikidata": ("wikidata.org",),
    "eli": ("data.europa.eu/eli", "w3id.org/hrgraph/eli"),
    "undocs": ("undocs.org",),
    "adilet": ("adilet.zan.kz",),
}
CHECKED_CLASSES: dict[str, tuple[str, ...]] = {
    "State": ("wikidata",),
    "Treaty": ("wikidata",),
    "OptionalProtocol": ("wikidata",),
    "MonitoringMechanism": ("wikidata",),
    "Document": ("undocs",),
    "LegalAct": ("eli", "adilet"),
    "Institution": ("wikidata",),
}
"""Classes whose instances should link out, and the datasets that count for each."""


@dataclass(frozen=True)
class MalformedLink:
    subject: str
    predicate: str
    value: str
    reason: str


@dataclass
class ClassCoverage:
    cls: str
    datasets: tuple[str, ...]
    total: int = 0
    linked: int = 0
    lacking: list[str] = field(default_factory=list)


@dataclass
class LinkReport:
    coverage: list[ClassCoverage] = field(default_factory=list)
    malformed: list[MalformedLink] = field(default_factory=list)
    by_dataset: dict[str, int] = field(default_factory=dict)

    def lines(self, show_lacking: int = 10) -> list[str]:
        out = ["outbound links by dataset:"]
        out += [f"  {name}: {count}" for name, count in sorted(self.by_dataset.items())]
        out.append("coverage (entities with a link to one of the datasets named):")
        for item in self.coverage:
            share = f"{100 * item.linked / item.total:.0f}%" if item.total else "-"
            out.append(
                f"  {item.cls} ({', '.join(item.datasets)}): {item.linked}/{item.total} "
                f"({share}), {len(item.lacking)} lacking"
            )
            out += [f"    lacking: <{iri}>" for iri in item.lacking[:show_lacking]]
            if len(item.lacking) > show_lacking:
                out.append(f"    ... and {len(item.lacking) - show_lacking} more")
        out.append(f"malformed links: {len(self.malformed)}")
        out += [f"  <{m.subject}> <{m.predicate}> {m.value}: {m.reason}" for m in self.malformed]
        return out

    def as_json(self) -> dict[str, object]:
        return {
            "byDataset": self.by_dataset,
            "coverage": [
                {"class": c.cls, "datasets": list(c.datasets), "total": c.total,
                 "linked": c.linked, "lacking": c.lacking}
                for c in self.coverage
            ],
            "malformed": [m.__dict__ for m in self.malformed],
        }  # fmt: skip


def classify(iri: str) -> str | None:
    """The dataset an outbound IRI belongs to, or ``None`` for another or a malformed one.

    >>> classify("http://www.wikidata.org/entity/Q232"), classify("https://undocs.org/A/HRC/14/10")
    ('wikidata', 'undocs')
    """
    for name, pattern in TARGETS.items():
        if pattern.fullmatch(iri):
            return name
    return None


def check_link(value: ox.NamedNode | ox.Literal | ox.BlankNode) -> str | None:
    """Why a link's object is malformed, or ``None`` if it is fine (or points elsewhere).

    >>> check_link(ox.NamedNode("https://www.wikidata.org/wiki/Q232"))
    'a Wikidata page, not an entity: use http://www.wikidata.org/entity/Q...'
    """
    if isinstance(value, ox.Literal):
        return "a literal where an IRI belongs"
    if isinstance(value, ox.BlankNode):
        return "a blank node where an IRI belongs"
    iri = value.value
    if not re.match(r"https?://[^/\s]+", iri):
        return "not an http(s) IRI"
    if classify(iri) is not None:
        return None
    if "wikidata.org/wiki/" in iri:
        return "a Wikidata page, not an entity: use http://www.wikidata.org/entity/Q..."
    for name, hosts in _HOSTS.items():
        if any(host in iri for host in hosts):
            return f"not a well-formed {name} address"
    return None


def link_report(store: GraphStore) -> LinkReport:
    """Coverage and malformed links of the whole store (curated data, imports and inferences)."""
    report = LinkReport()
    values = " ".join(f"<{p}>" for p in LINK_PROPERTIES)
    rows = store.query(f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o }}")
    assert isinstance(rows, ox.QuerySolutions)
    linked: dict[str, set[str]] = {}
    for row in rows:
        subject, predicate, value = row["s"], row["p"], row["o"]
        if isinstance(value, ox.Triple) or isinstance(subject, ox.Triple):
            continue
        problem = check_link(value)
        if problem is not None:
            report.malformed.append(
                MalformedLink(str(subject.value), predicate.value, str(value), problem)
            )
            continue
        dataset = classify(value.value) if isinstance(value, ox.NamedNode) else None
        if dataset is not None:
            report.by_dataset[dataset] = report.by_dataset.get(dataset, 0) + 1
            linked.setdefault(str(subject.value), set()).add(dataset)
    for cls, datasets in CHECKED_CLASSES.items():
        coverage = ClassCoverage(cls, datasets)
        instances = store.query(
            f"""SELECT DISTINCT ?x WHERE {{ ?x a/<{RDFS}subClassOf>* <{HRG}{cls}>
            FILTER (isIRI(?x)) }} ORDER BY ?x"""
        )
        assert isinstance(instances, ox.QuerySolutions)
        for row in instances:
            iri = row["x"].value
            coverage.total += 1
            if linked.get(iri, set()) & set(datasets):
                coverage.linked += 1
            else:
                coverage.lacking.append(iri)
        report.coverage.append(coverage)
    report.malformed.sort(key=lambda m: (m.subject, m.predicate, m.value))
    return report
