"""Every host the data cites is a known one (issue 15, item 5).

The hosts of the ``hrg:url`` values in ``data/*.ttl`` must be listed in
``data/cited-hosts.csv`` (explained in ``data/README.md``, "Cited hosts"): each host is the
document's own publisher or a mirror kept as the copy the document was retrieved from. Test,
staging and development hosts, proxies with random subdomains and malformed host names are
refused, whether or not somebody adds them to the list.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from rdflib import Graph, Literal, Namespace
from rdflib.namespace import RDFS

HRG = Namespace("https://w3id.org/hrgraph/ontology#")

ROLES = {"publisher", "mirror"}

KNOWN_BAD_HOSTS = (
    "web.test.ohchr.un-icc.cloud",
    "web.dev.ohchr.un-icc.cloud",
    "op300statusdev.site",
    "staging.rferl.org",
    "645012.skal.fun",
    "03deb851-b5ef-491e-9669-f8ee314f4ef8.p.bardy.io",
    "core-cms.prod.aop.cambridge.org",
    "goodnames.eth.link",
    "en.m.wiki.x.io",
    "drvpu8u8hwoyd.cloudfront.net",
    "www.web.inform.kz",
    "el.kz.",
    "thediplomat.com.",
)
"""Hosts the data cited before issue 15: test and staging copies, proxies and mirrors whose
document has a known address of its own, and names with a trailing dot."""

BAD_HOST = re.compile(
    r"""(^|\.)(test|testing|staging|stage|dev|devel|uat|qa|preprod|sandbox)[.-]  # test labels
      | statusdev | \.un-icc\.cloud$                      # hosts seen serving test copies
      | \.p\.bardy\.io$ | \.skal\.fun$                   # proxies with random subdomains
      | ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-             # a UUID as a subdomain
      | ^\d{4,}\.                                        # a long number as a subdomain
      | \.cloudfront\.net$                               # a CDN name instead of the site's
      | \.$                                              # a trailing dot
    """,
    re.VERBOSE,
)

COPY_WORDS = re.compile(
    r"cop(y|ies)|mirror|\bvia\b|reproduc|republish|retrieved|as published|abstract", re.I
)


def _allow_list(project_root: Path) -> dict[str, tuple[str, str]]:
    rows: dict[str, tuple[str, str]] = {}
    with (project_root / "data" / "cited-hosts.csv").open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == ["host", "role", "who"]
        for row in reader:
            assert row["host"] not in rows, f"{row['host']} is listed twice"
            rows[row["host"]] = (row["role"], row["who"])
    return rows


@pytest.fixture(scope="module")
def cited(project_root: Path) -> dict[str, list[tuple[str, str, str, str]]]:
    """host -> [(file, source IRI, URL, label and notes)] for every hrg:url in data/*.ttl."""
    hosts: dict[str, list[tuple[str, str, str, str]]] = {}
    for path in sorted((project_root / "data").glob("*.ttl")):
        graph = Graph()
        graph.parse(path, format="turtle")
        for source, url in graph.subject_objects(HRG.url):
            host = urlsplit(str(url)).hostname or ""
            texts = [
                str(o)
                for p in (RDFS.label, HRG.note)
                for o in graph.objects(source, p)
                if isinstance(o, Literal)
            ]
            hosts.setdefault(host, []).append((path.name, str(source), str(url), " ".join(texts)))
    return hosts


def test_the_data_cites_hosts(cited: dict[str, list[tuple[str, str, str, str]]]) -> None:
    assert len(cited) > 50
    assert "" not in cited, f"URLs without a host: {cited.get('')}"


def test_every_cited_host_is_in_the_allow_list(
    project_root: Path, cited: dict[str, list[tuple[str, str, str, str]]]
) -> None:
    allowed = _allow_list(project_root)
    unknown = {
        host: [f"{file}: {url}" for file, _, url, _ in uses]
        for host, uses in cited.items()
        if host not in allowed
    }
    assert unknown == {}, (
        "hosts not in data/cited-hosts.csv (add them with their role, see data/README.md, "
        "'Cited hosts', or cite the document's own address)"
    )


def test_the_allow_list_is_well_formed_and_current(
    project_root: Path, cited: dict[str, list[tuple[str, str, str, str]]]
) -> None:
    allowed = _allow_list(project_root)
    assert allowed
    assert {h for h, (role, who) in allowed.items() if role not in ROLES or not who} == set()
    assert sorted(h for h in allowed if h not in cited) == [], "listed hosts no source cites"


def test_no_test_staging_or_proxy_host(
    project_root: Path, cited: dict[str, list[tuple[str, str, str, str]]]
) -> None:
    allowed = _allow_list(project_root)
    for host in KNOWN_BAD_HOSTS:
        assert BAD_HOST.search(host) or host in {
            "core-cms.prod.aop.cambridge.org",
            "goodnames.eth.link",
            "en.m.wiki.x.io",
            "www.web.inform.kz",
        }, host
    assert sorted(h for h in cited if h in KNOWN_BAD_HOSTS or BAD_HOST.search(h)) == []
    assert sorted(h for h in allowed if h in KNOWN_BAD_HOSTS or BAD_HOST.search(h)) == []
    text = "\n".join(p.read_text(encoding="utf-8") for p in (project_root / "data").glob("*.ttl"))
    for host in ("un-icc.cloud", "op300statusdev.site", "p.bardy.io", "skal.fun", "staging."):
        assert host not in text, f"{host} is still named in data/"


@pytest.mark.parametrize(
    "host", ["staging.rferl.org", "web.test.ohchr.un-icc.cloud", "x.dev.example.org", "el.kz."]
)
def test_the_pattern_refuses_test_hosts(host: str) -> None:
    assert BAD_HOST.search(host)


@pytest.mark.parametrize("host", ["www.ohchr.org", "docstore.ohchr.org", "prd-echr.coe.int"])
def test_the_pattern_accepts_published_hosts(host: str) -> None:
    assert not BAD_HOST.search(host)


def test_a_mirror_is_labelled_as_the_copy_read(
    project_root: Path, cited: dict[str, list[tuple[str, str, str, str]]]
) -> None:
    """A source read on a mirror says so (in its label or note): the copy is where it was
    retrieved from, not the document's own address."""
    allowed = _allow_list(project_root)
    unlabelled = []
    for host, uses in cited.items():
        if allowed.get(host, ("",))[0] != "mirror":
            continue
        parts = [part for part in host.split(".")[:-1] if part != "www"]
        names = {v for part in parts for v in (part, part.replace("-", " "), part.replace("-", ""))}
        for file, source, _, text in uses:
            lowered = text.lower()
            if not COPY_WORDS.search(text) and not any(n in lowered for n in names):
                unlabelled.append(f"{file}: {source}")
    assert unlabelled == []


def test_the_data_readme_explains_the_allow_list(project_root: Path) -> None:
    readme = (project_root / "data" / "README.md").read_text(encoding="utf-8")
    assert "## Cited hosts" in readme
    assert "`cited-hosts.csv`" in readme
    roles = [role for role, _ in _allow_list(project_root).values()]
    for role in sorted(ROLES):
        assert f"`{role}` ({roles.count(role)} hosts)" in readme, f"stale count for {role}"
