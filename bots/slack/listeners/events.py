"""Mentions in channels and direct messages: acknowledged at once, answered by a lazy listener."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bots.assistants import AssistantProvider
from bots.slack.answering import answer_in_conversation
from bots.slack.questions import question_from
from bots.store import Stores


def register(app: App, assistants: AssistantProvider, stores: Stores) -> None:
    """Answer app_mention events and message.im events from people."""

    def acknowledge(ack: Ack) -> None:
        ack()

    def answer(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        question = question_from(body)
        if question is None:  # edits, joins, other bots' posts and the like
            return
        answer_in_conversation(
            question,
            assistants=assistants,
            conversations=stores.conversations,
            client=client,
            bot_user_id=context.bot_user_id,
            bot_id=context.bot_id,
        )

    # Every message event is matched, so none is logged as unhandled; answer() skips what is not a question.
    app.event("app_mention")(ack=acknowledge, lazy=[answer])
    app.event("message")(ack=acknowledge, lazy=[answer])
