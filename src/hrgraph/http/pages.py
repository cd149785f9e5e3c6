"""The site's templates and how a page is written, shared by the pages (``http.web``) and the
machine routes that also answer browsers (``http.api``: the ontology, the dataset, error pages):
the Jinja environment, :func:`render`, the page headers, the static folders, and :func:`href`,
the one way a page links to the service, under the path of ``--public-base``
(docs/architecture.md, "HTTP")."""

from __future__ import annotations

import html
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from hrgraph.rdf.vocab import PREFIXES
from hrgraph.settings import Settings
from hrgraph.validation.reportformat import met_details

STATIC_DIR = Path(__file__).parent / "web" / "static"
"""The stylesheet, the editor's script and the vendored assets, served at ``/static``."""
VENDOR_DIR = STATIC_DIR / "vendor"
"""Third-party assets ``make assets`` installs (YASGUI, Swagger UI); absent until then."""
HTML_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
    "style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
"""Pages load only this service's own code (nothing from a CDN, no inline script), are framed
by no other site and send their forms only here."""
LANGUAGES = {"en": "English", "ru": "Русский", "kk": "Қазақша"}


def root(settings: Settings) -> str:
    """The path every link of a page starts with: the path of the public base
    (``--public-base``), ``/`` without one. It ends with ``/``.

    >>> root(Settings(root=Path("."))), root(Settings(root=Path("."), public_base="https://x.org/hr"))
    ('/', '/hr/')
    """
    path = urlsplit(settings.public_base).path if settings.public_base else ""
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


def href(target: str, settings: Settings) -> str:
    """Where a link to ``target`` points: this service for the graph's own IRIs (under
    :func:`root`), else ``target`` itself if it is safe to follow (:func:`safe_url`).

    >>> settings = Settings(root=Path("."), public_base="https://x.org/hr/")
    >>> href("https://w3id.org/hrgraph/id/state/kaz", settings)
    '/hr/id/state/kaz'
    >>> href("https://w3id.org/hrgraph/ontology#Treaty", settings)
    '/hr/ontology#Treaty'
    """
    if target.startswith(settings.base_iri + "id/") or target.startswith(
        settings.base_iri + "ontology"
    ):
        local = target[len(settings.base_iri) :]
        if local.startswith("ontology#"):
            return root(settings) + "ontology#" + local.split("#", 1)[1]
        return root(settings) + local.split("#", 1)[0]
    return safe_url(target)


def safe_url(target: str) -> str:
    """``target`` if it is a web address or a local path, else nothing to follow (no
    ``javascript:`` or ``data:`` links, whatever a literal holds)."""
    lowered = target.strip().lower()
    if lowered.startswith(("http://", "https://")) or (
        target.startswith("/") and not target.startswith("//")
    ):
        return target
    return "#unsafe-link"


def short(target: str) -> str:
    """An IRI abbreviated with the usual prefixes (``hrg:Recommendation``)."""
    for prefix, namespace in PREFIXES.items():
        if target.startswith(namespace) and len(target) > len(namespace):
            return f"{prefix}:{target[len(namespace) :]}"
    return target


def _escape(value: object) -> object:
    """Escape as the rest of the service does (``html.escape``: quotes too, ``'`` as ``&#x27;``);
    autoescaping then leaves the result alone, and escapes anything a filter builds."""
    if isinstance(value, Markup):
        return value
    text = "" if value is None else str(value)
    return Markup(html.escape(text, quote=True))  # noqa: S704 - escaped here, as the docstring says


@lru_cache(maxsize=1)
def templates() -> Environment:
    """The page templates; autoescaping is on for every template, so data is always text."""
    env = Environment(
        loader=PackageLoader("hrgraph.http", "web/templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_escape,
    )
    env.filters["short"] = short
    env.filters["safe_url"] = safe_url
    env.filters["met_details"] = met_details
    return env


def render(name: str, settings: Settings, **context: Any) -> str:
    """The template ``name`` written with ``context``, the languages of labels, ``root`` (the
    path links start with) and ``href`` (a link to an IRI) of these settings."""
    return (
        templates()
        .get_template(name)
        .render(
            languages=LANGUAGES,
            root=root(settings),
            href=lambda target: href(str(target), settings),
            **context,
        )
    )
