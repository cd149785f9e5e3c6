"""Linking UPR Info's records to the numbered recommendations of a Working Group report by their
text: UPR Info has no paragraph numbers, and splits a recommendation made by several States into
one record per State, so a record is matched to the paragraph whose wording (or the part of it
that its State gave) is most like its own, among the paragraphs its State made; several records
may match one paragraph, and a record that matches none well enough is left unmatched (and
listed), never forced onto a paragraph."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from hrgraph.build.importers.common import RowError
from hrgraph.build.importers.mappings import StateIndex
from hrgraph.build.importers.uprinfo import UprInfoRow

if TYPE_CHECKING:
    from hrgraph.build.importers.uprreport_text import Item

THRESHOLD = 0.6
"""The least similarity for a match with a paragraph of the record's own State."""
THRESHOLD_ANY_STATE = 0.9
"""The least similarity for a match with a paragraph of another State (a State spelt so that
the mapping does not know it, or recorded under another State)."""


@dataclass
class Match:
    row: UprInfoRow
    item: Item | None
    score: float


def normalise(value: str) -> str:
    """Text compared without case, accents, punctuation, spacing or a leading "To"/"That".

    >>> normalise("To sign and ratify the OP-ICESCR (Spain);")
    'sign and ratify the op icescr spain'
    """
    folded = unicodedata.normalize("NFKD", value.replace("\u2019", "'")).casefold()
    words = re.sub(r"[^a-z0-9]+", " ", folded.encode("ascii", "ignore").decode()).split()
    while words and words[0] in {"to", "that"}:
        words = words[1:]
    return " ".join(words)


def similarity(first: str, second: str) -> float:
    """The similarity ratio (0-1) of two normalised texts."""
    return SequenceMatcher(None, first, second, autojunk=False).ratio()


def match_rows(
    rows: Sequence[UprInfoRow], items: Sequence[Item], states: StateIndex
) -> list[Match]:
    """Each record with its best paragraph (or none), in the records' order."""
    texts: list[tuple[Item, set[str], list[tuple[str, set[str]]]]] = []
    for item in items:
        codes = {_code(states, name) for name in item.states} - {""}
        parts = [
            (normalise(part), {_code(states, name) for name in names} - {""})
            for part, names in item.parts
        ]
        texts.append((item, codes, [(normalise(item.text), codes), *parts]))
    out = []
    for row in rows:
        wording = normalise(row.text)
        codes = {_code(states, name) for name in row.recommending} - {""}
        own = [entry for entry in texts if codes & entry[1]]
        score, found = _best(wording, own, codes)
        if found is not None and score >= THRESHOLD:
            out.append(Match(row, found, round(score, 2)))
            continue
        other, other_item = _best(wording, [e for e in texts if not codes & e[1]], set())
        if other_item is not None and other >= THRESHOLD_ANY_STATE:
            out.append(Match(row, other_item, round(other, 2)))
        else:
            out.append(Match(row, None, round(max(score, other), 2)))
    return out


def _best(
    wording: str,
    entries: Sequence[tuple[Item, set[str], list[tuple[str, set[str]]]]],
    codes: set[str],
) -> tuple[float, Item | None]:
    """The most similar paragraph among ``entries`` (only the parts ``codes`` gave, if any)."""
    best: tuple[float, Item | None] = (0.0, None)
    for item, _item_codes, candidates in entries:
        for candidate, part_codes in candidates:
            if codes and part_codes and not codes & part_codes:
                continue  # the part another State gave
            if candidate == wording:
                return 1.0, item
            matcher = SequenceMatcher(None, wording, candidate, autojunk=False)
            if matcher.real_quick_ratio() <= best[0] or matcher.quick_ratio() <= best[0]:
                continue
            score = matcher.ratio()
            if score > best[0]:
                best = (score, item)
    return best


def _code(states: StateIndex, name: str) -> str:
    try:
        return states.code(name)
    except RowError:
        return ""
