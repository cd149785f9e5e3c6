"""Dereferenceable IRIs (W3C "Cool URIs for the Semantic Web", Best Practices for Publishing
Linked Data): every ``https://w3id.org/hrgraph/id/...`` resource is served at ``/id/...`` and the
ontology at ``/ontology``, as Turtle, JSON-LD, N-Triples or RDF/XML for clients and as an HTML
page for browsers, chosen by ``Accept``. A resource's description is concise and bounded: its own
triples from every graph, its blank nodes' triples and the labels of what it links to."""

from __future__ import annotations

import json
import threading
from typing import Annotated, Any
from urllib.parse import quote

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from hrgraph.http.deps import get_executor
from hrgraph.http.errors import ApiError
from hrgraph.query.execution import Executor, QueryRequest
from hrgraph.query.workers import WorkerPool
from hrgraph.rdf.negotiation import choose
from hrgraph.rdf.results import GRAPH_FORMATS, GRAPH_MEDIA_TYPES, content_type
from hrgraph.rdf.vocab import ONTOLOGY_GRAPH, OWL, RDFS, SKOS
from hrgraph.settings import Settings

router = APIRouter(tags=["Linked data"])

DOCUMENT_TYPES = {**GRAPH_MEDIA_TYPES, "text/html": "html", "application/json": "jsonld"}
"""Turtle first (the default for clients that say nothing), then the other RDF syntaxes, then HTML
(which browsers ask for by name); ``application/json`` gets the JSON-LD document (compacted, its
context inline), as plain JSON."""
FORMATS = {**{fmt: media for media, fmt in GRAPH_MEDIA_TYPES.items()}, "html": "text/html"}
"""``format=`` names and their media types, for links that cannot set ``Accept``."""
RDF_TYPE_IRI = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
LABELS = (RDFS + "label", SKOS + "prefLabel")
READ_HEADERS = {"Vary": "Accept", "Access-Control-Allow-Origin": "*"}
"""Answers depend on Accept; browser clients on any origin may read them (CORS), as /sparql's."""
RDF_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "an RDF description or an HTML page, by Accept",
          "content": {media: {} for media in DOCUMENT_TYPES}},
}  # fmt: skip


FormatParameter = Annotated[
    str | None,
    Query(description="turtle, jsonld, ntriples, rdfxml or html: a link that needs no Accept"),
]
"""The ``format=`` parameter of every negotiated resource (links cannot set ``Accept``)."""


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
    format: FormatParameter = None,
    lang: Annotated[str, Query(description="language of the HTML page's labels")] = "en",
) -> Response:
    settings = _settings(request)
    media_type = by_format(format) if format else negotiate(request)
    links = alternates(settings, "id/" + path, media_type, {"lang": lang} if lang != "en" else {})
    iri = _resource_iri(settings.base_iri + "id/" + path)
    node = str(iri)
    found = await run(executor, f"ASK {{ {node} ?p ?o }}", "json", request)
    if not json.loads(found).get("boolean"):
        raise ApiError(404, f"no resource <{iri.value}> in this graph")
    if media_type == "text/html":
        # The web package imports the API's errors: imported here, not at the top, to keep
        # ``hrgraph.http.api`` importable on its own.
        from hrgraph.http.web.data import PAGE_REQUEST
        from hrgraph.http.web.resource import resource_page

        PAGE_REQUEST.set(request)  # the page's queries are cancelled with its client
        page = await resource_page(executor, iri.value, settings, lang, "/id/" + path)
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
    executor: Annotated[Executor, Depends(get_executor)],
    format: FormatParameter = None,
) -> Response:
    settings = _settings(request)
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
    executor: Annotated[Executor, Depends(get_executor)],
    format: FormatParameter = None,
) -> Response:
    from hrgraph import __version__

    if version != __version__:
        raise ApiError(
            404,
            f"this service serves version {__version__} of the ontology "
            f"(<{_settings(request).base_iri}ontology/{__version__}>), not {version!r}; "
            "earlier versions are in the project's releases",
        )
    return await ontology(request, executor, format)


def by_format(name: str) -> str:
    """The media type of a ``format=`` name (for links, which cannot set ``Accept``)."""
    if name in FORMATS:
        return FORMATS[name]
    raise ApiError(400, f"unknown format {name!r}; available: {', '.join(FORMATS)}")


def local_url(settings: Settings, local: str) -> str:
    """The address of ``local`` (``id/...``) on this service: under the public base from the
    settings when one is set, else a path (never built from the request's Host header)."""
    base = (settings.public_base or "").rstrip("/")
    return f"{base}/{local}"


def alternates(
    settings: Settings, local: str, media_type: str, extra: dict[str, str] | None = None
) -> dict[str, str]:
    """``Content-Location`` (the representation chosen, by its ``format=`` address) and ``Link``
    (every other representation, ``rel="alternate"``) for a negotiated resource."""
    # Percent-encoded: a header holds ASCII only, and no byte of the path can end the link.
    base = local_url(settings, quote(local, safe="/:@!$'()*+;=-._~"))
    suffix = "".join(f"&{k}={quote(v, safe='')}" for k, v in (extra or {}).items())
    chosen = DOCUMENT_TYPES[media_type]
    alternates = ", ".join(
        f'<{base}?format={fmt}{suffix if fmt == "html" else ""}>; rel="alternate"; type="{media}"'
        for fmt, media in FORMATS.items()
        if fmt != chosen
    )
    location = f"{base}?format={chosen}{suffix if chosen == 'html' else ''}"
    return {"Content-Location": location, "Link": alternates}


def prefixes() -> dict[str, str]:
    """The prefixes of the published JSON-LD context (``src/hrgraph/context.jsonld``)."""
    from hrgraph.publish.export import published_context

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
    known = sorted(prefixes().items(), key=lambda item: -len(item[1]))

    def compact(iri: str) -> str:
        for prefix, namespace in known:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace) :]}"
        return iri

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
        if gone is not None and isinstance(executor, WorkerPool):
            return executor.run(QueryRequest(query, result_format), gone).body
        return executor.run(QueryRequest(query, result_format)).body

    if request is None:
        return await run_in_threadpool(execute, None)
    from hrgraph.http.bounded import client_gone

    async with client_gone(request) as gone:
        return await run_in_threadpool(execute, gone)


def _bindings(body: bytes) -> list[dict[str, dict[str, str]]]:
    rows: list[dict[str, dict[str, str]]] = json.loads(body)["results"]["bindings"]
    return rows


def respond(body: bytes, media_type: str, headers: dict[str, str] | None = None) -> Response:
    return Response(
        body, media_type=content_type(media_type), headers={**READ_HEADERS, **(headers or {})}
    )


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


def render_ontology_page(rows: list[dict[str, dict[str, str]]], settings: Settings) -> str:
    """The ontology's terms as a page of the site (kind, label, definition; one anchor each)."""
    from hrgraph.http.web.data import render

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


__all__ = [
    "alternates",
    "by_format",
    "compact_jsonld",
    "graph_document",
    "href",
    "negotiate",
    "render_ontology_page",
    "respond",
    "router",
    "run",
    "serialize_graph",
]
