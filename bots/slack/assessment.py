"""`/almanac assess [outcome]`: one outcome's statements in a modal; the result comes back privately.

The modal (views.open) shows each statement's four options in full, then radio buttons named by level,
because Slack allows at most 75 characters in an option's text. Submitting saves the assessment in the shared
database and posts the level, the next level's signs, first steps and case studies to the user only.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from assistant.assessment import LEVEL_NAMES, LEVELS, WEIGHTS, AssessmentInput, Assessor, assess_url
from assistant.assessment.plan import Plan
from assistant.config import Settings
from assistant.outcomes import OUTCOME_SLUGS, get_outcome, is_outcome
from bots.slack.blocks import escape
from bots.store import Stores
from bots.store.assessments import AssessmentStore

log = logging.getLogger("almanac.slack")
CALLBACK_ID = "almanac_assess"
WEIGHT_BLOCK = "almanac_assess_weight"
ACTION = "level"


def assess_request(text: str) -> tuple[bool, str]:
    """(True, outcome words) when a command's text asks for the assessment, e.g. "assess data"."""
    words = text.strip().split(maxsplit=1)
    if not words or words[0].lower() != "assess":
        return False, ""
    return True, (words[1].strip().lower() if len(words) > 1 else "")


def usage(settings: Settings) -> str:
    url = assess_url(settings)
    web = f" To assess all 12 outcomes at once, go to <{url}|the web self-assessment>." if url else ""
    return (
        "Say which outcome to assess, for example `/almanac assess data`. Outcomes: "
        + ", ".join(f"`{slug}`" for slug in OUTCOME_SLUGS)
        + "."
        + web
    )


def assessment_modal(assessor: Assessor, slug: str, channel: str) -> dict[str, Any]:
    """The modal view for one outcome: each statement's options in full, then a radio group by level."""
    outcome = get_outcome(slug)
    rubric = assessor.rubrics[slug]
    blocks: list[dict[str, Any]] = [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": f"*{escape(outcome.name)}*: {escape(outcome.description)}\nFor each statement, pick the "
                "option closest to what you would see in your council today. Skip any you cannot judge.",
            },
        }
    ]
    for number, statement in enumerate(rubric.statements, start=1):
        options = "\n".join(f"*{LEVEL_NAMES[lv]}:* {escape(statement.options.text(lv))}" for lv in LEVELS)
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": options}})
        blocks.append(
            {
                "type": "input",
                "block_id": statement.id,
                "optional": True,
                "label": {"type": "plain_text", "text": f"{number}. {statement.prompt}"[:2000]},
                "element": {
                    "type": "radio_buttons",
                    "action_id": ACTION,
                    "options": [
                        {"text": {"type": "plain_text", "text": LEVEL_NAMES[lv]}, "value": lv}
                        for lv in LEVELS
                    ],
                },
            }
        )
    weights = [{"text": {"type": "plain_text", "text": w.capitalize()}, "value": w} for w in WEIGHTS]
    blocks.append(
        {
            "type": "input",
            "block_id": WEIGHT_BLOCK,
            "optional": True,
            "label": {
                "type": "plain_text",
                "text": "How much does this outcome matter to your council's plans?",
            },
            "element": {
                "type": "radio_buttons",
                "action_id": ACTION,
                "options": weights,
                "initial_option": weights[1],
            },
        }
    )
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "private_metadata": json.dumps({"o": slug, "c": channel}),
        "title": {"type": "plain_text", "text": "Self-assessment"},
        "submit": {"type": "plain_text", "text": "See my level"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks,
    }


def open_assessment(
    ack: Ack, command: dict[str, Any], client: WebClient, assessor: Assessor, settings: Settings, outcome: str
) -> None:
    """Acknowledge the command and open the modal, or explain privately what to type."""
    if not is_outcome(outcome):
        ack(text=usage(settings), response_type="ephemeral")
        return
    ack()
    view = assessment_modal(assessor, outcome, str(command.get("channel_id") or ""))
    try:
        client.views_open(trigger_id=str(command.get("trigger_id")), view=view)
    except SlackApiError as exc:
        log.warning("views.open failed: %s", exc.response.get("error"))


def answers_from(view: dict[str, Any]) -> tuple[dict[str, str], str]:
    """The chosen level per statement id, and the weight, from a submitted view's state."""
    answers: dict[str, str] = {}
    weight = "medium"
    for block_id, actions in view.get("state", {}).get("values", {}).items():
        chosen = (actions.get(ACTION) or {}).get("selected_option") or {}
        value = chosen.get("value")
        if not value:
            continue
        if block_id == WEIGHT_BLOCK:
            weight = value
        else:
            answers[block_id] = value
    return answers, weight


def result_blocks(plan: Plan, slug: str, settings: Settings, assessment_id: str) -> list[dict[str, Any]]:
    """The private message: level, what holds it back, next signs, first steps, cases and sources."""
    result = next(r for r in plan.results if r.slug == slug)
    lines = [
        f"*{escape(result.name)}: {result.level_name}* ({result.answered} of {result.total} statements answered)"
    ]
    item = next((i for i in plan.items if i.result.slug == slug), None)
    if item is None:
        lines.append(
            "You are at Leading on what you answered: share what you have learned with other councils."
        )
    else:
        target = LEVEL_NAMES[item.next_level]
        lines.append(f"\n*Signs of {target} to aim for* [{item.signs_n}]")
        lines += [f"• {escape(sign)}" for sign in item.signs]
        lines.append("\n*First steps*")
        lines += [f"{i}. {escape(step.text)} [{step.n}]" for i, step in enumerate(item.steps, start=1)]
        if item.cases:
            lines.append("\n*Case studies*")
            lines += [f"• {escape(c.source.title)} [{c.n}]" for c in item.cases]
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)[:3000]}}
    ]
    sources = "\n".join(f"{c.n}. {escape(c.label())}" for c in plan.citations)
    if sources:
        blocks.append(
            {"type": "context", "elements": [{"type": "mrkdwn", "text": f"*Sources*\n{sources}"[:3000]}]}
        )
    url = assess_url(settings)
    if url:
        base = url.removesuffix("/assess")
        link = (
            f"<{base}/assess/{assessment_id}|See this result on the web> · "
            f"<{base}/assess?from={assessment_id}|Assess all 12 outcomes>"
        )
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": link}]})
    return blocks


def register(app: App, settings: Settings, stores: Stores) -> None:
    """Handle the modal's submission (the command itself is routed here by the /almanac listener)."""
    store = AssessmentStore(stores.conversations.database)

    def submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        answers, weight = answers_from(view)
        meta = json.loads(view.get("private_metadata") or "{}")
        slug = str(meta.get("o", ""))
        if not answers:
            first = next(iter(view.get("state", {}).get("values", {})), WEIGHT_BLOCK)
            ack(response_action="errors", errors={first: "Choose an option for at least one statement."})
            return
        ack()
        assessor = assessor_for(settings)
        data = assessor.parse(
            AssessmentInput.model_validate({"answers": {slug: answers}, "weights": {slug: weight}})
        )
        stored = store.create(data, channel="slack")
        plan = assessor.plan(data)
        blocks = result_blocks(plan, slug, settings, stored.id)
        result = next(r for r in plan.results if r.slug == slug)
        text = f"{result.name}: {result.level_name}"
        user = str(body.get("user", {}).get("id", ""))
        post_privately(client, user=user, channel=str(meta.get("c") or ""), text=text, blocks=blocks)

    app.view(CALLBACK_ID)(submitted)


_ASSESSORS: dict[str, Assessor] = {}


def assessor_for(settings: Settings) -> Assessor:
    """The rubric, guides and case studies for the settings' corpus, read once."""
    key = str(settings.corpus_dir)
    if key not in _ASSESSORS:
        _ASSESSORS[key] = Assessor.from_settings(settings)
    return _ASSESSORS[key]


def post_privately(
    client: WebClient, *, user: str, channel: str, text: str, blocks: list[dict[str, Any]]
) -> None:
    """An ephemeral message in the channel the command came from, or a direct message when that fails."""
    if channel and not channel.startswith("D"):
        try:
            client.chat_postEphemeral(channel=channel, user=user, text=text, blocks=blocks)
            return
        except SlackApiError as exc:
            log.info("ephemeral result failed in %s (%s); sending a DM", channel, exc.response.get("error"))
    client.chat_postMessage(channel=user, text=text, blocks=blocks)
