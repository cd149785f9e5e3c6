"""Reading a UPR Working Group report's text (``hrgraph import upr-report``): its symbol,
date, session and State under review, its sections of recommendations with the position each
heading records, and each numbered recommendation with its wording and recommending States.

The text is a PDF's text layer: the paragraph number may stand on its own line ("1. " then the
text), a recommendation may run over a page break, one item may hold several States' wordings
("... (Slovenia); ratify ... (Republic of Korea)") or several States at its end ("(Hungary)
(Spain)"), a footnote marker may follow ("(Slovenia);2"), and the States' names may hold brackets
("(Iran (Islamic republic of))"). The sections' headings say what the State under review did:
"enjoy the support of" (supported), "did not enjoy the support ... would thus be noted" (noted),
"will be examined by ..., which will provide responses in due course" (no position yet).
docs/importers.md gives the details."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from hrgraph.build.importers.common import ImportFailed, RowError, parse_date
from hrgraph.build.importers.mappings import StateIndex

SUPPORTED, NOTED, EXAMINE = "Supported", "Noted", ""
STANCE_WORDS = {SUPPORTED: "supported", NOTED: "noted", EXAMINE: "to be examined"}


@dataclass
class Item:
    """One numbered recommendation of the report."""

    number: str
    section: str
    line: int
    raw: str = ""
    text: str = ""
    states: list[str] = field(default_factory=list)
    parts: list[tuple[str, list[str]]] = field(default_factory=list)
    """The wording each State (or group of States) gave, for matching: one part unless the
    item joins several wordings ("... (Slovenia); ratify ... (Republic of Korea)")."""


@dataclass
class Section:
    number: str
    line: int
    heading: str = ""
    items: list[Item] = field(default_factory=list)
    style: str = ""
    """How the items are numbered: "plain" ("1. " on its own line) or "dotted" ("124.1 ")."""

    def stance(self) -> str:
        heading = " ".join(self.heading.casefold().split())
        if any(
            words in heading
            for words in ("not enjoy", "not be supported", "not supported", "be noted", "will note")
        ):
            return NOTED
        if "examine" in heading:
            return EXAMINE
        if "enjoy the support" in heading or "enjoys the support" in heading:
            return SUPPORTED
        raise ImportFailed(
            f"line {self.line}: the heading of section {self.number} says neither that the "
            f"recommendations enjoy the support, are noted nor will be examined: {self.heading!r}"
        )


@dataclass
class Report:
    symbol: str
    day: date | None
    session: int | None
    state: str
    sections: list[Section]
    remarks: dict[str, str] = field(default_factory=dict)
    """Paragraph numbers (e.g. "95.7") to a later paragraph's remark on them, e.g. para. 96 of
    A/HRC/14/10: "Kazakhstan considers that recommendations Nos. 7, 8 ... have already been
    implemented or are in the process of implementation"."""

    @property
    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]

    def cycle(self) -> int:
        """The UPR cycle of the Working Group session: 1-12 first cycle (2008-2011), 13-26
        second (2012-2016), 27-40 third (2017-2022), 41-54 fourth (HRC resolutions 5/1 and
        16/21, and the Council's cycle calendar)."""
        if self.session is None:
            raise ImportFailed("the report does not name its Working Group session")
        for cycle, last in ((1, 12), (2, 26), (3, 40), (4, 54)):
            if self.session <= last:
                return cycle
        raise ImportFailed(f"Working Group session {self.session} is beyond the fourth cycle")


# --- reading the text ----------------------------------------------------------------------

_ORDINALS = {
    name: number
    for number, name in enumerate(
        [
            "first",
            "second",
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
            "eleventh",
            "twelfth",
            "thirteenth",
            "fourteenth",
            "fifteenth",
            "sixteenth",
            "seventeenth",
            "eighteenth",
            "nineteenth",
        ],
        start=1,
    )
}
_TENS = {"twent": 20, "thirt": 30, "fort": 40, "fift": 50}
_UNITS = dict(
    zip(
        ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"],
        range(1, 10),
        strict=True,
    )
)


def ordinal(word: str) -> int | None:
    """'seventh' -> 7, 'twentieth' -> 20, 'thirty-fourth' -> 34; None if not an ordinal."""
    word = word.casefold().strip()
    if word in _ORDINALS:
        return _ORDINALS[word]
    for stem, tens in _TENS.items():
        if word == stem + "ieth":
            return tens
        if word.startswith(stem + "y-") or word.startswith(stem + "y "):
            unit = _ORDINALS.get(word[len(stem) + 2 :])
            return tens + unit if unit is not None and unit < 10 else None
    return None


ITEM_DOTTED = re.compile(r"^\s*(\d{2,3})\.(\d{1,3})\.?\s+(\S.*)$")
NUMBERED = re.compile(r"^\s*(\d{1,3})\.(?!\d)\s*(.*)$")
SYMBOL = re.compile(r"\bA/HRC/\d+/\d+\b")
DAY = re.compile(
    r"\b(\d{1,2}) (January|February|March|April|May|June|July|August|September|October|"
    r"November|December) (\d{4})\b"
)
HEADING = re.compile(r"^\s*(?:[IVX]+\.?\s+)?conclusions and/or recommendations", re.IGNORECASE)
END = re.compile(r"^\s*(all conclusions|annex\b)", re.IGNORECASE)


def parse_report(content: str, name: str = "report") -> Report:
    """The recommendations of a Working Group report's text; :class:`ImportFailed` naming the
    line where the numbering or the layout is not what a Working Group report has."""
    lines = content.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    head = "\n".join(lines[:40])
    symbol = SYMBOL.search(head)
    contents = next((i for i, line in enumerate(lines) if line.strip() == "Contents"), 40)
    day = None
    for line in lines[:contents]:
        found = DAY.search(line)
        if found:
            day = parse_date(found[0])
            break
    session = None
    found_session = re.search(r"held its ([a-z]+(?:[- ][a-z]+)?) session", content, re.IGNORECASE)
    if found_session:
        session = ordinal(found_session[1])
    state = _state_under_review(lines)
    starts = [i for i, line in enumerate(lines) if HEADING.match(line) and ".." not in line]
    if not starts:
        raise ImportFailed(f"{name}: no section 'Conclusions and/or recommendations' found")
    sections = _sections(lines, starts[-1] + 1, name)
    report = Report(symbol[0] if symbol else "", day, session, state, [])
    last: Section | None = None
    for section in sections:
        if section.items:
            section.stance()  # a heading the importer cannot read is refused here
            report.sections.append(section)
            last = section
            continue
        numbers = re.search(r"recommendations? nos?\.?\s*([\d,\sand]+)", section.heading, re.I)
        if numbers and last is not None:
            after = re.split(
                r"nos?\.?\s*(?:\d+|,|\s|\band\b)+(?:above\s+)?",
                section.heading,
                maxsplit=1,
                flags=re.I,
            )
            phrase = " ".join(after[-1].split()).rstrip(". ") if len(after) > 1 else ""
            remark = (
                f"In para. {section.number}, {report.state or 'the State'} lists it among the "
                f"recommendations that, it considers, {phrase}."
                if phrase
                else f"Para. {section.number}: {' '.join(section.heading.split())}"
            )
            for number in re.findall(r"\d+", numbers[1]):
                report.remarks[f"{last.number}.{number}"] = remark
        elif "recommendation" in section.heading.casefold() and "following" in section.heading:
            raise ImportFailed(
                f"{name}: line {section.line}: section {section.number} announces "
                "recommendations but lists none"
            )
    if not report.sections:
        raise ImportFailed(f"{name}: no numbered recommendations found after the heading")
    return report


def _state_under_review(lines: Sequence[str]) -> str:
    for i, line in enumerate(lines[:60]):
        if "Report of the Working Group on the Universal Periodic Review" in line:
            for following in lines[i + 1 : i + 8]:
                cleaned = following.strip()
                if cleaned and not cleaned.startswith("*") and cleaned != "Contents":
                    return cleaned
    return ""


def _sections(lines: Sequence[str], start: int, name: str) -> list[Section]:
    sections: list[Section] = []
    section: Section | None = None
    item: Item | None = None
    expected = 1

    def add_text(value: str) -> None:
        value = value.strip()
        if not value:
            return
        if item is not None:
            item.raw = f"{item.raw} {value}".strip()
        elif section is not None:
            section.heading = f"{section.heading} {value}".strip()

    for index in range(start, len(lines)):
        line, number = lines[index], index + 1
        dotted = ITEM_DOTTED.match(line)
        plain = NUMBERED.match(line)
        if dotted and section is not None and dotted[1] == section.number:
            if int(dotted[2]) != expected:
                raise ImportFailed(
                    f"{name}: line {number}: recommendation {dotted[1]}.{dotted[2]} where "
                    f"{section.number}.{expected} was expected"
                )
            item = Item(f"{dotted[1]}.{dotted[2]}", section.number, number, dotted[3].strip())
            section.items.append(item)
            section.style = "dotted"
            expected += 1
        elif (
            plain and section is not None and section.style != "dotted"
            and int(plain[1]) == expected
        ):  # fmt: skip
            item = Item(f"{section.number}.{plain[1]}", section.number, number, plain[2].strip())
            section.items.append(item)
            section.style = "plain"
            expected += 1
        elif (
            plain
            and int(plain[1]) > (int(section.number) if section else 0)
            and (section is not None or int(plain[1]) >= 10)
        ):
            if END.match(plain[2]):
                break
            section = Section(plain[1], number, plain[2].strip())
            sections.append(section)
            item = None
            expected = 1
        elif END.match(line) and section is not None and item is not None:
            break
        else:
            add_text(line)
    return sections


# --- States and wording --------------------------------------------------------------------


def _groups(value: str) -> list[tuple[int, int, str]]:
    """The top-level bracketed groups of ``value``: (start, end, content)."""
    out = []
    depth, begin = 0, 0
    for position, char in enumerate(value):
        if char == "(":
            if depth == 0:
                begin = position
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                out.append((begin, position + 1, value[begin + 1 : position]))
    return out


def split_states(
    raw: str, states: StateIndex
) -> tuple[str, list[str], list[tuple[str, list[str]]]]:
    """An item's wording, its recommending States (as written) and its parts (each State's
    wording); :class:`RowError` if no recommending State is found at its end."""
    value = " ".join(raw.split())
    value = re.sub(r"\)\s*([;.,]?)\s*\d{1,2}\s*$", r")\1", value)  # "(Slovenia);2": footnote 2
    value = re.sub(r"[\s;.,]+$", "", value)

    def is_state(name: str) -> bool:
        try:
            states.code(name)
        except RowError:
            return False
        return True

    named = [group for group in _groups(value) if is_state(group[2])]
    trailing: list[tuple[int, int, str]] = []
    end = len(value)
    for group in reversed(named):
        if value[group[1] : end].strip(" ;.,") == "":
            trailing.insert(0, group)
            end = group[0]
        else:
            break
    if not trailing:
        last = _groups(value)[-1][2] if _groups(value) else ""
        hint = f" ('({last})' is not a State in data/mappings/states.csv)" if last else ""
        raise RowError(f"no recommending State in brackets at the end of the item{hint}")
    text = value[: trailing[0][0]].strip()
    text = re.sub(r"(?<=[a-z])\d{1,2}$", "", text)  # "employment1 (Belarus)": footnote 1
    parts: list[tuple[str, list[str]]] = []
    begin = 0
    pending: list[str] = []
    for group in named:
        between = value[begin : group[0]]
        if pending and between.strip(" ;,"):
            parts[-1] = (parts[-1][0], pending)
            pending = []
        if between.strip(" ;,"):
            parts.append((between.strip(" ;,"), []))
        pending.append(group[2])
        begin = group[1]
    if parts:
        parts[-1] = (parts[-1][0], pending)
    return text, [group[2] for group in named], parts
