"""Asking the assistant as a conversation does: a follow-up after the real answer to the question before."""

from __future__ import annotations

from assistant.answer import Answer, Turn
from assistant.rag import Assistant


def follow_up(assistant: Assistant, first: str, then: str) -> Answer:
    """The answer to a follow-up, asked after the real answer to the first question."""
    return assistant.ask(then, history=[Turn(first, assistant.ask(first).text)])
