"""HTTP mode: POST /slack/events on the web server, verified with SLACK_SIGNING_SECRET.

Nothing from the body is parsed before its signature is checked on the raw bytes: a request with a
missing or wrong signature or timestamp gets 401, one over 1 MB gets 413, a signed body that cannot be
parsed gets 400, and a signed request seen before within the five-minute window (a replay) is not
handled again. The one unsigned request answered is Slack's `ssl_check=1` certificate check: an
empty 200, as Slack's slash command docs ask.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, parse_qsl

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from slack_bolt import App
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from starlette.concurrency import run_in_threadpool

from assistant.config import Settings
from bots.assistants import AssistantProvider
from bots.slack.app import create_slack_app, require
from bots.slack.seen_events import REPLAY_WINDOW_SECONDS, SeenSignatures
from bots.store import Stores

if TYPE_CHECKING:
    from assistant.rag import Assistant

log = logging.getLogger("almanac.slack")
MAX_BODY_BYTES = 1_000_000
SSL_CHECK_MAX_BYTES = 512


def refusal(status: int, detail: str) -> JSONResponse:
    return JSONResponse({"detail": detail, "field": None}, status_code=status)


class BodyTooLarge(Exception):
    """The request body is over MAX_BODY_BYTES."""


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The raw body, refused as soon as it is declared or read to be over the limit."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def is_ssl_check(body: bytes) -> bool:
    """Slack's certificate check: a short form body of ssl_check=1 and, at most, a token."""
    if len(body) > SSL_CHECK_MAX_BYTES:
        return False
    try:
        fields = parse_qs(body.decode("ascii"), strict_parsing=True, max_num_fields=2)
    except (UnicodeDecodeError, ValueError):
        return False
    return fields.get("ssl_check") == ["1"] and set(fields) <= {"ssl_check", "token"}


def parseable(body: bytes, content_type: str | None) -> bool:
    """True for what Slack sends, read as bolt reads it: UTF-8, and a JSON object or a form (whose
    `payload`, if any, is a JSON object)."""
    try:
        text = body.decode("utf-8")
        if not text:
            return True
        if (content_type or "").split(";")[0] == "application/json" or text.startswith("{"):
            return isinstance(json.loads(text), dict)
        payload = dict(parse_qsl(text, keep_blank_values=True)).get("payload")
        return payload is None or isinstance(json.loads(payload), dict)
    except ValueError:
        return False


class SignedSlackEndpoint:
    """Checks a request's signature, size and freshness, then hands it to bolt in a worker thread."""

    def __init__(self, app: App, signing_secret: str, seen: SeenSignatures):
        self.app = app
        self.secret = signing_secret.encode()
        self.seen = seen

    def signed(self, body: bytes, timestamp: str | None, signature: str | None) -> bool:
        """Slack's v0 signature of the raw bytes, with a timestamp inside the five-minute window."""
        if not timestamp or not signature or not timestamp.isascii() or not timestamp.isdigit():
            return False
        if len(timestamp) > 12 or abs(time.time() - int(timestamp)) > REPLAY_WINDOW_SECONDS:
            return False
        digest = hmac.new(self.secret, b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256)
        return hmac.compare_digest("v0=" + digest.hexdigest(), signature)

    async def handle(self, request: Request) -> Response:
        try:
            body = await read_body(request)
        except BodyTooLarge:
            return refusal(413, f"The request body is over the {MAX_BODY_BYTES}-byte limit.")
        signature = request.headers.get("x-slack-signature")
        if not self.signed(body, request.headers.get("x-slack-request-timestamp"), signature):
            if is_ssl_check(body):
                return Response(status_code=200)
            return refusal(401, "The request is not signed by Slack, or its timestamp is stale.")
        assert signature is not None
        if not await run_in_threadpool(self.seen.first_time, signature):
            if request.headers.get("x-slack-retry-num"):
                return Response(status_code=200)  # Slack's own retry of a request already handled
            return refusal(401, "This signed request has been received before; replays are refused.")
        if not parseable(body, request.headers.get("content-type")):
            return refusal(400, "The signed request body could not be parsed.")
        bolt_request = to_bolt_request(request, body)
        bolt_response = await run_in_threadpool(self.app.dispatch, bolt_request)
        return to_starlette_response(bolt_response)


def slack_router(settings: Settings, assistant: Assistant | AssistantProvider, stores: Stores) -> APIRouter:
    """A router serving POST /slack/events: Events API, slash commands and interactivity.

    Given a provider, the Assistant is built on the first question, not here.

    Raises:
        ConfigError: SLACK_BOT_TOKEN or SLACK_SIGNING_SECRET is not set.
    """
    require(settings, "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
    assert settings.slack_signing_secret is not None
    endpoint = SignedSlackEndpoint(
        create_slack_app(settings, assistant, stores),
        settings.slack_signing_secret.get_secret_value(),
        SeenSignatures(stores.conversations.database),
    )
    router = APIRouter(tags=["slack"])

    @router.post("/slack/events", include_in_schema=False)
    async def slack_events(request: Request) -> Response:
        return await endpoint.handle(request)

    return router
