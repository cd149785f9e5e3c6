"""The pages: home, the query editor, faceted browsing, the validation report and the pictures.
Every query a page runs goes through the service's executor (``http.deps.get_executor``); every
link a page writes starts with the public base's path (``http.pages.root``)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from hrgraph import __version__
from hrgraph.http.deps import ExecutorDep, SettingsDep
from hrgraph.http.errors import ApiError
from hrgraph.http.pages import HTML_HEADERS, STATIC_DIR, VENDOR_DIR, render, root
from hrgraph.http.web import browse, pictures
from hrgraph.http.web import report as report_pages
from hrgraph.http.web.data import remember_request, select, select_table
from hrgraph.rdf.vocab import BUILD_GRAPH, PREFIXES
from hrgraph.settings import Settings
from hrgraph.sparql.queries import NamedQuery, ParameterError, load_queries

EXAMPLE_VALUES = {"date": "2010-01-01"}
"""Values for required parameters when a named query becomes an editor example."""


def mount_static(app: FastAPI) -> None:
    """Serve ``web/static`` (the stylesheet, the editor's script and YASGUI) at ``/static``."""
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")


def page(body: str) -> HTMLResponse:
    return HTMLResponse(body, headers=HTML_HEADERS)


def build_router(settings: Settings) -> APIRouter:
    """The pages, with the named queries of ``settings`` (read now, once); in a request, the
    settings come from ``http.deps``, as everywhere."""
    router = APIRouter(
        tags=["Web pages"], include_in_schema=False, dependencies=[Depends(remember_request)]
    )
    queries = load_queries(settings.queries_dir) if settings.queries_dir.is_dir() else {}

    @router.get("/", response_class=HTMLResponse)
    async def home(executor: ExecutorDep, settings: SettingsDep) -> HTMLResponse:
        counts: list[tuple[str, int]] = []
        if "class-counts" in queries:
            rows = await select(executor, queries["class-counts"].bind({}))
            counts = [(str(r["class"]), int(str(r["resources"]))) for r in rows]
        built = await select(
            executor,
            f"SELECT ?modified WHERE {{ GRAPH <{BUILD_GRAPH.value}> {{ "
            f"<{BUILD_GRAPH.value}#dataset> dcterms:modified ?modified }} }}",
        )
        build_date = str(built[0]["modified"]) if built else None
        return page(
            render(
                "home.html",
                settings,
                title="A knowledge graph of human-rights obligations",
                counts=counts,
                total=sum(n for _, n in counts),
                build_date=build_date,
                version=__version__,
                queries=queries.values(),
            )
        )

    @router.get("/query", response_class=HTMLResponse)
    async def query_editor(settings: SettingsDep) -> HTMLResponse:
        installed = (VENDOR_DIR / "yasgui.min.js").is_file()
        return page(
            render(
                "query.html",
                settings,
                title="Query the graph (SPARQL)",
                installed=installed,
                prefixes=json.dumps(PREFIXES),
            )
        )

    @router.get("/query/examples.json")
    async def query_examples() -> list[dict[str, str]]:
        """The named queries as editor tabs, parameters bound to defaults or examples."""
        examples = []
        for query in queries.values():
            try:
                text = query.bind({})
            except ParameterError:
                needed = {p.name: EXAMPLE_VALUES.get(p.name, "") for p in query.parameters}
                text = query.bind({k: v for k, v in needed.items() if v})
            examples.append({"name": query.name, "summary": query.summary, "query": text})
        return examples

    @router.get("/queries/{name}", response_class=HTMLResponse)
    async def named_query_page(
        name: str, request: Request, executor: ExecutorDep, settings: SettingsDep
    ) -> HTMLResponse:
        """A named query as a page: a form for its parameters (defaults filled in) and, once
        every required one is given, its results as a table."""
        if name not in queries:
            raise ApiError(404, f"no named query {name!r} (available: {', '.join(queries)})")
        query = queries[name]
        given = {k: v for k, v in request.query_params.items() if v != ""}
        context = named_query_context(query, given, root(settings))
        status = 200
        if not context["missing"]:
            try:
                text = query.bind(given)
            except ParameterError as error:
                context["error"], status = str(error), 400
            else:
                variables, rows = await select_table(executor, text)
                context.update(variables=variables, rows=rows)
        body = render("named_query.html", settings, title=f"Named query {name}", **context)
        return HTMLResponse(body, status_code=status, headers=HTML_HEADERS)

    @router.get("/browse/recommendations", response_class=HTMLResponse)
    async def recommendations(
        request: Request, executor: ExecutorDep, settings: SettingsDep
    ) -> HTMLResponse:
        context = await browse.recommendations(executor, dict(request.query_params))
        return page(render("recommendations.html", settings, **context))

    @router.get("/browse/provisions", response_class=HTMLResponse)
    async def provisions(
        request: Request, executor: ExecutorDep, settings: SettingsDep
    ) -> HTMLResponse:
        report_pages.REQUEST.set(request)  # the page's validation runs for this request
        context = await browse.provisions(executor, settings, dict(request.query_params))
        return page(render("provisions.html", settings, **context))

    @router.get("/report", response_class=HTMLResponse)
    async def report_page(
        request: Request, settings: SettingsDep, as_of: str | None = None
    ) -> HTMLResponse:
        found = await report_pages.report_for(settings, as_of, request)
        return page(render("report.html", settings, **report_pages.context(found)))

    @router.get("/report/download")
    async def report_download(
        request: Request, settings: SettingsDep, format: str = "markdown", as_of: str | None = None
    ) -> Response:
        if format not in report_pages.DOWNLOADS:
            raise ApiError(400, f"format must be one of {', '.join(report_pages.DOWNLOADS)}")
        found = await report_pages.report_for(settings, as_of, request)
        return report_pages.download(found, format)

    @router.get("/pictures", response_class=HTMLResponse)
    async def pictures_page(executor: ExecutorDep, settings: SettingsDep) -> HTMLResponse:
        drawn = {name: await draw(executor, settings) for name, draw in pictures.PICTURES.items()}
        return page(
            render(
                "pictures.html",
                settings,
                title="Pictures of the graph",
                pictures=drawn,
                captions=pictures.CAPTIONS,
            )
        )

    @router.get("/pictures/{name}.svg")
    async def picture(name: str, executor: ExecutorDep, settings: SettingsDep) -> Response:
        if name not in pictures.PICTURES:
            raise ApiError(404, f"no picture {name!r}; available: {', '.join(pictures.PICTURES)}")
        svg = await pictures.PICTURES[name](executor, settings)
        return Response(svg, media_type="image/svg+xml; charset=utf-8")

    return router


def named_query_context(query: NamedQuery, given: dict[str, str], root: str) -> dict[str, Any]:
    """The form of a named query's page: each parameter with its type, whether it is required,
    its value (given, else its default) and its choices; the required ones still missing; the
    address of its answer for programs, under ``root``."""
    parameters, missing = [], []
    for parameter in query.parameters:
        default = query.defaults.get(parameter.name)
        required = parameter.required and default is None
        value = given.get(parameter.name, default or "")
        if required and not value:
            missing.append(parameter.name)
        parameters.append(
            {
                "name": parameter.name,
                "type": parameter.type_label,
                "required": required,
                "value": value,
                "enum": list(query.enumerate.get(parameter.name, ())),
                "date": bool(parameter.datatype and parameter.datatype.endswith("#date")),
            }
        )
    api = f"{root}api/queries/{query.name}" + (f"?{urlencode(given)}" if given else "")
    return {
        "query": query, "parameters": parameters, "missing": missing, "error": None,
        "rows": None, "variables": [], "api": api,
    }  # fmt: skip
