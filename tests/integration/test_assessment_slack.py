"""`/almanac assess` in Slack: signed command and view submission to the real /slack/events, Web API calls
(views.open, chat.postEphemeral) to the local stand-in."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from fastapi import FastAPI

from bots.slack.assessment import CALLBACK_ID, WEIGHT_BLOCK
from bots.slack.http import slack_router
from bots.store import Stores, open_stores
from bots.store.assessments import AssessmentStore
from tests.conftest import make_settings
from tests.fakes import FakeAssistant
from tests.slack_api_server import BOT_TOKEN, TEAM_ID, SlackApiStandIn
from tests.slack_sender import CHANNEL, SIGNING_SECRET, SlackSender, poll, serve

PUBLIC_URL = "https://almanac.example.gov.uk"


class ViewsStandIn(SlackApiStandIn):
    """The stand-in plus views.open, checked against Slack's documented limits for modals."""

    def _views_open(self, params: dict[str, Any]) -> dict[str, Any]:
        view = params.get("view")
        view = json.loads(view) if isinstance(view, str) else view
        if not params.get("trigger_id"):
            return {"ok": False, "error": "invalid_trigger_id"}
        if not isinstance(view, dict) or view.get("type") != "modal":
            return {"ok": False, "error": "invalid_arguments"}
        problems = []
        if len(view["title"]["text"]) > 24 or len(view.get("private_metadata", "")) > 3000:
            problems.append("title or private_metadata too long")
        blocks = view.get("blocks", [])
        if len(blocks) > 100:
            problems.append("more than 100 blocks")
        if any(b["type"] == "input" for b in blocks) and "submit" not in view:
            problems.append("input blocks need a submit button")
        for block in blocks:
            if block["type"] == "section" and len(block["text"]["text"]) > 3000:
                problems.append("section text over 3000")
            if block["type"] == "input":
                if len(block["label"]["text"]) > 2000:
                    problems.append("label over 2000")
                for option in block["element"].get("options", []):
                    if len(option["text"]["text"]) > 75 or len(option["value"]) > 150:
                        problems.append(f"option text over 75: {option['text']['text']}")
        if problems:
            return {"ok": False, "error": "invalid_arguments", "response_metadata": {"messages": problems}}
        return {"ok": True, "view": {**view, "id": "VASSESS01", "state": {"values": {}}}}


@pytest.fixture(scope="module")
def slack_api() -> Iterator[ViewsStandIn]:
    stand_in = ViewsStandIn().start()
    yield stand_in
    stand_in.stop()


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Stores:
    return open_stores(make_settings(tmp_path_factory.mktemp("assess-slack-stores")))


@pytest.fixture(scope="module")
def slack(slack_api, stores, tmp_path_factory) -> Iterator[SlackSender]:
    settings = make_settings(
        tmp_path_factory.mktemp("assess-slack"),
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=slack_api.api_url,
        public_url=PUBLIC_URL,
    )
    api = FastAPI()
    api.include_router(slack_router(settings, FakeAssistant(settings), stores))
    base_url, server, thread = serve(api)
    try:
        yield SlackSender(base_url, slack_api)
    finally:
        server.should_exit = True
        thread.join(10)


def submit(slack: SlackSender, user: str, view: dict[str, Any], choices: dict[str, str]) -> Any:
    """Slack's view_submission for the opened view with the given radio choices (block id -> value)."""
    values = {
        block["block_id"]: {
            "level": {
                "type": "radio_buttons",
                "selected_option": (
                    {
                        "text": {"type": "plain_text", "text": choices[block["block_id"]]},
                        "value": choices[block["block_id"]],
                    }
                    if block["block_id"] in choices
                    else None
                ),
            }
        }
        for block in view["blocks"]
        if block["type"] == "input"
    }
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM_ID},
        "user": {"id": user, "team_id": TEAM_ID},
        "api_app_id": "AALMANAC1",
        "token": "legacy",
        "trigger_id": "1.2.5",
        "view": {**view, "state": {"values": values}},
    }
    return slack.post(urlencode({"payload": json.dumps(payload)}))


def test_command_opens_modal_and_submission_posts_the_result_privately(slack, slack_api, stores) -> None:
    ack = slack.command("UASSESS01", "assess data", response_url=slack_api.response_url("assess-1"))
    assert ack.status_code == 200
    (opened,) = slack_api.wait_for("views.open")
    assert opened.response["ok"], opened.response
    view = opened.response["view"]
    assert view["callback_id"] == CALLBACK_ID
    inputs = [b for b in view["blocks"] if b["type"] == "input"]
    assert [b["block_id"] for b in inputs][:2] == ["data-accountability", "data-sharing"]
    assert [o["value"] for o in inputs[0]["element"]["options"]] == [
        "starting",
        "developing",
        "established",
        "leading",
    ]
    assert "No one is accountable for data as a whole" in view["blocks"][1]["text"]["text"]
    time.sleep(0.2)
    assert not slack_api.calls_to("response_url"), "no chat answer is sent for the assessment command"

    choices = {
        "data-accountability": "starting",
        "data-sharing": "developing",
        "data-addresses": "starting",
        WEIGHT_BLOCK: "high",
    }
    assert submit(slack, "UASSESS01", view, choices).status_code == 200
    (posted,) = slack_api.wait_for("chat.postEphemeral", user="UASSESS01")
    assert posted.params["channel"] == CHANNEL and posted.params["text"] == "Data: Starting"
    blocks = posted.params["blocks"]
    message = blocks[0]["text"]["text"]
    assert "*Data: Starting* (3 of 6 statements answered)" in message
    assert "*Signs of Developing to aim for* [1]" in message and "*First steps*" in message
    steps = [line for line in message.splitlines() if line[:2] in {"1.", "2.", "3.", "4.", "5."}]
    assert 3 <= len(steps) <= 5 and all(line.rstrip().endswith("]") for line in steps)
    assert "*Case studies*" in message and "*Sources*" in blocks[1]["elements"][0]["text"]
    link = blocks[2]["elements"][0]["text"]
    assessment_id = link.split(f"{PUBLIC_URL}/assess/")[1].split("|")[0]
    saved = AssessmentStore(stores.conversations.database).get(assessment_id)
    assert saved is not None and saved.channel == "slack" and saved.data.weights == {"data": "high"}
    assert f"<{PUBLIC_URL}/assess?from={assessment_id}|Assess all 12 outcomes>" in link


def test_empty_submission_is_refused_with_a_field_error(slack, slack_api) -> None:
    slack.command("UASSESS02", "assess value", response_url=slack_api.response_url("assess-2"))

    def value_modal() -> list[Any]:
        calls = slack_api.calls_to("views.open")
        return [c for c in calls if json.loads(c.response["view"]["private_metadata"])["o"] == "value"]

    opened = poll(value_modal, what="the value modal")
    response = submit(slack, "UASSESS02", opened[0].response["view"], {})
    assert response.status_code == 200
    body = response.json()
    assert body["response_action"] == "errors" and "at least one statement" in next(
        iter(body["errors"].values())
    )
    time.sleep(0.2)
    assert not slack_api.calls_to("chat.postEphemeral", user="UASSESS02")


def test_unknown_or_missing_outcome_gets_usage(slack, slack_api) -> None:
    for text in ("assess", "assess dta"):
        ack = slack.command("UASSESS03", text, response_url=slack_api.response_url("assess-3"))
        body = ack.json()
        assert body["response_type"] == "ephemeral" and "`/almanac assess data`" in body["text"]
        assert f"<{PUBLIC_URL}/assess|the web self-assessment>" in body["text"]
    assert len(slack_api.calls_to("views.open")) <= 2
