"""Parsing RDF that a user uploads (e.g. data to validate), safely (docs/architecture.md, security
invariants): capped in size, accepted only in formats without DTDs (Turtle, N-Triples, JSON-LD
with inline contexts), never reading a URL or a local file.

RDF/XML is refused because its DTDs allow entity expansion without bound and external entities
(URLs, ``file:`` paths); a body holding a DTD is refused whatever its declared type. JSON-LD is
parsed by Oxigraph with no document loader, so a remote ``@context`` or ``@import`` fails instead
of being fetched.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from hrgraph.errors import BadInput

ACCEPTED_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
"""Upload media types and the syntax each is parsed as."""
REFUSED_TYPES: dict[str, str] = {
    "application/rdf+xml": "RDF/XML",
    "application/xml": "XML",
    "text/xml": "XML",
    "application/trix": "TriX",
}
"""Media types refused on principle (DTDs and entities), with a name for the message."""
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class UploadRefused(BadInput, ValueError):
    """An upload that is not parsed, or does not parse; ``status`` is the HTTP status (400
    malformed, 413 too large, 415 a refused format)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message, status=status)


def parse_upload(body: bytes, media_type: str, max_bytes: int) -> list[ox.Triple]:
    """The triples of an uploaded RDF document (named graphs in JSON-LD are merged).

    >>> len(parse_upload(b'<http://example.org/s> <http://example.org/p> "o" .',
    ...                  "application/n-triples; charset=utf-8", 1000))
    1
    >>> parse_upload(b'<rdf:RDF/>', "application/rdf+xml", 1000)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    hrgraph.rdf.uploads.UploadRefused: RDF/XML uploads are refused: ...
    """
    if len(body) > max_bytes:
        raise UploadRefused(
            f"the upload is {len(body)} bytes; the most accepted is {max_bytes}", status=413
        )
    essence = media_type.split(";", 1)[0].strip().lower()
    if essence in REFUSED_TYPES:
        raise UploadRefused(
            f"{REFUSED_TYPES[essence]} uploads are refused: their DTDs can expand entities without "
            "bound and read URLs or local files; send Turtle, N-Triples or JSON-LD",
            status=415,
        )
    rdf_format = ACCEPTED_TYPES.get(essence)
    if rdf_format is None:
        raise UploadRefused(
            f"uploads in {essence or 'an unnamed type'} are not accepted; "
            f"send one of {', '.join(ACCEPTED_TYPES)}",
            status=415,
        )
    if _DTD.search(body):
        raise UploadRefused(
            "the upload holds a DTD (<!DOCTYPE or <!ENTITY); documents with DTDs are refused "
            "because they can expand entities without bound and read URLs or local files",
            status=415,
        )
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UploadRefused(f"the upload is not UTF-8 (byte {error.start})") from None
    try:
        quads = ox.parse(body, format=rdf_format)
        return [ox.Triple(quad.subject, quad.predicate, quad.object) for quad in quads]
    except SyntaxError as error:
        raise UploadRefused(f"the upload does not parse as {essence}: {_describe(error)}") from None


def _describe(error: SyntaxError) -> str:
    message = str(error.msg or error)
    if "LoadDocumentCallback" in message:
        return (
            "it names a remote JSON-LD context (@context or @import with a URL); this service "
            "fetches nothing: put the context inline"
        )
    return message
