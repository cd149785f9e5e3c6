"""What the service's routes and pages share (docs/architecture.md, "HTTP"): the store the
service answers from (reopened when ``hrgraph build`` publishes a new one) and the executor its
queries run on, the settings, :func:`run` for the queries the service writes itself, negotiation
(``Accept`` and ``format=``), the writer of resource pages the app wires in, the bounds on request
bodies, and the validation runner. Routers and pages import these from here, never from each
other."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import date
from typing import Annotated, Protocol
from urllib.parse import quote

import anyio
from fastapi import Depends, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hrgraph.http.bounded import client_gone
from hrgraph.http.conventions import VOLATILE, flags
from hrgraph.http.errors import ApiError, error_response_for
from hrgraph.http.pages import HTML_HEADERS
from hrgraph.http.provider import StoreProvider
from hrgraph.query.asyncpool import Cancel, run_held
from hrgraph.query.cache import AnswerCache, AnswerKey
from hrgraph.query.execution import Executor, InProcessExecutor, QueryRequest
from hrgraph.query.workers import WorkerPool
from hrgraph.rdf.negotiation import choose
from hrgraph.rdf.results import GRAPH_MEDIA_TYPES, content_type
from hrgraph.settings import Settings
from hrgraph.sparql.querycheck import volatile
from hrgraph.validation.worker import ValidationJob, ValidationRunner


async def get_executor(request: Request) -> Executor:
    """The executor queries run on: ``app.state.executor_factory()`` where the app has one (the
    worker pool), else an in-process executor over the provider's current store. A coroutine,
    so that FastAPI calls it on the event loop (a plain function it would call in a thread, a
    hop per request)."""
    factory = getattr(request.app.state, "executor_factory", None)
    if factory is not None:
        executor: Executor = factory()
        return executor
    provider: StoreProvider = request.app.state.store_provider
    settings: Settings = request.app.state.settings
    return InProcessExecutor(provider.get(), settings.limits)


def get_settings(request: Request) -> Settings:
    """The service's settings: the one way a route or a page reaches them."""
    settings: Settings = request.app.state.settings
    return settings


async def _settings(request: Request) -> Settings:
    return get_settings(request)


SettingsDep = Annotated[Settings, Depends(_settings)]
ExecutorDep = Annotated[Executor, Depends(get_executor)]


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def as_of_day(as_of: str | None) -> date | None:
    """The ``as_of`` parameter of the validation API and the report page as a date (``None``
    when not given); 400 naming the parameter otherwise.

    >>> as_of_day("2015-01-01"), as_of_day(""), as_of_day(None)
    (datetime.date(2015, 1, 1), None, None)
    """
    if not as_of:
        return None
    try:
        if not _ISO_DATE.match(as_of):
            raise ValueError
        return date.fromisoformat(as_of)
    except ValueError:
        raise ApiError(400, f"as_of must be a date YYYY-MM-DD, got {as_of!r}") from None


def get_answer_cache(request: Request) -> AnswerCache | None:
    """The service's cache of serialised answers (``None`` when ``--answer-cache-mb 0``)."""
    cache: AnswerCache | None = getattr(request.app.state, "answer_cache", None)
    return cache


async def answer(
    request: Request, executor: Executor, query: QueryRequest, media_type: str
) -> tuple[bytes, Callable[[], None]]:
    """The answer to a checked query and what to call once it has been sent (the query keeps
    its worker's place in the queue until then; nothing for a cached answer).

    An answer of a published, immutable store generation is kept in the answer cache under
    (generation, query, dataset, media type) and given again without running the query. The
    generation is read before the query runs and again after it: an answer is kept only if no
    generation was published meanwhile (the worker may have answered from the new one). An
    answer that may differ each time it is computed (``NOW()``, ``RAND()``, ``SERVICE``...:
    :func:`~hrgraph.sparql.querycheck.volatile`) is never kept, nor given validators. Queries
    are cancelled if the client goes."""
    cache = get_answer_cache(request)
    if volatile(query.query):
        flags(request.scope)[VOLATILE] = True
        cache = None
    key: AnswerKey | None = None
    provider: StoreProvider = request.app.state.store_provider
    if cache is not None:
        generation = provider.immutable_generation(request.scope)
        if generation is not None:
            key = AnswerKey(
                generation, query.query, query.default_graphs, query.named_graphs, media_type
            )
            cached = cache.get(key)
            if cached is not None:
                return cached, _nothing

    async with client_gone(request) as gone:
        body, release = await _execute(executor, query, gone)
    # the generation read again (not the request's): still the one the key names?
    if cache is not None and key is not None and provider.immutable_generation() == key.generation:
        cache.put(key, body)
    return body, release


async def _execute(
    executor: Executor, query: QueryRequest, gone: Cancel | None
) -> tuple[bytes, Callable[[], None]]:
    """Run ``query``: in a worker of the pool, awaited on the event loop (cancelled once
    ``gone`` is set, holding its place until the release returned is called), or by another
    executor in a thread."""
    if isinstance(executor, WorkerPool):
        held, release = await run_held(executor, query, gone)
        return held.body, release
    response = await run_in_threadpool(executor.run, query)
    return response.body, _nothing


def _nothing() -> None:
    pass


async def run(
    executor: Executor, query: str, result_format: str, request: Request | None = None
) -> bytes:
    """Run a query the service wrote itself through the executor (same limits as any query);
    with the ``request`` it answers, the query is cancelled if its client disconnects and its
    answer is kept in the answer cache (:func:`answer`)."""
    if request is None:
        body, release = await _execute(executor, QueryRequest(query, result_format), None)
    else:  # kept in the answer cache as any query of an immutable generation is
        body, release = await answer(
            request, executor, QueryRequest(query, result_format), result_format
        )
    release()
    return body


# Negotiation: the representations of a resource, chosen by Accept or by a ``format=`` link.

DOCUMENT_TYPES = {**GRAPH_MEDIA_TYPES, "text/html": "html", "application/json": "jsonld"}
"""Turtle first (the default for clients that say nothing), then the other RDF syntaxes, then HTML
(which browsers ask for by name); ``application/json`` gets the JSON-LD document (compacted, its
context inline), as plain JSON."""
FORMATS = {**{fmt: media for media, fmt in GRAPH_MEDIA_TYPES.items()}, "html": "text/html"}
"""``format=`` names and their media types, for links that cannot set ``Accept``."""
READ_HEADERS = {"Vary": "Accept", "Access-Control-Allow-Origin": "*"}
"""Answers depend on Accept; browser clients on any origin may read them (CORS), as /sparql's."""

FormatParameter = Annotated[
    str | None,
    Query(description="turtle, jsonld, ntriples, rdfxml or html: a link that needs no Accept"),
]
"""The ``format=`` parameter of every negotiated resource (links cannot set ``Accept``)."""


def negotiate(request: Request, offers: dict[str, str] = DOCUMENT_TYPES) -> str:
    """The media type of ``offers`` the request's ``Accept`` prefers; 406 if none fits."""
    accept = request.headers.get("accept")
    media_type = choose(accept, list(offers))
    if media_type is None:
        raise ApiError(406, f"cannot answer in {accept!r}; available: {', '.join(offers)}")
    return media_type


def by_format(name: str) -> str:
    """The media type of a ``format=`` name (for links, which cannot set ``Accept``)."""
    if name in FORMATS:
        return FORMATS[name]
    raise ApiError(400, f"unknown format {name!r}; available: {', '.join(FORMATS)}")


def respond(body: bytes, media_type: str, headers: dict[str, str] | None = None) -> Response:
    """A negotiated answer: ``body`` as ``media_type``, with :data:`READ_HEADERS` (and a
    page's security headers for HTML)."""
    page = HTML_HEADERS if media_type == "text/html" else {}
    return Response(
        body,
        media_type=content_type(media_type),
        headers={**READ_HEADERS, **page, **(headers or {})},
    )


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


class ResourcePages(Protocol):
    """Writes the HTML page of a resource under ``/id/`` (``http.web.resource``), for the
    linked-data route to answer browsers with; the app wires it in (``app.state``)."""

    async def __call__(
        self, request: Request, executor: Executor, node: str, lang: str, path: str
    ) -> str: ...


def get_resource_pages(request: Request) -> ResourcePages:
    """The writer of resource pages the app was given."""
    pages: ResourcePages = request.app.state.resource_pages
    return pages


# Request bodies: the service's bound on every body, and the smaller bounds of some routes.

MAX_PROTOCOL_BODY_BYTES = 1_000_000
"""Largest body ``POST /sparql`` reads (a form or a query)."""
DRAIN_MAX_BYTES = 64_000_000
"""Most of an unread request body read and discarded before an error answer, so that clients
that send the whole body before reading (Python's urllib) get the answer, not a reset."""
DRAIN_MAX_S = 10.0


async def read_body(request: Request, limit: int, too_large: str) -> bytes:
    """The body, refused with 413 and the message ``too_large`` as soon as it is known to be
    over ``limit`` bytes: by its declared ``Content-Length`` before reading anything, or while
    it streams in."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ApiError(413, too_large)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, too_large)
        chunks.append(chunk)
    return b"".join(chunks)


class RequestSizeLimit:
    """Refuses request bodies over ``max_bytes`` with 413, by ``Content-Length`` before reading
    and by counting for chunked bodies, so no handler ever holds a larger body in memory.

    Before any answer to a request whose body has not been read to its end, the rest of the
    body is read and discarded (at most :data:`DRAIN_MAX_BYTES`, for at most
    :data:`DRAIN_MAX_S`): a client that sends its whole body before reading the answer then
    reads it (a connection closed with unread data is reset, and the answer lost). A body past
    that bound, or a client waiting for ``100 Continue``, gets the answer and
    ``Connection: close`` without being read."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Request(scope).headers
        declared = headers.get("content-length")
        chunked = "chunked" in headers.get("transfer-encoding", "").lower()
        waits_for_continue = headers.get("expect", "").lower() == "100-continue"
        body = {"complete": not chunked and (declared is None or declared.strip() == "0")}
        received = 0

        async def tracked_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if not message.get("more_body", False):
                    body["complete"] = True
            else:
                body["complete"] = True
            return message

        async def drain() -> None:
            if body["complete"] or (waits_for_continue and received == 0):
                return
            if declared is not None and (
                not declared.strip().isdigit() or int(declared) > DRAIN_MAX_BYTES
            ):
                return
            with anyio.move_on_after(DRAIN_MAX_S):
                while not body["complete"] and received <= DRAIN_MAX_BYTES:
                    await tracked_receive()

        async def draining_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                await drain()
                if not body["complete"]:
                    message = dict(message)
                    message["headers"] = [*message.get("headers", []), (b"connection", b"close")]
            await send(message)

        refusal: tuple[int, str] | None = None
        if declared is not None and not declared.strip().isdigit():
            refusal = (400, "the Content-Length header is not a number")
        elif declared is not None and int(declared) > self.max_bytes:
            refusal = (413, self._too_large())
        if refusal is not None:
            response = error_response_for(Request(scope), *refusal)
            await response(scope, tracked_receive, draining_send)
            return

        async def limited_receive() -> Message:
            message = await tracked_receive()
            if message["type"] == "http.request" and received > self.max_bytes:
                raise ApiError(413, self._too_large())
            return message

        await self.app(scope, limited_receive, draining_send)

    def _too_large(self) -> str:
        return f"the request body is over {self.max_bytes} bytes, the most this service reads"


# Validations: each in a process of its own (``hrgraph.validation.worker``), admitted or 503.


def validator(request: Request) -> ValidationRunner:
    """The app's runner of validation processes."""
    runner: ValidationRunner = request.app.state.validator
    return runner


def admit(request: Request) -> Callable[[], None]:
    """A validation place, or 503 with ``Retry-After`` when every place is taken."""
    return validator(request).admit()


async def run_validation(
    request: Request, job: ValidationJob, release: Callable[[], None] | None = None
) -> object:
    """Run ``job`` in a validation process, killed if the client disconnects; ``release`` is
    called if it fails (else by the caller, once the answer is sent). Without ``release`` a
    place is taken and given back here."""
    own = release is None
    held = admit(request) if release is None else release
    runner = validator(request)

    def execute(gone: threading.Event) -> object:
        return runner.run(job, gone)

    try:
        async with client_gone(request) as gone:
            result = await run_in_threadpool(execute, gone)
    except BaseException:
        held()
        raise
    if own:
        held()
    return result
