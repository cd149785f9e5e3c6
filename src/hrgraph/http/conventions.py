"""HTTP conventions every answer follows (RFC 9110, 9111), as ASGI middleware
(docs/http-api.md, "HTTP conventions"):

- :class:`HeadAsGet`: ``HEAD`` wherever ``GET`` is: the ``GET`` answer's status and headers,
  without its body;
- :class:`Compression`: gzip for text types when the client accepts it, never for answers that
  are already encoded or for answers sent in bounded pieces (:class:`~hrgraph.http.bounded.
  HeldResponse`: SPARQL and named-query results), whose memory bound compression would break;
- :class:`Revalidation`: ``ETag`` and ``Last-Modified`` from the store generation being served on
  every read of linked data, the ontology, the dataset description, named queries and SPARQL
  ``GET``; ``304 Not Modified`` when ``If-None-Match`` or ``If-Modified-Since`` shows the client
  holds the current answer. A new generation (a build or a write) changes both; so does a
  restart (the tag also names the service's settings and named queries). An answer that may
  differ each time it is computed (``NOW()``, ``RAND()``, ``SERVICE``...) gets neither.
"""

from __future__ import annotations

import functools
import hashlib
import time
import zlib
from collections.abc import Callable
from email.utils import formatdate, parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qsl

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hrgraph import __version__
from hrgraph.sparql.querycheck import volatile

KEPT_ON_304 = frozenset({"vary", "access-control-allow-origin", "content-location", "link"})
FLAGS_KEY = "hrgraph.http"
"""A scope entry shared by the middleware and the responses below them (a plain dict)."""
HELD = "held"
"""Set in the shared flags by a response sent in bounded pieces: it is not compressed."""
GENERATION = "generation"
"""Set in the shared flags by :class:`Revalidation`: the store generation it read for this
request (name, publication time), so the request reads it only once."""
VOLATILE = "volatile"
"""Set in the shared flags by a route whose answer may differ each time it is computed
(:func:`hrgraph.sparql.querycheck.volatile`): :class:`Revalidation` adds no validators to it
and never turns it into a 304."""
COMPRESSIBLE = (
    "text/", "application/json", "application/ld+json", "application/javascript",
    "application/n-triples", "application/n-quads", "application/rdf+xml", "application/trig",
    "application/sparql-results+json", "application/sparql-results+xml", "application/xml",
    "image/svg+xml",
)  # fmt: skip
MIN_COMPRESSED_BYTES = 1024
"""Smaller bodies are sent as they are (gzip's header would eat the gain)."""
CACHED_PATHS = ("/id/", "/api/queries")
CACHED_EXACT = frozenset(
    {"/ontology", "/dataset", "/.well-known/void", "/context.jsonld", "/sparql", "/dataset/dump.nq"}
)


def flags(scope: Scope) -> dict[str, Any]:
    """The flags shared with the middleware for this request (empty outside it)."""
    shared: dict[str, Any] = scope.get(FLAGS_KEY, {})
    return shared


class HeadAsGet:
    """Answers ``HEAD`` as the ``GET`` of the same URL would be answered, without the body (the
    server itself sends no body for ``HEAD``; it is dropped here so none is produced)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)


def accepts_gzip(header: str | None) -> bool:
    """Whether an ``Accept-Encoding`` header accepts gzip.

    >>> accepts_gzip("gzip, deflate, br"), accepts_gzip("br;q=1, gzip;q=0"), accepts_gzip(None)
    (True, False, False)
    >>> accepts_gzip("*"), accepts_gzip("identity")
    (True, False)
    """
    found: dict[str, float] = {}
    for item in (header or "").split(","):
        name, *params = (part.strip() for part in item.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if name:
            found[name.lower()] = q
    if "gzip" in found:
        return found["gzip"] > 0
    return found.get("*", 0) > 0


class Compression:
    """gzip for compressible answers of at least :data:`MIN_COMPRESSED_BYTES` to clients that
    accept it; ``Vary: Accept-Encoding`` on every compressible answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        shared: dict[str, Any] = {}
        scope[FLAGS_KEY] = shared
        wanted = accepts_gzip(Headers(scope=scope).get("accept-encoding"))
        start: Message | None = None
        compressor: Any = None
        passing = False

        async def compressing_send(message: Message) -> None:
            nonlocal start, compressor, passing
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or passing:
                await send(message)
                return
            if compressor is not None:
                body = compressor.compress(message.get("body", b""))
                more = message.get("more_body", False)
                if not more:
                    body += compressor.flush()
                if body or not more:
                    await send({"type": "http.response.body", "body": body, "more_body": more})
                return
            assert start is not None
            headers = MutableHeaders(raw=list(start["headers"]))
            if "x-content-type-options" not in headers:  # every answer is what it says it is
                headers["X-Content-Type-Options"] = "nosniff"
            body, more = message.get("body", b""), message.get("more_body", False)
            media_type = headers.get("content-type", "").lower()
            compressible = (
                media_type.startswith(COMPRESSIBLE)
                and "content-encoding" not in headers
                and not shared.get(HELD)
                and start["status"] not in (204, 206, 304)
            )
            if compressible:
                headers.add_vary_header("Accept-Encoding")
            if not (compressible and wanted and (more or len(body) >= MIN_COMPRESSED_BYTES)):
                passing = True
                await send({**start, "headers": headers.raw})
                await send(message)
                return
            headers["Content-Encoding"] = "gzip"
            etag = headers.get("etag")
            if etag:  # another representation: another tag
                headers["ETag"] = gzip_tag(etag)
            if not more:
                body = gzip_bytes(body)
                headers["Content-Length"] = str(len(body))
                await send({**start, "headers": headers.raw})
                await send({"type": "http.response.body", "body": body, "more_body": False})
                return
            del headers["Content-Length"]
            compressor = zlib.compressobj(6, zlib.DEFLATED, 31)
            await send({**start, "headers": headers.raw})
            body = compressor.compress(body)
            if body:
                await send({"type": "http.response.body", "body": body, "more_body": True})

        await self.app(scope, receive, compressing_send)


def gzip_tag(etag: str) -> str:
    """The entity tag of the gzip representation of the answer tagged ``etag`` (weak or not).

    >>> gzip_tag('W/"abc"'), gzip_tag('"abc"')
    ('W/"abc-gzip"', '"abc-gzip"')
    """
    return etag[:-1] + '-gzip"' if etag.endswith('"') else etag + "-gzip"


def gzip_bytes(body: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)  # 31: the gzip container
    return compressor.compress(body) + compressor.flush()


class Revalidation:
    """``ETag`` and ``Last-Modified`` on ``GET`` answers of the cached paths, from ``generation``
    (the store generation's name and publication time, or ``None`` when unknown: then nothing
    is added). The tag is weak and names the representation: the generation, the service's
    version, the path and query and the ``Accept`` and ``Accept-Language`` headers the answer
    was chosen by. A client's matching ``If-None-Match`` is answered 304 before any query runs;
    ``If-Modified-Since`` (read only without ``If-None-Match``, RFC 9110 13.1.3) turns a 200
    into a 304 once the answer is known."""

    def __init__(
        self,
        app: ASGIApp,
        generation: Callable[[], tuple[str, float] | None],
        fingerprint: str = "",
    ) -> None:
        self.app, self.generation, self.fingerprint = app, generation, fingerprint
        self.started = time.time()
        """Answers can change at a restart (new settings or named queries) with no new
        generation: ``Last-Modified`` is never earlier than the service's start."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not (path in CACHED_EXACT or path.startswith(CACHED_PATHS))
        ):
            await self.app(scope, receive, send)
            return
        request_headers = Headers(scope=scope)
        # A query whose answer may differ each time is never answered 304: a conditional request
        # for one is passed on before any validator is compared. Any other request for it gets
        # no validators either (``validating_send``: the query's handler flags it VOLATILE), so
        # the query is read here only when the request is conditional.
        if (
            path == "/sparql"
            and ("if-none-match" in request_headers or "if-modified-since" in request_headers)
            and _volatile_query(scope)
        ):
            await self.app(scope, receive, send)
            return
        current = self.generation()
        flags(scope)[GENERATION] = current
        if current is None:
            await self.app(scope, receive, send)
            return
        name, published = current
        key = "\n".join(
            [name, __version__, self.fingerprint, path,
             scope.get("query_string", b"").decode("latin-1"),
             request_headers.get("accept", ""), request_headers.get("accept-language", "")]
        )  # fmt: skip
        etag = 'W/"' + hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + '"'
        validators = [("etag", etag)]
        modified = max(published, self.started)
        # Only once the second of publication is over: a generation published later in the
        # same second would carry the same date, and a client holding the first answer would
        # be told by If-Modified-Since that it holds the second.
        dated = time.time() >= int(published) + 1
        if dated:
            validators.append(("last-modified", _http_date(int(modified))))
        if_none_match = request_headers.get("if-none-match")
        if if_none_match is not None:
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            held = {etag.removeprefix("W/")}
            if accepts_gzip(request_headers.get("accept-encoding")):
                held.add(gzip_tag(etag).removeprefix("W/"))  # the tag Compression gave
            if held & tags:
                await _not_modified(send, validators)
                return
            fresh = "*" in tags
        else:
            since = request_headers.get("if-modified-since")
            fresh = dated and _not_modified_since(since, modified)
        replaced = False

        async def validating_send(message: Message) -> None:
            nonlocal replaced
            if message["type"] == "http.response.start":
                if message["status"] != 200 or flags(scope).get(VOLATILE):
                    await send(message)
                    return
                headers = MutableHeaders(raw=list(message["headers"]))
                if fresh:
                    replaced = True
                    kept = [(k, v) for k, v in headers.items() if k in KEPT_ON_304]
                    await send(_start(304, [*kept, *validators]))
                    return
                for header, value in validators:
                    headers[header] = value
                await send({**message, "headers": headers.raw})
                return
            if replaced:
                if message["type"] == "http.response.body" and not message.get("more_body"):
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            await send(message)

        await self.app(scope, receive, validating_send)


@functools.lru_cache(maxsize=8)
def _http_date(seconds: int) -> str:
    """An HTTP date (RFC 9110, IMF-fixdate); the few a generation's answers carry are kept."""
    return formatdate(seconds, usegmt=True)


def _volatile_query(scope: Scope) -> bool:
    """Whether a SPARQL ``GET`` asks a query whose answer may differ each time it runs."""
    text = scope.get("query_string", b"").decode("latin-1")
    return any(name == "query" and volatile(value) for name, value in parse_qsl(text))


def _not_modified_since(header: str | None, published: float) -> bool:
    if not header:
        return False
    try:
        since = parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError):
        return False
    if since.tzinfo is None:
        return False
    return int(published) <= since.timestamp()


def _start(status: int, headers: list[tuple[str, str]]) -> Message:
    raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers]
    return {"type": "http.response.start", "status": status, "headers": raw}


async def _not_modified(send: Send, validators: list[tuple[str, str]]) -> None:
    headers = [
        *validators,
        ("vary", "Accept, Accept-Encoding"),
        ("access-control-allow-origin", "*"),
    ]
    await send(_start(304, headers))
    await send({"type": "http.response.body", "body": b"", "more_body": False})


__all__ = [
    "GENERATION", "Compression", "HeadAsGet", "Revalidation", "accepts_gzip", "flags",
]  # fmt: skip
