"""Named queries over HTTP against a real uvicorn server: every queries/*.rq is an OpenAPI
operation with typed parameters, answers on the bundled data, and refuses bad parameters."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from servers import build_project_copy, free_port, serving, start_server

from hrgraph.queries import HEADER_KEYS, load_queries

pytestmark = pytest.mark.server

ID = "https://w3id.org/hrgraph/id/"
SAMPLE_PARAMETERS: dict[str, dict[str, str]] = {
    "obligations-on-date": {"date": "2010-01-01"},
    "changes-between": {"from": "2022-01-01", "to": "2023-01-01"},
    "sources-of": {"resource": ID + "action/kaz/iccpr-op1-ratification"},
}
"""Values for the required parameters that have no default; other queries run without any."""


__all__ = ["free_port", "start_server"]  # used by other test modules


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, project_root: Path) -> Iterator[str]:
    project, store = build_project_copy(tmp_path_factory.mktemp("named-queries"), project_root)
    with serving(project, store) as url:
        yield url


def rows(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    return [
        {name: cell["value"] for name, cell in binding.items()}
        for binding in response.json()["results"]["bindings"]
    ]


def test_the_folder_is_servable_by_grlc(project_root: Path) -> None:
    queries = load_queries(project_root / "queries")
    assert len(queries) >= 15
    for name, query in queries.items():
        header = [line for line in query.text.splitlines() if line.startswith("#+")]
        keys = {line[2:].split(":", 1)[0].strip() for line in header if not line[2:3].isspace()}
        assert keys <= HEADER_KEYS, name
        assert query.summary, name
        assert query.description, name
        for parameter in query.parameters:
            assert parameter.variable.lstrip("_").startswith(parameter.name), name


def test_list_names_every_query_with_typed_parameters(server: str, project_root: Path) -> None:
    listed = httpx.get(f"{server}/api/queries").json()
    names = sorted(item["name"] for item in listed)
    assert names == sorted(path.stem for path in (project_root / "queries").glob("*.rq"))
    by_name = {item["name"]: item for item in listed}
    assert by_name["changes-between"]["parameters"] == [
        {"name": "from", "type": "xsd:date", "required": False, "default": "2022-01-01"},
        {"name": "to", "type": "xsd:date", "required": False, "default": "2023-01-01"},
    ]
    assert by_name["obligations-on-date"]["parameters"][1] == {
        "name": "date",
        "type": "xsd:date",
        "required": True,
    }
    state = by_name["obligations-on-date"]["parameters"][0]
    assert state == {"name": "state", "type": "IRI", "required": False, "default": ID + "state/kaz"}
    response = next(p for p in by_name["recommendations"]["parameters"] if p["name"] == "response")
    assert response["enum"] == ["Supported", "Noted", "PartiallySupported"]
    assert "tags" in by_name["recommendations"]
    assert by_name["recommendations"]["summary"]


def test_every_query_is_an_openapi_operation(server: str, project_root: Path) -> None:
    paths = httpx.get(f"{server}/openapi.json").json()["paths"]
    for path in sorted((project_root / "queries").glob("*.rq")):
        operation = paths[f"/api/queries/{path.stem}"]["get"]
        assert operation["operationId"] == path.stem
    changes = paths["/api/queries/changes-between"]["get"]["parameters"]
    assert [(p["name"], p["required"], p["schema"]) for p in changes] == [
        ("from", False, {"type": "string", "format": "date", "default": "2022-01-01"}),
        ("to", False, {"type": "string", "format": "date", "default": "2023-01-01"}),
    ]
    obligations = paths["/api/queries/obligations-on-date"]["get"]["parameters"]
    assert [(p["name"], p["required"], p["schema"].get("format")) for p in obligations] == [
        ("state", False, "uri"),
        ("date", True, "date"),
    ]


def test_every_query_answers_with_rows(server: str, project_root: Path) -> None:
    names = sorted(path.stem for path in (project_root / "queries").glob("*.rq"))
    assert len(names) >= 15
    for name in names:
        response = httpx.get(
            f"{server}/api/queries/{name}", params=SAMPLE_PARAMETERS.get(name, {}), timeout=60
        )
        assert rows(response), name


def query(server: str, name: str, **params: str) -> list[dict[str, str]]:
    return rows(httpx.get(f"{server}/api/queries/{name}", params=params, timeout=60))


def test_obligations_on_a_date(server: str) -> None:
    found = query(server, "obligations-on-date", date="2010-01-01")
    assert ID + "treaty/iccpr/art-22" in {row["article"] for row in found}
    assert query(server, "obligations-on-date", date="1990-01-01") == []


def test_recommendations_filtered_by_right_and_response(server: str) -> None:
    found = query(server, "recommendations", right=ID + "right/peaceful-assembly", response="Noted")
    assert sorted(row["recommendation"] for row in found) == [
        ID + "recommendation/a-hrc-43-10/group-assembly-association",
        ID + "recommendation/upr-kaz-4-working-group-report/group-revise-assembly-law",
    ]
    cycle_3 = query(server, "recommendations", mechanism=ID + "mechanism/upr", cycle="3")
    assert len(cycle_3) == 5
    assert {row["cycle"] for row in cycle_3} == {"3"}


def test_repeated_recommendations(server: str) -> None:
    found = {row["subject"]: row for row in query(server, "repeated-recommendations")}
    torture = found[ID + "right/freedom-from-torture"]
    assert (torture["reviews"], torture["firstYear"], torture["lastYear"]) == ("5", "2010", "2025")
    assert int(found[ID + "treaty/iccpr/art-22"]["reviews"]) > 1


def test_provisions_in_conflict_with_the_recommendations_to_change_them(server: str) -> None:
    association = query(server, "provisions-in-conflict", article=ID + "treaty/iccpr/art-22")
    features = {(row["provision"], row["feature"]) for row in association}
    assert (ID + "act/kaz/z960000003/registration-requirement", "requires registration") in features
    assert (ID + "act/kaz/cao-2014/art-489/para-9", "sets a sanction") in features
    expression = query(server, "provisions-in-conflict", article=ID + "treaty/iccpr/art-19")
    defamation = next(r for r in expression if r["provision"].endswith("k1400000226/art-130"))
    assert (
        ID + "recommendation/a-hrc-43-10/group-criminal-code-art-174"
        in defamation["recommendations"].split()
    )


def test_paris_principles_gaps_of_the_commissioner(server: str) -> None:
    gaps = {(row["feature"], row["gap"]) for row in query(server, "paris-principles-gaps")}
    assert (
        ID + "feature/kaz/commissioner-for-human-rights-legal-basis-2002",
        "legal basis is an executive decree, not the constitution or a law",
    ) in gaps
    assert (
        ID + "accreditation/kaz/commissioner-2012",
        "latest accreditation is StatusB, not A status",
    ) in gaps


def test_complaint_procedures_accepted_by_kazakhstan(server: str) -> None:
    procedures = {row["procedure"] for row in query(server, "complaint-procedures")}
    assert procedures == {
        ID + f"procedure/{slug}"
        for slug in ("cat-art-22", "cerd-art-14", "crc-opic", "iccpr-op1", "op-cedaw", "op-crpd")
    }


def test_domestic_violence_frameworks_of_the_comparators(server: str) -> None:
    found = query(server, "domestic-violence-frameworks")
    by_state = {row["state"].rsplit("/", 1)[-1]: row for row in found}
    assert set(by_state) == {"kaz", "pol", "svn", "gbr"}
    assert by_state["kaz"]["istanbulConvention"] == "NoAction"
    assert by_state["kaz"]["accreditation"] == "StatusB"
    assert "Ratification 2015-04-27" in by_state["pol"]["istanbulConvention"]
    assert by_state["gbr"]["law"] == ID + "act/gbr/ukpga-2021-17"


def test_history_of_the_commissioner(server: str) -> None:
    history = query(server, "institution-history")
    assert history[0]["from"] == "2002-09"  # the decree of September 2002
    decree_era = {row["kind"] for row in history if row.get("from") == "2002-09"}
    assert {"LegalBasis", "OfficeHolding", "AppointmentProcedure"} <= decree_era
    ended = {row["item"].rsplit("/", 1)[-1]: row.get("until") for row in history}
    assert ended["commissioner-for-human-rights-legal-basis-2002"] == "2022-01"
    holders = [row["item"].rsplit("/", 1)[-1] for row in history if row["kind"] == "OfficeHolding"]
    assert holders == ["bolat-baikadamov", "askar-shakirov", "elvira-azimova", "artur-lastayev"]


def test_changes_between_two_dates(server: str) -> None:
    found = query(server, "changes-between", **{"from": "2022-01-01", "to": "2023-01-01"})
    assert {"date": "2022-06-24", "change": "began"}.items() <= next(
        row for row in found if row["resource"] == ID + "binding/kaz/iccpr-op2"
    ).items()
    assert all("2022" <= row["date"] < "2023" for row in found)


def test_claims_treaty_status_and_sources(server: str) -> None:
    contradicted = query(server, "claims-and-verdicts", verdict="Contradicted")
    assert len(contradicted) == 4
    assert ID + "claim/web/16" in {row["claim"] for row in contradicted}
    status = {row["instrument"]: row["status"] for row in query(server, "treaty-status")}
    assert status[ID + "treaty/echr"] == "NotEligible"
    sources = query(server, "sources-of", resource=ID + "action/kaz/iccpr-op1-ratification")
    entry_into_force = {
        row["source"].removeprefix(ID + "source/")
        for row in sources
        if row.get("property") == "https://w3id.org/hrgraph/ontology#entryIntoForce"
    }
    # 30 September 2009: stated in the Human Rights Committee's Views against Kazakhstan
    assert {"ccpr-c-124-d-2257-2013", "ccpr-c-131-d-2452-2014"} <= entry_into_force


def test_csv_and_tsv_by_accept(server: str) -> None:
    url = f"{server}/api/queries/complaint-procedures"
    response = httpx.get(url, headers={"accept": "text/csv"})
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    table = list(csv.reader(io.StringIO(response.text)))
    assert table[0][:2] == ["procedure", "procedureLabel"]
    assert len(table) == 7
    tsv = httpx.get(url, headers={"accept": "text/tab-separated-values"})
    assert tsv.headers["content-type"] == "text/tab-separated-values; charset=utf-8"
    assert httpx.get(url).headers["content-type"] == "application/sparql-results+json"
    assert httpx.get(url, headers={"accept": "image/png"}).status_code == 406


@pytest.mark.parametrize(
    ("name", "params", "status", "message"),
    [
        ("obligations-on-date", {}, 400, "needs parameter 'date'"),
        ("obligations-on-date", {"date": "2010-13-45"}, 400, "parameter 'date' must be a date"),
        ("obligations-on-date", {"date": "2010-01-01", "colour": "red"}, 400,
         "no parameter 'colour'"),
        ("sources-of", {"resource": "not an iri"}, 400,
         "parameter 'resource' must be an absolute IRI"),
        ("recommendations", {"response": "Ignored"}, 400, "parameter 'response' must be one of"),
        ("no-such-query", {}, 404, "no named query 'no-such-query'"),
    ],
)  # fmt: skip
def test_bad_parameters_are_named(
    server: str, name: str, params: dict[str, str], status: int, message: str
) -> None:
    response = httpx.get(f"{server}/api/queries/{name}", params=params)
    assert response.status_code == status
    body = response.json()
    assert body["status"] == status
    assert message in body["message"]


def test_values_are_bound_as_terms_never_pasted(server: str) -> None:
    hostile = '3" } } DELETE WHERE { ?s ?p ?o } #'
    assert query(server, "recommendations", cycle=hostile) == []
    assert query(server, "recommendations", cycle="3")
    repeated = httpx.get(
        f"{server}/api/queries/obligations-on-date", params=[("date", "2010-01-01")] * 2
    )
    assert repeated.status_code == 400
    assert "more than once" in repeated.json()["message"]
