"""Queries the pages run: every one goes through the service's :class:`Executor` (the same
checks, deadlines and workers as any query), and comes back as plain rows of cells."""

from __future__ import annotations

import json
from contextvars import ContextVar
from dataclasses import dataclass

from fastapi import Request

from hrgraph.http.deps import run
from hrgraph.http.errors import ApiError
from hrgraph.query.execution import Executor
from hrgraph.rdf.vocab import PREFIXES

PAGE_REQUEST: ContextVar[Request | None] = ContextVar("hrgraph_page_request", default=None)
"""The request a page answers (set by :func:`remember_request`): the page's queries are cancelled
if its client disconnects."""


async def remember_request(request: Request) -> None:
    """A dependency of the page routes: their queries run for this request."""
    PAGE_REQUEST.set(request)


PREAMBLE = "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in PREFIXES.items())


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


def pick_label(labels: list[Cell], lang: str) -> str | None:
    """The label in ``lang``, else English, else any."""
    for wanted in (lang, "en", None):
        for label in labels:
            if wanted is None or label.lang == wanted:
                return label.value
    return None
