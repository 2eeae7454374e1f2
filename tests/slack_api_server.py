"""A local stand-in for Slack's Web API: a real HTTP server on 127.0.0.1 that records every call.

It speaks the wire protocol of the methods the bot uses (auth.test, chat.postMessage, chat.update,
chat.postEphemeral, reactions.add, conversations.replies, apps.connections.open, the assistant panel's
assistant.threads.setStatus / setSuggestedPrompts / setTitle, views.publish, and the streaming
chat.startStream / appendStream / stopStream) and of response_url posts, and keeps the channels' messages
(with their metadata) so conversations.replies returns what was really posted.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

BOT_TOKEN = "xoxb-almanac-test"
APP_TOKEN = "xapp-almanac-test"
BOT_USER_ID = "UALMANAC1"
BOT_ID = "BALMANAC1"
TEAM_ID = "TCOUNCIL1"


def streamed_text(params: dict[str, Any]) -> str:
    """The Markdown a chat.*Stream call adds: its markdown_text, or its markdown_text chunks."""
    chunks = params.get("chunks") or []
    text = "".join(
        c.get("text", "") for c in chunks if isinstance(c, dict) and c.get("type") == "markdown_text"
    )
    return str(params.get("markdown_text") or "") + text


@dataclass
class Call:
    """One request the stand-in received, and what it answered."""

    method: str
    params: dict[str, Any]
    response: dict[str, Any] = field(default_factory=dict)


class SlackApiStandIn:
    """Slack's Web API on 127.0.0.1, driven through the real slack_sdk clients."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.messages: dict[str, list[dict[str, Any]]] = {}
        self.socket_mode_url: str | None = None
        self.refused_channels: set[str] = set()  # channels the bot is not a member of
        self.throttled: dict[str, int] = {}  # method -> how many calls to refuse with 429, as Slack does
        self.streaming = (
            True  # False: the chat.*Stream methods are refused, as where Slack has not enabled them
        )
        self._lock = threading.Lock()
        self._ts = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="slack-api-stand-in", daemon=True
        )

    # Lifecycle
    def start(self) -> SlackApiStandIn:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, name: str) -> str:
        """A response_url (as Slack sends with commands and button clicks) that posts back here."""
        return f"{self.url}/response/{name}"

    # What tests use to play the people in the workspace and to inspect what the bot did
    def new_ts(self) -> str:
        """A message timestamp, increasing like Slack's."""
        return f"{int(time.time())}.{next(self._ts):06d}"

    def add_user_message(self, channel: str, user: str, text: str, *, thread_ts: str | None = None) -> str:
        """A person's message, as Slack stores it before sending the event; returns its ts."""
        ts = self.new_ts()
        message: dict[str, Any] = {"type": "message", "user": user, "text": text, "ts": ts}
        if thread_ts:
            message["thread_ts"] = thread_ts
        with self._lock:
            self.messages.setdefault(channel, []).append(message)
        return ts

    def calls_to(self, method: str, **params: Any) -> list[Call]:
        """Calls of a method whose parameters include all of `params`."""
        with self._lock:
            calls = list(self.calls)
        return [
            c for c in calls if c.method == method and all(c.params.get(k) == v for k, v in params.items())
        ]

    def wait_for(self, method: str, count: int = 1, timeout: float = 30.0, **params: Any) -> list[Call]:
        """Poll until at least `count` matching calls arrived; AssertionError naming what is missing."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.calls_to(method, **params)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        seen = [(c.method, {k: c.params.get(k) for k in ("channel", "ts", "thread_ts")}) for c in self.calls]
        raise AssertionError(f"no {count} x {method} {params} within {timeout}s; calls: {seen}")

    # The Web API
    def _find(self, channel: str, ts: str) -> dict[str, Any] | None:
        return next((m for m in self.messages.get(channel, []) if m["ts"] == ts), None)

    def _api(self, method: str, params: dict[str, Any], token: str) -> dict[str, Any]:
        if method == "apps.connections.open":
            if token != APP_TOKEN:
                return {"ok": False, "error": "invalid_auth"}
            if not self.socket_mode_url:
                return {"ok": False, "error": "socket_mode_not_enabled"}
            return {"ok": True, "url": self.socket_mode_url}
        if token != BOT_TOKEN:
            return {"ok": False, "error": "invalid_auth" if token else "not_authed"}
        handler: Callable[[dict[str, Any]], dict[str, Any]] | None = getattr(
            self, "_" + method.replace(".", "_"), None
        )
        if handler is None:
            return {"ok": False, "error": "unknown_method"}
        with self._lock:
            return handler(params)

    def _auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://test-council.slack.com/",
            "team": "Test Council",
            "user": "almanac",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _chat_postMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = params.get("channel")
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        if channel in self.refused_channels:
            return {"ok": False, "error": "not_in_channel"}
        if not params.get("text") and not params.get("blocks"):
            return {"ok": False, "error": "no_text"}
        message: dict[str, Any] = {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "text": params.get("text", ""),
            "ts": self.new_ts(),
        }
        if params.get("blocks"):
            message["blocks"] = params["blocks"]
        if params.get("thread_ts"):
            message["thread_ts"] = params["thread_ts"]
        if isinstance(params.get("metadata"), dict):
            message["metadata"] = params["metadata"]
        self.messages.setdefault(channel, []).append(message)
        return {"ok": True, "channel": channel, "ts": message["ts"], "message": message}

    def _chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._find(str(params.get("channel")), str(params.get("ts")))
        if message is None:
            return {"ok": False, "error": "message_not_found"}
        if message.get("user") != BOT_USER_ID:
            return {"ok": False, "error": "cant_update_message"}
        message["text"] = params.get("text", message["text"])
        if "blocks" in params:
            message["blocks"] = params["blocks"]
        if isinstance(params.get("metadata"), dict):
            message["metadata"] = params["metadata"]
        return {"ok": True, "channel": params["channel"], "ts": message["ts"], "text": message["text"]}

    def _chat_postEphemeral(self, params: dict[str, Any]) -> dict[str, Any]:
        if not params.get("channel") or not params.get("user"):
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True, "message_ts": self.new_ts()}

    def _reactions_add(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._find(str(params.get("channel")), str(params.get("timestamp")))
        if message is None:
            return {"ok": False, "error": "message_not_found"}
        names = message.setdefault("reactions", [])
        if params.get("name") in names:
            return {"ok": False, "error": "already_reacted"}
        names.append(params.get("name"))
        return {"ok": True}

    def _conversations_replies(self, params: dict[str, Any]) -> dict[str, Any]:
        channel, ts = str(params.get("channel")), str(params.get("ts"))
        thread = [m for m in self.messages.get(channel, []) if m["ts"] == ts or m.get("thread_ts") == ts]
        if not thread:
            return {"ok": False, "error": "thread_not_found"}
        thread.sort(key=lambda m: m["ts"])
        with_metadata = str(params.get("include_all_metadata", "")).lower() in ("1", "true")
        messages = [{k: v for k, v in m.items() if k != "metadata" or with_metadata} for m in thread]
        return {"ok": True, "messages": messages, "has_more": False}

    # The assistant panel (assistant:write)
    def _assistant_thread(self, params: dict[str, Any]) -> dict[str, Any] | None:
        if not params.get("channel_id") or not params.get("thread_ts"):
            return {"ok": False, "error": "invalid_arguments"}
        if not str(params["channel_id"]).startswith("D"):
            return {"ok": False, "error": "invalid_channel"}  # panel threads live in the app's DM
        return None

    def _assistant_threads_setStatus(self, params: dict[str, Any]) -> dict[str, Any]:
        if "status" not in params:
            return {"ok": False, "error": "invalid_arguments"}
        return self._assistant_thread(params) or {"ok": True}

    def _assistant_threads_setTitle(self, params: dict[str, Any]) -> dict[str, Any]:
        if not params.get("title"):
            return {"ok": False, "error": "invalid_arguments"}
        return self._assistant_thread(params) or {"ok": True}

    def _assistant_threads_setSuggestedPrompts(self, params: dict[str, Any]) -> dict[str, Any]:
        prompts = params.get("prompts")
        if not isinstance(prompts, list) or not 1 <= len(prompts) <= 4:
            return {"ok": False, "error": "invalid_arguments"}  # Slack takes one to four prompts
        if not all(isinstance(p, dict) and p.get("title") and p.get("message") for p in prompts):
            return {"ok": False, "error": "invalid_arguments"}
        return self._assistant_thread(params) or {"ok": True}

    def _views_publish(self, params: dict[str, Any]) -> dict[str, Any]:
        view = params.get("view")
        if isinstance(view, str):
            view = json.loads(view)
        if not params.get("user_id") or not isinstance(view, dict) or view.get("type") != "home":
            return {"ok": False, "error": "invalid_arguments"}
        if len(view.get("blocks") or []) > 100:
            return {"ok": False, "error": "invalid_blocks"}
        return {"ok": True, "view": {"id": "VHOME" + str(params["user_id"]), **view}}

    # Streaming a message as it is written
    def _chat_startStream(self, params: dict[str, Any]) -> dict[str, Any]:
        if not self.streaming:
            return {"ok": False, "error": "unknown_method"}
        if not params.get("channel") or not params.get("thread_ts"):
            return {"ok": False, "error": "invalid_arguments"}
        ts = self.new_ts()
        message = {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "text": streamed_text(params),
            "ts": ts,
            "thread_ts": params["thread_ts"],
            "streaming": True,
        }
        self.messages.setdefault(str(params["channel"]), []).append(message)
        return {"ok": True, "channel": params["channel"], "ts": ts}

    def _streamed(self, params: dict[str, Any]) -> dict[str, Any] | dict[str, str]:
        if not self.streaming:
            return {"ok": False, "error": "unknown_method"}
        message = self._find(str(params.get("channel")), str(params.get("ts")))
        if message is None:
            return {"ok": False, "error": "message_not_found"}
        if not message.get("streaming"):
            return {"ok": False, "error": "message_not_in_streaming_state"}
        message["text"] += streamed_text(params)
        return message

    def _chat_appendStream(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._streamed(params)
        return message if "ok" in message else {"ok": True, "channel": params["channel"], "ts": message["ts"]}

    def _chat_stopStream(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._streamed(params)
        if "ok" in message:
            return message
        message.pop("streaming")
        if params.get("blocks"):
            message["blocks"] = params["blocks"]
        return {"ok": True, "channel": params["channel"], "ts": message["ts"], "message": message}

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep test output quiet
                pass

            def _params(self) -> dict[str, Any]:
                url = urlsplit(self.path)
                params: dict[str, Any] = dict(parse_qsl(url.query))
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8") if length else ""
                if raw and "json" in (self.headers.get("Content-Type") or ""):
                    params.update(json.loads(raw))
                elif raw:
                    params.update(dict(parse_qsl(raw)))
                for key in ("blocks", "attachments"):  # form-encoded calls send these as JSON text
                    if isinstance(params.get(key), str):
                        params[key] = json.loads(params[key])
                return params

            def _reply(
                self, body: bytes, content_type: str, *, status: int = 200, retry_after: int = 0
            ) -> None:
                self.send_response(status)
                if retry_after:
                    self.send_header("Retry-After", str(retry_after))
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _serve(self) -> None:
                path = urlsplit(self.path).path
                params = self._params()
                if path.startswith("/response/"):
                    call = Call("response_url", {**params, "path": path}, {"ok": True})
                    with stand_in._lock:
                        stand_in.calls.append(call)
                    self._reply(b"ok", "text/plain")
                    return
                method = path.removeprefix("/api/")
                token = (self.headers.get("Authorization") or "").removeprefix("Bearer ").strip()
                token = token or str(params.get("token", ""))
                with stand_in._lock:
                    throttle = stand_in.throttled.get(method, 0) > 0
                    if throttle:
                        stand_in.throttled[method] -= 1
                        stand_in.calls.append(Call(method, params, {"ok": False, "error": "ratelimited"}))
                if throttle:
                    body = json.dumps({"ok": False, "error": "ratelimited"}).encode()
                    self._reply(body, "application/json; charset=utf-8", status=429, retry_after=1)
                    return
                response = stand_in._api(method, params, token)
                with stand_in._lock:
                    stand_in.calls.append(Call(method, params, response))
                self._reply(json.dumps(response).encode("utf-8"), "application/json; charset=utf-8")

            do_GET = _serve
            do_POST = _serve

        return Handler
