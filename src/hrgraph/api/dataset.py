"""The dataset described for catalogues and crawlers: VoID (https://www.w3.org/TR/void/, served at
``/.well-known/void`` as section 7 suggests) and DCAT 3 (https://www.w3.org/TR/vocab-dcat-3/),
also at ``/dataset``: triples per named graph, the SPARQL endpoint, the licence."""

from __future__ import annotations

import json
from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from hrgraph import __version__
from hrgraph.api.linked_data import READ_HEADERS, negotiate, run
from hrgraph.api.state import get_executor
from hrgraph.execution import Executor
from hrgraph.results import GRAPH_FORMATS, GRAPH_MEDIA_TYPES, content_type
from hrgraph.settings import Settings
from hrgraph.vocab import DCTERMS, RDF_TYPE, VOID, XSD

router = APIRouter(tags=["Linked data"])

DCAT = "http://www.w3.org/ns/dcat#"
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "description": "the dataset description in an RDF syntax, by Accept (Turtle default)",
        "content": {media: {} for media in GRAPH_MEDIA_TYPES},
    }
}


@router.get(
    "/.well-known/void",
    summary="VoID and DCAT description of the dataset",
    response_class=Response,
    responses=RESPONSES,
    operation_id="well_known_void",
)
@router.get(
    "/dataset",
    summary="VoID and DCAT description of the dataset (same as /.well-known/void)",
    response_class=Response,
    responses=RESPONSES,
    operation_id="dataset",
)
async def dataset(
    request: Request, executor: Annotated[Executor, Depends(get_executor)]
) -> Response:
    return await _description(request, executor)


@router.get(
    "/context.jsonld",
    summary="The JSON-LD @context hrgraph publishes (used by `hrgraph export --format jsonld`)",
    response_class=Response,
)
async def json_ld_context() -> Response:
    from hrgraph.export import published_context

    body = json.dumps({"@context": published_context()}, indent=2)
    return Response(body, media_type="application/ld+json", headers=READ_HEADERS)


async def _description(request: Request, executor: Executor) -> Response:
    settings: Settings = request.app.state.settings
    media_type = negotiate(request, GRAPH_MEDIA_TYPES)
    counts_body = await run(
        executor,
        "SELECT ?graph (COUNT(*) AS ?triples) WHERE { GRAPH ?graph { ?s ?p ?o } } "
        "GROUP BY ?graph ORDER BY ?graph",
        "json",
        request,
    )
    counts = {
        row["graph"]["value"]: int(row["triples"]["value"])
        for row in json.loads(counts_body)["results"]["bindings"]
    }
    # The public base from the settings, never the request's Host header (a client's to forge).
    triples = describe_dataset(settings.base_iri, settings.public_url, counts)
    body = ox.serialize(triples, format=GRAPH_FORMATS[GRAPH_MEDIA_TYPES[media_type]]) or b""
    return Response(body, media_type=content_type(media_type), headers=READ_HEADERS)


def describe_dataset(base_iri: str, service: str, counts: dict[str, int]) -> list[ox.Triple]:
    """The VoID/DCAT triples for the dataset with these per-graph triple counts.

    >>> triples = describe_dataset("https://w3id.org/hrgraph/", "http://localhost/",
    ...                            {"https://w3id.org/hrgraph/graph/ontology": 5})
    >>> any(t.predicate.value.endswith("#sparqlEndpoint") for t in triples)
    True
    """
    dataset = ox.NamedNode(base_iri + "dataset")
    endpoint = ox.NamedNode(service + "sparql")
    data_service = ox.NamedNode(service + "sparql#service")
    distribution = ox.NamedNode(base_iri + "dataset#sparql")

    def iri(value: str) -> ox.NamedNode:
        return ox.NamedNode(value)

    def integer(value: int) -> ox.Literal:
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))

    def english(text: str) -> ox.Literal:
        return ox.Literal(text, language="en")

    t = ox.Triple
    triples = [
        t(dataset, RDF_TYPE, iri(VOID + "Dataset")),
        t(dataset, RDF_TYPE, iri(DCAT + "Dataset")),
        t(dataset, iri(DCTERMS + "title"), english("hrgraph")),
        t(
            dataset,
            iri(DCTERMS + "description"),
            english(
                "A knowledge graph of human-rights obligations and the institutions that carry "
                "them out, starting with the Republic of Kazakhstan; every statement sourced."
            ),
        ),
        t(dataset, iri(DCTERMS + "license"), iri(LICENCE)),
        t(dataset, iri(DCTERMS + "hasVersion"), ox.Literal(__version__)),
        t(dataset, iri(VOID + "sparqlEndpoint"), endpoint),
        t(dataset, iri(VOID + "uriSpace"), ox.Literal(base_iri + "id/")),
        t(dataset, iri(VOID + "vocabulary"), iri(base_iri + "ontology#")),
        t(dataset, iri(VOID + "triples"), integer(sum(counts.values()))),
        t(dataset, iri(DCAT + "distribution"), distribution),
        t(distribution, RDF_TYPE, iri(DCAT + "Distribution")),
        t(distribution, iri(DCAT + "accessURL"), endpoint),
        t(distribution, iri(DCAT + "accessService"), data_service),
        t(distribution, iri(DCTERMS + "license"), iri(LICENCE)),
        t(data_service, RDF_TYPE, iri(DCAT + "DataService")),
        t(data_service, iri(DCAT + "endpointURL"), endpoint),
        t(data_service, iri(DCAT + "endpointDescription"), endpoint),
        t(data_service, iri(DCAT + "servesDataset"), dataset),
        t(
            data_service,
            iri(DCTERMS + "conformsTo"),
            iri("https://www.w3.org/TR/sparql11-protocol/"),
        ),
    ]
    for graph, count in sorted(counts.items()):
        node = iri(graph)
        triples += [
            t(dataset, iri(VOID + "subset"), node),
            t(node, RDF_TYPE, iri(VOID + "Dataset")),
            t(node, iri(VOID + "triples"), integer(count)),
        ]
    return triples
