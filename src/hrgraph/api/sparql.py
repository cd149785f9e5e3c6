"""SPARQL 1.1 Protocol, query operation (https://www.w3.org/TR/sparql11-protocol/#query-operation):
GET with ``query=``, POST form-encoded, POST ``application/sparql-query``; results chosen by
``Accept`` (SPARQL JSON by default for SELECT/ASK, Turtle for CONSTRUCT/DESCRIBE)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qs

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from hrgraph.api.errors import ApiError
from hrgraph.api.state import StoreProvider
from hrgraph.execution import (
    InProcessExecutor,
    QueryFailed,
    QueryRequest,
    QueryResponse,
    QuerySyntaxError,
)
from hrgraph.negotiation import choose
from hrgraph.querycheck import QueryRejected, query_form
from hrgraph.settings import Settings
from hrgraph.store import GraphStore

router = APIRouter(tags=["SPARQL"])

SOLUTION_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
}
"""Media types for SELECT and ASK results, in the server's order of preference."""
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
}
"""Media types for CONSTRUCT and DESCRIBE results, in the server's order of preference."""
MAX_BODY_BYTES = 1_000_000


def get_store(request: Request) -> GraphStore:
    provider: StoreProvider = request.app.state.store_provider
    return provider.get()


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


@router.get("/health", summary="Liveness: the store is open and answers")
def health(store: Annotated[GraphStore, Depends(get_store)]) -> dict[str, object]:
    return {"status": "ok", "graphs": len(store.named_graphs())}


@router.api_route(
    "/sparql",
    methods=["GET", "POST"],
    summary="SPARQL 1.1 query endpoint",
    response_class=Response,
    responses={
        200: {
            "description": "SELECT/ASK results or an RDF graph, as negotiated",
            "content": {media: {} for media in [*SOLUTION_TYPES, *GRAPH_TYPES]},
        }
    },
)
async def sparql_query(
    request: Request,
    store: Annotated[GraphStore, Depends(get_store)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> Response:
    params = await _protocol_parameters(request)
    queries = params.get("query", [])
    if not queries:
        raise ApiError(400, "no query: pass the SPARQL query in the 'query' parameter")
    if len(queries) > 1:
        raise ApiError(400, "more than one 'query' parameter")
    if params.get("update"):
        raise ApiError(400, "this endpoint answers queries only; updates are not enabled")
    default_graphs = tuple(
        _graph_iri(iri, "default-graph-uri") for iri in params.get("default-graph-uri", [])
    )
    named_graphs = tuple(
        _graph_iri(iri, "named-graph-uri") for iri in params.get("named-graph-uri", [])
    )
    query = queries[0]
    media_type, result_format = _negotiate(query, request.headers.get("accept"))
    executor = InProcessExecutor(store, settings.limits)
    query_request = QueryRequest(
        query,
        result_format,
        default_graphs=default_graphs or None,
        named_graphs=named_graphs or None,
    )

    def execute() -> QueryResponse:
        try:
            return executor.run(query_request)
        except QueryRejected as error:
            raise ApiError(error.status, str(error)) from None
        except QuerySyntaxError as error:
            raise ApiError(400, f"malformed query: {error}") from None
        except QueryFailed as error:
            headers = {"Retry-After": str(error.retry_after)} if error.retry_after else None
            raise ApiError(error.status, str(error), headers) from None

    response = await run_in_threadpool(execute)
    charset = "" if media_type.endswith(("json", "xml")) else "; charset=utf-8"
    return Response(response.body, media_type=media_type + charset, headers={"Vary": "Accept"})


def _negotiate(query: str, accept: str | None) -> tuple[str, str]:
    """The media type and result format to answer with, chosen before the query runs."""
    try:
        form = query_form(query)
    except ValueError:
        raise ApiError(400, "this endpoint answers queries only; updates are not enabled") from None
    offers = GRAPH_TYPES if form in {"CONSTRUCT", "DESCRIBE"} else SOLUTION_TYPES
    media_type = choose(accept, list(offers))
    if media_type is None:
        raise ApiError(406, f"cannot answer in {accept!r}; available: {', '.join(offers)}")
    return media_type, offers[media_type]


async def _protocol_parameters(request: Request) -> dict[str, list[str]]:
    """Parameters from the URL and, for POST, from the form or the raw query body."""
    params = parse_qs(request.url.query, keep_blank_values=True)
    if request.method != "POST":
        return params
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        raise ApiError(413, f"the request body is over {MAX_BODY_BYTES} bytes")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(400, "the request body is not UTF-8") from None
    if content_type == "application/x-www-form-urlencoded":
        for key, values in parse_qs(text, keep_blank_values=True).items():
            params.setdefault(key, []).extend(values)
    elif content_type == "application/sparql-query":
        if "query" in params:
            raise ApiError(400, "a query in the body and in the URL: send only one")
        params["query"] = [text]
    else:
        raise ApiError(
            415,
            "POST a query as application/x-www-form-urlencoded or application/sparql-query",
        )
    return params


def _graph_iri(value: str, parameter: str) -> str:
    try:
        return ox.NamedNode(value).value
    except ValueError:
        raise ApiError(400, f"{parameter} is not an IRI: {value!r}") from None


__all__ = ["router"]
