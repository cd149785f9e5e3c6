"""hrgraph import uhri: the OHCHR Universal Human Rights Index export, as XLSX and CSV, with its
quirks and every kind of bad row (tests/fixtures/imports/uhri-kaz.*)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from hrgraph.build import build
from hrgraph.cli import main
from hrgraph.importers.common import (
    ImportFailed,
    multi,
    parse_date,
    resolve_columns,
    saved_imports,
)
from hrgraph.importers.uhri import COLUMNS, import_uhri
from hrgraph.settings import Settings
from hrgraph.store import GraphStore, StoreLocation

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "imports"
GRAPH = "https://w3id.org/hrgraph/graph/import/uhri/uhri-kaz"
REC = "https://w3id.org/hrgraph/id/recommendation/a-hrc-43-10/para-139-1"
EXPECTED_SKIPS = {
    8: "unknown State 'Atlantis'",
    9: "Publication Date: 'sometime in 2019' is not a date",
    10: "unknown body 'XYZ Committee'",
    11: "no recommendation text",
    12: "a UPR recommendation needs its cycle",
    13: "unknown position 'Maybe'",
    14: "unknown State 'Narnia'",
    15: "malformed SDG target '??'",
}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    settings = Settings(root=ROOT, store_path=tmp_path / "store")
    build(settings)
    return settings


def quads(settings: Settings, graph: str = GRAPH) -> set[ox.Quad]:
    assert settings.store_path is not None
    store = GraphStore.open_read_only(StoreLocation(settings.store_path))
    rows = store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert isinstance(rows, ox.QuerySolutions)
    found = {ox.Quad(r["s"], r["p"], r["o"]) for r in rows}  # type: ignore[arg-type]
    store.close()
    return found


def ask(settings: Settings, query: str) -> bool:
    assert settings.store_path is not None
    store = GraphStore.open_read_only(StoreLocation(settings.store_path))
    result = store.query("PREFIX hrg: <https://w3id.org/hrgraph/ontology#> " + query)
    store.close()
    return bool(result)


@pytest.mark.parametrize("name", ["uhri-kaz.csv", "uhri-kaz.xlsx"])
def test_the_export_imports_with_the_right_counts_and_row_errors(
    settings: Settings, name: str
) -> None:
    summary = import_uhri(settings, FIXTURES / name)
    assert (summary.rows, summary.imported, len(summary.skipped)) == (13, 5, 8)
    reasons = {skip.row: skip.reason for skip in summary.skipped}
    assert set(reasons) == set(EXPECTED_SKIPS)
    for row, reason in EXPECTED_SKIPS.items():
        assert reason in reasons[row]
    assert summary.unmapped == {"Counter-terrorism"}


def test_csv_and_xlsx_give_the_same_graph(settings: Settings, tmp_path: Path) -> None:
    import_uhri(settings, FIXTURES / "uhri-kaz.csv")
    from_csv = {q for q in quads(settings) if "import" not in str(q.subject)}
    xlsx = tmp_path / "uhri-kaz.xlsx"
    xlsx.write_bytes((FIXTURES / "uhri-kaz.xlsx").read_bytes())
    import_uhri(settings, xlsx)
    from_xlsx = {q for q in quads(settings) if "import" not in str(q.subject)}
    assert from_csv == from_xlsx
    assert len(from_csv) > 50


def test_quirks_are_read(settings: Settings) -> None:
    import_uhri(settings, FIXTURES / "uhri-kaz.xlsx")
    # misspelled theme mapped to the right; "- " bullets and newline multi-values split
    assert ask(
        settings,
        f"""ASK {{ <{REC}> hrg:concernsRight
        <https://w3id.org/hrgraph/id/right/freedom-of-association> ;
        hrg:recommendingState <https://w3id.org/hrgraph/id/state/nor> ;
        hrg:hasResponse/hrg:responseStatus hrg:Supported }}""",
    )
    assert ask(
        settings,
        """ASK { <https://w3id.org/hrgraph/id/recommendation/a-hrc-43-10/para-139-2>
        hrg:recommendingState <https://w3id.org/hrgraph/id/state/deu>,
                              <https://w3id.org/hrgraph/id/state/aus> ;
        hrg:hasResponse/hrg:responseStatus hrg:Noted }""",
    )
    # a serial date (43881) becomes a day, the document its UN symbol, the SDG a target
    assert ask(
        settings,
        """ASK { <https://w3id.org/hrgraph/id/document/a-hrc-43-10>
        hrg:documentOf <https://w3id.org/hrgraph/id/review/upr/kaz/3> }""",
    )
    assert ask(
        settings,
        """ASK { <https://w3id.org/hrgraph/id/recommendation/cedaw-c-kaz-co-3-4/para-21>
        hrg:concernsRight <https://w3id.org/hrgraph/id/right/freedom-from-gender-based-violence> ;
        <http://purl.org/dc/terms/audience> <https://w3id.org/hrgraph/id/affected-persons/women-girls>
    }""",
    )
    # an observation is kept apart from recommendations
    assert ask(
        settings,
        """ASK { <https://w3id.org/hrgraph/id/observation/ccpr-c-kaz-co-2/para-8>
        <http://purl.org/dc/terms/type> "observation" }""",
    )
    assert ask(
        settings,
        f"""ASK {{ <{REC}> <http://purl.org/dc/terms/relation>
        <https://w3id.org/hrgraph/id/sdg/16-10> }}""",
    )


def test_a_reimport_changes_nothing(settings: Settings) -> None:
    import_uhri(settings, FIXTURES / "uhri-kaz.csv")
    first = {q for q in quads(settings) if q.subject.value != GRAPH}
    import_uhri(settings, FIXTURES / "uhri-kaz.csv")
    second = {q for q in quads(settings) if q.subject.value != GRAPH}
    assert first == second
    assert ask(settings, f"ASK {{ <{REC}> hrg:text ?t }}")


def test_the_import_graph_names_its_file_checksum_and_date(settings: Settings) -> None:
    import_uhri(settings, FIXTURES / "uhri-kaz.csv")
    assert ask(
        settings,
        f"""ASK {{ GRAPH <{GRAPH}> {{ <{GRAPH}>
        <http://purl.org/dc/terms/source> "uhri-kaz.csv" ;
        <http://spdx.org/rdf/terms#checksumValue> ?sum ;
        <http://purl.org/dc/terms/created> ?day }} FILTER (STRSTARTS(?sum, "sha256:")) }}""",
    )


def test_unknown_and_missing_columns_are_named(settings: Settings, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("Text,Body,Colour\nx,UPR,red\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as caught:
        import_uhri(settings, bad)
    message = str(caught.value)
    assert "unknown columns: 'Colour'" in message
    assert "'Symbol'" in message
    assert "'Country'" in message


def test_a_failed_import_leaves_the_store_unchanged(settings: Settings, tmp_path: Path) -> None:
    assert settings.store_path is not None
    location = StoreLocation(settings.store_path)
    before = location.current()
    only_bad = tmp_path / "only-bad.csv"
    lines = (FIXTURES / "uhri-kaz.csv").read_text(encoding="utf-8").split("\n")
    header = lines[0]
    bad_rows = "\n".join(lines[-3:])  # the last rows are broken
    only_bad.write_text(header + "\n" + bad_rows, encoding="utf-8")
    with pytest.raises(ImportFailed, match="no row could be imported"):
        import_uhri(settings, only_bad)
    assert location.current() == before
    assert saved_imports(settings.store_path) == []


def test_imports_survive_a_rebuild(settings: Settings) -> None:
    import_uhri(settings, FIXTURES / "uhri-kaz.csv")
    before = quads(settings)
    build(settings)
    after = quads(settings)
    assert before == after
    assert ask(settings, f"ASK {{ <{REC}> a hrg:Recommendation }}")


def test_imported_recommendations_appear_beside_the_curated_ones(settings: Settings) -> None:
    import_uhri(settings, FIXTURES / "uhri-kaz.csv")
    assert settings.store_path is not None
    store = GraphStore.open_read_only(StoreLocation(settings.store_path))
    from hrgraph.queries import load_query

    text = load_query(ROOT / "queries" / "recommendations.rq").bind({"cycle": "3"})
    rows = store.query(text)
    assert isinstance(rows, ox.QuerySolutions)
    found = {row["recommendation"].value for row in rows}
    assert REC in found
    assert "https://w3id.org/hrgraph/id/recommendation/a-hrc-43-10/group-torture" in found


def test_the_cli_prints_the_summary(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["import", "uhri", str(FIXTURES / "uhri-kaz.csv"), "--store",
                 str(settings.store_path), "--quiet"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert "imported: 5, skipped: 8" in out
    assert "row 8: skipped: unknown State 'Atlantis'" in out
    code = main(["import", "uhri", str(FIXTURES / "missing.csv"), "--store",
                 str(settings.store_path)])  # fmt: skip
    assert code == 2
    assert "no such file" in capsys.readouterr().err.lower()


def test_cells_are_cleaned() -> None:
    assert multi("- A\n- B\r\n\n- A") == ["A", "B"]
    assert parse_date(43881).isoformat() == "2020-02-20"
    assert parse_date("2 Nov 2014").isoformat() == "2014-11-02"
    with pytest.raises(ValueError, match="not a date"):
        parse_date("31/02/2014")
    columns = resolve_columns("f", ["Afected Persons", "Recomending State"], COLUMNS, set())
    assert columns == {"Affected Persons": 0, "Recommending States": 1}


def test_progress_is_reported_on_large_files(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hrgraph.importers.runner as runner

    monkeypatch.setattr(runner, "PROGRESS_EVERY", 4)
    messages: list[str] = []
    import_uhri(settings, FIXTURES / "uhri-kaz.csv", messages.append)
    assert [m for m in messages if "rows read" in m] == [
        "uhri-kaz.csv: 4 rows read, 0 skipped",
        "uhri-kaz.csv: 8 rows read, 3 skipped",
        "uhri-kaz.csv: 12 rows read, 7 skipped",
    ]
    assert any("writing" in m for m in messages)


def test_a_dry_run_writes_nothing(settings: Settings) -> None:
    assert settings.store_path is not None
    before = StoreLocation(settings.store_path).current()
    summary = import_uhri(settings, FIXTURES / "uhri-kaz.csv", dry_run=True)
    assert summary.imported == 5
    assert StoreLocation(settings.store_path).current() == before
    assert saved_imports(settings.store_path) == []


def test_the_theme_mapping_names_real_rights_with_sources(store: GraphStore) -> None:
    mapping = ox.Store()
    mapping.load(path=str(ROOT / "data" / "mappings" / "themes.ttl"), format=ox.RdfFormat.TURTLE)
    skos = "http://www.w3.org/2004/02/skos/core#"
    rows = mapping.query(f"""SELECT ?concept ?right WHERE {{ ?concept a <{skos}Concept> .
        OPTIONAL {{ ?concept <{skos}exactMatch>|<{skos}closeMatch>|<{skos}broadMatch> ?right }}
    }}""")
    assert isinstance(rows, ox.QuerySolutions)
    found = [(row["concept"], row["right"]) for row in rows]
    assert len(found) >= 15
    rights = [right for _, right in found if right is not None]
    assert rights
    for right in rights:
        assert store.query(f"ASK {{ <{right.value}> a <https://w3id.org/hrgraph/ontology#Right> }}")
    unsourced = mapping.query("""SELECT ?c WHERE { ?c a <http://www.w3.org/2004/02/skos/core#Concept>
        FILTER NOT EXISTS { ?c <https://w3id.org/hrgraph/ontology#source> ?s ;
                               <https://w3id.org/hrgraph/ontology#confidence> ?k } }""")
    assert isinstance(unsourced, ox.QuerySolutions)
    assert list(unsourced) == []


def test_a_reimport_of_a_changed_file_drops_what_it_no_longer_says(
    settings: Settings, tmp_path: Path
) -> None:
    import_uhri(settings, FIXTURES / "uhri-kaz.csv")
    assert ask(settings, f"ASK {{ GRAPH <{GRAPH}> {{ <{REC}> ?p ?o }} }}")
    changed = tmp_path / "changed" / "uhri-kaz.csv"  # same stem: the same import graph
    changed.parent.mkdir()
    text = (FIXTURES / "uhri-kaz.csv").read_text(encoding="utf-8")
    changed.write_text(text.replace("139.1", "139.10"), encoding="utf-8")
    import_uhri(settings, changed)
    assert not ask(settings, f"ASK {{ GRAPH <{GRAPH}> {{ <{REC}> ?p ?o }} }}")
    assert ask(settings, f"ASK {{ GRAPH <{GRAPH}> {{ <{REC}0> a hrg:Recommendation }} }}")
