"""A remote store: hrgraph over an external triple store through the standard protocols, the
SPARQL 1.1 Protocol (query, update) and the SPARQL 1.1 Graph Store HTTP Protocol.

``--store URL`` names the store's base URL; the endpoints are ``URL/query``, ``URL/update`` and
``URL/store`` (Oxigraph's layout) unless ``$HRGRAPH_REMOTE_QUERY_URL``,
``$HRGRAPH_REMOTE_UPDATE_URL`` or ``$HRGRAPH_REMOTE_STORE_URL`` name others. Credentials come
only from the environment (``$HRGRAPH_REMOTE_USER`` and ``$HRGRAPH_REMOTE_PASSWORD`` for HTTP
Basic, or HTTP Digest with ``$HRGRAPH_REMOTE_AUTH=digest`` as Virtuoso's ``/sparql-auth``
needs; or ``$HRGRAPH_REMOTE_TOKEN`` for a bearer token) or from the file named by
``$HRGRAPH_REMOTE_TOKEN_FILE``; never from the command line, and they appear in no message.

Answers are asked of the store in one format (SPARQL JSON results, N-Triples for graphs) and
written by hrgraph in the format requested, so that every store answers alike and as the
embedded store does (Virtuoso's own CSV and TSV are not the standard's, and its JSON names blank
nodes ``nodeID://...`` and writes booleans ``1``/``0``).

A push (:meth:`RemoteStore.push`) is atomic for readers: every changed graph is uploaded under a
staging name ``urn:hrgraph:staging:<build-id>:<n>``, and only when all uploads succeeded one
SPARQL Update moves each staging graph onto its graph and rewrites the manifest graph
(:data:`MANIFEST_GRAPH`: each graph of the dataset and the checksum of its content). Readers
(:class:`RemoteExecutor`) query only the graphs the manifest lists, so staging graphs and
graphs left by a failed push are never seen. Graphs whose checksum equals the manifest's are
not uploaded again.

How atomic the switch is depends on the store: on Oxigraph an update request is one
transaction. Virtuoso 7 runs the request in one transaction too (readers see the previous state
until its commit, and a server stopped before the commit rolls it back), but when an operation
fails with an error the operations before it stay committed; the switch is therefore made only of
operations that do not fail (``DROP SILENT``, ``MOVE SILENT``, ``INSERT DATA``) and rewrites the
manifest last, so that even then the next push finds the difference and uploads it again.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

from hrgraph.errors import EXIT_BAD_INPUT, HrgraphError
from hrgraph.query.execution import (
    Overloaded,
    QueryFailed,
    QueryRequest,
    QueryResponse,
    QuerySyntaxError,
    QueryTimeout,
)
from hrgraph.rdf.results import (
    GRAPH_FORMATS,
    GRAPH_MEDIA_TYPES,
    SOLUTION_FORMATS,
    SOLUTION_MEDIA_TYPES,
    serialize,
)
from hrgraph.rdf.vocab import GRAPH
from hrgraph.settings import Limits, Service
from hrgraph.sparql.querycheck import QueryRejected, check_sparql, query_form, scan
from hrgraph.store.local import GraphStore

MANIFEST_GRAPH = GRAPH + "remote-manifest"
"""The graph listing, for each graph of the dataset pushed to a remote store, its checksum."""
CHECKSUM = "http://spdx.org/rdf/terms#checksumValue"
STAGING_PREFIX = "urn:hrgraph:staging:"
MESSAGE_CHARS = 300
"""The longest part of a remote store's error message passed on."""
MANIFEST_TTL_S = 2.0
"""How long a reader trusts the manifest it read before asking again."""
ANSWER_FACTOR = 4
"""The store's answer (SPARQL JSON, N-Triples) may be this many times the result size limit, which
applies to the result as hrgraph writes it."""
AUTH_SCHEMES = ("basic", "digest")
"""The values of ``$HRGRAPH_REMOTE_AUTH``: how the user and password are sent."""
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_BLANK_ID = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?")


class RemoteStoreError(HrgraphError):
    """The remote store cannot be reached or refused a request; the message holds no
    credentials. On the command line the store named is at fault (exit code 2); over HTTP the
    service failed (500, the message only logged)."""

    exit_code: ClassVar[int] = EXIT_BAD_INPUT
    public: ClassVar[bool] = False


@dataclass(frozen=True)
class Credentials:
    user: str | None = None
    password: str | None = None
    token: str | None = None
    scheme: str = "basic"
    """``basic`` or ``digest`` (``$HRGRAPH_REMOTE_AUTH``), for the user and password."""

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Credentials:
        env = os.environ if environ is None else environ
        token = env.get("HRGRAPH_REMOTE_TOKEN") or None
        token_file = env.get("HRGRAPH_REMOTE_TOKEN_FILE")
        if token is None and token_file:
            try:
                lines = Path(token_file).read_text(encoding="utf-8").splitlines()
            except OSError as error:
                raise RemoteStoreError(
                    f"cannot read $HRGRAPH_REMOTE_TOKEN_FILE: {error.strerror}"
                ) from None
            token = lines[0].strip() if lines and lines[0].strip() else None
        scheme = (env.get("HRGRAPH_REMOTE_AUTH") or "basic").strip().lower()
        if scheme not in AUTH_SCHEMES:
            raise RemoteStoreError(
                f"$HRGRAPH_REMOTE_AUTH must be one of {', '.join(AUTH_SCHEMES)}, not {scheme!r}"
            )
        return cls(
            env.get("HRGRAPH_REMOTE_USER") or None,
            env.get("HRGRAPH_REMOTE_PASSWORD"),
            token,
            scheme,
        )

    def secrets(self) -> list[str]:
        """Every form a credential could be echoed in."""
        found = [s for s in (self.password, self.token) if s]
        if self.user is not None:
            basic = base64.b64encode(f"{self.user}:{self.password or ''}".encode()).decode()
            found.append(basic)
        return found

    def auth(self) -> httpx.Auth | None:
        if self.user is not None and not self.token:
            if self.scheme == "digest":
                return httpx.DigestAuth(self.user, self.password or "")
            return httpx.BasicAuth(self.user, self.password or "")
        return None

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def __repr__(self) -> str:  # never show the secrets
        return f"Credentials(user={self.user!r}, password=***, token=***, scheme={self.scheme!r})"


class RemoteStore:
    """A SPARQL 1.1 store reached over HTTP."""

    def __init__(
        self,
        query_url: str,
        graph_store_url: str,
        update_url: str,
        credentials: Credentials | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.query_url, self.graph_store_url, self.update_url = (
            query_url,
            graph_store_url,
            update_url,
        )
        self.credentials = credentials or Credentials()
        self._client = httpx.Client(
            auth=self.credentials.auth(),
            headers=self.credentials.headers(),
            transport=transport,
            timeout=30.0,
        )
        self._manifest: tuple[float, dict[str, str]] | None = None

    @classmethod
    def from_url(
        cls,
        url: str,
        environ: Mapping[str, str] | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
    ) -> RemoteStore:
        env = os.environ if environ is None else environ
        base = url.rstrip("/")
        return cls(
            env.get("HRGRAPH_REMOTE_QUERY_URL") or f"{base}/query",
            env.get("HRGRAPH_REMOTE_STORE_URL") or f"{base}/store",
            env.get("HRGRAPH_REMOTE_UPDATE_URL") or f"{base}/update",
            Credentials.from_environment(env),
            transport=transport,
        )

    def close(self) -> None:
        self._client.close()

    # --- errors ---------------------------------------------------------------------------

    def clean(self, text: str) -> str:
        """A remote message made safe to show: trimmed, and without any credential."""
        for secret in self.credentials.secrets():
            text = text.replace(secret, "***")
        text = " ".join(text.split())
        return text if len(text) <= MESSAGE_CHARS else text[: MESSAGE_CHARS - 1] + "…"

    def _request(self, method: str, url: str, **kwargs: object) -> httpx.Response:
        try:
            response = self._client.request(method, url, **kwargs)  # type: ignore[arg-type]
        except httpx.TimeoutException:
            raise RemoteStoreError(
                f"the remote store at {_origin(url)} did not answer in time"
            ) from None
        except httpx.HTTPError as error:
            raise RemoteStoreError(
                f"the remote store at {_origin(url)} cannot be reached: "
                f"{self.clean(type(error).__name__ + ': ' + str(error))}"
            ) from None
        return response

    def _check(self, response: httpx.Response, what: str) -> None:
        if response.status_code >= 400:
            raise RemoteStoreError(
                f"the remote store refused {what} ({response.status_code}): "
                f"{self.clean(response.text)}"
            )

    # --- reading --------------------------------------------------------------------------

    def manifest(self, *, fresh: bool = False) -> dict[str, str]:
        """Each graph of the pushed dataset and its checksum ({} if nothing was pushed)."""
        now = time.monotonic()
        if not fresh and self._manifest is not None and now - self._manifest[0] < MANIFEST_TTL_S:
            return self._manifest[1]
        query = f"SELECT ?g ?c {{ GRAPH <{MANIFEST_GRAPH}> {{ ?g <{CHECKSUM}> ?c }} }}"
        response = self._request(
            "POST",
            self.query_url,
            data={"query": query},
            headers={"Accept": "application/sparql-results+json"},
        )
        self._check(response, "a query")
        try:
            rows = response.json()["results"]["bindings"]
            manifest = {row["g"]["value"]: row["c"]["value"] for row in rows}
        except (ValueError, KeyError, TypeError):
            raise RemoteStoreError(
                f"the remote store at {_origin(self.query_url)} did not answer with SPARQL JSON "
                "results; is it a SPARQL 1.1 endpoint?"
            ) from None
        self._manifest = (now, manifest)
        return manifest

    def named_graphs(self) -> list[ox.NamedNode]:
        return [ox.NamedNode(g) for g in sorted(self.manifest())]

    def query(
        self,
        request: QueryRequest,
        timeout_s: float,
        max_bytes: int,
    ) -> bytes:
        """Send a query; the dataset is the manifest's graphs unless the request or the query
        names one. Returns the body in the request's format, written by hrgraph from the store's
        SPARQL JSON results (SELECT, ASK) or N-Triples (CONSTRUCT, DESCRIBE)."""
        _media_type(request.result_format)
        try:
            graph_result = query_form(request.query) in {"CONSTRUCT", "DESCRIBE"}
        except ValueError as error:
            raise QuerySyntaxError(str(error)) from None
        media = "application/n-triples" if graph_result else "application/sparql-results+json"
        data: list[tuple[str, str]] = [("query", request.query)]
        if request.default_graphs is not None or request.named_graphs is not None:
            data += [("default-graph-uri", g) for g in request.default_graphs or ()]
            data += [("named-graph-uri", g) for g in request.named_graphs or ()]
        elif not {"FROM"} & scan(request.query).keywords:
            graphs = sorted(self.manifest())
            data += [("default-graph-uri", g) for g in graphs]
            data += [("named-graph-uri", g) for g in graphs]
        try:
            with self._client.stream(
                "POST",
                self.query_url,
                content=urlencode(data).encode("ascii"),
                headers={"Accept": media, "Content-Type": "application/x-www-form-urlencoded"},
                timeout=httpx.Timeout(timeout_s),
            ) as response:
                if response.status_code >= 400:
                    response.read()
                    message = self.clean(response.text)
                    if response.status_code == 400:
                        raise QuerySyntaxError(message)
                    raise QueryFailed(f"the remote store failed: {message}", status=502)
                _check_complete(response.headers)
                body = bytearray()
                deadline = time.monotonic() + timeout_s
                for chunk in response.iter_bytes():
                    body += chunk
                    if time.monotonic() > deadline:  # the timeout above bounds each read only
                        raise httpx.ReadTimeout("past the deadline")
                    if len(body) > max_bytes * ANSWER_FACTOR:
                        raise QueryFailed(
                            f"the result is over {max_bytes} bytes, the most this service "
                            "sends; narrow the query (LIMIT, fewer variables)",
                            status=413,
                        )
        except httpx.TimeoutException:
            raise QueryTimeout(
                f"the query ran past its deadline of {timeout_s:g} s and was stopped"
            ) from None
        except httpx.HTTPError as error:
            raise QueryFailed(
                f"the remote store cannot be reached: {self.clean(type(error).__name__)}",
                status=502,
            ) from None
        output = _rewrite(bytes(body), graph_result, request.result_format)
        if len(output) > max_bytes:
            raise QueryFailed(
                f"the result is over {max_bytes} bytes, the most this service sends; narrow the "
                "query (LIMIT, fewer variables)",
                status=413,
            )
        return output

    # --- writing --------------------------------------------------------------------------

    def push(self, store: GraphStore, say: Callable[[str], None] | None = None) -> PushReport:
        """Push every named graph of ``store``, atomically for readers (see the module)."""
        progress = say or (lambda _message: None)
        build_id = uuid.uuid4().hex[:12]
        old = self.manifest(fresh=True)
        new = {g.value: store.graph_checksum(g) for g in store.named_graphs()}
        changed = [g for g, checksum in new.items() if old.get(g) != checksum]
        removed = [g for g in old if g not in new]
        staged: dict[str, str] = {}
        try:
            for number, graph in enumerate(changed, start=1):
                staging = f"{STAGING_PREFIX}{build_id}:{number}"
                progress(f"[{number}/{len(changed)}] uploading {graph}")
                body = store.serialize_graph(ox.NamedNode(graph))
                response = self._request(
                    "PUT",
                    self.graph_store_url,
                    params={"graph": staging},
                    content=body,
                    headers={"Content-Type": "application/n-triples"},
                )
                staged[graph] = staging
                self._check(response, f"the upload of {graph}")
            operations = [f"DROP SILENT GRAPH <{g}>" for g in removed]
            operations += [f"MOVE SILENT GRAPH <{s}> TO GRAPH <{g}>" for g, s in staged.items()]
            operations.append(f"DROP SILENT GRAPH <{MANIFEST_GRAPH}>")
            if new:
                lines = " ".join(f'<{g}> <{CHECKSUM}> "{c}" .' for g, c in sorted(new.items()))
                operations.append(f"INSERT DATA {{ GRAPH <{MANIFEST_GRAPH}> {{ {lines} }} }}")
            progress(f"switching {len(staged)} graph(s) in one update")
            response = self._request(
                "POST",
                self.update_url,
                content=" ;\n".join(operations).encode("utf-8"),
                headers={"Content-Type": "application/sparql-update"},
            )
            self._check(response, "the update that switches the graphs")
        except BaseException:
            self._drop_quietly(staged.values())
            raise
        self._manifest = None
        return PushReport(build_id, changed, removed, sorted(set(new) - set(changed)))

    def _drop_quietly(self, graphs: Iterable[str]) -> None:
        operations = [f"DROP SILENT GRAPH <{g}>" for g in graphs]
        if not operations:
            return
        # The staging graphs are invisible to readers anyway; the next push ignores them.
        with contextlib.suppress(httpx.HTTPError):
            self._client.post(
                self.update_url,
                content=" ;\n".join(operations).encode("utf-8"),
                headers={"Content-Type": "application/sparql-update"},
            )


@dataclass(frozen=True)
class PushReport:
    build_id: str
    uploaded: list[str]
    removed: list[str]
    unchanged: list[str]


class RemoteExecutor:
    """Runs checked queries on a remote store: the same refusals as locally (``querycheck``),
    the query deadline as the HTTP timeout and the result size limit while reading.

    With ``service``, at most ``service.workers`` queries are sent at once and at most
    ``service.queue_size`` more wait; beyond that :class:`Overloaded` (503 with Retry-After),
    as with the embedded store's worker pool."""

    def __init__(self, store: RemoteStore, limits: Limits, service: Service | None = None) -> None:
        self.store, self.limits = store, limits
        self._service = service
        self._admitted = (
            threading.BoundedSemaphore(service.workers + service.queue_size) if service else None
        )
        self._running = threading.BoundedSemaphore(service.workers) if service else None

    def run(self, request: QueryRequest) -> QueryResponse:
        try:
            local = frozenset(self.store.manifest())
        except RemoteStoreError as error:
            raise QueryFailed(str(error), status=502) from None
        if not local:
            raise QueryFailed(
                "the remote store holds no hrgraph dataset yet: run `hrgraph build --store URL`",
                status=503,
            )
        check_sparql(request.query, self.limits, local_graphs=local)
        _media_type(request.result_format)
        if self._admitted is None or self._running is None or self._service is None:
            return self._send(request)
        if not self._admitted.acquire(blocking=False):
            raise Overloaded(
                "every connection to the store is busy and the queue is full; try again shortly",
                retry_after=self._service.retry_after_s,
            )
        try:
            if not self._running.acquire(timeout=self.limits.query_timeout_s):
                raise QueryTimeout("the query waited past its deadline for a free connection")
            try:
                return self._send(request)
            finally:
                self._running.release()
        finally:
            self._admitted.release()

    def _send(self, request: QueryRequest) -> QueryResponse:
        body = self.store.query(request, self.limits.query_timeout_s, self.limits.max_result_bytes)
        return QueryResponse(body, request.result_format)


def _media_type(result_format: str) -> str:
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
        raise QueryFailed(
            f"the remote store cut the result at {headers['x-sparql-maxrows']} rows (its own "
            "limit, e.g. Virtuoso's ResultSetMaxRows); narrow the query or raise that limit",
            status=502,
        )
    if "x-sql-state" in headers:
        raise QueryFailed(
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
        raise QueryFailed(
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


def _origin(url: str) -> str:
    parsed = httpx.URL(url)
    return f"{parsed.scheme}://{parsed.host}" + (f":{parsed.port}" if parsed.port else "")
