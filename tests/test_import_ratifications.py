"""hrgraph import ratifications: the UN Treaty Collection export of Chapter IV (all instruments in
one file) and a treaty-status table of one treaty (a/d/A/AA markers and footnotes).

tests/fixtures/imports/un_hr_ratifications-2026-02-03.csv reproduces the real export
(un_hr_ratifications.csv, scraped from treaties.un.org ViewDetails pages IV-2 ... IV-16, status
as at 3 February 2026; ../shared/data/README.md section 1): its header, and rows copied from it
(rows 2-14) with its quirks:
- row 5: "Czech Republic", not "Czechia" (the export's name for the State in every table);
- rows 6-7: the former German Democratic Republic and Czechoslovakia, extra rows seen in the
  CEDAW, ICCPR and ICESCR tables (README section 1: "extra rows for the former GDR and
  Czechoslovakia"): not States with a current ISO code, skipped and listed;
- row 9: "Netherlands (Kingdom of the)", the first of the Netherlands' rows (only the first row is
  kept for the UK, the Netherlands, Portugal and China; README section 1);
- row 10: an accented name, "Türkiye";
- rows 4 and 11: a signature with an empty action_type and action_date (signed, not ratified);
- row 12: the European Union, a participant of the CRPD that is not a State;
Rows 15-18 are constructed: a row without a name (the CRC table's nameless row, README section
1), a participant given twice, an impossible date, an instrument outside the 18 (IV-1).
tests/fixtures/imports/hr_status_iccpr-2022.csv is the header and Kazakhstan's row of another real
format (world-politics-datalab hr_status_iccpr.csv, README section 2), which is refused.
tests/fixtures/imports/untc-pages-2026-02-03/ holds three cut-down UNTC participant pages, read as
one import (each file's opening comment names its quirks and where they were seen)."""

from __future__ import annotations

import gzip
import re
import shutil
from datetime import date, datetime
from pathlib import Path

import pyoxigraph as ox
import pytest
from servers import build_project_copy

from hrgraph.build.importers.common import ImportFailed, SkippedRow
from hrgraph.build.importers.ratifications import import_ratifications
from hrgraph.build.pipeline import build
from hrgraph.cli.main import main
from hrgraph.settings import Settings
from hrgraph.store.generations import StoreLocation
from hrgraph.store.local import GraphStore

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "imports"
TABLE = FIXTURES / "treaty-status-iccpr.csv"
GRAPH = "https://w3id.org/hrgraph/graph/import/ratifications/treaty-status-iccpr"
EXPORT = FIXTURES / "un_hr_ratifications-2026-02-03.csv"
EXPORT_GRAPH = "https://w3id.org/hrgraph/graph/import/ratifications/un-hr-ratifications-2026-02-03"
HRG = "https://w3id.org/hrgraph/ontology#"
ID = "https://w3id.org/hrgraph/id/"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@pytest.fixture(scope="module")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A project of the curated data (not the world's treaty actions and UPR records, which
    every import would infer over again), built once for the module; the store is copied for
    each test."""
    return build_project_copy(tmp_path_factory.mktemp("ratifications"), ROOT, world=False)


@pytest.fixture
def settings(tmp_path: Path, built_store: tuple[Path, Path]) -> Settings:
    project, store = built_store
    shutil.copytree(store, tmp_path / "store", symlinks=True)
    return Settings(root=project, store_path=tmp_path / "store")


@pytest.fixture
def bundled(tmp_path: Path) -> Settings:
    """A store of all the bundled data, the world's included."""
    settings = Settings(root=ROOT, store_path=tmp_path / "store")
    build(settings)
    return settings


def actions(settings: Settings, graph: str = GRAPH) -> dict[str, tuple[str, str]]:
    assert settings.store_path is not None
    store = GraphStore.open_read_only(StoreLocation(settings.store_path))
    result = store.query(f"""SELECT ?a ?cls ?date WHERE {{ GRAPH <{graph}> {{
        ?a a ?cls ; <https://w3id.org/hrgraph/ontology#date> ?date }} }}""")
    assert isinstance(result, ox.QuerySolutions)
    found = {
        r["a"].value.removeprefix(ID + "action/"): (r["cls"].value.rsplit("#")[-1], r["date"].value)
        for r in result
    }
    store.close()
    return found


def test_the_table_imports_with_markers_and_bad_rows(settings: Settings) -> None:
    summary = import_ratifications(settings, TABLE, "iccpr")
    assert (summary.rows, summary.imported, len(summary.skipped)) == (11, 6, 5)
    reasons = {skip.row: skip.reason for skip in summary.skipped}
    assert "unknown State 'Atlantis'" in reasons[8]
    assert "'32 Foo 1995' is not a date" in reasons[9]
    assert "already given in row 2" in reasons[10]
    assert "neither a signature" in reasons[11]
    assert "'22 Aug 1979 X' is not a date" in reasons[12]
    found = actions(settings)
    assert found["kgz/iccpr-accession"] == ("Accession", "1994-10-07")
    assert found["cze/iccpr-succession"] == ("Succession", "1993-02-22")
    assert found["nld/iccpr-acceptance"] == ("Ratification", "1978-12-11")
    assert found["dnk/iccpr-approval"] == ("Ratification", "1972-01-06")
    assert found["kaz/iccpr-ratification"] == ("Ratification", "2006-01-24")  # the curated IRI
    assert found["deu/iccpr-signature"] == ("Signature", "1968-10-09")


def test_footnotes_become_declarations(settings: Settings) -> None:
    import_ratifications(settings, TABLE, "iccpr")
    assert settings.store_path is not None
    store = GraphStore.open_read_only(StoreLocation(settings.store_path))
    assert store.query(f"""ASK {{ <{ID}action/deu/iccpr-ratification>
        <https://w3id.org/hrgraph/ontology#hasStatement> ?s .
        ?s <https://w3id.org/hrgraph/ontology#note> ?note }}""")
    assert store.query(f"""ASK {{ <{ID}action/cze/iccpr-succession>
        <https://w3id.org/hrgraph/ontology#hasStatement>/<https://w3id.org/hrgraph/ontology#note>
        "see footnote(s) 5 of the status table"@en }}""")


def test_an_unknown_treaty_is_refused_and_nothing_changes(settings: Settings) -> None:
    assert settings.store_path is not None
    before = StoreLocation(settings.store_path).current()
    with pytest.raises(ImportFailed, match="no treaty"):
        import_ratifications(settings, TABLE, "no-such-treaty")
    assert StoreLocation(settings.store_path).current() == before


# --- the UN Treaty Collection export -------------------------------------------------------------


def select(settings: Settings, query: str) -> list[tuple[str, ...]]:
    assert settings.store_path is not None
    store = GraphStore.open_read_only(StoreLocation(settings.store_path))
    result = store.query(query)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    rows = sorted(
        tuple(row[name].value if row[name] is not None else "" for name in names) for row in result
    )
    store.close()
    return rows


def test_the_untc_export_imports_every_instrument_with_its_quirks(settings: Settings) -> None:
    summary = import_ratifications(settings, EXPORT)
    assert (summary.rows, summary.imported, len(summary.skipped)) == (17, 10, 7)
    reasons = {skip.row: skip.reason for skip in summary.skipped}
    assert reasons[6].startswith("unknown State 'German Democratic Republic'")
    assert reasons[7].startswith("unknown State 'Czechoslovakia'")
    assert reasons[12].startswith("unknown State 'European Union'")
    assert reasons[15] == "no participant name (country_name is empty)"
    assert reasons[16] == "'Kazakhstan' (KAZ) already given for IV-4 in row 2"
    assert reasons[17] == "action_date: '1995-02-30' is not a date (YYYY-MM-DD)"
    assert reasons[18].startswith("mtdsg_no 'IV-1' is not one of the 18 instruments")
    found = actions(settings, EXPORT_GRAPH)
    assert found == {
        "kaz/iccpr-signature": ("Signature", "2003-12-02"),
        "kaz/iccpr-ratification": ("Ratification", "2006-01-24"),  # the curated IRI
        "kaz/cat-accession": ("Accession", "1998-08-26"),
        "kaz/op-icescr-signature": ("Signature", "2010-09-23"),
        "cze/iccpr-succession": ("Succession", "1993-02-22"),
        "dnk/iccpr-signature": ("Signature", "1968-03-20"),
        "dnk/iccpr-ratification": ("Ratification", "1972-01-06"),
        "nld/cedaw-signature": ("Signature", "1980-07-17"),
        "nld/cedaw-ratification": ("Ratification", "1991-07-23"),
        "tur/crc-opac-signature": ("Signature", "2000-09-08"),
        "tur/crc-opac-ratification": ("Ratification", "2004-05-04"),
        "btn/cerd-signature": ("Signature", "1973-03-26"),
        "kgz/crc-accession": ("Accession", "1994-10-07"),
        "kgz/icrmw-accession": ("Accession", "2003-09-29"),
    }
    assert len(found) == 14


def test_entry_into_force_follows_each_instruments_own_article(settings: Settings) -> None:
    import_ratifications(settings, EXPORT)
    rows = select(
        settings,
        f"""SELECT ?a ?eif ?note WHERE {{ GRAPH <{EXPORT_GRAPH}> {{
        ?a <{HRG}entryIntoForce> ?eif .
        ?att <{HRG}attests> ?a ; <{HRG}attestedProperty> <{HRG}entryIntoForce> ;
             <{HRG}note> ?note }} }}""",
    )
    eif = {a.removeprefix(ID + "action/"): (day, note) for a, day, note in rows}
    # ICCPR art. 49(2): three months after deposit.
    assert eif["kaz/iccpr-ratification"][0] == "2006-04-24"
    assert "ICCPR art. 49(2): three months after" in eif["kaz/iccpr-ratification"][1]
    # CAT art. 27(2): the thirtieth day after deposit.
    assert eif["kaz/cat-accession"][0] == "1998-09-25"
    assert "CAT art. 27(2): on the thirtieth day after" in eif["kaz/cat-accession"][1]
    # OPAC art. 10(2): one month; CMW art. 87(2): the first day of the month after three months.
    assert eif["tur/crc-opac-ratification"][0] == "2004-06-04"
    assert eif["kgz/icrmw-accession"][0] == "2004-01-01"
    # A deposit before the instrument entered into force: its own date (ICCPR art. 49(1)).
    assert eif["dnk/iccpr-ratification"][0] == "1976-03-23"
    assert "before the instrument entered into force" in eif["dnk/iccpr-ratification"][1]
    # A succession: the date of the notification, said to be late.
    assert eif["cze/iccpr-succession"][0] == "1993-02-22"
    assert "date of the succession of States" in eif["cze/iccpr-succession"][1]
    # The treaty bindings derived by the build follow (src/hrgraph/build/inference.py).
    bindings = select(
        settings,
        f"""SELECT ?from WHERE {{
        <{ID}binding/kaz/cat> <{HRG}validFrom> ?from }}""",
    )
    assert bindings == [("1998-09-25",)]


def test_the_source_is_the_untc_page_as_at_the_files_date(bundled: Settings) -> None:
    """Each action cites the instrument's UNTC page as at the file's date. The bundled data
    (data/world-treaty-actions.ttl, data/world-states.ttl) already describes these actions and
    States: the import cites the page for them and never relabels them."""
    import_ratifications(bundled, EXPORT)
    page = f"{ID}source/untc/iv-4/2026-02-03"
    rows = select(
        bundled,
        f"""SELECT ?url ?label WHERE {{ GRAPH <{EXPORT_GRAPH}> {{
        <{ID}action/dnk/iccpr-ratification> <{HRG}source> <{page}> .
        <{page}> a <{HRG}Source> ; <{HRG}url> ?url ; <http://www.w3.org/2000/01/rdf-schema#label>
            ?label }} }}""",
    )
    assert rows == [(
        "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=IV-4&chapter=4&clang=_en",
        "UN Treaty Collection, Chapter IV, IV-4: International Covenant on Civil and Political "
        "Rights (status as at 2026-02-03)",
    )]  # fmt: skip
    # A State the data already describes keeps its label (data/world-states.ttl: UNTERM's name).
    assert select(
        bundled,
        f"""SELECT ?g ?l WHERE {{ GRAPH ?g {{ <{ID}state/tur>
        <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER (LANG(?l) = "en") }} }}""",
    ) == [("https://w3id.org/hrgraph/graph/data/world-states", "Türkiye")]


def test_a_reimport_does_not_duplicate(settings: Settings) -> None:
    import_ratifications(settings, EXPORT)
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{EXPORT_GRAPH}> {{ ?s ?p ?o }} }}"
    first = select(settings, count)
    summary = import_ratifications(settings, EXPORT)
    assert summary.imported == 10
    assert select(settings, count) == first
    assert len(actions(settings, EXPORT_GRAPH)) == 14


def test_an_unknown_format_is_refused_naming_the_columns(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert settings.store_path is not None
    before = StoreLocation(settings.store_path).current()
    code = main(["import", "ratifications", str(FIXTURES / "hr_status_iccpr-2022.csv"),
                 "--store", str(settings.store_path), "--quiet"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    assert "not a treaty-status format hrgraph reads" in err
    assert "country_name, treaty_id, treaty_name, action_type, action_date" in err
    assert "Participant, Signature, Ratification, Declarations" in err
    assert "found: 'iso2', 'member', 'state party', 'year ratification or accession'" in err
    assert StoreLocation(settings.store_path).current() == before
    # The export names each row's instrument; the status table needs --treaty.
    with pytest.raises(ImportFailed, match="leave out --treaty"):
        import_ratifications(settings, EXPORT, "iccpr")
    with pytest.raises(ImportFailed, match="give --treaty SLUG"):
        import_ratifications(settings, TABLE)


def test_the_cli_reads_the_export_without_treaty(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["import", "ratifications", str(EXPORT), "--store", str(settings.store_path),
                 "--quiet", "--dry-run"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert "rows read: 17, imported: 10, skipped: 7" in out
    assert "row 15: skipped: no participant name" in out


# --- a UNTC participant page: denunciations end the binding --------------------------------------

PAGE = FIXTURES / "untc-iccpr-op1-page.html"
PAGE_GRAPH = "https://w3id.org/hrgraph/graph/import/ratifications/untc-iccpr-op1-page"


def test_a_untc_page_with_bracketed_dates_ends_the_bindings(settings: Settings) -> None:
    summary = import_ratifications(settings, PAGE, "iccpr-op1")
    assert (summary.rows, summary.imported, len(summary.skipped)) == (5, 5, 0)
    found = actions(settings, PAGE_GRAPH)
    assert found["jam/iccpr-op1-signature"] == ("Signature", "1966-12-19")
    assert found["jam/iccpr-op1-ratification"] == ("Ratification", "1975-10-03")
    assert found["jam/iccpr-op1-denunciation"] == ("Denunciation", "1997-10-23")
    assert found["blr/iccpr-op1-denunciation"] == ("Denunciation", "2022-11-08")
    assert found["tto/iccpr-op1-denunciation"] == ("Denunciation", "2000-03-27")
    assert "kaz/iccpr-op1-denunciation" not in found
    bindings = select(
        settings,
        f"""SELECT ?b ?from ?until WHERE {{
        ?b a <{HRG}TreatyBinding> ; <{HRG}boundInstrument> <{ID}treaty/iccpr-op1> ;
           <{HRG}validFrom> ?from . OPTIONAL {{ ?b <{HRG}validUntil> ?until }}
        FILTER (?b IN (<{ID}binding/jam/iccpr-op1>, <{ID}binding/blr/iccpr-op1>,
                       <{ID}binding/tto/iccpr-op1>, <{ID}binding/kaz/iccpr-op1>)) }}""",
    )
    until = {b.removeprefix(ID + "binding/"): rest for b, *rest in bindings}
    # Jamaica: ratified before the Protocol's entry into force (art. 9(1)); the footnote gives
    # only the notification, so art. 12(1) applies: three months after it.
    assert until["jam/iccpr-op1"] == ["1976-03-23", "1998-01-23"]
    # Belarus: "with effect from 8 February 2023" as the footnote says.
    assert until["blr/iccpr-op1"] == ["1992-12-30", "2023-02-08"]
    # Trinidad and Tobago: the latest of the two denunciations its footnote tells.
    assert until["tto/iccpr-op1"] == ["1981-02-14", "2000-06-27"]
    assert until["kaz/iccpr-op1"][1] == ""  # not ended
    # The page's footnotes are its notes, not declarations.
    assert not select(
        settings,
        f"""SELECT ?s WHERE {{ GRAPH <{PAGE_GRAPH}> {{
        ?a <{HRG}hasStatement> ?s }} }}""",
    )


def test_a_bracketed_date_outside_a_untc_page_is_a_skipped_row(
    settings: Settings, tmp_path: Path
) -> None:
    table = tmp_path / "status.csv"
    table.write_text(
        'Participant,Signature,"Ratification, Accession(a), Succession(d)"\n'
        "Kazakhstan,25 Sep 2007,30 Jun 2009\nJamaica,[19 Dec 1966 ],[ 3 Oct 1975 ]\n",
        encoding="utf-8",
    )
    summary = import_ratifications(settings, table, "iccpr-op1")
    assert [(s.row, s.reason) for s in summary.skipped] == [
        (3, "a bracketed date (a denunciation) outside a UNTC page")
    ]


# --- a folder of UNTC participant pages (make data: data/world-treaty-actions.ttl) ---------------

PAGES = FIXTURES / "untc-pages-2026-02-03"
"""Three cut-down UNTC pages named by treaty_id as the saved pages are (iccpr_op1.html,
iccpr_op2.html, cat.html), each with the real header and real rows, and the page's lists of
declarations (see the comment at the top of each file for the quirks and where they were seen)."""


def triples_of(path: Path) -> ox.Store:
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


def objects(store: ox.Store, subject: str, predicate: str) -> set[str]:
    return {
        q.object.value
        for q in store.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None)
    }


def test_a_folder_of_untc_pages_is_one_import(tmp_path: Path) -> None:
    output = tmp_path / "world-treaty-actions.ttl"
    summary = import_ratifications(Settings(root=ROOT), PAGES, output=output)
    assert (summary.rows, summary.imported, len(summary.skipped)) == (18, 18, 0)
    header = output.read_text(encoding="utf-8").splitlines()[:4]
    assert header[0].startswith("# Generated by `hrgraph import ratifications`")
    assert [line.split(",")[0] for line in header[1:4]] == [
        "# Input: cat.html", "# Input: iccpr_op1.html", "# Input: iccpr_op2.html",
    ]  # fmt: skip
    store = triples_of(output)
    # coverage: each page lists every participant of its instrument as at its status date
    for mtdsg, slug in (("iv-5", "iccpr-op1"), ("iv-12", "iccpr-op2"), ("iv-9", "cat")):
        page = f"{ID}source/untc/{mtdsg}/2026-02-03"
        assert objects(store, page, HRG + "listsParticipantsOf") == {f"{ID}treaty/{slug}"}
        assert objects(store, page, HRG + "asOf") == {"2026-02-03"}
    # consents to the Protocol accept its communications procedure
    assert objects(store, ID + "action/pol/iccpr-op1-accession", HRG + "acceptsProcedure") == {
        ID + "procedure/iccpr-op1"
    }
    # entry into force: the instrument's rule, attested only where it is not the plain rule
    kaz = ID + "action/kaz/iccpr-op2-ratification"
    assert objects(store, kaz, HRG + "entryIntoForce") == {"2022-06-24"}
    attested = {
        q.object.value for q in store.quads_for_pattern(None, ox.NamedNode(HRG + "attests"), None)
    }
    assert kaz not in attested
    assert {ID + "action/aus/iccpr-op2-accession", ID + "action/mne/iccpr-op2-succession"} <= (
        attested
    )
    # the States are described by data/world-states.ttl, not again here
    assert not list(store.quads_for_pattern(
        None, ox.NamedNode(TYPE), ox.NamedNode(HRG + "State")))  # fmt: skip


def test_declarations_from_the_pages_are_typed_statements(tmp_path: Path) -> None:
    output = tmp_path / "world-treaty-actions.ttl"
    import_ratifications(Settings(root=ROOT), PAGES, output=output)
    store = triples_of(output)
    statement = ID + "statement/{}/{}-untc-{}"
    # Poland's declaration under CAT arts. 21 and 22: the individual procedure is accepted
    pol_cat = statement.format("pol", "cat", "declarations-under-articles")
    assert objects(store, pol_cat, TYPE) == {HRG + "AcceptanceOfProcedure"}
    assert objects(store, pol_cat, HRG + "acceptsProcedure") == {ID + "procedure/cat-art-22"}
    assert objects(store, pol_cat, HRG + "date") == {"1993-05-12"}
    assert objects(store, ID + "action/pol/cat-ratification", HRG + "hasStatement") == {pol_cat}
    # the United Kingdom's under article 21 only: inter-State communications, no procedure
    gbr_cat = statement.format("gbr", "cat", "declarations-under-articles")
    assert objects(store, gbr_cat, TYPE) == {HRG + "AcceptanceOfProcedure"}
    assert objects(store, gbr_cat, HRG + "acceptsProcedure") == set()
    # Slovenia's "Declaration:" and "Reservation:" in one entry: kept whole, not typed by effect
    svn = statement.format("svn", "iccpr-op1", "declarations")
    assert objects(store, svn, TYPE) == {HRG + "StatementOnTreaty"}
    assert objects(store, svn, HRG + "designatedAs") == {"declaration", "reservation"}
    (wording,) = objects(store, svn, HRG + "text")
    assert wording.startswith('Declaration:\n"The Republic of Slovenia interprets article 1')
    assert "\nReservation:\n" in wording
    assert objects(store, svn, HRG + "textIsSummary") == {"false"}
    # Kazakhstan's statement on the Protocol is curated (data/kaz-treaty-actions.ttl): kept
    assert not list(store.quads_for_pattern(
        ox.NamedNode(ID + "action/kaz/iccpr-op1-ratification"),
        ox.NamedNode(HRG + "hasStatement"), None))  # fmt: skip
    # objections (dgObj) are not read
    assert not [q for q in store if "/statement/dnk/" in q.subject.value]


def test_a_folder_with_treaty_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="leave out --treaty"):
        import_ratifications(Settings(root=ROOT), PAGES, "iccpr-op1", output=tmp_path / "o.ttl")


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1)


def _parties_by_hand(page: Path, in_force: date, on: date) -> set[str]:
    """The participants bound on ``on``, read from the fixture page without the importer: a
    consent (not a signature) three months after deposit (ICCPR-OP1 art. 9(2), ICCPR-OP2 art.
    8(2)) or the Protocol's own entry into force if later; a succession from its notification;
    a bracketed consent ended on the last "with effect from" day of the State's footnote, or three
    months after the notification (ICCPR-OP1 art. 12(1))."""
    html = page.read_text(encoding="utf-8")
    notes = dict(re.findall(r"<a name='(\d+)'>\d+</a>(.*?)</div>", html))
    bound = set()
    for row in re.findall(r"<tr class=\"trB[^\"]*\">(.*?)</tr>", html, re.S):
        cells = [
            re.sub(r"<[^>]+>|&nbsp;", " ", c) for c in re.findall(r"<td>(.*?)</td>", row, re.S)
        ]
        name = re.sub(r"\s+", " ", cells[0]).strip()
        consent = re.sub(r"\s+", " ", cells[2]).strip()
        if not consent:
            continue
        denounced = consent.startswith("[")
        day_text = re.search(r"\d{1,2} \w{3} \d{4}", consent)
        assert day_text is not None
        deposit = datetime.strptime(day_text[0], "%d %b %Y").date()
        start = deposit if consent.endswith(" d") else _add_months(deposit, 3)
        start = max(start, in_force)
        end = None
        if denounced:
            note = notes[re.search(r"<A[^>]*href='#(\d+)'", row)[1]]  # type: ignore[index]
            effects = re.findall(r"with effect from (\d{1,2} \w+ \d{4})", note)
            if effects:
                end = datetime.strptime(effects[-1], "%d %B %Y").date()
            else:
                told = re.findall(r"On (\d{1,2} \w+ \d{4}), the Government", note)
                end = _add_months(datetime.strptime(told[-1], "%d %B %Y").date(), 3)
        if start <= on and (end is None or on < end):
            bound.add(name.split(" ")[0])
    return bound


@pytest.fixture(scope="module")
def pages_store(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A project holding only the fixture pages imported as bundled data, built."""
    tmp_path = tmp_path_factory.mktemp("pages")
    root = tmp_path / "project"
    (root / "data").mkdir(parents=True)
    (root / "ontology").symlink_to(ROOT / "ontology")
    (root / "data" / "mappings").symlink_to(ROOT / "data" / "mappings")
    settings = Settings(root=root, store_path=tmp_path / "store")
    import_ratifications(settings, PAGES, output=root / "data" / "world-treaty-actions.ttl")
    build(settings)
    return settings


@pytest.mark.parametrize("on", ["2022-06-23", "2022-06-24", "2023-03-01", "1998-01-22"])
def test_parties_on_a_date_match_an_independent_count(pages_store: Settings, on: str) -> None:
    """Parties to ICCPR-OP1 and ICCPR-OP2 on a date: the graph (the pages imported, the store
    built, its treaty bindings counted) against the fixture pages read by hand."""
    settings = pages_store
    day = date.fromisoformat(on)
    expected = {
        "iccpr-op1": len(_parties_by_hand(PAGES / "iccpr_op1.html", date(1976, 3, 23), day)),
        "iccpr-op2": len(_parties_by_hand(PAGES / "iccpr_op2.html", date(1991, 7, 11), day)),
    }
    found = {
        r["t"].value.rsplit("/", 1)[1]: int(r["n"].value)
        for r in select_rows(
            settings,
            f"""SELECT ?t (COUNT(DISTINCT ?state) AS ?n) WHERE {{
            VALUES ?t {{ <{ID}treaty/iccpr-op1> <{ID}treaty/iccpr-op2> }}
            ?b a <{HRG}TreatyBinding> ; <{HRG}boundInstrument> ?t ; <{HRG}boundState> ?state ;
               <{HRG}validFrom> ?from .
            OPTIONAL {{ ?b <{HRG}validUntil> ?until }}
            FILTER (?from <= "{on}"^^<http://www.w3.org/2001/XMLSchema#date>
                    && (!BOUND(?until) || ?until > "{on}"^^<http://www.w3.org/2001/XMLSchema#date>))
        }} GROUP BY ?t""",
        )
    }
    assert {t: found.get(t, 0) for t in expected} == expected
    # the dates chosen: Kazakhstan bound by OP2 from 24 June 2022, Belarus no longer by OP1 from
    # 8 February 2023, Jamaica no longer from 23 January 1998
    assert {
        "2022-06-23": {"iccpr-op1": 5, "iccpr-op2": 7},
        "2022-06-24": {"iccpr-op1": 5, "iccpr-op2": 8},
        "2023-03-01": {"iccpr-op1": 4, "iccpr-op2": 8},
        "1998-01-22": {"iccpr-op1": 6, "iccpr-op2": 3},
    }[on] == expected


def select_rows(settings: Settings, query: str) -> list[ox.QuerySolution]:
    assert settings.store_path is not None
    store = GraphStore.open_read_only(StoreLocation(settings.store_path))
    result = store.query(query)
    assert isinstance(result, ox.QuerySolutions)
    rows = list(result)
    store.close()
    return rows


# --- review of the importers: dates that are no day, unreadable pages ---------------------------

NO_STORE = Settings(root=ROOT, store_path=None)


def test_a_year_alone_is_no_date(tmp_path: Path) -> None:
    """A status cell "1994 a" (a year and its marker) is skipped with the reason, never read as
    day 1994 of a spreadsheet's count (1905-06-16) and recorded as an exact date."""
    table = tmp_path / TABLE.name
    table.write_text(TABLE.read_text(encoding="utf-8").replace("7 Oct 1994 a", "1994 a"))
    summary = import_ratifications(
        NO_STORE, table, "iccpr", dry_run=True, output=tmp_path / "o.ttl"
    )
    assert (summary.rows, summary.imported) == (11, 5)
    assert summary.skipped[0] == SkippedRow(3, "Ratification: a year alone, not a date: '1994'")


def test_a_corrupt_compressed_page_is_refused_naming_it(tmp_path: Path) -> None:
    """A .html.gz whose deflate data is broken (here: an invalid block type) is refused like an
    unreadable file, not a traceback."""
    data = bytearray(gzip.compress((PAGES / "iccpr_op1.html").read_bytes(), mtime=0))
    data[10] = 0x07  # the first deflate block: final, of the reserved type 3
    page = tmp_path / "iccpr_op1.html.gz"
    page.write_bytes(bytes(data))
    with pytest.raises(ImportFailed, match=r"^iccpr_op1\.html\.gz: cannot be read: .*block type"):
        import_ratifications(NO_STORE, page, "iccpr-op1", dry_run=True, output=tmp_path / "o.ttl")
