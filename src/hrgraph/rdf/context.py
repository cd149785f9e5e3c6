"""The JSON-LD context hrgraph publishes (``context.jsonld``, served at ``/context.jsonld``) and
the prefixes it declares, which every Turtle hrgraph writes uses (``hrgraph export``, the
importers' ``--output``; docs/architecture.md)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from importlib import resources
from typing import Any


def published_context() -> dict[str, Any]:
    """The JSON-LD context hrgraph publishes (its ``@context`` member's value)."""
    text = resources.files("hrgraph").joinpath("context.jsonld").read_text(encoding="utf-8")
    context: dict[str, Any] = json.loads(text)["@context"]
    return context


def published_prefixes() -> dict[str, str]:
    """The prefixes of the published context: each term whose value is an IRI string."""
    return {k: v for k, v in published_context().items() if isinstance(v, str) and k != "@version"}


def compactor(prefixes: Mapping[str, str]) -> Callable[[str], str]:
    """A function writing an IRI as ``prefix:local`` with the longest namespace of ``prefixes``
    it extends, or as it is (JSON-LD compact IRIs).

    >>> compactor({"id": "https://w3id.org/hrgraph/id/"})("https://w3id.org/hrgraph/id/state/kaz")
    'id:state/kaz'
    """
    known = sorted(prefixes.items(), key=lambda item: -len(item[1]))

    def compact(iri: str) -> str:
        for prefix, namespace in known:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace) :]}"
        return iri

    return compact
