"""The shapes validation runs (docs/architecture.md, layer "validation"): the legal-standard
shape files, parsed, with their hrg: terms and SHACL-SPARQL checked before anything runs."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import rdflib
from rdflib.namespace import SH

from hrgraph.rdf.namespaces import NAMESPACE, TERMS
from hrgraph.settings import Limits, Settings
from hrgraph.sparql.querycheck import QueryRejected, check_sparql
from hrgraph.validation.errors import ValidationInputError
from hrgraph.validation.shaclsparql import scan


def default_shape_files(settings: Settings) -> list[Path]:
    """The legal-standard shapes: ``shapes/*.ttl`` (not the ontology or integrity shapes)."""
    return sorted(settings.shapes_dir.glob("*.ttl"))


def load_shapes(paths: Iterable[Path]) -> rdflib.Graph:
    """Parse shape files; refuse unknown hrg: terms and unsafe SHACL-SPARQL."""
    graph = rdflib.Graph()
    for path in paths:
        try:
            graph.parse(path, format="turtle")
        except FileNotFoundError:
            raise ValidationInputError(f"{path}: no such shapes file") from None
        except Exception as error:  # rdflib raises many kinds for bad syntax
            raise ValidationInputError(f"{path}: cannot be read as Turtle: {error}") from None
    unknown = sorted(
        {
            str(term)
            for triple in graph
            for term in triple
            if isinstance(term, rdflib.URIRef)
            and str(term).startswith(NAMESPACE)
            and str(term)[len(NAMESPACE) :] not in TERMS
        }
    )
    if unknown:
        raise ValidationInputError(f"the shapes use terms the ontology does not define: {unknown}")
    for predicate in (SH.select, SH.ask):
        for query in graph.objects(None, predicate):
            _check_shape_query(str(query))
    return graph


def _check_shape_query(text: str) -> None:
    """SHACL-SPARQL is checked like any query, and the hrg: terms it names must exist."""
    try:
        check_sparql(text, Limits())
    except QueryRejected as error:
        raise ValidationInputError(f"a SHACL-SPARQL constraint is refused: {error}") from None
    names = set()
    for kind, token in scan(text).tokens:
        if kind == "pname" and token.startswith("hrg:"):
            names.add(token.removeprefix("hrg:"))
        elif kind == "iri" and token.startswith(NAMESPACE):
            names.add(token.removeprefix(NAMESPACE))
    unknown = sorted(name for name in names if name and name not in TERMS)
    if unknown:
        raise ValidationInputError(
            f"a SHACL-SPARQL constraint uses terms the ontology does not define: "
            f"{', '.join('hrg:' + name for name in unknown)}"
        )
