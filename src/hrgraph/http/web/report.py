"""The validation report as a page: ``validate.validate`` as of a chosen day, grouped by
institution, act and treaty article, and downloadable in the report's own formats. The report is
made in a validation process (``http.deps.run_validation``: deadline, memory limit,
admission limit) and the last few are cached."""

from __future__ import annotations

import threading
from collections import OrderedDict
from contextvars import ContextVar
from datetime import date
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from hrgraph.http.deps import as_of_day, run_validation
from hrgraph.http.errors import ApiError
from hrgraph.settings import Settings
from hrgraph.store.generations import StoreLocation
from hrgraph.validation.findings import ValidationReport
from hrgraph.validation.reportformat import GROUP_TITLES, OUTCOME_TITLES, evidence, groups, render
from hrgraph.validation.shapes import default_shape_files
from hrgraph.validation.worker import ValidationJob

DOWNLOADS = {
    "markdown": ("text/markdown; charset=utf-8", "md"),
    "json": ("application/json", "json"),
    "turtle": ("text/turtle; charset=utf-8", "ttl"),
}
_CACHE: OrderedDict[tuple[str, date, tuple[float, str]], ValidationReport] = OrderedDict()
_LOCK = threading.Lock()
CACHED_REPORTS = 8
REQUEST: ContextVar[Request | None] = ContextVar("hrgraph_report_request", default=None)
"""The request a page is answering, for callers of :func:`report_for` that do not pass it
(``web.browse``): the validation needs the app's runner and the client's connection."""


def _sources_stamp(settings: Settings) -> tuple[float, str]:
    """Changes when a data or shapes file changes, or the store publishes a generation (a
    write, an import, a build), so a cached report is never stale."""
    files = [*settings.data_dir.glob("*.ttl"), *settings.shapes_dir.glob("*.ttl")]
    generation = None
    if settings.store_path is not None and settings.remote_store is None:
        generation = StoreLocation(settings.store_path).current()
    newest = max((path.stat().st_mtime for path in files), default=0.0)
    return newest, generation.name if generation is not None else ""


async def report_for(
    settings: Settings, as_of: str | None, request: Request | None = None
) -> ValidationReport:
    day = as_of_day(as_of) or date.today()
    key = (str(settings.root), day, _sources_stamp(settings))
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    request = request or REQUEST.get()
    if request is None:
        raise ApiError(500, "the validation report cannot be made here (no request)")
    job = ValidationJob(settings, day, tuple(default_shape_files(settings)))
    found = await run_validation(request, job)
    assert isinstance(found, ValidationReport)
    with _LOCK:
        _CACHE[key] = found
        while len(_CACHE) > CACHED_REPORTS:
            _CACHE.popitem(last=False)
    return found


def context(found: ValidationReport) -> dict[str, Any]:
    return {
        "title": f"Validation report as of {found.as_of.isoformat()}",
        "report": found,
        "as_of": found.as_of.isoformat(),
        "counts": found.counts(),
        "outcomes": found.outcomes(),
        "groups": groups(found),
        "titles": GROUP_TITLES,
        "outcome_titles": OUTCOME_TITLES,
        "evidence": evidence,
        "downloads": list(DOWNLOADS),
    }


def download(found: ValidationReport, fmt: str) -> Response:
    media_type, extension = DOWNLOADS[fmt]
    name = f"hrgraph-validation-{found.as_of.isoformat()}.{extension}"
    return Response(
        render(found, fmt).encode("utf-8"),
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
