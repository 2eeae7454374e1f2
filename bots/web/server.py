"""Run the web app with uvicorn: one process sharing one Assistant, or several workers sharing SQLite."""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI
from pydantic import SecretStr

from assistant.config import Settings, get_settings
from assistant.errors import ConfigError, IndexNotBuiltError

if TYPE_CHECKING:
    from assistant.rag import Assistant
    from bots.store import Stores

log = logging.getLogger("almanac.web")
# Worker processes are started by uvicorn from an import string, so they read their settings from here.
WORKER_SETTINGS_ENV = "_ALMANAC_WORKER_SETTINGS"
WILDCARD_HOSTS = {"0.0.0.0", "::", ""}
# No `server: uvicorn` header; X-Forwarded-For is read by the app, from ALMANAC_TRUSTED_PROXIES only.
UVICORN_OPTIONS: dict[str, Any] = {"server_header": False, "proxy_headers": False}


def settings_to_json(settings: Settings) -> str:
    """Settings as JSON, secrets included, for worker processes of this same server."""

    def plain(value: Any) -> Any:
        if isinstance(value, SecretStr):
            return value.get_secret_value()
        if isinstance(value, list):
            return [plain(item) for item in value]
        return value

    data = {name: plain(value) for name, value in settings.model_dump().items()}
    return json.dumps(data, default=str)


def settings_from_json(text: str) -> Settings:
    """The settings a parent process handed to its workers."""
    return Settings.model_validate(json.loads(text), by_name=True)


def app_from_environment() -> FastAPI:
    """App factory for uvicorn workers: the parent's settings if it passed them, else the environment."""
    from bots.web.app import create_app

    handed_over = os.environ.get(WORKER_SETTINGS_ENV)
    return create_app(settings_from_json(handed_over) if handed_over else get_settings())


def check_port_free(host: str, port: int) -> None:
    """Raise ConfigError naming the port when something else is listening on it."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise ConfigError(
                f"Cannot listen on {host}:{port} ({exc.strerror}); pass --port with a free port "
                "or set ALMANAC_PORT."
            ) from None


def display_url(host: str, port: int) -> str:
    """The address to open in a browser."""
    if host in WILDCARD_HOSTS:
        return f"http://127.0.0.1:{port} (listening on all interfaces)"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def start_slack_socket_mode(settings: Settings, assistant: Assistant, stores: Stores) -> None:
    """Run the Slack bot in Socket Mode beside the web chat when its tokens are set."""
    if not (settings.slack_app_token and settings.slack_bot_token):
        return
    try:
        from bots.slack.socket_mode import start_socket_mode_thread
    except ImportError:
        print(
            "Slack tokens are set but the Slack bot is not installed; serving the web chat only.", flush=True
        )
        return
    start_socket_mode_thread(settings, assistant, stores)
    print("Slack: the bot is connected in Socket Mode alongside the web chat.", flush=True)


def run_server(
    settings: Settings, *, host: str | None = None, port: int | None = None, workers: int = 1
) -> None:
    """Serve the web chat and its API until interrupted.

    Raises:
        IndexNotBuiltError: nothing has been ingested yet.
        ConfigError: the port is taken or the worker count is not positive.
    """
    import uvicorn

    from assistant.store import ChromaStore

    host = settings.host if host is None else host
    port = port or settings.port
    if workers < 1:
        raise ConfigError(f"--workers must be 1 or more, not {workers}.")
    check_port_free(host, port)
    if workers == 1:
        from assistant.rag import Assistant
        from bots.store import open_stores
        from bots.web.app import create_app

        print("Loading the model and the index...", flush=True)
        assistant = Assistant.from_settings(settings)
        if assistant.index_size() == 0:
            raise IndexNotBuiltError(settings.index_location())
        assistant.warm_up()
        stores = open_stores(settings)
        app = create_app(settings, assistant=assistant, stores=stores)
        start_slack_socket_mode(settings, assistant, stores)
        print(f"Almanac chat: {display_url(host, port)}  (Ctrl-C to stop)", flush=True)
        uvicorn.run(app, host=host, port=port, log_level="info", **UVICORN_OPTIONS)
        return
    if ChromaStore(settings).count() == 0:
        raise IndexNotBuiltError(settings.index_location())
    if settings.slack_app_token and settings.slack_bot_token:
        print(
            "Slack Socket Mode runs only with --workers 1; run `almanac slack` as its own process.",
            flush=True,
        )
    os.environ[WORKER_SETTINGS_ENV] = settings_to_json(settings)
    from bots.web.metrics import prepare_multiprocess

    prepare_multiprocess(settings.data_dir / "metrics" / str(port))
    print(f"Almanac chat: {display_url(host, port)}  ({workers} workers; Ctrl-C to stop)", flush=True)
    uvicorn.run(
        "bots.web.server:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        **UVICORN_OPTIONS,
    )


@contextmanager
def serve_in_background(app: FastAPI, *, port: int, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve an app from a thread of this process (tests, scripts); yields its base URL."""
    import uvicorn

    config = uvicorn.Config(app, host=host, port=port, log_level="warning", **UVICORN_OPTIONS)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the web server did not start on {host}:{port}")
        time.sleep(0.02)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
