"""IRIs of the standard vocabularies hrgraph uses, and of its own graphs.

The project's own terms are in :mod:`hrgraph.rdf.namespaces`.
"""

from __future__ import annotations

import pyoxigraph as ox

from hrgraph.settings import BASE_IRI

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
ORG = "http://www.w3.org/ns/org#"
DCTERMS = "http://purl.org/dc/terms/"
ELI = "http://data.europa.eu/eli/ontology#"
SCHEMA = "https://schema.org/"
FOAF = "http://xmlns.com/foaf/0.1/"
VOID = "http://rdfs.org/ns/void#"
SPDX = "http://spdx.org/rdf/terms#"

ID = BASE_IRI + "id/"
GRAPH = BASE_IRI + "graph/"

ONTOLOGY_GRAPH = ox.NamedNode(GRAPH + "ontology")
INFERRED_GRAPH = ox.NamedNode(GRAPH + "inferred")
BUILD_GRAPH = ox.NamedNode(GRAPH + "build")
DATA_GRAPH_PREFIX = GRAPH + "data/"

RDF_TYPE = ox.NamedNode(RDF + "type")
XSD_DATE = ox.NamedNode(XSD + "date")
XSD_GYEAR = ox.NamedNode(XSD + "gYear")
XSD_GYEARMONTH = ox.NamedNode(XSD + "gYearMonth")
XSD_INTEGER = ox.NamedNode(XSD + "integer")
XSD_DATETIME = ox.NamedNode(XSD + "dateTime")

PREFIXES: dict[str, str] = {
    "hrg": "https://w3id.org/hrgraph/ontology#",
    "id": ID,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "prov": PROV,
    "org": ORG,
    "dcterms": DCTERMS,
    "eli": ELI,
    "schema": SCHEMA,
    "foaf": FOAF,
}
"""Prefixes used to abbreviate IRIs in human-readable output."""


def data_graph(stem: str) -> ox.NamedNode:
    """The named graph holding the data file ``data/<stem>.ttl``."""
    return ox.NamedNode(DATA_GRAPH_PREFIX + stem)
