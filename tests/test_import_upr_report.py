"""hrgraph import upr-report: the recommendations of a UPR Working Group report's text, linked
to UPR Info's records.

Fixtures (tests/fixtures/imports/): upr-wg-report-a-hrc-14-10.txt and -28-10.txt are the cover,
contents, paragraphs 1-2 and the whole section "Conclusions and/or recommendations" of
../shared/data/upr_wg_reports/A_HRC_14_10_Kazakhstan_2010.txt and A_HRC_28_10_Kazakhstan_2014.txt
(the text layer of the reports' PDFs, from rochelleterman/uprs), unchanged, so that they keep
every quirk: the number on its own line ("1. " then the text, 2010), "87.\\n To continue" (2010
line 584), an item broken by a page break (97.10, 2010), two States' wordings in one item (95.3:
"(Slovenia); ratify ... (Republic of Korea)"), several States at the end ("(Hungary) (Spain)",
125.8; three at 125.9), footnote markers ("(Slovenia);2", 95.38; "employment1 (Belarus)",
125.27), a State with brackets ("(Iran (Islamic republic of))", 124.37), para. 96 of 2010 (a
remark on recommendations of para. 95), and the section headings (95: "enjoy the support", 97:
"will be examined", 124/125: "enjoy the support", 126: "did not enjoy the support ... noted").
The UPR Info fixture is described in tests/test_import_upr_info.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from hrgraph.build.importers.common import ImportFailed
from hrgraph.build.importers.mappings import StateIndex
from hrgraph.build.importers.uprreport import import_upr_report
from hrgraph.build.importers.uprreport_text import parse_report, split_states
from hrgraph.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "imports"
REPORT_2010 = FIXTURES / "upr-wg-report-a-hrc-14-10.txt"
REPORT_2014 = FIXTURES / "upr-wg-report-a-hrc-28-10.txt"
HRG = "https://w3id.org/hrgraph/ontology#"
ID = "https://w3id.org/hrgraph/id/"
REC = ID + "recommendation/a-hrc-14-10/"


@pytest.fixture(scope="module")
def states() -> StateIndex:
    return StateIndex.load(ROOT / "data" / "mappings" / "states.csv")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """A project with the mappings and the curated UPR file only, so that the import's output
    does not depend on the generated files already in data/."""
    root = tmp_path / "project"
    shutil.copytree(ROOT / "data" / "mappings", root / "data" / "mappings")
    shutil.copy(ROOT / "data" / "reviews-upr.ttl", root / "data" / "reviews-upr.ttl")
    return Settings(root=root, store_path=tmp_path / "store")


@pytest.mark.parametrize(
    ("path", "facts", "sections"),
    [
        (REPORT_2010, ("A/HRC/14/10", "2010-03-23", 7, 1),
         [("95", 102, "Supported"), ("97", 26, "")]),
        (REPORT_2014, ("A/HRC/28/10", "2014-12-10", 20, 2),
         [("124", 47, "Supported"), ("125", 96, "Supported"), ("126", 51, "Noted")]),
    ],
)  # fmt: skip
def test_every_recommendation_is_counted(
    path: Path, facts: tuple[str, str, int, int], sections: list[tuple[str, int, str]]
) -> None:
    """128 items in 2010 (95.1-102, 97.1-26), 194 in 2014 (124.1-47, 125.1-96, 126.1-51)."""
    report = parse_report(path.read_text(encoding="utf-8"), path.name)
    assert (report.symbol, str(report.day), report.session, report.cycle()) == facts
    assert [(s.number, len(s.items), s.stance()) for s in report.sections] == sections
    for section in report.sections:
        assert [item.number for item in section.items] == [
            f"{section.number}.{n}" for n in range(1, len(section.items) + 1)
        ]


def test_the_layout_quirks(states: StateIndex) -> None:
    first = parse_report(REPORT_2010.read_text(encoding="utf-8"))
    second = parse_report(REPORT_2014.read_text(encoding="utf-8"))
    items = {item.number: item for item in first.items + second.items}

    def split(number: str) -> tuple[str, list[str], list[tuple[str, list[str]]]]:
        return split_states(items[number].raw, states)

    text, named, parts = split("95.3")
    assert named == ["Slovenia", "Republic of Korea"]
    assert [p[1] for p in parts] == [["Slovenia"], ["Republic of Korea"]]
    assert text.endswith(
        "(Slovenia); ratify the Convention on the Rights of Persons with Disabilities"
    )
    assert split("95.38")[0].endswith("children born out of wedlock")
    assert split("95.87")[0].startswith("To continue efforts to strengthen the education system")
    assert "elimination of extremism and the strengthening" in split("97.10")[0]
    assert split("125.8")[1] == ["Hungary", "Spain"]
    assert split("125.9")[1] == ["Portugal", "Uruguay", "Argentina"]
    assert split("125.27")[0].endswith("in the area of employment")
    assert split("124.37")[1] == ["Iran (Islamic republic of)"]
    assert "or areas for improvement" in split("126.20")[0]
    assert "already been implemented" in first.remarks["95.7"]
    assert "95.1" not in first.remarks


def test_the_import_links_upr_info_records(settings: Settings, tmp_path: Path) -> None:
    output = tmp_path / "upr.ttl"
    summary = import_upr_report(
        settings, REPORT_2010, output=output, upr_info=FIXTURES / "upr-info-kaz.csv"
    )
    assert (summary.rows, summary.imported, summary.skipped) == (128, 128, [])
    assert (summary.records, summary.matched) == (6, 5)
    assert summary.unmatched[0].startswith("unmatched row 8: Norway: Protect journalists")
    assert "row 9: skipped: cycle 'first'" in summary.unmatched[1]
    header = output.read_text(encoding="utf-8").split("\n@prefix", 1)[0]
    assert "unmatched row 8: Norway" in header
    assert "A/HRC/14/10/Add.1" in header
    store = ox.Store()
    store.load(path=str(output), format=ox.RdfFormat.TURTLE)

    def ask(query: str) -> list[ox.QuerySolution]:
        result = store.query(f"PREFIX hrg: <{HRG}> " + query)
        assert isinstance(result, ox.QuerySolutions)
        return list(result)

    assert ask("SELECT (COUNT(?r) AS ?n) WHERE { ?r a hrg:Recommendation }")[0]["n"].value == "128"
    assert ask("SELECT ?r WHERE { ?r hrg:text ?a, ?b FILTER (?a != ?b) }") == []
    links = {
        (row["rec"].value.rsplit("/", 1)[1], row["state"].value.rsplit("/", 1)[1])
        for row in ask("""SELECT ?rec ?state WHERE { ?record hrg:matchedRecommendation ?rec ;
                          hrg:recordedRecommendingState ?state }""")
    }
    assert links == {("para-97-1", "dza"), ("para-95-3", "svn"), ("para-95-3", "kor"),
                     ("para-97-10", "mex"), ("para-97-16", "fra")}  # fmt: skip
    # 97.16: "will be examined" in the report; the response is UPR Info's ("Accepted")
    response = ask(f"""SELECT ?status ?source WHERE {{ <{REC}para-97-16> hrg:hasResponse ?r .
                       ?r hrg:responseStatus ?status ; hrg:source ?source }}""")
    assert [(r["status"].value, r["source"].value.rsplit("/", 1)[1]) for r in response] == [
        (HRG + "Supported", "upr-info-kaz-cycle-1")
    ]
    # 97.1: the curated data (reviews-upr.ttl) holds the response; none is added here
    assert ask(f"SELECT ?r WHERE {{ <{REC}para-97-1> hrg:hasResponse ?r }}") == []
    # 95.7: the report's position, with para. 96's remark
    note = ask(f"SELECT ?n WHERE {{ <{REC}para-95-7> hrg:hasResponse/hrg:note ?n }}")[0]["n"].value
    assert "enjoy the support of Kazakhstan" in note
    assert "para. 96" in note
    rights = {r["x"].value for r in ask(
        f"SELECT ?x WHERE {{ <{REC}para-97-16> hrg:concernsRight|hrg:concernsProvision ?x }}"
    )}  # fmt: skip
    assert {ID + "right/abolition-of-death-penalty", ID + "treaty/iccpr/art-6"} <= rights


def test_a_broken_numbering_or_a_missing_section_is_refused(
    settings: Settings, tmp_path: Path
) -> None:
    text = REPORT_2014.read_text(encoding="utf-8")
    broken = tmp_path / "broken.txt"
    broken.write_text(text.replace("124.3 Adopt legislation", "124.4 Adopt legislation"))
    with pytest.raises(ImportFailed, match=r"line \d+: recommendation 124.4 where 124.3"):
        import_upr_report(settings, broken, output=tmp_path / "o.ttl")
    broken.write_text(text.split(" II. Conclusions")[0])
    with pytest.raises(ImportFailed, match="no section 'Conclusions and/or recommendations'"):
        import_upr_report(settings, broken, output=tmp_path / "o.ttl")


def test_an_unknown_state_skips_its_item_with_the_reason(
    settings: Settings, tmp_path: Path
) -> None:
    text = REPORT_2014.read_text(encoding="utf-8").replace("(Mexico);", "(Freedonia);", 1)
    changed = tmp_path / "a-hrc-28-10.txt"
    changed.write_text(text, encoding="utf-8")
    summary = import_upr_report(settings, changed, output=tmp_path / "o.ttl")
    assert [skip.reason for skip in summary.skipped] == [
        "recommendation 124.1: no recommending State in brackets at the end of the item "
        "('(Freedonia)' is not a State in data/mappings/states.csv)"
    ]
