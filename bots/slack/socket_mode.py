"""Socket Mode: the bot connects out to Slack over a WebSocket, so no public URL is needed."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.errors import SlackApiError

from assistant.config import Settings
from assistant.errors import ConfigError, IndexNotBuiltError
from bots.slack.app import api_base_url, create_slack_app, require, secret
from bots.store import Stores, open_stores

if TYPE_CHECKING:
    from assistant.rag import Assistant

log = logging.getLogger("almanac.slack")


def socket_mode_handler(settings: Settings, assistant: Assistant, stores: Stores) -> SocketModeHandler:
    """A Socket Mode handler for the bot (not yet connected).

    Raises:
        ConfigError: SLACK_BOT_TOKEN or SLACK_APP_TOKEN is not set.
    """
    require(settings, "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")
    app = create_slack_app(settings, assistant, stores)
    return SocketModeHandler(app, app_token=secret(settings.slack_app_token))


def run_socket_mode(settings: Settings) -> None:
    """Run the bot in Socket Mode until interrupted (`almanac slack`).

    Raises:
        ConfigError: SLACK_BOT_TOKEN or SLACK_APP_TOKEN is not set.
        IndexNotBuiltError: nothing has been ingested yet.
    """
    require(settings, "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")
    from assistant.rag import Assistant

    assistant = Assistant.from_settings(settings)
    if not assistant.ready():
        raise IndexNotBuiltError(settings.index_location())
    assistant.warm_up()
    handler = socket_mode_handler(settings, assistant, open_stores(settings))
    connect_or_explain(handler, settings)
    print("Almanac Slack bot connected in Socket Mode. Press Ctrl-C to stop.", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        handler.close()


def connect_or_explain(handler: SocketModeHandler, settings: Settings) -> None:
    """Check the bot token and connect; Slack's refusals become a ConfigError saying which token to fix."""
    try:
        handler.app.client.auth_test()
    except SlackApiError as exc:
        raise ConfigError(
            f"Slack rejected SLACK_BOT_TOKEN ({exc.response.get('error')}): copy the Bot User "
            "OAuth Token from your Slack app's OAuth & Permissions page."
        ) from None
    except OSError as exc:
        raise ConfigError(f"Could not reach Slack at {api_base_url(settings)} ({exc}).") from None
    try:
        handler.connect()
    except SlackApiError as exc:
        raise ConfigError(
            f"Slack rejected SLACK_APP_TOKEN ({exc.response.get('error')}): create an app-level "
            "token with the connections:write scope under Basic Information."
        ) from None
    except OSError as exc:
        raise ConfigError(f"Could not open Slack's Socket Mode connection ({exc}).") from None


class SocketModeThread(threading.Thread):
    """A daemon thread that keeps the bot connected in Socket Mode beside the web server."""

    def __init__(self, handler: SocketModeHandler, settings: Settings):
        super().__init__(name="almanac-slack-socket-mode", daemon=True)
        self.handler = handler
        self.settings = settings
        self.connected = threading.Event()
        self._stopping = threading.Event()

    def run(self) -> None:
        try:
            connect_or_explain(self.handler, self.settings)
        except ConfigError as exc:
            log.error("Slack Socket Mode is not running: %s", exc)
            return
        except Exception:  # noqa: BLE001 - a Slack outage must not take the web server down with it
            log.exception("Slack Socket Mode could not connect")
            return
        self.connected.set()
        log.info("Slack bot connected in Socket Mode")
        self._stopping.wait()
        self.handler.close()

    def stop(self, timeout: float = 5.0) -> None:
        """Disconnect from Slack and wait for the thread to end."""
        self._stopping.set()
        self.join(timeout)


def start_socket_mode_thread(settings: Settings, assistant: Assistant, stores: Stores) -> SocketModeThread:
    """Connect the bot in Socket Mode in a background thread (used by `almanac serve`).

    Raises:
        ConfigError: SLACK_BOT_TOKEN or SLACK_APP_TOKEN is not set.
    """
    thread = SocketModeThread(socket_mode_handler(settings, assistant, stores), settings)
    thread.start()
    return thread
