"""The SPARQL lexer, as Oxigraph (pyoxigraph 0.5) reads a query or update: the tokens the
checks of :mod:`hrgraph.sparql.querycheck` decide on, the bracket nesting and the structural depth
(docs/architecture.md, security invariants). It is checked against the engine by property tests
(tests/test_querycheck_properties.py):

- ``\\uXXXX`` / ``\\UXXXXXXXX`` are decoded inside IRIs and strings only (the engine does not
  decode them anywhere else: ``\\u0053ELECT`` is a syntax error, ``"\\u0022"`` is a one-quote
  string and ``<http://x/\\u0041#>`` is the IRI ``http://x/A#``, not a comment);
- strings in all four quote forms with their escapes, comments to the end of the line, prefixed
  names with ``\\``-escapes and ``%XX`` as the grammar's PN_LOCAL, variables, blank nodes,
  language tags, numbers and RDF 1.2 triple terms (``<<``, ``<<(``, ``{|``) are tokens;
- ``<`` is read with its grammatical context: after an operand inside an expression it is the
  less-than operator (``FILTER(?a<'x>?b')`` compares with a string), elsewhere an IRI;
- the engine's keywords need no word boundary (``trueOPTIONAL{}`` and ``SELECTDISTINCT`` parse),
  so SERVICE and LOAD are looked for inside every run of letters and every prefix name.

Anything it cannot read the way the engine would is reported as an error with its position,
never raised: the checks refuse it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import NamedTuple

_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_U = _BASE + "_"
_CHARS = _U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_UCHAR = r"(?:\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})"
_ECHAR = r"(?:\\[tbnrf\"'\\])"

_IRIREF = re.compile(r"<(?:[^<>\"{}|^`\\\x00-\x20]|" + _UCHAR + r")*>")
_PNAME = re.compile(
    rf"(?P<prefix>[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?)?:"
    rf"(?P<local>(?:[{_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?)?"
)
_VAR = re.compile(rf"[?$][{_U}0-9][{_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*")
_BNODE = re.compile(rf"_:[{_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?")
_LANGTAG = re.compile(r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*(?:--[a-zA-Z]+)?")
_NUMBER = re.compile(
    r"[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+|[0-9]+[eE][+-]?[0-9]+"
    r"|[0-9]*\.[0-9]+|[0-9]+"
)
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_SPACE = re.compile(r"[ \t\r\n]+")
_STRINGS = (
    ("'''", re.compile(r"'''(?:(?:'|'')?(?:[^'\\]|" + _ECHAR + "|" + _UCHAR + r"))*'''")),
    ('"""', re.compile(r'"""(?:(?:"|"")?(?:[^"\\]|' + _ECHAR + "|" + _UCHAR + r'))*"""')),
    ("'", re.compile(r"'(?:[^'\\\n\r]|" + _ECHAR + "|" + _UCHAR + r")*'")),
    ('"', re.compile(r'"(?:[^"\\\n\r]|' + _ECHAR + "|" + _UCHAR + r')*"')),
)
_ESCAPE = re.compile(_UCHAR + "|" + _ECHAR)
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_PUNCT = ("^^", "&&", "||", "!=", "{|", "{", "}", "(", ")", "[", "]", ",", ";", ".", "*", "/")
_PUNCT2 = ("|", "^", "!", "=", "+", "-", "?", "~")
_PUNCT_RE = re.compile("|".join(map(re.escape, _PUNCT)))  # the first that matches, in order
_OPERATORS = frozenset({"||", "&&", "=", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/"})
_OPERATORS |= frozenset({"|", "^", "!", "?"})
_CHAINING: tuple[str, ...] = ("UNION", "OPTIONAL", "MINUS", "FILTER", "BIND", "GRAPH")
_CHAINING += ("SERVICE", "VALUES", "EXISTS", "LATERAL")
_OPERAND_END = frozenset({"var", "string", "number", "iri", "pname", "bnode", "langtag"})


class Token(NamedTuple):
    """One lexical token: ``kind`` is word, pname, iri, var, string, number, bnode, langtag,
    open, close or punct; ``value`` is the upper-cased word, the decoded IRI or string, the
    prefixed name as written, the variable name without ``?``/``$``, or the punctuation.
    (A named tuple: a long query has thousands of tokens, and the service lexes every query.)"""

    kind: str
    value: str
    start: int
    end: int


# A token from its (kind, value, start, end), built without the named tuple's own ``__new__``
# (a Python function): half the cost, and a query has thousands of tokens.
_token = partial(tuple.__new__, Token)


@dataclass
class _Frame:
    kind: str  # top, group, expr, list, quoted, annotation
    closer: str
    clause: str = "none"  # expr (SELECT/GROUP BY/ORDER BY/HAVING), values, none
    chain: int = 0
    groups: int = 0
    deepest_child: int = 0


def _decode(text: str) -> str:
    """Decode ``\\u``, ``\\U`` and the string escapes; ``ValueError`` for a code point the engine
    refuses (a surrogate or beyond U+10FFFF)."""

    def one(match: re.Match[str]) -> str:
        escape = match.group()
        if escape[1] in "uU":
            code = int(escape[2:], 16)
            if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
                raise ValueError(f"the escape {escape} is not a Unicode character")
            return chr(code)
        return _ECHARS[escape[1]]

    return _ESCAPE.sub(one, text)


def position(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def lex(text: str) -> tuple[list[Token], int, int, str | None]:
    """The tokens, the bracket depth and the structural depth (see :class:`Scan`), and the first
    reason the text cannot be read as the engine reads it."""
    tokens: list[Token] = []
    frames = [_Frame("top", "")]
    depth = deepest = structure = 0
    error: str | None = None
    index, size = 0, len(text)

    def fail(reason: str, at: int) -> None:
        nonlocal error
        if error is None:
            error = f"{reason} at {position(text, at)}"

    def push(kind: str, closer: str) -> None:
        nonlocal depth, deepest
        parent = frames[-1]
        if closer == "}":
            parent.groups += 1
            parent.clause = "none"
        frames.append(_Frame(kind, closer))
        depth += 1
        deepest = max(deepest, depth)

    def pop(at: int) -> None:
        nonlocal depth
        if len(frames) == 1:
            fail("a closing bracket without an opening one", at)
            return
        frame = frames.pop()
        depth -= 1
        parent = frames[-1]
        parent.deepest_child = max(parent.deepest_child, _frame_depth(frame))

    while index < size:
        char = text[index]
        if char in " \t\r\n":
            index = _SPACE.match(text, index).end()  # type: ignore[union-attr]
            continue
        if char == "#":
            ends = [p for p in (text.find("\n", index), text.find("\r", index)) if p >= 0]
            index = min(ends) if ends else size
            continue
        frame = frames[-1]
        start = index
        prev = tokens[-1] if tokens else None
        if char == "<":
            operand_end = prev is not None and (
                prev.kind in _OPERAND_END
                or (prev.kind == "close" and prev.value in {")", ")>>", "}"})
                or (prev.kind == "word" and prev.value.endswith(("TRUE", "FALSE")))
            )
            other = _IRIREF.match(text, index) if operand_end else None
            if other and frame.kind != "expr" and "'" in other.group():
                # read as an IRI here, but a quote in it would open a string if the engine
                # read the '<' as less-than: refused whatever frame the lexer thinks it is in
                fail(
                    f"a '<' that could be read as less-than or as the IRI {other.group()} "
                    "(write a space after a '<' that compares, or %27 for a quote in an IRI)",
                    start,
                )
            if frame.kind == "expr" and operand_end:
                value = "<=" if text.startswith("<=", index) else "<"
                if other and any(c in other.group() for c in "'#\\()[]"):
                    fail(
                        f"a '<' that could be read as less-than or as the IRI {other.group()} "
                        "(write a space after a '<' that compares)",
                        start,
                    )
                tokens.append(_token(("punct", value, start, start + len(value))))
                frame.chain += 1
                index += len(value)
                continue
            match = other or _IRIREF.match(text, index)
            if match:
                try:
                    value = _decode(match.group()[1:-1])
                except ValueError as problem:
                    fail(str(problem), start)
                    value = match.group()[1:-1]
                tokens.append(_token(("iri", value, start, match.end())))
                index = match.end()
                continue
            if text.startswith("<<(", index):
                tokens.append(_token(("open", "<<(", start, start + 3)))
                push("quoted", ")>>")
                index += 3
                continue
            if text.startswith("<<", index):
                tokens.append(_token(("open", "<<", start, start + 2)))
                push("quoted", ">>")
                index += 2
                continue
            fail("a '<' that is neither an IRI nor an operator", start)
            tokens.append(_token(("punct", "<", start, start + 1)))
            index += 1
            continue
        if char == ">":
            if frame.kind == "quoted" and frame.closer == ">>" and text.startswith(">>", index):
                tokens.append(_token(("close", ">>", start, start + 2)))
                pop(start)
                index += 2
                continue
            value = ">=" if text.startswith(">=", index) else ">"
            if frame.kind != "expr":
                fail(f"a '{value}' outside an expression", start)
            tokens.append(_token(("punct", value, start, start + len(value))))
            frame.chain += 1
            index += len(value)
            continue
        if char == ")" and frame.kind == "quoted" and frame.closer == ")>>":
            if text.startswith(")>>", index):
                tokens.append(_token(("close", ")>>", start, start + 3)))
                pop(start)
                index += 3
                continue
            fail("a triple term '<<(' closed without ')>>'", start)
        if char == "|" and frame.kind == "annotation" and text.startswith("|}", index):
            tokens.append(_token(("close", "|}", start, start + 2)))
            pop(start)
            index += 2
            continue
        if char in "'\"":
            for opener, pattern in _STRINGS:
                if text.startswith(opener, index):
                    match = pattern.match(text, index)
                    if match is None:
                        fail("a string that is not closed or holds an invalid escape", start)
                        index = size
                        break
                    body = match.group()[len(opener) : -len(opener)]
                    try:
                        value = _decode(body)
                    except ValueError as problem:
                        fail(str(problem), start)
                        value = body
                    tokens.append(_token(("string", value, start, match.end())))
                    index = match.end()
                    break
            continue
        if char in "?$":
            match = _VAR.match(text, index)
            if match:
                tokens.append(_token(("var", match.group()[1:], start, match.end())))
                index = match.end()
                continue
        if char == "_" and text.startswith("_:", index):
            match = _BNODE.match(text, index)
            if match is None:
                fail("an invalid blank node label", start)
                index += 2
                continue
            tokens.append(_token(("bnode", match.group(), start, match.end())))
            index = match.end()
            continue
        if char == "@":
            match = _LANGTAG.match(text, index)
            if match is None:
                fail("an invalid language tag", start)
                index += 1
                continue
            tokens.append(_token(("langtag", match.group()[1:].upper(), start, match.end())))
            index = match.end()
            continue
        if char.isdigit() or (char == "." and index + 1 < size and text[index + 1].isdigit()):
            match = _NUMBER.match(text, index)
            if match:
                tokens.append(_token(("number", match.group(), start, match.end())))
                index = match.end()
                continue
        match = _PNAME.match(text, index)
        if match:
            end = match.end()
            if (end < size and text[end] == "%") or (end < size and text[end] == "\\"):
                fail("an invalid escape in a prefixed name", end)
            tokens.append(_token(("pname", match.group(), start, end)))
            index = end
            _prefix_keywords(match.group().split(":", 1)[0].upper(), frame)
            continue
        match = _WORD.match(text, index)
        if match:
            word = match.group().upper()
            tokens.append(_token(("word", word, start, match.end())))
            index = match.end()
            _keywords(word, frame)
            continue
        if char == "{":
            annotation = text.startswith("{|", index)
            value = "{|" if annotation else "{"
            tokens.append(_token(("open", value, start, start + len(value))))
            push("annotation" if annotation else "group", "|}" if annotation else "}")
            index += len(value)
            continue
        if char in "([":
            if char == "[":
                kind = "list"
            elif frame.kind == "expr":
                kind = "expr"
            elif frame.kind in {"list", "quoted", "annotation"} or frame.clause == "values":
                kind = "list"
            elif frame.kind == "top" or frame.clause == "expr":
                kind = "expr"
            else:
                kind = _group_paren(prev, tokens[-2] if len(tokens) > 1 else None)
            tokens.append(_token(("open", char, start, start + 1)))
            push(kind, ")" if char == "(" else "]")
            index += 1
            continue
        if char in ")]}":
            if frame.closer != char:
                fail(f"a '{char}' that closes no matching bracket", start)
            tokens.append(_token(("close", char, start, start + 1)))
            pop(start)
            index += 1
            continue
        found = _PUNCT_RE.match(text, index)
        punct = found.group() if found else char if char in _PUNCT2 else None
        if punct is None:
            fail(f"the character {char!r}, which the SPARQL grammar does not allow here", start)
            index += 1
            continue
        tokens.append(_token(("punct", punct, start, start + len(punct))))
        if punct in _OPERATORS:
            frame.chain += 1
        index += len(punct)
    if len(frames) > 1 and error is None:
        fail(f"a bracket left open (expected {frames[-1].closer!r})", size)
    while len(frames) > 1:
        pop(size)
    structure = _frame_depth(frames[0]) - 1
    return tokens, deepest, structure, error


def _group_paren(prev: Token | None, before: Token | None) -> str:
    """In a group graph pattern, whether a ``(`` opens an expression (FILTER(, BIND(, a built-in
    or a function called by FILTER) or a list (a collection, a path group)."""
    if prev is not None and prev.kind == "word" and prev.value != "A":
        return "expr"
    if "FILTER" in _keyword_text(prev):
        return "expr"
    if prev is not None and prev.kind in {"iri", "pname"} and "FILTER" in _keyword_text(before):
        return "expr"
    return "list"


def _keywords(word: str, frame: _Frame) -> None:
    """What a run of letters (or a prefix name: the engine needs no word boundary after a
    keyword) tells: the graph-pattern keywords it chains, the clause it starts."""
    chain, clause = _keyword_effect(word)
    frame.chain += chain
    if clause is not None:
        frame.clause = clause


def _prefix_keywords(prefix: str, frame: _Frame) -> None:
    """:func:`_keywords` for a prefix name, which may end a keyword the engine reads without a
    word boundary (``ORDER BYex:f(?x)``) but is never ``VALUES``: a variable or ``(`` follows
    that keyword, not a colon. (Read as VALUES, a prefix such as ``xVALUES:`` made the ``(`` of
    a later FILTER a list, where ``<'x>`` reads as an IRI: what the engine reads as a string
    and a SERVICE after it was hidden.)"""
    chain, clause = _keyword_effect(prefix)
    frame.chain += chain
    if clause == "expr":
        frame.clause = clause


@lru_cache(maxsize=4096)
def _keyword_effect(word: str) -> tuple[int, str | None]:
    """The graph-pattern keywords ``word`` chains and the clause it starts, if any (kept: a
    query repeats its words)."""
    chain = sum(word.count(keyword) for keyword in _CHAINING)
    if any(k in word for k in ("SELECT", "HAVING", "ORDER", "GROUP")) or word.endswith("BY"):
        return chain, "expr"
    if word.endswith("VALUES"):
        return chain, "values"
    if word in {"WHERE", "LIMIT", "OFFSET"}:
        return chain, "none"
    return chain, None


def _keyword_text(token: Token | None) -> str:
    """The letters of a word, or of a prefixed name's prefix, upper-cased."""
    if token is None:
        return ""
    if token.kind == "word":
        return token.value
    if token.kind == "pname":
        return token.value.split(":", 1)[0].upper()
    return ""


def _frame_depth(frame: _Frame) -> int:
    """One for the bracket, plus the chain the parser folds into a left-deep tree, plus the
    deepest bracket inside."""
    return 1 + frame.chain + max(frame.groups - 1, 0) + frame.deepest_child
