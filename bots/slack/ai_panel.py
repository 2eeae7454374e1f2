"""Answering in Slack's assistant panel: a greeting with suggested prompts, a live status while the answer
is prepared, the thread's title from its first question, and the answer posted (or streamed) into the thread.

The panel's thread context names the channel the user had open; it is used only to offer sharing the answer
there. The bot never reads that channel's messages.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.messages.chunk import MarkdownTextChunk

from assistant.answer import Answer, Turn
from assistant.assessment import assess_url
from assistant.config import Settings
from assistant.errors import AlmanacError
from assistant.guards import redact
from assistant.outcomes import OUTCOME_SLUGS
from bots.assistants import AssistantProvider
from bots.slack.answering import APOLOGY, NOT_READY, answer_or_message
from bots.slack.blocks import answer_blocks, escape, fallback_text
from bots.store import ConversationStore

log = logging.getLogger("almanac.slack")

SHARE_TO_CHANNEL = "almanac_share_to_channel"
GREETING = (
    "Hi, I'm the Almanac. I answer questions about council digitalisation from the local government "
    "digitalisation almanac, and every answer names its sources. Ask me anything, or pick a prompt below."
)
PROMPTS_TITLE = "Try one of these:"
FOCUS_PROMPT = "Where should we focus first?"
STARTING_PROMPTS: list[dict[str, str]] = [
    {"title": "What are the 12 outcomes?", "message": "What are the 12 digitalisation outcomes?"},
    {"title": "Sharing data with partners", "message": "How can a council share data safely with partners?"},
    {"title": "Cyber resilience", "message": "What should a council's cyber incident plan cover?"},
    {"title": FOCUS_PROMPT, "message": FOCUS_PROMPT},
]
STATUS = "is searching the almanac..."
LOADING_MESSAGES = [
    "Searching the almanac...",
    "Reading the outcome guides...",
    "Looking through the case studies...",
    "Writing an answer with its sources...",
]
TITLE_LIMIT = 80
STREAM_BUFFER = 128  # characters gathered before each chat.appendStream
UPDATE_EVERY = 1.0  # seconds between chat.update calls when streaming falls back to post-then-update


def focus_reply(settings: Settings) -> str:
    """Where the "Where should we focus first?" prompt leads: the self-assessment, in Slack and on the web."""
    url = assess_url(settings)
    web = (
        f"\n\nOr <{url}|assess all 12 outcomes at once on the web> and get a plan you can download."
        if url
        else ""
    )
    return (
        "A good first step is the almanac's self-assessment: for each outcome you pick the statements that "
        "describe your council, and it tells you your level (of four), what the next level looks like and "
        "where to start.\n\nIn Slack, type `/almanac assess <outcome>`, for example `/almanac assess data`. "
        "Outcomes: " + ", ".join(f"`{slug}`" for slug in OUTCOME_SLUGS) + "." + web
    )


def is_focus_prompt(text: str) -> bool:
    return " ".join(text.lower().split()).rstrip("?") == FOCUS_PROMPT.lower().rstrip("?")


def title_for(question: str) -> str:
    text = " ".join(question.split())
    return text if len(text) <= TITLE_LIMIT else text[: TITLE_LIMIT - 1] + "…"


def context_channel(thread_context: Any) -> str | None:
    """The channel the user had open when they opened the panel (None in a DM or when unknown)."""
    channel = thread_context.get("channel_id") if isinstance(thread_context, dict) else None
    return channel if isinstance(channel, str) and channel.startswith(("C", "G")) else None


def panel_blocks(
    answer: Answer, *, share_channel: str | None, public_url: str | None, body: bool = True
) -> list[dict[str, Any]]:
    """An answer's blocks, with a button to share it in the channel the panel was opened beside."""
    blocks = answer_blocks(answer, body=body, public_url=public_url)
    if share_channel and answer.conversation_id and answer.message_id and blocks[-1]["type"] == "actions":
        value = json.dumps({"c": answer.conversation_id, "m": answer.message_id, "t": share_channel})
        blocks[-1]["elements"].append(
            {
                "type": "button",
                "action_id": SHARE_TO_CHANNEL,
                "text": {"type": "plain_text", "text": "Share in the channel", "emoji": True},
                "value": value,
            }
        )
    return blocks


class PanelReply:
    """Where one panel answer goes: the thread, and the Web API client that writes there."""

    def __init__(self, client: WebClient, channel: str, thread_ts: str, *, team: str | None, user: str):
        self.client, self.channel, self.thread_ts = client, channel, thread_ts
        self.team, self.user = team, user

    def post(self, text: str, blocks: list[dict[str, Any]] | None = None) -> str:
        response = self.client.chat_postMessage(
            channel=self.channel, thread_ts=self.thread_ts, text=text, blocks=blocks
        )
        return str(response["ts"])

    def update(self, ts: str, text: str, blocks: list[dict[str, Any]] | None = None) -> None:
        self.client.chat_update(channel=self.channel, ts=ts, text=text, blocks=blocks)


def _pieces(
    assistants: AssistantProvider, question: str, history: list[Turn]
) -> tuple[Iterator[str | Answer] | None, str | None]:
    try:
        return assistants.get().stream(question, history=history), None
    except AlmanacError:
        log.exception("almanac not ready for question=%r", redact(question))
        return None, NOT_READY


def stream_answer(
    reply: PanelReply,
    pieces: Iterator[str | Answer],
    *,
    record: Callable[[Answer], None],
    share_channel: str | None,
    public_url: str | None,
) -> None:
    """LLM mode: write the answer into the thread as it comes, then leave the checked answer with sources.

    Uses Slack's streaming methods (chat.startStream, appendStream, stopStream); where the workspace refuses
    them, posts the first words and updates the message as more arrive.
    """
    stream = reply.client.chat_stream(
        buffer_size=STREAM_BUFFER,
        channel=reply.channel,
        thread_ts=reply.thread_ts,
        recipient_team_id=reply.team,
        recipient_user_id=reply.user,
    )
    streamed, ts, last_update, streaming = "", None, 0.0, True
    answer: Answer | None = None
    for piece in pieces:
        if isinstance(piece, Answer):
            answer = piece
            break
        streamed += piece
        if streaming:
            try:
                if stream.ts is None:  # the first words start the stream at once, so a refusal shows early
                    stream.append(chunks=[MarkdownTextChunk(text=piece)])
                else:
                    stream.append(markdown_text=piece)
                continue
            except SlackApiError as exc:
                log.info("chat streaming unavailable (%s); posting and updating", exc.response.get("error"))
                streaming = False
        if ts is None:
            ts = reply.post(streamed)
        elif time.monotonic() - last_update >= UPDATE_EVERY:
            reply.update(ts, streamed)
            last_update = time.monotonic()
    if answer is None:
        raise RuntimeError("the assistant stopped without an answer")
    record(answer)
    same = streamed.strip() == answer.text.strip()
    if streaming:
        try:
            if same:
                stream.stop(
                    blocks=panel_blocks(
                        answer, share_channel=share_channel, public_url=public_url, body=False
                    )
                )
                return
            stream.stop()
            ts = stream.ts
        except SlackApiError as exc:
            log.info("chat.stopStream failed (%s); posting the answer", exc.response.get("error"))
            ts = stream.ts
    blocks = panel_blocks(answer, share_channel=share_channel, public_url=public_url)
    if ts is None:
        reply.post(fallback_text(answer), blocks)
    else:
        reply.update(ts, fallback_text(answer), blocks)


def answer_in_panel(
    reply: PanelReply,
    question: str,
    *,
    history: list[Turn],
    assistants: AssistantProvider,
    conversations: ConversationStore,
    share_channel: str | None,
) -> None:
    """Answer one panel message in its thread: extractive answers post at once, LLM answers stream."""
    conversation_id = f"slack:{reply.channel}:{reply.thread_ts}"
    public_url = assistants.settings.public_url

    def record(answer: Answer) -> None:
        conversations.record_turn(conversation_id, answer)

    if is_focus_prompt(question):
        reply.post(focus_reply(assistants.settings))
        return
    if assistants.settings.llm and question and len(question) <= assistants.settings.max_question_chars:
        pieces, message = _pieces(assistants, question, history)
        if pieces is not None:
            stream_answer(reply, pieces, record=record, share_channel=share_channel, public_url=public_url)
            return
        reply.post(message or APOLOGY)
        return
    answer, message = answer_or_message(assistants, question, history)
    if answer is None:
        reply.post(message or APOLOGY)
        return
    record(answer)
    reply.post(
        fallback_text(answer), panel_blocks(answer, share_channel=share_channel, public_url=public_url)
    )


def shared_note(user: str, question: str) -> str:
    return f"<@{user}> asked the almanac: _{escape(question)}_"
