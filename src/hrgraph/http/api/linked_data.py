"""Dereferenceable IRIs (W3C "Cool URIs for the Semantic Web", Best Practices for Publishing
Linked Data): every ``https://w3id.org/hrgraph/id/...`` resource is served at ``/id/...`` and the
ontology at ``/ontology``, as Turtle, JSON-LD, N-Triples or RDF/XML for clients and as an HTML
page for browsers, chosen by ``Accept``. A resource's description is concise and bounded: its own
triples from every graph, its blank nodes' triples and the labels of what it links to."""

from __future__ import annotations

import json
from typing import Annotated, Any

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from hrgraph.http.deps import (
    DOCUMENT_TYPES,
    ExecutorDep,
    FormatParameter,
    ResourcePages,
    SettingsDep,
    alternates,
    by_format,
    get_resource_pages,
    negotiate,
    respond,
    run,
)
from hrgraph.http.documents import graph_document
from hrgraph.http.errors import ApiError
from hrgraph.http.pages import render, root
from hrgraph.rdf.vocab import ONTOLOGY_GRAPH, OWL, RDFS, SKOS
from hrgraph.settings import Settings

router = APIRouter(tags=["Linked data"])

LABELS = (RDFS + "label", SKOS + "prefLabel")
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
    executor: ExecutorDep,
    settings: SettingsDep,
    pages: Annotated[ResourcePages, Depends(get_resource_pages)],
    format: FormatParameter = None,
    lang: Annotated[str, Query(description="language of the HTML page's labels")] = "en",
) -> Response:
    media_type = by_format(format) if format else negotiate(request)
    links = alternates(settings, "id/" + path, media_type, {"lang": lang} if lang != "en" else {})
    iri = _resource_iri(settings.base_iri + "id/" + path)
    node = str(iri)
    found = await run(executor, f"ASK {{ {node} ?p ?o }}", "json", request)
    if not json.loads(found).get("boolean"):
        raise ApiError(404, f"no resource <{iri.value}> in this graph")
    if media_type == "text/html":  # the page, written by the pages the app wired in
        page = await pages(request, executor, iri.value, lang, root(settings) + "id/" + path)
        return respond(page.encode("utf-8"), media_type, links)
    body = await graph_document(executor, _describe_construct(node), media_type, request)
    return respond(body, media_type, links)


@router.get(
    "/ontology",
    summary="The hrgraph ontology (https://w3id.org/hrgraph/ontology)",
    response_class=Response,
    responses=RDF_RESPONSES,
)
async def ontology(
    request: Request,
    executor: ExecutorDep,
    settings: SettingsDep,
    format: FormatParameter = None,
) -> Response:
    media_type = by_format(format) if format else negotiate(request)
    links = alternates(settings, "ontology", media_type)
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
        page = render_ontology_page(_bindings(rows), settings)
        return respond(page.encode("utf-8"), media_type, links)
    body = await graph_document(
        executor,
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}",
        media_type,
        request,
    )
    return respond(body, media_type, links)


@router.get(
    "/ontology/{version}",
    summary="A version of the ontology by its owl:versionIRI (https://w3id.org/hrgraph/ontology/"
    "VERSION); this service serves its own version",
    response_class=Response,
    responses=RDF_RESPONSES,
)
async def ontology_version(
    version: str,
    request: Request,
    executor: ExecutorDep,
    settings: SettingsDep,
    format: FormatParameter = None,
) -> Response:
    from hrgraph import __version__

    if version != __version__:
        raise ApiError(
            404,
            f"this service serves version {__version__} of the ontology "
            f"(<{settings.base_iri}ontology/{__version__}>), not {version!r}; "
            "earlier versions are in the project's releases",
        )
    return await ontology(request, executor, settings, format)


def _bindings(body: bytes) -> list[dict[str, dict[str, str]]]:
    rows: list[dict[str, dict[str, str]]] = json.loads(body)["results"]["bindings"]
    return rows


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


def render_ontology_page(rows: list[dict[str, dict[str, str]]], settings: Settings) -> str:
    """The ontology's terms as a page of the site (kind, label, definition; one anchor each)."""
    terms = [
        {
            "anchor": row["term"]["value"].rsplit("#", 1)[-1],
            "iri": row["term"]["value"],
            "kind": row["kind"]["value"].rsplit("#", 1)[-1],
            "label": row.get("label", {}).get("value", ""),
            "definition": row.get("definition", {}).get("value", ""),
        }
        for row in rows
    ]
    return render("ontology.html", settings, title="The hrgraph ontology", terms=terms)


__all__ = ["render_ontology_page", "router"]
