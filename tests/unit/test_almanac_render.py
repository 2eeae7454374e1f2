"""The almanac pages' Markdown rendering and the anchors citations link to."""

from __future__ import annotations

import re

from assistant.anchors import AnchorBook, page_link, section_anchor, slugify
from bots.web.almanac_render import contents_html, render_markdown

BODY = """## Where to start

Intro paragraph with <script>alert("x")</script> inline and a `case-camden` mention.

<div onclick="steal()">block html</div>

### First 90 days

- one
- two

1. first
2. second

| Measure | Target |
| --- | --- |
| Take-up | 60% |

## Where to start

### What is "recognised legitimate interest", and can a council rely on it?

Text.
"""


def test_every_heading_gets_a_stable_unique_anchor() -> None:
    first = render_markdown(BODY)
    again = render_markdown(BODY)
    anchors = [h.anchor for h in first.headings]
    assert anchors == [
        "where-to-start",
        "first-90-days",
        "where-to-start-2",
        "what-is-recognised-legitimate-interest-and-can-a-council-rely-on-it",
    ]
    assert anchors == [h.anchor for h in again.headings]
    for anchor in anchors:
        assert f'id="{anchor}"' in first.html


def test_lists_and_tables_render() -> None:
    html = render_markdown(BODY).html
    assert "<ul>\n<li>one</li>" in html
    assert "<ol>\n<li>first</li>" in html
    assert re.search(r"<table[^>]*>\s*<thead>\s*<tr>\s*<th>Measure</th>", html)
    assert "<td>60%</td>" in html


def test_raw_html_in_a_document_shows_as_text() -> None:
    html = render_markdown(BODY).html
    assert "<script>" not in html and "<div onclick" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;div onclick=&quot;steal()&quot;&gt;" in html


def test_a_document_id_in_code_links_to_that_document() -> None:
    html = render_markdown(BODY, titles={"case-camden": "Camden's data charter"}).html
    assert '<a href="/almanac/case-camden">Camden&#x27;s data charter</a>' in html
    assert "<code>case-camden</code>" in render_markdown(BODY).html


def test_contents_nest_third_level_headings() -> None:
    toc = contents_html(render_markdown(BODY).headings)
    assert toc.count("<ul>") == 3
    assert '<a href="#first-90-days">First 90 days</a>' in toc


def test_a_page_id_is_never_taken_by_a_heading() -> None:
    rendered = render_markdown("## Summary\n\ntext\n\n## Contents\n")
    assert [h.anchor for h in rendered.headings] == ["summary-2", "contents-2"]


def test_citation_links_use_the_same_slug_as_the_page() -> None:
    assert slugify("Where to start") == "where-to-start"
    assert slugify("Café `code` **bold**") == "cafe-code-bold"
    assert slugify("???") == "section"
    assert section_anchor("Where to start > First 90 days") == "first-90-days"
    assert section_anchor("Summary") == "summary"
    assert section_anchor("") is None
    assert (
        page_link("outcome-data", "Where to start > First 90 days") == "/almanac/outcome-data#first-90-days"
    )
    assert page_link("outcome-data") == "/almanac/outcome-data"
    book = AnchorBook({"summary"})
    assert [book.anchor(t) for t in ("Summary", "A", "A")] == ["summary-2", "a", "a-2"]


def test_a_guide_page_does_not_show_the_other_ways_a_question_is_asked() -> None:
    from bots.web.almanac_pages import document_page
    from ingest.load import load_corpus
    from tests.conftest import CORPUS

    documents = {d.id: d for d in load_corpus(CORPUS)}
    page = document_page(documents["outcome-democracy"], documents)
    assert "Can councillors in England attend and vote at formal meetings remotely?" in page
    assert "also asked" not in page
