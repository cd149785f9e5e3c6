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

from hrgraph.sparql.queries import HEADER_KEYS, load_queries

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


UNTC = ID + "source/untc/{}/2026-02-03"
"""The UN Treaty Collection status page of an instrument as at 3 February 2026 (the source that
lists every participant: "not party" rests on it)."""


def test_obligations_on_a_date(server: str) -> None:
    """Kazakhstan on 1 January 2010: bound by 10 instruments (each article a row where the data
    has the articles), not bound by the 8 others the UN Treaty Collection covers (the CPED, to
    which it acceded on 27 February 2009, only entered into force on 23 December 2010), and not
    bound by the ECHR and the Istanbul Convention as the curated statuses (as of September 2023)
    say; on 1 January 1990, bound by nothing."""
    found = query(server, "obligations-on-date", date="2010-01-01")
    by_treaty: dict[str, set[tuple[str, str, str]]] = {}
    for row in found:
        treaty = row["treaty"].removeprefix(ID + "treaty/")
        entry = (row["status"], row.get("boundFrom", ""), row.get("coveredUntil", ""))
        by_treaty.setdefault(treaty, set()).add(entry)
    assert by_treaty == {
        "cat": {("Bound", "1998-09-25", "")},
        "cedaw": {("Bound", "1998-09-25", "")},
        "cerd": {("Bound", "1998-09-25", "")},
        "crc": {("Bound", "1994-09-11", "")},
        "crc-opac": {("Bound", "2003-05-10", "")},
        "crc-opsc": {("Bound", "2002-01-18", "")},
        "iccpr": {("Bound", "2006-04-24", "")},
        "iccpr-op1": {("Bound", "2009-09-30", "")},
        "icescr": {("Bound", "2006-04-24", "")},
        "op-cat": {("Bound", "2008-11-21", "")},
        "op-cedaw": {("Bound", "2001-11-24", "")},
        **{
            treaty: {("NotBound", "", "2026-02-03")}
            for treaty in ("cped", "crc-opic", "crpd", "iccpr-op2", "icrmw", "op-crpd", "op-icescr")
        },
        "echr": {("NotBound", "", "2023-09")},
        "istanbul-convention": {("NotBound", "", "2023-09")},
    }
    articles = {row["article"] for row in found if "article" in row}
    assert ID + "treaty/iccpr/art-22" in articles
    assert len([a for a in articles if a.startswith(ID + "treaty/iccpr/")]) == 53
    sources = {row["treaty"]: row["sources"].split() for row in found}
    assert UNTC.format("iv-5") in sources[ID + "treaty/iccpr-op1"]
    assert sources[ID + "treaty/iccpr-op2"] == [UNTC.format("iv-12")]
    early = query(server, "obligations-on-date", date="1990-01-01")
    assert {row["status"] for row in early} == {"NotBound"}
    assert len(early) == 20
    # A State that is not curated: the United Kingdom, party to the ICCPR since 20 August 1976
    # (ratified 20 May 1976, art. 49(2)); the ECHR is not covered by the data for it.
    uk = query(server, "obligations-on-date", date="1980-01-01", state=ID + "state/gbr")
    status = {row["treaty"].removeprefix(ID + "treaty/"): row["status"] for row in uk}
    assert (status["iccpr"], status["iccpr-op1"], status["echr"]) == (
        "Bound",
        "NotBound",
        "NotRecorded",
    )


def test_recommendations_filtered_by_right_and_response(server: str) -> None:
    found = query(server, "recommendations", right=ID + "right/peaceful-assembly", response="Noted")
    # cycle 2: A/HRC/28/10 para. 126 (noted) with UPR Info's issue "Freedom of association and
    # peaceful assembly" (data/upr-kaz-cycle-2.ttl)
    cycle_2 = [f"recommendation/a-hrc-28-10/para-126-{n}" for n in (29, 35, *range(42, 49))]
    assert sorted(row["recommendation"] for row in found) == [
        *(ID + path for path in cycle_2),
        ID + "recommendation/a-hrc-43-10/group-assembly-association",
        ID + "recommendation/upr-kaz-4-working-group-report/group-revise-assembly-law",
    ]
    cycle_3 = query(server, "recommendations", mechanism=ID + "mechanism/upr", cycle="3")
    assert len(cycle_3) == 5
    assert {row["cycle"] for row in cycle_3} == {"3"}


def test_repeated_recommendations(server: str) -> None:
    found = {row["subject"]: row for row in query(server, "repeated-recommendations")}
    torture = found[ID + "right/freedom-from-torture"]
    # UPR cycles 1-4 (cycle 2 from data/upr-kaz-cycle-2.ttl), CAT and CCPR
    assert (torture["reviews"], torture["firstYear"], torture["lastYear"]) == ("6", "2010", "2025")
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
    """Every procedure, with Kazakhstan's acceptance (by a protocol or a declaration, dated by
    the UN Treaty Collection), NotParty where the UN Treaty Collection lists every participant
    of the instrument and not Kazakhstan (ICRMW, OP-ICESCR, of which it is a signatory only),
    NotRecorded where it is a party but no declaration is recorded (CPED art. 31)."""
    found = query(server, "complaint-procedures")
    assert [
        (
            row["procedure"].removeprefix(ID + "procedure/"),
            row["status"],
            row.get("acceptedBy", "").removeprefix(ID),
            row.get("date", ""),
        )
        for row in found
    ] == [
        ("op-cedaw", "Accepted", "action/kaz/op-cedaw-ratification", "2001-08-24"),
        ("cat-art-22", "Accepted", "statement/kaz/cat-art-22-declaration", "2008-02-21"),
        ("cerd-art-14", "Accepted", "statement/kaz/cerd-art-14-declaration", "2008-05-29"),
        ("iccpr-op1", "Accepted", "action/kaz/iccpr-op1-ratification", "2009-06-30"),
        ("op-crpd", "Accepted", "action/kaz/op-crpd-ratification", "2023-07-13"),
        ("crc-opic", "Accepted", "action/kaz/crc-opic-ratification", "2024-02-07"),
        ("icrmw-art-77", "NotParty", "", ""),
        ("op-icescr", "NotParty", "", ""),
        ("cped-art-31", "NotRecorded", "", ""),
    ]
    sources = {row["procedure"].removeprefix(ID + "procedure/"): row["sources"] for row in found}
    assert sources["op-icescr"] == UNTC.format("iv-3-a")
    assert UNTC.format("iv-9") in sources["cat-art-22"].split()
    assert sources["cped-art-31"] == ""
    # Jamaica accepted the ICCPR-OP1 procedure by ratifying in 1975 and denounced the Protocol
    # (in effect 23 January 1998); the United Kingdom declared under CAT art. 21 only.
    jamaica = query(server, "complaint-procedures", state=ID + "state/jam")
    op1 = next(row for row in jamaica if row["procedure"] == ID + "procedure/iccpr-op1")
    assert (op1["status"], op1["date"], op1["until"]) == ("Accepted", "1975-10-03", "1998-01-23")
    uk = {
        row["procedure"].removeprefix(ID + "procedure/"): row["status"]
        for row in query(server, "complaint-procedures", state=ID + "state/gbr")
    }
    assert uk == {
        "op-cedaw": "Accepted", "op-crpd": "Accepted", "cped-art-31": "NotParty",
        "crc-opic": "NotParty", "iccpr-op1": "NotParty", "icrmw-art-77": "NotParty",
        "op-icescr": "NotParty", "cat-art-22": "NotRecorded", "cerd-art-14": "NotRecorded",
    }  # fmt: skip


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
    assert len(table) == 10  # the header and the 9 procedures, accepted or not
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


def test_treaty_status_of_any_state(server: str) -> None:
    """Kazakhstan: a party to 16 of the 18 UN instruments (since the entry into force the UN
    Treaty Collection's dates give), a signatory only of the OP-ICESCR, no action on the ICRMW
    (the curated status and the UN Treaty Collection agree), and the curated statuses of the two
    Council of Europe instruments. The United Kingdom, whose standing is only the UN Treaty
    Collection's and comparators.ttl's: NoAction where the pages do not list it, NotRecorded for
    the ECHR (no source covers it)."""
    found = query(server, "treaty-status")
    assert [
        (row["instrument"].removeprefix(ID + "treaty/"), row["status"], row.get("since", ""))
        for row in found
    ] == [
        ("icrmw", "NoAction", ""),
        ("istanbul-convention", "NoAction", ""),
        ("echr", "NotEligible", ""),
        ("cat", "Party", "1998-09-25"),
        ("cedaw", "Party", "1998-09-25"),
        ("cerd", "Party", "1998-09-25"),
        ("cped", "Party", "2010-12-23"),
        ("crc", "Party", "1994-09-11"),
        ("crc-opac", "Party", "2003-05-10"),
        ("crc-opic", "Party", "2024-05-07"),
        ("crc-opsc", "Party", "2002-01-18"),
        ("crpd", "Party", "2015-05-21"),
        ("iccpr", "Party", "2006-04-24"),
        ("iccpr-op1", "Party", "2009-09-30"),
        ("iccpr-op2", "Party", "2022-06-24"),
        ("icescr", "Party", "2006-04-24"),
        ("op-cat", "Party", "2008-11-21"),
        ("op-cedaw", "Party", "2001-11-24"),
        ("op-crpd", "Party", "2023-08-12"),
        ("op-icescr", "SignatoryOnly", ""),
    ]
    sources = {row["instrument"].removeprefix(ID + "treaty/"): row["sources"] for row in found}
    assert UNTC.format("iv-13") in sources["icrmw"].split()
    assert ID + "source/wpd-2022" in sources["icrmw"].split()
    assert UNTC.format("iv-3-a") in sources["op-icescr"].split()
    uk = query(server, "treaty-status", state=ID + "state/gbr")
    standing = {row["instrument"].removeprefix(ID + "treaty/"): row for row in uk}
    assert sorted(k for k, row in standing.items() if row["status"] == "NoAction") == [
        "cped", "crc-opic", "iccpr-op1", "icrmw", "op-icescr",
    ]  # fmt: skip
    assert standing["iccpr-op1"]["sources"] == UNTC.format("iv-5")
    assert standing["iccpr-op1"]["asOf"] == "2026-02-03"
    assert (standing["echr"]["status"], standing["echr"]["sources"]) == ("NotRecorded", "")
    assert (standing["iccpr"]["status"], standing["iccpr"]["since"]) == ("Party", "1976-08-20")
    jamaica = {
        row["instrument"]: row for row in query(server, "treaty-status", state=ID + "state/jam")
    }
    op1 = jamaica[ID + "treaty/iccpr-op1"]
    assert (op1["status"], op1["since"], op1["until"]) == ("Denounced", "1976-03-23", "1998-01-23")
