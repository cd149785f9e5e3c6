"""SPARQL 1.1 Protocol, query operation (https://www.w3.org/TR/sparql11-protocol/#query-operation):
GET with ``query=``, POST form-encoded, POST ``application/sparql-query``, with
``default-graph-uri`` and ``named-graph-uri``; results chosen by ``Accept`` before the query runs
(SPARQL JSON by default for SELECT/ASK, Turtle for CONSTRUCT/DESCRIBE). ``GET /sparql`` without a
query answers the Service Description; an update is handed to ``writes``. Readable from any
origin (CORS, no credentials).
docs/http-sparql.md is the reference."""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import parse_qs, urlencode

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from hrgraph.http.api.service_description import describe_service, serialize_description
from hrgraph.http.bounded import HeldResponse
from hrgraph.http.deps import (
    MAX_PROTOCOL_BODY_BYTES,
    answer,
    get_answer_cache,
    get_executor,
    get_settings,
    local_url,
    read_body,
)
from hrgraph.http.errors import ApiError
from hrgraph.http.provider import StoreProvider, StoreView
from hrgraph.http.updates import check_write_access, run_update
from hrgraph.query.cache import AnswerCache
from hrgraph.query.execution import (
    QueryRequest,
    QuerySyntaxError,
)
from hrgraph.rdf.negotiation import choose
from hrgraph.rdf.results import GRAPH_MEDIA_TYPES, SOLUTION_MEDIA_TYPES, content_type
from hrgraph.settings import Settings
from hrgraph.sparql.querycheck import query_form

router = APIRouter(tags=["SPARQL"])

SOLUTION_TYPES = SOLUTION_MEDIA_TYPES
GRAPH_TYPES = GRAPH_MEDIA_TYPES
CORS_HEADERS = {"Access-Control-Allow-Origin": "*"}
"""Any origin may read the answers; no credentials are involved, so ``*`` is safe."""
PREFLIGHT_HEADERS = {
    **CORS_HEADERS,
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Authorization, Content-Type",
    "Access-Control-Max-Age": "86400",
}


def get_store(request: Request) -> StoreView:
    provider: StoreProvider = request.app.state.store_provider
    return provider.view()


@router.get("/health", summary="Liveness: the store is open and answers")
def health(
    store: Annotated[StoreView, Depends(get_store)],
    cache: Annotated[AnswerCache | None, Depends(get_answer_cache)],
) -> dict[str, object]:
    answer_cache = None if cache is None else cache.stats()
    return {"status": "ok", "graphs": len(store.named_graphs()), "answer_cache": answer_cache}


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
async def sparql_query(request: Request) -> Response:
    params = await _protocol_parameters(request)
    if "update" in params:
        return await _update(request, params)
    queries = params.get("query", [])
    if request.method == "GET" and prefers_page(request.headers.get("accept")):
        # A browser: the query page, holding the query if there is one (303 See Other).
        target = local_url(get_settings(request), "query")
        if len(queries) == 1:
            target += "?" + urlencode({"query": queries[0]})
        return RedirectResponse(target, status_code=303, headers={"Vary": "Accept"})
    if not queries:
        if request.method == "GET":
            return _service_description(request)
        raise ApiError(400, "no query: pass the SPARQL query in the 'query' parameter")
    if len(queries) > 1:
        raise ApiError(400, "more than one 'query' parameter")
    default_graphs = tuple(
        _graph_iri(iri, "default-graph-uri") for iri in params.get("default-graph-uri", [])
    )
    named_graphs = tuple(
        _graph_iri(iri, "named-graph-uri") for iri in params.get("named-graph-uri", [])
    )
    # Negotiated on the text the engine will read (the form is the same; one reading for both).
    query, base_length = _with_base(queries[0], get_settings(request))
    media_type, result_format = _negotiate(query, request.headers.get("accept"))
    protocol_dataset = bool(default_graphs or named_graphs)
    # Graphs given by the protocol replace the query's FROM / FROM NAMED and the union default
    # graph (SPARQL 1.1 Protocol 2.1.4): with only named-graph-uri the default graph is empty.
    query_request = QueryRequest(
        query,
        result_format,
        default_graphs=default_graphs if protocol_dataset else None,
        named_graphs=named_graphs if protocol_dataset else None,
    )

    executor = await get_executor(request)  # not a dependency: one resolution less per query
    try:
        body, release = await answer(request, executor, query_request, media_type)
    except QuerySyntaxError as error:  # the position as in the query the client sent
        message = _FIRST_LINE_POSITION.sub(
            lambda m: f"{m[1]}1:{int(m[2]) - base_length}", str(error)
        )
        raise ApiError(400, f"malformed query: {message}") from None
    # The query keeps its place in the queue until its answer has been sent.
    return HeldResponse(
        body,
        release,
        media_type=content_type(media_type),
        headers={"Vary": "Accept", **CORS_HEADERS},
    )


def prefers_page(accept: str | None) -> bool:
    """Whether the client prefers an HTML page to every answer /sparql gives (a browser names
    ``text/html``; SPARQL clients name result types or ``*/*``).

    >>> prefers_page("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
    True
    >>> prefers_page("application/sparql-results+json,*/*;q=0.9"), prefers_page(None)
    (False, False)
    """
    offers = [*SOLUTION_TYPES, *GRAPH_TYPES, "text/html"]
    return choose(accept, offers) == "text/html"


@router.options("/sparql", include_in_schema=False)
def sparql_preflight() -> Response:
    """CORS preflight: browsers ask before a POST with a ``Content-Type`` of their choice."""
    return Response(status_code=204, headers={**PREFLIGHT_HEADERS, "Allow": "GET, POST, OPTIONS"})


def _service_description(request: Request) -> Response:
    media_type = choose(request.headers.get("accept"), list(GRAPH_TYPES))
    if media_type is None:
        raise ApiError(
            406,
            f"the service description is available as {', '.join(GRAPH_TYPES)}; "
            "to run a query, pass it in the 'query' parameter",
        )
    endpoint = get_settings(request).public_url + "sparql"  # never the request's Host
    try:
        description = describe_service(endpoint, get_store(request).named_graphs())
    except ValueError:
        raise ApiError(500, "the service's public base URL is not a valid IRI") from None
    body = serialize_description(description, media_type)
    return Response(
        body, media_type=content_type(media_type), headers={"Vary": "Accept", **CORS_HEADERS}
    )


_FIRST_LINE_POSITION = re.compile(r"(^|[^\d:])1:(\d+)")


def _with_base(query: str, settings: Settings) -> tuple[str, int]:
    """The query with the endpoint's URL as its base IRI, so relative IRIs resolve against the
    service (SPARQL 1.1 Protocol 2.1.4: "which MAY be the service endpoint"), and the length of
    what was prepended, to give syntax errors the user's columns back. The URL is the public
    base from the settings (never the request's Host header), used only if it is a valid IRI."""
    endpoint = settings.public_url + "sparql"
    try:
        ox.NamedNode(endpoint)
    except ValueError:
        return query, 0
    prefix = f"BASE <{endpoint}> "
    return prefix + query, len(prefix)


async def _update(request: Request, params: dict[str, list[str]]) -> Response:
    """The protocol's update operation, handed to ``writes`` (403 while writes are off, 401
    without the service's bearer token)."""
    if request.method != "POST":
        raise ApiError(405, "an update must be sent with POST", {"Allow": "POST"})
    check_write_access(request)
    if "query" in params:
        raise ApiError(400, "a request holds a query or an update, not both")
    if params.get("using-graph-uri") or params.get("using-named-graph-uri"):
        raise ApiError(
            400,
            "using-graph-uri and using-named-graph-uri are not supported: "
            "write USING or WITH in the update",
        )
    response = await run_update(request, params["update"])
    response.headers.update(CORS_HEADERS)
    return response


def _negotiate(query: str, accept: str | None) -> tuple[str, str]:
    """The media type and result format to answer with, chosen before the query runs."""
    try:
        form = query_form(query)
    except ValueError:
        raise ApiError(
            400,
            "not a query (SELECT, ASK, CONSTRUCT or DESCRIBE); "
            "an update goes in the 'update' parameter or an application/sparql-update body",
        ) from None
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
    media_type, *media_params = request.headers.get("content-type", "").split(";")
    media_type = media_type.strip().lower()
    for param in media_params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip(' "').lower() not in {"utf-8", "utf8"}:
            raise ApiError(415, f"the request body must be UTF-8, not {value.strip()!r}")
    body = await read_body(
        request,
        MAX_PROTOCOL_BODY_BYTES,
        f"the request body is over {MAX_PROTOCOL_BODY_BYTES} bytes",
    )
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(400, "the request body is not UTF-8") from None
    if media_type == "application/x-www-form-urlencoded":
        for key, values in parse_qs(text, keep_blank_values=True).items():
            params.setdefault(key, []).extend(values)
    elif media_type == "application/sparql-query":
        if "query" in params:
            raise ApiError(400, "a query in the body and in the URL: send only one")
        params["query"] = [text]
    elif media_type == "application/sparql-update":
        if "update" in params:
            raise ApiError(400, "an update in the body and in the URL: send only one")
        params["update"] = [text]
    else:
        raise ApiError(
            415,
            "POST a query as application/x-www-form-urlencoded or application/sparql-query, "
            "or an update as application/x-www-form-urlencoded or application/sparql-update",
        )
    return params


def _graph_iri(value: str, parameter: str) -> str:
    try:
        return ox.NamedNode(value).value
    except ValueError:
        raise ApiError(400, f"{parameter} is not an IRI: {value!r}") from None


__all__ = ["router"]
