"""Named queries over HTTP: every ``queries/*.rq`` becomes ``GET /api/queries/{name}``, an
OpenAPI operation with the query's typed parameters (grlc's convention), bound through
``NamedQuery.bind`` (a VALUES block, never string substitution); ``GET /api/queries`` lists them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from hrgraph.http.bounded import HeldResponse
from hrgraph.http.deps import READ_HEADERS, ExecutorDep, answer
from hrgraph.http.errors import ApiError
from hrgraph.query.execution import QueryRequest
from hrgraph.rdf.negotiation import choose
from hrgraph.rdf.results import neutralise_csv
from hrgraph.settings import Settings
from hrgraph.sparql.queries import NamedQuery, Parameter, load_queries

RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
"""Media types named queries answer in, in the server's order of preference."""


def build_router(settings: Settings) -> APIRouter:
    """A router with one operation per query in ``settings.queries_dir`` (read now, once)."""
    queries = load_queries(settings.queries_dir) if settings.queries_dir.is_dir() else {}
    router = APIRouter(prefix="/api/queries", tags=["Named queries"])

    @router.get("", summary="The named queries and their parameters")
    def list_queries() -> list[dict[str, Any]]:
        return [describe(query) for query in queries.values()]

    for query in queries.values():
        router.add_api_route(
            f"/{query.name}",
            _endpoint(query),
            methods=["GET"],
            operation_id=query.name,
            summary=query.summary,
            description=query.description,
            tags=["Named queries", *query.tags],
            response_class=Response,
            responses={
                200: {
                    "description": "SPARQL JSON results (default), CSV or TSV by Accept",
                    "content": {media: {} for media in RESULT_TYPES},
                },
                400: {"description": "a missing or malformed parameter, named in the message"},
            },
            openapi_extra={"parameters": [_openapi_parameter(query, p) for p in query.parameters]},
        )

    @router.get("/{name}", include_in_schema=False)
    def unknown_query(name: str) -> None:
        available = ", ".join(queries) or "none"
        raise ApiError(404, f"no named query {name!r} (available: {available})")

    return router


def describe(query: NamedQuery) -> dict[str, Any]:
    """A query as ``GET /api/queries`` lists it."""
    parameters = []
    for parameter in query.parameters:
        item: dict[str, Any] = {
            "name": parameter.name,
            "type": parameter.type_label,
            "required": parameter.required and parameter.name not in query.defaults,
        }
        if parameter.name in query.defaults:
            item["default"] = query.defaults[parameter.name]
        if parameter.name in query.enumerate:
            item["enum"] = list(query.enumerate[parameter.name])
        parameters.append(item)
    return {
        "name": query.name,
        "summary": query.summary,
        "description": query.description,
        "tags": list(query.tags),
        "path": f"/api/queries/{query.name}",
        "parameters": parameters,
    }


def _openapi_parameter(query: NamedQuery, parameter: Parameter) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if parameter.kind == "iri":
        schema["format"] = "uri"
    elif parameter.datatype and parameter.datatype.endswith("#date"):
        schema["format"] = "date"
    elif parameter.datatype and parameter.datatype.endswith("#integer"):
        schema = {"type": "integer"}
    if parameter.name in query.defaults:
        schema["default"] = query.defaults[parameter.name]
    if parameter.name in query.enumerate:
        schema["enum"] = list(query.enumerate[parameter.name])
    return {
        "name": parameter.name,
        "in": "query",
        "required": parameter.required and parameter.name not in query.defaults,
        "description": f"{parameter.type_label} (SPARQL variable ?{parameter.variable})",
        "schema": schema,
    }


def _endpoint(query: NamedQuery) -> Any:
    async def run_named_query(request: Request, executor: ExecutorDep) -> Response:
        values: dict[str, str] = {}
        for key, value in request.query_params.multi_items():
            if key in values:
                raise ApiError(400, f"parameter {key!r} is given more than once")
            values[key] = value
        spreadsheet = _spreadsheet_flag(values.pop(SPREADSHEET_PARAMETER, None))
        text = query.bind(values)
        media_type = choose(request.headers.get("accept"), list(RESULT_TYPES))
        if media_type is None:
            accept = request.headers.get("accept")
            available = ", ".join(RESULT_TYPES)
            raise ApiError(406, f"cannot answer in {accept!r}; available: {available}")
        body, release = await answer(
            request, executor, QueryRequest(text, RESULT_TYPES[media_type]), media_type
        )
        charset = "" if media_type.endswith("json") else "; charset=utf-8"
        if spreadsheet and media_type == "text/csv":
            body = neutralise_csv(body)
        # The query keeps its place in the queue until its answer has been sent.
        return HeldResponse(body, release, media_type=media_type + charset, headers=READ_HEADERS)

    run_named_query.__name__ = "query_" + query.name.replace("-", "_")
    return run_named_query


SPREADSHEET_PARAMETER = "csv"
"""``?csv=spreadsheet`` asks for CSV neutralised for spreadsheets (docs/http-api.md); not a query
parameter, so no named query may have a parameter of this name."""


def _spreadsheet_flag(value: str | None) -> bool:
    if value is None:
        return False
    if value != "spreadsheet":
        raise ApiError(400, f"parameter 'csv' takes the value 'spreadsheet', not {value!r}")
    return True
