"""The RDF documents the service writes itself (a resource's description, the ontology, the
dataset's): Turtle and RDF/XML with the published prefixes, JSON-LD compacted with them, N-Triples
as they come (docs/architecture.md, "HTTP")."""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox
from fastapi import Request

from hrgraph.http.deps import DOCUMENT_TYPES, run
from hrgraph.query.execution import Executor
from hrgraph.rdf.context import compactor, published_context
from hrgraph.rdf.results import GRAPH_FORMATS

RDF_TYPE_IRI = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def prefixes() -> dict[str, str]:
    """The prefixes of the published JSON-LD context (``src/hrgraph/context.jsonld``)."""
    return {
        name: value
        for name, value in published_context().items()
        if isinstance(value, str)
        and not name.startswith("@")
        and value.startswith(("http://", "https://"))
        and value.endswith(("#", "/"))
    }


async def graph_document(
    executor: Executor, query: str, media_type: str, request: Request | None = None
) -> bytes:
    """A CONSTRUCT the service wrote, in ``media_type``: Turtle and RDF/XML with the published
    prefixes, JSON-LD compacted with them (``@type``, compact IRIs), N-Triples as they come."""
    fmt = DOCUMENT_TYPES[media_type]
    body = await run(executor, query, "ntriples", request)
    if fmt == "ntriples":
        return body
    triples = sorted(
        {quad.triple for quad in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)}, key=str
    )
    return serialize_graph(triples, fmt)


def serialize_graph(triples: list[ox.Triple], fmt: str) -> bytes:
    """``triples`` in ``fmt`` (a ``format=`` name other than ``html``)."""
    if fmt == "jsonld":
        return compact_jsonld(triples)
    used = prefixes()
    return ox.serialize(triples, format=GRAPH_FORMATS[fmt], prefixes=used) or b""


def compact_jsonld(triples: list[ox.Triple]) -> bytes:
    """Compacted JSON-LD: the published prefixes as the inline ``@context`` (so no context is
    fetched), ``@type`` for ``rdf:type``, compact IRIs, single values unwrapped.

    >>> t = ox.Triple(ox.NamedNode("https://w3id.org/hrgraph/id/state/kaz"),
    ...               ox.NamedNode(RDF_TYPE_IRI), ox.NamedNode("https://w3id.org/hrgraph/ontology#State"))
    >>> json.loads(compact_jsonld([t]))["@graph"]
    [{'@id': 'id:state/kaz', '@type': 'hrg:State'}]
    """
    compact = compactor(prefixes())

    def node(term: ox.NamedNode | ox.BlankNode) -> str:
        return f"_:{term.value}" if isinstance(term, ox.BlankNode) else compact(term.value)

    def value(term: Any) -> Any:
        if isinstance(term, ox.Literal):
            if term.language:
                return {"@value": term.value, "@language": term.language}
            if term.datatype.value == XSD_STRING:
                return term.value
            return {"@value": term.value, "@type": compact(term.datatype.value)}
        return {"@id": node(term)}

    nodes: dict[str, dict[str, Any]] = {}
    for triple in triples:
        subject = node(triple.subject)  # type: ignore[arg-type]
        entry = nodes.setdefault(subject, {"@id": subject})
        if triple.predicate.value == RDF_TYPE_IRI and isinstance(triple.object, ox.NamedNode):
            entry.setdefault("@type", []).append(compact(triple.object.value))
        else:
            entry.setdefault(compact(triple.predicate.value), []).append(value(triple.object))
    graph = [
        {key: items[0] if isinstance(items, list) and len(items) == 1 else items
         for key, items in entry.items()}
        for entry in nodes.values()
    ]  # fmt: skip
    document = {"@context": {"@version": 1.1, **prefixes()}, "@graph": graph}
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
