"""The Slack bot: mentions, DMs and /almanac answered from the almanac, in HTTP mode or Socket Mode.

Entry points: `bots.slack.http.slack_router` (POST /slack/events on the web server),
`bots.slack.socket_mode.run_socket_mode` (`almanac slack`) and `start_socket_mode_thread` (`almanac serve`).
This module imports nothing from slack_bolt, so checking the configuration stays cheap.
"""

from __future__ import annotations

from assistant.config import Settings


def _is_set(value: object) -> bool:
    getter = getattr(value, "get_secret_value", None)
    return bool(getter and getter().strip())


def http_mode_configured(settings: Settings) -> bool:
    """True when SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set, so /slack/events can be served."""
    return _is_set(settings.slack_bot_token) and _is_set(settings.slack_signing_secret)


def socket_mode_configured(settings: Settings) -> bool:
    """True when SLACK_BOT_TOKEN and SLACK_APP_TOKEN are set, so the bot can connect in Socket Mode."""
    return _is_set(settings.slack_bot_token) and _is_set(settings.slack_app_token)
