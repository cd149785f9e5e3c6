"""Running real servers for the tests: ``hrgraph serve`` on a free loopback port, over a copy of
the project built into its own store."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx
import pyoxigraph as ox

from hrgraph.build.importers.output import is_generated
from hrgraph.build.pipeline import build
from hrgraph.settings import Settings
from hrgraph.store.local import GraphStore


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def build_project_copy(base: Path, project_root: Path, *, world: bool = True) -> tuple[Path, Path]:
    """A copy of the project's sources under ``base``, built into its own store there. With
    ``world=False`` the data files the importers generate (``make data``: every State and its
    treaty actions, the full UPR cycles) are left out: tests of the service's mechanics (writes,
    limits, protocols) run on the curated data, smaller and faster to build and write to."""
    project = base / "project"
    for folder in ("ontology", "data", "queries", "shapes"):
        if (project_root / folder).is_dir():
            shutil.copytree(project_root / folder, project / folder)
    if not world:
        drop_generated(project / "data")
    store = project / "var" / "store"
    build(Settings(root=project, store_path=store))
    return project, store


def drop_generated(data: Path) -> None:
    """Remove the data files ``hrgraph import --output`` wrote (``make data``) from ``data``."""
    for path in data.glob("*.ttl"):
        if is_generated(path):
            path.unlink()


def start_server(
    root: Path,
    store: Path,
    *options: str,
    env: Mapping[str, str] | None = None,
    startup_s: float = 60,
) -> tuple[str, subprocess.Popen[bytes]]:
    """Start ``hrgraph --root ROOT serve --store STORE OPTIONS`` on a free loopback port and
    return its URL, once ``/health`` answers, and its process (stop it with :func:`stop`)."""
    port = free_port()
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("hrgraph")), "--root", str(root), "serve",
         "--store", str(store), "--port", str(port), *options],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, **(env or {})},
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + startup_s
    while True:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return url, process
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            assert process.stderr is not None
            raise RuntimeError(f"hrgraph serve did not start: {process.stderr.read()!r}")
        time.sleep(0.1)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def serving(
    root: Path,
    store: Path,
    *options: str,
    env: Mapping[str, str] | None = None,
    startup_s: float = 60,
) -> Iterator[str]:
    """:func:`start_server` for the length of a ``with`` block; yields the URL."""
    url, process = start_server(root, store, *options, env=env, startup_s=startup_s)
    try:
        yield url
    finally:
        stop(process)


def store_with(value: str, graphs: int = 4) -> GraphStore:
    """A small dataset to push to a remote store: ``graphs`` graphs, each one triple whose object
    is ``value`` (so two pushes are told apart by it)."""
    store = GraphStore.in_memory()
    for number in range(graphs):
        store.add_triples(
            ox.NamedNode(f"https://example.org/graph/{number}"),
            [ox.Triple(ox.NamedNode(f"https://example.org/s{number}"),
                       ox.NamedNode("https://example.org/p"), ox.Literal(value))],
        )  # fmt: skip
    return store


def refuses_service_and_serves_pages(url: str) -> None:
    """What every running service must do whatever its store: refuse SERVICE (no outbound
    request) and answer a resource's linked-data page."""
    refused = httpx.post(
        f"{url}/sparql", data={"query": "SELECT * { SERVICE <http://x/> { ?s ?p ?o } }"}
    )
    assert refused.status_code == 400
    page = httpx.get(f"{url}/id/state/kaz", headers={"accept": "application/n-triples"})
    assert page.status_code == 200
    assert b"<https://w3id.org/hrgraph/id/state/kaz>" in page.content


class Listener:
    """A TCP server on 127.0.0.1 that records every connection made to it."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.2)
        self.port = int(self.socket.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}/"
        self.connections: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(0.5)
                try:
                    self.connections.append(connection.recv(4096) or b"(connected)")
                except OSError:
                    self.connections.append(b"(connected)")

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.socket.close()
