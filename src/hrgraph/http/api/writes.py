"""Writes over HTTP, off unless a bearer token is configured (``Settings.write_token``):
SPARQL 1.1 Update (https://www.w3.org/TR/sparql11-protocol/#update-operation) at ``POST /update``
(and at ``POST /sparql``, through ``hrgraph.http.updates``), and the SPARQL 1.1 Graph Store HTTP
Protocol (https://www.w3.org/TR/sparql11-http-rdf-update/) at ``/rdf-graphs/service``.

With writes off every write request is answered 403; with writes on, a request without the
token, or with another one, 401 (``WWW-Authenticate: Bearer``). Each write is atomic and
persisted as a new store generation (``hrgraph.build.writes``), kept in the store's write log so
every later build keeps it, and run in a killable child process with a deadline and a memory limit
(``hrgraph.build.update_worker``). 204/201 is answered only once the write is published and durable;
a client gone before that gets no write.
"""

from __future__ import annotations

from urllib.parse import parse_qs

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import Response

from hrgraph.build.update_worker import Operation
from hrgraph.build.writes import PROTECTED_GRAPHS
from hrgraph.http.deps import ExecutorDep, SettingsDep, negotiate, run
from hrgraph.http.errors import ApiError
from hrgraph.http.updates import apply, check_write_access, run_update
from hrgraph.rdf.results import GRAPH_MEDIA_TYPES, content_type
from hrgraph.rdf.uploads import ACCEPTED_TYPES, parse_upload
from hrgraph.settings import Settings

router = APIRouter(tags=["Writes"])

AUTH_RESPONSES: dict[int | str, dict[str, object]] = {
    401: {"description": "writes are on, and the request has no bearer token or another one"},
    403: {"description": "writes are off on this service (no write token configured)"},
}


@router.post(
    "/update",
    summary="SPARQL 1.1 Update (application/sparql-update body or form field 'update')",
    status_code=204,
    response_class=Response,
    responses={204: {"description": "applied and published"}, **AUTH_RESPONSES},
)
async def update(request: Request) -> Response:
    check_write_access(request)
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(400, "the request body is not UTF-8") from None
    params = parse_qs(request.url.query, keep_blank_values=True)
    if params.get("using-graph-uri") or params.get("using-named-graph-uri"):
        raise ApiError(
            400,
            "using-graph-uri and using-named-graph-uri are not supported: "
            "write USING or WITH in the update",
        )
    if media == "application/sparql-update":
        return await run_update(request, [text])
    if media == "application/x-www-form-urlencoded":
        form = parse_qs(text, keep_blank_values=True)
        if form.get("using-graph-uri") or form.get("using-named-graph-uri"):
            raise ApiError(400, "using-graph-uri and using-named-graph-uri are not supported")
        return await run_update(request, form.get("update", []))
    raise ApiError(
        415, "POST an update as application/sparql-update or application/x-www-form-urlencoded"
    )


@router.get(
    "/rdf-graphs/service",
    summary="Graph Store Protocol: read a graph (?graph=IRI, or ?default for the union)",
    response_class=Response,
    responses={
        200: {"content": {media: {} for media in GRAPH_MEDIA_TYPES}, "description": "the graph"},
        403: AUTH_RESPONSES[403],
        404: {"description": "no such graph"},
    },
)
async def gsp_get(request: Request, executor: ExecutorDep, settings: SettingsDep) -> Response:
    if not settings.write_token:
        raise ApiError(403, "the Graph Store Protocol is enabled only with writes")
    graph = _graph(request)
    media_type = negotiate(request, GRAPH_MEDIA_TYPES)
    if graph is None:
        query = "CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }"
    else:
        found = await run(executor, f"ASK {{ GRAPH {graph} {{ ?s ?p ?o }} }}", "json")
        if b"true" not in found:
            raise ApiError(404, f"no graph {graph} in this dataset")
        query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"
    body = await run(executor, query, GRAPH_MEDIA_TYPES[media_type])
    return Response(body, media_type=content_type(media_type), headers={"Vary": "Accept"})


_GSP_WRITE_RESPONSES: dict[int | str, dict[str, object]] = {
    201: {"description": "the graph was created"},
    204: {"description": "applied and published"},
    **AUTH_RESPONSES,
}


@router.put(
    "/rdf-graphs/service",
    summary="Graph Store Protocol: replace a graph with the body (Turtle, N-Triples, JSON-LD)",
    response_class=Response,
    responses=_GSP_WRITE_RESPONSES,
)
async def gsp_put(request: Request) -> Response:
    settings = check_write_access(request)
    graph = _graph(request)
    triples = await _upload(request, settings)
    result = await apply(request, settings, _gsp("put", graph, triples))
    return Response(status_code=201 if result.created else 204)


@router.post(
    "/rdf-graphs/service",
    summary="Graph Store Protocol: add the body's triples to a graph",
    response_class=Response,
    responses=_GSP_WRITE_RESPONSES,
)
async def gsp_post(request: Request) -> Response:
    settings = check_write_access(request)
    graph = _graph(request)
    triples = await _upload(request, settings)
    result = await apply(request, settings, _gsp("post", graph, triples))
    return Response(status_code=201 if result.created else 204)


@router.delete(
    "/rdf-graphs/service",
    summary="Graph Store Protocol: remove a graph (?default empties the default graph)",
    status_code=204,
    response_class=Response,
    responses={**_GSP_WRITE_RESPONSES, 404: {"description": "no such graph"}},
)
async def gsp_delete(request: Request) -> Response:
    settings = check_write_access(request)
    graph = _graph(request)
    await apply(request, settings, _gsp("delete", graph, []))
    return Response(status_code=204)


def _graph(request: Request) -> ox.NamedNode | None:
    """``?graph=IRI`` (a named graph) or ``?default`` (``None``); exactly one of them."""
    params = parse_qs(request.url.query, keep_blank_values=True)
    graphs, default = params.get("graph", []), "default" in params
    if default == bool(graphs) or len(graphs) > 1:
        raise ApiError(400, "name one graph: ?graph=IRI or ?default")
    if default:
        return None
    try:
        graph = ox.NamedNode(graphs[0])
    except ValueError:
        raise ApiError(400, f"graph is not an IRI: {graphs[0]!r}") from None
    if graph.value in PROTECTED_GRAPHS:
        raise ApiError(400, f"the graph <{graph.value}> is maintained by the build")
    return graph


async def _upload(request: Request, settings: Settings) -> list[ox.Triple]:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in ACCEPTED_TYPES:
        raise ApiError(415, "send Turtle, N-Triples or JSON-LD")
    limit = settings.limits.max_upload_bytes
    return parse_upload(await request.body(), media, limit)


def _gsp(kind: str, graph: ox.NamedNode | None, triples: list[ox.Triple]) -> Operation:
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) if triples else b""
    return Operation(kind, (data or b"").decode("utf-8"), None if graph is None else graph.value)
