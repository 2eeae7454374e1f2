"""Slack's side of the conversation for tests: signed events, commands and clicks, and waiting for replies."""

from __future__ import annotations

import json
import threading
import time
import uuid
from typing import Any
from urllib.parse import urlencode

import httpx
import uvicorn
from fastapi import FastAPI
from slack_sdk.signature import SignatureVerifier

from bots.slack.answering import SEARCHING
from bots.slack.questions import COMMAND
from tests.conftest import free_port
from tests.slack_api_server import BOT_USER_ID, TEAM_ID, Call, SlackApiStandIn

SIGNING_SECRET = "almanac-test-signing-secret"
CHANNEL = "CDIGITAL01"


def event_body(event: dict[str, Any], event_id: str) -> dict[str, Any]:
    """An Events API event_callback body, as Slack sends it over HTTP or inside a Socket Mode envelope."""
    return {
        "token": "legacy",
        "team_id": TEAM_ID,
        "api_app_id": "AALMANAC1",
        "type": "event_callback",
        "event": event,
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
    }


class SlackSender:
    """Plays Slack's side: signs and sends events, commands and clicks to a running /slack/events."""

    def __init__(self, base_url: str, slack_api: SlackApiStandIn):
        self.endpoint = f"{base_url}/slack/events"
        self.slack_api = slack_api
        self.verifier = SignatureVerifier(SIGNING_SECRET)
        self.http = httpx.Client(timeout=10)
        self._ids = iter(range(1, 1_000_000))

    def post(
        self,
        body: str,
        *,
        headers: dict[str, str] | None = None,
        timestamp: int | None = None,
        signature: str | None = None,
    ) -> httpx.Response:
        stamp = str(timestamp if timestamp is not None else int(time.time()))
        content_type = "application/json" if body.startswith("{") else "application/x-www-form-urlencoded"
        signed = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature
            or str(self.verifier.generate_signature(timestamp=stamp, body=body)),
        }
        return self.http.post(
            self.endpoint, content=body.encode("utf-8"), headers={**signed, **(headers or {})}
        )

    def event_body(self, event: dict[str, Any], event_id: str | None = None) -> str:
        return json.dumps(
            event_body(event, event_id or f"Ev{next(self._ids):06d}{uuid.uuid4().hex[:8].upper()}")
        )

    def mention(
        self, user: str, question: str, *, channel: str = CHANNEL, thread_ts: str | None = None
    ) -> str:
        """A person mentions the bot; returns the message ts."""
        text = f"<@{BOT_USER_ID}> {question}"
        ts = self.slack_api.add_user_message(channel, user, text, thread_ts=thread_ts)
        event = {
            "type": "app_mention",
            "user": user,
            "text": text,
            "ts": ts,
            "channel": channel,
            "event_ts": ts,
        }
        if thread_ts:
            event["thread_ts"] = thread_ts
        assert self.post(self.event_body(event)).status_code == 200
        return ts

    def dm(self, user: str, text: str, *, channel: str, **extra: Any) -> str:
        """A direct message to the bot (extra fields make it a bot's post, an edit and so on)."""
        ts = self.slack_api.add_user_message(channel, user, text)
        event = {
            "type": "message",
            "channel_type": "im",
            "user": user,
            "text": text,
            "ts": ts,
            "channel": channel,
            "event_ts": ts,
            **extra,
        }
        assert self.post(self.event_body(event)).status_code == 200
        return ts

    def command(self, user: str, text: str, *, response_url: str, channel: str = CHANNEL) -> httpx.Response:
        return self.post(
            urlencode(
                {
                    "token": "legacy",
                    "team_id": TEAM_ID,
                    "channel_id": channel,
                    "channel_name": "digital",
                    "user_id": user,
                    "user_name": user.lower(),
                    "command": COMMAND,
                    "text": text,
                    "response_url": response_url,
                    "trigger_id": "1.2.3",
                }
            )
        )

    def click(
        self, user: str, button: dict[str, Any], *, channel: str, response_url: str, ephemeral: bool = False
    ) -> httpx.Response:
        payload = {
            "type": "block_actions",
            "team": {"id": TEAM_ID},
            "user": {"id": user, "team_id": TEAM_ID},
            "api_app_id": "AALMANAC1",
            "token": "legacy",
            "trigger_id": "1.2.4",
            "response_url": response_url,
            "container": {"type": "message", "channel_id": channel, "is_ephemeral": ephemeral},
            "channel": {"id": channel, "name": "digital"},
            "actions": [
                {
                    "type": "button",
                    "block_id": "almanac_answer_actions",
                    "action_id": button["action_id"],
                    "value": button["value"],
                    "action_ts": str(time.time()),
                }
            ],
        }
        return self.post(urlencode({"payload": json.dumps(payload)}))


def serve(app: FastAPI, *, lifespan: str = "auto") -> tuple[str, uvicorn.Server, threading.Thread]:
    """Serve a FastAPI app with uvicorn on a free 127.0.0.1 port, in a thread (lifespan "off": no start-up)."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan=lifespan)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server, thread


def poll(find, timeout: float = 30.0, what: str = "it"):
    """Call find() until it returns something truthy; AssertionError after the deadline."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = find()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"gave up waiting for {what}")


def answer_in(
    slack_api: SlackApiStandIn, channel: str, *, thread_ts: str | None = None, nth: int = 1
) -> Call:
    """The chat.update that turned the nth "Searching the almanac..." message of a thread into a reply."""

    def placeholders() -> list[Call]:
        found = [
            c
            for c in slack_api.calls_to("chat.postMessage", channel=channel, text=SEARCHING)
            if c.params.get("thread_ts") == thread_ts
        ]
        return found if len(found) >= nth else []

    placeholder = poll(placeholders, what=f"progress message {nth} in {channel}/{thread_ts}")[nth - 1]
    return slack_api.wait_for("chat.update", channel=channel, ts=placeholder.response["ts"])[-1]


def block_texts(blocks: list[dict[str, Any]], kind: str) -> list[str]:
    """The texts of the blocks of one kind: markdown, section or context."""
    texts = []
    for block in blocks:
        if block["type"] == kind == "markdown":
            texts.append(block["text"])
        elif block["type"] == kind == "section":
            texts.append(block["text"]["text"])
        elif block["type"] == kind == "context":
            texts.extend(e["text"] for e in block["elements"])
    return texts


def buttons(blocks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {e["action_id"]: e for b in blocks if b["type"] == "actions" for e in b["elements"]}
