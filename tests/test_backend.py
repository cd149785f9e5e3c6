"""The storage backend chosen once (hrgraph.store.backend): open_backend picks the embedded or
the remote store from the settings alone, and the embedded backend publishes, answers and names
its generation as the service and the build rely on."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox

from hrgraph.settings import Settings
from hrgraph.store.backend import EmbeddedBackend, open_backend
from hrgraph.store.generations import StoreLocation
from hrgraph.store.local import GraphStore
from hrgraph.store.remote import RemoteStore

G = ox.NamedNode("https://w3id.org/hrgraph/graph/data/example")
S = ox.NamedNode("https://w3id.org/hrgraph/id/example")
P = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


def built(label: str) -> GraphStore:
    store = GraphStore.in_memory()
    store.add_quads([ox.Quad(S, P, ox.Literal(label), G)])
    return store


def count(backend: EmbeddedBackend) -> list[str]:
    body = backend.query(
        "SELECT ?l WHERE { GRAPH ?g { ?s ?p ?l } }", "json", timeout_s=5, max_bytes=10_000
    )
    return [row["l"]["value"] for row in json.loads(body)["results"]["bindings"]]


def test_open_backend_decides_from_the_settings_alone(tmp_path: Path) -> None:
    remote = open_backend(Settings(root=tmp_path, remote_store="http://127.0.0.1:9/store"))
    assert isinstance(remote, RemoteStore)
    local = open_backend(Settings(root=tmp_path, store_path=tmp_path / "store"))
    assert isinstance(local, EmbeddedBackend)
    assert local.location == str(tmp_path / "store")
    memory = open_backend(Settings(root=tmp_path))
    assert isinstance(memory, EmbeddedBackend)
    assert memory.location == "memory"


def test_publishing_makes_a_new_generation_the_one_served(tmp_path: Path) -> None:
    location = StoreLocation(tmp_path / "store")
    backend = EmbeddedBackend(location)
    assert backend.generation() is None
    assert backend.publish(built("first")) == f"published {tmp_path / 'store'}"
    first = backend.generation()
    assert first is not None
    assert count(backend) == ["first"]
    assert backend.named_graphs() == [G]
    backend.publish(built("second"))
    second = backend.generation()
    assert second is not None
    assert second[0] != first[0]
    assert count(backend) == ["second"]  # reopened on the new generation
    backend.close()


def test_in_memory_the_published_store_is_served_as_it_is() -> None:
    backend = EmbeddedBackend(None)
    assert count(backend) == []
    assert backend.publish(built("kept")) == "kept in memory"
    assert count(backend) == ["kept"]
    generation = backend.generation()
    assert generation is not None
    assert generation[0].startswith("memory-")
