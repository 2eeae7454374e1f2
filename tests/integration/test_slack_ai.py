"""Slack as an AI app: the assistant panel, the App Home tab and the message shortcut, through signed
requests to the real /slack/events and a local stand-in for Slack's Web API.

Most tests answer with the FakeAssistant; one `e2e` test answers a panel question from the real index.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from fastapi import FastAPI
from slack_sdk.models.blocks import Block

from assistant.outcomes import OUTCOME_SLUGS
from bots.slack.ai_panel import FOCUS_PROMPT, GREETING, LOADING_MESSAGES, SHARE_TO_CHANNEL, STATUS
from bots.slack.blocks import SHARE
from bots.slack.home import ASK_ACTION, OUTCOME_ACTION, home_view, outcome_questions_blocks
from bots.slack.http import slack_router
from bots.slack.shortcuts import CALLBACK_ID
from bots.store import Stores, open_stores
from tests.conftest import make_settings
from tests.fakes import FakeAssistant
from tests.slack_api_server import BOT_TOKEN, TEAM_ID, Call, SlackApiStandIn
from tests.slack_sender import (
    CHANNEL,
    SIGNING_SECRET,
    SlackSender,
    answer_in,
    block_texts,
    buttons,
    poll,
    serve,
)

OFFICER = "UPANEL001"


class PanelSender(SlackSender):
    """SlackSender plus the assistant panel's events, the Home tab and the message shortcut."""

    def event_body(self, event: dict[str, Any], event_id: str | None = None) -> str:
        # Event ids unique across the bots of this module: they share one store of handled events.
        return super().event_body(event, event_id or f"EvAI{uuid.uuid4().hex[:12]}")

    def event(self, event: dict[str, Any]) -> None:
        assert self.post(self.event_body(event)).status_code == 200

    def thread_started(self, user: str, dm: str, *, beside: str | None = CHANNEL) -> str:
        """The user opens a new panel thread (beside a channel); returns the thread's ts."""
        ts = self.slack_api.new_ts()
        with self.slack_api._lock:
            self.slack_api.messages.setdefault(dm, []).append(
                {"type": "message", "subtype": "assistant_app_thread", "user": user, "text": "", "ts": ts}
            )
        context = {"channel_id": beside, "team_id": TEAM_ID, "enterprise_id": None} if beside else {}
        thread = {"user_id": user, "context": context, "channel_id": dm, "thread_ts": ts}
        self.event({"type": "assistant_thread_started", "assistant_thread": thread, "event_ts": ts})
        return ts

    def panel_message(self, user: str, dm: str, thread_ts: str, text: str) -> str:
        ts = self.slack_api.add_user_message(dm, user, text, thread_ts=thread_ts)
        event = {
            "type": "message",
            "channel_type": "im",
            "user": user,
            "text": text,
            "ts": ts,
            "thread_ts": thread_ts,
            "channel": dm,
            "event_ts": ts,
        }
        self.event(event)
        return ts

    def interact(self, payload: dict[str, Any]) -> None:
        base = {"team": {"id": TEAM_ID}, "api_app_id": "AALMANAC1", "token": "legacy", "trigger_id": "1.2.5"}
        response = self.post(urlencode({"payload": json.dumps({**base, **payload})}))
        assert response.status_code == 200

    def press(self, user: str, element: dict[str, Any], **where: Any) -> None:
        action = {**element, "block_id": "b", "action_ts": str(time.time())}
        self.interact({"type": "block_actions", "user": {"id": user}, "actions": [action], **where})


@pytest.fixture(scope="module")
def slack_api() -> Iterator[SlackApiStandIn]:
    stand_in = SlackApiStandIn().start()
    yield stand_in
    stand_in.stop()


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Stores:
    return open_stores(make_settings(tmp_path_factory.mktemp("slack-ai-stores")))


@contextmanager
def panel_bot(slack_api, stores, assistant, data_dir: Path, **overrides: Any) -> Iterator[PanelSender]:
    settings = make_settings(
        data_dir,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=slack_api.api_url,
        rate_limit_per_minute=100,
        **overrides,
    )
    api = FastAPI()
    api.include_router(slack_router(settings, assistant, stores))
    base_url, server, thread = serve(api)
    try:
        yield PanelSender(base_url, slack_api)
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def fake(tmp_path_factory) -> FakeAssistant:
    return FakeAssistant(make_settings(tmp_path_factory.mktemp("slack-ai-fake")))


@pytest.fixture(scope="module")
def slack(slack_api, stores, fake, tmp_path_factory) -> Iterator[PanelSender]:
    with panel_bot(slack_api, stores, fake, tmp_path_factory.mktemp("slack-ai-bot")) as sender:
        yield sender


def replies_in(slack_api: SlackApiStandIn, dm: str, thread_ts: str, count: int = 1) -> list[Call]:
    return poll(
        lambda: (
            (found := [c for c in slack_api.calls_to("chat.postMessage", channel=dm, thread_ts=thread_ts)])
            and len(found) >= count
            and found
        ),
        what=f"{count} replies in {dm}/{thread_ts}",
    )


def asked(fake: FakeAssistant, question: str):
    return poll(lambda: [a for a in fake.asked if a.question == question], what=f"the question {question!r}")


@pytest.fixture(scope="module")
def panel_answer(slack, slack_api) -> tuple[str, str, Call]:
    """A council officer opens the panel beside #digital and asks a question: (dm, thread, answer)."""
    dm = "DPANEL001"
    thread = slack.thread_started(OFFICER, dm)
    replies_in(slack_api, dm, thread)
    slack.panel_message(OFFICER, dm, thread, "How do councils publish open data?")
    return dm, thread, replies_in(slack_api, dm, thread, 2)[1]


def test_assistant_thread_started_gets_the_greeting_and_suggested_prompts(slack, slack_api):
    dm = "DPANEL002"
    thread = slack.thread_started("UPANEL002", dm)
    greeting = replies_in(slack_api, dm, thread)[0]
    assert greeting.params["text"] == GREETING and greeting.response["ok"]
    # bolt keeps the thread context (the channel beside the panel) in the greeting's metadata.
    assert greeting.params["metadata"]["event_payload"]["channel_id"] == CHANNEL
    prompts = slack_api.wait_for("assistant.threads.setSuggestedPrompts", channel_id=dm, thread_ts=thread)[0]
    assert prompts.response["ok"]
    assert FOCUS_PROMPT in [p["message"] for p in prompts.params["prompts"]]


def test_assistant_thread_message_sets_status_and_title_and_gets_a_cited_answer(slack_api, panel_answer):
    dm, thread, answer = panel_answer
    status = slack_api.calls_to("assistant.threads.setStatus", channel_id=dm, thread_ts=thread)
    assert status and status[0].response["ok"] and status[0].params["status"] == STATUS
    assert status[0].params["loading_messages"] == LOADING_MESSAGES
    assert slack_api.calls.index(status[0]) < slack_api.calls.index(answer), (
        "the status shows before the answer"
    )
    title = slack_api.calls_to("assistant.threads.setTitle", channel_id=dm, thread_ts=thread)
    assert [t.params["title"] for t in title] == ["How do councils publish open data?"]
    blocks = answer.params["blocks"]
    assert "the almanac answers _How do councils publish open data?_" in block_texts(blocks, "markdown")[0]
    sources = next(t for t in block_texts(blocks, "section") if t.startswith("*Sources*"))
    assert "1. <https://www.camden.gov.uk/data-charter|Camden Council" in sources
    # The panel was opened beside #digital, so the answer can be shared there.
    share = buttons(blocks)[SHARE_TO_CHANNEL]
    assert json.loads(share["value"])["t"] == CHANNEL


def test_assistant_thread_follow_up_uses_the_thread_history(slack, slack_api, fake, panel_answer):
    dm, thread, first = panel_answer
    slack.panel_message(OFFICER, dm, thread, "Which councils have done it?")
    follow_up = replies_in(slack_api, dm, thread, 3)[2]
    history = asked(fake, "Which councils have done it?")[0].history
    assert [t.question for t in history] == ["How do councils publish open data?"]
    assert history[0].answer and history[0].answer.startswith("In short:")
    assert "Which councils have done it?" in block_texts(follow_up.params["blocks"], "markdown")[0]
    titles = slack_api.calls_to("assistant.threads.setTitle", channel_id=dm, thread_ts=thread)
    assert len(titles) == 1, "the title stays the thread's first question"


def test_assistant_thread_share_posts_the_answer_in_the_channel_beside_the_panel(
    slack, slack_api, panel_answer
):
    dm, thread, answer = panel_answer
    share = buttons(answer.params["blocks"])[SHARE_TO_CHANNEL]
    message = {"ts": answer.response["ts"], "thread_ts": thread}
    slack.press(OFFICER, share, channel={"id": dm}, container={"type": "message"}, message=message)
    shared = slack_api.wait_for("chat.postMessage", channel=CHANNEL)[-1]
    assert block_texts(shared.params["blocks"], "context")[0].startswith(f"<@{OFFICER}> asked the almanac")
    done = poll(
        lambda: [
            c for c in replies_in(slack_api, dm, thread) if c.params["text"] == f"Shared in <#{CHANNEL}>."
        ]
    )
    assert done


def test_assistant_thread_focus_prompt_leads_to_the_self_assessment(slack, slack_api):
    dm = "DPANEL003"
    thread = slack.thread_started("UPANEL003", dm, beside=None)
    slack.panel_message("UPANEL003", dm, thread, FOCUS_PROMPT)
    reply = replies_in(slack_api, dm, thread, 2)[1]
    assert "`/almanac assess data`" in reply.params["text"]


def final_update(slack_api, channel: str, timeout: float = 30.0):  # type: ignore[no-untyped-def]
    """The update that writes the whole answer (with its blocks): on a busy machine the updates before it, with
    the text so far, can be all that has arrived when the first is seen."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [c for c in slack_api.calls_to("chat.update", channel=channel) if "blocks" in c.params]
        if done:
            return done[-1]
        time.sleep(0.05)
    raise AssertionError(f"no chat.update with blocks in {channel} within {timeout}s")


@pytest.mark.parametrize("streaming", [True, False], ids=["stream", "post_then_update"])
def test_assistant_thread_llm_answer_is_written_into_the_panel(slack_api, stores, fake, tmp_path, streaming):
    slack_api.streaming = streaming
    try:
        with panel_bot(slack_api, stores, fake, tmp_path, llm="openai:test-model") as bot:
            dm = f"DPANELLM{int(streaming)}"
            thread = bot.thread_started("UPANEL004", dm)
            bot.panel_message("UPANEL004", dm, thread, "How should a council plan its data work?")
            if streaming:
                stop = slack_api.wait_for("chat.stopStream", channel=dm)[0]
                assert stop.response["ok"]
                assert slack_api.calls_to("chat.startStream", channel=dm, thread_ts=thread)
                message = stop.response["message"]
            else:
                update = final_update(slack_api, dm)
                message = {"text": update.params["text"], "blocks": update.params["blocks"]}
                posted = slack_api.calls_to("chat.postMessage", channel=dm, thread_ts=thread)[-1]
                assert posted.params["text"].startswith("**In short:**"), (
                    "the first words post before the rest"
                )
    finally:
        slack_api.streaming = True
    assert "How should a council plan its data work?" in message["text"]
    assert any(t.startswith("*Sources*") for t in block_texts(message["blocks"], "section"))


def test_app_home_opened_publishes_the_outcomes_and_recent_questions(slack, slack_api, panel_answer):
    dm = panel_answer[0]
    slack.event({"type": "app_home_opened", "user": OFFICER, "channel": dm, "tab": "home", "event_ts": "1.1"})
    published = slack_api.wait_for("views.publish", user_id=OFFICER)[-1]
    assert published.response["ok"]
    blocks = published.params["view"]["blocks"]
    outcome_buttons = [
        b["accessory"] for b in blocks if b.get("accessory", {}).get("action_id") == OUTCOME_ACTION
    ]
    assert [b["value"] for b in outcome_buttons] == list(OUTCOME_SLUGS)
    texts = " ".join(block_texts(blocks, "section"))
    assert "_How do councils publish open data?_\n:white_check_mark: answered with sources" in texts
    assert "On the web" not in texts, "no web links without ALMANAC_PUBLIC_URL"


def test_app_home_outcome_button_posts_its_questions_and_one_is_answered(slack, slack_api):
    user, dm = "UPANEL005", "DPANEL005"
    button = {"type": "button", "action_id": OUTCOME_ACTION, "value": "security-and-resilience"}
    slack.press(
        user, button, container={"type": "view", "view_id": "VHOME"}, view={"id": "VHOME", "type": "home"}
    )
    posted = slack_api.wait_for("chat.postMessage", channel=user)[0]
    texts = block_texts(posted.params["blocks"], "section")
    assert texts[0] == "Suggested questions about *Security and resilience*:"
    asks = [b["accessory"] for b in posted.params["blocks"] if "accessory" in b]
    assert len(asks) == 3 and all(a["action_id"] == ASK_ACTION for a in asks)
    assert all("security and resilience" in a["value"] for a in asks)
    slack.press(
        user,
        asks[0],
        channel={"id": dm},
        container={"type": "message"},
        response_url=slack_api.response_url("ask"),
    )
    answer = answer_in(slack_api, dm)
    assert asks[0]["value"] in block_texts(answer.params["blocks"], "markdown")[0]


def test_shortcut_answers_a_message_privately_and_share_posts_it(slack, slack_api):
    channel, colleague, user = "CSHORTCUT1", "UCOLLEAG9", "UPANEL006"
    question = "Has anyone written a data charter with residents?"
    ts = slack_api.add_user_message(channel, colleague, question)
    url = slack_api.response_url("shortcut")
    slack.interact(
        {
            "type": "message_action",
            "callback_id": CALLBACK_ID,
            "user": {"id": user},
            "channel": {"id": channel, "name": "data"},
            "message": {"type": "message", "user": colleague, "text": question, "ts": ts},
            "message_ts": ts,
            "response_url": url,
        }
    )
    private = slack_api.wait_for("response_url", path="/response/shortcut")[0]
    assert private.params["response_type"] == "ephemeral"
    assert question in block_texts(private.params["blocks"], "markdown")[0]
    assert not slack_api.calls_to("chat.postMessage", channel=channel), "nothing is posted before Share"
    share = buttons(private.params["blocks"])[SHARE]
    slack.click(user, share, channel=channel, response_url=url, ephemeral=True)
    shared = slack_api.wait_for("chat.postMessage", channel=channel)[0]
    assert block_texts(shared.params["blocks"], "context")[0] == f"<@{user}> asked: _{question}_"


MESSAGE_BLOCKS, VIEW_BLOCKS = 50, 100


def check_blocks(blocks: list[dict[str, Any]], limit: int) -> None:
    """Slack's limits: blocks per message or view, and each block's fields (slack_sdk's validators)."""
    assert 0 < len(blocks) <= limit, f"{len(blocks)} blocks (Slack allows {limit})"
    for block in blocks:
        parsed = Block.parse(block)
        assert parsed is not None, f"unknown block {block['type']}"
        parsed.validate_json()  # SlackObjectFormationError past a text, element or id limit
        for element in block.get("elements", []) + ([block["accessory"]] if "accessory" in block else []):
            if element.get("type") == "button":
                assert len(element["text"]["text"]) <= 75 and len(element.get("value", "")) <= 2000


def test_app_home_assistant_thread_and_shortcut_blocks_fit_slacks_limits(slack_api, tmp_path):
    long_question = "How should a council " + "plan its data work and " * 150
    payloads = [
        (
            home_view(
                make_settings(tmp_path, public_url="https://almanac.example.gov.uk"),
                [(long_question, "answered")] * 5,
            ),
            VIEW_BLOCKS,
        ),
        (home_view(make_settings(tmp_path), []), VIEW_BLOCKS),
    ]
    payloads += [({"blocks": outcome_questions_blocks(slug)}, MESSAGE_BLOCKS) for slug in OUTCOME_SLUGS]
    web = " ".join(block_texts(payloads[0][0]["blocks"], "section"))
    assert "https://almanac.example.gov.uk/assess" in web
    # Everything the bot sent the stand-in in this module, too.
    for call in list(slack_api.calls):
        if call.method == "views.publish":
            payloads.append((call.params["view"], VIEW_BLOCKS))
        elif call.params.get("blocks"):
            payloads.append(({"blocks": call.params["blocks"]}, MESSAGE_BLOCKS))
        if "text" in call.params:
            assert len(str(call.params["text"])) <= 40_000
        for prompt in call.params.get("prompts") or []:
            assert len(prompt["title"]) <= 75
    assert len(payloads) > 20
    for payload, limit in payloads:
        check_blocks(payload["blocks"], limit)


@pytest.mark.e2e
def test_assistant_thread_real_answer_cites_the_almanac(slack_api, stores, assistant, tmp_path):
    with panel_bot(slack_api, stores, assistant, tmp_path) as bot:
        dm = "DPANELREAL"
        thread = bot.thread_started("UPANEL007", dm)
        bot.panel_message("UPANEL007", dm, thread, "What is a data protection impact assessment for?")
        answer = replies_in(slack_api, dm, thread, 2)[1]
    blocks = answer.params["blocks"]
    sources = next(t for t in block_texts(blocks, "section") if t.startswith("*Sources*"))
    assert sources.count("\n") >= 1
    assert "[1]" in block_texts(blocks, "markdown")[0]
