"""The /assess self-assessment in a real Chromium, completed with the keyboard alone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from assistant.assessment import Assessor
from bots.store import open_stores
from bots.store.assessments import AssessmentStore
from bots.web.app import create_app
from bots.web.server import serve_in_background
from tests.conftest import CORPUS, free_port, make_settings
from tests.fakes import FakeAssistant

pytestmark = [pytest.mark.browser, pytest.mark.server]
# Arrow presses after Tab enters an unchecked radio group: Space picks Starting, 1 Developing, 2 Established.
DOWN = {"starting": 0, "developing": 1, "established": 2, "leading": 3}
FOCUSED = "() => { const a = document.activeElement; return a ? (a.id || a.tagName) : null; }"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, AssessmentStore]]:
    settings = make_settings(tmp_path_factory.mktemp("assess-browser"), rate_limit_per_minute=600)
    stores = open_stores(settings)
    app = create_app(settings, assistant=FakeAssistant(settings), stores=stores)
    with serve_in_background(app, port=free_port()) as url:
        yield url, AssessmentStore(stores.conversations.database)


@pytest.fixture()
def page(browser: Browser, site: tuple[str, AssessmentStore]) -> Iterator[Page]:
    """A fresh page that fails the test on script errors, console errors or any request to another origin."""
    context = browser.new_context(viewport={"width": 1200, "height": 900}, accept_downloads=True)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("request", lambda r: r.url.startswith(site[0]) or problems.append(f"off-site request {r.url}"))
    yield page
    context.close()
    assert problems == []


def answer_step(
    page: Page, slug: str, statement_ids: list[str], levels: list[str | None], weight_right: int = 0
) -> None:
    """From the focused step heading: Tab into each statement's radio group and pick its level (None skips)."""
    for statement_id, level in zip(statement_ids, levels, strict=True):
        page.keyboard.press("Tab")
        expect(page.locator(f"#{statement_id}-starting")).to_be_focused()
        if level is not None:
            if DOWN[level] == 0:
                page.keyboard.press("Space")
            for _ in range(DOWN[level]):
                page.keyboard.press("ArrowDown")
            expect(page.locator(f"#{statement_id}-{level}")).to_be_checked()
    page.keyboard.press("Tab")  # the weight group, on its checked option (Medium)
    expect(page.locator(f"#weight-{slug}-medium")).to_be_focused()
    for _ in range(weight_right):
        page.keyboard.press("ArrowRight")


def go_next(page: Page, step: int, last: int) -> None:
    """Tab to the Next button, press Enter, and wait until step `step`'s heading has the focus."""
    page.keyboard.press("Tab")  # Back
    page.keyboard.press("Tab")  # Next
    assert page.evaluate(FOCUSED) == "next"
    page.keyboard.press("Enter")
    if step <= last:
        expect(page.locator(f"#step-{step}-heading")).to_be_focused()


def test_complete_by_keyboard_resume_and_see_results(page: Page, site, artifacts: Path) -> None:
    url, store = site
    assessor = Assessor.from_corpus(CORPUS)
    slugs = list(assessor.rubrics)
    total = len(slugs)
    page.goto(url + "/assess")
    expect(page.locator("#progress-text")).to_have_text(f"Step 1 of {total + 1}: About your council")

    # About your council: skip link, header link, then the council type and the name.
    for _ in range(3):
        page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED) == "council_type"
    page.keyboard.type("County")
    page.keyboard.press("Tab")
    page.keyboard.type("Keyboard review")
    page.keyboard.press("Tab")  # Back is disabled, so this reaches Next
    assert page.evaluate(FOCUSED) == "next"
    page.keyboard.press("Enter")
    expect(page.locator("#step-1-heading")).to_be_focused()
    expect(page).to_have_url(re.compile(r"/assess\?id=[A-Za-z0-9_-]{24}$"))

    ids = {slug: rubric.statement_ids for slug, rubric in assessor.rubrics.items()}
    plan: dict[str, list[str | None]] = {}
    for slug in slugs:
        count = len(assessor.rubrics[slug].statements)
        level = {"data": "starting", "value": "established", "services": "leading"}.get(slug, "developing")
        plan[slug] = [level] * count
    plan["inclusion"][-1] = None  # one statement skipped

    for index, slug in enumerate(slugs[:3], start=1):
        answer_step(page, slug, ids[slug], plan[slug], weight_right=1 if slug == "data" else 0)
        if slug == "data":
            page.screenshot(path=artifacts / "assess-questionnaire.png", full_page=True)
        go_next(page, index + 1, total)

    # Come back later: the saved answers return and the page opens at the first outcome left to answer.
    page.reload()
    expect(page.locator("#step-4-heading")).to_be_focused()
    expect(page.locator("#progress-text")).to_have_text(f"Step 5 of {total + 1}: Ethics and sustainability")
    assert (
        page.locator("#data-sharing-starting").is_checked() and page.locator("#weight-data-high").is_checked()
    )
    assert page.locator("#council_type").input_value() == "county"

    for index, slug in enumerate(slugs[3:], start=4):
        answer_step(page, slug, ids[slug], plan[slug])
        go_next(page, index + 1, total)
    page.wait_for_url(re.compile(r"/assess/[A-Za-z0-9_-]{24}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Results: Keyboard review")

    # The chart: one labelled bar per assessed outcome, its level in data and text.
    chart = page.locator("svg#profile-chart")
    expect(chart).to_have_attribute("role", "img")
    assert chart.locator("title").text_content() == "Maturity profile across the outcomes"
    bars = {
        b.get_attribute("data-outcome"): b.get_attribute("data-level")
        for b in chart.locator("rect.bar").all()
    }
    assert len(bars) == 12 and bars["data"] == "starting" and bars["value"] == "established"
    assert bars["services"] == "leading" and bars["connectivity"] == "developing"
    # The table alternative says the same.
    table = page.get_by_role("table", name="Maturity by outcome")
    rows = {
        r.locator("th").inner_text(): r.locator("td").first.inner_text()
        for r in table.locator("tbody tr").all()
    }
    assert rows["Data"] == "Starting" and rows["Value"] == "Established" and rows["Services"] == "Leading"
    assert "5 of 6" in table.locator("tbody tr", has_text="Inclusion").inner_text()
    # The plan leads with the heavily weighted outcome furthest from its next level; steps cite sources.
    first = page.locator(".plan > li").first
    expect(first.locator("h3")).to_have_text("Data: from Starting to Developing")
    citations = first.locator("ol a.cite")
    assert 3 <= citations.count() <= 5
    target = citations.first.get_attribute("href")
    assert target and page.locator(target).count() == 1
    page.screenshot(path=artifacts / "assess-results.png", full_page=True)

    # Export by keyboard: focus the Markdown link and press Enter.
    page.locator("body").focus()
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED) == "export-md":
            break
    assert page.evaluate(FOCUSED) == "export-md"
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert (
        text.startswith("# Self-assessment: Keyboard review")
        and "| Data | Starting | 6 of 6 | high |" in text
    )
    assessment_id = page.url.rsplit("/", 1)[1]
    saved = store.get(assessment_id)
    assert saved is not None and saved.data.council_type == "county"
    assert sum(len(a) for a in saved.data.answers.values()) == sum(len(v) for v in plan.values()) - 1
