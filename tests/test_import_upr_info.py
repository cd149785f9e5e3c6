"""hrgraph import upr-info: UPR Info's two real formats and a format it does not know.

Fixtures (tests/fixtures/imports/):
- upr-info-kaz.csv: the legacy export's header and rows 2, 3, 11, 13 and 100 (cycle 1) and the
  Mexico 124.1 row (cycle 2) of ../shared/data/upr_info_via_rochelleterman/
  kz_upr_recommendations_cycles1-2_uprinfo.csv (a UTF-8 copy of rochelleterman/uprs
  v.2/Data/CSVs/6-9.csv and 17-20.csv, with its added source_file column), issues separated by
  commas as there ("Disabilities,International instruments", row 13); two constructed rows: one
  that no paragraph of A/HRC/14/10 gives (with a typographic apostrophe) and one whose cycle is
  "first" (a broken row).
- upr-info-kaz-cp1252.csv: the same rows as the original files are encoded: Windows-1252 with CR
  line endings and without source_file (README of ../shared/data, section 3).
- upr-info-kaz.json: UPR Info's Uwazi API envelope as the Uwazi search API returns it
  ({"rows": [{"_id", "sharedId", "title", "template", "language", "published", "metadata"}],
  "totalRows"}, every metadata value a list of {"value", "label"}), as seen in
  lszoszk/uwazi-statistics@a2604b9 uwazi_charts/fetch.py (paging /api/search, "rows",
  "totalRows") and tests/fixtures/upr_info_sample.py (the row and metadata shape), with the
  metadata keys issue 15 names for UPR Info's database; the last row's State is unknown.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from hrgraph.build.importers.common import ImportFailed
from hrgraph.build.importers.uprinfo import import_upr_info, read_upr_info
from hrgraph.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "imports"
HRG = "https://w3id.org/hrgraph/ontology#"
ID = "https://w3id.org/hrgraph/id/"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(root=ROOT, store_path=tmp_path / "store")


def load(path: Path) -> ox.Store:
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


@pytest.mark.parametrize("name", ["upr-info-kaz.csv", "upr-info-kaz-cp1252.csv"])
def test_the_legacy_export_in_both_encodings(settings: Settings, tmp_path: Path, name: str) -> None:
    output = tmp_path / "out.ttl"
    summary = import_upr_info(settings, FIXTURES / name, output=output)
    assert (summary.rows, summary.imported) == (8, 7)
    assert [(skip.row, skip.reason) for skip in summary.skipped] == [
        (9, "cycle 'first' is not a cycle number")
    ]
    assert summary.unmapped == set()
    store = load(output)
    texts = {row["t"].value for row in store.query(f"SELECT ?t WHERE {{ ?r <{HRG}text> ?t }}")}
    assert any("Kazakhstan\u2019s media law" in text for text in texts)  # cp1252 0x92 decoded
    found = list(store.query(
        f"""SELECT ?r ?right WHERE {{ ?r <{HRG}recommendingState> <{ID}state/kor> ;
        <{HRG}concernsRight> ?right ;
        <{HRG}hasResponse>/<{HRG}responseStatus> <{HRG}Supported> }}"""
    ))  # fmt: skip
    assert {row["right"].value for row in found} == {
        ID + "right/rights-of-persons-with-disabilities"
    }


def test_the_uwazi_envelope(settings: Settings, tmp_path: Path) -> None:
    _format, rows = read_upr_info(FIXTURES / "upr-info-kaz.json")
    first = next(rows)
    assert (first.cycle(), first.action_category(), first.key) == (1, 3, "kaz-fixture-1")
    assert first.issues == ["International instruments", "Migrants"]
    summary = import_upr_info(settings, FIXTURES / "upr-info-kaz.json", output=tmp_path / "o.ttl")
    assert (summary.rows, summary.imported) == (4, 3)
    assert "unknown State 'Freedonia'" in summary.skipped[0].reason
    store = load(tmp_path / "o.ttl")
    cycles = {
        row["c"].value
        for row in store.query(
            f"SELECT ?c WHERE {{ ?r <{HRG}inDocument>/<{HRG}documentOf>/<{HRG}cycle> ?c }}"
        )
    }
    assert cycles == {"1", "2"}


def test_a_flat_table_is_refused_with_the_columns_expected_and_found(
    settings: Settings, tmp_path: Path
) -> None:
    flat = tmp_path / "flat.csv"
    flat.write_text(
        "State under Review,Recommending State,Recommendation,Response,Cycle\n"
        "Kazakhstan,Norway,Abolish the death penalty.,Supported,3\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFailed) as error:
        import_upr_info(settings, flat)
    message = str(error.value)
    assert "expected the legacy CSV columns cycle, Session, To, Text, From" in message
    assert "found: State under Review, Recommending State" in message


def test_json_that_is_not_the_uwazi_envelope_is_refused(settings: Settings, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('[{"Recommendation": "x"}]', encoding="utf-8")
    with pytest.raises(ImportFailed, match=r"not UPR Info's Uwazi API envelope.*found: list"):
        import_upr_info(settings, bad)
    bad.write_text('{"rows": [{"metadata": {"title": "x"}}], "totalRows": 1}', encoding="utf-8")
    with pytest.raises(ImportFailed, match=r"lack recommendation, state_under_review"):
        import_upr_info(settings, bad)


# --- review of the importers: rows minted twice, hostile JSON, a byte-order mark -----------------


def test_the_same_text_again_in_another_case_is_skipped_naming_the_first_row(
    settings: Settings, tmp_path: Path
) -> None:
    """Row 3 of the fixture again, upper-cased, with another response: the same IRI (the text
    and States, ignoring case and spacing). It was merged into one recommendation with two
    responseStatus values; it is skipped, naming the row it repeats."""
    lines = (FIXTURES / "upr-info-kaz.csv").read_text(encoding="utf-8").splitlines()
    again = lines[2].replace("Abolish the death penalty", "ABOLISH THE DEATH PENALTY  ")
    path = tmp_path / "again.csv"
    path.write_text("\n".join([*lines, again.replace(",Accepted,", ",Noted,")]) + "\n")
    summary = import_upr_info(settings, path, output=tmp_path / "again.ttl")
    assert (summary.rows, summary.imported) == (9, 7)
    assert [(skip.row, skip.reason) for skip in summary.skipped][-1] == (
        10, "the same recommendation as row 3"
    )  # fmt: skip
    statuses = load(tmp_path / "again.ttl").query(
        f"""SELECT ?status WHERE {{ ?r <{HRG}text> ?t ; <{HRG}hasResponse>/<{HRG}responseStatus>
        ?status FILTER (STRSTARTS(?t, "Abolish the death penalty")) }}"""
    )  # fmt: skip
    assert isinstance(statuses, ox.QuerySolutions)
    assert [str(row["status"]) for row in statuses] == [f"<{HRG}Supported>"]


def test_json_nested_too_deeply_is_refused_naming_the_file(
    settings: Settings, tmp_path: Path
) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000, encoding="utf-8")
    with pytest.raises(ImportFailed, match=r"^deep\.json: refused: JSON nested too deeply"):
        import_upr_info(settings, deep)


def test_json_with_a_byte_order_mark_is_read_as_json(settings: Settings, tmp_path: Path) -> None:
    marked = tmp_path / "marked.json"
    marked.write_bytes(b"\xef\xbb\xbf" + (FIXTURES / "upr-info-kaz.json").read_bytes())
    assert read_upr_info(marked)[0] == "UPR Info Uwazi API (JSON)"
    summary = import_upr_info(settings, marked, output=tmp_path / "marked.ttl")
    assert (summary.rows, summary.imported) == (4, 3)
