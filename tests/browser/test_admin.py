"""The editors' page in a real Chromium: gaps, disliked answers and documents to review, in that order."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.browser.test_axe import check
from tests.conftest import make_settings
from tests.editors_seed import ASSEMBLY, PERSONAL, RAW_PERSONAL, SOCIAL_CARE, EditorsSite, editors_site

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.e2e]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, embeddings) -> Iterator[EditorsSite]:
    settings = make_settings(tmp_path_factory.mktemp("editors-browser"), rate_limit_per_minute=600)
    yield from editors_site(settings, embeddings)


def test_editor_sees_gaps_disliked_answers_and_reviews(
    browser: Browser,
    site: EditorsSite,
    artifacts: Path,
) -> None:
    assert httpx.get(site.url + "/admin").status_code == 401

    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        http_credentials={"username": "editor", "password": "correct horse battery"},
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(  # the browser's own favicon request is the only 404 allowed
        "response",
        lambda r: (
            r.status >= 400 and not r.url.endswith("/favicon.ico") and problems.append(f"{r.status} {r.url}")
        ),
    )
    page.goto(site.url + "/admin")
    headings = page.locator("h2").all_inner_texts()
    assert headings == [
        "1. Topics the almanac does not cover",
        "2. Answers users disliked",
        "3. Documents to review",
    ]
    gaps = page.locator("table").first
    expect(gaps.locator("caption")).to_have_text("Gap topics")
    expect(page.get_by_role("img", name="Questions per gap topic")).to_be_visible()
    body = page.locator("main").inner_text()
    assert any(q in body for q in SOCIAL_CARE) and ASSEMBLY[0] in body
    assert PERSONAL not in body and not any(raw in body for raw in RAW_PERSONAL)
    page.screenshot(path=artifacts / "admin-gaps.png")

    page.locator("summary").first.click()
    with page.expect_download() as download:
        page.locator("details[open] a[download]").click()
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert len(lines) >= 3
    page.screenshot(path=artifacts / "admin-gap-open.png")

    page.locator("#feedback").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "admin-feedback.png")
    page.locator("#reviews").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "admin-reviews.png")
    page.screenshot(path=artifacts / "admin-full.png", full_page=True)
    check(page, "/admin")
    assert problems == []
    context.close()
