"""Answers as Block Kit, built with slack_sdk's block classes: the answer's Markdown in a markdown block,
outcomes, numbered sources with their review dates, and feedback buttons.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownBlock,
    MarkdownTextObject,
    SectionBlock,
)

from assistant.answer import Answer, Citation

FEEDBACK_UP = "almanac_feedback_up"
FEEDBACK_DOWN = "almanac_feedback_down"
SHARE = "almanac_share"
ACTIONS_BLOCK = "almanac_answer_actions"
SECTION_LIMIT = 3000  # Slack rejects a section whose text is longer
FALLBACK_LIMIT = 3000


def escape(text: str) -> str:
    """Escape the three characters Slack's mrkdwn treats as markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def reviewed_label(reviewed: str | None) -> str | None:
    """'Reviewed 1 Dec 2026' for an ISO date; None when there is no (valid) date."""
    try:
        day = date.fromisoformat(reviewed or "")
    except ValueError:
        return None
    return f"Reviewed {day.day} {day:%b %Y}"


def button_value(conversation_id: str, message_id: str) -> str:
    """What a button carries: the conversation and message it rates or shares."""
    return json.dumps({"c": conversation_id, "m": message_id}, separators=(",", ":"))


def parse_button_value(value: str) -> tuple[str, str]:
    """The (conversation_id, message_id) a button carries; ValueError when it is not ours."""
    try:
        data = json.loads(value)
        return str(data["c"]), str(data["m"])
    except (TypeError, KeyError, json.JSONDecodeError) as exc:
        raise ValueError("not an almanac button value") from exc


def source_link(citation: Citation, public_url: str | None) -> str | None:
    """Where a source's title links: its almanac page when the site's public address is known."""
    if public_url and citation.page:
        return public_url.rstrip("/") + citation.page
    if citation.url and citation.url.startswith(("http://", "https://")):
        return citation.url
    return None


def _source_line(citation: Citation, public_url: str | None = None) -> str:
    label = escape(citation.label())
    link = source_link(citation, public_url)
    if link:
        label = f"<{link}|{label.replace('|', '/')}>"
    reviewed = reviewed_label(citation.reviewed)
    return f"{citation.n}. {label}" + (f" · _{reviewed}_" if reviewed else "")


def _sources(answer: Answer, public_url: str | None = None) -> str:
    lines = ["*Sources*"]
    for citation in answer.citations:
        line = _source_line(citation, public_url)
        if sum(len(x) + 1 for x in lines) + len(line) > SECTION_LIMIT:
            break
        lines.append(line)
    return "\n".join(lines)


def _body(answer: Answer) -> str:
    text = answer.text.strip()
    if answer.refused:
        for outcome in answer.outcomes:  # the outcomes a refusal points the asker towards
            text = text.replace(outcome.name, f"**{outcome.name}**", 1)
    return _clip(text, MarkdownBlock.text_max_length)


def fallback_text(answer: Answer) -> str:
    """The plain notification text sent alongside the blocks."""
    return _clip(escape(answer.text.strip().replace("**", "")), FALLBACK_LIMIT)


def answer_blocks(
    answer: Answer,
    *,
    note: str | None = None,
    shareable: bool = False,
    body: bool = True,
    public_url: str | None = None,
) -> list[dict[str, Any]]:
    """Block Kit for an answer: text, relevant outcomes, numbered sources and feedback buttons.

    Args:
        answer: the answer; its conversation_id and message_id (set by ConversationStore.record_turn)
            go into the buttons.
        note: a mrkdwn line shown above the answer, such as who asked what.
        shareable: add a "Share in channel" button (for answers only the asker can see).
        public_url: the web site's public address (ALMANAC_PUBLIC_URL); when given, source titles link
            to the cited section of the almanac's pages.
        body: include the answer's text (False when it was streamed into the message already).
    """
    blocks: list[Block] = []
    if note:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=note)]))
    if body:
        blocks.append(MarkdownBlock(text=_body(answer)))
    if not answer.refused and answer.outcomes:
        names = " · ".join(escape(o.name) for o in answer.outcomes)
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"*Relevant outcomes:* {names}")]))
    if answer.citations:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=_sources(answer, public_url))))
    if answer.conversation_id and answer.message_id:
        value = button_value(answer.conversation_id, answer.message_id)
        buttons = [
            ButtonElement(text=":+1: Helpful", action_id=FEEDBACK_UP, value=value),
            ButtonElement(text=":-1: Not helpful", action_id=FEEDBACK_DOWN, value=value),
        ]
        if shareable:
            buttons.append(
                ButtonElement(text="Share in channel", action_id=SHARE, value=value, style="primary")
            )
        blocks.append(ActionsBlock(block_id=ACTIONS_BLOCK, elements=buttons))
    return [block.to_dict() for block in blocks]
