"""The interactive API reference at ``/docs``: Swagger UI served from this service's own static
files (``make assets`` installs ``swagger-ui-dist`` from npm, as it does YASGUI), never from a CDN,
with no font, favicon or validator fetched from elsewhere. ``/redoc`` points to it. Links start
with the public base's path (``--public-base``) when one is set."""

from __future__ import annotations

from html import escape

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hrgraph.http.deps import SettingsDep
from hrgraph.http.pages import VENDOR_DIR, root

SWAGGER_JS = "swagger-ui-bundle.js"
SWAGGER_CSS = "swagger-ui.css"
MISSING = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>API reference — hrgraph</title>
<link rel="stylesheet" href="{root}static/hrgraph.css"></head>
<body><main id="main"><h1>API reference</h1>
<p>The interactive reference (Swagger UI) is not installed on this server: run
<code>make assets</code>. The OpenAPI description is at \
<a href="{root}openapi.json">/openapi.json</a>;
docs/http-api.md describes every operation.</p></main></body></html>
"""


def install_docs(app: FastAPI) -> None:
    """Add ``/docs`` (local Swagger UI) and ``/redoc`` (a permanent redirect to ``/docs``); the
    app must be created with ``docs_url=None, redoc_url=None``."""

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui(request: Request, settings: SettingsDep) -> HTMLResponse:
        if not (VENDOR_DIR / SWAGGER_JS).is_file():
            return HTMLResponse(MISSING.format(root=escape(root(settings))))
        base = root(settings).rstrip("/") if settings.public_base else ""
        base = base or request.scope.get("root_path", "").rstrip("/")
        return get_swagger_ui_html(
            openapi_url=base + "/openapi.json",
            title="API reference — hrgraph",
            swagger_js_url=base + "/static/vendor/" + SWAGGER_JS,
            swagger_css_url=base + "/static/vendor/" + SWAGGER_CSS,
            swagger_favicon_url=base + "/static/favicon.svg",
            swagger_ui_parameters={"validatorUrl": None, "deepLinking": True},
        )

    @app.get("/redoc", include_in_schema=False)
    async def redoc(settings: SettingsDep) -> Response:
        return RedirectResponse(root(settings) + "docs", status_code=308)
