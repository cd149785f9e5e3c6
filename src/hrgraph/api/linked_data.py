"""Dereferenceable IRIs (W3C "Cool URIs for the Semantic Web", Best Practices for Publishing
Linked Data): every ``https://w3id.org/hrgraph/id/...`` resource is served at ``/id/...`` and the
ontology at ``/ontology``, as Turtle, JSON-LD, N-Triples or RDF/XML for clients and as an HTML
page for browsers, chosen by ``Accept``. A resource's description is concise and bounded: its own
triples from every graph, its blank nodes' triples and the labels of what it links to."""

from __future__ import annotations

import html
import json
import threading
from typing import Annotated, Any

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from hrgraph.api.errors import ApiError
from hrgraph.api.state import get_executor
from hrgraph.execution import Executor, QueryFailed, QueryRequest
from hrgraph.negotiation import choose
from hrgraph.querycheck import QueryRejected
from hrgraph.results import GRAPH_MEDIA_TYPES, content_type
from hrgraph.settings import Settings
from hrgraph.vocab import ONTOLOGY_GRAPH, OWL, RDFS, SKOS
from hrgraph.workers import WorkerPool

router = APIRouter(tags=["Linked data"])

DOCUMENT_TYPES = {**GRAPH_MEDIA_TYPES, "text/html": "html"}
"""Turtle first (the default for clients that say nothing), then the other RDF syntaxes, then HTML
(which browsers ask for by name)."""
LABELS = (RDFS + "label", SKOS + "prefLabel")
READ_HEADERS = {"Vary": "Accept", "Access-Control-Allow-Origin": "*"}
"""Answers depend on Accept; browser clients on any origin may read them (CORS), as /sparql's."""
RDF_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "an RDF description or an HTML page, by Accept",
          "content": {media: {} for media in DOCUMENT_TYPES}},
}  # fmt: skip


@router.get(
    "/id/{path:path}",
    summary="A resource of the graph, by its IRI https://w3id.org/hrgraph/id/{path}",
    response_class=Response,
    responses={**RDF_RESPONSES, 404: {"description": "no resource with this IRI"}},
)
async def resource(
    path: str,
    request: Request,
    executor: Annotated[Executor, Depends(get_executor)],
    format: Annotated[
        str | None,
        Query(description="turtle, jsonld, ntriples or rdfxml: a link that needs no Accept"),
    ] = None,
    lang: Annotated[str, Query(description="language of the HTML page's labels")] = "en",
) -> Response:
    settings = _settings(request)
    media_type = _by_format(format) if format else negotiate(request)
    iri = _resource_iri(settings.base_iri + "id/" + path)
    node = str(iri)
    found = await run(executor, f"ASK {{ {node} ?p ?o }}", "json", request)
    if not json.loads(found).get("boolean"):
        raise ApiError(404, f"no resource <{iri.value}> in this graph")
    if media_type == "text/html":
        # The web package imports the API's errors: imported here, not at the top, to keep
        # ``hrgraph.api`` importable on its own.
        from hrgraph.web.data import PAGE_REQUEST
        from hrgraph.web.resource import resource_page

        PAGE_REQUEST.set(request)  # the page's queries are cancelled with its client
        page = await resource_page(executor, iri.value, settings, lang, "/id/" + path)
        return _respond(page.encode("utf-8"), media_type)
    body = await run(executor, _describe_construct(node), DOCUMENT_TYPES[media_type], request)
    return _respond(body, media_type)


@router.get(
    "/ontology",
    summary="The hrgraph ontology (https://w3id.org/hrgraph/ontology)",
    response_class=Response,
    responses=RDF_RESPONSES,
)
async def ontology(
    request: Request, executor: Annotated[Executor, Depends(get_executor)]
) -> Response:
    settings = _settings(request)
    media_type = negotiate(request)
    graph = str(ONTOLOGY_GRAPH)
    if media_type == "text/html":
        rows = await run(
            executor,
            f"""SELECT ?term ?kind ?label ?definition WHERE {{ GRAPH {graph} {{
                  ?term a ?kind .
                  FILTER (?kind IN (<{OWL}Class>, <{OWL}ObjectProperty>, <{OWL}DatatypeProperty>,
                                    <{OWL}AnnotationProperty>, <{OWL}NamedIndividual>))
                  FILTER (STRSTARTS(STR(?term), "{settings.base_iri}ontology"))
                  OPTIONAL {{ ?term <{RDFS}label> ?label FILTER (LANGMATCHES(LANG(?label), "en")) }}
                  OPTIONAL {{ ?term <{SKOS}definition> ?definition
                              FILTER (LANGMATCHES(LANG(?definition), "en")) }}
                }} }} ORDER BY ?kind ?term""",
            "json",
            request,
        )
        return _respond(render_ontology_page(_bindings(rows)).encode("utf-8"), media_type)
    body = await run(
        executor,
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}",
        DOCUMENT_TYPES[media_type],
        request,
    )
    return _respond(body, media_type)


def _by_format(name: str) -> str:
    """The media type of a ``format=`` name (for links, which cannot set ``Accept``)."""
    for media_type, fmt in GRAPH_MEDIA_TYPES.items():
        if fmt == name:
            return media_type
    available = ", ".join(GRAPH_MEDIA_TYPES.values())
    raise ApiError(400, f"unknown format {name!r}; available: {available}")


def negotiate(request: Request, offers: dict[str, str] = DOCUMENT_TYPES) -> str:
    accept = request.headers.get("accept")
    media_type = choose(accept, list(offers))
    if media_type is None:
        raise ApiError(406, f"cannot answer in {accept!r}; available: {', '.join(offers)}")
    return media_type


async def run(
    executor: Executor, query: str, result_format: str, request: Request | None = None
) -> bytes:
    """Run a query the service wrote itself through the executor (same limits as any query);
    with the ``request`` it answers, the query is cancelled if its client disconnects."""

    def execute(gone: threading.Event | None) -> bytes:
        try:
            if gone is not None and isinstance(executor, WorkerPool):
                return executor.run(QueryRequest(query, result_format), gone).body
            return executor.run(QueryRequest(query, result_format)).body
        except QueryRejected as error:
            raise ApiError(error.status, str(error)) from None
        except QueryFailed as error:
            headers = {"Retry-After": str(error.retry_after)} if error.retry_after else None
            raise ApiError(error.status, str(error), headers) from None

    if request is None:
        return await run_in_threadpool(execute, None)
    from hrgraph.api.bounded import client_gone

    async with client_gone(request) as gone:
        return await run_in_threadpool(execute, gone)


def _bindings(body: bytes) -> list[dict[str, dict[str, str]]]:
    rows: list[dict[str, dict[str, str]]] = json.loads(body)["results"]["bindings"]
    return rows


def _respond(body: bytes, media_type: str) -> Response:
    return Response(body, media_type=content_type(media_type), headers=READ_HEADERS)


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _resource_iri(text: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(text)
    except ValueError:
        raise ApiError(404, "no resource with this IRI: it is not a valid IRI") from None


def _neighbourhood(node: str) -> str:
    labels = ", ".join(f"<{label}>" for label in LABELS)
    return f"""
      {{ BIND ({node} AS ?s) {node} ?p ?o }}
      UNION {{ {node} ?link ?s . FILTER (isIRI(?s)) ?s ?p ?o . FILTER (?p IN ({labels})) }}
      UNION {{ {node} ?link ?s . FILTER (isBlank(?s)) ?s ?p ?o }}"""


def _describe_construct(node: str) -> str:
    return (
        "CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o WHERE {"
        + _neighbourhood(node)
        + " } }"
    )


def href(iri: str, settings: Settings, request: Request) -> str:
    """Where a link to ``iri`` points: this service for the graph's own IRIs, else the IRI."""
    own = settings.base_iri + "id/"
    if iri.startswith(own) or iri.startswith(settings.base_iri + "ontology"):
        local = iri[len(settings.base_iri) :].split("#", 1)[0]
        base = settings.public_base or "/"
        return base.rstrip("/") + "/" + local
    return iri


def render_ontology_page(rows: list[dict[str, dict[str, str]]]) -> str:
    e = html.escape
    items = "".join(
        f'<tr id="{e(row["term"]["value"].rsplit("#", 1)[-1])}">'
        f"<td><code>{e(row['term']['value'])}</code></td>"
        f"<td>{e(row['kind']['value'].rsplit('#', 1)[-1])}</td>"
        f"<td>{e(row.get('label', {}).get('value', ''))}</td>"
        f"<td>{e(row.get('definition', {}).get('value', ''))}</td></tr>"
        for row in rows
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>hrgraph ontology</title></head><body><h1>The hrgraph ontology</h1>"
        "<p><code>https://w3id.org/hrgraph/ontology</code>; also as Turtle, RDF/XML, JSON-LD "
        "and N-Triples by content negotiation.</p>"
        "<table><thead><tr><th>term</th><th>kind</th><th>label</th><th>definition</th></tr>"
        f"</thead><tbody>{items}</tbody></table></body></html>\n"
    )


__all__ = ["href", "negotiate", "render_ontology_page", "router", "run"]
