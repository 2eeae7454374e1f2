"""Questions asked in Slack: who asked what, where, and the earlier turns of their thread."""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass
from typing import Any, Literal

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from assistant.answer import Turn
from bots.store import ConversationStore
from bots.store.conversations import new_id

log = logging.getLogger("almanac.slack")

COMMAND = "/almanac"
Kind = Literal["mention", "dm", "command"]
# Message subtypes that are still a person writing; edits, joins and bot posts are not questions.
QUESTION_SUBTYPES = {None, "thread_broadcast", "file_share"}

_USER_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_CHANNEL_REF = re.compile(r"<#[A-Z0-9]+(?:\|([^>]*))?>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<![^>]*>")


@dataclass
class SlackQuestion:
    """One question: the asker, the conversation it belongs to and the raw Slack text."""

    kind: Kind
    user: str
    channel: str
    text: str
    ts: str | None = None
    thread_ts: str | None = None

    @property
    def reply_thread(self) -> str | None:
        """The thread to answer in: a mention always gets one; a DM only when the asker used one."""
        if self.kind == "mention":
            return self.thread_ts or self.ts
        return self.thread_ts

    @property
    def in_existing_thread(self) -> bool:
        return bool(self.thread_ts) and self.thread_ts != self.ts

    def conversation_id(self) -> str:
        """The stored conversation: one per thread, and one for a DM's top level."""
        if self.kind == "command":
            return f"slack:{self.channel}:command:{new_id()}"
        return f"slack:{self.channel}:{self.reply_thread or 'dm'}"


def question_from(body: dict[str, Any]) -> SlackQuestion | None:
    """The question a request asks, or None when it is not a question from a person."""
    if body.get("command") == COMMAND:
        return SlackQuestion(
            "command",
            str(body.get("user_id", "")),
            str(body.get("channel_id", "")),
            str(body.get("text") or ""),
        )
    event = body.get("event")
    if body.get("type") != "event_callback" or not isinstance(event, dict):
        return None
    if event.get("bot_id") or event.get("subtype") not in QUESTION_SUBTYPES or not event.get("user"):
        return None
    channel = str(event.get("channel", ""))
    if event.get("type") == "app_mention" and not channel.startswith("D"):
        kind: Kind = "mention"
    elif event.get("type") == "message" and event.get("channel_type") == "im":
        kind = "dm"
    else:
        return None
    return SlackQuestion(
        kind,
        str(event["user"]),
        channel,
        str(event.get("text") or ""),
        ts=event.get("ts"),
        thread_ts=event.get("thread_ts"),
    )


def clean_question(text: str, bot_user_id: str | None = None) -> str:
    """Slack's message markup turned back into the words the person typed, without the bot's mention."""

    def mention(match: re.Match[str]) -> str:
        return "" if match.group(1) == bot_user_id else "someone"

    text = _USER_MENTION.sub(mention, text)
    text = _CHANNEL_REF.sub(lambda m: f"#{m.group(1)}" if m.group(1) else "", text)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = _SPECIAL.sub("", text)
    return " ".join(html.unescape(text).split()).lstrip(":,").strip()


def turns_from_replies(
    messages: list[dict[str, Any]],
    *,
    current_ts: str | None,
    bot_user_id: str | None,
    bot_id: str | None,
) -> list[Turn]:
    """A thread's messages before the current one as Turns: people's questions, the bot's answers."""
    turns: list[Turn] = []
    for message in messages:
        if current_ts and message.get("ts") == current_ts:
            break
        text = clean_question(str(message.get("text") or ""), bot_user_id)
        if not text:
            continue
        from_bot = bool(message.get("bot_id")) or (
            bot_user_id is not None and message.get("user") == bot_user_id
        )
        if from_bot:
            ours = message.get("bot_id") == bot_id or message.get("user") == bot_user_id
            if ours and turns and not turns[-1].answer:
                turns[-1].answer = text
        elif message.get("subtype") in QUESTION_SUBTYPES:
            turns.append(Turn(question=text))
    return turns


def thread_history(
    question: SlackQuestion,
    *,
    client: WebClient,
    conversations: ConversationStore,
    bot_user_id: str | None,
    bot_id: str | None,
    max_turns: int,
) -> list[Turn]:
    """Earlier turns of the question's conversation: the Slack thread itself, else what the store kept."""
    if question.kind == "command":
        return []
    if question.in_existing_thread:
        try:
            replies = client.conversations_replies(
                channel=question.channel, ts=str(question.thread_ts), limit=200
            )
            turns = turns_from_replies(
                list(replies.get("messages") or []),
                current_ts=question.ts,
                bot_user_id=bot_user_id,
                bot_id=bot_id,
            )
            return turns[-max_turns:]
        except SlackApiError as exc:
            # Without the history scopes Slack refuses; the turns the bot answered itself still help.
            log.warning("conversations.replies failed (%s); using stored turns", exc.response.get("error"))
    if question.in_existing_thread or question.kind == "dm":
        return conversations.history(question.conversation_id())[-max_turns:]
    return []
