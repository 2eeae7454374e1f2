"""The web app factory: it assembles the routes, protection and shared state, and does nothing else."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from assistant.config import Settings
from bots.assistants import AssistantProvider, build_assistant
from bots.store import Stores, open_stores
from bots.web.apidocs import install_api_docs
from bots.web.catalogue import DocumentCatalogue
from bots.web.routes import api_router, page_router
from bots.web.security import install_protection

if TYPE_CHECKING:
    from assistant.rag import Assistant

log = logging.getLogger("almanac.web")


def create_app(
    settings: Settings,
    *,
    assistant: Assistant | None = None,
    stores: Stores | None = None,
    build: Callable[[Settings], Assistant] = build_assistant,
) -> FastAPI:
    """The web app, with POST /slack/events too when Slack's HTTP mode is configured.

    Args:
        settings: everything the app is configured by.
        assistant: a ready Assistant; without one, `build` makes it on first use, and the app warms it in
            the background as soon as it starts serving.
        stores: the conversation and feedback stores; default: the SQLite file in the settings.
        build: how to build the Assistant when none is given.
    """
    provider = AssistantProvider(settings, assistant, build=build)
    stores = stores or open_stores(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        warming = None if provider.loaded else asyncio.create_task(run_in_threadpool(provider.warm))
        yield
        if warming is not None and not warming.done():
            warming.cancel()

    app = FastAPI(
        title="Almanac Assistant",
        summary="Answers from the local government digitalisation almanac, with sources and outcomes.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.assistants = provider
    app.state.stores = stores
    app.state.catalogue = DocumentCatalogue(settings.corpus_dir)
    install_protection(app, settings)
    install_observability(app, settings)
    install_api_docs(app, enabled=settings.api_docs)
    app.include_router(api_router(), max_body_size=settings.max_body_bytes)
    app.include_router(page_router())
    include_slack(app, settings, provider, stores)
    return app


def install_observability(app: FastAPI, settings: Settings) -> None:
    """Metrics at GET /metrics, request ids, and JSON logs when ALMANAC_LOG_FORMAT=json."""
    from bots.web.logs import configure_logging, install_request_ids
    from bots.web.metrics import install_metrics

    configure_logging(settings.log_format)
    install_metrics(app, settings)
    install_request_ids(app)


def include_slack(app: FastAPI, settings: Settings, provider: AssistantProvider, stores: Stores) -> None:
    """Serve POST /slack/events when Slack's HTTP mode is configured; the Assistant stays unbuilt."""
    from bots.slack import http_mode_configured

    if not http_mode_configured(settings):
        return
    try:
        from bots.slack.http import slack_router
    except ImportError:
        log.warning("Slack is configured but bots.slack.http is not available; /slack/events is not served")
        return
    app.include_router(slack_router(settings, provider, stores))
    log.info("Slack events are served at /slack/events")
