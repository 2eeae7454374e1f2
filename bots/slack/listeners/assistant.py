"""Slack's assistant panel through bolt's Assistant: new threads, messages in them, and sharing an answer in
the channel the panel was opened beside.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, App, Assistant, BoltContext, Say, SetStatus, SetSuggestedPrompts, SetTitle
from slack_bolt.context.get_thread_context import GetThreadContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bots.assistants import AssistantProvider
from bots.slack.ai_panel import (
    GREETING,
    LOADING_MESSAGES,
    PROMPTS_TITLE,
    SHARE_TO_CHANNEL,
    STARTING_PROMPTS,
    STATUS,
    PanelReply,
    answer_in_panel,
    context_channel,
    shared_note,
    title_for,
)
from bots.slack.answering import APOLOGY, HELP
from bots.slack.blocks import answer_blocks, fallback_text
from bots.slack.listeners.actions import CANNOT_SHARE, EXPIRED
from bots.slack.questions import clean_question, question_from, thread_history
from bots.store import Stores

log = logging.getLogger("almanac.slack")


def _quietly(what: str, call: Any, *args: Any, **kwargs: Any) -> Any:
    """A panel nicety (status, title, context); a refusal from Slack must not stop the answer."""
    try:
        return call(*args, **kwargs)
    except SlackApiError as exc:
        log.info("%s failed: %s", what, exc.response.get("error"))
        return None


def register(app: App, assistants: AssistantProvider, stores: Stores) -> None:
    """Attach the assistant panel's listeners (bolt's Assistant middleware) and the share-to-channel button."""
    panel = Assistant(logger=log)

    @panel.thread_started
    def start(say: Say, set_suggested_prompts: SetSuggestedPrompts) -> None:
        say(GREETING)
        _quietly(
            "assistant.threads.setSuggestedPrompts", set_suggested_prompts, STARTING_PROMPTS, PROMPTS_TITLE
        )

    @panel.user_message
    def answer(
        body: dict[str, Any],
        client: WebClient,
        context: BoltContext,
        set_status: SetStatus,
        set_title: SetTitle,
        get_thread_context: GetThreadContext,
    ) -> None:
        question = question_from(body)
        if question is None or not question.thread_ts:
            return
        reply = PanelReply(
            client, question.channel, question.thread_ts, team=context.team_id, user=question.user
        )
        text = clean_question(question.text, context.bot_user_id)
        if not text:
            reply.post(HELP)
            return
        _quietly("assistant.threads.setStatus", set_status, STATUS, loading_messages=LOADING_MESSAGES)
        try:
            history = thread_history(
                question,
                client=client,
                conversations=stores.conversations,
                bot_user_id=context.bot_user_id,
                bot_id=context.bot_id,
                max_turns=assistants.settings.conversation_max_turns,
            )
            if not history:
                _quietly("assistant.threads.setTitle", set_title, title_for(text))
            share_channel = context_channel(_quietly("reading the thread context", get_thread_context))
            answer_in_panel(
                reply,
                text,
                history=history,
                assistants=assistants,
                conversations=stores.conversations,
                share_channel=share_channel,
            )
        except Exception:  # noqa: BLE001 - the asker gets an apology, not a trace
            log.exception("failed to answer in the assistant panel")
            _quietly("assistant.threads.setStatus", set_status, "")
            _quietly("chat.postMessage", reply.post, APOLOGY)

    def share_to_channel(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        try:
            data = json.loads(str(action.get("value", "")))
            message_id, target = str(data["m"]), str(data["t"])
        except (TypeError, KeyError, json.JSONDecodeError):
            log.warning("share-to-channel button with an unknown value")
            return
        here = str(body.get("channel", {}).get("id") or "")
        thread = (body.get("message") or {}).get("thread_ts")
        turn = stores.conversations.turn(message_id)
        if turn is None:
            _quietly(
                "chat.postMessage", client.chat_postMessage, channel=here, thread_ts=thread, text=EXPIRED
            )
            return
        user = str(body.get("user", {}).get("id") or "")
        note = shared_note(user, turn.answer.question)
        try:
            client.chat_postMessage(
                channel=target,
                text=fallback_text(turn.answer),
                blocks=answer_blocks(turn.answer, note=note, public_url=assistants.settings.public_url),
            )
            done = f"Shared in <#{target}>."
        except SlackApiError as exc:
            log.info("could not share a panel answer in %s: %s", target, exc.response.get("error"))
            done = CANNOT_SHARE
        _quietly("chat.postMessage", client.chat_postMessage, channel=here, thread_ts=thread, text=done)

    app.use(panel)
    app.action(SHARE_TO_CHANNEL)(share_to_channel)
