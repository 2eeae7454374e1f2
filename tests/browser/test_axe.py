"""axe-core over every page the project serves to people: no serious or critical violations."""

from __future__ import annotations

import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.test_widget import Site, ask, open_widget, page, site  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.server]
BLOCKING = {"serious", "critical"}


def check(view: Page, name: str) -> None:
    """Run axe on the page as it is now; print every finding, fail on serious or critical ones."""
    violations = Axe().run(view).response["violations"]
    for v in violations:
        targets = [", ".join(map(str, node["target"])) for node in v["nodes"]][:5]
        print(f"axe {name}: {v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])} nodes) {targets}")
    blocking = [f"{v['id']} ({v['impact']})" for v in violations if v["impact"] in BLOCKING]
    assert blocking == [], f"{name}: {blocking}"


def test_demo_page_with_the_widget_open_and_an_answer_shown(page: Page, site: Site) -> None:  # noqa: F811
    open_widget(page, site.url)
    ask(page, "How did Camden write its data charter with residents?")
    page.locator(".aw-cite").first.click()
    check(page, "demo")


@pytest.mark.parametrize(
    "path",
    ["/almanac", "/almanac?q=ransomware", "/almanac/outcome-data", "/almanac/case-camden-data-charter"],
)
def test_almanac_pages(page: Page, site: Site, path: str) -> None:  # noqa: F811
    page.goto(site.url + path)
    expect(page.locator("h1")).to_be_visible()
    check(page, path)


def test_assess_questionnaire_and_results(page: Page, site: Site) -> None:  # noqa: F811
    page.goto(site.url + "/assess")
    expect(page.locator("h1")).to_be_visible()
    check(page, "/assess")
    body = {"answers": {"ethics": {"ethics-register": "starting"}}}
    created = httpx.post(site.url + "/api/assessments", json=body, timeout=30)
    assert created.status_code == 201, created.text
    page.goto(site.url + f"/assess/{created.json()['id']}")
    expect(page.locator("h1")).to_be_visible()
    check(page, "/assess results")
