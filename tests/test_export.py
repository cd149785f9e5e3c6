"""hrgraph export and hrgraph release: every format reads back to the same dataset; a release has
VoID and DCAT metadata and checksums that match its files, and is never overwritten."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from servers import build_project_copy

from hrgraph.cli.main import main
from hrgraph.publish.export import export, write_release
from hrgraph.rdf.context import published_context
from hrgraph.settings import Settings
from hrgraph.store.local import GraphStore

ROOT = Path(__file__).resolve().parents[1]


def quad_set(data: bytes, fmt: ox.RdfFormat) -> set[ox.Quad]:
    return set(ox.parse(data, format=fmt))


@pytest.fixture(scope="module")
def exported(store: GraphStore) -> Callable[[str], bytes]:
    """The bundled store exported in a format, each format once for the module."""
    done: dict[str, bytes] = {}

    def get(fmt: str) -> bytes:
        if fmt not in done:
            done[fmt] = export(store, fmt)
        return done[fmt]

    return get


def test_trig_nquads_and_jsonld_hold_the_same_quads(exported: Callable[[str], bytes]) -> None:
    trig = quad_set(exported("trig"), ox.RdfFormat.TRIG)
    nquads = quad_set(exported("nquads"), ox.RdfFormat.N_QUADS)
    jsonld = quad_set(exported("jsonld"), ox.RdfFormat.JSON_LD)
    assert len(trig) > 1000
    assert trig == nquads
    assert {q for q in jsonld if not isinstance(q.subject, ox.BlankNode)} == {
        q for q in trig if not isinstance(q.subject, ox.BlankNode)
    }
    graphs = {q.graph_name for q in trig}
    assert ox.NamedNode("https://w3id.org/hrgraph/graph/ontology") in graphs


def test_turtle_is_the_union_of_the_graphs(exported: Callable[[str], bytes]) -> None:
    triples = {ox.Triple(q.subject, q.predicate, q.object)
               for q in quad_set(exported("nquads"), ox.RdfFormat.N_QUADS)}  # fmt: skip
    turtle = {ox.Triple(q.subject, q.predicate, q.object)
              for q in quad_set(exported("turtle"), ox.RdfFormat.TURTLE)}  # fmt: skip
    named = {t for t in triples if not isinstance(t.subject, ox.BlankNode)}
    assert named == {t for t in turtle if not isinstance(t.subject, ox.BlankNode)}


def test_jsonld_uses_the_published_context(exported: Callable[[str], bytes]) -> None:
    document = json.loads(exported("jsonld"))
    context = published_context()
    assert document["@context"]["hrg"] == context["hrg"]
    published = json.loads((ROOT / "src" / "hrgraph" / "context.jsonld").read_text())
    assert published["@context"] == context
    text = exported("jsonld").decode()
    assert '"hrg:Recommendation"' in text  # compacted with the context's prefixes


def test_a_release_has_void_dcat_and_checksums(tmp_path: Path, store: GraphStore) -> None:
    files = write_release(store, tmp_path, "1.2.3", "https://example.org/releases/1.2.3/")
    folder = tmp_path / "hrgraph-1.2.3"
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["SHA256SUMS", "hrgraph-1.2.3.nq", "hrgraph-1.2.3.trig",
                     "hrgraph-1.2.3.ttl", "void.ttl"]  # fmt: skip
    sums = (folder / "SHA256SUMS").read_text().splitlines()
    assert len(sums) == len(files) == 4
    for line in sums:
        digest, name = line.split("  ")
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
    void = ox.Store()
    void.load(path=str(folder / "void.ttl"), format=ox.RdfFormat.TURTLE)
    assert void.query("""PREFIX dcat: <http://www.w3.org/ns/dcat#>
        PREFIX void: <http://rdfs.org/ns/void#> PREFIX spdx: <http://spdx.org/rdf/terms#>
        ASK { ?d a dcat:Dataset, void:Dataset ; dcat:version "1.2.3" ; void:triples ?n ;
              dcat:distribution ?f . ?f dcat:downloadURL
              <https://example.org/releases/1.2.3/hrgraph-1.2.3.trig> ;
              spdx:checksum/spdx:checksumValue ?sum }""")
    with pytest.raises(FileExistsError):
        write_release(store, tmp_path, "1.2.3", None)


def test_the_cli_exports_and_releases(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the curated data: the commands are tested here
    _project, store = build_project_copy(tmp_path, ROOT, world=False)
    out = tmp_path / "dump.nq"
    assert main(["export", "--format", "nquads", "-o", str(out), "--store", str(store)]) == 0
    assert len(quad_set(out.read_bytes(), ox.RdfFormat.N_QUADS)) > 1000
    releases = tmp_path / "releases"
    args = ["release", "--version", "0.9", "--out", str(releases), "--store", str(store)]
    assert main(args) == 0
    assert (releases / "hrgraph-0.9" / "SHA256SUMS").is_file()
    assert main(args) == 2
    assert "never overwritten" in capsys.readouterr().err


def test_the_app_serves_the_published_context() -> None:
    import asyncio

    import httpx

    from hrgraph.http.app import create_app

    async def fetch() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_app(Settings(root=ROOT, store_path=None)))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get("/context.jsonld")

    response = asyncio.run(fetch())
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    assert response.json()["@context"] == published_context()
