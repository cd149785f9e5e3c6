"""grlc itself (PyPI grlc 1.3.11, installed by `make grlc` into .venv-grlc/ beside the project's
own environment, because it pins its own Flask and requests) serving ``queries/`` against a
running hrgraph: every named query answers through grlc with the same rows as hrgraph's own
named-query API, with its parameters omitted (the defaults must hold although grlc never applies
``defaults:`` itself: it leaves an absent parameter unbound) and given (grlc writes each value
into the query text). The endpoint is declared in ``queries/endpoint.txt`` (grlc's convention);
the test points grlc at its own server with grlc's ``endpoint`` request argument."""

from __future__ import annotations

import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from servers import build_project_copy, free_port, serving

from hrgraph.sparql.queries import load_queries

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parents[1]
GRLC_PYTHON = ROOT / ".venv-grlc" / "bin" / "python"
ID = "https://w3id.org/hrgraph/id/"
GIVEN = {
    "date": "2015-06-01",
    "from": "2014-01-01",
    "to": "2015-01-01",
    "state": f"{ID}state/kaz",
    "institution": f"{ID}institution/kaz/commissioner-for-human-rights",
    "resource": f"{ID}action/kaz/iccpr-op1-ratification",
    "right": f"{ID}right/peaceful-assembly",
    "mechanism": f"{ID}mechanism/upr",
    "article": f"{ID}treaty/iccpr/art-21",
    "recommendingState": f"{ID}state/gbr",
    "issue": f"{ID}right/freedom-of-association",
    "cycle": "3",
    "response": "Noted",
    "verdict": "Contradicted",
    "outcome": "ViolationFound",
    "treaty": f"{ID}treaty/iccpr",
    "other": f"{ID}treaty/icescr",
}
"""A value for every parameter any named query takes (a new parameter needs one here)."""


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """hrgraph serving the bundled data, and grlc serving the project's ``queries/``."""
    if not GRLC_PYTHON.is_file():
        pytest.fail(f"{GRLC_PYTHON} is missing: run `make grlc` (or `make test`, which does)")
    base = tmp_path_factory.mktemp("grlc")
    project, store = build_project_copy(base, ROOT)
    (base / "config.ini").write_text(
        f"[local]\nlocal_sparql_dir = {project / 'queries'}\n", encoding="utf-8"
    )
    port = free_port()
    grlc = subprocess.Popen(
        [str(GRLC_PYTHON), "-m", "flask", "--app", "grlc.server", "run",
         "--host", "127.0.0.1", "--port", str(port)],
        cwd=base, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    grlc_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{grlc_url}/api-local/swagger", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if grlc.poll() is not None or time.monotonic() > deadline:
                assert grlc.stderr is not None
                pytest.fail(f"grlc did not start: {grlc.stderr.read()[-2000:]!r}")
            time.sleep(0.2)
        with serving(project, store) as hrgraph_url:
            yield hrgraph_url, grlc_url
    finally:
        grlc.terminate()
        grlc.wait(timeout=10)


def unordered(value: str) -> str:
    """A GROUP_CONCAT of IRIs (a ``sources`` cell) in a fixed order: SPARQL leaves it open."""
    tokens = value.split(" ")
    return " ".join(sorted(tokens)) if all(t.startswith("http") for t in tokens) else value


def bindings(response: httpx.Response) -> Counter[tuple[tuple[str, str], ...]]:
    assert response.status_code == 200, response.text[:500]
    return Counter(
        tuple(sorted((name, unordered(cell["value"])) for name, cell in row.items()))
        for row in response.json()["results"]["bindings"]
    )


NAMES = sorted(load_queries(ROOT / "queries"))


@pytest.mark.parametrize("name", NAMES)
def test_grlc_answers_every_named_query_as_hrgraph_does(
    servers: tuple[str, str], name: str
) -> None:
    hrgraph_url, grlc_url = servers
    query = load_queries(ROOT / "queries")[name]
    required = {p.name: GIVEN[p.name] for p in query.parameters if p.required}
    everything = {p.name: GIVEN[p.name] for p in query.parameters}
    accept = {"accept": "application/sparql-results+json"}
    for values in (required, everything):
        ours = bindings(httpx.get(f"{hrgraph_url}/api/queries/{name}", params=values,
                                  headers=accept, timeout=60))  # fmt: skip
        theirs = bindings(httpx.get(
            f"{grlc_url}/api-local/{name}",
            params={**values, "endpoint": f"{hrgraph_url}/sparql"},
            headers={"accept": "application/json"}, timeout=60,
        ))  # fmt: skip
        assert theirs == ours, (name, values)
    assert ours or name == "recommendations", f"{name} answers nothing with every parameter given"


def test_grlc_reads_the_endpoint_and_quoted_date_defaults(servers: tuple[str, str]) -> None:
    _hrgraph_url, grlc_url = servers
    spec = httpx.get(f"{grlc_url}/api-local/swagger", timeout=30).json()
    changes = spec["paths"]["/changes-between"]["get"]["parameters"]
    # dates as strings (unquoted, YAML would read a date and Swagger show an HTTP date), and
    # the endpoint grlc read from queries/endpoint.txt
    assert {p["name"]: p.get("default") for p in changes} == {
        "from": "2022-01-01",
        "to": "2023-01-01",
        "endpoint": "http://127.0.0.1:8000/sparql",
    }
