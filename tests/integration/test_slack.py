"""The Slack bot: signed requests to the real /slack/events, Web API calls to a local stand-in.

Most tests answer with the FakeAssistant (tests/fakes.py), so they check the Slack layer in seconds; the
`e2e` tests answer from the real index with the real model.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from fastapi import FastAPI
from slack_sdk.signature import SignatureVerifier

from assistant.errors import ConfigError
from assistant.outcomes import OUTCOMES
from bots.slack.answering import APOLOGY, NOT_READY
from bots.slack.blocks import FEEDBACK_DOWN, SHARE
from bots.slack.http import slack_router
from bots.slack.questions import COMMAND
from bots.slack.socket_mode import (
    connect_or_explain,
    run_socket_mode,
    socket_mode_handler,
    start_socket_mode_thread,
)
from bots.store import Stores, open_stores
from bots.web.app import create_app
from tests.conftest import make_settings
from tests.fakes import FakeAssistant
from tests.slack_api_server import APP_TOKEN, BOT_ID, BOT_TOKEN, BOT_USER_ID, Call, SlackApiStandIn
from tests.slack_sender import (
    CHANNEL,
    SIGNING_SECRET,
    SlackSender,
    answer_in,
    block_texts,
    buttons,
    event_body,
    serve,
)
from tests.slack_socket_server import SocketModeStandIn

OUTCOME_NAMES = {o.name for o in OUTCOMES}
OFF_TOPIC = "Will it rain tomorrow in Leeds?"


@pytest.fixture(scope="module")
def slack_api() -> Iterator[SlackApiStandIn]:
    stand_in = SlackApiStandIn().start()
    yield stand_in
    stand_in.stop()


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Stores:
    return open_stores(make_settings(tmp_path_factory.mktemp("slack-stores")))


def bot_settings(data_dir: Path, slack_api: SlackApiStandIn, **overrides):
    values = {
        "slack_bot_token": BOT_TOKEN,
        "slack_signing_secret": SIGNING_SECRET,
        "slack_api_url": slack_api.api_url,
        "rate_limit_per_minute": 2,
        **overrides,
    }
    return make_settings(data_dir, **values)


@contextmanager
def running_bot(slack_api, stores, assistant, data_dir: Path) -> Iterator[SlackSender]:
    """The real router in a real FastAPI app under uvicorn, its WebClient pointed at the stand-in."""
    api = FastAPI()
    api.include_router(slack_router(bot_settings(data_dir, slack_api), assistant, stores))
    base_url, server, thread = serve(api)
    try:
        yield SlackSender(base_url, slack_api)
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def fake(tmp_path_factory) -> FakeAssistant:
    return FakeAssistant(make_settings(tmp_path_factory.mktemp("slack-fake")), refuse={OFF_TOPIC})


@pytest.fixture(scope="module")
def slack(slack_api, stores, fake, tmp_path_factory) -> Iterator[SlackSender]:
    with running_bot(slack_api, stores, fake, tmp_path_factory.mktemp("slack-bot")) as sender:
        yield sender


@pytest.fixture(scope="module")
def real_slack(slack_api, stores, assistant, tmp_path_factory) -> Iterator[SlackSender]:
    with running_bot(slack_api, stores, assistant, tmp_path_factory.mktemp("slack-real")) as sender:
        yield sender


@pytest.fixture(scope="module")
def mention_answer(slack, slack_api) -> tuple[str, Call]:
    """A council officer mentions the bot in a channel; the question's ts and the answer's chat.update."""
    ts = slack.mention("UOFFICER1", "How can a council start a *data strategy*?")
    return ts, answer_in(slack_api, CHANNEL, thread_ts=ts)


def asked(fake: FakeAssistant, question: str):
    return [a for a in fake.asked if a.question == question]


def outcomes_line(update: Call) -> str:
    return next((t for t in block_texts(update.params["blocks"], "context") if "Relevant outcomes" in t), "")


# The Slack layer, answering with the fake


def test_mention_is_answered_in_its_thread_with_sources_and_outcomes(slack_api, mention_answer, stores):
    ts, update = mention_answer
    reaction = slack_api.calls_to("reactions.add", channel=CHANNEL, timestamp=ts)
    assert reaction and reaction[0].response["ok"], "the question gets a reaction at once"
    assert slack_api.calls.index(reaction[0]) < slack_api.calls.index(update)
    blocks = update.params["blocks"]
    value = json.loads(buttons(blocks)[FEEDBACK_DOWN]["value"])
    assert value["c"] == f"slack:{CHANNEL}:{ts}"
    turn = stores.conversations.turn(value["m"])
    assert turn is not None and turn.question == "How can a council start a *data strategy*?"
    # The answer's own Markdown goes in a markdown block, as written; the notification text is plain.
    assert block_texts(blocks, "markdown") == [turn.answer.text]
    assert update.params["text"].startswith("In short:") and "**" not in update.params["text"]
    names = outcomes_line(update).removeprefix("*Relevant outcomes:*").split(" · ")
    assert [n.strip() for n in names] == ["Data"]
    sources = next(t for t in block_texts(blocks, "section") if t.startswith("*Sources*"))
    assert sources.splitlines()[1:] == [
        "1. <https://www.camden.gov.uk/data-charter|Camden Council: a data charter written with residents, "
        "What they did> · _Reviewed 1 Dec 2026_",
        "2. Data, Where to start · _Reviewed 15 Nov 2026_",
    ]
    assert SHARE not in buttons(blocks), "an answer everyone can see has nothing to share"


def test_feedback_click_is_stored_in_the_shared_store(slack, slack_api, mention_answer, stores):
    ts, update = mention_answer
    button = buttons(update.params["blocks"])[FEEDBACK_DOWN]
    response = slack.click(
        "UREADER01", button, channel=CHANNEL, response_url=slack_api.response_url("rate-1")
    )
    assert response.status_code == 200
    thanks = slack_api.wait_for("response_url", path="/response/rate-1")[0]
    assert thanks.params["response_type"] == "ephemeral" and "Thanks" in thanks.params["text"]
    row = next(r for r in stores.feedback.recent() if r["user"] == "UREADER01")
    assert (row["channel"], row["rating"], row["conversation_id"]) == (
        "slack",
        "down",
        f"slack:{CHANNEL}:{ts}",
    )
    assert row["question"] == "How can a council start a *data strategy*?"
    assert row["answer_status"] == "answered"


def test_direct_messages_are_answered_with_history_and_bots_are_ignored(slack, slack_api, fake):
    dm = "DOFFICER02"
    slack.dm(BOT_USER_ID, "Searching the almanac...", channel=dm, bot_id=BOT_ID)  # the bot's own post
    slack.dm("UOTHERBOT", "Deploy finished", channel=dm, bot_id="BOTHER001", subtype="bot_message")
    slack.dm("UOFFICER2", "edited", channel=dm, subtype="message_changed")
    slack.dm("UOFFICER2", "How can a council improve broadband in rural areas?", channel=dm)
    answer_in(slack_api, dm)
    slack.dm("UOFFICER2", "Which councils have done it?", channel=dm)
    answer_in(slack_api, dm, nth=2)
    (follow_up,) = asked(fake, "Which councils have done it?")
    assert [t.question for t in follow_up.history] == ["How can a council improve broadband in rural areas?"]
    assert follow_up.history[0].answer.startswith("**In short:**"), "DMs keep history, answers included"
    assert all("thread_ts" not in c.params for c in slack_api.calls_to("chat.postMessage", channel=dm))
    time.sleep(0.3)  # the ignored events ran in parallel with the answers; give a wrong answer time to show
    assert len(slack_api.calls_to("chat.postMessage", channel=dm)) == 2
    assert not asked(fake, "Deploy finished") and not asked(fake, "edited")


def test_slash_command_is_private_and_share_posts_in_the_channel(slack, slack_api):
    channel = "CSHARE0001"
    ack = slack.command(
        "UOFFICER3", "How do councils webcast their meetings?", response_url=slack_api.response_url("cmd-1")
    )
    assert ack.status_code == 200
    assert ack.json()["response_type"] == "ephemeral" and "Searching the almanac" in ack.json()["text"]
    private = slack_api.wait_for("response_url", path="/response/cmd-1")[0].params
    assert private["response_type"] == "ephemeral"
    assert "You asked: _How do councils webcast their meetings?_" in block_texts(private["blocks"], "context")
    assert not slack_api.calls_to("chat.postMessage", channel=channel)
    share = buttons(private["blocks"])[SHARE]
    response = slack.click(
        "UOFFICER3", share, channel=channel, response_url=slack_api.response_url("share-1"), ephemeral=True
    )
    assert response.status_code == 200
    posted = slack_api.wait_for("chat.postMessage", channel=channel)[0].params
    assert block_texts(posted["blocks"], "markdown") == block_texts(private["blocks"], "markdown")
    assert block_texts(posted["blocks"], "section") == block_texts(private["blocks"], "section")
    assert "<@UOFFICER3> asked: _How do councils webcast their meetings?_" in block_texts(
        posted["blocks"], "context"
    )
    assert SHARE not in buttons(posted["blocks"])
    done = slack_api.wait_for("response_url", path="/response/share-1")[0].params
    assert done["replace_original"] is True and "Shared" in done["text"]
    slack_api.refused_channels.add("GPRIVATE01")
    slack.click("UOFFICER3", share, channel="GPRIVATE01", response_url=slack_api.response_url("share-2"))
    refused = slack_api.wait_for("response_url", path="/response/share-2")[0].params
    assert "Invite me" in refused["text"] and refused["replace_original"] is False


def test_request_url_check_is_answered(slack):
    body = json.dumps({"token": "legacy", "challenge": "almanac-challenge", "type": "url_verification"})
    response = slack.post(body)
    assert response.status_code == 200 and response.json() == {"challenge": "almanac-challenge"}


def test_follow_up_in_a_thread_sends_the_thread_as_history(slack, slack_api, stores, fake):
    first = slack.mention("UOFFICER4", "How do councils share data safely?")
    answer_in(slack_api, CHANNEL, thread_ts=first)
    slack.mention("UCOLLEAG4", "Which councils have done it?", thread_ts=first)
    answer_in(slack_api, CHANNEL, thread_ts=first, nth=2)
    assert slack_api.calls_to("conversations.replies", channel=CHANNEL, ts=first)
    fresh_ts = slack.mention("UOFFICER5", "Which councils have done it?")
    answer_in(slack_api, CHANNEL, thread_ts=fresh_ts)
    in_thread, fresh = asked(fake, "Which councils have done it?")[-2:]
    assert [t.question for t in in_thread.history] == ["How do councils share data safely?"]
    assert in_thread.history[0].answer.startswith("In short:"), "the bot's reply, read back from the thread"
    assert fresh.history == [], "the same words on their own start afresh"
    assert [t.question for t in stores.conversations.history(f"slack:{CHANNEL}:{first}")] == [
        "How do councils share data safely?",
        "Which councils have done it?",
    ]


def test_retried_event_is_answered_once(slack, slack_api):
    channel = "CRETRY0001"
    text = f"<@{BOT_USER_ID}> What is the Local Government Transparency Code?"
    ts = slack_api.add_user_message(channel, "UOFFICER6", text)
    event = {"type": "app_mention", "user": "UOFFICER6", "text": text, "ts": ts, "channel": channel}
    body = slack.event_body(event, event_id="EvRETRY0001")
    assert slack.post(body).status_code == 200
    answer_in(slack_api, channel, thread_ts=ts)
    for attempt in ("1", "2"):
        retry = slack.post(
            body, headers={"X-Slack-Retry-Num": attempt, "X-Slack-Retry-Reason": "http_timeout"}
        )
        assert retry.status_code == 200
    time.sleep(0.5)  # a second answer would start at once, in parallel
    assert len(slack_api.calls_to("chat.postMessage", channel=channel)) == 1
    assert len(slack_api.calls_to("reactions.add", channel=channel)) == 1


def test_bad_or_stale_signature_is_rejected(slack, slack_api):
    channel = "CFORGED001"
    event = {
        "type": "app_mention",
        "user": "UATTACKER",
        "text": f"<@{BOT_USER_ID}> hi",
        "ts": "1.000001",
        "channel": channel,
    }
    body = slack.event_body(event)
    assert slack.post(body, signature="v0=" + "0" * 64).status_code == 401
    assert slack.post(body, timestamp=int(time.time()) - 10 * 60).status_code == 401
    other_secret = SignatureVerifier("not-the-secret").generate_signature(
        timestamp=str(int(time.time())), body=body
    )
    assert slack.post(body, signature=other_secret).status_code == 401
    time.sleep(0.3)
    assert not [c for c in slack_api.calls if c.params.get("channel") == channel]


def test_out_of_scope_question_gets_the_refusal_formatted(slack, slack_api):
    ts = slack.mention("UOFFICER7", OFF_TOPIC)
    blocks = answer_in(slack_api, CHANNEL, thread_ts=ts).params["blocks"]
    (text,) = block_texts(blocks, "markdown")
    assert text.startswith("The almanac doesn't cover that.")
    assert "**Connectivity** and **Data**" in text, "the outcomes it points to are bold"
    assert not any(t.startswith("*Sources*") for t in block_texts(blocks, "section"))
    assert not any("Relevant outcomes" in t for t in block_texts(blocks, "context"))
    assert FEEDBACK_DOWN in buttons(blocks), "refusals can be rated too"


def test_fast_askers_get_a_friendly_rate_limit_message(slack, slack_api):
    dm = "DOFFICER08"
    slack.dm("UOFFICER8", "How can councils tackle digital exclusion?", channel=dm)
    slack.dm("UOFFICER8", "What is a digital inclusion strategy?", channel=dm)
    slack.dm("UOFFICER8", "And what about older residents?", channel=dm)
    note = slack_api.wait_for("chat.postEphemeral", channel=dm, user="UOFFICER8")[0]
    assert "wait a minute" in note.params["text"] and "2 a minute" in note.params["text"]
    command = slack.command(
        "UOFFICER8", "What is open data?", response_url=slack_api.response_url("cmd-limit")
    )
    assert command.status_code == 200 and "wait a minute" in command.json()["text"]
    slack_api.wait_for("chat.update", count=2, channel=dm)
    time.sleep(0.3)
    assert len(slack_api.calls_to("chat.postMessage", channel=dm)) == 2
    assert not slack_api.calls_to("response_url", path="/response/cmd-limit")


@pytest.mark.parametrize(
    ("failure", "channel", "message"),
    [
        ({"fail_with": RuntimeError("disk on fire")}, "CBROKEN001", APOLOGY),
        ({"chunks": 0}, "CEMPTY0001", NOT_READY),
    ],
    ids=["internal-error", "empty-index"],
)
def test_a_failure_becomes_a_short_apology(slack_api, stores, tmp_path, failure, channel, message):
    broken = FakeAssistant(make_settings(tmp_path / "broken"), **failure)
    with running_bot(slack_api, stores, broken, tmp_path) as sender:
        ts = sender.mention("UOFFICER9", "How can a council start a data strategy?", channel=channel)
        update = answer_in(slack_api, channel, thread_ts=ts)
    assert broken.asked, "the question reached the assistant and failed there"
    assert update.params["text"] == message and "blocks" not in update.params
    assert "disk on fire" not in update.params["text"] and str(tmp_path) not in update.params["text"]


def test_slack_rate_limits_are_retried_after_the_wait_it_names(slack, slack_api):
    channel = "CTHROTTLE1"
    slack_api.throttled["chat.update"] = 1
    ts = slack.mention("UOFFICER10", "What is a digital inclusion strategy?", channel=channel)
    answer_in(slack_api, channel, thread_ts=ts)
    refused, accepted = slack_api.wait_for("chat.update", count=2, channel=channel)
    assert refused.response == {"ok": False, "error": "ratelimited"}
    assert accepted.response["ok"] and accepted.params["blocks"] == refused.params["blocks"]


def test_mounting_slack_on_the_web_app_leaves_the_model_unloaded(slack_api, stores, tmp_path):
    settings = bot_settings(tmp_path, slack_api)
    built: list[FakeAssistant] = []

    def build(settings):
        built.append(FakeAssistant(settings))
        return built[-1]

    app = create_app(settings, stores=stores, build=build)
    assert not built and not app.state.assistants.loaded
    base_url, server, thread = serve(app, lifespan="off")  # no warm-up: only a question may build it
    try:
        sender = SlackSender(base_url, slack_api)
        body = json.dumps({"token": "legacy", "challenge": "lazy", "type": "url_verification"})
        assert sender.post(body).json() == {"challenge": "lazy"}
        assert not built
        channel = "CLAZY00001"
        ts = sender.mention("UOFFICER11", "What is open data?", channel=channel)
        answer_in(slack_api, channel, thread_ts=ts)
        assert len(built) == 1 and [a.question for a in built[0].asked] == ["What is open data?"]
    finally:
        server.should_exit = True
        thread.join(10)


def test_manifest_subscribes_to_what_the_bot_handles():
    manifest = yaml.safe_load((Path(__file__).parents[2] / "bots/slack/manifest.yaml").read_text())
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == [COMMAND]
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == {
        "app_mention",
        "message.im",
        "app_home_opened",
        "assistant_thread_started",
        "assistant_thread_context_changed",
    }
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["features"]["app_home"]["messages_tab_read_only_enabled"] is False
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    needed = {
        "app_mentions:read",
        "chat:write",
        "commands",
        "im:history",
        "channels:history",
        "reactions:write",
        "assistant:write",
    }
    assert needed <= scopes
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert "assistant_view" in manifest["features"]
    assert [s["callback_id"] for s in manifest["features"]["shortcuts"]] == ["almanac_ask_about_message"]


def test_socket_mode_answers_events_and_commands_without_a_public_url(slack_api, stores, fake, tmp_path):
    socket_mode = SocketModeStandIn().start()
    slack_api.socket_mode_url = socket_mode.url
    settings = make_settings(
        tmp_path, slack_bot_token=BOT_TOKEN, slack_app_token=APP_TOKEN, slack_api_url=slack_api.api_url
    )
    thread = start_socket_mode_thread(settings, fake, stores)
    try:
        assert thread.connected.wait(20), "the bot connected through apps.connections.open"
        socket_mode.wait_connected()
        channel = "CSOCKET001"
        text = f"<@{BOT_USER_ID}> What does good digital leadership look like?"
        ts = slack_api.add_user_message(channel, "USOCKET01", text)
        payload = event_body(
            {"type": "app_mention", "user": "USOCKET01", "text": text, "ts": ts, "channel": channel},
            "EvSOCKET0001",
        )
        socket_mode.wait_ack(socket_mode.send("events_api", payload))
        update = answer_in(slack_api, channel, thread_ts=ts)
        assert any(t.startswith("*Sources*") for t in block_texts(update.params["blocks"], "section"))
        socket_mode.wait_ack(socket_mode.send("events_api", payload, retry_attempt=1))
        command = {
            "command": COMMAND,
            "text": "What is open data?",
            "user_id": "USOCKET02",
            "channel_id": channel,
            "team_id": "TCOUNCIL1",
            "response_url": slack_api.response_url("sock"),
        }
        ack = socket_mode.wait_ack(socket_mode.send("slash_commands", command))
        assert ack["payload"]["response_type"] == "ephemeral"
        private = slack_api.wait_for("response_url", path="/response/sock")[0].params
        assert SHARE in buttons(private["blocks"])
        assert len(slack_api.calls_to("chat.postMessage", channel=channel)) == 1, "the retry was not answered"
    finally:
        thread.stop()
        socket_mode.stop()


def test_socket_mode_names_the_missing_or_rejected_token(slack_api, stores, fake, tmp_path):
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN and SLACK_APP_TOKEN are not set"):
        run_socket_mode(make_settings(tmp_path))
    with pytest.raises(ConfigError, match=r"^SLACK_APP_TOKEN is not set"):
        run_socket_mode(make_settings(tmp_path, slack_bot_token=BOT_TOKEN))
    for bot_token, app_token, named in [
        ("xoxb-revoked", APP_TOKEN, "SLACK_BOT_TOKEN"),
        (BOT_TOKEN, "xapp-revoked", "SLACK_APP_TOKEN"),
    ]:
        settings = make_settings(
            tmp_path, slack_bot_token=bot_token, slack_app_token=app_token, slack_api_url=slack_api.api_url
        )
        with pytest.raises(ConfigError, match=f"Slack rejected {named} \\(invalid_auth\\)"):
            connect_or_explain(socket_mode_handler(settings, fake, stores), settings)


# End to end: the real model and the real index


@pytest.mark.e2e
def test_real_mention_is_answered_with_sources_and_outcomes(real_slack, slack_api):
    channel = "CREAL00001"
    ts = real_slack.mention("UREAL0001", "How can a council start a data strategy?", channel=channel)
    blocks = answer_in(slack_api, channel, thread_ts=ts).params["blocks"]
    (text,) = block_texts(blocks, "markdown")
    assert "[1]" in text
    names = outcomes_line(answer_in(slack_api, channel, thread_ts=ts)).removeprefix("*Relevant outcomes:*")
    assert "Data" in names and {n.strip() for n in names.split(" · ")} <= OUTCOME_NAMES
    sources = next(t for t in block_texts(blocks, "section") if t.startswith("*Sources*"))
    assert "\n1. " in sources and "corpus/" not in sources and "Reviewed " in sources


@pytest.mark.e2e
def test_real_follow_up_in_a_thread_stays_on_its_subject(real_slack, slack_api):
    channel = "CREAL00002"
    first = real_slack.mention(
        "UREAL0002", "How can a council improve broadband in rural areas?", channel=channel
    )
    answer_in(slack_api, channel, thread_ts=first)
    real_slack.mention("UREAL0003", "Which councils have done it?", thread_ts=first, channel=channel)
    follow_up = answer_in(slack_api, channel, thread_ts=first, nth=2)
    fresh_ts = real_slack.mention("UREAL0004", "Which councils have done it?", channel=channel)
    fresh = answer_in(slack_api, channel, thread_ts=fresh_ts)
    assert "Connectivity" in outcomes_line(follow_up), (
        "the follow-up is about the thread's subject, broadband"
    )
    assert "Connectivity" not in outcomes_line(fresh), "the same words on their own are not"
