"""HTTP content negotiation (RFC 9110 section 12.5.1): pick the best offered media type for an
``Accept`` header, honouring q-values and wildcards. Among offers with the same q-value, one the
client names explicitly beats one matched by a wildcard; remaining ties go to the server's order.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass


@dataclass(frozen=True)
class _Range:
    kind: str
    subtype: str
    q: float
    specificity: int

    def matches(self, media_type: str) -> bool:
        kind, _, subtype = media_type.partition("/")
        return (self.kind in {"*", kind}) and (self.subtype in {"*", subtype})


def parse_accept(header: str) -> list[_Range]:
    ranges: list[_Range] = []
    for part in header.split(","):
        fields = [field.strip() for field in part.split(";")]
        media, params = fields[0].lower(), fields[1:]
        if "/" not in media:
            continue
        kind, _, subtype = media.partition("/")
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        specificity = (kind != "*") + (subtype != "*")
        ranges.append(_Range(kind, subtype, q, specificity))
    return ranges


def choose(accept: str | None, offers: list[str]) -> str | None:
    """The offer to answer with, or ``None`` if the client accepts none of them.

    >>> choose("text/csv;q=0.5, application/sparql-results+json", ["text/tab-separated-values",
    ...        "application/sparql-results+json", "text/csv"])
    'application/sparql-results+json'
    >>> choose(None, ["application/sparql-results+json", "text/csv"])
    'application/sparql-results+json'
    >>> choose("image/png", ["text/csv"]) is None
    True
    """
    if not accept or not accept.strip():
        return offers[0] if offers else None
    return _choose(accept, tuple(offers))


@functools.lru_cache(maxsize=256)
def _choose(accept: str, offers: tuple[str, ...]) -> str | None:
    """:func:`choose` for a header and offers seen recently: a client sends the same ``Accept``
    with every request, and a service offers a few fixed lists."""
    ranges = parse_accept(accept)
    best: tuple[float, int, int] | None = None
    chosen: str | None = None
    for preference, offer in enumerate(offers):
        matching = [r for r in ranges if r.matches(offer)]
        if not matching:
            continue
        most_specific = max(matching, key=lambda r: r.specificity)
        if most_specific.q <= 0:
            continue
        score = (most_specific.q, most_specific.specificity, -preference)
        if best is None or score > best:
            best, chosen = score, offer
    return chosen
