"""Slack listeners: events (mentions, DMs), the /almanac command and button actions."""

from __future__ import annotations

from slack_bolt import App

from bots.assistants import AssistantProvider
from bots.slack import assessment
from bots.slack.listeners import actions, commands, events
from bots.store import Stores


def register_listeners(app: App, assistants: AssistantProvider, stores: Stores) -> None:
    """Attach every listener to the app."""
    events.register(app, assistants, stores)
    commands.register(app, assistants, stores)
    actions.register(app, stores)
    assessment.register(app, assistants.settings, stores)
