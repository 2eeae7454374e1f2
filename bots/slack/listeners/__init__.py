"""Slack listeners: the assistant panel, events (mentions, DMs), the /almanac command, button actions,
the App Home tab and the message shortcut."""

from __future__ import annotations

from slack_bolt import App

from bots.assistants import AssistantProvider
from bots.slack import assessment, home, shortcuts
from bots.slack.listeners import actions, assistant, commands, events
from bots.store import Stores


def register_listeners(app: App, assistants: AssistantProvider, stores: Stores) -> None:
    """Attach every listener to the app (the assistant panel first: it takes the messages in its threads)."""
    assistant.register(app, assistants, stores)
    events.register(app, assistants, stores)
    commands.register(app, assistants, stores)
    actions.register(app, stores, public_url=assistants.settings.public_url)
    assessment.register(app, assistants.settings, stores)
    home.register(app, assistants, stores)
    shortcuts.register(app, assistants, stores)
