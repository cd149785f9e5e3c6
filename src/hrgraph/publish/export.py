"""Dumps of the built store (``hrgraph export``) and citable, versioned releases
(``hrgraph release``): the dump in TriG, N-Quads and Turtle, a VoID and DCAT description
(https://www.w3.org/TR/void/, https://www.w3.org/TR/vocab-dcat-3/) and sha256 checksums.

JSON-LD is written with the published context (``context.jsonld``, served at ``/context.jsonld``)
inline, so the file reads offline and no reader has to fetch anything.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from hrgraph import __version__
from hrgraph.rdf.context import compactor, published_prefixes
from hrgraph.settings import BASE_IRI
from hrgraph.store.local import GraphStore

FORMATS: dict[str, tuple[ox.RdfFormat | None, str, str]] = {
    "trig": (ox.RdfFormat.TRIG, ".trig", "application/trig"),
    "nquads": (ox.RdfFormat.N_QUADS, ".nq", "application/n-quads"),
    "turtle": (ox.RdfFormat.TURTLE, ".ttl", "text/turtle"),
    "jsonld": (None, ".jsonld", "application/ld+json"),
}
"""Export formats: the engine's format (``None``: written here), file suffix, media type."""
CONTEXT_URL = BASE_IRI + "context.jsonld"
RELEASE_FORMATS = ("trig", "nquads", "turtle")
LICENSE = "https://creativecommons.org/licenses/by/4.0/"


def export(store: GraphStore, fmt: str) -> bytes:
    """The whole dataset in ``fmt``; Turtle holds the union of the graphs (no graph names)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    engine_format = FORMATS[fmt][0]
    if fmt == "jsonld":
        return _jsonld(store)
    assert engine_format is not None
    output = io.BytesIO()
    if fmt == "turtle":
        triples = {ox.Triple(q.subject, q.predicate, q.object) for q in _quads(store)}
        prefixes = published_prefixes()
        ox.serialize(sorted(triples, key=str), output, format=engine_format, prefixes=prefixes)
    elif fmt == "trig":
        ox.serialize(_quads(store), output, format=engine_format, prefixes=published_prefixes())
    else:
        ox.serialize(_quads(store), output, format=engine_format)
    return output.getvalue()


def _quads(store: GraphStore) -> list[ox.Quad]:
    rows = store.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", default_graphs=[])
    assert isinstance(rows, ox.QuerySolutions)
    return sorted((ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows), key=str)


def _jsonld(store: GraphStore) -> bytes:
    """One JSON-LD document: the context inline, one node per named graph with its ``@graph``."""
    graphs: dict[str, list[ox.Quad]] = {}
    for quad in _quads(store):
        graphs.setdefault(str(quad.graph_name.value), []).append(quad)  # type: ignore[union-attr]
    compact = compactor(published_prefixes())

    def term(value: ox.NamedNode | ox.BlankNode | ox.Literal) -> dict[str, str]:
        if isinstance(value, ox.NamedNode):
            return {"@id": compact(value.value)}
        if isinstance(value, ox.BlankNode):
            return {"@id": f"_:{value.value}"}
        out = {"@value": value.value}
        if value.language:
            out["@language"] = value.language
        elif value.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["@type"] = compact(value.datatype.value)
        return out

    document: list[dict[str, Any]] = []
    for graph, quads in graphs.items():
        nodes: dict[str, dict[str, Any]] = {}
        for quad in quads:
            subject = term(quad.subject)["@id"]  # type: ignore[arg-type]
            entry = nodes.setdefault(subject, {"@id": subject})
            if quad.predicate.value == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type":
                entry.setdefault("@type", []).append(compact(quad.object.value))  # type: ignore[union-attr]
            else:
                entry.setdefault(compact(quad.predicate.value), []).append(term(quad.object))  # type: ignore[arg-type]
        document.append({"@id": compact(graph), "@graph": list(nodes.values())})
    payload = {"@context": _expanded_safe_context(), "@graph": document}
    return json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")


def _expanded_safe_context() -> dict[str, Any]:
    """The prefixes of the published context: terms with coercion are left out of the dump, since
    values are written in full (``@id`` / ``@value``) and must not be re-coerced."""
    return {"@version": 1.1, **published_prefixes()}


@dataclass(frozen=True)
class ReleaseFile:
    path: Path
    media_type: str
    sha256: str
    size: int


def write_release(
    store: GraphStore, folder: Path, version: str, base_url: str | None
) -> list[ReleaseFile]:
    """Write ``folder/hrgraph-{version}/``: the dump in each release format, ``void.ttl`` (VoID
    and DCAT) and ``SHA256SUMS``. Refuses an existing release folder: a release never changes."""
    target = folder / f"hrgraph-{version}"
    if target.exists():
        raise FileExistsError(
            f"{target} exists: a release is never overwritten; pick a new version"
        )
    target.mkdir(parents=True)
    files: list[ReleaseFile] = []
    for fmt in RELEASE_FORMATS:
        _engine, suffix, media = FORMATS[fmt]
        path = target / f"hrgraph-{version}{suffix}"
        data = export(store, fmt)
        path.write_bytes(data)
        files.append(ReleaseFile(path, media, hashlib.sha256(data).hexdigest(), len(data)))
    description = _describe(store, version, files, base_url)
    void = target / "void.ttl"
    void.write_bytes(description)
    files.append(
        ReleaseFile(void, "text/turtle", hashlib.sha256(description).hexdigest(), len(description))
    )
    sums = "".join(f"{f.sha256}  {f.path.name}\n" for f in files)
    (target / "SHA256SUMS").write_text(sums, encoding="utf-8")
    return files


def _describe(
    store: GraphStore, version: str, files: list[ReleaseFile], base_url: str | None
) -> bytes:
    base = (base_url or f"{BASE_IRI}release/{version}/").rstrip("/") + "/"
    dataset = f"{BASE_IRI}release/{version}"
    issued = datetime.now(UTC).date().isoformat()
    counts = {g.value: store.graph_size(g) for g in store.named_graphs()}
    lines = [
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "@prefix void: <http://rdfs.org/ns/void#> .",
        "@prefix spdx: <http://spdx.org/rdf/terms#> .",
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        "",
        f"<{dataset}> a dcat:Dataset, void:Dataset ;",
        f'    dcterms:title "hrgraph {version}"@en ;',
        '    dcterms:description "A law-grade knowledge graph of human-rights obligations '
        'and the institutions that carry them out, starting with Kazakhstan."@en ;',
        f'    owl:versionInfo "{version}" ; dcat:version "{version}" ;',
        f'    dcterms:issued "{issued}"^^xsd:date ;',
        f"    dcterms:license <{LICENSE}> ;",
        f'    dcterms:creator "hrgraph {__version__}" ;',
        f'    void:uriSpace "{BASE_IRI}id/" ;',
        f"    void:triples {sum(counts.values())} ;",
        "    void:vocabulary <https://w3id.org/hrgraph/ontology#> ;",
    ]
    lines += [f"    void:dataDump <{base}{f.path.name}> ;" for f in files]
    lines += [f"    dcat:distribution <{base}{f.path.name}> ;" for f in files]
    lines += [f"    void:subset <{graph}> ;" for graph in sorted(counts)]
    lines[-1] = lines[-1][:-1] + "."
    for f in files:
        lines += [
            "",
            f"<{base}{f.path.name}> a dcat:Distribution ;",
            f"    dcat:downloadURL <{base}{f.path.name}> ;",
            f'    dcat:mediaType "{f.media_type}" ;',
            f"    dcat:byteSize {f.size} ;",
            "    spdx:checksum [ a spdx:Checksum ; "
            "spdx:algorithm spdx:checksumAlgorithm_sha256 ; "
            f'spdx:checksumValue "{f.sha256}" ] .',
        ]
    for graph in sorted(counts):
        lines += ["", f"<{graph}> a void:Dataset ; void:triples {counts[graph]} ."]
    return ("\n".join(lines) + "\n").encode("utf-8")
