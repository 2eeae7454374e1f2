"""Slack listeners: events (mentions, DMs), the /almanac command and button actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import App

from bots.feedback import FeedbackStore
from bots.slack.listeners import actions, commands, events

if TYPE_CHECKING:
    from assistant.rag import Assistant


def register_listeners(app: App, assistant: Assistant, feedback: FeedbackStore) -> None:
    """Attach every listener to the app."""
    events.register(app, assistant, feedback)
    commands.register(app, assistant, feedback)
    actions.register(app, assistant, feedback)
