"""The almanac's reading pages: /almanac (index, filters, search) and /almanac/{doc_id}; open like the demo."""

from __future__ import annotations

import secrets
from importlib.resources import files
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from assistant.outcomes import OUTCOME_SLUGS
from assistant.retrieval import Filters
from bots.web.almanac_index import Choice, index_page, results_html
from bots.web.almanac_pages import COUNCIL_TYPES, document_page, e, frame
from bots.web.deps import CatalogueDep, ProviderDep
from bots.web.security import page_csp

STATIC = files("bots.web") / "static"
SEARCH_CANDIDATES = 30
SEARCH_RESULTS = 12
router = APIRouter(include_in_schema=False)


@router.get("/almanac.css")
def almanac_css() -> Response:
    css = (STATIC / "almanac.css").read_bytes()
    return Response(
        css, media_type="text/css; charset=utf-8", headers={"Cache-Control": "public, max-age=300"}
    )


def html_page(content: str, status: int = 200) -> HTMLResponse:
    """A page with the site's page policy: scripts and styles from this origin only."""
    headers = {"Content-Security-Policy": page_csp(secrets.token_urlsafe(16)), "Cache-Control": "no-cache"}
    return HTMLResponse(content, status_code=status, headers=headers)


def problem_page(status: int, title: str, message: str) -> HTMLResponse:
    """An error as a page a reader can act on, with a way back to the index."""
    body = f'<h1>{e(title)}</h1><p>{e(message)}</p><p><a href="/almanac">Go to the almanac</a></p>'
    return html_page(frame(title, body), status)


def _choice(outcome: str | None, council_type: str | None, region: str | None, q: str | None) -> Choice | str:
    """The filters as given, or a message naming the parameter that is wrong and what it may be."""
    outcome, council_type, region = (
        v.strip() or None if v else None for v in (outcome, council_type, region)
    )
    if outcome and outcome not in OUTCOME_SLUGS:
        return f"outcome: {outcome!r} is not an outcome; use one of {', '.join(OUTCOME_SLUGS)}."
    if council_type and council_type not in COUNCIL_TYPES:
        return (
            f"council_type: {council_type!r} is not a type of council; use one of {', '.join(COUNCIL_TYPES)}."
        )
    return Choice(outcome, council_type, region, " ".join((q or "").split()))


@router.get("/almanac", response_class=HTMLResponse)
async def almanac_index(
    catalogue: CatalogueDep,
    provider: ProviderDep,
    outcome: Annotated[str | None, Query(max_length=60)] = None,
    council_type: Annotated[str | None, Query(max_length=60)] = None,
    region: Annotated[str | None, Query(max_length=120)] = None,
    q: Annotated[str | None, Query(max_length=300)] = None,
) -> HTMLResponse:
    """The outcomes with their guides and case studies, filtered; with q, the matching sections too."""
    choice = _choice(outcome, council_type, region, q)
    if isinstance(choice, str):
        return problem_page(422, "That filter is not known", choice)
    documents = await run_in_threadpool(catalogue.documents)
    results = ""
    if choice.q:
        assistant = await run_in_threadpool(provider.get)
        filters = Filters(outcome=choice.outcome, council_type=choice.council_type)
        hits = await run_in_threadpool(
            assistant.retriever.search, choice.q, k=SEARCH_CANDIDATES, filters=filters
        )
        kept = [h for h in hits if h.chunk.doc_id in documents and choice.keeps(documents[h.chunk.doc_id])]
        results = results_html(choice, kept[:SEARCH_RESULTS], documents)
    return html_page(index_page(choice, documents, results))


@router.get("/almanac/{doc_id}", response_class=HTMLResponse)
async def almanac_document(
    doc_id: Annotated[str, PathParam(pattern=r"^[a-z0-9-]{1,120}$")], catalogue: CatalogueDep
) -> HTMLResponse:
    """One document in full, with its contents, sources and related pages."""
    documents = await run_in_threadpool(catalogue.documents)
    document = documents.get(doc_id)
    if document is None:
        return problem_page(404, "Page not found", f"No almanac document has the id {doc_id!r}.")
    return html_page(document_page(document, documents))
