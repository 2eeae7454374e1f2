"""The web app's routes by area: chat, feedback, outcomes and documents under /api; health and pages."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from bots.web import schemas
from bots.web.deps import ApiKeyRequired
from bots.web.routes import (
    admin,
    almanac,
    assess_pages,
    assessments,
    chat,
    documents,
    feedback,
    health,
    pages,
)

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": schemas.ErrorOut} for code in (401, 404, 413, 422, 429, 503)
}


def api_router() -> APIRouter:
    """Everything under /api: keyed when API keys are configured."""
    api = APIRouter(prefix="/api", dependencies=[ApiKeyRequired], responses=ERRORS)
    api.include_router(chat.router)
    api.include_router(feedback.router)
    api.include_router(documents.router)
    api.include_router(assessments.router)
    return api


def page_router() -> APIRouter:
    """The probes, the demo page and the widget script: always open."""
    router = APIRouter()
    router.include_router(health.router)
    router.include_router(pages.router)
    router.include_router(assess_pages.router)
    router.include_router(almanac.router)
    router.include_router(admin.router)
    return router
