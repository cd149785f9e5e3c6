"""Writing to the store over HTTP, for the routes that write (``http.api.writes``: SPARQL Update,
the Graph Store Protocol; ``http.api.sparql``: an update sent to ``/sparql``): who may write (the
service's bearer token; writes off without one), and one write run in its own process
(``hrgraph.build.update_worker``), one at a time per store (docs/architecture.md, "HTTP")."""

from __future__ import annotations

import threading
from pathlib import Path

from fastapi import Request
from fastapi.responses import Response

from hrgraph.build.update_worker import Operation, Outcome, UpdateRunner, WriteFailed
from hrgraph.build.writes import tokens_match
from hrgraph.http.deps import get_settings
from hrgraph.http.errors import ApiError
from hrgraph.settings import Settings

_RUNNERS: dict[Path, UpdateRunner] = {}
_RUNNERS_LOCK = threading.Lock()


def check_write_access(request: Request) -> Settings:
    """The settings, if the request may write; else :class:`ApiError` 403 (writes off) or 401."""
    settings = get_settings(request)
    expected = settings.write_token
    if not expected or settings.store_path is None:
        raise ApiError(403, "writes are disabled on this service")
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not tokens_match(token.strip(), expected):
        raise ApiError(
            401,
            "writing needs the service's bearer token (Authorization: Bearer ...)",
            {"WWW-Authenticate": 'Bearer realm="hrgraph"'},
        )
    return settings


def runner_for(settings: Settings) -> UpdateRunner:
    """One runner per store folder: a server's writes run one at a time (and, through the store
    lock, one at a time with every other process's)."""
    assert settings.store_path is not None
    key = settings.store_path.resolve()
    with _RUNNERS_LOCK:
        if key not in _RUNNERS:
            _RUNNERS[key] = UpdateRunner(settings.store_path, settings.limits)
        return _RUNNERS[key]


async def run_update(request: Request, updates: list[str]) -> Response:
    """Apply a SPARQL Update given as the protocol's ``update`` parameter(s): 204 on success.

    For ``POST /sparql`` (api/sparql.py): pass the ``update`` values read from the form or an
    ``application/sparql-update`` body."""
    settings = check_write_access(request)
    if len(updates) != 1:
        raise ApiError(400, "send exactly one 'update'")
    await apply(request, settings, Operation("update", updates[0]))
    return Response(status_code=204)


async def apply(request: Request, settings: Settings, operation: Operation) -> Outcome:
    """Run the write in its own process (``hrgraph.build.update_worker``) and map a failure to the
    error answer; a write whose client has gone away is cancelled, not applied."""
    try:
        return await runner_for(settings).run(operation, request.is_disconnected)
    except WriteFailed as error:
        headers = {"Retry-After": str(error.retry_after)} if error.retry_after else None
        # 499: the client is gone and reads no answer; anything valid will do.
        raise ApiError(503 if error.status == 499 else error.status, str(error), headers) from None
