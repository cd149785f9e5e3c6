"""The SPARQL 1.1 Service Description of ``/sparql``
(https://www.w3.org/TR/sparql11-service-description/): what the endpoint speaks, the result
formats it offers, and its dataset (the named graphs; the default graph is their union)."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from hrgraph.rdf.results import FORMAT_IRIS, GRAPH_FORMATS, GRAPH_MEDIA_TYPES
from hrgraph.rdf.vocab import RDF_TYPE, RDFS

SD = "http://www.w3.org/ns/sparql-service-description#"
PREFIXES = {"sd": SD, "rdfs": RDFS, "formats": "http://www.w3.org/ns/formats/"}


def describe_service(endpoint: str, named_graphs: Iterable[ox.NamedNode]) -> list[ox.Triple]:
    """The description of the service at ``endpoint`` answering over ``named_graphs``.

    >>> triples = describe_service("http://localhost/sparql", [ox.NamedNode("http://g.example/")])
    >>> ox.Triple(ox.NamedNode("http://localhost/sparql"), ox.NamedNode(SD + "endpoint"),
    ...           ox.NamedNode("http://localhost/sparql")) in triples
    True
    """
    service = ox.NamedNode(endpoint)
    dataset, default_graph = ox.BlankNode(), ox.BlankNode()

    def sd(name: str) -> ox.NamedNode:
        return ox.NamedNode(SD + name)

    triples = [
        ox.Triple(service, RDF_TYPE, sd("Service")),
        ox.Triple(service, ox.NamedNode(RDFS + "label"), ox.Literal("hrgraph SPARQL endpoint")),
        ox.Triple(service, sd("endpoint"), service),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        *(
            ox.Triple(service, sd("resultFormat"), ox.NamedNode(iri))
            for iri in dict.fromkeys(FORMAT_IRIS.values())
        ),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, RDF_TYPE, sd("Graph")),
    ]
    for graph in named_graphs:
        named = ox.BlankNode()
        triples += [
            ox.Triple(dataset, sd("namedGraph"), named),
            ox.Triple(named, RDF_TYPE, sd("NamedGraph")),
            ox.Triple(named, sd("name"), graph),
        ]
    return triples


def serialize_description(triples: list[ox.Triple], media_type: str) -> bytes:
    """The description in one of the RDF media types of ``results.GRAPH_MEDIA_TYPES``."""
    rdf_format = GRAPH_FORMATS[GRAPH_MEDIA_TYPES[media_type]]
    return ox.serialize(triples, format=rdf_format, prefixes=PREFIXES) or b""
