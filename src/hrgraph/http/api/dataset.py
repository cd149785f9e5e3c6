"""The dataset described for catalogues and crawlers: VoID (https://www.w3.org/TR/void/, served at
``/.well-known/void`` as section 7 suggests) and DCAT 3 (https://www.w3.org/TR/vocab-dcat-3/),
also at ``/dataset``: triples per named graph, the SPARQL endpoint, the licence."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from hrgraph import __version__
from hrgraph.http.deps import (
    DOCUMENT_TYPES,
    READ_HEADERS,
    ExecutorDep,
    FormatParameter,
    SettingsDep,
    alternates,
    by_format,
    negotiate,
    respond,
    run,
)
from hrgraph.http.documents import serialize_graph
from hrgraph.http.errors import ApiError
from hrgraph.http.pages import render
from hrgraph.query.execution import Executor
from hrgraph.rdf.results import GRAPH_MEDIA_TYPES
from hrgraph.rdf.vocab import DCTERMS, OWL, RDF_TYPE, VOID, XSD
from hrgraph.settings import Settings

router = APIRouter(tags=["Linked data"])

DCAT = "http://www.w3.org/ns/dcat#"
FOAF = "http://xmlns.com/foaf/0.1/"
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
OFFERS = {**GRAPH_MEDIA_TYPES, "text/html": "html", "application/json": "jsonld"}
"""The RDF syntaxes (Turtle first), then a page for browsers, then JSON-LD as plain JSON."""
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
    request: Request,
    executor: ExecutorDep,
    settings: SettingsDep,
    format: FormatParameter = None,
) -> Response:
    return await _description(request, executor, settings, format)


@router.get(
    "/context.jsonld",
    summary="The JSON-LD @context hrgraph publishes (used by `hrgraph export --format jsonld`)",
    response_class=Response,
)
async def json_ld_context() -> Response:
    from hrgraph.rdf.context import published_context

    body = json.dumps({"@context": published_context()}, indent=2)
    return Response(body, media_type="application/ld+json", headers=READ_HEADERS)


DUMP_PATH = "dataset/dump.nq"
"""Where the whole dataset is served as N-Quads (VoID's data dump; gzip when the client asks)."""


@router.get(
    "/" + DUMP_PATH,
    summary="The whole dataset, every named graph, as N-Quads (the VoID data dump)",
    response_class=Response,
    responses={200: {"content": {"application/n-quads": {}}}},
)
def dump(request: Request) -> Response:
    """The current store generation's quads, streamed in batches (the store is read-only and
    stays open while the answer is sent). Not over a remote store, whose own export is the way."""
    provider = request.app.state.store_provider
    if provider.remote is not None:
        raise ApiError(
            404,
            "no dump over a remote store: export it from the store itself, or run `hrgraph export`",
        )
    store = provider.get()

    def chunks() -> Iterator[bytes]:
        batch: list[ox.Quad] = []
        for quad in store.quads():
            batch.append(quad)
            if len(batch) == DUMP_BATCH:
                yield ox.serialize(batch, format=ox.RdfFormat.N_QUADS) or b""
                batch = []
        if batch:
            yield ox.serialize(batch, format=ox.RdfFormat.N_QUADS) or b""

    return StreamingResponse(
        chunks(),
        media_type="application/n-quads",
        headers={**READ_HEADERS, "Content-Disposition": 'inline; filename="hrgraph.nq"'},
    )


DUMP_BATCH = 5_000


async def _description(
    request: Request, executor: Executor, settings: Settings, format: str | None
) -> Response:
    media_type = by_format(format) if format else negotiate(request, OFFERS)
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
    links = alternates(settings, "dataset", media_type)
    if media_type == "text/html":
        page = render(
            "dataset.html",
            settings,
            title="The hrgraph dataset",
            counts=sorted(counts.items()),
            total=sum(counts.values()),
        )
        return respond(page.encode("utf-8"), media_type, links)
    # The public base from the settings, never the request's Host header (a client's to forge).
    triples = describe_dataset(settings.base_iri, settings.public_url, counts)
    return respond(serialize_graph(triples, DOCUMENT_TYPES[media_type]), media_type, links)


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
    dump_distribution = ox.NamedNode(base_iri + "dataset#dump")
    dump_file = ox.NamedNode(service + DUMP_PATH)
    project = ox.NamedNode(base_iri + "#project")
    """The project as creator and publisher (as in the ontology's header); no person named."""

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
        t(dataset, iri(OWL + "versionInfo"), ox.Literal(__version__)),
        t(dataset, iri(DCTERMS + "creator"), project),
        t(dataset, iri(DCTERMS + "publisher"), project),
        t(project, RDF_TYPE, iri(FOAF + "Organization")),
        t(project, iri(FOAF + "name"), english("the hrgraph project")),
        t(dataset, iri(VOID + "dataDump"), dump_file),
        t(dataset, iri(DCAT + "distribution"), dump_distribution),
        t(dump_distribution, RDF_TYPE, iri(DCAT + "Distribution")),
        t(dump_distribution, iri(DCAT + "downloadURL"), dump_file),
        t(
            dump_distribution,
            iri(DCAT + "mediaType"),
            iri("https://www.iana.org/assignments/media-types/application/n-quads"),
        ),
        t(dump_distribution, iri(DCTERMS + "license"), iri(LICENCE)),
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
