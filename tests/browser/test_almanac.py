"""The almanac pages in a real Chromium: keyboard use, visible focus, Ask about this, citation links."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_widget import Site, ask, open_widget, page, site  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.server]
FOCUS = """() => { const a = document.activeElement; const s = getComputedStyle(a);
  return {tag: a.tagName, text: (a.textContent || a.getAttribute('aria-label') || a.id || '').trim(),
          outline: s.outlineStyle, width: parseFloat(s.outlineWidth)}; }"""


def focus_after_tab(view: Page) -> dict:
    view.keyboard.press("Tab")
    return view.evaluate(FOCUS)


def test_almanac_pages_by_keyboard_with_visible_focus(page: Page, site: Site, artifacts: Path) -> None:  # noqa: F811
    page.goto(site.url + "/almanac")
    page.screenshot(path=str(artifacts / "almanac-index.png"), full_page=True)
    first = focus_after_tab(page)
    assert first["text"] == "Skip to main content" and first["outline"] == "solid" and first["width"] >= 2
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    for _ in range(20):  # from the top of main, the search box comes within a few stops, every one visible
        focused = focus_after_tab(page)
        assert focused["outline"] == "solid" and focused["width"] >= 2, focused
        if focused["tag"] == "INPUT":
            break
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("data sharing agreements")
    page.keyboard.press("Enter")
    page.wait_for_url("**/almanac?q=*")
    results = page.locator(".results a[href*='#']")
    expect(results.first).to_be_visible()
    results.first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/almanac/*#*")
    anchor = page.url.split("#")[1]
    expect(page.locator(f"[id='{anchor}']")).to_be_in_viewport()

    page.goto(site.url + "/almanac/outcome-data")
    page.screenshot(path=str(artifacts / "almanac-guide.png"))
    page.get_by_role("link", name="First 90 days").focus()
    assert page.evaluate(FOCUS)["outline"] == "solid"
    page.keyboard.press("Enter")
    expect(page.locator("#first-90-days")).to_be_in_viewport()


def test_ask_about_this_opens_the_chat_with_the_document(page: Page, site: Site, artifacts: Path) -> None:  # noqa: F811
    page.goto(site.url + "/almanac/case-camden-data-charter")
    page.set_viewport_size({"width": 390, "height": 844})
    button = page.get_by_role("button", name="Ask about this")
    expect(button).to_be_visible()
    page.screenshot(path=str(artifacts / "almanac-case-study-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(artifacts / "almanac-case-study.png"))
    button.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog", name="Ask the almanac")).to_be_visible()
    question = page.get_by_label("Your question")
    expect(question).to_be_focused()
    expect(question).to_have_value('About "Camden Council: a Data Charter written with residents": ')
    page.keyboard.type("who was on the residents' panel?")
    page.keyboard.press("Enter")
    expect(page.locator(".aw-bot").last.locator(".aw-feedback, .aw-error").first).to_be_visible()
    assert page.locator(".aw-bot").last.locator(".aw-error").count() == 0


def test_one_click_from_a_citation_opens_the_cited_section(page: Page, site: Site) -> None:  # noqa: F811
    open_widget(page, site.url)
    ask(page, "What should a council do in its first 90 days on data?")
    page.locator(".aw-cite").first.click()
    link = page.get_by_role("link", name="Read this section in the almanac")
    href = link.get_attribute("href") or ""
    assert href.startswith(site.url + "/almanac/") and "#" in href
    link.click()
    page.wait_for_url(href)
    expect(page.locator(f"[id='{href.split('#')[1]}']")).to_be_in_viewport()
