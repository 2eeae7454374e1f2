"""The /almanac index: outcomes with their guides and case studies, filters, and search results."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assistant.anchors import page_link
from assistant.documents import Document
from assistant.outcomes import OUTCOMES
from assistant.retrieval import Hit
from bots.web.almanac_pages import COUNCIL_TYPES, doc_link, e, frame

SNIPPET_CHARS = 220


@dataclass(frozen=True)
class Choice:
    """The filters a reader picked; each is None when not set."""

    outcome: str | None = None
    council_type: str | None = None
    region: str | None = None
    q: str = ""

    def keeps(self, document: Document) -> bool:
        """Whether a case study passes the council type and region filters."""
        meta = document.meta
        if self.council_type and meta.council_type != self.council_type:
            return False
        return not (self.region and meta.region != self.region)

    @property
    def active(self) -> bool:
        return bool(self.outcome or self.council_type or self.region)


def _options(values: Sequence[tuple[str, str]], chosen: str | None, everything: str) -> str:
    rows = [f'<option value="">{e(everything)}</option>']
    for value, label in values:
        selected = " selected" if value == chosen else ""
        rows.append(f'<option value="{e(value)}"{selected}>{e(label)}</option>')
    return "".join(rows)


def regions(documents: Mapping[str, Document]) -> list[str]:
    return sorted({d.meta.region for d in documents.values() if d.meta.region})


def search_form(choice: Choice) -> str:
    return f"""<form class="search" method="get" action="/almanac" role="search" aria-label="Almanac">
<label for="q">Search the almanac</label>
<div class="row"><input id="q" name="q" type="search" value="{e(choice.q)}" maxlength="300">
<button type="submit">Search</button></div></form>"""


def filter_form(choice: Choice, documents: Mapping[str, Document]) -> str:
    outcomes = [(o.slug, o.name) for o in OUTCOMES]
    types = list(COUNCIL_TYPES.items())
    places = [(r, r) for r in regions(documents)]
    query = f'<input type="hidden" name="q" value="{e(choice.q)}">' if choice.q else ""
    clear = '<a href="/almanac">Clear filters</a>' if choice.active else ""
    return f"""<form class="filters" method="get" action="/almanac">
<fieldset><legend>Filter the almanac</legend>{query}
<div class="field"><label for="f-outcome">Outcome</label>
<select id="f-outcome" name="outcome">{_options(outcomes, choice.outcome, "All outcomes")}</select></div>
<div class="field"><label for="f-type">Type of council</label>
<select id="f-type" name="council_type">{_options(types, choice.council_type, "All types")}</select></div>
<div class="field"><label for="f-region">Region</label>
<select id="f-region" name="region">{_options(places, choice.region, "All regions")}</select></div>
<div class="actions"><button type="submit">Apply filters</button> {clear}</div>
</fieldset></form>"""


def _snippet(text: str) -> str:
    words = " ".join(text.split())
    return words if len(words) <= SNIPPET_CHARS else words[: SNIPPET_CHARS - 1].rsplit(" ", 1)[0] + "…"


def results_html(choice: Choice, hits: Sequence[Hit], documents: Mapping[str, Document]) -> str:
    """Matching documents, each with links to its matching sections."""
    grouped: dict[str, list[Hit]] = {}
    for hit in hits:
        grouped.setdefault(hit.chunk.doc_id, []).append(hit)
    items = []
    for doc_id, doc_hits in grouped.items():
        document = documents.get(doc_id)
        if document is None:
            continue
        sections = []
        for hit in doc_hits:
            path = str(hit.chunk.metadata.get("heading_path") or hit.chunk.metadata.get("section") or "")
            name = path.replace(" > ", ": ") or "Introduction"
            sections.append(
                f'<li><a href="{e(page_link(doc_id, path))}">{e(name)}</a>'
                f'<p class="snippet">{e(_snippet(hit.chunk.text))}</p></li>'
            )
        items.append(f'<li><h3>{doc_link(document)}</h3><ul class="sections">{"".join(sections)}</ul></li>')
    count = len(items)
    heading = f'Results for "{e(choice.q)}"'
    if not items:
        return (
            f'<section class="results" aria-labelledby="results"><h2 id="results" tabindex="-1">{heading}</h2>'
            "<p>Nothing in the almanac matches. Try other words, or clear the filters.</p></section>"
        )
    noun = "document" if count == 1 else "documents"
    return (
        f'<section class="results" aria-labelledby="results"><h2 id="results" tabindex="-1">{heading}</h2>'
        f'<p>{count} {noun} match.</p><ol class="hits">{"".join(items)}</ol></section>'
    )


def _outcome_section(slug: str, choice: Choice, documents: Mapping[str, Document]) -> str:
    outcome = next(o for o in OUTCOMES if o.slug == slug)
    guide = documents.get(f"outcome-{slug}")
    cases = [
        d
        for d in documents.values()
        if d.meta.type == "case-study" and slug in d.meta.outcomes and choice.keeps(d)
    ]
    guide_html = f"<p>Guide: {doc_link(guide)}</p>" if guide else ""
    if cases:
        rows = "".join(
            f'<li>{doc_link(d)} <span class="muted">{e(d.meta.council or "")}</span></li>' for d in cases
        )
        cases_html = f'<h3 id="cases-{e(slug)}">Case studies</h3><ul class="cases">{rows}</ul>'
    else:
        cases_html = '<p class="muted">No case study matches the filters.</p>'
    return (
        f'<section class="outcome" aria-labelledby="o-{e(slug)}"><h2 id="o-{e(slug)}">{e(outcome.name)}</h2>'
        f"<p>{e(outcome.description)}</p>{guide_html}{cases_html}</section>"
    )


def index_page(choice: Choice, documents: Mapping[str, Document], results: str = "") -> str:
    """The front page of the almanac."""
    framework = [d for d in documents.values() if d.meta.type == "overview"]
    framework_items = "".join(
        f"<li>{doc_link(d)}: {e(' '.join(d.meta.summary.split()))}</li>" for d in framework
    )
    slugs = [choice.outcome] if choice.outcome else [o.slug for o in OUTCOMES]
    outcomes = "".join(_outcome_section(s, choice, documents) for s in slugs)
    body = f"""<h1>The local government digitalisation almanac</h1>
<p class="lead">Guidance and case studies for councils, organised by the 12 digitalisation outcomes.
Read any page, search the almanac, or ask a question in the chat.</p>
{search_form(choice)}
{results}
{filter_form(choice, documents)}
<section class="framework" aria-labelledby="framework"><h2 id="framework">The framework</h2>
<ul>{framework_items}</ul></section>
<div class="outcomes-list">{outcomes}</div>"""
    return frame("The almanac", body, index=True)
