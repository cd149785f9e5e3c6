"""SHACL-SPARQL shapes compiled to run as SPARQL on the Oxigraph store (W3C SHACL, section 5:
SPARQL-based constraints; SHACL Advanced Features, section 4: SPARQL-based targets); they are run
by :mod:`hrgraph.validation.shaclrun` (docs/architecture.md, "Decisions that were measured").

hrgraph's legal shapes are SPARQL targets and SPARQL constraints. Handing them to pySHACL means
copying the whole dataset into an rdflib graph and evaluating every query in Python; here the
same queries run on the store itself. :func:`compile_shapes` accepts a shapes graph only when
every shape uses what these modules implement exactly as pySHACL does, and raises
:class:`NotCompilable` (naming what they do not implement) otherwise, so the caller
falls back to pySHACL. What is implemented:

- node shapes with ``sh:targetNode``, ``sh:targetClass`` (instances of the class or of its
  subclasses, ``rdf:type/rdfs:subClassOf*``), ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``
  and ``sh:target`` of type ``sh:SPARQLTarget`` (a ``sh:select`` giving ``?this``);
- ``sh:sparql`` constraints with ``sh:select``, ``sh:prefixes`` (``sh:declare``),
  ``sh:message``, ``sh:deactivated``; ``sh:severity`` and ``sh:message`` on the shape;
- pre-binding of ``$this`` (:mod:`hrgraph.validation.shaclrun`); ``$currentShape``,
  ``$shapesGraph`` and ``$PATH`` are refused.

The data is the store's default graph; the caller decides what that is (for a built store: the
union of its named graphs, see :mod:`hrgraph.validation.validate`). A triple held in two named
graphs is seen twice by a union default graph; that changes no result here (targets are sets and
identical solutions are merged) except through aggregates or LIMIT/OFFSET, so
:attr:`CompiledShapes.needs_set_semantics` tells the caller when it must merge duplicates
first.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, SH, XSD
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Variable

from hrgraph.sparql.querycheck import Scan
from hrgraph.sparql.querycheck import scan as _scan_uncached

scan: Callable[[str], Scan] = functools.lru_cache(maxsize=2048)(_scan_uncached)
""":func:`hrgraph.sparql.querycheck.scan`, remembered per text (its result is immutable): a shape's
query is read when the shapes are loaded, compiled and first run, for every validation."""

Query = Callable[
    [str, dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal]], ox.QuerySolutions
]
"""Runs a SELECT on the data with the given substitutions (pre-bound variables)."""

SUPPORTED = {
    SH.declare,
    SH.prefix,
    SH.namespace,
    SH.prefixes,
    SH.select,
    SH.message,
    SH.severity,
    SH.deactivated,
    SH.target,
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.sparql,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
}
"""The SHACL predicates this module implements; a shapes graph using any other falls back."""
SUPPORTED_TYPES = {
    SH.NodeShape,
    SH.SPARQLConstraint,
    SH.SPARQLTarget,
    SH.PropertyGroup,
}
SET_SENSITIVE = {"COUNT", "SUM", "AVG", "GROUP_CONCAT", "SAMPLE", "LIMIT", "OFFSET"}
"""Keywords whose result changes when a triple is seen twice (see the module)."""
PRE_BOUND_REFUSED = {"shapesGraph", "currentShape", "PATH"}
"""Pre-bound variables this module does not provide (``$PATH`` exists only in property shapes,
which fall back to pySHACL; in a node shape ``?value`` is an ordinary variable)."""
THIS = ox.Variable("this")


class NotCompilable(Exception):
    """The shapes use a SHACL feature this module does not run; validate with pySHACL."""


@dataclass(frozen=True)
class Constraint:
    node: rdflib.term.Node
    query: str
    messages: tuple[rdflib.Literal, ...]


@dataclass(frozen=True)
class Shape:
    node: rdflib.term.Node
    severity: rdflib.term.Node
    messages: tuple[rdflib.Literal, ...]
    target_queries: tuple[str, ...]
    constraints: tuple[Constraint, ...]


@dataclass(frozen=True)
class CompiledShapes:
    shapes: tuple[Shape, ...]
    needs_set_semantics: bool
    """Whether some query's results change when the data holds a triple twice."""


@dataclass
class Result:
    shape: Shape
    constraint: Constraint
    focus: rdflib.term.Node
    value: rdflib.term.Node | None
    path: rdflib.term.Node | None
    messages: list[rdflib.Literal] = field(default_factory=list)


def compile_shapes(shapes: rdflib.Graph) -> CompiledShapes:
    """The shapes as SPARQL, or :class:`NotCompilable` naming what this module cannot run."""
    unsupported = {
        p for p in shapes.predicates() if isinstance(p, rdflib.URIRef) and p.startswith(str(SH))
    } - SUPPORTED
    unsupported |= {
        o
        for o in shapes.objects(None, RDF.type)
        if isinstance(o, rdflib.URIRef) and o.startswith(str(SH))
    } - (SUPPORTED_TYPES | {SH.Shape})
    if unsupported:
        raise NotCompilable(", ".join(sorted(f"sh:{term[len(str(SH)) :]}" for term in unsupported)))
    nodes = set(shapes.subjects(RDF.type, SH.NodeShape))
    for predicate in (
        SH.targetClass,
        SH.targetNode,
        SH.targetSubjectsOf,
        SH.targetObjectsOf,
        SH.target,
        SH.sparql,
    ):
        nodes |= set(shapes.subjects(predicate, None))
    compiled = []
    sensitive = False
    for node in sorted(nodes, key=str):
        if (node, RDF.type, rdflib.RDFS.Class) in shapes or (
            node,
            RDF.type,
            rdflib.OWL.Class,
        ) in shapes:
            raise NotCompilable(f"{node} is a class and a shape (an implicit class target)")
        if _true(shapes.value(node, SH.deactivated)):
            continue
        targets = tuple(_target_queries(shapes, node))
        constraints = tuple(
            _constraint(shapes, c)
            for c in sorted(shapes.objects(node, SH.sparql), key=str)
            if not _true(shapes.value(c, SH.deactivated))
        )
        messages = tuple(_messages(shapes, node))
        if constraints and not messages and not all(c.messages for c in constraints):
            raise NotCompilable(f"a SPARQL constraint of {node} without sh:message")
        for text in (*targets, *(c.query for c in constraints)):
            sensitive = sensitive or bool(SET_SENSITIVE & scan(text).keywords)
        compiled.append(
            Shape(
                node,
                shapes.value(node, SH.severity) or SH.Violation,
                messages,
                targets,
                constraints,
            )
        )
    return CompiledShapes(tuple(compiled), sensitive)


def _true(value: rdflib.term.Node | None) -> bool:
    return isinstance(value, rdflib.Literal) and value.datatype == XSD.boolean and bool(value.value)


def _messages(shapes: rdflib.Graph, node: rdflib.term.Node) -> Iterator[rdflib.Literal]:
    for message in shapes.objects(node, SH.message):
        if not isinstance(message, rdflib.Literal):
            raise NotCompilable(f"sh:message of {node} is not a literal")
        yield message


def _prefixes(shapes: rdflib.Graph, node: rdflib.term.Node) -> str:
    lines = []
    for holder in shapes.objects(node, SH.prefixes):
        for declaration in shapes.objects(holder, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            if prefix is None or namespace is None:
                raise NotCompilable(f"an incomplete sh:declare of {holder}")
            lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines)))


def _select(shapes: rdflib.Graph, node: rdflib.term.Node) -> str:
    select = shapes.value(node, SH.select)
    if not isinstance(select, rdflib.Literal):
        raise NotCompilable(f"{node} has no sh:select")
    variables = {name for kind, name in scan(str(select)).tokens if kind == "var"}
    refused = sorted(PRE_BOUND_REFUSED & variables)
    if refused:
        raise NotCompilable(f"${refused[0]} in the query of {node}")
    prefixes = _prefixes(shapes, node)
    return f"{prefixes}\n{select}" if prefixes else str(select)


def _target_queries(shapes: rdflib.Graph, node: rdflib.term.Node) -> Iterator[str]:
    for value in shapes.objects(node, SH.targetNode):
        yield f"SELECT ?this WHERE {{ VALUES ?this {{ {_sparql_term(value)} }} }}"
    for value in shapes.objects(node, SH.targetClass):
        yield (
            "SELECT DISTINCT ?this WHERE { ?this "
            "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/"
            f"<http://www.w3.org/2000/01/rdf-schema#subClassOf>* {_sparql_term(value)} }}"
        )
    for value in shapes.objects(node, SH.targetSubjectsOf):
        yield f"SELECT DISTINCT ?this WHERE {{ ?this {_sparql_term(value)} ?any }}"
    for value in shapes.objects(node, SH.targetObjectsOf):
        yield f"SELECT DISTINCT ?this WHERE {{ ?any {_sparql_term(value)} ?this }}"
    for target in shapes.objects(node, SH.target):
        kinds = set(shapes.objects(target, RDF.type))
        if kinds != {SH.SPARQLTarget}:
            raise NotCompilable(f"the target {target} of {node} is not (only) a sh:SPARQLTarget")
        yield _select(shapes, target)


def _constraint(shapes: rdflib.Graph, node: rdflib.term.Node) -> Constraint:
    return Constraint(node, _select(shapes, node), tuple(_messages(shapes, node)))


def _sparql_term(term: rdflib.term.Node) -> str:
    if isinstance(term, rdflib.URIRef):
        return f"<{term}>"
    if isinstance(term, rdflib.Literal):
        return str(term.n3())
    raise NotCompilable(f"a target that is a blank node ({term})")


Focus = ox.NamedNode | ox.BlankNode | ox.Literal


def to_rdflib(term: object) -> rdflib.term.Node:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise TypeError(f"unsupported term: {term!r}")


def to_oxigraph(term: rdflib.term.Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        datatype = term.datatype or XSD.string
        return ox.Literal(str(term), datatype=ox.NamedNode(str(datatype)))
    raise TypeError(f"unsupported term: {term!r}")


class _Bindings:
    """How a query binds its variables: to constant IRIs, or otherwise."""

    def __init__(self) -> None:
        self.constants: dict[str, set[str]] = {}
        self.other: set[str] = set()

    def scan(self, node: object) -> None:
        if isinstance(node, CompValue):
            if node.name in {"Extend", "Bind"}:
                target = str(node.get("var"))
                expression = node.get("expr")
                if isinstance(expression, rdflib.URIRef):
                    self.constants.setdefault(target, set()).add(str(expression))
                else:
                    self.other.add(target)
            elif node.name == "values":
                for row in node.get("res") or []:
                    for variable, value in row.items():
                        if isinstance(value, rdflib.URIRef):
                            self.constants.setdefault(str(variable), set()).add(str(value))
                        else:
                            self.other.add(str(variable))
            elif node.name in {"BGP", "TriplesBlock"}:
                for s, _p, o in _triples(node):
                    self.other |= {str(term) for term in (s, o) if isinstance(term, Variable)}
            elif node.name.startswith("InlineData"):  # VALUES inside EXISTS: not read here
                self.other |= {str(v) for v in _variables(node)}
            for value in _children(node):
                self.scan(value)
        elif isinstance(node, (list, tuple, set, frozenset)):
            for value in node:
                self.scan(value)


def _children(node: CompValue) -> list[object]:
    """A node's parts, and for an EXISTS also its translated pattern: rdflib keeps that as the
    node's attribute ``graph``, while its item ``graph`` is the parse tree, without the FILTERs
    nested in it (so without what their own EXISTS read)."""
    parts = list(node.values())
    if node.name in {"Builtin_EXISTS", "Builtin_NOTEXISTS"}:
        parts.append(vars(node).get("graph"))
    return parts


def _variables(node: object) -> Iterator[Variable]:
    if isinstance(node, Variable):
        yield node
    elif isinstance(node, CompValue):
        for value in node.values():
            yield from _variables(value)
    elif isinstance(node, (list, tuple, set, frozenset)):
        for value in node:
            yield from _variables(value)


def _triples(node: CompValue) -> Iterator[tuple[object, object, object]]:
    if node.name == "BGP":
        yield from node.triples
    else:  # TriplesBlock (inside EXISTS, left untranslated): flat s p o lists
        for block in node.triples:
            for i in range(0, len(block) - 2, 3):
                yield block[i], block[i + 1], block[i + 2]
