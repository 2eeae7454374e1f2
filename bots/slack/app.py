"""The Slack bolt app: one factory for HTTP mode and Socket Mode."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from pydantic import SecretStr
from slack_bolt import App, BoltContext, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from assistant.config import Settings
from assistant.errors import ConfigError
from bots.assistants import AssistantProvider
from bots.ratelimit import RateLimiter
from bots.slack.answering import RATE_LIMITED
from bots.slack.listeners import register_listeners
from bots.slack.questions import clean_question, question_from
from bots.slack.seen_events import SeenEvents
from bots.store import Stores

if TYPE_CHECKING:
    from assistant.rag import Assistant

log = logging.getLogger("almanac.slack")

# Threads that answer questions at the same time; more would only queue on the CPU-bound model.
ANSWER_THREADS = 4
# Web API calls Slack refuses with 429 are retried after the Retry-After it names, this many times.
RATE_LIMIT_RETRIES = 2


def secret(value: SecretStr | None) -> str:
    """A secret setting's value, or an empty string when unset."""
    return value.get_secret_value().strip() if value is not None else ""


def api_base_url(settings: Settings) -> str:
    """The Slack Web API base URL, ending in a slash as WebClient expects."""
    url = settings.slack_api_url or WebClient.BASE_URL
    return url if url.endswith("/") else url + "/"


def require(settings: Settings, *names: str) -> None:
    """Raise ConfigError naming every Slack variable in `names` that is not set."""
    fields = {
        "SLACK_BOT_TOKEN": "slack_bot_token",
        "SLACK_SIGNING_SECRET": "slack_signing_secret",
        "SLACK_APP_TOKEN": "slack_app_token",
    }
    missing = [name for name in names if not secret(getattr(settings, fields[name]))]
    if missing:
        verb = "is" if len(missing) == 1 else "are"
        raise ConfigError(
            f"{' and '.join(missing)} {verb} not set. Copy the value from your Slack app's settings page "
            "at https://api.slack.com/apps into the environment or .env (see the README section 'Slack bot')."
        )


def create_slack_app(
    settings: Settings,
    assistant: Assistant | AssistantProvider,
    stores: Stores,
    *,
    client: WebClient | None = None,
) -> App:
    """A bolt App that answers mentions, DMs and /almanac from the almanac.

    Args:
        settings: needs SLACK_BOT_TOKEN; SLACK_SIGNING_SECRET for HTTP mode; slack_api_url to point
            the Web API client elsewhere; rate_limit_per_minute for questions per user.
        assistant: answers every question; given as a provider, it is built on the first question.
        stores: the conversations answered and the ratings clicked (shared with the web chat).
        client: a ready WebClient; default: one for SLACK_BOT_TOKEN at settings.slack_api_url.

    Raises:
        ConfigError: SLACK_BOT_TOKEN is not set.
    """
    require(settings, "SLACK_BOT_TOKEN")
    app = App(
        name="almanac",
        # Passing the token (not only a client) keeps bolt from warning when SLACK_BOT_TOKEN is also in the
        # environment, where bolt looks for it on its own.
        token=None if client else secret(settings.slack_bot_token),
        client=client,
        signing_secret=secret(settings.slack_signing_secret),
        # auth.test runs on the first request instead, so building the app never needs the network.
        token_verification_enabled=False,
        listener_executor=ThreadPoolExecutor(max_workers=ANSWER_THREADS, thread_name_prefix="almanac-slack"),
    )
    if client is None:
        app.client.base_url = api_base_url(settings)  # every per-request client copies this
    if not any(isinstance(h, RateLimitErrorRetryHandler) for h in app.client.retry_handlers):
        app.client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES))
    app.middleware(skip_handled_events(SeenEvents(stores.conversations.database)))
    limiter = RateLimiter(
        settings.rate_limit_per_minute, storage=settings.rate_limit_storage, namespace="slack"
    )
    app.middleware(limit_questions(limiter))
    assistants = (
        assistant if isinstance(assistant, AssistantProvider) else AssistantProvider(settings, assistant)
    )
    register_listeners(app, assistants, stores)
    return app


def skip_handled_events(seen: SeenEvents) -> Callable[..., Any]:
    """Middleware: Slack retries an event it thinks went unanswered; answer each event id once."""

    def skip_handled(body: dict[str, Any], request: Any, next: Callable[[], Any]) -> Any:
        event_id = body.get("event_id")
        if isinstance(event_id, str) and not seen.first_time(event_id):
            retry = (request.headers.get("x-slack-retry-num") or ["?"])[0]
            log.info("acknowledged retry %s of event %s without answering again", retry, event_id)
            return BoltResponse(status=200, body="")
        return next()

    return skip_handled


def limit_questions(limiter: RateLimiter) -> Callable[..., Any]:
    """Middleware: at most rate_limit_per_minute questions per user, with a friendly note past that."""

    def limit(body: dict[str, Any], client: WebClient, context: BoltContext, next: Callable[[], Any]) -> Any:
        question = question_from(body)
        if (
            question is None
            or not clean_question(question.text, context.bot_user_id)
            or limiter.allow(question.user)
        ):
            return next()
        message = RATE_LIMITED.format(limit=limiter.per_minute)
        log.info("rate-limited user %s", question.user)
        if question.kind == "command":
            return BoltResponse(status=200, body={"response_type": "ephemeral", "text": message})
        try:
            client.chat_postEphemeral(
                channel=question.channel, user=question.user, text=message, thread_ts=question.reply_thread
            )
        except SlackApiError as exc:
            log.info("could not tell %s about the rate limit: %s", question.user, exc.response.get("error"))
        return BoltResponse(status=200, body="")

    return limit
