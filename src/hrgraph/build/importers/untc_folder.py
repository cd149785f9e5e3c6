"""A folder of UN Treaty Collection participant pages, one per instrument, to triples as one
import: every participant's signature and consent to be bound, the denunciations the bracketed
dates stand for, the declarations and reservations of some States, and each page as a source
listing every participant (docs/importers.md)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

import pyoxigraph as ox

from hrgraph.build.importers.common import (
    CONFIDENCE,
    LABEL,
    SOURCE,
    Cell,
    ImportFailed,
    ImportSummary,
    Progress,
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
from hrgraph.build.importers.common import HRG as HRG_NS
from hrgraph.build.importers.mappings import StateIndex
from hrgraph.build.importers.output import is_generated
from hrgraph.build.importers.recommendations import state_triples
from hrgraph.build.importers.runner import run_import
from hrgraph.build.importers.tables import resolve_columns
from hrgraph.build.importers.treaties import (
    COLUMNS,
    FOOTNOTES,
    MARKERS,
    REQUIRED,
    RULES,
    action_triples,
    cell_date,
    denunciation_triples,
    entry_into_force_triples,
    unbracket,
    untc_page,
)
from hrgraph.build.importers.untc_pages import Page, designations, is_page, read_page
from hrgraph.rdf.vocab import DCTERMS, ID, RDF_TYPE
from hrgraph.settings import Settings

ID_STATE = ID + "state/"


STATEMENT_STATES = ("KAZ", "POL", "SVN", "GBR")
"""The States whose declarations and reservations are imported from the pages: Kazakhstan and
its comparators (docs/importers.md). The pages give every participant's; the others are left
for now (their wording is long, and typing each by its effect needs reading it)."""
PROCEDURE_ARTICLES: dict[str, tuple[str, str]] = {
    "cat": ("22", "procedure/cat-art-22"),
    "cerd": ("14", "procedure/cerd-art-14"),
    "cped": ("31", "procedure/cped-art-31"),
    "icrmw": ("77", "procedure/icrmw-art-77"),
}
"""Instruments whose individual communications procedure a State accepts by a declaration under
an article: the article and the procedure (data/instruments.ttl)."""
PROTOCOL_PROCEDURES: dict[str, str] = {
    "iccpr-op1": "procedure/iccpr-op1",
    "op-cedaw": "procedure/op-cedaw",
    "op-crpd": "procedure/op-crpd",
    "crc-opic": "procedure/crc-opic",
    "op-icescr": "procedure/op-icescr",
}
"""Protocols whose communications procedure a State accepts by becoming a party (ICCPR-OP1
art. 1, OP-CEDAW art. 1, OP-CRPD art. 1, OPIC art. 1, OP-ICESCR art. 1)."""


_INDIVIDUALS = re.compile(
    r"communications?\s+(?:submitted\s+)?(?:from|by)\s+(?:or\s+on\s+behalf\s+of\s+)?"
    r"(?:individuals|persons)",
    re.IGNORECASE,
)


_LEADING_DATE = re.compile(r"^(\d{1,2} [A-Z][a-z]+ \d{4})\b")


def _other_states(settings: Settings, output: Path | None) -> frozenset[str]:
    """States described (typed hrg:State) in the data files other than ``output``: the
    generated data/world-states.ttl gives every State, so the import does not describe them."""
    typed_state = ox.NamedNode(HRG_NS + "State")
    found: set[str] = set()
    for path in sorted(settings.data_dir.glob("*.ttl")):
        if output is not None and path.resolve() == output.resolve():
            continue
        try:
            for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
                if triple.object == typed_state and triple.predicate == RDF_TYPE:
                    found.add(triple.subject.value)
        except (OSError, SyntaxError) as error:
            raise ImportFailed(f"{path}: cannot be read: {error}") from None
    return frozenset(found)


def _curated_statements(settings: Settings) -> frozenset[str]:
    """The consents to be bound (their IRIs) that carry a statement (hrg:hasStatement) in the
    curated files of data/: there the curated description of the State's statements on the
    instrument is kept, and the page's entries are not imported again."""

    has = ox.NamedNode(HRG_NS + "hasStatement")
    carriers: set[str] = set()
    for path in sorted(settings.data_dir.glob("*.ttl")):
        if is_generated(path):
            continue
        for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            if triple.predicate == has:
                carriers.add(triple.subject.value)
    return frozenset(carriers)


def import_untc_pages(
    settings: Settings,
    folder: Path,
    progress: Progress | None = None,
    *,
    dry_run: bool = False,
    as_at: str | None = None,
    output: Path | None = None,
    statement_states: Sequence[str] = STATEMENT_STATES,
) -> ImportSummary:
    """Import every UN Treaty Collection participant page in ``folder`` (``*.html`` or
    ``*.html.gz``, one per instrument, named by its treaty_id as in the UNTC export or holding
    its mtdsg_no) as one import: each participant's signature and consent to be bound with the
    entry into force from the instrument's own article, the denunciations the bracketed dates
    stand for, the declarations and reservations of ``statement_states``, and, for each page,
    its source: the instrument's UNTC page as at the page's status date, recorded as listing
    every participant (``hrg:listsParticipantsOf``), so that a State it does not list is known
    to have taken no action then."""
    paths = sorted(p for p in folder.iterdir() if p.is_file() and is_page(p))
    if not paths:
        raise ImportFailed(f"{folder}: no UN Treaty Collection pages (*.html, *.html.gz)")
    pages = [read_page(path, as_at) for path in paths]
    seen_instruments: dict[str, str] = {}
    for page in pages:
        other = seen_instruments.setdefault(page.instrument.mtdsg, page.path.name)
        if other != page.path.name:
            raise ImportFailed(
                f"{page.path.name} and {other} are both pages of {page.instrument.mtdsg}"
            )
    states = StateIndex.load(settings.data_dir / "mappings" / "states.csv")
    described = _other_states(settings, output)
    curated_statements = _curated_statements(settings)
    named: set[str] = set()
    seen: dict[tuple[str, str], int] = {}
    by_page = {page.path.name: page for page in pages}

    def page_node(page: Page) -> ox.NamedNode:
        return node(f"source/untc/{slug(page.instrument.mtdsg)}/{page.as_at}")

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        for page in pages:
            for number, cells in page.rows:
                yield number, [page.path.name, *cells]

    def convert(
        number: int, cells: list[Cell], source: ox.NamedNode, known: frozenset[str]
    ) -> Triples:
        page = by_page[str(cells[0])]
        try:
            return convert_row(number, page, cells[1:], known)
        except RowError as error:
            raise RowError(f"{page.path.name}: {error}") from None

    columns_of = {
        page.path.name: resolve_columns(page.path.name, page.header, COLUMNS, REQUIRED)
        for page in pages
    }

    def convert_row(number: int, page: Page, cells: list[Cell], known: frozenset[str]) -> Triples:
        columns = columns_of[page.path.name]

        def cell(name: str) -> Cell:
            index = columns.get(name)
            return cells[index] if index is not None and index < len(cells) else None

        instrument = page.instrument
        treaty = node(f"treaty/{instrument.slug}")
        source = page_node(page)
        match = FOOTNOTES.match(text(cell("Participant")))
        if match is None:
            raise RowError("no participant")
        code = states.code(match["name"])
        key = (code, instrument.slug)
        if key in seen:
            raise RowError(f"{match['name']!r} already given in row {seen[key]}")
        notes = [n.strip() for n in (match["notes"] or "").split(",") if n.strip()]
        signature_text, _ = unbracket(cell("Signature"))
        consent_text, denounced = unbracket(cell("Ratification"))
        out: Triples = []
        if text(signature_text):
            out += action_triples(code, treaty, instrument.slug, "Signature", "signature", "signs",
                                  cell_date(signature_text, "Signature")[0], source, known,
                                  cite_known=True)  # fmt: skip
        if text(consent_text):
            day, marker = cell_date(consent_text, "Ratification")
            cls, suffix, verb = MARKERS[marker]
            action = action_triples(code, treaty, instrument.slug, cls, suffix, verb, day, source,
                                    known, cite_known=True)  # fmt: skip
            subject = action[0][0]
            action += entry_into_force_triples(
                code, instrument, suffix, cls == "Succession", date.fromisoformat(day),
                subject, source, attest_rule=False,
            )  # fmt: skip
            if instrument.slug in PROTOCOL_PROCEDURES:
                action.append(
                    (subject, hrg("acceptsProcedure"), node(PROTOCOL_PROCEDURES[instrument.slug]))
                )
            if denounced:
                action += denunciation_triples(code, treaty, instrument.slug, day, notes,
                                               page.notes, source, known)  # fmt: skip
            out += action
            if code in statement_states:
                out += _statements(code, page, subject, states, curated_statements)
        if not out:
            raise RowError("neither a signature nor a ratification, accession or succession")
        seen[key] = number
        named.add(code)
        return out

    def finish(source: ox.NamedNode, known: frozenset[str]) -> Triples:
        out: Triples = []
        for page in pages:
            node_ = page_node(page)
            instrument = page.instrument
            out += [
                (node_, RDF_TYPE, hrg("Source")),
                (node_, LABEL, literal(
                    f"UN Treaty Collection, Chapter IV, {instrument.mtdsg}: status of the "
                    f"{instrument.slug.upper()} (status as at {page.as_at})", "en"
                )),
                (node_, hrg("url"), typed(untc_page(instrument.mtdsg), "anyURI")),
                (node_, hrg("asOf"), typed(page.as_at, "date")),
                (node_, hrg("listsParticipantsOf"), node(f"treaty/{instrument.slug}")),
                (node_, hrg("note"), literal(
                    f"The participants table, footnotes and declarations of the instrument's "
                    f"UN Treaty Collection page as at {page.as_at}, read from the saved page "
                    f"{page.path.name}. The page lists every participant: a State it does not "
                    "list had neither signed nor become a party by that date. Entry into force "
                    f"for a State ratifying or acceding after the instrument itself entered into "
                    f"force ({instrument.in_force.isoformat()}, {instrument.general}): computed "
                    f"under {instrument.article}, {RULES[instrument.rule]}; for a State that "
                    "deposited earlier and for a succession, an attestation on the consent says "
                    "how it was worked out.", "en"
                )),
                (node_, ox.NamedNode(DCTERMS + "source"), source),
            ]  # fmt: skip
        missing = sorted(code for code in named if ID_STATE + code.lower() not in described)
        out += state_triples(set(missing), known, source)
        return out

    first, *rest = paths
    return run_import(
        settings, "ratifications", first, rows(), convert, finish=finish,
        progress=progress, dry_run=dry_run, output=output, inputs=rest,
        comment=(
            "Every signature, ratification, accession and succession of the 18 instruments of "
            "the UN Treaty Collection's Chapter IV for every participant, with the entry into "
            "force from each instrument's own article, the denunciations (dates in square "
            "brackets), and the declarations and reservations of "
            f"{', '.join(statement_states)}; status as at {pages[0].as_at}.",
            "Each page is recorded as listing every participant of its instrument "
            "(hrg:listsParticipantsOf): 'not party' where a State is not listed.",
        ),
    )  # fmt: skip


def _statements(
    code: str,
    page: Page,
    consent: ox.NamedNode,
    states: StateIndex,
    curated: frozenset[str],
) -> Triples:
    """The State's entries in the page's statement lists, each one statement attached to its
    consent to be bound. An entry of the declarations under articles is an acceptance of a
    procedure (with the procedure where the article establishes individual communications); an
    entry of the declarations and reservations is typed by what the page calls it: only
    "reservation(s)" a reservation, only "declaration(s)" or "understanding(s)" a declaration
    (partly verified: its effect was not assessed, VCLT art. 2(1)(d)), both or neither the
    general hrg:StatementOnTreaty. Where the curated data already describes the State's
    statements on the instrument, nothing is added (the curated description is kept)."""
    instrument = page.instrument
    if consent.value in curated:
        return []
    out: Triples = []
    source = node(f"source/untc/{slug(instrument.mtdsg)}/{page.as_at}")
    entries = [s for s in page.statements if _matches(states, s.participant, code)]
    for index, statement in enumerate(entries):
        earlier = sum(1 for e in entries[:index] if e.section == statement.section)
        tail = f"-{earlier + 1}" if earlier else ""
        subject = node(f"statement/{code.lower()}/{instrument.slug}-untc-{statement.section}{tail}")
        called = designations(statement.text)
        confidence = "Verified"
        if statement.section == "declarations-under-articles":
            cls = "AcceptanceOfProcedure"
            words = "declarations recognising the competence of the committee"
            note = (
                "A declaration under an article of the instrument recognising the competence "
                "of its committee, as the UN Treaty Collection lists it."
            )
            rule = PROCEDURE_ARTICLES.get(instrument.slug)
            if rule and (
                re.search(
                    rf"\barticles?\s+(?:\d+\s*(?:,|and)\s*)*{rule[0]}\b", statement.text, re.I
                )
                or _INDIVIDUALS.search(statement.text)
            ):
                out.append((subject, hrg("acceptsProcedure"), node(rule[1])))
        else:
            kinds = {"reservation" if d == "reservation" else "declaration" for d in called}
            words = "declarations and reservations"
            if kinds == {"reservation"}:
                cls = "Reservation"
                note = "Called a reservation on the UN Treaty Collection page."
            elif kinds == {"declaration"}:
                cls, confidence = "Declaration", "PartlyVerified"
                note = (
                    f"Called {' and '.join(called)} on the UN Treaty Collection page and "
                    "typed as a declaration by that name: whether it purports to exclude or "
                    "modify the legal effect of a provision (and so is a reservation however "
                    "named, VCLT art. 2(1)(d)) was not assessed."
                )
            else:
                cls, confidence = "StatementOnTreaty", "PartlyVerified"
                named = " and ".join(called) if called else "nothing"
                note = (
                    f"The page's entry calls its parts {named}; it is kept whole, not typed "
                    "as a reservation or a declaration (each part's effect was not assessed)."
                )
            for designation in called:
                out.append((subject, hrg("designatedAs"), literal(designation, "en")))
        dated = _LEADING_DATE.match(statement.text)
        if dated:
            with contextlib.suppress(ValueError):
                out.append((subject, hrg("date"), typed(parse_date(dated[1]).isoformat(), "date")))
        out += [
            (consent, hrg("hasStatement"), subject),
            (subject, RDF_TYPE, hrg(cls)),
            (subject, LABEL, literal(
                f"{code}: {words} on the {instrument.slug.upper()} (UN Treaty Collection)", "en"
            )),
            (subject, hrg("text"), literal(statement.text, "en")),
            (subject, hrg("textIsSummary"), typed("false", "boolean")),
            (subject, hrg("note"), literal(note, "en")),
            (subject, SOURCE, source),
            (subject, CONFIDENCE, hrg(confidence)),
        ]  # fmt: skip
    return out


def _matches(states: StateIndex, participant: str, code: str) -> bool:
    try:
        return states.code(participant) == code
    except RowError:
        return False
