"""CSV injection: a value such as ``=HYPERLINK(...)`` must not reach a spreadsheet as a formula
where people open CSV in one, while SPARQL clients keep the exact W3C CSV results format
(docs/http-api.md, "CSV and spreadsheets"). Exact bytes both ways."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from servers import build_project_copy, serving

from hrgraph.cli.main import main
from hrgraph.rdf.results import neutralise_csv

HOSTILE = (
    'SELECT ?value WHERE { VALUES ?value { "=HYPERLINK(\\"http://evil.example/\\",\\"x\\")" '
    '"+1" "-2" "@SUM(A1)" "\\tx" "\\rx" "plain" "a=b" } }'
)
EXACT = (
    b"value\r\n"
    b'"=HYPERLINK(""http://evil.example/"",""x"")"\r\n'
    b"+1\r\n-2\r\n@SUM(A1)\r\n\tx\r\n"
    b'"\rx"\r\n'
    b"plain\r\na=b\r\n"
)
NEUTRALISED = (
    b"value\r\n"
    b'"\'=HYPERLINK(""http://evil.example/"",""x"")"\r\n'
    b"'+1\r\n'-2\r\n'@SUM(A1)\r\n'\tx\r\n"
    b'"\'\rx"\r\n'
    b"plain\r\na=b\r\n"
)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, project_root: Path) -> tuple[Path, Path]:
    return build_project_copy(tmp_path_factory.mktemp("csv-spreadsheet"), project_root, world=False)


@pytest.fixture(scope="module")
def server(project: tuple[Path, Path]) -> Iterator[str]:
    with serving(*project) as url:
        yield url


def test_neutralise_csv_prefixes_formula_cells_only() -> None:
    assert neutralise_csv(EXACT) == NEUTRALISED
    assert neutralise_csv(b"a,b\r\n-,x\r\n") == b"a,b\r\n'-,x\r\n"
    assert neutralise_csv(b"") == b""


def test_the_cli_neutralises_csv_and_keeps_sparql_csv_exact(
    project: tuple[Path, Path], capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    store = str(project[1])
    assert main(["query", "--store", store, "--format", "csv", "--text", HOSTILE]) == 0
    assert capsysbinary.readouterr().out == NEUTRALISED
    assert main(["query", "--store", store, "--format", "sparql-csv", "--text", HOSTILE]) == 0
    assert capsysbinary.readouterr().out == EXACT


def test_the_sparql_endpoint_answers_the_exact_w3c_format(server: str) -> None:
    response = httpx.post(
        f"{server}/sparql", data={"query": HOSTILE}, headers={"accept": "text/csv"}
    )
    assert response.status_code == 200
    assert response.content == EXACT


def test_named_queries_neutralise_csv_when_asked(server: str) -> None:
    url = f"{server}/api/queries/complaint-procedures"
    exact = httpx.get(url, headers={"accept": "text/csv"})
    assert exact.status_code == 200
    spreadsheet = httpx.get(url, params={"csv": "spreadsheet"}, headers={"accept": "text/csv"})
    assert spreadsheet.status_code == 200
    assert spreadsheet.headers["content-type"] == "text/csv; charset=utf-8"
    assert spreadsheet.content == neutralise_csv(exact.content)
    # JSON is never altered by the flag
    plain = httpx.get(url)
    flagged = httpx.get(url, params={"csv": "spreadsheet"})
    assert flagged.content == plain.content
    wrong = httpx.get(url, params={"csv": "excel"}, headers={"accept": "application/json"})
    assert wrong.status_code == 400
    assert wrong.json() == {
        "status": 400,
        "error": "Bad Request",
        "message": "parameter 'csv' takes the value 'spreadsheet', not 'excel'",
    }
