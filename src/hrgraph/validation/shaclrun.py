"""Running compiled SHACL-SPARQL shapes (:mod:`hrgraph.validation.shaclsparql`) on the store,
and their results as a SHACL report graph (docs/architecture.md, layer "validation").

``$this`` is pre-bound by substitution (Oxigraph's ``substitutions``, RDF-dev SEP-0007, the
pre-binding of SHACL section 5.3.1); ``$this`` must be selected (Oxigraph substitutes only
projected variables), else the query is refused at its first run and the caller falls back.
Where the query allows it (no sub-select, VALUES, MINUS, SERVICE or GRAPH), the focus IRI is
written into the pattern instead (:func:`inline`): the same solutions, and Oxigraph then plans
from the focus node.

Each solution becomes a result as in SHACL section 5.3.2 and as pySHACL reports it: the focus
node is ``?this`` (or the focus node), ``sh:value`` is ``?value`` (or the focus node),
``sh:resultPath`` is ``?path``; solutions binding ``?failure`` report one result (whose message
takes the first such solution's values; which one is first is up to each engine); identical
solutions of one focus node report once; ``{?name}`` and ``{$name}`` in messages are replaced by
the solution's values (lexical forms), and the message loses its language tag. The report graph
has pySHACL's form, so the rest of :mod:`hrgraph.validation.validate` reads either.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, SH

from hrgraph.validation.shaclsparql import (
    THIS,
    CompiledShapes,
    Constraint,
    Focus,
    Query,
    Result,
    Shape,
    to_rdflib,
)


def target_nodes(
    query: Query, target: str, cache: dict[str, frozenset[Focus]] | None = None
) -> frozenset[Focus]:
    """The nodes a target query selects (``?this``), evaluated once per query text when a
    ``cache`` is given (shapes often share a target: each runs once)."""
    if cache is not None and target in cache:
        return cache[target]
    nodes = frozenset(
        row["this"]
        for row in query(target, {})
        if isinstance(row["this"], (ox.NamedNode, ox.BlankNode, ox.Literal))
    )
    if cache is not None:
        cache[target] = nodes
    return nodes


Stored = tuple[str, str | None, str | None, tuple[str, ...]]
"""A result as :class:`Reuse` keeps it: focus, value, path and messages in N3."""


@dataclass
class Reuse:
    """Results of an earlier run on the same shapes and day, taken instead of running a
    constraint on the focus nodes ``fresh`` does not return (given the constraint and its focus
    nodes: those whose results may have changed; incremental validation, see
    :mod:`hrgraph.validation.increment`); a result naming a blank node is never taken (blank
    node labels change from one build to the next). Every result of this run is put in
    ``record``; ``reran`` and ``reused`` count (constraint, focus node) pairs."""

    earlier: dict[str, list[Stored]]
    fresh: Callable[[Constraint, Sequence[Focus]], Collection[Focus]]
    record: dict[str, list[Stored]] = field(default_factory=dict)
    reran: set[Focus] = field(default_factory=set)
    reused: set[Focus] = field(default_factory=set)
    pairs_rerun: int = 0
    pairs_reused: int = 0

    def take(self, key: str | None) -> list[Stored] | None:
        """The earlier results under ``key``, unless there are none or one names a blank node."""
        stored = self.earlier.get(key) if key is not None else None
        if stored is None or any(
            term is not None and term.startswith("_:")
            for result in stored
            for term in (result[0], result[1], result[2])
        ):
            return None
        return stored

    @staticmethod
    def key(shape: Shape, constraint: Constraint, focus: Focus) -> str | None:
        if not isinstance(shape.node, rdflib.URIRef):
            return None
        # the constraint is its query and messages (two may share a query, and its node is
        # often a blank node, labelled anew by every parse)
        text = "\x1f".join((constraint.query, *(message.n3() for message in constraint.messages)))
        digest = hashlib.sha256(text.encode()).hexdigest()[:20]
        return "\x1f".join((str(shape.node), digest, to_rdflib(focus).n3()))


def _stored(result: Result) -> Stored:
    return (
        result.focus.n3(),
        result.value.n3() if result.value is not None else None,
        result.path.n3() if result.path is not None else None,
        tuple(message.n3() for message in result.messages),
    )


def _restored(shape: Shape, constraint: Constraint, stored: Stored) -> Result:
    from rdflib.util import from_n3

    focus, value, path, messages = stored
    return Result(
        shape,
        constraint,
        from_n3(focus),  # type: ignore[arg-type]
        from_n3(value) if value is not None else None,  # type: ignore[arg-type]
        from_n3(path) if path is not None else None,  # type: ignore[arg-type]
        [from_n3(message) for message in messages],  # type: ignore[misc]
    )


def run(
    compiled: CompiledShapes,
    query: Query,
    targets: dict[str, frozenset[Focus]] | None = None,
    reuse: Reuse | None = None,
) -> list[Result]:
    """Evaluate every shape; ``query`` runs a SELECT on the data (see :data:`Query`).
    ``targets`` caches the nodes each target query selects (see :func:`target_nodes`);
    ``reuse`` gives earlier results to take for the focus nodes that have not changed (the
    targets always run, so a focus node that appears or goes is seen). A constraint runs once
    for all its focus nodes where :func:`batched` allows it, else once per focus node."""
    results: list[Result] = []
    cache = targets if targets is not None else {}
    for shape in compiled.shapes:
        if not shape.constraints:
            continue
        focus_nodes: set[Focus] = set()
        for target in shape.target_queries:
            focus_nodes |= target_nodes(query, target, cache)
        ordered = sorted(focus_nodes, key=str)
        for constraint in shape.constraints:
            keys = {f: Reuse.key(shape, constraint, f) if reuse else None for f in ordered}
            found: dict[Focus, list[Result]] = {}
            if reuse is not None:
                fresh = set(reuse.fresh(constraint, ordered) if reuse.earlier else ordered)
                for focus, key in keys.items():
                    stored = None if focus in fresh else reuse.take(key)
                    if stored is not None:
                        found[focus] = [_restored(shape, constraint, s) for s in stored]
                        reuse.reused.add(focus)
                        reuse.pairs_reused += 1
            to_run = [focus for focus in ordered if focus not in found]
            found.update(_evaluated(shape, constraint, to_run, query))
            for focus in ordered:
                key = keys[focus]
                if reuse is not None and key is not None:
                    if focus in to_run:
                        reuse.reran.add(focus)
                        reuse.pairs_rerun += 1
                    reuse.record[key] = [_stored(result) for result in found[focus]]
                results += found[focus]
    return results


BATCH = 400
"""Focus nodes given to one query at most (the VALUES block of :func:`batched`)."""


def _evaluated(
    shape: Shape, constraint: Constraint, foci: list[Focus], query: Query
) -> dict[Focus, list[Result]]:
    """The results of ``constraint`` on each of ``foci``: IRIs in batches where the query
    allows it (:func:`batched`), every other focus node alone, pre-bound."""
    found: dict[Focus, list[Result]] = {}
    iris = [focus for focus in foci if isinstance(focus, ox.NamedNode)]
    if len(iris) > 1 and _batch_template(constraint.query) is not None:
        for start in range(0, len(iris), BATCH):
            chunk = iris[start : start + BATCH]
            text = batched(constraint.query, chunk)
            assert text is not None  # the template exists
            solutions = query(text, {})
            names = [variable.value for variable in solutions.variables]
            rows: dict[Focus, list[ox.QuerySolution]] = {iri: [] for iri in chunk}
            for row in solutions:
                this = row["this"]
                if isinstance(this, ox.NamedNode) and this in rows:
                    rows[this].append(row)
            for iri in chunk:
                found[iri] = _results_of(shape, constraint, iri, names, rows[iri])
    for focus in foci:
        if focus not in found:
            found[focus] = _results(
                shape, constraint, focus, query(constraint.query, {THIS: focus})
            )
    return found


INLINE_REFUSED = {"SELECT", "VALUES", "MINUS", "SERVICE", "GRAPH"}


@functools.lru_cache(maxsize=1024)
def _template(text: str) -> tuple[str, ...] | None:
    """The query cut where ``$this``/``?this`` stands after the projection, or ``None`` when
    the focus node must be pre-bound by substitution instead (a sub-select, VALUES, MINUS,
    SERVICE or GRAPH, ``AS ?this``, or a query the lexer cannot read)."""
    from hrgraph.sparql.tokens import lex

    lexemes, _depth, _structure, error = lex(text)
    if error:
        return None
    words = [token.value for token in lexemes if token.kind == "word"]
    if words.count("SELECT") != 1 or INLINE_REFUSED - {"SELECT"} & set(words):
        return None
    opened = next((i for i, t in enumerate(lexemes) if t.kind == "open" and t.value == "{"), None)
    if opened is None or not any(
        token.kind == "var" and token.value == "this" for token in lexemes[:opened]
    ):  # $this not selected: substitution refuses it, and the caller falls back
        return None
    pieces, start = [], 0
    for number, token in enumerate(lexemes):
        if number > opened and token.kind == "var" and token.value == "this":
            previous = lexemes[number - 1]
            if previous.kind == "word" and previous.value == "AS":
                return None
            pieces.append(text[start : token.start])
            start = token.end
    pieces.append(text[start:])
    return tuple(pieces)


def inline(text: str, focus: Focus) -> str | None:
    """The query with the focus node (an IRI) written where ``$this`` stands in its pattern, or
    ``None`` (see :func:`_template`). Equivalent to pre-binding ``$this`` (SHACL 5.3.1) for
    the queries accepted, and planned far better by Oxigraph, which then starts from the
    focus node (10 times faster per query at scale 1)."""
    if not isinstance(focus, ox.NamedNode):
        return None
    pieces = _template(text)
    if pieces is None:
        return None
    return f"<{focus.value}>".join(pieces)


BATCH_REFUSED = {"GROUP", "HAVING", "LIMIT", "OFFSET", "COUNT", "SUM", "MIN", "MAX", "AVG"}
BATCH_REFUSED |= {"SAMPLE", "GROUP_CONCAT"}


@functools.lru_cache(maxsize=1024)
def _batch_template(text: str) -> tuple[str, str] | None:
    """The query cut just inside the brace opening its WHERE clause, or ``None`` when its focus
    nodes cannot be given all at once (see :func:`batched`)."""
    from hrgraph.sparql.tokens import lex

    if _template(text) is None:  # one SELECT, no VALUES, MINUS, SERVICE or GRAPH, $this selected
        return None
    lexemes, _depth, _structure, _error = lex(text)
    if BATCH_REFUSED & {token.value for token in lexemes if token.kind == "word"}:
        return None
    opened = next(i for i, t in enumerate(lexemes) if t.kind == "open" and t.value == "{")
    groups: list[str] = []  # the kind of each group the token is in, below the WHERE clause
    for number in range(opened + 1, len(lexemes)):
        token = lexemes[number]
        if token.kind == "open" and token.value == "{":
            previous = lexemes[number - 1]
            groups.append(
                "exists" if previous.kind == "word" and previous.value == "EXISTS" else "group"
            )
        elif token.kind == "close" and token.value == "}":
            if groups:
                groups.pop()
        elif token.kind == "var" and token.value == "this" and set(groups) - {"exists"}:
            return None  # in a group of its own (OPTIONAL, UNION, a nested group)
    cut = lexemes[opened].end
    return text[:cut], text[cut:]


def batched(text: str, foci: list[ox.NamedNode]) -> str | None:
    """The query with a ``VALUES ?this`` block of the focus nodes opening its WHERE clause, or
    ``None``. Equivalent to running it once per focus node with ``$this`` pre-bound (SHACL
    5.3.1) when ``$this`` occurs only in the WHERE clause's own group and in FILTER (NOT) EXISTS
    groups directly in it (the VALUES block binds ``$this`` in every solution of that group
    before any of its FILTERs, BINDs and OPTIONALs are evaluated, and an EXISTS sees the
    solution's ``$this``), and the query neither groups, aggregates nor limits (which would
    then count or cut across focus nodes); a sub-select, VALUES, MINUS, SERVICE or GRAPH is
    refused as for :func:`inline`. The solutions then carry their focus node in ``?this``."""
    cut = _batch_template(text)
    if cut is None or not foci:
        return None
    values = " ".join(f"<{focus.value}>" for focus in foci)
    return f"{cut[0]} VALUES ?this {{ {values} }} {cut[1]}"


def _results(
    shape: Shape,
    constraint: Constraint,
    focus: ox.NamedNode | ox.BlankNode | ox.Literal,
    solutions: ox.QuerySolutions,
) -> list[Result]:
    """One result per distinct solution (one in all for solutions binding ``?failure``)."""
    names = [variable.value for variable in solutions.variables]
    return _results_of(shape, constraint, focus, names, solutions)


def _results_of(
    shape: Shape,
    constraint: Constraint,
    focus: ox.NamedNode | ox.BlankNode | ox.Literal,
    names: list[str],
    solutions: Iterable[ox.QuerySolution],
) -> list[Result]:
    """:func:`_results` of the solutions read so far (variables ``names``)."""
    seen: set[tuple[tuple[str, str], ...]] = set()
    failed = False
    results = []
    focus_node = to_rdflib(focus)
    this: rdflib.term.Node
    path: rdflib.term.Node | None
    value: rdflib.term.Node | None
    for row in solutions:
        bound = {name: to_rdflib(row[name]) for name in names if row[name] is not None}
        if "this" in names and "this" not in bound:  # written into the query (:func:`inline`)
            bound["this"] = focus_node
        if "failure" in bound:
            if failed:
                continue
            failed = True
            del bound["failure"]
            this, path, value = focus_node, None, focus_node
        else:
            path, value, this_bound = (bound.get("path"), bound.get("value"), bound.get("this"))
            if path is None and value is None and this_bound is None:
                continue
            key = tuple(sorted((name, term.n3()) for name, term in bound.items()))
            if key in seen:
                continue
            seen.add(key)
            this = this_bound or focus_node
            value = value if value is not None else focus_node
        messages = [
            rdflib.Literal(_format(str(message), bound))
            for message in (*constraint.messages, *shape.messages)
        ]
        results.append(Result(shape, constraint, this, value, path, messages))
    return results


def _format(message: str, bound: dict[str, rdflib.term.Node]) -> str:
    """``{?name}`` and ``{$name}`` replaced by the lexical form (or IRI) of the value."""
    for name, term in bound.items():
        text = str(term)
        message = message.replace("{?" + name + "}", text).replace("{$" + name + "}", text)
    return message


def report_graph(results: Iterable[Result]) -> tuple[bool, rdflib.Graph]:
    """Whether the data conforms (no result at all) and the report in pySHACL's form."""
    graph = rdflib.Graph()
    report = rdflib.BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    conforms = True
    for result in results:
        conforms = False
        node = rdflib.BNode()
        graph.add((report, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
        graph.add((node, SH.sourceShape, result.shape.node))
        graph.add((node, SH.sourceConstraint, result.constraint.node))
        graph.add((node, SH.resultSeverity, result.shape.severity))
        graph.add((node, SH.focusNode, result.focus))
        if result.value is not None:
            graph.add((node, SH.value, result.value))
        if result.path is not None:
            graph.add((node, SH.resultPath, result.path))
        for message in result.messages:
            graph.add((node, SH.resultMessage, message))
    graph.add((report, SH.conforms, rdflib.Literal(conforms)))
    return conforms, graph
