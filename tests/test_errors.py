"""The error root (hrgraph.errors): every error reported to a person is an HrgraphError that says
its own exit code and HTTP status, and each interface translates it in one place."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from hrgraph.build.importers.common import ImportFailed, RowError
from hrgraph.build.pipeline import BuildError
from hrgraph.build.update_worker import WriteFailed
from hrgraph.build.writes import WriteCancelled, WriteRefused
from hrgraph.cli.main import main
from hrgraph.errors import BadInput, HrgraphError, Unavailable
from hrgraph.http.errors import ApiError, install_error_handlers
from hrgraph.query.execution import Overloaded, QueryFailed, QuerySyntaxError, QueryTimeout
from hrgraph.rdf.uploads import UploadRefused
from hrgraph.sparql.queries import ParameterError, QueryFileError
from hrgraph.sparql.querycheck import QueryRejected
from hrgraph.store.generations import StoreBusy, StoreError
from hrgraph.store.remote import RemoteStoreError
from hrgraph.validation.errors import ValidationInputError, ValidatorFailure
from hrgraph.validation.worker import ValidationRefused

CASES = [
    # (error, exit code, HTTP status)
    (QueryRejected("SERVICE is not allowed"), 2, 400),
    (QueryRejected("too large", status=413), 2, 413),
    (QueryFileError("q.rq line 1: no header"), 2, 400),
    (ParameterError("parameter 'date': not a date"), 2, 400),
    (UploadRefused("not Turtle", status=415), 2, 415),
    (ValidationInputError("data/x.ttl line 3: bad"), 2, 400),
    (ImportFailed("uhri.csv: not a UHRI export"), 2, 400),
    (RowError("row 4: no symbol"), 2, 400),
    (BuildError("data/x.ttl", "undefined prefix", line=3), 2, 400),
    (WriteRefused("the build's own graph", status=403), 2, 403),
    (QuerySyntaxError("1:5: unexpected"), 2, 400),
    (QueryFailed("engine failed"), 1, 500),
    (QueryTimeout("deadline"), 1, 503),
    (Overloaded("busy"), 1, 503),
    (WriteCancelled("client gone"), 1, 503),
    (WriteFailed("out of memory", status=507), 1, 507),
    (ValidationRefused(503, "every place is taken", retry_after=3), 1, 503),
    (ValidatorFailure("pySHACL crashed"), 1, 500),
    (StoreError("var/store: no store"), 2, 500),
    (StoreBusy("var/store: locked"), 1, 500),
    (RemoteStoreError("http://store: refused"), 2, 500),
    (ApiError(406, "cannot answer in 'image/png'"), 1, 406),
]


@pytest.mark.parametrize(("error", "exit_code", "status"), CASES, ids=lambda c: type(c).__name__)
def test_every_error_says_its_exit_code_and_status(
    error: HrgraphError, exit_code: int, status: int
) -> None:
    assert isinstance(error, HrgraphError)
    assert (error.exit_code, error.status) == (exit_code, status)


def test_the_kinds_of_errors_keep_their_python_bases() -> None:
    # Callers (and tests) that catch ValueError or RuntimeError still catch these.
    assert issubclass(QueryRejected, ValueError)
    assert issubclass(QueryRejected, BadInput)
    assert issubclass(ValidatorFailure, RuntimeError)
    assert issubclass(Overloaded, QueryFailed)
    assert not issubclass(Overloaded, Unavailable)
    assert Overloaded("busy", retry_after=2).headers == {"Retry-After": "2"}
    assert ApiError(401, "no token", {"WWW-Authenticate": "Bearer"}).headers == {
        "WWW-Authenticate": "Bearer"
    }


def test_http_answers_any_hrgraph_error_with_its_status_headers_and_message() -> None:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/busy")
    def busy() -> None:
        raise Overloaded("every worker is busy; try again", retry_after=4)

    @app.get("/refused")
    def refused() -> None:
        raise QueryRejected("SERVICE <http://example.org/> is not allowed")

    @app.get("/store")
    def store() -> None:
        raise StoreError("no store at /srv/hrgraph/var/store: run `hrgraph build`")

    client = TestClient(app)
    answer = client.get("/store")  # written for the operator: logged, never shown
    assert answer.status_code == 500
    assert answer.json()["message"] == (
        "the service failed to answer this request; it has been logged"
    )
    answer = client.get("/busy")
    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "4"
    assert answer.json() == {
        "status": 503,
        "error": "Service Unavailable",
        "message": "every worker is busy; try again",
    }
    answer = client.get("/refused", headers={"Accept": "text/plain"})
    assert (answer.status_code, answer.text) == (
        400,
        "SERVICE <http://example.org/> is not allowed\n",
    )


def test_the_command_line_prints_one_line_and_exits_with_the_errors_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], project_root: Path
) -> None:
    missing = tmp_path / "no-store"
    code = main(["--root", str(project_root), "query", "--store", str(missing), "-e", "ASK {}"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("hrgraph: error: ")
    assert err.count("\n") == 1
    assert "no-store" in err
