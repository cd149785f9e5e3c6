"""Validation over HTTP against a real uvicorn server: the bundled data as of a date, uploads in
Turtle, N-Triples and JSON-LD, the report as JSON, Turtle or HTML, and errors that name the
shapes, the date or the upload's line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rdflib
from servers import build_project_copy, serving

pytestmark = pytest.mark.server

HRG = "https://w3id.org/hrgraph/ontology#"
COMMISSIONER = "https://w3id.org/hrgraph/id/institution/kaz/commissioner-for-human-rights"
REQUIREMENT = "https://w3id.org/hrgraph/id/requirement/"
NHRI_TURTLE = f"""@prefix hrg: <{HRG}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<http://example.org/nhri> a hrg:NationalHumanRightsInstitution ; rdfs:label "Test NHRI"@en .
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, project_root: Path) -> Iterator[str]:
    project, store = build_project_copy(tmp_path_factory.mktemp("validation"), project_root)
    with serving(project, store) as url:
        yield url


def shape_names(project_root: Path) -> list[str]:
    names = sorted(path.stem for path in (project_root / "shapes").glob("*.ttl"))
    assert "paris-principles" in names
    return names


def test_bundled_data_as_of_a_date_as_json(server: str, project_root: Path) -> None:
    response = httpx.get(
        f"{server}/api/validate",
        params={"shapes": "paris-principles", "as_of": "2015-06-01"},
        timeout=120,
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    report = response.json()
    assert report["asOf"] == "2015-06-01"
    assert report["shapes"] == ["shapes/paris-principles.ttl"]
    assert report["conforms"] is False
    assert COMMISSIONER in {finding["focus"] for finding in report["findings"]}
    assert str(project_root) not in response.text


def test_every_shapes_file_by_default(server: str, project_root: Path) -> None:
    report = httpx.get(f"{server}/api/validate", timeout=120).json()
    assert report["shapes"] == [f"shapes/{name}.ttl" for name in shape_names(project_root)]


def test_report_as_turtle_and_html(server: str) -> None:
    params = {"shapes": "paris-principles", "as_of": "2015-06-01"}
    turtle = httpx.get(
        f"{server}/api/validate", params=params, headers={"accept": "text/turtle"}, timeout=120
    )
    assert turtle.headers["content-type"] == "text/turtle; charset=utf-8"
    graph = rdflib.Graph().parse(data=turtle.text, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert (None, rdflib.RDF.type, sh.ValidationReport) in graph
    page = httpx.get(
        f"{server}/api/validate", params=params, headers={"accept": "text/html"}, timeout=120
    )
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.text.startswith("<!DOCTYPE html>")
    assert "Validation report as of 2015-06-01" in page.text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"shapes": "no-such-shapes"}, "no shapes named 'no-such-shapes'"),
        ({"shapes": "paris-principles,../data/iccpr"}, "no shapes named '../data/iccpr'"),
        ({"as_of": "2015-02-30"}, "as_of must be a date YYYY-MM-DD, got '2015-02-30'"),
        ({"as_of": "yesterday"}, "as_of must be a date"),
    ],
)
def test_bad_shapes_or_date_are_named(server: str, params: dict[str, str], message: str) -> None:
    response = httpx.get(f"{server}/api/validate", params=params)
    assert response.status_code == 400
    assert message in response.json()["message"]


def test_uploaded_turtle_is_validated_with_the_ontology(server: str) -> None:
    response = httpx.post(
        f"{server}/api/validate",
        params={"shapes": "paris-principles"},
        content=NHRI_TURTLE,
        headers={"content-type": "text/turtle"},
        timeout=120,
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["data"] == ["the upload"]
    # An NHRI with nothing recorded about it: its accreditation is not established, which is
    # never a breach.
    assert report["conforms"] is True
    assert report["outcomes"] == {"not met": 0, "not established": 1, "met": 0}
    found = [
        (f["focus"], f["requirement"], f["outcome"], f["severity"]) for f in report["findings"]
    ]
    assert found == [
        (
            "http://example.org/nhri",
            REQUIREMENT + "ganhri-accreditation-a",
            "not established",
            "Info",
        )
    ]
    assert "/tmp" not in response.text
    assert "hrgraph-upload" not in response.text


def test_uploads_in_n_triples_and_json_ld(server: str) -> None:
    triple = '<http://example.org/x> <http://www.w3.org/2000/01/rdf-schema#label> "x"@en .\n'
    ntriples = httpx.post(
        f"{server}/api/validate",
        content=triple,
        headers={"content-type": "application/n-triples"},
        timeout=120,
    )
    assert ntriples.status_code == 200
    assert ntriples.json()["conforms"] is True
    document = {
        "@context": {"hrg": HRG, "label": "http://www.w3.org/2000/01/rdf-schema#label"},
        "@id": "http://example.org/nhri",
        "@type": "hrg:NationalHumanRightsInstitution",
        "label": "Test NHRI",
    }
    jsonld = httpx.post(
        f"{server}/api/validate",
        params={"shapes": "paris-principles"},
        content=json.dumps(document),
        headers={"content-type": "application/ld+json"},
        timeout=120,
    )
    assert jsonld.status_code == 200, jsonld.text
    assert (jsonld.json()["conforms"], jsonld.json()["outcomes"]["not established"]) == (True, 1)


@pytest.mark.parametrize(
    ("body", "content_type", "status", "message"),
    [
        ("<http://example.org/x> <http://example.org/p> .\n", "application/n-triples", 400,
         "line 1"),
        ("@prefix ex: <http://example.org/> .\nex:x ex:p ex:y ;\n  ex:q .\n", "text/turtle", 400,
         "line 3"),
        ('{"@context": "http://example.org/context.jsonld", "@id": "http://example.org/x"}',
         "application/ld+json", 400, "context"),
        ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "a">]><r/>', "application/rdf+xml", 415,
         "Turtle"),
    ],
)  # fmt: skip
def test_bad_uploads_are_refused_with_the_position(
    server: str, body: str, content_type: str, status: int, message: str
) -> None:
    response = httpx.post(
        f"{server}/api/validate", content=body, headers={"content-type": content_type}
    )
    assert response.status_code == status, response.text
    assert message in response.json()["message"]


def test_oversized_upload_is_413(server: str) -> None:
    body = b"# padding\n" * 1_100_000
    response = httpx.post(
        f"{server}/api/validate", content=body, headers={"content-type": "text/turtle"}
    )
    assert response.status_code == 413
