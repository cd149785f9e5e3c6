"""SHACL validation of a national framework as it stood on a date, and the report model a lawyer
reads (W3C SHACL, section 3.6: validation reports).

The data is built as for ``hrgraph build`` (so derived treaty bindings exist), cut to what held on
the date (acts and provisions in force, features and bindings valid, nothing dated later), and
handed to pySHACL as an in-memory rdflib graph with imports off. Each result is joined to the
requirement or treaty article its shape cites (``hrg:enforces``) and to the sources of the facts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import rdflib
from rdflib.namespace import RDF, RDFS, SH

from hrgraph.build import BuildError, Source, build_in_memory, discover_sources, sources_for_files
from hrgraph.namespaces import NAMESPACE, TERMS
from hrgraph.querycheck import QueryRejected, check_sparql, scan
from hrgraph.settings import Limits, Settings
from hrgraph.store import GraphStore
from hrgraph.vocab import BUILD_GRAPH, ID

HRG = rdflib.Namespace(NAMESPACE)
SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


class ValidationInputError(ValueError):
    """Data or shapes cannot be used; the message names the file and, where known, the line."""


class ValidatorFailure(RuntimeError):
    """The validator itself failed: never a finding about the data."""


@dataclass(frozen=True)
class SourceRef:
    iri: str
    label: str
    url: str | None


@dataclass(frozen=True)
class Fact:
    """A resource a finding rests on, with how sure the data is of it and where it comes from."""

    iri: str
    label: str
    confidence: str | None
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True)
class Finding:
    focus: str
    focus_label: str
    shape: str
    severity: str
    message: str
    requirement: str | None
    requirement_label: str | None
    path: str | None
    value: str | None
    group_kind: str
    """``institution``, ``act``, ``treaty article`` or ``other``: what the finding is about."""
    group: str
    """The label of the institution, act or article the finding belongs to."""
    facts: tuple[Fact, ...]


@dataclass
class ValidationReport:
    conforms: bool
    as_of: date
    findings: list[Finding] = field(default_factory=list)
    shapes: list[str] = field(default_factory=list)
    data: list[str] = field(default_factory=list)
    results_graph: rdflib.Graph = field(default_factory=rdflib.Graph)

    def counts(self) -> dict[str, int]:
        counts = {"Violation": 0, "Warning": 0, "Info": 0}
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts


def default_shape_files(settings: Settings) -> list[Path]:
    """The legal-standard shapes: ``shapes/*.ttl`` (not the ontology or integrity shapes)."""
    return sorted(settings.shapes_dir.glob("*.ttl"))


def validate(
    settings: Settings,
    *,
    as_of: date | None = None,
    data_files: Sequence[Path] | None = None,
    shape_files: Sequence[Path] | None = None,
) -> ValidationReport:
    """Validate the bundled data (or ``data_files``) against the shapes as of a date (today)."""
    day = as_of or date.today()
    shape_paths = list(shape_files) if shape_files is not None else default_shape_files(settings)
    if not shape_paths:
        raise ValidationInputError(f"no shapes to validate with in {settings.shapes_dir}")
    shapes = load_shapes(shape_paths)
    try:
        sources = (
            sources_for_files(settings, list(data_files))
            if data_files
            else discover_sources(settings)
        )
        _, store = build_in_memory(sources)
    except BuildError as error:
        raise ValidationInputError(str(error)) from None
    data = snapshot(store, day)
    report = run_shapes(data, shapes, day)
    report.shapes = [_display(path, settings.root) for path in shape_paths]
    report.data = [source.relative for source in sources]
    return report


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


def snapshot(store: GraphStore, day: date) -> rdflib.Graph:
    """The data as it stood on ``day``, as an rdflib graph: resources whose validity or in-force
    interval excludes the day, acts adopted after the day, provisions of acts left out, and
    resources dated after the day are left out (with every statement they are the subject
    of)."""
    literal = f'"{day.isoformat()}"^^<http://www.w3.org/2001/XMLSchema#date>'
    excluded_rows = store.query(
        f"""PREFIX hrg: <{NAMESPACE}>
        SELECT DISTINCT ?x WHERE {{
          {{ ?x hrg:validFrom ?from FILTER (?from > {literal}) }}
          UNION {{ ?x hrg:validUntil ?until FILTER (?until <= {literal}) }}
          UNION {{ ?x hrg:inForceFrom ?from FILTER (?from > {literal}) }}
          UNION {{ ?x hrg:inForceUntil ?until FILTER (?until <= {literal}) }}
          UNION {{ ?x hrg:adoptionDate ?d FILTER (STR(?d) > STR({literal})
                                               && DATATYPE(?d) = xsd:date) }}
          UNION {{ ?x hrg:adoptionDate ?d FILTER (DATATYPE(?d) != xsd:date
                                  && STR(?d) > SUBSTR(STR({literal}), 1, STRLEN(STR(?d)))) }}
          UNION {{ ?x hrg:date ?d FILTER (STR(?d) > STR({literal}) && DATATYPE(?d) = xsd:date) }}
          UNION {{ ?x hrg:date ?d FILTER (DATATYPE(?d) != xsd:date
                                       && STR(?d) > SUBSTR(STR({literal}), 1, STRLEN(STR(?d)))) }}
        }}""".replace("xsd:date", "<http://www.w3.org/2001/XMLSchema#date>")
    )
    assert isinstance(excluded_rows, ox.QuerySolutions)
    excluded = {row["x"] for row in excluded_rows}
    if excluded:
        # Provisions of an act (or of a provision) that is left out go with it.
        parts = store.query(
            f"""PREFIX hrg: <{NAMESPACE}>
            SELECT DISTINCT ?whole ?part WHERE {{ ?whole hrg:hasProvision+ ?part }}"""
        )
        assert isinstance(parts, ox.QuerySolutions)
        excluded |= {row["part"] for row in parts if row["whole"] in excluded}
    graph = rdflib.Graph()
    quads = store.query(
        "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
        default_graphs=[],
    )
    assert isinstance(quads, ox.QuerySolutions)
    for row in quads:
        if row["g"] == BUILD_GRAPH or row["s"] in excluded:
            continue
        graph.add((_to_rdflib(row["s"]), _to_rdflib(row["p"]), _to_rdflib(row["o"])))
    return graph


def _to_rdflib(term: object) -> rdflib.term.Identifier:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise ValidatorFailure(f"unsupported term in the data: {term!r}")


def run_shapes(data: rdflib.Graph, shapes: rdflib.Graph, day: date) -> ValidationReport:
    try:
        conforms, results, _text = pyshacl.validate(
            data,
            shacl_graph=shapes,
            inference="none",
            advanced=True,
            allow_warnings=False,
            allow_infos=False,
            do_owl_imports=False,
        )
    except Exception as error:
        raise ValidatorFailure(f"the SHACL validator failed: {error}") from error
    if not isinstance(results, rdflib.Graph):
        raise ValidatorFailure(f"the SHACL validator returned no report: {results!r}"[:500])
    findings = [
        _finding(data, shapes, results, result) for result in results.objects(None, SH.result)
    ]
    findings.sort(
        key=lambda f: (
            f.group_kind,
            f.group,
            f.severity,
            f.requirement_label or "",
            f.focus_label,
            f.message,
        )
    )
    return ValidationReport(bool(conforms), day, findings, results_graph=results)


def _finding(
    data: rdflib.Graph, shapes: rdflib.Graph, results: rdflib.Graph, result: rdflib.term.Node
) -> Finding:
    focus = results.value(result, SH.focusNode)
    shape = results.value(result, SH.sourceShape)
    constraint = results.value(result, SH.sourceConstraint)
    requirement = _cited(shapes, constraint) or _cited(shapes, shape)
    value = results.value(result, SH.value)
    path = results.value(result, SH.resultPath)
    severity_node = results.value(result, SH.resultSeverity)
    severity = (
        SEVERITIES.get(severity_node, "Violation")
        if isinstance(severity_node, rdflib.URIRef)
        else "Violation"
    )
    message = str(results.value(result, SH.resultMessage) or "does not conform")
    group_kind, group = _group(data, focus, requirement)
    if focus is None:
        raise ValidatorFailure("a validation result without a focus node")
    facts = [_fact(data, focus)]
    if isinstance(value, rdflib.URIRef) and str(value).startswith(ID) and value != focus:
        facts.append(_fact(data, value))
    return Finding(
        focus=str(focus),
        focus_label=_label(data, focus),
        shape=str(shape),
        severity=severity,
        message=message,
        requirement=str(requirement) if requirement else None,
        requirement_label=_requirement_label(data, shapes, requirement),
        path=str(path) if path is not None else None,
        value=str(value) if value is not None else None,
        group_kind=group_kind,
        group=group,
        facts=tuple(facts),
    )


def _cited(shapes: rdflib.Graph, node: rdflib.term.Node | None) -> rdflib.term.Node | None:
    """The requirement a constraint cites: on the constraint, its shape, or the node shape
    that holds the property shape."""
    if node is None:
        return None
    cited = shapes.value(node, HRG.enforces)
    if cited is not None:
        return cited
    for holder in shapes.subjects(SH.property, node):
        cited = shapes.value(holder, HRG.enforces)
        if cited is not None:
            return cited
    for holder in shapes.subjects(SH.sparql, node):
        cited = shapes.value(holder, HRG.enforces)
        if cited is not None:
            return cited
    return None


def _requirement_label(
    data: rdflib.Graph, shapes: rdflib.Graph, requirement: rdflib.term.Node | None
) -> str | None:
    if requirement is None:
        return None
    code = data.value(requirement, HRG.requirementCode) or shapes.value(
        requirement, HRG.requirementCode
    )
    label = (
        _label(data, requirement)
        if (requirement, None, None) in data
        else _label(shapes, requirement)
    )
    return f"{code} — {label}" if code else label


def _group(
    data: rdflib.Graph, focus: rdflib.term.Node | None, requirement: rdflib.term.Node | None
) -> tuple[str, str]:
    if focus is None:
        return "other", ""
    owner = data.value(None, HRG.hasFeature, focus)
    if owner is not None:
        return "institution", _label(data, owner)
    types = set(data.objects(focus, RDF.type))
    if HRG.Institution in types:
        return "institution", _label(data, focus)
    if HRG.LegalAct in types:
        return "act", _label(data, focus)
    if HRG.DomesticProvision in types:
        act = focus
        while (parent := data.value(None, HRG.hasProvision, act)) is not None:
            act = parent
        return "act", _label(data, act)
    if requirement is not None and (requirement, RDF.type, HRG.TreatyProvision) in data:
        return "treaty article", _label(data, requirement)
    return "other", _label(data, focus)


def _fact(data: rdflib.Graph, node: rdflib.term.Node) -> Fact:
    confidence = data.value(node, HRG.confidence)
    sources = []
    for source in sorted(data.objects(node, HRG.source), key=str):
        url = data.value(source, HRG.url)
        sources.append(SourceRef(str(source), _label(data, source), str(url) if url else None))
    return Fact(
        iri=str(node),
        label=_label(data, node),
        confidence=_label(data, confidence) if confidence is not None else None,
        sources=tuple(sources),
    )


def _label(graph: rdflib.Graph, node: rdflib.term.Node | None) -> str:
    if node is None:
        return ""
    labels = list(graph.objects(node, RDFS.label))
    english = [label for label in labels if getattr(label, "language", None) == "en"]
    chosen = english or labels
    if chosen:
        return str(chosen[0])
    text = str(node)
    return text[len(ID) :] if text.startswith(ID) else text


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


__all__ = [
    "Fact",
    "Finding",
    "Source",
    "SourceRef",
    "ValidationInputError",
    "ValidationReport",
    "ValidatorFailure",
    "default_shape_files",
    "load_shapes",
    "snapshot",
    "validate",
]
