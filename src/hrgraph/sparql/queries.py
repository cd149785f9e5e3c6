"""Named queries: one question per ``queries/*.rq`` file with a grlc-style header.

The header is the leading block of ``#+`` comment lines, read as YAML (grlc's decorators:
``summary``, ``description``, ``tags``, ``defaults``, ``enumerate``, ``method``...). Parameters
follow grlc's (BASIL's) variable convention: ``?_name`` is a required parameter, ``?__name`` an
optional one; a suffix gives its type: ``_iri``, ``_integer``, a language tag (``_en``) or
``_prefix_datatype`` (``?_date_xsd_date``).

Values are checked against their type and bound as RDF terms in a ``VALUES`` block opening the
WHERE clause, the standard SPARQL 1.1 way to pre-bind variables, which any SPARQL store
understands, and also written into the patterns where that gives the same answers
(:mod:`hrgraph.sparql.inlining`), so that the store plans from them. The terms are written by the
RDF library's serialiser, so a value can never change the query's structure. A parameter used
only inside a sub-SELECT must be projected by it to be bound there.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import yaml

from hrgraph.errors import BadInput
from hrgraph.rdf.vocab import XSD
from hrgraph.sparql.inlining import inline
from hrgraph.sparql.querycheck import scan, where_clause_start

HEADER_KEYS = frozenset(
    {
        "summary",
        "description",
        "tags",
        "defaults",
        "enumerate",
        "method",
        "endpoint",
        "pagination",
        "endpoint_in_url",
        "transform",
    }
)
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]+$")
_PREFIX_DECLARATION = re.compile(r"PREFIX\s+([A-Za-z][\w\-.]*)?:\s*<([^>]*)>", re.IGNORECASE)


class QueryFileError(BadInput, ValueError):
    """A named query file is malformed; the message names the file and line."""


class ParameterError(BadInput, ValueError):
    """A parameter value is missing, unknown or not of the declared type."""


@dataclass(frozen=True)
class Parameter:
    """A query parameter declared by a ``?_name...`` variable."""

    name: str
    variable: str
    required: bool
    kind: str
    """``iri``, ``string``, ``language`` or ``typed``."""
    datatype: str | None = None
    language: str | None = None

    @property
    def type_label(self) -> str:
        if self.kind == "typed" and self.datatype:
            if self.datatype.startswith(XSD):
                return "xsd:" + self.datatype.removeprefix(XSD)
            return self.datatype
        return {"iri": "IRI", "string": "string"}.get(self.kind, f"string@{self.language}")

    def bind(self, raw: str) -> ox.NamedNode | ox.Literal:
        """The RDF term for a value given as text; raises :class:`ParameterError`."""
        if self.kind == "iri":
            if not _IRI.match(raw):
                raise ParameterError(
                    f"parameter {self.name!r} must be an absolute IRI, got {raw!r}"
                )
            return ox.NamedNode(raw)
        if self.kind == "language":
            return ox.Literal(raw, language=self.language)
        if self.kind == "typed" and self.datatype:
            _check_lexical(self.name, raw, self.datatype)
            return ox.Literal(raw, datatype=ox.NamedNode(self.datatype))
        return ox.Literal(raw)


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    text: str
    summary: str
    description: str = ""
    tags: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    defaults: Mapping[str, str] = field(default_factory=dict)
    enumerate: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def bind(self, values: Mapping[str, str]) -> str:
        r"""The query text with the given parameters bound; raises :class:`ParameterError`.

        >>> from pathlib import Path
        >>> query = NamedQuery("q", Path("q.rq"), "SELECT ?x WHERE { ?x ?p ?_v }", "summary",
        ...                    parameters=(Parameter("v", "_v", True, "string"),))
        >>> query.bind({"v": 'a" } DROP ALL #'})
        'SELECT ?x WHERE { VALUES (?_v) { ("a\\" } DROP ALL #") } ?x ?p ?_v }'
        """
        terms = self.substitutions(values)
        if not terms:
            return self.text
        variables = " ".join(f"?{variable.value}" for variable in terms)
        row = " ".join(str(term) for term in terms.values())
        position = where_clause_start(self.text)
        text = inline(self.text, position, terms)
        block = f" VALUES ({variables}) {{ ({row}) }}"
        return text[:position] + block + text[position:]

    def substitutions(
        self, values: Mapping[str, str]
    ) -> dict[ox.Variable, ox.NamedNode | ox.Literal]:
        """Terms for the given parameter values (defaults filled in); raises ParameterError."""
        known = {parameter.name: parameter for parameter in self.parameters}
        unknown = sorted(set(values) - set(known))
        if unknown:
            accepted = ", ".join(sorted(known)) or "none"
            raise ParameterError(
                f"query {self.name!r} has no parameter {unknown[0]!r} (it takes: {accepted})"
            )
        bound: dict[ox.Variable, ox.NamedNode | ox.Literal] = {}
        for parameter in self.parameters:
            raw = values.get(parameter.name, self.defaults.get(parameter.name))
            if raw is None:
                if parameter.required:
                    raise ParameterError(
                        f"query {self.name!r} needs parameter {parameter.name!r} "
                        f"({parameter.type_label})"
                    )
                continue
            allowed = self.enumerate.get(parameter.name)
            if allowed and raw not in allowed:
                raise ParameterError(
                    f"parameter {parameter.name!r} must be one of {', '.join(allowed)}; got {raw!r}"
                )
            bound[ox.Variable(parameter.variable)] = parameter.bind(raw)
        return bound


def load_query(path: Path) -> NamedQuery:
    """Read one ``.rq`` file; raises :class:`QueryFileError` naming the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise QueryFileError(f"{path}: cannot be read: {error}") from None
    header_lines: list[str] = []
    for line in text.splitlines():
        if not line.startswith("#+"):
            break
        header_lines.append(line[2:].removeprefix(" "))
    if not header_lines:
        raise QueryFileError(f"{path}:1: no grlc header: start the file with '#+ summary: ...'")
    try:
        header = yaml.safe_load("\n".join(header_lines)) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line_number = mark.line + 1 if mark is not None else 1
        problem = getattr(error, "problem", None) or str(error)
        raise QueryFileError(f"{path}:{line_number}: malformed header: {problem}") from None
    if not isinstance(header, dict):
        raise QueryFileError(f"{path}:1: the header must be 'key: value' lines")
    unknown = sorted(set(header) - HEADER_KEYS)
    if unknown:
        raise QueryFileError(f"{path}: unknown header key {unknown[0]!r}")
    if not isinstance(header.get("summary"), str) or not header["summary"].strip():
        raise QueryFileError(f"{path}:1: the header needs a 'summary'")
    return NamedQuery(
        name=path.stem,
        path=path,
        text=text,
        summary=header["summary"].strip(),
        description=str(header.get("description") or "").strip(),
        tags=tuple(str(tag) for tag in _as_list(header.get("tags"))),
        parameters=_parameters(path, text),
        defaults=_mapping(path, "defaults", header.get("defaults")),
        enumerate={
            key: tuple(str(v) for v in _as_list(values))
            for key, values in _raw_mapping(path, "enumerate", header.get("enumerate")).items()
        },
    )


def load_queries(folder: Path) -> dict[str, NamedQuery]:
    """Every ``*.rq`` file in ``folder`` by name."""
    return {path.stem: load_query(path) for path in sorted(folder.glob("*.rq"))}


def _parameters(path: Path, text: str) -> tuple[Parameter, ...]:
    prefixes = {"xsd": XSD}
    prefixes.update({p or "": iri for p, iri in _PREFIX_DECLARATION.findall(text)})
    found: dict[str, Parameter] = {}
    for kind, variable in scan(text).tokens:
        if kind != "var" or not variable.startswith("_") or variable in found:
            continue
        required = not variable.startswith("__")
        name, *suffix = variable.lstrip("_").split("_")
        if not name:
            raise QueryFileError(f"{path}: variable ?{variable} has no parameter name")
        parameter = _parameter(path, variable, name, suffix, required, prefixes)
        for other in found.values():
            if other.name == name and other != parameter:
                raise QueryFileError(f"{path}: parameter {name!r} is declared with two types")
        found[variable] = parameter
    unique = {parameter.name: parameter for parameter in found.values()}
    return tuple(unique.values())


def _parameter(
    path: Path,
    variable: str,
    name: str,
    suffix: list[str],
    required: bool,
    prefixes: Mapping[str, str],
) -> Parameter:
    if not suffix:
        return Parameter(name, variable, required, "string")
    if suffix == ["iri"]:
        return Parameter(name, variable, required, "iri")
    if suffix == ["integer"]:
        return Parameter(name, variable, required, "typed", datatype=XSD + "integer")
    if len(suffix) == 1 and _LANGUAGE.match(suffix[0]):
        return Parameter(name, variable, required, "language", language=suffix[0])
    if len(suffix) == 2 and suffix[0] in prefixes:
        return Parameter(
            name, variable, required, "typed", datatype=prefixes[suffix[0]] + suffix[1]
        )
    raise QueryFileError(f"{path}: cannot read the type of parameter variable ?{variable}")


def _check_lexical(name: str, raw: str, datatype: str) -> None:
    local = datatype.removeprefix(XSD)
    try:
        if local == "date":
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
                raise ValueError
            date.fromisoformat(raw)
        elif local == "integer":
            if not re.fullmatch(r"[+-]?\d+", raw):
                raise ValueError
        elif local == "decimal":
            if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", raw):
                raise ValueError
        elif local == "boolean":
            if raw not in {"true", "false", "1", "0"}:
                raise ValueError
        elif local == "gYear" and not re.fullmatch(r"-?\d{4,}", raw):
            raise ValueError
    except ValueError:
        expected = {"date": "a date YYYY-MM-DD"}.get(local, f"an xsd:{local} value")
        raise ParameterError(f"parameter {name!r} must be {expected}, got {raw!r}") from None


def _as_list(value: object) -> list[object]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _raw_mapping(path: Path, key: str, value: object) -> dict[str, object]:
    """grlc writes ``defaults``/``enumerate`` as a list of one-key mappings."""
    result: dict[str, object] = {}
    for item in _as_list(value):
        if not isinstance(item, dict):
            raise QueryFileError(f"{path}: '{key}' must be a list of 'name: value' entries")
        result.update({str(k): v for k, v in item.items()})
    return result


def _mapping(path: Path, key: str, value: object) -> dict[str, str]:
    return {k: str(v) for k, v in _raw_mapping(path, key, value).items()}
