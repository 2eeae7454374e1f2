"""Buttons under an answer: thumbs up/down into the shared feedback store, and sharing a private answer."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bots.slack.answering import APOLOGY
from bots.slack.blocks import (
    FEEDBACK_DOWN,
    FEEDBACK_UP,
    SHARE,
    answer_blocks,
    escape,
    fallback_text,
    parse_button_value,
)
from bots.store import Rating, Stores

log = logging.getLogger("almanac.slack")

THANKS = {
    "up": "Thanks! Glad that helped.",
    "down": "Thanks for telling us. Ratings like yours help improve the almanac's answers.",
}
EXPIRED = "That answer is too old to share now. Ask again with `/almanac <question>`."
CANNOT_SHARE = (
    "I couldn't post in this conversation. Invite me to the channel (`/invite @Almanac`) and try again."
)
SHARED = "Shared in the channel."


def _private(respond: Respond, text: str) -> None:
    respond(text=text, response_type="ephemeral", replace_original=False)


def register(app: App, stores: Stores, *, public_url: str | None = None) -> None:
    """Handle the feedback and share buttons of answers; shared answers link their sources when the site has an address."""

    def rate(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        ack()
        try:
            conversation_id, message_id = parse_button_value(str(action.get("value", "")))
        except ValueError:
            log.warning("feedback button with an unknown value")
            return
        rating: Rating = "up" if action.get("action_id") == FEEDBACK_UP else "down"
        try:
            stores.feedback.add(
                conversation_id=conversation_id,
                message_id=message_id,
                rating=rating,
                channel="slack",
                user=str(body.get("user", {}).get("id") or "") or None,
            )
        except Exception:  # noqa: BLE001 - the clicker gets an apology, not a trace
            log.exception("failed to store feedback")
            _private(respond, APOLOGY)
            return
        _private(respond, THANKS[rating])

    def share(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        ack()
        try:
            _, message_id = parse_button_value(str(action.get("value", "")))
        except ValueError:
            log.warning("share button with an unknown value")
            return
        try:
            turn = stores.conversations.turn(message_id)
            if turn is None:
                _private(respond, EXPIRED)
                return
            answer = turn.answer
            user = str(body.get("user", {}).get("id") or "")
            channel = str(body.get("channel", {}).get("id") or "")
            note = f"<@{user}> asked: _{escape(answer.question)}_"
            client.chat_postMessage(
                channel=channel,
                text=fallback_text(answer),
                blocks=answer_blocks(answer, note=note, public_url=public_url),
            )
        except SlackApiError as exc:
            log.info("could not share an answer: %s", exc.response.get("error"))
            _private(respond, CANNOT_SHARE)
            return
        except Exception:  # noqa: BLE001 - the clicker gets an apology, not a trace
            log.exception("failed to share an answer")
            _private(respond, APOLOGY)
            return
        respond(text=SHARED, replace_original=True)

    app.action(FEEDBACK_UP)(rate)
    app.action(FEEDBACK_DOWN)(rate)
    app.action(SHARE)(share)
