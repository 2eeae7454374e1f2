"""`almanac serve` and `almanac slack`: run the web chat and the Slack bot."""

from __future__ import annotations

from typing import Annotated

import typer

from assistant.cli.base import fail
from assistant.config import get_settings
from assistant.errors import AlmanacError


def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on (default ALMANAC_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default ALMANAC_PORT).")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Serve the web chat, its API and (when Slack is configured) the Slack bot."""
    from bots.web.server import run_server

    try:
        run_server(get_settings(), host=host, port=port, workers=workers)
    except AlmanacError as exc:
        raise fail(str(exc)) from None


def slack() -> None:
    """Run the Slack bot in Socket Mode (needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN)."""
    from bots.slack.socket_mode import run_socket_mode

    try:
        run_socket_mode(get_settings())
    except AlmanacError as exc:
        raise fail(str(exc)) from None
