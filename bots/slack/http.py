"""HTTP mode: POST /slack/events on the web server, verified with SLACK_SIGNING_SECRET."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import APIRouter, Request, Response
from slack_bolt.adapter.fastapi import SlackRequestHandler
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from starlette.concurrency import run_in_threadpool

from assistant.config import Settings
from bots.assistants import AssistantProvider
from bots.slack.app import create_slack_app, require
from bots.store import Stores

if TYPE_CHECKING:
    from assistant.rag import Assistant


class ThreadedSlackRequestHandler(SlackRequestHandler):
    """bolt's FastAPI handler, dispatching in a worker thread so the server's event loop never blocks."""

    async def handle(self, req: Request, addition_context_properties: dict | None = None) -> Response:
        if req.method != "POST":
            return await super().handle(req, addition_context_properties)
        body = await req.body()
        bolt_request = to_bolt_request(req, body, addition_context_properties)
        bolt_response = await run_in_threadpool(self.app.dispatch, bolt_request)
        return to_starlette_response(bolt_response)


def slack_router(settings: Settings, assistant: Assistant | AssistantProvider, stores: Stores) -> APIRouter:
    """A router serving POST /slack/events: Events API, slash commands and interactivity.

    Given a provider, the Assistant is built on the first question, not here.

    Raises:
        ConfigError: SLACK_BOT_TOKEN or SLACK_SIGNING_SECRET is not set.
    """
    require(settings, "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
    handler = ThreadedSlackRequestHandler(create_slack_app(settings, assistant, stores))
    router = APIRouter(tags=["slack"])

    @router.post("/slack/events", include_in_schema=False)
    async def slack_events(request: Request) -> Response:
        return await handler.handle(request)

    return router
