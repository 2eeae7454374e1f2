"""A site with realistic questions and ratings for the editors' view, seeded through the real web API."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
from pydantic import SecretStr

from assistant.answer import Answer
from assistant.config import Settings
from bots.store import Stores, open_stores
from bots.web.app import create_app
from bots.web.server import serve_in_background
from tests.conftest import free_port
from tests.fakes import FakeAssistant

ADMIN_KEY = "editors-key-51c0e2"

# Questions the almanac has no evidence for: two topics of three rewordings each.
SOCIAL_CARE = [
    "How should a council budget for replacing its social care case management system?",
    "What does it cost to replace an adult social care case management system?",
    "Any advice on procuring a new social care records system and what it costs?",
]
DRONES = [
    "Which councils have used drones to inspect bridges and roads?",
    "Have any councils tried drones for highway inspections?",
    "Drone surveys of council highways: who has done it?",
]
# Answered, but users said the answers did not help.
ASSEMBLY = [
    "How do we run a citizens' assembly on climate?",
    "What's the process for setting up a climate citizens assembly?",
]
# Answered well and rated helpful: not gaps.
GOOD = [
    "How did Camden write its data charter with residents?",
    "Where should a council start with its data strategy?",
]
# Personal data a user might type; none of it may be stored or shown.
PERSONAL = (
    "I'm jo.bloggs@example.org on 07700 900123, NI QQ 12 34 56 C, living at 12 Acacia Avenue, LS1 4AP: "
    "how much does a drone survey of our road cost?"
)
RAW_PERSONAL = ["jo.bloggs@example.org", "07700 900123", "QQ 12 34 56 C", "12 Acacia Avenue, LS1 4AP"]
UNHELPFUL_COMMENT = "Nothing about climate assemblies; reply to jo.bloggs@example.org"


@dataclass
class EditorsAssistant(FakeAssistant):
    """The FakeAssistant with the statuses and relevance a real index gives these questions."""

    embeddings: Any = None
    no_evidence: set[str] = field(default_factory=lambda: {*SOCIAL_CARE, *DRONES[:2], PERSONAL})

    def _answer(self, question: str, outcome: str | None) -> Answer:
        if question in self.no_evidence:
            return Answer(
                question,
                "The almanac doesn't have evidence on that.",
                status="no_evidence",
                rule="low-relevance",
                relevance=0.22,
                generator="fake",
            )
        answer = super()._answer(question, outcome)
        answer.relevance = 0.38 if question in DRONES else 0.71
        return answer


@dataclass
class EditorsSite:
    url: str
    client: httpx.Client
    stores: Stores
    settings: Settings
    message_ids: dict[str, str]


def ask(client: httpx.Client, question: str) -> dict[str, Any]:
    reply = client.post("/api/chat", json={"question": question})
    assert reply.status_code == 200, reply.text
    return dict(reply.json())


def rate(client: httpx.Client, answer: dict[str, Any], rating: str, comment: str | None = None) -> None:
    body = {
        "conversation_id": answer["conversation_id"],
        "message_id": answer["message_id"],
        "rating": rating,
    }
    if comment:
        body["comment"] = comment
    reply = client.post("/api/feedback", json=body)
    assert reply.status_code in (200, 201), reply.text


def editors_site(settings: Settings, embeddings: Any) -> Iterator[EditorsSite]:
    """A running server with the questions above asked and rated through its API."""
    settings = settings.model_copy(
        update={"admin_key": SecretStr(ADMIN_KEY), "admin_password": SecretStr("correct horse battery")}
    )
    stores = open_stores(settings)
    assistant = EditorsAssistant(settings, embeddings=embeddings)
    app = create_app(settings, assistant=assistant, stores=stores)
    with serve_in_background(app, port=free_port()) as url, httpx.Client(base_url=url, timeout=120) as client:
        ids = {}
        for question in [*SOCIAL_CARE, *DRONES, *ASSEMBLY, *GOOD, PERSONAL]:
            answer = ask(client, question)
            ids[question] = answer["message_id"]
            if question in ASSEMBLY:
                rate(client, answer, "down", UNHELPFUL_COMMENT if question == ASSEMBLY[0] else None)
            elif question in GOOD:
                rate(client, answer, "up", "Clear and useful.")
        yield EditorsSite(url, client, stores, settings, ids)
