"""hrgraph import states: the datasets/country-codes table to the States of the world.

tests/fixtures/imports/country-codes-2026-05-15.csv reproduces the real file
(../shared/data/country_codes/country-codes.csv, datasets/country-codes at commit caa72d1,
../shared/data/README.md section 5): its exact 56-column header, and rows copied from it with its
quirks:
- row 2, Kazakhstan: a curated State (data/kaz-treaty-actions.ttl), linked to and never relabelled;
  ``wikidata_id`` a page address (https://www.wikidata.org/wiki/Q232), not the entity IRI;
- row 3, Namibia: ISO alpha-2 "NA" (read upstream as a missing value) and an empty
  ``wikidata_id`` (README section 5: Q1030 per owid/owid-grapher);
- rows 4-5, Côte d'Ivoire and Türkiye: UN Member States whose UNTERM columns are empty (the
  upstream join missed them; README section 5), named from official_name_* and the CLDR name;
- rows 6-9, the Holy See and the State of Palestine (UNTERM names marked "*"), the Cook Islands
  and Niue ("**"): UN Treaty Collection participants that are not UN Member States; the Holy
  See's WMO cell is a no-break space;
- row 10, the United Kingdom: UNTERM short name with its article in parentheses, "(the)";
- row 11, Aruba: a territory without UNTERM names, skipped;
- row 12, Afghanistan: ISO numeric and M49 written without leading zeros ("4");
- row 13 is constructed: Kazakhstan's row again."""

from __future__ import annotations

import csv
from pathlib import Path

import pyoxigraph as ox
import pytest

from hrgraph.build.importers.common import ImportFailed
from hrgraph.build.importers.states import HEADER, import_states
from hrgraph.cli.main import main
from hrgraph.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "imports" / "country-codes-2026-05-15.csv"
HRG = "https://w3id.org/hrgraph/ontology#"
ID = "https://w3id.org/hrgraph/id/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def load(path: Path) -> ox.Store:
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


def values(store: ox.Store, subject: str, predicate: str) -> set[str]:
    return {
        q.object.value
        + (
            f"@{q.object.language}"
            if isinstance(q.object, ox.Literal) and q.object.language
            else ""
        )
        for q in store.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None)
    }


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[ox.Store, list[str]]:
    output = tmp_path_factory.mktemp("states") / "world-states.ttl"
    summary = import_states(Settings(root=ROOT), FIXTURE, output=output)
    return load(output), summary.lines()


def test_the_fixture_has_the_real_header() -> None:
    with FIXTURE.open(encoding="utf-8", newline="") as handle:
        assert tuple(next(csv.reader(handle))) == HEADER
    assert len(HEADER) == 56


def test_member_states_and_participants_are_imported(imported: tuple[ox.Store, list[str]]) -> None:
    store, lines = imported
    assert lines[1].startswith("rows read: 12, imported: 10, skipped: 2, triples: ")
    assert lines[2].startswith("  row 11: skipped: ABW (Aruba): neither a UN Member State")
    assert lines[3] == "  row 13: skipped: KAZ already given in row 2"
    members = {q.subject.value for q in store.quads_for_pattern(
        None, ox.NamedNode(TYPE), ox.NamedNode(HRG + "UNMemberState"))}  # fmt: skip
    assert members == {ID + f"state/{c}" for c in ("kaz", "nam", "civ", "tur", "gbr", "afg")}
    for code in ("vat", "pse", "cok", "niu"):
        state = ID + f"state/{code}"
        assert HRG + "State" in values(store, state, TYPE)
        assert HRG + "UNMemberState" not in values(store, state, TYPE)
        assert any("Not a UN Member State" in n for n in values(store, state, HRG + "note"))


def test_codes_names_and_wikidata(imported: tuple[ox.Store, list[str]]) -> None:
    store, _ = imported
    kaz = ID + "state/kaz"
    assert values(store, kaz, SAME_AS) == {"http://www.wikidata.org/entity/Q232"}
    assert values(store, kaz, HRG + "isoAlpha2") == {"KZ"}
    assert values(store, kaz, HRG + "m49Code") == {"398"}
    # curated: not relabelled, not retyped, its ISO alpha-3 code stays in the curated file
    assert values(store, kaz, RDFS_LABEL) == set()
    assert values(store, kaz, HRG + "isoCode") == set()
    assert values(store, kaz, TYPE) == {HRG + "UNMemberState"}
    nam = ID + "state/nam"
    assert values(store, nam, HRG + "isoAlpha2") == {"NA"}
    assert values(store, nam, SAME_AS) == {"http://www.wikidata.org/entity/Q1030"}
    attestation = ID + "attestation/state-nam-wikidata"
    assert values(store, attestation, HRG + "attestedProperty") == {SAME_AS}
    assert values(store, attestation, HRG + "source") == {ID + "source/owid-countries-regions"}
    assert values(store, ID + "state/afg", HRG + "isoNumeric") == {"004"}
    assert values(store, ID + "state/afg", HRG + "m49Code") == {"004"}
    civ = values(store, ID + "state/civ", RDFS_LABEL)
    assert {"Côte d\u2019Ivoire@en", "Кот-д'Ивуар@ru", "科特迪瓦@zh"} <= civ
    assert ID + "source/unterm" not in values(store, ID + "state/civ", HRG + "source")
    assert "Holy See@en" in values(store, ID + "state/vat", RDFS_LABEL)
    assert "Saint-Siège@fr" in values(store, ID + "state/vat", RDFS_LABEL)
    gbr = ID + "state/gbr"  # curated in data/comparators.ttl
    assert values(store, gbr, RDFS_LABEL) == set()
    assert values(store, gbr, HRG + "isoAlpha2") == {"GB"}
    formal = values(store, ID + "state/afg", "http://www.w3.org/2004/02/skos/core#altLabel")
    assert "the Islamic Republic of Afghanistan@en" in formal
    dataset = ID + "source/country-codes-caa72d1"
    assert values(store, dataset, HRG + "url") == {
        "https://github.com/datasets/country-codes/blob/"
        "caa72d1e0e5af8876c170bb36a9e4d64a01bba88/data/country-codes.csv"
    }


def test_another_header_is_refused_naming_the_columns(tmp_path: Path) -> None:
    other = tmp_path / "countries.csv"
    other.write_text("name,iso3\nKazakhstan,KAZ\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as error:
        import_states(Settings(root=ROOT), other, output=tmp_path / "out.ttl")
    message = str(error.value)
    assert "unknown columns: 'name', 'iso3'" in message
    assert "'ISO3166-1-Alpha-3'" in message
    assert "'wikidata_id'" in message


def test_the_cli_writes_the_bundled_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    output = tmp_path / "world-states.ttl"
    code = main(["import", "states", str(FIXTURE), "--output", str(output), "--quiet"])
    assert code == 0
    assert "imported: 10, skipped: 2" in capsys.readouterr().out
    first = output.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# Generated by `hrgraph import states`")


def test_the_bundled_file_has_every_un_member_state() -> None:
    """data/world-states.ttl, written by `make data` from the real file: the 193 Member States
    and the four non-member participants, each with its Wikidata item (Kazakhstan: Q232)."""
    store = load(ROOT / "data" / "world-states.ttl")
    members = list(store.quads_for_pattern(
        None, ox.NamedNode(TYPE), ox.NamedNode(HRG + "UNMemberState")))  # fmt: skip
    assert len(members) == 193
    linked = {q.subject.value for q in store.quads_for_pattern(None, ox.NamedNode(SAME_AS), None)}
    assert len(linked) == 197
    assert values(store, ID + "state/kaz", SAME_AS) == {"http://www.wikidata.org/entity/Q232"}
