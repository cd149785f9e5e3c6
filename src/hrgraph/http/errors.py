"""One error shape for the whole service: JSON ``{"status": ..., "error": ..., "message": ...}``,
with a message written for the user — never a stack trace or a local path. SPARQL clients that
prefer ``text/plain``, or accept only SPARQL result and RDF media types, get the same message as
plain text with the same status."""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from hrgraph.errors import HrgraphError
from hrgraph.http.pages import HTML_HEADERS, render
from hrgraph.rdf.negotiation import choose, parse_accept
from hrgraph.rdf.results import GRAPH_MEDIA_TYPES, SOLUTION_MEDIA_TYPES

log = logging.getLogger("hrgraph.http.api")


class ApiError(HrgraphError):
    """A request the service answers with an error status and a message for the user (an HTTP
    matter: a parameter, a media type, a route; domain errors reach the handler as themselves)."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message, status=status, headers=headers)
        self.message = message


def error_response(
    status: int, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        {"status": status, "error": HTTPStatus(status).phrase, "message": message},
        status_code=status,
        headers=headers,
    )


_RESULT_MEDIA_TYPES = {*SOLUTION_MEDIA_TYPES, *GRAPH_MEDIA_TYPES} - {"application/json"}


def wants_plain_text(accept: str | None) -> bool:
    """Whether an error should be written as plain text: the client prefers ``text/plain`` to
    ``application/json``, or names only SPARQL result and RDF media types (as SPARQLWrapper does
    for XML, CSV or Turtle), which a JSON body would not fit either.

    >>> wants_plain_text("text/plain"), wants_plain_text("application/sparql-results+xml")
    (True, True)
    >>> wants_plain_text(None), wants_plain_text("*/*"), wants_plain_text("image/png")
    (False, False, False)
    """
    if not accept or not accept.strip():
        return False
    preferred = choose(accept, ["application/json", "text/plain"])
    if preferred is not None:
        return preferred == "text/plain"
    named = {f"{r.kind}/{r.subtype}" for r in parse_accept(accept) if r.q > 0}
    return bool(named) and named <= _RESULT_MEDIA_TYPES


def error_response_for(
    request: Request, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    """The error as JSON (:func:`error_response`) or, for a client that wants it, plain text;
    readable by browser clients on other origins (CORS), as the results are."""
    headers = {"Access-Control-Allow-Origin": "*", **(headers or {})}
    accept = request.headers.get("accept")
    if wants_plain_text(accept):
        return PlainTextResponse(message + "\n", status_code=status, headers=headers)
    if wants_html(accept):
        page = _error_page(request, status, message, headers)
        if page is not None:
            return page
    return error_response(status, message, headers)


def wants_html(accept: str | None) -> bool:
    """Whether an error should be a page: the client prefers ``text/html`` to JSON, as browsers
    do (they name it; API clients that say ``*/*`` or nothing get JSON).

    >>> wants_html("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
    True
    >>> wants_html("*/*"), wants_html(None), wants_html("application/json, text/html;q=0.5")
    (False, False, False)
    """
    return choose(accept, ["application/json", "text/html"]) == "text/html"


def _error_page(
    request: Request, status: int, message: str, headers: dict[str, str]
) -> Response | None:
    """The error as a page of the site (the message escaped), or ``None`` if the app's settings
    cannot be read here."""
    settings = getattr(getattr(request.scope.get("app"), "state", None), "settings", None)
    if settings is None:
        return None
    reason = HTTPStatus(status).phrase
    body = render(
        "error.html", settings, title=f"{status} {reason}", status=status, reason=reason,
        message=message,
    )  # fmt: skip
    return HTMLResponse(body, status_code=status, headers={**headers, **HTML_HEADERS})


def install_error_handlers(app: FastAPI) -> None:
    """The service's one translation of errors to answers: every :class:`HrgraphError` (a
    refused query, a busy store, a bad upload, an :class:`ApiError`) answers its own status and
    headers with its message; FastAPI's own errors likewise; anything else is logged, 500."""

    @app.exception_handler(HrgraphError)
    async def _hrgraph_error(request: Request, error: HrgraphError) -> Response:
        if not error.public:
            return await _unexpected(request, error)
        return error_response_for(request, error.status, str(error), error.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, error: StarletteHTTPException) -> Response:
        message = (
            error.detail if isinstance(error.detail, str) else HTTPStatus(error.status_code).phrase
        )
        return error_response_for(request, error.status_code, message, dict(error.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, error: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in item.get('loc', ()))}: {item.get('msg', '')}"
            for item in error.errors()
        )
        return error_response_for(request, 400, f"invalid request: {problems}")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> Response:
        log.exception("unexpected error", exc_info=error)
        return error_response_for(
            request, 500, "the service failed to answer this request; it has been logged"
        )
