"""SHACL validation over HTTP: ``GET /api/validate`` checks the bundled data (as of a date,
against some or all of the ``shapes/*.ttl`` files); ``POST /api/validate`` checks an uploaded
Turtle, N-Triples or JSON-LD document built with the ontology. The report is JSON (default),
Turtle (a standard ``sh:ValidationReport``) or HTML by ``Accept`` (``reportformat.render``).

Both run in a process of their own with a deadline, a memory limit and an admission limit
(``hrgraph.validation.worker``); the upload is parsed there too."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from hrgraph.http.bounded import HeldResponse
from hrgraph.http.deps import (
    READ_HEADERS,
    admit,
    as_of_day,
    get_settings,
    negotiate,
    read_body,
    run_validation,
)
from hrgraph.http.errors import ApiError
from hrgraph.rdf.uploads import ACCEPTED_TYPES
from hrgraph.settings import Settings
from hrgraph.validation.shapes import default_shape_files
from hrgraph.validation.worker import ValidationJob

router = APIRouter(prefix="/api", tags=["Validation"])

REPORT_TYPES = {
    "application/json": "json",
    "text/turtle": "turtle",
    "text/html": "html",
}
"""Media types of the report, in the server's order of preference."""
UPLOAD_TYPES = ACCEPTED_TYPES
"""Upload formats (``hrgraph.rdf.uploads``): none with a DTD; JSON-LD only with inline contexts."""

REPORT_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "description": "the validation report (conforming or not)",
        "content": {media: {} for media in REPORT_TYPES},
    },
    400: {"description": "an unknown shapes name, a bad date or upload, named in the message"},
    503: {"description": "every validation place is taken, or the validation ran too long"},
}


@router.get(
    "/validate",
    summary="Validate the bundled data against the SHACL shapes as of a date",
    response_class=Response,
    responses=REPORT_RESPONSES,
)
async def validate_bundled(
    request: Request,
    shapes: Annotated[
        list[str] | None,
        Query(description="names of shapes/*.ttl files without .ttl; default: all"),
    ] = None,
    as_of: Annotated[
        str | None, Query(description="the day to validate as of, YYYY-MM-DD (default: today)")
    ] = None,
) -> Response:
    settings = get_settings(request)
    media_type = negotiate(request, REPORT_TYPES)
    day = as_of_day(as_of)
    shape_files = _shape_files(settings, shapes)
    job = ValidationJob(settings, day, tuple(shape_files), render=REPORT_TYPES[media_type])
    release = admit(request)
    return await _respond(request, job, media_type, release)


@router.post(
    "/validate",
    summary="Validate an uploaded Turtle, N-Triples or JSON-LD document against the shapes",
    response_class=Response,
    responses={
        **REPORT_RESPONSES,
        413: {"description": "the upload is over the size limit"},
        415: {"description": "an upload format other than Turtle, N-Triples or JSON-LD"},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {media: {"schema": {"type": "string"}} for media in UPLOAD_TYPES},
        }
    },
)
async def validate_upload(
    request: Request,
    shapes: Annotated[list[str] | None, Query(description="as for GET")] = None,
    as_of: Annotated[str | None, Query(description="as for GET")] = None,
) -> Response:
    settings = get_settings(request)
    media_type = negotiate(request, REPORT_TYPES)
    day = as_of_day(as_of)
    shape_files = _shape_files(settings, shapes)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    limit = settings.limits.max_upload_bytes
    release = admit(request)  # before the body is read: bounds the uploads held at once
    try:
        body = await read_body(request, limit, f"the upload is over {limit} bytes")
    except BaseException:
        release()
        raise
    job = ValidationJob(
        settings, day, tuple(shape_files), body, content_type, render=REPORT_TYPES[media_type]
    )
    return await _respond(request, job, media_type, release)


def shape_names(settings: Settings) -> list[str]:
    return [path.stem for path in default_shape_files(settings)]


def _shape_files(settings: Settings, names: list[str] | None) -> list[Path]:
    available = {path.stem: path for path in default_shape_files(settings)}
    if not available:
        raise ApiError(404, "no shapes are installed on this service (shapes/*.ttl)")
    wanted = [n.strip() for item in names or [] for n in item.split(",") if n.strip()]
    if not wanted:
        return list(available.values())
    unknown = [name for name in wanted if name not in available]
    if unknown:
        raise ApiError(
            400,
            f"no shapes named {unknown[0]!r}; available: {', '.join(sorted(available))}",
        )
    return [available[name] for name in dict.fromkeys(wanted)]


async def _respond(
    request: Request, job: ValidationJob, media_type: str, release: Callable[[], None]
) -> Response:
    """The report rendered in the validation process; the place is held until it is sent."""
    body = await run_validation(request, job, release)
    assert isinstance(body, bytes)
    charset = "" if media_type == "application/json" else "; charset=utf-8"
    return HeldResponse(body, release, media_type=media_type + charset, headers=READ_HEADERS)
