"""Which focus nodes' results a change of statements can reach (docs/architecture.md, layer
"validation"): for incremental validation (:mod:`hrgraph.validation.increment`).

A constraint's evaluation for a focus node f reads only statements reachable from f by its
steps (:func:`hrgraph.validation.reads.reads`), or statements of the properties it reads
anywhere. Take a statement that changed and a solution (or EXISTS candidate) of the evaluation,
before or after the change, that holds it; on the chain of statements that leads there from f,
the first one that changed is entered from a node reached from f through statements that did not
change, so that node is reachable from f in the data as it is now. Hence: if no changed
statement can be entered, by one of the constraint's steps, from a node that f reaches now, f's
results are what they were. :class:`Affected` walks the steps backwards, on the data as it is
now, from the node each changed statement is entered from, and returns the focus nodes it meets.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import pyoxigraph as ox

from hrgraph.validation.reads import Reads, reads
from hrgraph.validation.shaclsparql import Constraint, Focus

MAX_NODES = 200_000
"""Nodes a backward walk visits at most; beyond, every focus node of the constraint reruns."""

Node = ox.NamedNode | ox.BlankNode | ox.Literal
NODE_TYPES = (ox.NamedNode, ox.BlankNode, ox.Literal)


class Affected:
    """The focus nodes of each constraint whose results ``changed`` statements may reach, on
    ``engine`` (the data as validated now). Walks are shared by constraints with the same
    steps."""

    def __init__(
        self,
        engine: ox.Store,
        changed: Sequence[ox.Triple],
        known: dict[str, Reads | None] | None = None,
    ) -> None:
        self.engine = engine
        self.changed = changed
        self.predicates = {triple.predicate.value for triple in changed}
        self.known = known if known is not None else {}
        """What each constraint reads, by query text: kept with the results (reading a query
        takes about 13 ms, more than rerunning most constraints)."""
        self._walks: dict[Reads, frozenset[Node] | None] = {}

    def __call__(self, constraint: Constraint, foci: Sequence[Focus]) -> Collection[Focus]:
        """The focus nodes among ``foci`` to run ``constraint`` on again."""
        if not self.changed:
            return ()
        if constraint.query not in self.known:
            self.known[constraint.query] = reads(constraint.query)
        found = self.known[constraint.query]
        if found is None:
            return foci
        if found not in self._walks:
            self._walks[found] = self._walk(found)
        reached = self._walks[found]
        if reached is None:
            return foci
        return [focus for focus in foci if focus in reached]

    def _walk(self, found: Reads) -> frozenset[Node] | None:
        """Every node from which the steps of ``found`` can enter a changed statement, or
        ``None`` when every node can (a changed property read anywhere, or too many nodes)."""
        if None in found.anywhere or self.predicates & set(found.anywhere):
            return None
        forward = {p for p, ahead in found.steps if ahead}
        backward = {p for p, ahead in found.steps if not ahead}
        start: set[Node] = set()
        for triple in self.changed:
            ends: list[object] = []
            if None in forward or triple.predicate.value in forward:
                ends.append(triple.subject)
            if None in backward or triple.predicate.value in backward:
                ends.append(triple.object)
            start.update(end for end in ends if isinstance(end, NODE_TYPES))
        into = [None] if None in forward else [ox.NamedNode(p) for p in forward if p]
        out_of = [None] if None in backward else [ox.NamedNode(p) for p in backward if p]
        seen = set(start)
        todo = list(start)
        while todo:
            node = todo.pop()
            before: list[object] = []
            for predicate in into:  # a step (p, forward) enters node from the subject of (s p node)
                before += (q.subject for q in self.engine.quads_for_pattern(None, predicate, node))
            if not isinstance(node, ox.Literal):
                for predicate in out_of:  # (p, backward) enters node from the object of (node p o)
                    before += (
                        q.object for q in self.engine.quads_for_pattern(node, predicate, None)
                    )
            for other in before:
                if (
                    isinstance(other, (ox.NamedNode, ox.BlankNode, ox.Literal))
                    and other not in seen
                ):
                    seen.add(other)
                    todo.append(other)
            if len(seen) > MAX_NODES:
                return None
        return frozenset(seen)
