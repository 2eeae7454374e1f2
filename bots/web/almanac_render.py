"""An almanac document's Markdown as HTML: anchored headings, a table of contents, raw HTML escaped."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from assistant.anchors import AnchorBook

# Ids the page itself uses; a heading that slugs to one of them gets a numbered anchor instead.
PAGE_IDS = frozenset({"main", "contents", "summary", "about", "source-links", "related", "search"})


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class Rendered:
    html: str
    headings: list[Heading]


def _markdown() -> MarkdownIt:
    # "html": False makes markdown-it escape any raw HTML in a document instead of passing it through.
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    md.add_render_rule("code_inline", _code_inline)
    return md


def _code_inline(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Mapping[str, Any]) -> str:
    """A `doc-id` in a document names another document: link it by its title."""
    content = tokens[idx].content
    title = env.get("titles", {}).get(content)
    if title:
        return f'<a href="/almanac/{html.escape(content)}">{html.escape(title)}</a>'
    return f"<code>{html.escape(content)}</code>"


MD = _markdown()


def heading_text(markdown: str) -> str:
    """A heading's words without inline Markdown marks."""
    return " ".join(markdown.replace("`", "").replace("**", "").replace("*", "").split())


def render_markdown(body: str, *, titles: Mapping[str, str] | None = None) -> Rendered:
    """The body as HTML with an id on every heading (the shared slug, de-duplicated in page order)."""
    tokens = MD.parse(body)
    book = AnchorBook(set(PAGE_IDS))
    headings: list[Heading] = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            source = tokens[index + 1].content
            anchor = book.anchor(source)
            token.attrSet("id", anchor)
            headings.append(Heading(int(token.tag[1]), heading_text(source), anchor))
        elif token.type == "table_open":
            token.attrSet("class", "table")
    rendered = MD.renderer.render(tokens, MD.options, {"titles": dict(titles or {})})
    return Rendered(rendered, headings)


def contents_html(headings: Sequence[Heading]) -> str:
    """A nested list of links to the second- and third-level headings."""
    items: list[str] = []
    open_sub = False
    for heading in headings:
        link = f'<a href="#{heading.anchor}">{html.escape(heading.text)}</a>'
        if heading.level == 2:
            if open_sub:
                items.append("</ul></li>")
            elif items:
                items.append("</li>")
            items.append(f"<li>{link}")
            open_sub = False
        elif heading.level == 3 and items:
            if not open_sub:
                items.append("<ul>")
                open_sub = True
            items.append(f"<li>{link}</li>")
    if items:
        items.append("</ul></li>" if open_sub else "</li>")
    if not items:
        return ""
    return (
        '<nav class="contents" aria-labelledby="contents"><h2 id="contents">Contents</h2>'
        f"<ul>{''.join(items)}</ul></nav>"
    )


def reviewed_text(day: date) -> str:
    """'Reviewed 1 December 2026'."""
    return f"Reviewed {day.day} {day:%B %Y}"
