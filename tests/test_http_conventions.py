"""HTTP conventions against a real ``hrgraph serve``: HEAD wherever GET is, gzip for text types
(never for SPARQL answers sent in bounded pieces), ETag and Last-Modified from the store generation
with 304 on revalidation, Link and Content-Location on negotiated resources, compacted JSON-LD,
prefixed Turtle, HTML faces and error pages for browsers, named-query pages and a local /docs."""

from __future__ import annotations

import gzip
import re
import time
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import NamedTuple

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from servers import build_project_copy, serving

from hrgraph.sparql.queries import load_queries

pytestmark = pytest.mark.server

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
IDENTITY = {"Accept-Encoding": "identity"}
TOKEN = "http-conventions-token-0c7d"
KAZ = "/id/state/kaz"
NEGOTIATED = ("turtle", "ntriples", "jsonld", "rdfxml", "html")
MEDIA = {"turtle": "text/turtle", "ntriples": "application/n-triples",
         "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml",
         "html": "text/html"}  # fmt: skip


class Served(NamedTuple):
    url: str
    project: Path
    store: Path


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, project_root: Path) -> Iterator[Served]:
    project, store = build_project_copy(tmp_path_factory.mktemp("http"), project_root)
    with serving(project, store, env={"HRGRAPH_WRITE_TOKEN": TOKEN}) as url:
        yield Served(url, project, store)


def get(served: Served, path: str, **headers: str) -> httpx.Response:
    return httpx.get(served.url + path, headers={**IDENTITY, **headers}, timeout=60)


# HEAD


@pytest.mark.parametrize(
    ("path", "accept"),
    [(KAZ, "text/turtle"), (KAZ, BROWSER), ("/ontology", "text/turtle"), ("/sparql", "*/*"),
     ("/dataset", "text/turtle"), ("/", BROWSER), ("/query", BROWSER), ("/pictures", BROWSER),
     ("/queries/class-counts", BROWSER), ("/api/queries/class-counts", "*/*"), ("/docs", BROWSER),
     ("/static/hrgraph.css", "*/*")],
)  # fmt: skip
def test_head_answers_wherever_get_does(served: Served, path: str, accept: str) -> None:
    full = get(served, path, accept=accept)
    head = httpx.head(served.url + path, headers={**IDENTITY, "accept": accept}, timeout=60)
    assert full.status_code == 200
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == full.headers["content-type"]
    if path != "/sparql":  # the service description's blank nodes are named anew each time
        assert head.headers["content-length"] == str(len(full.content))


def test_head_of_an_unknown_resource_is_404_without_a_body(served: Served) -> None:
    head = httpx.head(served.url + "/id/state/nowhere", headers=IDENTITY)
    assert head.status_code == 404
    assert head.content == b""
    assert head.headers["content-type"] == "application/json"


# Compression


@pytest.mark.parametrize(
    ("path", "accept", "at_most"),
    [("/static/vendor/yasgui.min.js", "*/*", 0.35), ("/ontology", "text/turtle", 0.3),
     ("/static/vendor/swagger-ui-bundle.js", "*/*", 0.35), ("/pictures", BROWSER, 0.3)],
)  # fmt: skip
def test_text_types_are_gzipped_for_clients_that_accept_it(
    served: Served, path: str, accept: str, at_most: float
) -> None:
    plain = get(served, path, accept=accept)
    with httpx.stream(
        "GET", served.url + path, headers={"accept": accept, "accept-encoding": "gzip"}
    ) as packed:
        raw = b"".join(packed.iter_raw())
        assert packed.status_code == 200
        assert packed.headers["content-encoding"] == "gzip"
        assert "Accept-Encoding" in packed.headers["vary"]
    assert "content-encoding" not in plain.headers
    assert "Accept-Encoding" in plain.headers["vary"]
    assert gzip.decompress(raw) == plain.content
    assert len(raw) <= at_most * len(plain.content), (len(raw), len(plain.content))


def test_sparql_answers_and_small_bodies_are_never_compressed(served: Served) -> None:
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 5000"
    gz = {"accept-encoding": "gzip"}
    answers = [
        httpx.post(served.url + "/sparql", data={"query": query}, headers=gz, timeout=60),
        httpx.get(served.url + "/sparql", params={"query": query}, headers=gz, timeout=60),
        httpx.get(served.url + "/api/queries/recommendations", headers=gz, timeout=60),
    ]
    for answer in answers:
        assert answer.status_code == 200
        assert len(answer.content) > 100_000
        assert "content-encoding" not in answer.headers
        assert answer.headers["content-length"] == str(len(answer.content))
    small = httpx.get(served.url + "/health", headers=gz)
    assert "content-encoding" not in small.headers


# Revalidation


@pytest.mark.parametrize(
    ("path", "accept"),
    [(KAZ, "text/turtle"), ("/ontology", "application/ld+json"), ("/dataset", BROWSER),
     ("/.well-known/void", "text/turtle"),
     ("/api/queries/class-counts", "text/csv"), ("/sparql?query=ASK%7B%7D", "*/*"),
     ("/sparql", "text/turtle"), ("/context.jsonld", "*/*")],
)  # fmt: skip
def test_reads_carry_validators_and_revalidate_with_304(
    served: Served, path: str, accept: str
) -> None:
    first = get(served, path, accept=accept)
    assert first.status_code == 200
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert re.fullmatch(r'W/"[0-9a-f]{32}"', etag)
    assert re.fullmatch(r"[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT", modified)
    again = get(served, path, accept=accept)
    assert (again.headers["etag"], again.headers["last-modified"]) == (etag, modified)
    by_tag = get(served, path, accept=accept, **{"if-none-match": etag})
    assert by_tag.status_code == 304
    assert by_tag.content == b""
    assert by_tag.headers["etag"] == etag
    assert by_tag.headers["last-modified"] == modified
    by_date = get(served, path, accept=accept, **{"if-modified-since": modified})
    assert by_date.status_code == 304
    assert by_date.content == b""
    long_ago = {"if-modified-since": "Mon, 01 Jan 2001 00:00:00 GMT"}
    older = get(served, path, accept=accept, **long_ago)
    assert older.status_code == 200
    other_tag = get(served, path, accept=accept, **{"if-none-match": 'W/"0000"'})
    assert other_tag.status_code == 200
    assert other_tag.headers["etag"] == etag


def test_answers_that_change_each_time_are_neither_kept_nor_validated(served: Served) -> None:
    """NOW(), RAND(), STRUUID() (written as the engine reads them, with no word boundary and in
    any case): a fresh answer every time, no ETag or Last-Modified, no 304 by date or by tag."""
    query = "SELECT (nOw( ) AS ?t) (RAND() AS ?r) (STRUUID() AS ?u) {}"
    path = "/sparql?" + str(httpx.QueryParams({"query": query}))
    first = get(served, path, accept="text/csv")
    assert first.status_code == 200
    assert "etag" not in first.headers
    assert "last-modified" not in first.headers
    long_ago = {"if-modified-since": "Mon, 01 Jan 2001 00:00:00 GMT"}
    again = get(served, path, accept="text/csv", **long_ago)
    assert again.status_code == 200
    assert again.content != first.content  # RAND() and STRUUID() again, not a kept answer
    anything = get(served, path, accept="text/csv", **{"if-none-match": "*"})
    assert anything.status_code == 200  # "*" matches any validator: a volatile answer has none
    # the same query's text in a string is no call: kept and validated as any other
    quoted = "/sparql?" + str(httpx.QueryParams({"query": "SELECT ('NOW() RAND()' AS ?t) {}"}))
    assert "etag" in get(served, quoted, accept="text/csv").headers


def test_the_gzip_answer_has_its_own_tag(served: Served) -> None:
    plain = get(served, "/dataset", accept="text/turtle")
    packed = get(served, "/dataset", accept="text/turtle", **{"Accept-Encoding": "gzip"})
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.headers["etag"] == plain.headers["etag"][:-1] + '-gzip"'
    held = {"if-none-match": packed.headers["etag"]}
    again = get(served, "/dataset", accept="text/turtle", **held, **{"Accept-Encoding": "gzip"})
    assert again.status_code == 304
    refused = get(served, "/dataset", accept="text/turtle", **held)  # identity only: not it
    assert refused.status_code == 200
    assert refused.headers["etag"] == plain.headers["etag"]


def test_each_representation_has_its_own_tag(served: Served) -> None:
    tags = {get(served, KAZ, accept=MEDIA[fmt]).headers["etag"] for fmt in NEGOTIATED}
    assert len(tags) == len(NEGOTIATED)
    turtle = get(served, KAZ, accept="text/turtle")
    json_ld = get(
        served, KAZ, accept="application/ld+json", **{"if-none-match": turtle.headers["etag"]}
    )
    assert json_ld.status_code == 200


def test_errors_and_posts_carry_no_validators(served: Served) -> None:
    missing = get(served, "/id/state/nowhere")
    assert missing.status_code == 404
    assert "etag" not in missing.headers
    posted = httpx.post(served.url + "/sparql", data={"query": "ASK {}"})
    assert posted.status_code == 200
    assert "etag" not in posted.headers


# Linked-data conventions


def test_negotiated_resources_say_where_each_representation_is(served: Served) -> None:
    for path in (KAZ, "/ontology", "/dataset"):
        for fmt in NEGOTIATED:
            response = get(served, path, accept=MEDIA[fmt])
            assert response.status_code == 200
            assert response.headers["content-location"] == f"{path}?format={fmt}"
            others = [other for other in NEGOTIATED if other != fmt]
            assert response.headers["link"] == ", ".join(
                f'<{path}?format={other}>; rel="alternate"; type="{MEDIA[other]}"'
                for other in others
            )
            by_link = get(served, response.headers["content-location"])
            assert by_link.status_code == 200
            assert by_link.headers["content-type"].split(";")[0] == MEDIA[fmt]
    russian = get(served, KAZ + "?lang=ru", accept=BROWSER)
    assert russian.headers["content-location"] == f"{KAZ}?format=html&lang=ru"


def test_links_never_come_from_the_host_header(served: Served) -> None:
    for path, accept in ((KAZ, "text/turtle"), ("/ontology", BROWSER), ("/sparql", BROWSER)):
        response = get(served, path, accept=accept, host="evil.example")
        headers = " ".join(f"{k}: {v}" for k, v in response.headers.items())
        assert "evil.example" not in headers
        assert "evil.example" not in response.text


def test_json_is_answered_with_compacted_json_ld(served: Served) -> None:
    for accept, media in (("application/json", "application/json"),
                          ("application/ld+json", "application/ld+json")):  # fmt: skip
        response = get(served, KAZ, accept=accept)
        assert response.status_code == 200
        assert response.headers["content-type"] == media
        document = response.json()
        context = document["@context"]
        assert context["hrg"] == "https://w3id.org/hrgraph/ontology#"
        assert context["id"] == "https://w3id.org/hrgraph/id/"
        assert context["@version"] == 1.1
        kaz = next(node for node in document["@graph"] if node["@id"] == "id:state/kaz")
        types = kaz["@type"] if isinstance(kaz["@type"], list) else [kaz["@type"]]
        assert "hrg:State" in types
        assert "rdf:type" not in kaz
        assert "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" not in response.text
        assert kaz["hrg:isoCode"] == "KAZ"
    graph = rdflib.Graph().parse(data=get(served, KAZ, accept="application/json").text,
                                 format="json-ld")  # fmt: skip
    turtle = rdflib.Graph().parse(data=get(served, KAZ).text, format="turtle")
    assert len(graph) == len(turtle) > 10
    assert isomorphic(graph, turtle)


def test_turtle_declares_the_published_prefixes(served: Served) -> None:
    for path in (KAZ, "/ontology", "/dataset"):
        text = get(served, path, accept="text/turtle").text
        assert "@prefix hrg: <https://w3id.org/hrgraph/ontology#> .\n" in text
        assert "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n" in text
    ontology = get(served, "/ontology", accept="text/turtle").text
    assert "hrg:State a owl:Class" in ontology
    assert "<https://w3id.org/hrgraph/ontology#State>" not in ontology


# HTML for browsers


def test_a_browser_at_sparql_is_sent_to_the_query_page(served: Served) -> None:
    bare = get(served, "/sparql", accept=BROWSER)
    assert bare.status_code == 303
    assert bare.headers["location"] == "/query"
    asked = httpx.get(served.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"},
                      headers={"accept": BROWSER})  # fmt: skip
    assert asked.status_code == 303
    assert asked.headers["location"] == "/query?query=ASK+%7B+%3Fs+%3Fp+%3Fo+%7D"
    followed = httpx.get(served.url + "/sparql", headers={"accept": BROWSER},
                         follow_redirects=True)  # fmt: skip
    assert followed.status_code == 200
    assert "<h1>Query the graph (SPARQL)</h1>" in followed.text
    client = get(served, "/sparql", accept="*/*")
    assert client.status_code == 200
    assert client.headers["content-type"] == "text/turtle; charset=utf-8"


def test_dataset_and_ontology_have_pages(served: Served) -> None:
    dataset = get(served, "/dataset", accept=BROWSER)
    assert dataset.status_code == 200
    assert dataset.headers["content-type"] == "text/html; charset=utf-8"
    assert "<title>The hrgraph dataset — hrgraph</title>" in dataset.text
    assert "<h1>The hrgraph dataset</h1>" in dataset.text
    assert "<code>https://w3id.org/hrgraph/graph/ontology</code>" in dataset.text
    ontology = get(served, "/ontology", accept=BROWSER)
    assert "<title>The hrgraph ontology — hrgraph</title>" in ontology.text
    assert '<tr id="State"><td><code>https://w3id.org/hrgraph/ontology#State</code></td>' in (
        ontology.text
    )


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [("/id/state/nowhere", 404,
      "no resource &lt;https://w3id.org/hrgraph/id/state/nowhere&gt; in this graph"),
     ("/id/%3Cb%3Ex", 404, "no resource with this IRI: it is not a valid IRI"),
     ("/report?as_of=2007-13-45", 400, None), ("/queries/nothing", 404, None),
     ("/api/queries/treaty-actions?nothing=1", 400, None)],
)  # fmt: skip
def test_errors_are_pages_for_browsers_and_json_for_clients(
    served: Served, path: str, status: int, message: str | None
) -> None:
    page = get(served, path, accept=BROWSER)
    assert page.status_code == status
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "default-src 'self'" in page.headers["content-security-policy"]
    reason = {404: "Not Found", 400: "Bad Request"}[status]
    assert f"<title>{status} {reason} — hrgraph</title>" in page.text
    assert f"<h1>{status} {reason}</h1>" in page.text
    assert "<b>" not in page.text
    for accept in ("*/*", "application/json", None):
        headers = {"accept": accept} if accept else {}
        answer = httpx.get(served.url + path, headers=headers)
        assert answer.status_code == status
        assert answer.headers["content-type"] == "application/json"
        body = answer.json()
        assert (body["status"], body["error"]) == (status, reason)
        if message:
            assert f'<p role="alert" class="error-message">{message}</p>' in page.text


# Named queries as pages


def test_home_links_every_named_query_to_its_page(served: Served) -> None:
    home = get(served, "/", accept=BROWSER).text
    names = sorted(load_queries(served.project / "queries"))
    linked = sorted(re.findall(r'<a href="/queries/([a-z0-9-]+)"><code>', home))
    assert linked == names
    assert 'href="/api/queries/' not in home
    for name in ("treaty-actions", "sources-of", "obligations-on-date"):
        page = get(served, f"/queries/{name}", accept=BROWSER)
        assert page.status_code == 200, name
        assert f"<h1>Named query: {name}</h1>" in page.text
        assert '<form method="get" class="facets" aria-label="Parameters"' in page.text


def test_a_named_query_page_asks_for_what_is_missing_then_shows_results(served: Served) -> None:
    empty = get(served, "/queries/obligations-on-date", accept=BROWSER).text
    assert '<p id="missing">Give date to run this query.</p>' in empty
    assert 'name="date" value="" required>' in empty
    assert 'placeholder="YYYY-MM-DD"' in empty
    assert "<table" not in empty
    dated = get(served, "/queries/obligations-on-date?date=2010-01-01", accept=BROWSER).text
    count = re.search(r'<p id="result-count">(\d+) results', dated)
    assert count is not None
    api = httpx.get(served.url + "/api/queries/obligations-on-date", params={"date": "2010-01-01"})
    assert int(count[1]) == len(api.json()["results"]["bindings"]) > 0
    assert dated.count("<tr>") == int(count[1]) + 1
    assert '<a href="/api/queries/obligations-on-date?date=2010-01-01">SPARQL JSON</a>' in dated
    wrong = get(served, "/queries/obligations-on-date?date=2010-13-01", accept=BROWSER)
    assert wrong.status_code == 400
    assert '<p role="alert" class="error-message">' in wrong.text
    defaults = get(served, "/queries/class-counts", accept=BROWSER).text
    assert re.search(r'<p id="result-count">\d+ results', defaults)


# /docs


def test_api_reference_is_served_from_this_host(served: Served) -> None:
    docs = get(served, "/docs", accept=BROWSER)
    assert docs.status_code == 200
    for outside in ("cdn.jsdelivr.net", "fonts.googleapis.com", "tiangolo.com", "unpkg.com", "//"):
        assert outside not in docs.text.replace("http://www.w3.org", ""), outside
    assert '<script src="/static/vendor/swagger-ui-bundle.js"></script>' in docs.text
    assert 'href="/static/vendor/swagger-ui.css"' in docs.text
    assert "url: '/openapi.json'" in docs.text
    for asset in ("/static/vendor/swagger-ui-bundle.js", "/static/vendor/swagger-ui.css"):
        assert get(served, asset).status_code == 200
    redoc = get(served, "/redoc", accept=BROWSER)
    assert redoc.status_code == 308
    assert redoc.headers["location"] == "/docs"
    assert get(served, "/openapi.json").json()["info"]["title"] == "hrgraph"


# A new generation


def test_a_new_generation_changes_the_validators(served: Served) -> None:
    paths = (KAZ, "/ontology", "/dataset", "/api/queries/class-counts", "/sparql?query=ASK%7B%7D")
    first = {path: get(served, path) for path in paths}
    update = "INSERT DATA { GRAPH <http://example.org/etag> { <http://example.org/a> "
    update += "<http://example.org/p> 1 } }"
    written = httpx.post(
        served.url + "/update",
        content=update,
        headers={"content-type": "application/sparql-update", "authorization": f"Bearer {TOKEN}"},
        timeout=60,
    )
    assert written.status_code == 204  # published as a new generation
    for path in paths:
        before = first[path].headers
        after = get(served, path, **{"if-none-match": before["etag"]})
        assert after.status_code == 200, path
        assert after.headers["etag"] != before["etag"]
        assert get(served, path, **{"if-none-match": after.headers["etag"]}).status_code == 304
    # the date comes once the second of publication is over (another generation published in
    # that second would have had the same one)
    time.sleep(1.0)
    for path in paths:
        after = get(served, path)
        published = parsedate_to_datetime(after.headers["last-modified"])
        assert published >= parsedate_to_datetime(first[path].headers["last-modified"])


def test_links_are_ascii_and_percent_encoded(project_root: Path) -> None:
    from hrgraph.http.deps import alternates
    from hrgraph.settings import Settings

    settings = Settings(root=project_root, store_path=None, public_base="https://example.org/hr/")
    links = alternates(settings, "id/act/kaz/закон,1", "text/turtle")
    assert links["Content-Location"] == (
        "https://example.org/hr/id/act/kaz/%D0%B7%D0%B0%D0%BA%D0%BE%D0%BD%2C1?format=turtle"
    )
    assert links["Link"].startswith(
        "<https://example.org/hr/id/act/kaz/%D0%B7%D0%B0%D0%BA%D0%BE%D0%BD%2C1?format=ntriples>; "
        'rel="alternate"; type="application/n-triples", '
    )
    assert all(ord(c) < 128 for value in links.values() for c in value)


# Citable metadata: the version IRI, the dump, creators and publisher


def test_the_version_iri_serves_this_version_of_the_ontology(served: Served) -> None:
    from hrgraph import __version__

    current = get(served, "/ontology", accept="application/n-triples")
    versioned = get(served, f"/ontology/{__version__}", accept="application/n-triples")
    assert versioned.status_code == 200
    assert sorted(versioned.text.splitlines()) == sorted(current.text.splitlines())
    assert f"<https://w3id.org/hrgraph/ontology/{__version__}>" in current.text  # owl:versionIRI
    other = get(served, "/ontology/0.0.1", accept="application/json")
    assert other.status_code == 404
    assert f"serves version {__version__}" in other.json()["message"]


def test_the_void_names_a_dump_that_holds_every_quad(served: Served) -> None:
    void = get(served, "/dataset", accept="application/n-triples").text
    dataset = "<https://w3id.org/hrgraph/dataset>"
    dump_url = f"{served.url}/dataset/dump.nq"
    assert f"{dataset} <http://rdfs.org/ns/void#dataDump> <{dump_url}> ." in void
    project = "<https://w3id.org/hrgraph/#project>"
    assert f"{dataset} <http://purl.org/dc/terms/publisher> {project} ." in void
    assert f"{dataset} <http://purl.org/dc/terms/creator> {project} ." in void
    assert "hasVersion" not in void
    dump = get(served, "/dataset/dump.nq")
    assert dump.status_code == 200
    assert dump.headers["content-type"].startswith("application/n-quads")
    assert dump.headers["etag"].startswith('W/"')
    quads = list(ox.parse(dump.content, format=ox.RdfFormat.N_QUADS))
    count = httpx.post(
        served.url + "/sparql",
        data={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
        headers={"accept": "application/sparql-results+json"},
        timeout=60,
    ).json()["results"]["bindings"][0]["n"]["value"]
    assert len(quads) == int(count) > 100_000
    zipped = httpx.get(dump_url, headers={"Accept-Encoding": "gzip"}, timeout=60)
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.content == dump.content  # httpx decodes it
