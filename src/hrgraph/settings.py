"""Frozen settings, built once in an entry point (CLI or app factory) and passed down.

Nothing in the package reads configuration at import time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

BASE_IRI = "https://w3id.org/hrgraph/"
"""Every resource, graph and term of the project is minted under this IRI."""


def find_project_root(start: Path | None = None) -> Path:
    """Return the folder holding ``ontology/hrgraph.ttl``: the working directory or one of its
    parents, falling back to the source checkout this package was installed from."""
    candidates = [start or Path.cwd()]
    candidates += list(candidates[0].resolve().parents)
    candidates.append(Path(__file__).resolve().parents[2])
    for candidate in candidates:
        if (candidate / "ontology" / "hrgraph.ttl").is_file():
            return candidate
    return Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Limits:
    """Bounds on what one request may ask of the engine (docs/architecture.md, "Security
    invariants")."""

    max_query_bytes: int = 100_000
    max_nesting: int = 100
    query_timeout_s: float = 30.0
    """Deadline of one query; a worker still running it then is killed and replaced."""
    max_memory_mb: int = 2048
    """Address space of one query worker (``RLIMIT_AS``); a query needing more fails."""
    max_result_bytes: int = 50_000_000
    """Largest serialised result sent; a larger one is refused (413), never truncated."""
    max_request_bytes: int = 10_000_000
    """Largest request body read (queries, form posts, uploads); larger ones get 413."""
    max_upload_bytes: int = 5_000_000
    """Largest RDF upload parsed (e.g. data to validate)."""
    service_endpoints: tuple[str, ...] = ()
    """Endpoint IRIs a query may name in SERVICE (federation); empty: SERVICE is refused."""


def default_workers() -> int:
    """One query worker per CPU this process may use, at least two."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(2, cpus)


@dataclass(frozen=True)
class Service:
    """How the HTTP service runs queries: worker processes and the queue in front of them."""

    workers: int = field(default_factory=default_workers)
    """Query worker processes (each runs one query at a time)."""
    queue_size: int = 16
    """Requests that may wait for a busy worker; beyond that the service answers 503."""
    retry_after_s: int = 2
    """The ``Retry-After`` sent with 503 when overloaded."""
    queue_timeout_s: float = 10.0
    """Longest a request waits in the queue for a worker; then 503 with ``Retry-After``."""
    validation_workers: int = 2
    """Validations run at a time, each in its own process (``/api/validate``, ``/report``)."""
    validation_queue: int = 2
    """Validations that may wait for a running one to finish before the service answers 503."""
    validation_timeout_s: float = 120.0
    """Deadline of one validation; its process is then killed and the client gets 503."""
    header_timeout_s: float = 10.0
    """A connection must send a request's complete headers within this time, or is closed."""
    body_timeout_s: float = 60.0
    """A request's body must arrive within this time from the end of its headers."""
    keep_alive_s: float = 5.0
    """An idle keep-alive connection is closed after this time."""
    send_timeout_s: float = 30.0
    """A client that accepts no part of an answer for this long is disconnected."""
    max_connections: int = 512
    """Open connections (and requests in flight) beyond which new requests get 503."""
    answer_cache_mb: int = 64
    """Memory for serialised answers of the store generation being served (an answer of a
    read-only generation never changes); least recently used answers leave first; 0: no cache."""


@dataclass(frozen=True)
class Settings:
    """Where the sources and the store live, and how the service behaves."""

    root: Path
    store_path: Path | None = None
    """On-disk store folder; ``None`` keeps the store in memory (tests)."""
    remote_store: str | None = None
    """Base URL of an external SPARQL 1.1 store (``--store URL``, see ``hrgraph.store.remote``);
    when set, the build pushes to it and queries are answered by it, and ``store_path`` is
    unused."""
    host: str = "127.0.0.1"
    port: int = 8000
    base_iri: str = BASE_IRI
    limits: Limits = field(default_factory=Limits)
    service: Service = field(default_factory=Service)
    public_base: str | None = None
    """The URL the service is published at (e.g. ``https://hrgraph.example.org/``), used in
    links and the dataset description; ``None``: the URL each request came to."""
    write_token: str | None = field(default=None, repr=False)
    """The bearer token that enables writes (SPARQL Update, Graph Store Protocol); ``None``
    keeps them off. Read from ``$HRGRAPH_WRITE_TOKEN`` or a token file, never the command line."""

    @property
    def public_url(self) -> str:
        """The service's public base URL, ending ``/``: ``public_base`` or ``http://HOST:PORT/``,
        never taken from a request (a ``Host`` header is the client's to forge)."""
        if self.public_base:
            return self.public_base.rstrip("/") + "/"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    @property
    def ontology_path(self) -> Path:
        return self.root / "ontology" / "hrgraph.ttl"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @classmethod
    def from_environment(cls, **overrides: object) -> Settings:
        """Settings for an entry point: defaults, then ``HRGRAPH_*`` variables, then overrides
        (command-line options) whose value is not ``None``."""
        given_root = overrides.get("root")
        root = (
            Path(given_root)  # type: ignore[arg-type]
            if given_root is not None
            else Path(os.environ.get("HRGRAPH_ROOT") or find_project_root())
        )
        env_store = os.environ.get("HRGRAPH_STORE")
        values: dict[str, object] = {"root": root}
        if env_store and env_store.startswith(("http://", "https://")):
            values["remote_store"] = env_store
        else:
            values["store_path"] = Path(env_store) if env_store else root / "var" / "store"
        values.update({key: value for key, value in overrides.items() if value is not None})
        if overrides.get("remote_store") is not None and overrides.get("store_path") is None:
            values["store_path"] = None
        elif overrides.get("store_path") is not None:
            values.pop("remote_store", None)
        return cls(**values)  # type: ignore[arg-type]
