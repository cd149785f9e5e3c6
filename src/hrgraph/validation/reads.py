"""What a compiled SHACL-SPARQL constraint (:mod:`hrgraph.validation.shaclsparql`) can read for
one focus node: incremental validation reuses its results when a change touches none of it.
:func:`reads` gives, for one query text (``$this`` pre-bound), a :class:`Reads`: ``steps``, pairs
(predicate IRI or ``None`` for any predicate, forward?), and ``anywhere``, the predicates (or
``None``) of triple patterns not tied to ``$this``. ``None`` instead means "cannot say": a query
rdflib cannot parse, with GRAPH, SERVICE, FROM / FROM NAMED, binding ``$this`` itself (VALUES,
BIND, AS), or with an algebra node not in :data:`KEYS` or an expression not in :data:`EXPRESSIONS`.

How, on rdflib's algebra of the query (``prepareQuery(text).algebra``):

1. Every triple pattern ``(s, path, o)`` is collected: in BGPs, OPTIONAL, MINUS, UNION,
   sub-SELECTs and in EXISTS / NOT EXISTS anywhere in an expression, at any depth: the EXISTS
   node's attribute ``graph`` (rdflib's translation; its item ``graph``, the parse tree, has
   lost its FILTERs); an EXISTS left untranslated (in a projection, HAVING...) gives ``None``.
2. Scope: the variables (and blank nodes) a sub-SELECT does not project are renamed apart; when
   the sub-SELECT groups, aggregates or slices (LIMIT/OFFSET), all of them are, even the
   projected ones (its solutions then depend on rows of other focus nodes).
3. Tainted variables, bound by VALUES, BIND / ``(expr AS ?v)`` or as an aggregate's output,
   never connect. A variable in property position stands for IRIs only when ``_Bindings`` of
   :mod:`hrgraph.validation.shaclsparql` says the query binds it only to constant IRIs and a
   VALUES (every row an IRI) or a BIND of an IRI binds it in every solution where the pattern
   matches (as in 4); it then stands for the IRIs every such binding allows, else for ``None``.
4. Reachability. An occurrence of a variable in a pattern is *anchored* when, in every solution
   (or EXISTS / MINUS candidate) using the pattern's match, its value is reachable from the
   focus node. Every occurrence of ``$this`` is (pre-binding, SHACL 5.3.1: it is the focus node
   wherever it stands, sub-SELECTs projecting it included). Then, breadth first: a pattern with
   an anchored subject adds the FORWARD steps of its path and anchors its object if that is an
   untainted variable; one with an anchored object adds the BACKWARD steps and anchors its
   subject likewise (a pattern is walked once, from its first end anchored through another).
   An anchored untainted ``?v`` in Q anchors ``?v`` in P when every solution using P's match
   uses Q's with the same ``?v``: at their lowest common node P and Q are in two parts of a
   Join or BGP, or Q in the left of a LeftJoin and P in its right or its condition's EXISTS, or
   Q in the right of a LeftJoin and P in its condition's EXISTS, or Q in the left of a MINUS and
   P in its right, or Q in the pattern of a Filter / Extend and P in an EXISTS of its
   expression; below that node Q is only under mandatory parts (Join, the left of LeftJoin and
   MINUS, Filter, Extend, Project, Distinct, Reduced, OrderBy, Slice, Group, sub-SELECT) and P
   only under parts whose solutions carry P's bindings up (those, the right of LeftJoin,
   UNION). A UNION both of whose branches anchor ``?v`` under mandatory parts acts as such a
   Q. This is the brief's breadth-first search made exact for SPARQL's bottom-up evaluation:
   ``{ $this :p ?x } UNION { ?x :q ?y }``, ``OPTIONAL { $this :p ?x } ?x :q ?y`` and ``$this
   :p ?x { ?y :r ?z FILTER NOT EXISTS { ?x :q ?w } }`` leave ``:q`` unanchored (each has
   solutions or candidates where ``?x`` is any node).
5. Steps of a path in direction d: an IRI p gives (p, d); ``^p`` the inner steps with d flipped;
   ``p/q``, ``p|q``, ``p*``, ``p+``, ``p?`` the union of the inner steps in d; a negated
   property set (None, True) and (None, False); a variable predicate, as in 3, in d. A path
   that can match zero triples (``p*``, ``p?``) also gives (None, True) and (None, False):
   Oxigraph matches it at a node only when some triple of the data, of any predicate, has it.
6. A pattern with no anchored occurrence puts its predicates (as in 5, directions ignored) in
   ``anywhere``, and ``None`` when its path can match zero triples (for the same reason).

Soundness (what incremental validation relies on), assuming Oxigraph evaluates the text as
rdflib's algebra reads it: for a focus f, every triple matched by a pattern in a solution of the
query evaluated with ``$this`` = f, in the solutions grouped into one of its aggregates, or in a
candidate of an EXISTS / NOT EXISTS / MINUS compatible with the solution it is tested for, is
either reachable from f by following ``steps`` (a step (p, True) goes from a node n along a
triple (n p x) to x, (p, False) along (x p n) to x; ``None`` matches any predicate) or matched
by a pattern whose predicates are in ``anywhere`` (``None`` there: any triple). Sketch: by
induction on 4, an anchored occurrence's value is reachable in every solution using the
pattern, and a path's match is a walk from its subject to its object whose triples are steps
of 5 in that direction. So a change Δ (triples added or removed) leaves the results for f as
they were when no triple of Δ is reachable from f in the union of the data before and after
it and none has a predicate in ``anywhere`` (every part's contributing solutions and
candidates are then built from the same triples before and after).
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

import rdflib
from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, SequencePath
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import BNode, Variable

from hrgraph.validation.shaclsparql import _Bindings

Step = tuple[str | None, bool]
Edge = tuple[int, str, str]
"""(number of an algebra node, which of its parts, the part's kind: ``and`` mandatory, ``opt``
the right of a LeftJoin, ``alt`` a branch of a UNION, ``test`` an EXISTS or the right of a MINUS,
``agg`` below an aggregate, ``bind`` the binding of a VALUES or BIND itself)."""
Place = tuple[Edge, ...]
"""Where a pattern (or binding, or UNION) stands: the parts leading to it from the query."""


@dataclass(frozen=True)
class Reads:
    """What a constraint's evaluation can read for one focus node (see the module)."""

    steps: frozenset[tuple[str | None, bool]]
    anywhere: frozenset[str | None]


class _Unknown(Exception):
    """Something not analysed here: the answer is ``None``."""


KEYS = {
    name: set(items.split())
    for name, items in (
        ("BGP", "triples"), ("Join", "p1 p2 lazy"), ("LeftJoin", "p1 p2 expr"), ("Union", "p1 p2"),
        ("Minus", "p1 p2"), ("Filter", "p expr"), ("Extend", "p expr var"), ("Project", "p PV"),
        ("Distinct", "p"), ("Reduced", "p"), ("OrderBy", "p expr"), ("Slice", "p start length"),
        ("Group", "p expr"), ("AggregateJoin", "A p"), ("ToMultiSet", "p"), ("values", "res"),
        ("SelectQuery", "p datasetClause PV"),
    )
}  # fmt: skip
"""The algebra nodes handled, with the items each may have."""
EXISTS, FUNCTIONS = {"Builtin_EXISTS", "Builtin_NOTEXISTS"}, ("Builtin_", "Aggregate_")
EXPRESSIONS = {
    "ConditionalOrExpression", "ConditionalAndExpression", "RelationalExpression", "UnaryNot",
    "AdditiveExpression", "MultiplicativeExpression", "UnaryPlus", "UnaryMinus", "Function",
    "TrueFilter", "OrderCondition",
}  # fmt: skip
"""Expression nodes, and prefixes of their names: functions of their arguments (but EXISTS)."""
SCOPED = {"Slice", "Distinct", "Reduced", "Project"}
"""What stands between a sub-SELECT's ToMultiSet and its Project."""


class _Scope:
    """Variable names of a sub-SELECT: its own are renamed apart, projected ones are its
    parent's (unless ``isolated``)."""

    counter = itertools.count(1)

    def __init__(self, parent: _Scope | None = None, kept: Iterable[str] = (), alone: bool = False):
        self.parent, self.projected, self.isolated = parent, frozenset(kept), alone
        self.number = next(self.counter)

    def name(self, term: object) -> str | None:
        """The variable's (or blank node's) name in the whole query, ``None`` for a constant."""
        if isinstance(term, (Variable, BNode)):
            return self._resolve(f"_:{term}" if isinstance(term, BNode) else str(term))
        return None

    def _resolve(self, raw: str) -> str:
        if self.parent is None or (raw in self.projected and not self.isolated):
            return raw if self.parent is None else self.parent._resolve(raw)
        return f"{raw}#{self.number}"


@dataclass
class _Pattern:
    subject: str | None
    path: object
    object: str | None
    edges: Place
    predicate: str | None  # the name of a variable in property position


@dataclass
class _Walk:
    """The patterns, tainted variables and constant bindings of one query."""

    patterns: list[_Pattern] = field(default_factory=list)
    tainted: set[str] = field(default_factory=set)
    sites: dict[str, dict[Place, frozenset[str]]] = field(default_factory=dict)
    unions: list[tuple[Place, int]] = field(default_factory=list)
    numbers: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def pattern(self, node: object, edges: Place, scope: _Scope) -> None:
        if not isinstance(node, CompValue) or node.name not in KEYS:
            raise _Unknown(getattr(node, "name", type(node).__name__))
        items = {k: v for k, v in dict.items(node) if not k.startswith("_")}
        if set(items) - KEYS[node.name] or items.get("datasetClause"):
            raise _Unknown(node.name)
        number, name = next(self.numbers), node.name
        if name == "BGP":
            for i, (s, p, o) in enumerate(items.get("triples") or []):
                here = (*edges, (number, f"t{i}", "and"))
                names = scope.name(s), p, scope.name(o), here, scope.name(p)
                self.patterns.append(_Pattern(*names))
            return
        kinds = {"p": "and", "p1": "and", "p2": "and"}
        if name == "LeftJoin":
            kinds["p2"] = "opt"
        elif name == "Union":
            kinds = {"p1": "alt", "p2": "alt"}
            self.unions.append((edges, number))
        elif name == "Minus":
            kinds["p2"] = "test"
        elif name == "AggregateJoin":
            kinds["p"] = "agg"
            for aggregate in items.get("A") or []:
                self.taint(scope.name(dict.get(aggregate, "res")), aggregate)
        elif name == "Extend":
            variable, expression = scope.name(items.get("var")), items.get("expr")
            self.taint(variable, expression)
            if variable is not None and isinstance(expression, rdflib.URIRef):
                site = (*edges, (number, "bind", "bind"))
                self.sites.setdefault(variable, {})[site] = frozenset({str(expression)})
        elif name == "values":
            self.values(items.get("res") or [], (*edges, (number, "bind", "bind")), scope)
            return
        elif name == "ToMultiSet" and not (
            isinstance(items.get("p"), CompValue) and items["p"].name == "values"
        ):
            scope = self.subselect(items.get("p"), scope)
        for key in ("p", "p1", "p2"):
            if key in items:
                self.pattern(items[key], (*edges, (number, key, kinds[key])), scope)
        for key in ("expr", "A"):
            if key in items:
                self.expression(items[key], edges, number, scope)

    def expression(self, node: object, edges: Place, owner: int, scope: _Scope) -> None:
        """EXISTS patterns anywhere in an expression of the node numbered ``owner``."""
        if isinstance(node, CompValue):
            if node.name in EXISTS:
                graph = vars(node).get("graph", dict.get(node, "graph"))
                self.pattern(graph, (*edges, (owner, f"x{next(self.numbers)}", "test")), scope)
                return
            if node.name not in EXPRESSIONS and not node.name.startswith(FUNCTIONS):
                raise _Unknown(node.name)
            for key, value in dict.items(node):
                if not key.startswith("_"):
                    self.expression(value, edges, owner, scope)
        elif isinstance(node, (list, tuple)):
            for value in node:
                self.expression(value, edges, owner, scope)

    def subselect(self, node: object, scope: _Scope) -> _Scope:
        """The scope of a sub-SELECT (the part of a ToMultiSet that is not VALUES)."""
        projection = node
        while isinstance(projection, CompValue) and projection.name != "Project":
            if projection.name not in SCOPED:
                raise _Unknown(f"a sub-SELECT under {projection.name}")
            projection = dict.get(projection, "p")
        if not isinstance(projection, CompValue):
            raise _Unknown("a sub-SELECT without projection")
        projected = [str(v) for v in dict.get(projection, "PV") or []]
        return _Scope(scope, projected, _aggregates_or_slices(node))

    def taint(self, variable: str | None, expression: object) -> None:
        if variable == "this":  # $this is the focus node: only a group key's sample may bind it
            if not (isinstance(expression, Variable) and str(expression).startswith("__agg_")):
                raise _Unknown("$this bound by the query")
            return
        if variable is not None:
            self.tainted.add(variable)

    def values(self, rows: list[dict[object, object]], site: Place, scope: _Scope) -> None:
        for name, variable in {scope.name(v): v for row in rows for v in row}.items():
            self.taint(name, None)
            bound = [row.get(variable) for row in rows]
            if name is not None and all(isinstance(v, rdflib.URIRef) for v in bound):
                self.sites.setdefault(name, {})[site] = frozenset(map(str, bound))


def _aggregates_or_slices(node: object) -> bool:
    if isinstance(node, CompValue):
        if node.name in {"Group", "AggregateJoin", "Slice"}:
            return True
        node = list(dict.values(node))
    return isinstance(node, (list, tuple)) and any(_aggregates_or_slices(v) for v in node)


def _joined(anchor: Place, pattern: Place) -> bool:
    """Whether every solution using a match at ``pattern`` also uses one at ``anchor``, both
    with the same value for their shared variable (module, 4)."""
    common = 0
    while common < min(len(anchor), len(pattern)) and anchor[common] == pattern[common]:
        common += 1
    if common >= min(len(anchor), len(pattern)) or anchor[common][0] != pattern[common][0]:
        return False
    here = (anchor[common][2], pattern[common][2])
    if here not in {("and", "and"), ("and", "opt"), ("and", "test"), ("opt", "test")}:
        return False
    return all(kind in {"and", "bind"} for _n, _p, kind in anchor[common + 1 :]) and all(
        kind in {"and", "opt", "alt"} for _n, _p, kind in pattern[common + 1 :]
    )


def _steps(path: object, forward: bool, variable: frozenset[str | None]) -> set[Step]:
    if isinstance(path, rdflib.URIRef):
        return {(str(path), forward)}
    if isinstance(path, Variable):
        return {(p, forward) for p in variable}
    if isinstance(path, InvPath):
        return _steps(path.arg, not forward, variable)
    if isinstance(path, (SequencePath, AlternativePath)):
        return {step for part in path.args for step in _steps(part, forward, variable)}
    if isinstance(path, MulPath):
        return _steps(path.path, forward, variable)
    if isinstance(path, NegatedPath):
        return {(None, True), (None, False)}
    raise _Unknown(f"a property {path!r}")


def _nullable(path: object) -> bool:
    """Whether the path can match without any triple (``p*``, ``p?``, ...)."""
    if isinstance(path, MulPath):
        return bool(path.zero)
    if isinstance(path, InvPath):
        return _nullable(path.arg)
    if isinstance(path, SequencePath):
        return all(_nullable(part) for part in path.args)
    if isinstance(path, AlternativePath):
        return any(_nullable(part) for part in path.args)
    return False


def reads(text: str) -> Reads | None:
    """What the query's evaluation can read for one focus node bound to ``$this``, or ``None``
    when this module cannot say (see the module for both and for why it is sound)."""
    from rdflib.plugins.sparql import prepareQuery

    try:
        algebra = prepareQuery(text).algebra
    except Exception:  # rdflib raises many kinds for text it cannot read
        return None
    walk, bindings = _Walk(), _Bindings()
    try:
        if not isinstance(algebra, CompValue) or algebra.name != "SelectQuery":
            raise _Unknown("not a SELECT")
        walk.pattern(algebra, (), _Scope())
        bindings.scan(algebra)
        return _reach(walk, bindings)
    except _Unknown:
        return None


def _reach(walk: _Walk, bindings: _Bindings) -> Reads:
    patterns = walk.patterns
    predicates = [_predicate_values(walk, bindings, p) for p in patterns]
    # breadth first; a pattern is walked (adds steps) from the first occurrence anchored from
    # outside it: its other end, anchored through it, adds nothing its walk does not
    todo = deque(
        (i, "this", True) for i, p in enumerate(patterns) if "this" in (p.subject, p.object)
    )
    anchored: set[tuple[int, str]] = set()
    sources: dict[str, dict[Place, frozenset[str]]] = {}
    walked: set[int] = set()
    steps: set[Step] = set()
    while todo:
        i, variable, outside = todo.popleft()
        if (i, variable) in anchored:
            continue
        anchored.add((i, variable))
        pattern = patterns[i]
        if outside and i not in walked:
            walked.add(i)
            for start, end, forward in (
                (pattern.subject, pattern.object, True),
                (pattern.object, pattern.subject, False),
            ):
                if start == variable:
                    steps |= _steps(pattern.path, forward, predicates[i])
                    steps |= {(None, True), (None, False)} if _nullable(pattern.path) else set()
                    if end is not None and end not in walk.tainted:
                        todo.append((i, end, False))
        if variable not in walk.tainted:
            known = sources.setdefault(variable, {})
            known[pattern.edges] = frozenset()
            for source in [pattern.edges, *_close(walk, known)]:
                todo += [
                    (j, variable, True)
                    for j, other in enumerate(patterns)
                    if j != i
                    and variable in (other.subject, other.object)
                    and _joined(source, other.edges)
                ]
    reached = {i for i, _v in anchored}
    anywhere: set[str | None] = set()
    for i, pattern in enumerate(patterns):
        if i not in reached:
            anywhere |= {p for p, _d in _steps(pattern.path, True, predicates[i])}
            if _nullable(pattern.path):
                anywhere.add(None)
    return Reads(frozenset(steps), frozenset(anywhere))


def _close(walk: _Walk, known: dict[Place, frozenset[str]]) -> list[Place]:
    """Adds to ``known`` each UNION both of whose branches have a place of ``known`` below
    mandatory parts, with the IRIs of those places (module, 3 and 4), and returns them."""
    found: list[Place] = []
    while True:
        more = {}
        for edges, number in walk.unions:
            branches = [
                [
                    iris
                    for place, iris in known.items()
                    if _below(place, (*edges, (number, b, "alt")))
                ]
                for b in ("p1", "p2")
            ]
            if edges not in known and all(branches):
                more[edges] = frozenset[str]().union(*branches[0], *branches[1])
        if not more:
            return found
        known.update(more)
        found += more


def _below(place: Place, node: Place) -> bool:
    """Whether every solution of the node reached by ``node`` uses the solution at ``place``."""
    return place[: len(node)] == node and all(
        kind in {"and", "bind"} for _n, _p, kind in place[len(node) :]
    )


def _predicate_values(walk: _Walk, bindings: _Bindings, pattern: _Pattern) -> frozenset[str | None]:
    """What a variable in the pattern's property position stands for (module, 3)."""
    if not isinstance(pattern.path, Variable):
        return frozenset()
    raw = str(pattern.path)
    if raw not in bindings.constants or raw in bindings.other:
        return frozenset({None})
    allowed: frozenset[str] | None = None
    sites = dict(walk.sites.get(pattern.predicate or "", {}))
    _close(walk, sites)
    for site, iris in sites.items():
        if _joined(site, pattern.edges):
            allowed = iris if allowed is None else allowed & iris
    return frozenset({None}) if allowed is None else frozenset(allowed)
