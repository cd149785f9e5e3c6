"""Queries the pages run: every one goes through the service's :class:`Executor` (the same
checks, deadlines and workers as any query), and comes back as plain rows of cells."""

from __future__ import annotations

import html
import json
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from fastapi import Request
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from hrgraph.http.api.linked_data import run
from hrgraph.http.errors import ApiError
from hrgraph.query.execution import Executor
from hrgraph.rdf.vocab import PREFIXES
from hrgraph.settings import Settings

PAGE_REQUEST: ContextVar[Request | None] = ContextVar("hrgraph_page_request", default=None)
"""The request a page answers (set by :func:`remember_request`): the page's queries are cancelled
if its client disconnects."""


async def remember_request(request: Request) -> None:
    """A dependency of the page routes: their queries run for this request."""
    PAGE_REQUEST.set(request)


PREAMBLE = "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in PREFIXES.items())
LANGUAGES = {"en": "English", "ru": "Русский", "kk": "Қазақша"}


@dataclass(frozen=True)
class Cell:
    """One value of a result row: an IRI, a blank node or a literal (with language or type)."""

    kind: str
    value: str
    lang: str | None = None
    datatype: str | None = None

    @property
    def is_iri(self) -> bool:
        return self.kind == "uri"

    def __str__(self) -> str:
        return self.value


Row = dict[str, Cell]


async def select(executor: Executor, query: str) -> list[Row]:
    """Run a SELECT the service wrote (the usual prefixes declared) and return its rows."""
    body = await run(executor, PREAMBLE + query, "json", PAGE_REQUEST.get())
    rows: list[Row] = []
    for binding in json.loads(body)["results"]["bindings"]:
        rows.append({name: _cell(cell) for name, cell in binding.items()})
    return rows


async def select_table(executor: Executor, query: str) -> tuple[list[str], list[Row]]:
    """Run a complete SELECT (its own prefixes) and return its variables, in order, and rows."""
    body = await run(executor, query, "json", PAGE_REQUEST.get())
    result = json.loads(body)
    rows = [
        {name: _cell(cell) for name, cell in binding.items()}
        for binding in result["results"]["bindings"]
    ]
    return list(result["head"].get("vars", [])), rows


def _cell(cell: dict[str, str]) -> Cell:
    return Cell(cell["type"], cell["value"], cell.get("xml:lang"), cell.get("datatype"))


def iri(text: str) -> str:
    """``text`` as a SPARQL IRI term; refuses characters an IRI may not hold."""
    if any(c in text for c in '<>"{}|^`\\ \n\t') or not text:
        raise ApiError(400, f"not an IRI: {text!r}")
    return f"<{text}>"


def literal(text: str) -> str:
    """``text`` as a SPARQL string literal, escaped."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped.replace(chr(13), chr(92) + "r")}"'


def href(target: str, settings: Settings) -> str:
    """Where a link to ``target`` points: this service for the graph's own IRIs, else itself."""
    if target.startswith(settings.base_iri + "id/") or target.startswith(
        settings.base_iri + "ontology"
    ):
        local = target[len(settings.base_iri) :]
        if local.startswith("ontology#"):
            return "/ontology#" + local.split("#", 1)[1]
        return "/" + local.split("#", 1)[0]
    return safe_url(target)


def safe_url(target: str) -> str:
    """``target`` if it is a web address or a local path, else nothing to follow (no
    ``javascript:`` or ``data:`` links, whatever a literal holds)."""
    lowered = target.strip().lower()
    if lowered.startswith(("http://", "https://")) or (
        target.startswith("/") and not target.startswith("//")
    ):
        return target
    return "#unsafe-link"


def short(target: str) -> str:
    """An IRI abbreviated with the usual prefixes (``hrg:Recommendation``)."""
    for prefix, namespace in PREFIXES.items():
        if target.startswith(namespace) and len(target) > len(namespace):
            return f"{prefix}:{target[len(namespace) :]}"
    return target


def pick_label(labels: list[Cell], lang: str) -> str | None:
    """The label in ``lang``, else English, else any."""
    for wanted in (lang, "en", None):
        for label in labels:
            if wanted is None or label.lang == wanted:
                return label.value
    return None


def _escape(value: object) -> object:
    """Escape as the rest of the service does (``html.escape``: quotes too, ``'`` as ``&#x27;``);
    autoescaping then leaves the result alone, and escapes anything a filter builds."""
    if isinstance(value, Markup):
        return value
    text = "" if value is None else str(value)
    return Markup(html.escape(text, quote=True))  # noqa: S704 - escaped here, as the docstring says


@lru_cache(maxsize=1)
def templates() -> Environment:
    """The page templates; autoescaping is on for every template, so data is always text."""
    env = Environment(
        loader=PackageLoader("hrgraph.http.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_escape,
    )
    env.filters["short"] = short
    env.filters["safe_url"] = safe_url
    return env


def render(name: str, settings: Settings, **context: Any) -> str:
    return (
        templates()
        .get_template(name)
        .render(languages=LANGUAGES, href=lambda target: href(str(target), settings), **context)
    )
