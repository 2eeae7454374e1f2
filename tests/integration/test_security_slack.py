"""Hardening of /slack/events and of what is stored: signed and unsigned requests to the real web app with
Slack mounted, Web API calls to the local stand-in, and the database files read back from disk."""

from __future__ import annotations

import hashlib
import hmac
import logging
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bots.slack.seen_events import SeenSignatures
from bots.store import Stores, open_stores
from bots.web.app import create_app
from tests.conftest import make_settings
from tests.fakes import FakeAssistant
from tests.slack_api_server import BOT_TOKEN, SlackApiStandIn
from tests.slack_sender import CHANNEL, SIGNING_SECRET, SlackSender, answer_in, serve

pytestmark = pytest.mark.server
PERSONAL = {
    "email": "jo.bloggs@example.org",
    "phone": "07700 900123",
    "ni": "QQ 12 34 56 C",
    "address": "12 Acacia Avenue, Leeds LS1 4AP",
}
TTL_SECONDS = 3.0


class Bot:
    def __init__(self, sender: SlackSender, stores: Stores, data_dir: Path, slack_api: SlackApiStandIn):
        self.sender = sender
        self.stores = stores
        self.data_dir = data_dir
        self.slack_api = slack_api
        self.web = httpx.Client(base_url=sender.endpoint.removesuffix("/slack/events"), timeout=30)


@pytest.fixture(scope="module")
def bot(tmp_path_factory) -> Iterator[Bot]:
    """The web app with Slack's HTTP mode mounted, as `almanac serve` runs it; short conversation memory."""
    slack_api = SlackApiStandIn().start()
    data_dir = tmp_path_factory.mktemp("sec-slack")
    settings = make_settings(
        data_dir,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=slack_api.api_url,
        rate_limit_per_minute=600,
        conversation_ttl_hours=TTL_SECONDS / 3600,
    )
    stores = open_stores(settings)
    app = create_app(settings, assistant=FakeAssistant(settings), stores=stores)
    base_url, server, thread = serve(app)
    bot = Bot(SlackSender(base_url, slack_api), stores, data_dir, slack_api)
    yield bot
    bot.web.close()
    server.should_exit = True
    thread.join(10)
    slack_api.stop()


def sign(body: bytes, timestamp: str, secret: str = SIGNING_SECRET) -> str:
    digest = hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256)
    return "v0=" + digest.hexdigest()


def post_raw(bot: Bot, body: bytes, content_type: str, *, signed: bool, timestamp: str | None = None):
    stamp = timestamp or str(int(time.time()))
    headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": stamp}
    if signed:
        headers["X-Slack-Signature"] = sign(body, stamp)
    return bot.sender.http.post(bot.sender.endpoint, content=body, headers=headers)


UNSIGNED_PROBES = [
    (b"{not json", "application/json", 401),
    (b"payload=%7Bnot-json", "application/x-www-form-urlencoded", 401),
    (b"x" * 200_000, "application/json", 401),
    (b"x" * 2_000_000, "application/json", 413),
    (b"x" * 10_000_000, "application/octet-stream", 413),
]


@pytest.mark.parametrize(("body", "content_type", "status"), UNSIGNED_PROBES)
def test_unsigned_requests_are_refused_before_any_parsing(bot, caplog, body, content_type, status) -> None:
    caplog.set_level(logging.WARNING)
    response = post_raw(bot, body, content_type, signed=False)
    assert response.status_code == status and len(response.content) < 200
    assert response.json()["detail"]
    assert not [r for r in caplog.records if r.exc_info], "no traceback for an unsigned request"


def test_a_timestamp_that_is_not_a_number_is_refused(bot) -> None:
    body = b'{"type": "url_verification", "challenge": "c"}'
    response = post_raw(bot, body, "application/json", signed=False, timestamp="abc")
    assert response.status_code == 401 and response.json()["detail"]
    signed = bot.sender.http.post(
        bot.sender.endpoint,
        content=body,
        headers={"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": sign(body, "abc")},
    )
    assert signed.status_code == 401


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{not json", "application/json"),
        (b"payload=%7Bnot-json", "application/x-www-form-urlencoded"),
        (b"\xff\xfe\x00 not utf-8", "application/json"),
        (b"[1, 2, 3]", "application/json"),
        (b"[4, 5, 6]", "application/json; charset=utf-8"),
    ],
)
def test_a_signed_body_that_cannot_be_parsed_is_a_400(bot, body, content_type) -> None:
    response = post_raw(bot, body, content_type, signed=True)
    assert response.status_code == 400 and response.json()["detail"]


def test_a_replayed_signed_request_is_refused(bot) -> None:
    channel = "CREPLAY001"
    ts = bot.slack_api.add_user_message(channel, "UOFFICER1", "<@U0ALMANAC> What is open data?")
    event = {
        "type": "app_mention",
        "user": "UOFFICER1",
        "text": "What is open data?",
        "ts": ts,
        "channel": channel,
    }
    body = bot.sender.event_body(event)
    stamp = int(time.time())
    assert bot.sender.post(body, timestamp=stamp).status_code == 200
    answer_in(bot.slack_api, channel, thread_ts=ts)
    replay = bot.sender.post(body, timestamp=stamp)
    assert replay.status_code == 401 and "replay" in replay.json()["detail"]
    retry = bot.sender.post(body, timestamp=stamp, headers={"X-Slack-Retry-Num": "1"})
    assert retry.status_code == 200, "Slack's own retry is acknowledged, not handled again"
    time.sleep(0.3)
    assert len(bot.slack_api.calls_to("chat.postMessage", channel=channel)) == 1


def test_replays_are_refused_across_instances_sharing_the_database(tmp_path) -> None:
    first = open_stores(make_settings(tmp_path)).conversations.database
    second = open_stores(make_settings(tmp_path)).conversations.database
    assert SeenSignatures(first).first_time("v0=abc")
    assert not SeenSignatures(second).first_time("v0=abc")
    assert SeenSignatures(second, window=0).first_time("v0=abc"), "forgotten once the window has passed"


def test_unsigned_ssl_check_gets_an_empty_200_and_nothing_more(bot) -> None:
    check = post_raw(bot, b"ssl_check=1&token=legacy", "application/x-www-form-urlencoded", signed=False)
    assert check.status_code == 200 and check.content == b""
    smuggled = b"ssl_check=1&command=%2Falmanac&text=hello&response_url=http%3A%2F%2F127.0.0.1%3A1%2F"
    assert post_raw(bot, smuggled, "application/x-www-form-urlencoded", signed=False).status_code == 401


def database_bytes(data_dir: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted(data_dir.glob("feedback.db*")))


def test_personal_data_is_never_stored_and_rated_questions_follow_retention(bot) -> None:
    question = "Can {email} or {phone} (NI {ni}, {address}) get help with a data strategy?".format(**PERSONAL)
    answer = bot.web.post("/api/chat", json={"question": question}).json()
    assert PERSONAL["email"] in answer["question"], "the asker still sees what they typed"
    stream = bot.web.post("/api/chat/stream", json={"question": question + " (streamed)"})
    assert stream.status_code == 200 and "event: answer" in stream.text
    ids = {"conversation_id": answer["conversation_id"], "message_id": answer["message_id"]}
    comment = f"Please reply to {PERSONAL['email']} or {PERSONAL['phone']}"
    assert bot.web.post("/api/feedback", json={**ids, "rating": "up", "comment": comment}).status_code == 201
    ts = bot.sender.mention("UOFFICER2", question)
    answer_in(bot.slack_api, CHANNEL, thread_ts=ts)
    bot.sender.command("UOFFICER3", question, response_url=bot.slack_api.response_url("pii"))
    bot.slack_api.wait_for("response_url", path="/response/pii")

    stored = database_bytes(bot.data_dir)
    assert b"[email]" in stored and b"[phone]" in stored, "the questions were stored, masked"
    for value in PERSONAL.values():
        assert value.encode() not in stored, value
        assert value.encode("utf-16-le") not in stored, value
    for path in bot.data_dir.glob("feedback.db*"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name

    [rating] = [r for r in bot.stores.feedback.recent() if r["message_id"] == answer["message_id"]]
    assert rating["question"] and "[email]" in rating["question"]
    time.sleep(TTL_SECONDS + 0.5)
    bot.web.post("/api/chat", json={"question": "What is a data charter?"})
    [rating] = [r for r in bot.stores.feedback.recent() if r["message_id"] == answer["message_id"]]
    assert rating["question"] is None, "the copied question goes when its conversation expires"
    assert rating["rating"] == "up" and "[email]" in rating["comment"]
    assert bot.stores.conversations.turn(answer["message_id"]) is None


def test_expired_conversations_and_rated_questions_are_purged_at_start_up(tmp_path) -> None:
    settings = make_settings(tmp_path, conversation_ttl_hours=1 / 3600)
    stores = open_stores(settings)
    answer = FakeAssistant(settings).ask("How do councils share data?")
    message_id = stores.conversations.record_turn("c1", answer)
    stores.feedback.add(conversation_id="c1", message_id=message_id, rating="down", comment="too long")
    time.sleep(1.2)
    reopened = open_stores(settings)
    assert reopened.conversations.turn(message_id) is None
    [rating] = reopened.feedback.recent()
    assert rating["question"] is None and rating["comment"] == "too long"
