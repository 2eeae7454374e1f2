"""Answering in Slack: show progress, ask the Assistant, post Block Kit; failures become short apologies."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from assistant.answer import Answer, Turn
from assistant.errors import AlmanacError
from assistant.guards import redact
from bots.assistants import AssistantProvider
from bots.slack.blocks import answer_blocks, escape, fallback_text
from bots.slack.questions import SlackQuestion, clean_question, thread_history
from bots.store import ConversationStore

log = logging.getLogger("almanac.slack")

SEARCHING = ":mag: Searching the almanac..."
PROGRESS_REACTION = "eyes"
HELP = (
    "Ask me a question about council digitalisation, for example: "
    "_How can a council start a data strategy?_ Mention me in a channel, message me directly, "
    "or use `/almanac <question>`."
)
APOLOGY = "Sorry, something went wrong while I was answering. Please try again in a minute."
NOT_READY = (
    "Sorry, I can't search the almanac right now: it isn't set up yet. "
    "Please let whoever runs the Almanac bot know."
)
RATE_LIMITED = (
    "You're asking questions faster than I can keep up with ({limit} a minute). "
    "Please wait a minute and ask again."
)


def too_long(limit: int) -> str:
    return f"That question is too long for me: please keep it under {limit} characters."


def answer_or_message(
    assistants: AssistantProvider, question: str, history: Sequence[Turn] | None = None
) -> tuple[Answer | None, str | None]:
    """The Assistant's answer, or the short message to show instead (help, too long, apology).

    The Assistant is built here, on the first question, not when the bot is set up.
    """
    if not question:
        return None, HELP
    limit = assistants.settings.max_question_chars
    if len(question) > limit:
        return None, too_long(limit)
    try:
        return assistants.get().ask(question, history=list(history or [])), None
    except AlmanacError:
        log.exception("almanac not ready for question=%r", redact(question))
        return None, NOT_READY
    except Exception:  # noqa: BLE001 - whatever went wrong, the asker gets an apology, not a trace
        log.exception("failed to answer question=%r", redact(question))
        return None, APOLOGY


def add_progress_reaction(client: WebClient, question: SlackQuestion) -> None:
    """React to the question at once; a missing reactions:write scope must not stop the answer."""
    if not question.ts:
        return
    try:
        client.reactions_add(channel=question.channel, timestamp=question.ts, name=PROGRESS_REACTION)
    except SlackApiError as exc:
        log.info("reactions.add failed: %s", exc.response.get("error"))


def answer_in_conversation(
    question: SlackQuestion,
    *,
    assistants: AssistantProvider,
    conversations: ConversationStore,
    client: WebClient,
    bot_user_id: str | None,
    bot_id: str | None,
) -> None:
    """Answer a mention or DM where it was asked: a progress message updated in place with the answer."""
    add_progress_reaction(client, question)
    text = clean_question(question.text, bot_user_id)
    thread = question.reply_thread
    try:
        placeholder = client.chat_postMessage(channel=question.channel, thread_ts=thread, text=SEARCHING)
    except SlackApiError as exc:
        log.error("cannot post in %s: %s", question.channel, exc.response.get("error"))
        return
    placeholder_ts = placeholder["ts"]
    try:
        history = thread_history(
            question,
            client=client,
            conversations=conversations,
            bot_user_id=bot_user_id,
            bot_id=bot_id,
            max_turns=assistants.settings.conversation_max_turns,
        )
        answer, message = answer_or_message(assistants, text, history)
        if answer is None:
            client.chat_update(channel=question.channel, ts=placeholder_ts, text=message or APOLOGY)
            return
        conversations.record_turn(question.conversation_id(), answer)
        client.chat_update(
            channel=question.channel,
            ts=placeholder_ts,
            text=fallback_text(answer),
            blocks=answer_blocks(answer, public_url=assistants.settings.public_url),
        )
    except Exception:  # noqa: BLE001 - never leave "Searching..." behind or show a trace
        log.exception("failed to post an answer in %s", question.channel)
        try:
            client.chat_update(channel=question.channel, ts=placeholder_ts, text=APOLOGY)
        except SlackApiError:
            log.exception("could not post the apology either")


def answer_command(
    question: SlackQuestion,
    *,
    assistants: AssistantProvider,
    conversations: ConversationStore,
    respond: Callable[..., Any],
) -> None:
    """Answer `/almanac <question>` privately, with a button to share the answer in the channel."""
    text = clean_question(question.text)
    try:
        answer, message = answer_or_message(assistants, text)
        if answer is None:
            respond(text=message or APOLOGY, response_type="ephemeral")
            return
        conversations.record_turn(question.conversation_id(), answer)
        note = f"You asked: _{escape(text)}_"
        respond(
            text=fallback_text(answer),
            blocks=answer_blocks(
                answer, note=note, shareable=True, public_url=assistants.settings.public_url
            ),
            response_type="ephemeral",
        )
    except Exception:  # noqa: BLE001 - the asker gets an apology, not a trace
        log.exception("failed to answer a slash command")
        respond(text=APOLOGY, response_type="ephemeral")
