"""A remote store: hrgraph over an external triple store through the standard protocols, the
SPARQL 1.1 Protocol (query, update) and the SPARQL 1.1 Graph Store HTTP Protocol.

``--store URL`` names the store's base URL; the endpoints are ``URL/query``, ``URL/update`` and
``URL/store`` (Oxigraph's layout) unless ``$HRGRAPH_REMOTE_QUERY_URL``,
``$HRGRAPH_REMOTE_UPDATE_URL`` or ``$HRGRAPH_REMOTE_STORE_URL`` name others. Credentials come
only from the environment (``$HRGRAPH_REMOTE_USER`` and ``$HRGRAPH_REMOTE_PASSWORD`` for HTTP
Basic, or HTTP Digest with ``$HRGRAPH_REMOTE_AUTH=digest`` as Virtuoso's ``/sparql-auth``
needs; or ``$HRGRAPH_REMOTE_TOKEN`` for a bearer token) or from the file named by
``$HRGRAPH_REMOTE_TOKEN_FILE``; never from the command line, and they appear in no message.

Queries are sent and their answers written by :mod:`hrgraph.store.answers`; the executor that
runs user queries on a remote store is :class:`hrgraph.query.remote.RemoteExecutor`. This module
is one of the two :class:`~hrgraph.store.backend.Backend` implementations (docs/architecture.md,
layer "store").

A push (:meth:`RemoteStore.push`) is atomic for readers: every changed graph is uploaded under a
staging name ``urn:hrgraph:staging:<build-id>:<n>``, and only when all uploads succeeded one
SPARQL Update moves each staging graph onto its graph and rewrites the manifest graph
(:data:`MANIFEST_GRAPH`: each graph of the dataset and the checksum of its content). Readers
(:class:`~hrgraph.query.remote.RemoteExecutor`) query only the graphs the manifest lists, so
staging graphs and graphs left by a failed push are never seen. Graphs whose checksum equals the
manifest's are not uploaded again.

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
import os
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox

from hrgraph.rdf.vocab import GRAPH
from hrgraph.store.answers import send_query
from hrgraph.store.generations import StoreError
from hrgraph.store.local import GraphStore

MANIFEST_GRAPH = GRAPH + "remote-manifest"
"""The graph listing, for each graph of the dataset pushed to a remote store, its checksum."""
CHECKSUM = "http://spdx.org/rdf/terms#checksumValue"
STAGING_PREFIX = "urn:hrgraph:staging:"
MESSAGE_CHARS = 300
"""The longest part of a remote store's error message passed on."""
MANIFEST_TTL_S = 2.0
"""How long a reader trusts the manifest it read before asking again."""
AUTH_SCHEMES = ("basic", "digest")
"""The values of ``$HRGRAPH_REMOTE_AUTH``: how the user and password are sent."""


class RemoteStoreError(StoreError):
    """The remote store cannot be reached or refused a request; the message holds no
    credentials. As any :class:`~hrgraph.store.generations.StoreError`: on the command line the
    store named is at fault (exit code 2); over HTTP the service failed (500, the message only
    logged)."""


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
        self._transport = transport
        self._client: httpx.Client | None = None
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

    @property
    def client(self) -> httpx.Client:
        """The HTTP client, made again after :meth:`close` (a service may start more than once)."""
        if self._client is None or self._client.is_closed:
            self._client = httpx.Client(
                auth=self.credentials.auth(),
                headers=self.credentials.headers(),
                transport=self._transport,
                timeout=30.0,
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    # --- the backend (hrgraph.store.backend) ---------------------------------------------------

    @property
    def location(self) -> str:
        """Where the store is, for messages (its origin only: no path, no credential)."""
        return _origin(self.query_url)

    def generation(self) -> tuple[str, float] | None:
        """``None``: the changes of a remote store cannot be seen (no ETag, no Last-Modified)."""
        return None

    def query(
        self,
        sparql: str,
        result_format: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        timeout_s: float,
        max_bytes: int,
    ) -> bytes:
        """A query's answer in ``result_format`` (:func:`hrgraph.store.answers.send_query`)."""
        return send_query(
            self,
            sparql,
            result_format,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            timeout_s=timeout_s,
            max_bytes=max_bytes,
        )

    def publish(self, store: GraphStore, say: Callable[[str], None] | None = None) -> str:
        """Push a built store (:meth:`push`); what was done, for the user."""
        pushed = self.push(store, say)
        return (
            f"{len(pushed.uploaded)} graph(s) replaced, {len(pushed.unchanged)} unchanged, "
            f"{len(pushed.removed)} removed"
        )

    # --- errors ---------------------------------------------------------------------------

    def clean(self, text: str) -> str:
        """A remote message made safe to show: trimmed, and without any credential."""
        for secret in self.credentials.secrets():
            text = text.replace(secret, "***")
        text = " ".join(text.split())
        return text if len(text) <= MESSAGE_CHARS else text[: MESSAGE_CHARS - 1] + "…"

    def _request(self, method: str, url: str, **kwargs: object) -> httpx.Response:
        try:
            response = self.client.request(method, url, **kwargs)  # type: ignore[arg-type]
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
            self.client.post(
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


def _origin(url: str) -> str:
    parsed = httpx.URL(url)
    return f"{parsed.scheme}://{parsed.host}" + (f":{parsed.port}" if parsed.port else "")
