"""hrgraph query and build from the command line: output formats, exit codes and messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hrgraph.build.pipeline import build
from hrgraph.cli.main import main
from hrgraph.settings import Settings


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory, project_root: Path) -> Path:
    path = tmp_path_factory.mktemp("cli") / "store"
    build(Settings(root=project_root, store_path=path))
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_named_query_as_a_table(capsys: pytest.CaptureFixture[str], store_path: Path) -> None:
    code, out, err = run(
        capsys, "query", "--store", str(store_path), "--name", "obligations-on-date",
        "--param", "date=2006-04-24",
    )  # fmt: skip
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == [
        "treaty", "treatyName", "status", "article", "heading", "boundFrom", "coveredUntil",
        "sources",
    ]  # fmt: skip
    articles = [line.split()[3] for line in lines[2:-1] if "/art-" in line.split()[3]]
    assert articles == (
        [f"id:treaty/cat/art-{n}" for n in range(1, 34)]
        + [f"id:treaty/cedaw/art-{n}" for n in (1, 2, 5, 16)]
        + ["id:treaty/cerd/art-14", "id:treaty/crc/art-19"]
        + [f"id:treaty/iccpr/art-{n}" for n in range(1, 54)]
        + ["id:treaty/icescr/art-2", "id:treaty/icescr/art-8"]
    )
    # 94 articles of 6 instruments, 3 instruments bound whose articles the data does not give,
    # 9 covered instruments not binding Kazakhstan that day, the ECHR and the Istanbul Convention
    assert lines[-1] == "(108 rows)"


def test_no_obligations_before_entry_into_force(
    capsys: pytest.CaptureFixture[str], store_path: Path
) -> None:
    code, out, _ = run(
        capsys, "query", "--store", str(store_path), "-n", "obligations-on-date",
        "-p", "date=2006-04-23", "--format", "csv",
    )  # fmt: skip
    assert code == 0
    rows = out.splitlines()
    assert rows[0] == "treaty,treatyName,status,article,heading,boundFrom,coveredUntil,sources"
    assert any(",Bound," in row for row in rows), "other treaties bind Kazakhstan before the ICCPR"
    assert [
        row.split(",")[2]
        for row in rows
        if row.startswith("https://w3id.org/hrgraph/id/treaty/iccpr,")
    ] == ["NotBound"]


def test_inline_query_as_json(capsys: pytest.CaptureFixture[str], store_path: Path) -> None:
    code, out, _ = run(
        capsys, "query", "--store", str(store_path), "--format", "json", "--text",
        "SELECT ?x WHERE { ?x a <http://www.w3.org/ns/org#Organization>"
        " FILTER (CONTAINS(STR(?x), 'commissioner-for-human-rights')) } ORDER BY ?x",
    )  # fmt: skip
    assert code == 0
    values = [b["x"]["value"] for b in json.loads(out)["results"]["bindings"]]
    assert values == [
        "https://w3id.org/hrgraph/id/institution/kaz/commissioner-for-human-rights",
        "https://w3id.org/hrgraph/id/institution/pol/commissioner-for-human-rights",
    ]


def test_query_from_a_file_as_tsv(
    capsys: pytest.CaptureFixture[str], store_path: Path, tmp_path: Path
) -> None:
    query = tmp_path / "ask.rq"
    query.write_text(
        "SELECT ?code WHERE { <https://w3id.org/hrgraph/id/state/kaz>"
        " <https://w3id.org/hrgraph/ontology#isoCode> ?code }"
    )
    code, out, _ = run(capsys, "query", "--store", str(store_path), str(query), "-f", "tsv")
    assert (code, out) == (0, '?code\n"KAZ"\n')


def test_ask_prints_true(capsys: pytest.CaptureFixture[str], store_path: Path) -> None:
    code, out, _ = run(capsys, "query", "--store", str(store_path), "-e", "ASK { ?s ?p ?o }")
    assert (code, out) == (0, "true\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-e", "SELECT ?x WHERE { ?x ?p }"], "the query: syntax error at 1:"),
        (["-n", "no-such-query"], "no named query 'no-such-query' (available: "),
        (["-n", "obligations-on-date"], "query 'obligations-on-date' needs parameter 'date'"),
        (
            ["-n", "obligations-on-date", "-p", "date=24.04.2006"],
            "parameter 'date' must be a date YYYY-MM-DD, got '24.04.2006'",
        ),
        (
            ["-n", "obligations-on-date", "-p", "date=2006-02-30"],
            "parameter 'date' must be a date YYYY-MM-DD, got '2006-02-30'",
        ),
        (
            ["-n", "obligations-on-date", "-p", "date=2006-04-24", "-p", "colour=red"],
            "query 'obligations-on-date' has no parameter 'colour' (it takes: date, state)",
        ),
        (["-n", "obligations-on-date", "-p", "date"], "--param 'date' must be NAME=VALUE"),
        (
            ["-e", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"],
            "the query: SERVICE (federated query) is refused",
        ),
        (["-e", "ASK {}", "-p", "a=b"], "--param applies to named queries (--name) only"),
        (
            ["-e", "ASK { ?s ?p ?o }", "-f", "turtle"],
            "a SELECT or ASK result cannot be written as turtle",
        ),
    ],
)
def test_bad_queries_and_parameters_exit_2_with_one_message(
    capsys: pytest.CaptureFixture[str], store_path: Path, args: list[str], message: str
) -> None:
    code, out, err = run(capsys, "query", "--store", str(store_path), *args)
    assert (code, out) == (2, "")
    assert err.startswith("hrgraph: error: ")
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_an_unbuilt_store_path_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "query", "--store", str(tmp_path / "nowhere"), "-e", "ASK {}")
    assert code == 2
    assert "no built store at" in err


def test_build_prints_counts_per_graph(
    capsys: pytest.CaptureFixture[str], project_copy: Path
) -> None:
    code, out, err = run(
        capsys, "--root", str(project_copy), "build", "--store", str(project_copy / "s")
    )
    assert code == 0
    rows = [line.split() for line in out.splitlines()]
    graphs = [row[0] for row in rows]
    assert graphs[0] == "https://w3id.org/hrgraph/graph/ontology"
    assert "https://w3id.org/hrgraph/graph/data/iccpr" in graphs
    assert graphs[-1] == "inferred"
    assert all(int(row[1]) > 0 for row in rows)
    assert "[1/" in err
    assert "loading ontology/hrgraph.ttl" in err


def test_build_of_a_broken_file_exits_2_naming_it(
    capsys: pytest.CaptureFixture[str], project_copy: Path
) -> None:
    (project_copy / "data" / "zz-broken.ttl").write_text('<http://e/a> <http://e/b> "open .\n')
    code, out, err = run(
        capsys, "--root", str(project_copy), "build", "--store", str(project_copy / "s")
    )
    assert (code, out) == (2, "")
    assert "hrgraph: error: data/zz-broken.ttl:1:" in err
    assert "the previous store, if any, is unchanged" in err


def test_the_installed_command_runs(store_path: Path) -> None:
    hrgraph = Path(sys.executable).with_name("hrgraph")
    done = subprocess.run(
        [str(hrgraph), "query", "--store", str(store_path), "-e", "ASK { ?s a ?c }"],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert (done.returncode, done.stdout) == (0, "true\n")


def test_a_store_path_that_is_a_file_exits_2(
    capsys: pytest.CaptureFixture[str], project_copy: Path
) -> None:
    target = project_copy / "not-a-folder"
    target.write_text("important notes\n")
    code, _, err = run(capsys, "--root", str(project_copy), "build", "--store", str(target))
    assert code == 2
    assert f"store path {target} exists and is not a folder" in err
    assert target.read_text() == "important notes\n"
