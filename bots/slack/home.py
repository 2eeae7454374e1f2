"""The App Home tab: what the bot does and how to ask, the 12 outcomes (each a button that posts suggested
questions for it), the user's recent questions with how they were answered, and links to the web almanac.

Published with views.publish whenever the user opens the tab. A suggested question's button asks it in the
user's direct messages with the bot.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from assistant.assessment import assess_url
from assistant.config import Settings
from assistant.outcomes import OUTCOMES, get_outcome, is_outcome
from bots.assistants import AssistantProvider
from bots.slack.answering import answer_in_conversation
from bots.slack.blocks import escape
from bots.slack.questions import SlackQuestion
from bots.store import ConversationStore, Stores

log = logging.getLogger("almanac.slack")

OUTCOME_ACTION = "almanac_home_outcome"
ASK_ACTION = "almanac_ask_suggested"
RECENT = 5
STATUS_LABELS = {
    "answered": ":white_check_mark: answered with sources",
    "out_of_scope": ":grey_question: outside what the almanac covers",
}
ABOUT = (
    "I answer questions about council digitalisation from the *local government digitalisation almanac*: "
    "12 outcome guides and dozens of council case studies. Every answer cites its sources and names the "
    "outcomes it relates to."
)
HOW_TO_ASK = (
    "*How to ask*\n"
    "• Open me in the *assistant panel* (the AI app icon at the top of Slack) beside any channel\n"
    "• Send me a direct message, or mention *@Almanac* in a channel I'm in\n"
    "• Type `/almanac <question>` for an answer only you see; `/almanac assess <outcome>` for the self-assessment\n"
    "• On any message, choose *More actions → Ask the almanac* to answer it privately"
)


def suggested_questions(slug: str) -> list[str]:
    """A few starting questions for one outcome, from its name."""
    name = get_outcome(slug).name.lower()
    return [
        f"Where should a council start on {name}?",
        f"What does a council that does {name} well look like?",
        f"Which case studies show good practice in {name}?",
    ]


def _section(text: str, accessory: dict[str, Any] | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    if accessory:
        block["accessory"] = accessory
    return block


def _button(text: str, action_id: str, value: str) -> dict[str, Any]:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": text},
        "action_id": action_id,
        "value": value,
    }


def recent_questions(
    conversations: ConversationStore, dm_channel: str, limit: int = RECENT
) -> list[tuple[str, str]]:
    """(question, answer status) of the newest turns asked in the user's DM and assistant panel with the bot."""
    if not dm_channel.isalnum():  # Slack's ids are letters and digits, so the LIKE pattern needs no escaping
        return []
    turns = conversations.newest(f"slack:{dm_channel}:", limit)
    return [(turn.question, turn.answer.status) for turn in turns]


def home_view(settings: Settings, recent: list[tuple[str, str]]) -> dict[str, Any]:
    """The Home tab's view."""
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "The Almanac"}},
        _section(ABOUT),
        _section(HOW_TO_ASK),
        {"type": "divider"},
        {"type": "header", "text": {"type": "plain_text", "text": "The 12 outcomes"}},
    ]
    for outcome in OUTCOMES:
        text = f"*{escape(outcome.name)}*\n{escape(outcome.description)}"
        blocks.append(_section(text[:3000], _button("Suggested questions", OUTCOME_ACTION, outcome.slug)))
    blocks += [
        {"type": "divider"},
        {"type": "header", "text": {"type": "plain_text", "text": "Your recent questions"}},
    ]
    if recent:
        for question, status in recent:
            label = STATUS_LABELS.get(status, f":warning: not answered ({escape(status.replace('_', ' '))})")
            blocks.append(_section(f"_{escape(question[:2800])}_\n{label}"))
    else:
        blocks.append(_section("Nothing yet. Ask me in the assistant panel or a direct message."))
    url = settings.public_url.rstrip("/") if settings.public_url else None
    assess = assess_url(settings)
    if url and assess:
        blocks += [
            {"type": "divider"},
            _section(
                f"*On the web*\n<{url}/|Ask the almanac in your browser> · "
                f"<{assess}|Self-assessment of all 12 outcomes, with a plan to download>"
            ),
        ]
    return {"type": "home", "blocks": blocks}


def outcome_questions_blocks(slug: str) -> list[dict[str, Any]]:
    """A message listing an outcome's suggested questions, each with a button that asks it."""
    outcome = get_outcome(slug)
    blocks = [_section(f"Suggested questions about *{escape(outcome.name)}*:")]
    for question in suggested_questions(slug):
        blocks.append(_section(escape(question), _button("Ask this", ASK_ACTION, question)))
    return blocks


def register(app: App, assistants: AssistantProvider, stores: Stores) -> None:
    """Publish the Home tab when it is opened; handle its outcome buttons and the suggested questions."""

    @app.event("app_home_opened")
    def publish(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab") != "home":
            return
        user = str(event.get("user") or "")
        recent = recent_questions(stores.conversations, str(event.get("channel") or ""))
        try:
            client.views_publish(user_id=user, view=home_view(assistants.settings, recent))
        except SlackApiError as exc:
            log.warning("views.publish failed for %s: %s", user, exc.response.get("error"))

    @app.action(OUTCOME_ACTION)
    def post_questions(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        slug = str(action.get("value") or "")
        if not is_outcome(slug):
            log.warning("outcome button with an unknown value")
            return
        user = str(body.get("user", {}).get("id") or "")
        name = get_outcome(slug).name
        try:
            client.chat_postMessage(
                channel=user, text=f"Suggested questions about {name}", blocks=outcome_questions_blocks(slug)
            )
        except SlackApiError as exc:
            log.warning("could not post suggested questions to %s: %s", user, exc.response.get("error"))

    def ask_acknowledge(ack: Ack) -> None:
        ack()

    def ask_suggested(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        action = (body.get("actions") or [{}])[0]
        channel = str(body.get("channel", {}).get("id") or "")
        user = str(body.get("user", {}).get("id") or "")
        if not channel or not user:
            return
        question = SlackQuestion("dm", user, channel, str(action.get("value") or ""))
        answer_in_conversation(
            question,
            assistants=assistants,
            conversations=stores.conversations,
            client=client,
            bot_user_id=context.bot_user_id,
            bot_id=context.bot_id,
        )

    app.action(ASK_ACTION)(ack=ask_acknowledge, lazy=[ask_suggested])
