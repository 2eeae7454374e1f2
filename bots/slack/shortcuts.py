"""The message shortcut "Ask the almanac": answers a message's text privately, with a button to share the
answer in the channel, so a colleague's question can be answered in two clicks.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bots.assistants import AssistantProvider
from bots.slack.answering import answer_command
from bots.slack.questions import SlackQuestion, clean_question
from bots.store import Stores

CALLBACK_ID = "almanac_ask_about_message"
NO_TEXT = "That message has no text I can answer. Try the shortcut on a message with a question in it."


def register(app: App, assistants: AssistantProvider, stores: Stores) -> None:
    """Answer the message a user ran the shortcut on, privately (the Share button posts it in the channel)."""

    def acknowledge(ack: Ack) -> None:
        ack()

    def answer(body: dict[str, Any], respond: Respond, context: BoltContext) -> None:
        message = body.get("message") or {}
        text = clean_question(str(message.get("text") or ""), context.bot_user_id)
        if not text:
            respond(text=NO_TEXT, response_type="ephemeral")
            return
        question = SlackQuestion(
            "command",  # answered privately, in a conversation of its own
            str(body.get("user", {}).get("id") or ""),
            str(body.get("channel", {}).get("id") or ""),
            text,
        )
        answer_command(question, assistants=assistants, conversations=stores.conversations, respond=respond)

    app.shortcut(CALLBACK_ID)(ack=acknowledge, lazy=[answer])
