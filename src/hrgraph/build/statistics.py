"""How many resources of each class the data files' graphs type, materialised into
``graph/inferred`` as VoID class partitions (https://www.w3.org/TR/void/#class-property-partitions)
so that ``queries/class-counts.rq`` reads a few hundred statements instead of every type
statement of the data (documented in ``ontology/README.md``, "What the build infers").

``<https://w3id.org/hrgraph/graph/data/>`` stands for the data files' graphs together: its class
partitions count each resource once however many graphs type it; each data graph has its own.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

import pyoxigraph as ox

from hrgraph.rdf.results import Term
from hrgraph.rdf.vocab import DATA_GRAPH_PREFIX, INFERRED_GRAPH, RDF_TYPE, VOID, XSD_INTEGER
from hrgraph.store.local import GraphStore

DATA_GRAPHS = ox.NamedNode(DATA_GRAPH_PREFIX)
"""The data files' graphs together (a VoID dataset whose subsets they are)."""

CLASS_PARTITION = ox.NamedNode(VOID + "classPartition")
CLASS = ox.NamedNode(VOID + "class")
ENTITIES = ox.NamedNode(VOID + "entities")


def class_partitions(store: GraphStore) -> list[ox.Quad]:
    """The class partitions of the data graphs (each graph's and all of them together), one per
    class typed there with an IRI, with its number of distinct resources (``void:entities``)."""
    by_graph: dict[ox.NamedNode, dict[ox.NamedNode, set[Term]]] = defaultdict(
        lambda: defaultdict(set)
    )
    for quad in store.quads(None, RDF_TYPE):
        graph, cls = quad.graph_name, quad.object
        data = isinstance(graph, ox.NamedNode) and graph.value.startswith(DATA_GRAPH_PREFIX)
        if data and isinstance(graph, ox.NamedNode) and isinstance(cls, ox.NamedNode):
            by_graph[graph][cls].add(quad.subject)
    together: dict[ox.NamedNode, set[Term]] = defaultdict(set)
    quads: list[ox.Quad] = []
    for graph in sorted(by_graph, key=lambda g: g.value):
        for cls, resources in by_graph[graph].items():
            together[cls] |= resources
        quads += _partitions(graph, by_graph[graph])
    return _partitions(DATA_GRAPHS, together) + quads


def _partitions(dataset: ox.NamedNode, members: dict[ox.NamedNode, set[Term]]) -> list[ox.Quad]:
    quads = []
    for cls in sorted(members, key=lambda c: c.value):
        key = hashlib.sha256(f"{dataset.value} {cls.value}".encode()).hexdigest()[:24]
        partition = ox.BlankNode(f"classes{key}")
        count = ox.Literal(str(len(members[cls])), datatype=XSD_INTEGER)
        quads += [
            ox.Quad(dataset, CLASS_PARTITION, partition, INFERRED_GRAPH),
            ox.Quad(partition, CLASS, cls, INFERRED_GRAPH),
            ox.Quad(partition, ENTITIES, count, INFERRED_GRAPH),
        ]
    return quads
