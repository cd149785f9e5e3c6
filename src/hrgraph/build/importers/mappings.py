"""The mappings importers read from ``data/mappings/``: State names to ISO codes
(``states.csv``) and theme or issue names to concepts and rights (``themes.ttl``)."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from hrgraph.build.importers.common import ImportFailed, RowError, text
from hrgraph.rdf.vocab import SKOS


def _name_key(name: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9()]+", " ", ascii_text.casefold()).strip()


class StateIndex:
    """State names (and aliases) to ISO 3166-1 alpha-3 codes, from ``data/mappings/states.csv``."""

    def __init__(self, codes: Mapping[str, str]) -> None:
        self._codes = {_name_key(name): code.upper() for name, code in codes.items()}
        self._known = set(self._codes.values())

    @classmethod
    def load(cls, path: Path) -> StateIndex:
        return cls(_read_mapping_csv(path, "name", "iso3"))

    def code(self, name: str) -> str:
        """The alpha-3 code of a State named or coded ``name``; :class:`RowError` if unknown."""
        cleaned = re.sub(r"[\d,*]+$", "", text(name)).strip()  # footnote markers
        if re.fullmatch(r"[A-Za-z]{3}", cleaned) and cleaned.upper() in self._known:
            return cleaned.upper()
        code = self._codes.get(_name_key(cleaned))
        if code is None:
            raise RowError(
                f"unknown State {cleaned!r} (add it to data/mappings/states.csv with its ISO code)"
            )
        return code


def _read_mapping_csv(path: Path, key: str, value: str) -> dict[str, str]:
    try:
        lines = [
            line
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        ]
    except OSError as error:
        raise ImportFailed(f"the mapping {path.name} cannot be read: {error.strerror}") from None
    rows = list(csv.DictReader(lines))
    if not rows or key not in rows[0] or value not in rows[0]:
        raise ImportFailed(f"the mapping {path.name} needs the columns {key!r} and {value!r}")
    return {row[key].strip(): row[value].strip() for row in rows if row[key] and row[value]}


@dataclass(frozen=True)
class Theme:
    concept: ox.NamedNode
    label: str
    rights: tuple[ox.NamedNode, ...]


class ThemeMapping:
    """Theme and issue names (any label, case-insensitive) to their concept and mapped rights,
    from ``data/mappings/themes.ttl``."""

    MATCHES = ("exactMatch", "closeMatch", "broadMatch")

    def __init__(self, themes: Mapping[str, Theme]) -> None:
        self._themes = dict(themes)

    @classmethod
    def load(cls, path: Path) -> ThemeMapping:
        try:
            quads = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
        except (OSError, SyntaxError) as error:
            raise ImportFailed(f"the mapping {path.name} cannot be read: {error}") from None
        labels: dict[ox.NamedNode, list[str]] = {}
        preferred: dict[ox.NamedNode, str] = {}
        rights: dict[ox.NamedNode, list[ox.NamedNode]] = {}
        label_properties = {SKOS + name for name in ("prefLabel", "altLabel", "hiddenLabel")}
        match_properties = {SKOS + name for name in cls.MATCHES}
        for quad in quads:
            subject, predicate, value = quad.subject, quad.predicate.value, quad.object
            if not isinstance(subject, ox.NamedNode):
                continue
            if predicate in label_properties and isinstance(value, ox.Literal):
                labels.setdefault(subject, []).append(value.value)
                if predicate.endswith("prefLabel"):
                    preferred[subject] = value.value
            elif predicate in match_properties and isinstance(value, ox.NamedNode):
                rights.setdefault(subject, []).append(value)
        themes: dict[str, Theme] = {}
        for concept, names in labels.items():
            theme = Theme(
                concept,
                preferred.get(concept, names[0]),
                tuple(sorted(rights.get(concept, []), key=lambda n: n.value)),
            )
            scheme = "upr-info" if "/theme/upr-info/" in concept.value else "uhri"
            for name in names:
                themes[_theme_key(scheme, name)] = theme
        return cls(themes)

    def find(self, scheme: str, name: str) -> Theme | None:
        """The theme of ``scheme`` (``uhri`` or ``upr-info``) with this label, if mapped."""
        return self._themes.get(_theme_key(scheme, name))


def _theme_key(scheme: str, name: str) -> str:
    return scheme + ":" + _name_key(name.replace("&", "and"))
