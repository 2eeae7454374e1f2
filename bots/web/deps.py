"""Dependencies of the routes, as typed aliases; tests can swap any of them with app.dependency_overrides."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from assistant.answer import Turn
from assistant.config import Settings
from assistant.rag import Assistant
from bots.assistants import AssistantProvider
from bots.store import ConversationStore, FeedbackStore
from bots.web import schemas
from bots.web.catalogue import DocumentCatalogue
from bots.web.errors import FieldError
from bots.web.security import enforce_rate_limit, require_api_key


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_provider(request: Request) -> AssistantProvider:
    return request.app.state.assistants


async def get_assistant(request: Request) -> Assistant:
    """The shared Assistant; the first request after start-up may wait while the model loads."""
    return await run_in_threadpool(get_provider(request).get)


def get_conversations(request: Request) -> ConversationStore:
    return request.app.state.stores.conversations


def get_feedback(request: Request) -> FeedbackStore:
    return request.app.state.stores.feedback


def get_catalogue(request: Request) -> DocumentCatalogue:
    return request.app.state.catalogue


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
ProviderDep = Annotated[AssistantProvider, Depends(get_provider)]
AssistantDep = Annotated[Assistant, Depends(get_assistant)]
ConversationsDep = Annotated[ConversationStore, Depends(get_conversations)]
FeedbackDep = Annotated[FeedbackStore, Depends(get_feedback)]
CatalogueDep = Annotated[DocumentCatalogue, Depends(get_catalogue)]
RateLimited = Depends(enforce_rate_limit)
ApiKeyRequired = Depends(require_api_key)


@dataclass
class Question:
    """A checked question with the conversation it continues."""

    text: str
    conversation_id: str
    outcome: str | None = None
    history: list[Turn] = field(default_factory=list)


def asked_question(
    body: schemas.ChatRequest, settings: SettingsDep, conversations: ConversationsDep
) -> Question:
    """The question and its history, or 422 when it is over the configured length."""
    text = body.question.strip()
    if len(text) > settings.max_question_chars:
        raise FieldError(
            422,
            f"question: is {len(text)} characters long; the limit is {settings.max_question_chars}. "
            "Shorten it and try again.",
            field="question",
        )
    if body.conversation_id:
        history = conversations.history(body.conversation_id)
        return Question(text, body.conversation_id, body.outcome, history)
    return Question(text, conversations.new_id(), body.outcome)


QuestionDep = Annotated[Question, Depends(asked_question)]
