"""The web interface in a real browser: headless system Chromium, started by these tests, against
a real ``hrgraph serve`` of a project copy holding a hostile label. Screenshots are written to
``tests/browser/artefacts/`` (git-ignored) as test artefacts."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from chromium import chromium, console_errors, requests_made
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from test_serve import serving
from test_web_pages import HOSTILE_LABEL, hostile_project

ARTEFACTS = Path(__file__).parent / "artefacts"
PAGES = {
    "home": "/",
    "query": "/query",
    "recommendations": "/browse/recommendations",
    "provisions": "/browse/provisions",
    "report": "/report?as_of=2007-06-01",
    "pictures": "/pictures",
    "commissioner": "/id/institution/kaz/commissioner-for-human-rights",
    "commissioner-ru": "/id/mechanism/ccpr?lang=ru",
    "hostile": "/id/event/web-escaping-test",
}
pytestmark = [pytest.mark.server, pytest.mark.browser]
T = TypeVar("T")


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory, project_root: Path) -> Iterator[str]:
    project, store = hostile_project(tmp_path_factory.mktemp("browser"), project_root)
    with serving(project, store) as served:
        yield served


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    ARTEFACTS.mkdir(exist_ok=True)
    with chromium() as driver:
        yield driver


def wait_for(condition: Callable[[], T], what: str, timeout: float = 15) -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def open_page(browser: webdriver.Chrome, url: str) -> None:
    browser.get(url)
    wait_for(lambda: browser.execute_script("return document.readyState") == "complete",
             f"{url} to load")  # fmt: skip


def shoot(browser: webdriver.Chrome, name: str) -> None:
    browser.save_screenshot(str(ARTEFACTS / f"{name}.png"))


def test_every_page_loads_without_console_errors(browser: webdriver.Chrome, url: str) -> None:
    for name, path in PAGES.items():
        open_page(browser, url + path)
        if name == "query":
            wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "[data-examples-loaded]"),
                     "the example tabs")  # fmt: skip
        shoot(browser, f"page-{name}")
        assert console_errors(browser) == [], name
        assert browser.title.endswith("— hrgraph"), name
        assert len(browser.find_elements(By.TAG_NAME, "h1")) == 1, name


def test_keyboard_reaches_the_skip_link_then_the_navigation(
    browser: webdriver.Chrome, url: str
) -> None:
    open_page(browser, url + "/")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    active = browser.switch_to.active_element
    assert active.get_attribute("class") == "skip"
    active.send_keys(Keys.TAB)
    assert browser.switch_to.active_element.text == "hrgraph"


ROWS = """return Array.from(document.querySelectorAll(
  '.tabPanel.active .yasr table tbody tr')).map(function (row) { return row.innerText; });"""


def run_in_editor(browser: webdriver.Chrome, expected: str) -> list[str]:
    """Run the active tab's query; the rows of its results table once one holds ``expected``
    (the table is redrawn when results arrive, so rows are read in one script call)."""
    browser.find_element(By.CSS_SELECTOR, ".tabPanel.active .yasqe_queryButton").click()
    rows: list[str] = wait_for(
        lambda: [row for row in browser.execute_script(ROWS) if expected in row] and
        browser.execute_script(ROWS),
        f"a results row with {expected!r}",
        timeout=30,
    )  # fmt: skip
    return rows


def test_a_named_query_in_the_editor_fills_its_results_table(
    browser: webdriver.Chrome, url: str
) -> None:
    open_page(browser, url + "/query")
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "[data-examples-loaded]"),
             "the example tabs")  # fmt: skip
    tab = wait_for(
        lambda: browser.find_elements(By.ID, "tab-example-class-counts"), "the class-counts tab"
    )
    assert "class-counts" in tab[0].text
    tab[0].click()
    rows = run_in_editor(browser, "Recommendation")
    assert len(rows) > 20
    assert "query=" in browser.current_url
    shoot(browser, "query-class-counts")
    # A query typed into the editor returns rows, and its address opens it again.
    browser.execute_script(
        "window.hrgraphYasgui.getTab().getYasqe().setValue(arguments[0]);",
        "SELECT ?x WHERE { ?x a <http://www.w3.org/ns/org#Organization> }",
    )
    rows = run_in_editor(browser, "commissioner-for-human-rights")
    assert all("Recommendation" not in row for row in rows)
    bookmark = browser.current_url
    assert "Organization" in bookmark.replace("%23", "#")
    shoot(browser, "query-typed")
    assert console_errors(browser) == []


def test_each_picture_renders_with_the_expected_nodes(browser: webdriver.Chrome, url: str) -> None:
    open_page(browser, url + "/pictures")
    nodes = {
        element.get_attribute("data-label"): element
        for element in browser.find_elements(By.CSS_SELECTOR, "#picture-mechanisms g.node")
    }
    upr = nodes.get("Universal Periodic Review") or nodes.get("UPR")
    assert upr is not None, sorted(nodes)
    commissioner = nodes["Commissioner for Human Rights in the Republic of Kazakhstan"]
    for element in (upr, nodes["CCPR"], nodes["CAT"], commissioner, nodes["Council of Europe"]):
        assert element.rect["width"] > 20
        assert element.rect["height"] > 10
    timeline = browser.find_elements(By.CSS_SELECTOR, "#picture-timeline g.node")
    assert len(timeline) > 50
    assert any("January 2022" in (g.get_attribute("data-label") or "") for g in timeline)
    themes = browser.find_elements(By.CSS_SELECTOR, "#picture-recommendations g.node")
    assert len(themes) > 5
    for name in ("mechanisms", "timeline", "recommendations"):
        figure = browser.find_element(By.ID, f"figure-{name}")
        browser.execute_script("arguments[0].scrollIntoView();", figure)
        figure.screenshot(str(ARTEFACTS / f"picture-{name}.png"))
    assert console_errors(browser) == []


def test_a_resource_page_shows_the_sources_of_its_facts(
    browser: webdriver.Chrome, url: str
) -> None:
    open_page(browser, url + PAGES["commissioner"])
    sources = browser.find_elements(By.CSS_SELECTOR, "section[aria-labelledby=sources] li a")
    assert len(sources) >= 3
    assert any(a.get_attribute("href").startswith("https://") for a in sources)
    rows = browser.find_elements(By.CSS_SELECTOR, "table.facts tbody tr")
    assert rows
    assert all(len(row.find_elements(By.TAG_NAME, "td")) == 2 for row in rows)
    confidence = [row.text for row in rows if row.text.startswith("confidence")]
    assert confidence
    assert "erified" in confidence[0]
    shoot(browser, "resource-sources")


def test_switching_the_as_of_date_changes_the_findings(browser: webdriver.Chrome, url: str) -> None:
    open_page(browser, url + "/report")
    findings: dict[str, str] = {}
    for day in ("2007-06-01", "2009-06-01"):
        field = browser.find_element(By.ID, "as_of")
        browser.execute_script("arguments[0].value = arguments[1];", field, day)
        field.submit()
        wait_for(lambda d=day: d in browser.find_element(By.TAG_NAME, "h1").text,  # type: ignore[misc]
                 f"the report as of {day}")  # fmt: skip
        findings[day] = browser.find_element(By.TAG_NAME, "main").text
        shoot(browser, f"report-{day}")
    prosecutor = "arrest as a preventive measure sanctioned by a prosecutor"
    assert "ICCPR article 9(3)" in findings["2007-06-01"]
    assert prosecutor in findings["2007-06-01"]
    assert prosecutor not in findings["2009-06-01"]  # the 2008 reform: a court decides
    assert "arrest as a preventive measure authorised by a court" in findings["2009-06-01"]
    assert console_errors(browser) == []


def test_a_literal_holding_markup_renders_as_text(browser: webdriver.Chrome, url: str) -> None:
    for path in ("/id/event/web-escaping-test", "/id/state/kaz", "/pictures"):
        open_page(browser, url + path)
        assert browser.execute_script("return window.hrgraphInjected === undefined")
        assert HOSTILE_LABEL in browser.find_element(By.TAG_NAME, "body").text or path != (
            "/id/event/web-escaping-test"
        )
    open_page(browser, url + "/id/event/web-escaping-test")
    assert browser.find_element(By.TAG_NAME, "h1").text == HOSTILE_LABEL
    assert browser.find_elements(By.CSS_SELECTOR, "h1 b") == []
    shoot(browser, "escaped-literal")


OFFLINE_PAGES = {
    **PAGES,
    "docs": "/docs",
    "ontology": "/ontology",
    "dataset": "/dataset",
    "named-query": "/queries/treaty-actions",
    "named-query-form": "/queries/obligations-on-date",
    "not-found": "/id/state/nowhere",
}
READY = {
    "query": "[data-examples-loaded]",
    "docs": ".swagger-ui .opblock",
}


def test_no_request_leaves_the_host_and_no_console_error(
    browser: webdriver.Chrome, url: str
) -> None:
    requests_made(browser)  # forget what earlier tests loaded
    for name, path in OFFLINE_PAGES.items():
        open_page(browser, url + path)
        if name in READY:
            wait_for(lambda s=READY[name]: browser.find_elements(By.CSS_SELECTOR, s),  # type: ignore[misc]
                     f"{name} to render", timeout=30)  # fmt: skip
        time.sleep(0.3)  # late requests (fonts, images) start after the load event
        made = requests_made(browser)
        assert made, name
        outside = [u for u in made if not u.startswith((url + "/", "data:", "blob:", "about:"))]
        assert outside == [], (name, outside)
        errors = console_errors(browser)
        if name == "not-found":  # the browser reports the page's own 404 status, nothing else
            errors = [e for e in errors if "404 (Not Found)" not in e]
        assert errors == [], (name, errors)
        assert browser.title.endswith("— hrgraph"), (name, browser.title)
        if name in {"docs", "named-query", "dataset", "not-found"}:
            shoot(browser, f"offline-{name}")


def test_picture_labels_fit_their_boxes(browser: webdriver.Chrome, url: str) -> None:
    open_page(browser, url + "/pictures")
    overflow = browser.execute_script(
        """var out = [];
        document.querySelectorAll('#picture-mechanisms g.node').forEach(function (g) {
          var box = g.querySelector('rect').getBBox();
          g.querySelectorAll('text').forEach(function (t) {
            var b = t.getBBox();
            if (b.x < box.x || b.x + b.width > box.x + box.width ||
                b.y < box.y || b.y + b.height > box.y + box.height) {
              out.push(g.getAttribute('data-label') + ': ' + t.textContent);
            }
          });
        });
        return out;"""
    )
    assert overflow == []
    cut = browser.execute_script(
        """return Array.from(document.querySelectorAll('#picture-mechanisms g.node'))
          .map(function (g) { return [g.getAttribute('data-label'),
            Array.from(g.querySelectorAll('text')).map(function (t) { return t.textContent; })
              .join(' ')]; });"""
    )
    for label, shown in cut:
        assert shown == " ".join(label.split()) or shown.endswith("…"), (label, shown)


def test_typed_literals_read_as_values_in_the_editor(browser: webdriver.Chrome, url: str) -> None:
    open_page(browser, url + "/query")
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "[data-examples-loaded]"),
             "the example tabs")  # fmt: skip
    browser.execute_script(
        "window.hrgraphYasgui.getTab().getYasqe().setValue(arguments[0]);",
        'SELECT ?date ?label WHERE { BIND ("2010-01-01"^^<http://www.w3.org/2001/XMLSchema#date> '
        'AS ?date) BIND ("Kazakhstan"@en AS ?label) }',
    )
    rows = run_in_editor(browser, "2010-01-01")
    assert len(rows) == 1
    cells = [cell.strip() for cell in rows[0].split("\t")]
    assert cells[1:] == ["2010-01-01 xsd:date", "Kazakhstan @en"]
    assert console_errors(browser) == []


def test_the_date_fields_show_iso_dates(browser: webdriver.Chrome, url: str) -> None:
    open_page(browser, url + "/report?as_of=2007-06-01")
    field = browser.find_element(By.ID, "as_of")
    assert field.get_attribute("type") == "text"
    assert field.get_attribute("value") == "2007-06-01"
    assert field.get_attribute("placeholder") == "YYYY-MM-DD"
    browser.execute_script("arguments[0].value = '06/01/2009';", field)
    assert not browser.execute_script("return arguments[0].checkValidity();", field)
    browser.execute_script("arguments[0].value = '2009-06-01';", field)
    assert browser.execute_script("return arguments[0].checkValidity();", field)
