"""/admin: the editors' view, behind ALMANAC_ADMIN_KEY or basic auth; 404 when neither is set."""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from langchain_core.embeddings import Embeddings
from starlette.concurrency import run_in_threadpool

from assistant.config import Settings
from assistant.editors.drafts import draft_jsonl
from assistant.editors.render import feedback_rows, gap_rows, render
from bots.editors.view import EditorsView, build_view, period_seconds
from bots.web.deps import SettingsDep
from bots.web.errors import FieldError
from bots.web.security import page_csp

ADMIN_HEADER = "X-Admin-Key"
CHALLENGE = {"WWW-Authenticate": 'Basic realm="Almanac editors", charset="UTF-8"'}
NO_STORE = {"Cache-Control": "no-store"}


def _same(given: str, secret: str) -> bool:
    return hmac.compare_digest(given.encode(), secret.encode())


def admitted(request: Request, settings: Settings) -> bool:
    """True when the request carries the admin key (header or basic-auth password) or the admin password."""
    secrets_ = [s.get_secret_value() for s in (settings.admin_key, settings.admin_password) if s is not None]
    key = request.headers.get(ADMIN_HEADER)
    if key is not None and settings.admin_key is not None:
        return _same(key, settings.admin_key.get_secret_value())
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        user, _, password = base64.b64decode(value, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return False
    # Every comparison is made, so the time taken does not tell which part was wrong.
    good_user = _same(user, settings.admin_user)
    good_password = any([_same(password, s) for s in secrets_])
    return good_user and good_password


def require_admin(request: Request, settings: SettingsDep) -> None:
    """404 when no admin credential is configured (the page does not exist); 401 without the right one."""
    if settings.admin_key is None and settings.admin_password is None:
        raise HTTPException(404, "Not Found")
    if not admitted(request, settings):
        raise HTTPException(
            401, "The editors' view needs the admin key or user name and password.", CHALLENGE
        )


router = APIRouter(prefix="/admin", include_in_schema=False, dependencies=[Depends(require_admin)])
Since = Annotated[str, Query(description="Period: 30d, 4w, 12h.")]


def editor_embeddings(request: Request) -> Embeddings:
    """The assistant's own embedding model, or one loaded once for this page when the assistant has none."""
    assistant = request.app.state.assistants.get()
    found = getattr(assistant, "embeddings", None)
    if isinstance(found, Embeddings):
        return found
    cached = getattr(request.app.state, "editor_embeddings", None)
    if cached is None:
        from assistant.embeddings import get_embeddings

        cached = request.app.state.editor_embeddings = get_embeddings(
            request.app.state.settings.embedding_model
        )
    return cached


def _view(request: Request, since: str, *, gaps: bool = True) -> EditorsView:
    try:
        period = period_seconds(since)
    except ValueError as exc:
        raise FieldError(422, str(exc).replace("--since", "since"), field="since") from None
    documents = list(request.app.state.catalogue.documents().values())
    embeddings = editor_embeddings(request) if gaps else None
    return build_view(
        request.app.state.stores.asked,
        request.app.state.settings,
        embeddings=embeddings,
        documents=documents,
        period=period,
    )


async def view(request: Request, since: str, *, gaps: bool = True) -> EditorsView:
    return await run_in_threadpool(_view, request, since, gaps=gaps)


def download(body: str, filename: str, media_type: str) -> Response:
    headers = {**NO_STORE, "Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(body, media_type=media_type, headers=headers)


@router.get("", response_class=HTMLResponse)
async def admin_home(request: Request, since: Since = "30d") -> HTMLResponse:
    from bots.web.admin_page import admin_page

    found = await view(request, since)
    nonce = secrets.token_urlsafe(16)
    page = admin_page(found, since=since.strip(), nonce=nonce)
    return HTMLResponse(page, headers={**NO_STORE, "Content-Security-Policy": page_csp(nonce)})


@router.get("/gaps.csv")
async def gaps_csv(request: Request, since: Since = "30d") -> Response:
    return download(render(gap_rows((await view(request, since)).gaps), "csv"), "gaps.csv", "text/csv")


@router.get("/feedback.csv")
async def feedback_csv(request: Request, since: Since = "30d") -> Response:
    found = await view(request, since, gaps=False)
    return download(render(feedback_rows(found.feedback), "csv"), "feedback.csv", "text/csv")


@router.get("/reviews.csv")
async def reviews_csv(request: Request, since: Since = "30d") -> Response:
    found = await view(request, since, gaps=False)
    rows = [t.as_dict() for t in found.reviews]
    return download(render(rows, "csv"), "reviews.csv", "text/csv")


@router.get("/drafts.jsonl")
async def drafts_jsonl(request: Request, since: Since = "30d", gap: int | None = None) -> Response:
    """The gap questions (all gaps, or one by number) as draft question-set lines."""
    found = await view(request, since)
    chosen = [g for g in found.gaps.gaps if gap is None or g.id == gap]
    if gap is not None and not chosen:
        raise FieldError(
            404, f"gap: there is no gap {gap} in this period; see /admin for the list.", field="gap"
        )
    body = draft_jsonl([a for g in chosen for a in g.members])
    return download(body, f"draft-questions{'-' + str(gap) if gap else ''}.jsonl", "application/x-ndjson")
