"""Writing a named query's bound parameters into its patterns as constants, where that keeps the
answers of the ``VALUES`` binding (see :func:`inline`).

Oxigraph plans a pattern from the constants written in it: with a State's IRI written into
``?recommendation hrg:addressedTo <…/state/kaz>`` it starts from that State's recommendations,
whereas a value given by the ``VALUES`` block opening the WHERE clause, or by ``BIND
(COALESCE(?__state_iri, <default>) AS ?state)``, is joined after the pattern has been read for
every State. The ``VALUES`` block stays (it binds the variable for the projection, ``GROUP BY``
and every place not rewritten); this module only decides where the same term may also be
written in place of the variable, and writes it as the RDF library serialises it, at variable
tokens found by the project's SPARQL lexer (never inside a string, an IRI or a comment).

Under SPARQL's bottom-up semantics a variable is not bound inside a nested group by a ``VALUES``
block outside it, so writing a constant there is not always the same query. It is where every
row the group gives either binds the variable to the value or is dropped when joined with the
``VALUES`` block, and where an expression can only see the variable bound to the value:

- the WHERE clause's own triple patterns, FILTERs and BINDs (the ``VALUES`` block opens it);
- groups joined into a place where that holds (a nested group, a UNION branch, a GRAPH group):
  their triple patterns, and their FILTERs, and BINDs placed after it, if a triple pattern of
  their own (or of a group joined into them, not a UNION branch) binds the variable;
- an OPTIONAL group directly in the WHERE clause, or after such a binding in a group where that
  holds: its FILTERs (the left join's condition sees the row it extends), and its triple
  patterns if one of them binds the variable (then its rows that would bind another value are
  not compatible with the row they would extend);
- a FILTER's EXISTS / NOT EXISTS pattern where that FILTER's expression may be rewritten (the
  pattern is evaluated with the row's values), by the same rules.

Inside a nested group or an OPTIONAL, the term is written at all of the variable's places in it
or at none: a place left as a variable would no longer see the binding a rewritten pattern gave
it. Never inside a sub-SELECT, MINUS, SERVICE, VALUES or LATERAL, ``BOUND(?x)`` or after ``AS``,
so a nested group where one of those names the variable is left whole (MINUS and VALUES join
on it). The graph name of ``GRAPH ?x { … }`` belongs to that group (the engine binds it inside).
A text with a keyword glued to other letters (``trueOPTIONAL``, which the engine reads as two
words) is left as it is.
A literal is written only into expressions (an IRI also into triple patterns). A variable bound
at the top of the WHERE clause by ``BIND (COALESCE(?parameter, …) AS ?alias)`` with the
parameter given takes its value too, after that BIND (whatever the default).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox

from hrgraph.sparql.tokens import Token, lex

_OPAQUE = frozenset({"MINUS", "SERVICE", "LATERAL", "VALUES"})
_STRUCTURE = ("OPTIONAL", "UNION", "GRAPH", "FILTER", "BIND", "MINUS", "SERVICE", "VALUES",
              "LATERAL", "EXISTS", "SELECT")  # fmt: skip


def _glued(token: Token) -> bool:
    """A word holding a keyword that shapes groups glued to other letters (``trueOPTIONAL``:
    the engine needs no word boundary, so it reads ``true OPTIONAL``); a text with one is left
    as it is (its ``VALUES`` block alone binds the parameters)."""
    return (
        token.kind == "word"
        and token.value not in _STRUCTURE
        and any(keyword in token.value for keyword in _STRUCTURE)
    )


@dataclass
class _Group:
    role: str  # top, plain, optional, exists
    at: int  # index of its opening brace
    uses: list[tuple[int, str, str]] = field(default_factory=list)
    """(token index, variable, context) of each variable directly in it; the context is triple,
    filter, bind or never."""
    children: list[_Group] = field(default_factory=list)
    filter_children: set[int] = field(default_factory=set)  # ids of EXISTS groups in FILTERs
    hidden: set[str] = field(default_factory=set)  # variables in parts not read (sub-SELECT...)
    in_union: bool = False
    alias_binds: list[tuple[int, str, str]] = field(default_factory=list)
    """(index after the BIND, parameter, alias) for ``BIND (COALESCE(?p, d) AS ?alias)``."""


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens

    def kind(self, i: int) -> str:
        return self.tokens[i].kind if i < len(self.tokens) else "end"

    def value(self, i: int) -> str:
        return self.tokens[i].value if i < len(self.tokens) else ""

    def skip(self, i: int) -> int:
        """The index after the bracket opened at ``i`` closes."""
        depth = 0
        while i < len(self.tokens):
            if self.kind(i) == "open":
                depth += 1
            elif self.kind(i) == "close":
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1
        return i

    def variables(self, start: int, end: int) -> set[str]:
        return {self.value(j) for j in range(start, end) if self.kind(j) == "var"}

    def group(self, i: int, role: str) -> tuple[_Group, int]:
        """The group whose ``{`` is at ``i``; returns it and the index after its ``}``."""
        node = _Group(role, i)
        i += 1
        if self.value(i) == "SELECT":  # a sub-SELECT: its own scope
            node.role = "opaque"
            end = self.skip(i - 1)
            node.hidden = self.variables(i, end)
            return node, end
        while i < len(self.tokens):
            kind, value = self.kind(i), self.value(i)
            if kind == "close" and value == "}":
                return node, i + 1
            if kind == "word" and value in _OPAQUE:
                start = i
                while i < len(self.tokens) and not (
                    self.kind(i) == "open" and self.value(i) == "{"
                ):
                    i += 1
                i = self.skip(i)
                # its variables are the group's too (MINUS and VALUES join on them), unread
                node.hidden |= self.variables(start, i)
            elif kind == "word" and value in {"OPTIONAL", "UNION", "GRAPH"}:
                role_of = "optional" if value == "OPTIONAL" else "plain"
                i += 1
                graph_use = None
                if value == "GRAPH":
                    if self.kind(i) == "var":  # the engine binds it inside the group
                        graph_use = (i, self.value(i), "triple")
                    i += 1
                if self.value(i) == "{":
                    child, i = self.group(i, role_of)
                    if graph_use is not None:
                        child.uses.insert(0, graph_use)
                    if value == "UNION" and node.children:
                        node.children[-1].in_union = child.in_union = True
                    node.children.append(child)
            elif kind == "word" and value == "FILTER":
                i = self.expression(i + 1, node, "filter", bracketed=False)
            elif kind == "word" and value == "BIND":
                start = i
                i = self.expression(i + 1, node, "bind", bracketed=True)
                self.alias(start, i, node)
            elif kind == "open" and value == "{":
                child, i = self.group(i, "plain")
                node.children.append(child)
            elif kind == "var":
                node.uses.append((i, value, "triple"))
                i += 1
            else:
                i += 1
        return node, i

    def expression(self, i: int, node: _Group, context: str, *, bracketed: bool) -> int:
        """Reads a FILTER's constraint or a BIND's ``( … AS ?x )`` from ``i``."""
        if not bracketed and self.kind(i) in {"word", "iri", "pname"}:
            if self.value(i) == "NOT":
                i += 1
            if self.value(i) == "EXISTS" and self.value(i + 1) == "{":
                child, end = self.group(i + 1, "exists")
                node.children.append(child)
                node.filter_children.add(id(child))
                return end
            i += 1  # a function's name: its arguments follow
        if self.kind(i) != "open" or self.value(i) != "(":
            return i
        depth = 0
        while i < len(self.tokens):
            kind, value = self.kind(i), self.value(i)
            if kind == "open" and value == "{":  # EXISTS { … } inside the expression
                child, i = self.group(i, "exists")
                node.children.append(child)
                if context == "filter":
                    node.filter_children.add(id(child))
                else:
                    child.role = "opaque"
                continue
            if kind == "open":
                depth += 1
            elif kind == "close":
                depth -= 1
                if depth == 0:
                    return i + 1
            elif kind == "var":
                after_bound = self.value(i - 1) == "(" and self.value(i - 2) == "BOUND"
                never = after_bound or self.value(i - 1) == "AS"
                node.uses.append((i, value, "never" if never else context))
            i += 1
        return i

    def alias(self, start: int, end: int, node: _Group) -> None:
        """Notes ``BIND (COALESCE(?parameter, …) AS ?alias)``: with the parameter given, the
        alias is its value (COALESCE gives its first argument that has a value)."""
        head = [(self.kind(j), self.value(j)) for j in range(start, start + 5)]
        shape = [("word", "BIND"), ("open", "("), ("word", "COALESCE"), ("open", "(")]
        if head[:4] != shape or head[4][0] != "var":
            return
        depth, j = 0, start + 3
        while j < end:  # the parenthesis closing COALESCE's arguments
            if self.kind(j) == "open":
                depth += 1
            elif self.kind(j) == "close":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        as_alias = self.kind(j + 1) == "word" and self.value(j + 1) == "AS"
        if as_alias and self.kind(j + 2) == "var" and j + 4 == end:
            node.alias_binds.append((end, self.value(start + 4), self.value(j + 2)))


def _places(group: _Group, variable: str, after: int, *, literal: bool) -> list[int]:
    """Token indexes where ``variable`` may be written as its value (see the module)."""
    return _walk(group, variable, after, literal, entry_bound=True)


def _everywhere(group: _Group, variable: str) -> set[int]:
    """Every token index of ``variable`` in the group and inside it (-1: somewhere unread)."""
    found = {index for index, name, _ in group.uses if name == variable}
    if variable in group.hidden:
        found.add(-1)
    for child in group.children:
        found |= _everywhere(child, variable)
    return found


def _binds(group: _Group, variable: str) -> bool:
    """Whether a group joined into its parent (not a UNION branch) binds the variable in every row
    it gives, by a triple pattern of its own or of such a group in it."""
    if group.role != "plain" or group.in_union:
        return False
    if any(name == variable and context == "triple" for _, name, context in group.uses):
        return True
    return any(_binds(child, variable) for child in group.children)


def _walk(
    group: _Group, variable: str, after: int, literal: bool, *, entry_bound: bool
) -> list[int]:
    """The places in a group joined into a place where the variable has the value:
    ``entry_bound`` if every row its patterns start from binds it (the WHERE clause after
    ``after``, an EXISTS pattern), else a group whose rows are joined with such rows later."""
    own = [
        (index, context)
        for index, name, context in group.uses
        if name == variable and (index > after or context == "filter")
    ]
    triples = [index for index, context in own if context == "triple"]
    joined = [child.at for child in group.children if _binds(child, variable) and child.at > after]
    first = min(triples + joined, default=None)
    rows_bound = entry_bound or first is not None  # every row binds it: a FILTER sees the value
    found = [] if literal else list(triples)
    for index, context in own:
        bind_sees_it = entry_bound or (first is not None and first < index)
        if (context == "filter" and rows_bound) or (context == "bind" and bind_sees_it):
            found.append(index)
    for child in group.children:
        if child.role == "opaque" or (child.at < after and child.role != "exists"):
            continue
        if child.role == "exists":
            if id(child) in group.filter_children and rows_bound:
                found += _walk(child, variable, -1, literal, entry_bound=True)
        elif child.role == "plain":
            inner = _walk(child, variable, after, literal, entry_bound=False)
            if set(inner) == _everywhere(child, variable):  # all or none: see the module
                found += inner
        elif (entry_bound and child.at > after) or (first is not None and first < child.at):
            found += _walk_optional(child, variable, literal)
    return found


def _walk_optional(group: _Group, variable: str, literal: bool) -> list[int]:
    """The places in an OPTIONAL whose row to extend binds the variable to the value."""
    conditions = [i for i, name, context in group.uses if context == "filter" and name == variable]
    for child in group.children:
        if child.role == "exists" and id(child) in group.filter_children:
            conditions += _walk(child, variable, -1, literal, entry_bound=True)
    inner = _walk(group, variable, -1, literal, entry_bound=False)
    if set(inner) == _everywhere(group, variable):
        return inner
    return conditions


def inline(text: str, where: int, terms: Mapping[ox.Variable, ox.NamedNode | ox.Literal]) -> str:
    """``text`` with each bound parameter's term written at the places :func:`_places` allows
    in the WHERE clause whose ``{`` ends at offset ``where``, and at those of its aliases."""
    tokens, _depth, _structure, error = lex(text)
    if error is not None or not terms or any(_glued(token) for token in tokens):
        return text
    parser = _Parser(tokens)
    opening = next((i for i, t in enumerate(tokens) if t.end == where and t.value == "{"), None)
    if opening is None:
        return text
    top, _end = parser.group(opening, "top")
    values = {variable.value: term for variable, term in terms.items()}
    edits: dict[int, ox.NamedNode | ox.Literal] = {}
    for name, term in values.items():
        literal = isinstance(term, ox.Literal)
        for index in _places(top, name, -1, literal=literal):
            edits[index] = term
    for after, parameter, alias in top.alias_binds:
        given = values.get(parameter)
        if given is None or alias in values:
            continue
        for index in _places(top, alias, after, literal=isinstance(given, ox.Literal)):
            edits[index] = given
    out = text
    for index in sorted(edits, reverse=True):
        token = tokens[index]
        out = f"{out[: token.start]} {edits[index]} {out[token.end :]}"
    return out
