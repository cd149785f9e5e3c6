"""The treaty actions every ratifications format shares (docs/importers.md): the 18
instruments of the UN Treaty Collection's Chapter IV and the rule of each one's entry into force
for a State consenting later, the columns and markers of a status table, and the triples of a
signature, a consent to be bound, its entry into force and a denunciation."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

import pyoxigraph as ox

from hrgraph.build.importers.common import (
    CONFIDENCE,
    LABEL,
    SOURCE,
    Cell,
    RowError,
    Triples,
    hrg,
    literal,
    node,
    parse_date,
    slug,
    text,
    typed,
)
from hrgraph.rdf.vocab import RDF_TYPE

COLUMNS: dict[str, tuple[str, ...]] = {
    "Participant": ("State", "Participants", "Participant(s)"),
    "Signature": ("Signature, Succession to signature(d)", "Signed"),
    "Ratification": (
        "Ratification, Accession(a), Succession(d)",
        "Ratification, Accession(a), Succession(d), Acceptance(A), Approval(AA)",
        "Ratification, Acceptance(A), Approval(AA), Accession(a), Succession(d)",
        "Ratification, Acceptance(A), Accession(a), Succession(d)",
        "Accession(a), Succession(d), Ratification",
        "Accession(a), Ratification",
        "Formal confirmation(c), Accession(a), Ratification",
        "Ratification/Accession",
    ),
    "Declarations": ("Declarations and Reservations", "Reservations/Declarations", "Footnotes"),
}
REQUIRED = {"Participant", "Signature", "Ratification"}
MARKERS = {
    "": ("Ratification", "ratification", "ratifies"),
    "a": ("Accession", "accession", "accedes to"),
    "d": ("Succession", "succession", "succeeds to"),
    "A": ("Ratification", "acceptance", "accepts"),
    "AA": ("Ratification", "approval", "approves"),
    "c": ("Ratification", "formal-confirmation", "formally confirms"),
}
"""The UN's markers after a date: the class, the IRI suffix and the verb of the label."""
_DATED = re.compile(
    r"^(?P<date>.*?\d{4})(?:\s+(?P<marker>AA|A|a|c|d))?(?:\s+(?P<notes>\d{1,2}(?:\s*,\s*\d{1,2})*))?$"
)
FOOTNOTES = re.compile(r"^(?P<name>.*?[^\d\s,])\s*(?P<notes>\d+(?:\s*,\s*\d+)*)?\s*$")


@dataclass(frozen=True)
class Instrument:
    """One of the 18 instruments of Chapter IV and the rule of its own entry into force."""

    mtdsg: str
    """The UN Treaty Collection's number, ``IV-4``."""
    untc_id: str
    """The export's treaty_id, ``iccpr``."""
    slug: str
    """The project's ``id/treaty/{slug}`` (data/instruments.ttl, iccpr.ttl, cat.ttl)."""
    in_force: date
    """The instrument's own entry into force, as its UNTC page gives it."""
    number: str
    """The article on entry into force: paragraph 1 for the instrument itself, paragraph 2 for
    a State consenting later (e.g. ICCPR art. 49)."""
    rule: str
    """``days:30`` (the thirtieth day after deposit), ``months:N`` (N months after deposit) or
    ``month-after:3`` (the first day of the month following three months after deposit)."""

    @property
    def general(self) -> str:
        return f"art. {self.number}(1)"

    @property
    def article(self) -> str:
        return f"{self.slug.upper()} art. {self.number}(2)"


INSTRUMENTS: tuple[Instrument, ...] = (
    Instrument("IV-2", "cerd", "cerd", date(1969, 1, 4), "19", "days:30"),
    Instrument("IV-3", "icescr", "icescr", date(1976, 1, 3), "27", "months:3"),
    Instrument("IV-3-a", "icescr_op", "op-icescr", date(2013, 5, 5), "18", "months:3"),
    Instrument("IV-4", "iccpr", "iccpr", date(1976, 3, 23), "49", "months:3"),
    Instrument("IV-5", "iccpr_op1", "iccpr-op1", date(1976, 3, 23), "9", "months:3"),
    Instrument("IV-8", "cedaw", "cedaw", date(1981, 9, 3), "27", "days:30"),
    Instrument("IV-8-b", "cedaw_op", "op-cedaw", date(2000, 12, 22), "16", "months:3"),
    Instrument("IV-9", "cat", "cat", date(1987, 6, 26), "27", "days:30"),
    Instrument("IV-9-b", "cat_op", "op-cat", date(2006, 6, 22), "28", "days:30"),
    Instrument("IV-11", "crc", "crc", date(1990, 9, 2), "49", "days:30"),
    Instrument("IV-11-b", "crc_op_ac", "crc-opac", date(2002, 2, 12), "10", "months:1"),
    Instrument("IV-11-c", "crc_op_sc", "crc-opsc", date(2002, 1, 18), "14", "months:1"),
    Instrument("IV-11-d", "crc_op_ic", "crc-opic", date(2014, 4, 14), "19", "months:3"),
    Instrument("IV-12", "iccpr_op2", "iccpr-op2", date(1991, 7, 11), "8", "months:3"),
    Instrument("IV-13", "cmw", "icrmw", date(2003, 7, 1), "87", "month-after:3"),
    Instrument("IV-15", "crpd", "crpd", date(2008, 5, 3), "45", "days:30"),
    Instrument("IV-15-a", "crpd_op", "op-crpd", date(2008, 5, 3), "13", "days:30"),
    Instrument("IV-16", "ced", "cped", date(2010, 12, 23), "39", "days:30"),
)  # fmt: skip
"""The 18 instruments: numbers and dates from their UNTC pages (status as at 3 February 2026:
"Entry into force: 23 March 1976, in accordance with article 49"), the rule for later consents
from each instrument's own article (paragraph 2 of the article named)."""
BY_MTDSG = {instrument.mtdsg.casefold(): instrument for instrument in INSTRUMENTS}
BY_ID = {instrument.untc_id: instrument for instrument in INSTRUMENTS}
BY_SLUG = {instrument.slug: instrument for instrument in INSTRUMENTS}
RULES = {
    "days:30": "on the thirtieth day after the date of deposit of the instrument",
    "months:3": "three months after the date of deposit of the instrument",
    "months:1": "one month after the date of deposit of the instrument",
    "month-after:3": "on the first day of the month following a period of three months after "
    "the date of deposit of the instrument",
}


UNTC_HOST = "https://treaties.un.org/"


def untc_page(mtdsg: str) -> str:
    """The instrument's status page in the UN Treaty Collection (Chapter IV)."""
    return f"{UNTC_HOST}Pages/ViewDetails.aspx?src=TREATY&mtdsg_no={mtdsg}&chapter=4&clang=_en"


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def entry_into_force(instrument: Instrument, deposit: date) -> tuple[date, str]:
    """The day the instrument enters into force for a State depositing on ``deposit``, and the
    note saying how: the instrument's own rule for later consents, or its own entry into force
    for a State that deposited before it.

    >>> iccpr, cat = BY_ID["iccpr"], BY_ID["cat"]
    >>> entry_into_force(iccpr, date(2006, 1, 24))[0], entry_into_force(cat, date(1998, 8, 26))[0]
    (datetime.date(2006, 4, 24), datetime.date(1998, 9, 25))
    >>> entry_into_force(iccpr, date(1972, 1, 6))[0]
    datetime.date(1976, 3, 23)
    """
    kind, number = instrument.rule.split(":")
    if kind == "days":
        computed = deposit + timedelta(days=int(number))
    elif kind == "months":
        computed = _add_months(deposit, int(number))
    else:
        after = _add_months(deposit, int(number))
        computed = _add_months(after.replace(day=1), 1)
    rule = f"{instrument.article}: {RULES[instrument.rule]}"
    if computed <= instrument.in_force:
        return instrument.in_force, (
            f"Deposited on {deposit.isoformat()}, before the instrument entered into force: in "
            f"force for the State on the instrument's own entry into force, "
            f"{instrument.in_force.isoformat()} ({instrument.general}; UN Treaty Collection); "
            f"not {computed.isoformat()} ({rule})."
        )
    return computed, (
        f"Computed from the deposit on {deposit.isoformat()} under {rule} "
        f"(the instrument itself in force since {instrument.in_force.isoformat()}, "
        f"{instrument.general})."
    )


def cell_date(value: Cell, column: str) -> tuple[str, str]:
    """The ISO day and the marker of a dated cell such as ``24 Jan 2006 a`` or a serial date."""
    if not isinstance(value, str):
        try:
            return parse_date(value).isoformat(), ""
        except ValueError as error:
            raise RowError(f"{column}: {error}") from None
    match = _DATED.match(text(value))
    if match is None:
        raise RowError(f"{column}: {value!r} is not a date")
    try:
        day = parse_date(match["date"]).isoformat()
    except ValueError as error:
        raise RowError(f"{column}: {error}") from None
    return day, match["marker"] or ""


def action_triples(
    code: str,
    instrument: ox.NamedNode,
    treaty: str,
    cls: str,
    suffix: str,
    verb: str,
    day: str,
    source: ox.NamedNode,
    known: frozenset[str],
    *,
    cite_known: bool = False,
) -> Triples:
    action = node(f"action/{code.lower()}/{slug(treaty)}-{suffix}")
    out: Triples = [
        (action, RDF_TYPE, hrg(cls)),
        (action, hrg("actingState"), node(f"state/{code.lower()}")),
        (action, hrg("instrument"), instrument),
        (action, hrg("date"), typed(day, "date")),
    ]
    if action.value not in known:
        out += [
            (action, LABEL, literal(f"{code} {verb} {treaty.upper()}", "en")),
            (action, SOURCE, source),
            (action, CONFIDENCE, hrg("Verified")),
        ]
    elif cite_known:
        out.append((action, SOURCE, source))  # a curated action: the date's source, no label
    return out


def entry_into_force_triples(
    code: str,
    instrument: Instrument,
    suffix: str,
    succession: bool,
    day: date,
    subject: ox.NamedNode,
    source: ox.NamedNode,
    *,
    attest_rule: bool = True,
) -> Triples:
    """``hrg:entryIntoForce`` of a consent to be bound and the attestation saying how it was
    worked out (the instrument's own article; for a succession, the notification's date).
    Without ``attest_rule`` a day computed by the instrument's rule for later consents gets no
    attestation of its own (the source says the rule once for all); only the exceptions do: a
    deposit before the instrument's own entry into force, and a succession."""
    if succession:
        start = max(day, instrument.in_force)
        note = (
            f"Notification of succession deposited on {day.isoformat()}. A successor State is "
            "bound from the date of the succession of States, which the UN Treaty Collection "
            "status does not give; the entry into force is recorded as the date of the "
            "notification (so the binding starts late, never early)."
        )
    else:
        start, note = entry_into_force(instrument, day)
        if not attest_rule and start > instrument.in_force:
            return [(subject, hrg("entryIntoForce"), typed(start.isoformat(), "date"))]
    attestation = node(
        f"attestation/untc/{code.lower()}-{instrument.slug}-{suffix}-entry-into-force"
    )
    return [
        (subject, hrg("entryIntoForce"), typed(start.isoformat(), "date")),
        (attestation, RDF_TYPE, hrg("Attestation")),
        (attestation, LABEL, literal(
            f"Entry into force of the {instrument.slug.upper()} for {code} (import)", "en"
        )),
        (attestation, hrg("attests"), subject),
        (attestation, hrg("attestedProperty"), hrg("entryIntoForce")),
        (attestation, hrg("note"), literal(note, "en")),
        (attestation, SOURCE, source),
        (attestation, CONFIDENCE, hrg("Verified")),
    ]  # fmt: skip


DENUNCIATIONS: dict[str, tuple[str, str]] = {
    "iccpr-op1": ("art. 12(1)", "months:3"),
    "cerd": ("art. 21", "months:12"),
    "cat": ("art. 31(1)", "months:12"),
    "crc": ("art. 52", "months:12"),
}
"""When a denunciation notified on a day takes effect, by the instrument's own article, for the
footnotes that give the notification but not the effect (ICCPR-OP1 art. 12(1): three months after
receipt; CERD art. 21, CAT art. 31(1), CRC art. 52: one year). The ICCPR, the ICESCR, CEDAW and
the Second Optional Protocol make no provision for denunciation."""
_BRACKETED = re.compile(r"^\[\s*(?P<inner>.*?)\s*\]$")
_EFFECT = re.compile(r"with effect from (?P<day>\d{1,2} [A-Z][a-z]+ \d{4})")
_NOTIFIED = re.compile(
    r"On (?P<day>\d{1,2} [A-Z][a-z]+ \d{4}),? the Government of .{1,120}? (?:notified|informed) "
    r"the Secretary-General (?:of its (?:decision to )?denunciation|of its decision to denounce"
    r"|that it had decided to denounce)"
)


def unbracket(value: Cell) -> tuple[Cell, bool]:
    """A UNTC date in square brackets (a consent or signature later denounced) without them."""
    if not isinstance(value, str):
        return value, False
    match = _BRACKETED.match(text(value))
    return (match["inner"], True) if match else (value, False)


def denunciation_triples(
    code: str,
    instrument: ox.NamedNode,
    treaty: str,
    consent: str,
    notes: list[str],
    page_notes: dict[str, str],
    source: ox.NamedNode,
    known: frozenset[str],
) -> Triples:
    """The denunciation a bracketed date stands for, dated from the participant's footnotes: the
    latest "with effect from" day they give, else the latest notification day plus the instrument's
    own period (:data:`DENUNCIATIONS`). The latest dates are taken: a State may have denounced,
    re-acceded and denounced again (Trinidad and Tobago, ICCPR-OP1, 1998 and 2000)."""
    texts = [page_notes[number] for number in notes if number in page_notes]
    effects = sorted(parse_date(m["day"]) for t in texts for m in _EFFECT.finditer(t))
    notified = sorted(parse_date(m["day"]) for t in texts for m in _NOTIFIED.finditer(t))
    if not effects and not notified:
        raise RowError(
            f"a bracketed date (denounced) but no denunciation date in footnote(s) "
            f"{', '.join(notes) or '(none)'} of the page"
        )
    day = notified[-1].isoformat() if notified else None
    if effects:
        effect = effects[-1]
        how = f"with effect from {effect.isoformat()}, as the page's footnote says"
    else:
        assert day is not None
        rule = DENUNCIATIONS.get(slug(treaty))
        if rule is None:
            raise RowError(
                f"a denunciation notified on {day} whose effect the footnote does not give, "
                f"and no rule for {treaty} in DENUNCIATIONS"
            )
        effect = _add_months(date.fromisoformat(day), int(rule[1].split(":")[1]))
        how = f"taking effect on {effect.isoformat()} under {treaty.upper()} {rule[0]}"
    action = node(f"action/{code.lower()}/{slug(treaty)}-denunciation")
    out: Triples = [
        (action, RDF_TYPE, hrg("Denunciation")),
        (action, hrg("actingState"), node(f"state/{code.lower()}")),
        (action, hrg("instrument"), instrument),
        (action, hrg("entryIntoForce"), typed(effect.isoformat(), "date")),
        (action, hrg("note"), literal(
            f"The UN Treaty Collection shows the consent to be bound deposited on {consent} in "
            f"square brackets: "
            f"denounced{f', notified on {day}' if day else ''}, {how} "
            f"(footnote(s) {', '.join(notes)} of the page).", "en",
        )),
    ]  # fmt: skip
    if day:
        out.append((action, hrg("date"), typed(day, "date")))
    if action.value not in known:
        out += [
            (action, LABEL, literal(f"{code} denounces {treaty.upper()}", "en")),
            (action, SOURCE, source),
            (action, CONFIDENCE, hrg("Verified")),
        ]
    return out
