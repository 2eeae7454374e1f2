"""The /almanac slash command: acknowledged privately at once, answered privately by a lazy listener."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bots.assistants import AssistantProvider
from bots.slack import assessment
from bots.slack.answering import HELP, answer_command
from bots.slack.blocks import escape
from bots.slack.questions import COMMAND, clean_question, question_from
from bots.store import Stores


def register(app: App, assistants: AssistantProvider, stores: Stores) -> None:
    """Answer `/almanac <question>` with a reply only the asker sees."""

    def acknowledge(ack: Ack, command: dict[str, Any], client: WebClient) -> None:
        question = clean_question(str(command.get("text") or ""))
        wants_assessment, outcome = assessment.assess_request(question)
        if wants_assessment:
            settings = assistants.settings
            assessment.open_assessment(
                ack, command, client, assessment.assessor_for(settings), settings, outcome
            )
        elif not question:
            ack(text=HELP, response_type="ephemeral")
        else:
            ack(text=f":mag: Searching the almanac for _{escape(question)}_...", response_type="ephemeral")

    def answer(body: dict[str, Any], respond: Respond) -> None:
        question = question_from(body)
        if (
            question is None
            or not clean_question(question.text)
            or assessment.assess_request(question.text)[0]
        ):
            return
        answer_command(question, assistants=assistants, conversations=stores.conversations, respond=respond)

    app.command(COMMAND)(ack=acknowledge, lazy=[answer])
