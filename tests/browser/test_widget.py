"""The chat widget in a real Chromium, against a real server answering from the real index."""

from __future__ import annotations

import json
import textwrap
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from pydantic import SecretStr

from assistant.config import Settings
from bots.store import Stores, open_stores
from bots.web.app import create_app
from bots.web.server import serve_in_background
from tests.conftest import free_port, make_settings
from tests.corpus_fixtures import write_doc

pytestmark = [pytest.mark.browser, pytest.mark.server]
XSS = "<img src=x onerror=window.__almanacXss=1>"
ACTIVE = """() => {
  const a = document.getElementById('almanac-assistant-widget')?.shadowRoot.activeElement;
  return a ? {cls: a.className, id: a.id, label: a.getAttribute('aria-label') || a.textContent,
              outline: getComputedStyle(a).outlineStyle, width: parseFloat(getComputedStyle(a).outlineWidth)} : null;
}"""
WATCH_STREAM = """() => {
  const root = document.getElementById('almanac-assistant-widget').shadowRoot;
  window.__stream = {blocks: 0, pieces: 0};
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) {
      if (n.classList && n.classList.contains('aw-streaming')) window.__stream.blocks++;
      if (n.nodeType === 3 && r.target.classList.contains('aw-streaming')) window.__stream.pieces++;
    }
  }).observe(root, {subtree: true, childList: true});
}"""
CONTRAST = """(selectors) => {
  const root = document.getElementById('almanac-assistant-widget').shadowRoot;
  const lum = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number).map((v) => v / 255)
    .map((v) => v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4))
    .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const background = (el) => {
    for (; el && el.nodeType === 1; el = el.parentElement || el.getRootNode().host) {
      const c = getComputedStyle(el).backgroundColor;
      if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c;
    }
    return 'rgb(255, 255, 255)';
  };
  return selectors.map((s) => {
    const el = root.querySelector(s);
    const [a, b] = [lum(getComputedStyle(el).color), lum(background(el))];
    return [s, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
  });
}"""


class Site:
    def __init__(self, url: str, stores: Stores):
        self.url = url
        self.stores = stores


def start_site(settings: Settings, assistant) -> Iterator[Site]:
    stores = open_stores(settings)
    with serve_in_background(
        create_app(settings, assistant=assistant, stores=stores), port=free_port()
    ) as url:
        yield Site(url, stores)


@pytest.fixture(scope="module")
def site(index_settings: Settings, assistant, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("widget")
    settings = index_settings.model_copy(
        update={"feedback_db": folder / "feedback.db", "rate_limit_per_minute": 600}
    )
    yield from start_site(settings, assistant)


@pytest.fixture()
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page that fails the test on any script error, console error or CSP violation."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    yield page
    context.close()
    assert problems == []


def open_widget(page: Page, url: str) -> None:
    page.goto(url + "/")
    page.get_by_role("button", name="Ask the almanac").click()
    expect(page.get_by_role("dialog", name="Ask the almanac")).to_be_visible()
    page.evaluate(WATCH_STREAM)


def ask(page: Page, question: str) -> dict:
    """Type a question, send it, wait for the whole answer; returns the request body sent."""
    page.get_by_label("Your question").fill(question)
    with page.expect_request("**/api/chat/stream") as request:
        page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator(".aw-bot").last.locator(".aw-feedback, .aw-error").first).to_be_visible()
    return json.loads(request.value.post_data or "{}")


def final_answer(page: Page, site: Site) -> dict:
    """The answer the server stored for the newest exchange shown."""
    message_id = page.locator(".aw-chips-label").last.get_attribute("id").removeprefix("aw-o-")
    turn = site.stores.conversations.turn(message_id)
    assert turn is not None
    return turn.answer.to_dict()


def test_ask_see_streamed_cited_answer_and_rate_it(page: Page, site: Site, artifacts: Path) -> None:
    open_widget(page, site.url)
    sent = ask(page, "How did Camden write its data charter with residents?")
    assert "conversation_id" not in sent
    stream = page.evaluate("window.__stream")
    assert stream["blocks"] == 1 and stream["pieces"] >= 2, "the answer was not shown while it streamed"
    answer = final_answer(page, site)
    bubble = page.locator(".aw-bot").last
    page.screenshot(path=artifacts / "widget-answer.png")

    # [n] markers became buttons for the cited sources; the outcome chips name the answer's outcomes.
    numbers = [int(b) for b in bubble.locator(".aw-cite").all_inner_texts()]
    assert numbers and set(numbers) <= {c["n"] for c in answer["citations"]}
    assert "[1]" not in bubble.locator(".aw-text").inner_text()
    expect(bubble.locator(".aw-chip")).to_have_text([o["name"] for o in answer["outcomes"]])

    # A citation reveals its source, with links to the document's own sources.
    first = answer["citations"][0]
    bubble.get_by_role("button", name=f"Source 1: {first['title']}").first.click()
    card = bubble.locator(".aw-source")
    expect(card.locator("h3")).to_have_text(f"[1] {first['title']}")
    expect(card.locator("blockquote")).to_have_text(first["snippet"])
    # The source opens its section of the almanac pages, not a repository path.
    section_link = card.locator("a.aw-page")
    expect(section_link).to_have_text("Read this section in the almanac")
    assert section_link.get_attribute("href") == f"{site.url}{first['page']}"
    expect(card).not_to_contain_text(first["path"])
    year, month, day = (int(part) for part in first["reviewed"].split("-"))
    reviewed = f"Reviewed {day} {date(year, month, day):%b} {year}"
    expect(card.locator(".aw-reviewed")).to_have_text(reviewed)
    document = httpx.get(f"{site.url}/api/documents/{first['doc_id']}").json()
    summary = card.locator(".aw-doc-more summary")
    expect(summary).to_have_text(f"Based on {len(document['sources'])} sources")
    summary.click()
    expect(card.locator(".aw-doc-sources a").first).to_be_visible()
    links = card.locator(".aw-doc-sources a").evaluate_all("(as) => as.map((a) => a.href)")
    assert links and set(links) <= {s["url"] for s in document["sources"] if s["url"]}
    page.screenshot(path=artifacts / "widget-source.png")

    # Thumbs down with a comment is stored against this answer.
    bubble.get_by_role("button", name="Not helpful").click()
    bubble.get_by_label("Tell us more (optional)").fill("Needs the cost of the panel.")
    bubble.get_by_role("button", name="Send feedback").click()
    expect(bubble.get_by_role("status")).to_have_text("Thank you: your feedback was sent.")
    stored = site.stores.feedback.recent()[0]
    assert (stored["message_id"], stored["rating"], stored["comment"]) == (
        answer["message_id"],
        "down",
        "Needs the cost of the panel.",
    )
    page.screenshot(path=artifacts / "widget-feedback.png")

    # Follow-ups continue the conversation until "New conversation".
    assert ask(page, "What happened a year later?")["conversation_id"] == answer["conversation_id"]
    page.get_by_role("button", name="New conversation").click()
    expect(page.locator(".aw-msg")).to_have_count(1)
    assert "conversation_id" not in ask(page, "What is a data charter?")


def test_markup_in_a_question_shows_as_text(page: Page, site: Site, artifacts: Path) -> None:
    open_widget(page, site.url)
    ask(page, f"{XSS} How can councils improve digital inclusion?")
    expect(page.locator(".aw-user").last).to_contain_text(XSS)
    assert page.locator(".aw img").count() == 0
    assert page.evaluate("window.__almanacXss") is None
    page.screenshot(path=artifacts / "widget-markup-question.png")


@pytest.fixture(scope="module")
def hostile_site(embeddings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A server over a corpus whose document carries markup in its title, summary and text."""
    from assistant.rag import Assistant
    from ingest.pipeline import sync_corpus

    folder = tmp_path_factory.mktemp("hostile")
    body = textwrap.dedent(
        f"""
        ## Publishing pages

        Council web teams sometimes paste markup such as {XSS} into published web pages by mistake.
        A pasted tag like <script>window.__almanacXss=2</script> must always appear as plain text on council websites.
        Web teams check every published page for stray markup before it goes live on the council website.
        """
    )
    write_doc(
        folder / "corpus", "markup.md", doc_id="markup-pages", title=f"Publishing web pages {XSS}", body=body
    )
    settings = make_settings(folder / "data").model_copy(
        update={"corpus_dir": folder / "corpus", "feedback_db": folder / "feedback.db"}
    )
    sync_corpus(settings, embeddings=embeddings)
    yield from start_site(settings, Assistant(settings, embeddings=embeddings))


def test_markup_from_the_corpus_shows_as_text(page: Page, hostile_site: Site, artifacts: Path) -> None:
    open_widget(page, hostile_site.url)
    ask(page, "How do council web teams deal with stray markup pasted into published web pages?")
    bubble = page.locator(".aw-bot").last
    expect(bubble.locator(".aw-text")).to_contain_text("<")
    bubble.locator(".aw-cite").first.click()
    expect(bubble.locator(".aw-source h3")).to_contain_text(XSS)
    page.wait_for_timeout(300)
    assert page.locator(".aw img, .aw script").count() == 0
    assert page.evaluate("window.__almanacXss") is None
    page.screenshot(path=artifacts / "widget-markup-corpus.png")


API_KEY = "widget-test-key"


class IntranetPage(BaseHTTPRequestHandler):
    """Another site's page that embeds the widget with one script tag."""

    widget_url = ""

    def do_GET(self) -> None:  # noqa: N802 - the name http.server dispatches to
        body = (
            "<!doctype html><html lang='en'><head><title>Council intranet</title><link rel='icon' href='data:,'>"
            "</head><body><h1>Council intranet</h1>"
            f"<script src='{self.widget_url}' data-title='Ask the almanac' data-api-key='{API_KEY}' async></script>"
            "</body></html>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def intranet(index_settings: Settings, assistant, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A page on another origin embedding the widget from a server that needs an API key; yields its URL."""
    folder = tmp_path_factory.mktemp("widget-keyed")
    port = free_port()
    origin = f"http://localhost:{port}"
    settings = index_settings.model_copy(
        update={
            "feedback_db": folder / "feedback.db",
            "allowed_origins": [origin],
            "api_keys": [SecretStr(API_KEY)],
        }
    )
    for site in start_site(settings, assistant):
        handler = type("Page", (IntranetPage,), {"widget_url": f"{site.url}/widget.js"})
        server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield origin
        server.shutdown()
        server.server_close()


def test_embedded_with_one_tag_on_another_site(page: Page, intranet: str, artifacts: Path) -> None:
    open_widget(page, intranet)
    ask(page, "How did Camden write its data charter with residents?")
    bubble = page.locator(".aw-bot").last
    expect(bubble.locator(".aw-chip").first).to_be_visible()
    bubble.locator(".aw-cite").first.click()
    bubble.locator(".aw-doc-more summary").first.click()
    expect(bubble.locator(".aw-doc-sources a").first).to_be_visible()
    page.screenshot(path=artifacts / "widget-embedded-cross-origin.png")


def press_until(page: Page, key: str, wanted: str, *, limit: int = 40) -> dict:
    """Press a key until the focused widget element has the wanted class; returns it."""
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        active = page.evaluate(ACTIVE)
        if active and wanted in active["cls"].split():
            return active
        seen.append(f"{active['cls']}:{active['label'][:20]}" if active else "(outside the widget)")
    raise AssertionError(f"{key} never reached .{wanted}; focus went to: {', '.join(seen)}")


def test_keyboard_only_with_visible_focus(browser: Browser, site: Site, artifacts: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    page.goto(site.url + "/")
    launcher = press_until(page, "Tab", "aw-launcher")
    assert launcher["outline"] != "none" and launcher["width"] >= 2, "focus is not visible"
    page.keyboard.press("Enter")
    assert page.evaluate(ACTIVE)["id"] == "aw-question"
    assert page.locator(".aw-panel").evaluate("(p) => getComputedStyle(p).transitionDuration") == "0s"

    page.keyboard.type("How should a council recover from a ransomware attack?")
    page.keyboard.press("Enter")
    expect(page.locator(".aw-feedback")).to_be_visible()
    expect(page.locator(".aw-panel > .aw-sr[role=status]")).to_contain_text("ransomware")

    cite = press_until(page, "Shift+Tab", "aw-cite")
    assert cite["outline"] != "none"
    page.keyboard.press("Enter")
    expect(page.locator(".aw-source")).to_be_visible()
    page.screenshot(path=artifacts / "widget-keyboard-source.png")

    # The open source card lists every source of the cited document (some list dozens), all reachable.
    press_until(page, "Tab", "aw-up", limit=200)
    page.keyboard.press("Enter")
    page.keyboard.type("Useful list of councils.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator(".aw-feedback [role=status]")).to_have_text("Thank you: your feedback was sent.")
    assert (site.stores.feedback.recent()[0]["rating"], site.stores.feedback.recent()[0]["comment"]) == (
        "up",
        "Useful list of councils.",
    )

    ratios = dict(
        page.evaluate(
            CONTRAST,
            [
                ".aw-launcher",
                ".aw-head h2",
                ".aw-user",
                ".aw-bot p",
                ".aw-cite",
                ".aw-chip",
                ".aw-hint",
                ".aw-muted",
            ],
        )
    )
    assert all(ratio >= 4.5 for ratio in ratios.values()), ratios

    page.keyboard.press("Escape")
    expect(page.locator(".aw-panel")).to_be_hidden()
    assert "aw-launcher" in page.evaluate(ACTIVE)["cls"]
    page.screenshot(path=artifacts / "widget-keyboard-closed.png")
    context.close()
