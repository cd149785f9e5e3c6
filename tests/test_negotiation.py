"""Content negotiation with q-values and wildcards."""

from __future__ import annotations

import pytest

from hrgraph.rdf.negotiation import choose

OFFERS = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv"]


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, "application/sparql-results+json"),
        ("", "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("text/csv", "text/csv"),
        ("text/*", "text/csv"),
        ("application/*;q=0.2, text/csv;q=0.3", "text/csv"),
        ("*/*;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv;q=0, */*", "application/sparql-results+json"),
        ("TEXT/CSV", "text/csv"),
        ("text/csv;q=oops, application/sparql-results+xml;q=0.1", "application/sparql-results+xml"),
        ("image/png", None),
        ("text/csv;q=0", None),
    ],
)
def test_choose(accept: str | None, chosen: str | None) -> None:
    assert choose(accept, OFFERS) == chosen
