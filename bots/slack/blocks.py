"""Answers as Slack Block Kit: Markdown converted to mrkdwn, outcomes, numbered sources, feedback buttons."""

from __future__ import annotations

import json
import re
from typing import Any

from assistant.answer import Answer

FEEDBACK_UP = "almanac_feedback_up"
FEEDBACK_DOWN = "almanac_feedback_down"
SHARE = "almanac_share"
SECTION_LIMIT = 3000  # Slack rejects a section whose text is longer
FALLBACK_LIMIT = 3000

_CODE_SPAN = re.compile(r"(`[^`\n]+`)")
_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)")
_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^(\s*)[-*+]\s+(.*)$")
_BOLD_MARK = "\x00"


def escape(text: str) -> str:
    """Escape the three characters Slack treats as markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _link(match: re.Match[str]) -> str:
    text, url = match.group(1), match.group(2)
    if not url.startswith(("http://", "https://", "mailto:")):
        return text
    return f"<{url}|{text.replace('|', '/')}>"


def _inline(text: str) -> str:
    parts = _CODE_SPAN.split(text)
    for i, part in enumerate(parts):
        if i % 2 == 1:  # code spans stay literal apart from escaping
            parts[i] = escape(part)
            continue
        part = _LINK.sub(_link, escape(part))
        part = _BOLD.sub(lambda m: f"{_BOLD_MARK}{m.group(1) or m.group(2)}{_BOLD_MARK}", part)
        part = _ITALIC.sub(r"_\1_", part)
        part = _STRIKE.sub(r"~\1~", part)
        parts[i] = part.replace(_BOLD_MARK, "*")
    return "".join(parts)


def to_mrkdwn(markdown: str) -> str:
    """Convert Markdown to Slack mrkdwn: bold, italics, links, headings, bullets; [n] markers are kept."""
    lines: list[str] = []
    in_code = False
    for line in markdown.strip().splitlines():
        if line.strip().startswith("```"):
            in_code = not in_code
            lines.append("```")
            continue
        if in_code:
            lines.append(escape(line))
            continue
        heading = _HEADING.match(line)
        if heading:
            lines.append(f"*{_inline(heading.group(1))}*")
            continue
        bullet = _BULLET.match(line)
        if bullet:
            depth = len(bullet.group(1).expandtabs(4)) // 2
            lines.append(f"{'    ' * depth}• {_inline(bullet.group(2))}")
            continue
        lines.append(_inline(line))
    return "\n".join(lines)


def _split(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """Split text at paragraph or line breaks into pieces Slack accepts."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        while len(line) > limit:
            pieces.append(line[:limit])
            line = line[limit:]
        current = line
    if current.strip():
        pieces.append(current)
    return pieces


def section(text: str) -> dict[str, Any]:
    """A section block of mrkdwn."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def context(text: str) -> dict[str, Any]:
    """A context block (small grey text) of mrkdwn."""
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


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


def _button(action_id: str, label: str, value: str, *, style: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": label, "emoji": True},
        "value": value,
    }
    if style:
        button["style"] = style
    return button


def _sources(answer: Answer) -> str:
    lines = ["*Sources*"]
    for citation in answer.citations:
        label = escape(citation.label())
        if citation.url and citation.url.startswith(("http://", "https://")):
            label = f"<{citation.url}|{label.replace('|', '/')}>"
        lines.append(f"{citation.n}. {label}")
    return "\n".join(lines)


def _refusal_text(answer: Answer) -> str:
    text = to_mrkdwn(answer.text)
    for outcome in answer.outcomes:  # the outcomes a refusal points the asker towards
        text = text.replace(escape(outcome.name), f"*{escape(outcome.name)}*", 1)
    return text


def fallback_text(answer: Answer) -> str:
    """The plain notification text sent alongside the blocks."""
    text = to_mrkdwn(answer.text)
    return text if len(text) <= FALLBACK_LIMIT else text[: FALLBACK_LIMIT - 1] + "…"


def answer_blocks(
    answer: Answer, *, note: str | None = None, shareable: bool = False
) -> list[dict[str, Any]]:
    """Block Kit for an answer: text, relevant outcomes, numbered sources and feedback buttons.

    Args:
        answer: the answer; its conversation_id and message_id (set by FeedbackStore.record_turn)
            go into the buttons.
        note: a line shown above the answer, such as who asked what.
        shareable: add a "Share in channel" button (for answers only the asker can see).
    """
    blocks: list[dict[str, Any]] = []
    if note:
        blocks.append(context(note))
    body = _refusal_text(answer) if answer.refused else to_mrkdwn(answer.text)
    blocks.extend(section(piece) for piece in _split(body))
    if not answer.refused and answer.outcomes:
        names = " · ".join(escape(o.name) for o in answer.outcomes)
        blocks.append(context(f"*Relevant outcomes:* {names}"))
    if answer.citations:
        blocks.extend(section(piece) for piece in _split(_sources(answer)))
    if answer.conversation_id and answer.message_id:
        value = button_value(answer.conversation_id, answer.message_id)
        buttons = [
            _button(FEEDBACK_UP, ":+1: Helpful", value),
            _button(FEEDBACK_DOWN, ":-1: Not helpful", value),
        ]
        if shareable:
            buttons.append(_button(SHARE, "Share in channel", value, style="primary"))
        blocks.append({"type": "actions", "block_id": "almanac_answer_actions", "elements": buttons})
    return blocks
