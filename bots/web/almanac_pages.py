"""The almanac's reading pages as HTML: the page frame and one document rendered in full."""

from __future__ import annotations

import html
from collections.abc import Mapping

from assistant.documents import Document, without_also_asked
from assistant.outcomes import get_outcome
from bots.web.almanac_render import contents_html, render_markdown, reviewed_text
from bots.web.assess_form import COUNCIL_TYPE_NAMES

KINDS = {"guidance": "Guide", "case-study": "Case study", "overview": "Framework"}
COUNCIL_TYPES = COUNCIL_TYPE_NAMES  # the same names as the self-assessment uses

FRAME = """<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}: Almanac Assistant</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/almanac.css">
</head>
<body>
<a class="skip" href="#main">Skip to main content</a>
<header class="site">
<p class="brand"><a href="/almanac">Almanac Assistant</a></p>
<nav aria-label="Site"><ul>
<li><a href="/almanac"{here_almanac}>The almanac</a></li>
<li><a href="/assess">Self-assessment</a></li>
<li><a href="/">Ask the almanac</a></li>
</ul></nav>
</header>
<main id="main" tabindex="-1">
{body}
</main>
<script src="/widget.js" data-title="Ask the almanac" async></script>
</body>
</html>
"""


def frame(title: str, body: str, *, index: bool = False) -> str:
    """A whole page: header, skip link, main content, the chat widget."""
    here = ' aria-current="page"' if index else ""
    return FRAME.format(title=html.escape(title), body=body, here_almanac=here)


def e(text: object) -> str:
    return html.escape(str(text))


def doc_link(document: Document) -> str:
    return f'<a href="/almanac/{e(document.id)}">{e(document.meta.title)}</a>'


def outcome_link(slug: str) -> str:
    return f'<a href="/almanac?outcome={e(slug)}">{e(get_outcome(slug).name)}</a>'


def case_facts(document: Document) -> str:
    """Who, where and when, for a case study."""
    meta = document.meta
    rows = [
        ("Council", meta.council),
        ("Type of council", COUNCIL_TYPES.get(meta.council_type or "", meta.council_type)),
        ("Region", meta.region),
        ("Years", meta.years),
    ]
    items = "".join(f"<div><dt>{e(k)}</dt><dd>{e(v)}</dd></div>" for k, v in rows if v)
    return f'<dl class="facts">{items}</dl>' if items else ""


def sources_html(document: Document) -> str:
    items = []
    for source in document.meta.sources:
        label = e(source.title)
        if source.url:
            label = f'<a href="{e(source.url)}">{label}</a>'
        year = f", {source.year}" if source.year else ""
        items.append(f'<li>{label} <span class="muted">({e(source.publisher)}{year})</span></li>')
    return (
        '<section class="sources" aria-labelledby="source-links">'
        '<h2 id="source-links">Links to the sources</h2>'
        f"<ol>{''.join(items)}</ol></section>"
    )


def related_html(document: Document, documents: Mapping[str, Document]) -> str:
    """The document's outcomes (with their guides) and the documents it names as related."""
    outcome_items = []
    for slug in document.meta.outcomes:
        guide = documents.get(f"outcome-{slug}")
        guide_link = (
            f' (<a href="/almanac/{e(guide.id)}">guide</a>)' if guide and guide is not document else ""
        )
        outcome_items.append(f"<li>{outcome_link(slug)}{guide_link}</li>")
    related = [documents[i] for i in document.meta.related if i in documents and i != document.id]
    guides = [d for d in related if d.meta.type != "case-study"]
    cases = [d for d in related if d.meta.type == "case-study"]
    parts = [
        '<section class="related" aria-labelledby="related"><h2 id="related">Related</h2>',
        f"<h3>Outcomes</h3><ul>{''.join(outcome_items)}</ul>",
    ]
    if guides:
        parts.append(f"<h3>Guides</h3><ul>{''.join(f'<li>{doc_link(d)}</li>' for d in guides)}</ul>")
    if cases:
        parts.append(f"<h3>Case studies</h3><ul>{''.join(f'<li>{doc_link(d)}</li>' for d in cases)}</ul>")
    parts.append("</section>")
    return "".join(parts)


def ask_prompt(document: Document) -> str:
    """The question the chat starts with when someone asks about this document."""
    return f'About "{document.meta.title}": '


def document_page(document: Document, documents: Mapping[str, Document]) -> str:
    """One guide, case study or framework page in full."""
    meta = document.meta
    titles = {d.id: d.meta.title for d in documents.values()}
    rendered = render_markdown(without_also_asked(document.body), titles=titles)
    kind = KINDS.get(meta.type, meta.type)
    chips = "".join(f"<li>{outcome_link(s)}</li>" for s in meta.outcomes)
    body = f"""<nav class="crumbs" aria-label="Breadcrumb"><ol>
<li><a href="/almanac">The almanac</a></li><li aria-current="page">{e(meta.title)}</li>
</ol></nav>
<article class="document {e(meta.type)}">
<p class="kind">{e(kind)}</p>
<h1>{e(meta.title)}</h1>
<p class="reviewed">{reviewed_text(meta.updated)}</p>
<div class="outcomes"><span id="doc-outcomes">Outcomes:</span>
<ul class="chips" aria-labelledby="doc-outcomes">{chips}</ul></div>
{case_facts(document)}
<div id="summary" class="summary"><p>{e(" ".join(meta.summary.split()))}</p></div>
<p class="ask-row"><button type="button" class="ask" data-almanac-ask="{e(ask_prompt(document))}" hidden>
Ask about this</button></p>
{contents_html(rendered.headings)}
<div class="body">
{rendered.html}
</div>
{sources_html(document)}
{related_html(document, documents)}
</article>"""
    return frame(meta.title, body)
