"""Asking a remote store a query over the SPARQL 1.1 Protocol, and its answer written by hrgraph
(docs/architecture.md, layer "store"; the store itself is :mod:`hrgraph.store.remote`).

Answers are asked of the store in one format (SPARQL JSON results, N-Triples for graphs) and
written by hrgraph in the format requested, so that every store answers alike and as the
embedded store does (Virtuoso's own CSV and TSV are not the standard's, and its JSON names blank
nodes ``nodeID://...`` and writes booleans ``1``/``0``).
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Sequence
from typing import Protocol
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

from hrgraph.errors import HrgraphError
from hrgraph.rdf.results import (
    GRAPH_FORMATS,
    GRAPH_MEDIA_TYPES,
    SOLUTION_FORMATS,
    SOLUTION_MEDIA_TYPES,
    serialize,
)
from hrgraph.sparql.querycheck import QueryRejected, query_form, scan

ANSWER_FACTOR = 4
"""The store's answer (SPARQL JSON, N-Triples) may be this many times the result size limit, which
applies to the result as hrgraph writes it."""
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_BLANK_ID = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?")


class Endpoint(Protocol):
    """What a query needs of the store (:class:`~hrgraph.store.remote.RemoteStore`)."""

    query_url: str

    @property
    def client(self) -> httpx.Client: ...

    def clean(self, text: str) -> str: ...

    def manifest(self, *, fresh: bool = False) -> dict[str, str]: ...


class RemoteQueryError(HrgraphError):
    """A query the remote store did not answer; ``status`` says why: 400 (its parser refused the
    query), 413 (the result is too large), 502 (the store failed or cannot be reached), 503 (the
    deadline passed). The query layer (:mod:`hrgraph.query.remote`) raises its own errors from
    it."""


def send_query(
    remote: Endpoint,
    sparql: str,
    result_format: str,
    *,
    default_graphs: Sequence[str] | None = None,
    named_graphs: Sequence[str] | None = None,
    timeout_s: float,
    max_bytes: int,
) -> bytes:
    """Send a query to ``remote``; the dataset is the manifest's graphs unless the protocol's
    graphs or the query name one. Returns the body in ``result_format``, written by hrgraph from
    the store's SPARQL JSON results (SELECT, ASK) or N-Triples (CONSTRUCT, DESCRIBE)."""
    media_type(result_format)
    try:
        graph_result = query_form(sparql) in {"CONSTRUCT", "DESCRIBE"}
    except ValueError as error:
        raise RemoteQueryError(str(error), status=400) from None
    media = "application/n-triples" if graph_result else "application/sparql-results+json"
    data: list[tuple[str, str]] = [("query", sparql)]
    if default_graphs is not None or named_graphs is not None:
        data += [("default-graph-uri", g) for g in default_graphs or ()]
        data += [("named-graph-uri", g) for g in named_graphs or ()]
    elif not {"FROM"} & scan(sparql).keywords:
        graphs = sorted(remote.manifest())
        data += [("default-graph-uri", g) for g in graphs]
        data += [("named-graph-uri", g) for g in graphs]
    try:
        with remote.client.stream(
            "POST",
            remote.query_url,
            content=urlencode(data).encode("ascii"),
            headers={"Accept": media, "Content-Type": "application/x-www-form-urlencoded"},
            timeout=httpx.Timeout(timeout_s),
        ) as response:
            if response.status_code >= 400:
                response.read()
                message = remote.clean(response.text)
                if response.status_code == 400:
                    raise RemoteQueryError(message, status=400)
                raise RemoteQueryError(f"the remote store failed: {message}", status=502)
            _check_complete(response.headers)
            body = bytearray()
            deadline = time.monotonic() + timeout_s
            for chunk in response.iter_bytes():
                body += chunk
                if time.monotonic() > deadline:  # the timeout above bounds each read only
                    raise httpx.ReadTimeout("past the deadline")
                if len(body) > max_bytes * ANSWER_FACTOR:
                    raise RemoteQueryError(
                        f"the result is over {max_bytes} bytes, the most this service "
                        "sends; narrow the query (LIMIT, fewer variables)",
                        status=413,
                    )
    except httpx.TimeoutException:
        raise RemoteQueryError(
            f"the query ran past its deadline of {timeout_s:g} s and was stopped", status=503
        ) from None
    except httpx.HTTPError as error:
        raise RemoteQueryError(
            f"the remote store cannot be reached: {remote.clean(type(error).__name__)}",
            status=502,
        ) from None
    output = _rewrite(bytes(body), graph_result, result_format)
    if len(output) > max_bytes:
        raise RemoteQueryError(
            f"the result is over {max_bytes} bytes, the most this service sends; narrow the "
            "query (LIMIT, fewer variables)",
            status=413,
        )
    return output


def media_type(result_format: str) -> str:
    for table in (SOLUTION_MEDIA_TYPES, GRAPH_MEDIA_TYPES):
        for media, fmt in table.items():
            if fmt == result_format:
                return media
    if result_format in SOLUTION_FORMATS or result_format in GRAPH_FORMATS:
        return "*/*"
    raise QueryRejected(f"unknown result format {result_format!r}", status=406)


def _check_complete(headers: httpx.Headers) -> None:
    """Refuse an answer the store cut short: Virtuoso answers 200 with the first
    ``ResultSetMaxRows`` rows (header ``X-SPARQL-MaxRows``), or with what an "anytime" query
    found before its time ran out (``X-SQL-State``)."""
    if "x-sparql-maxrows" in headers:
        raise RemoteQueryError(
            f"the remote store cut the result at {headers['x-sparql-maxrows']} rows (its own "
            "limit, e.g. Virtuoso's ResultSetMaxRows); narrow the query or raise that limit",
            status=502,
        )
    if "x-sql-state" in headers:
        raise RemoteQueryError(
            f"the remote store answered in part only (state {headers['x-sql-state']}); narrow "
            "the query",
            status=502,
        )


def _rewrite(answer: bytes, graph_result: bool, result_format: str) -> bytes:
    """The store's answer (N-Triples or SPARQL JSON results) written in ``result_format`` by
    hrgraph, as the embedded store writes it."""
    try:
        if graph_result:
            if result_format not in GRAPH_FORMATS:
                raise QueryRejected(
                    f"a CONSTRUCT or DESCRIBE result cannot be written as {result_format}",
                    status=406,
                )
            triples = list(ox.parse(answer, format=ox.RdfFormat.N_TRIPLES))
            return ox.serialize(triples, format=GRAPH_FORMATS[result_format]) or b""
        parsed = ox.parse_query_results(
            json.dumps(_standard_json(json.loads(answer))).encode("utf-8"),
            format=ox.QueryResultsFormat.JSON,
        )
    except (ValueError, SyntaxError, TypeError, AttributeError) as error:
        raise RemoteQueryError(
            f"the remote store's answer cannot be read: {' '.join(str(error).split())[:200]}",
            status=502,
        ) from None
    try:
        return serialize(parsed, result_format)
    except ValueError as error:
        raise QueryRejected(str(error), status=406) from None


def _standard_json(results: dict[str, object]) -> dict[str, object]:
    """SPARQL 1.1 JSON results from what a store wrote: Virtuoso's ``typed-literal`` terms,
    blank node labels that are no valid labels (``nodeID://b10000``), ``1``/``0`` for
    ``xsd:boolean`` (it keeps booleans as numbers) and its ASK answers written as a SELECT of
    ``__ASK_RETVAL`` (one row holding 1 for true, no row for false) made standard."""
    bindings = results.get("results", {})
    rows = bindings.get("bindings", []) if isinstance(bindings, dict) else []
    head = results.get("head", {})
    if isinstance(head, dict) and head.get("vars") == ["__ASK_RETVAL"] and isinstance(rows, list):
        values = [row.get("__ASK_RETVAL", {}).get("value") for row in rows]
        return {"head": {}, "boolean": any(value not in {"0", "false"} for value in values)}
    for row in rows if isinstance(rows, list) else []:
        for term in row.values() if isinstance(row, dict) else []:
            if not isinstance(term, dict):
                continue
            kind, value = term.get("type"), term.get("value")
            if kind == "typed-literal":
                term["type"] = "literal"
            elif kind == "bnode" and isinstance(value, str) and not _BLANK_ID.fullmatch(value):
                term["value"] = "b" + hashlib.sha256(value.encode("utf-8")).hexdigest()[:24]
            if term.get("datatype") == XSD_BOOLEAN and value in {"1", "0"}:
                term["value"] = "true" if value == "1" else "false"
    return results
