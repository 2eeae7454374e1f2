"""POST /api/chat and /api/chat/stream: one answer, whole or as server-sent events."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from fastapi import APIRouter
from fastapi.sse import EventSourceResponse, ServerSentEvent
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from assistant.answer import Answer
from assistant.errors import AlmanacError
from bots.web.deps import AssistantDep, ConversationsDep, QuestionDep, RateLimited
from bots.web.errors import answer_error

log = logging.getLogger("almanac.web")
router = APIRouter(tags=["chat"], dependencies=[RateLimited])


@router.post("/chat", response_model=Answer)
def chat(question: QuestionDep, assistant: AssistantDep, conversations: ConversationsDep) -> Answer:
    """Answer a question; pass the returned conversation_id back to ask a follow-up."""
    try:
        answer = assistant.ask(question.text, history=question.history, outcome=question.outcome)
    except (ValueError, KeyError, AlmanacError) as exc:
        raise answer_error(exc) from None
    conversations.record_turn(question.conversation_id, answer)
    return answer


@router.post(
    "/chat/stream",
    response_class=EventSourceResponse,
    responses={200: {"description": "`delta` events with text pieces, then `answer` (or `error`)"}},
)
async def chat_stream(
    question: QuestionDep, assistant: AssistantDep, conversations: ConversationsDep
) -> AsyncIterator[ServerSentEvent]:
    """The /api/chat answer as server-sent events: `delta` text pieces, then `answer` (or `error`)."""
    try:
        pieces = assistant.stream(question.text, history=question.history, outcome=question.outcome)
        async for item in iterate_in_threadpool(pieces):
            if isinstance(item, Answer):
                await run_in_threadpool(conversations.record_turn, question.conversation_id, item)
                yield ServerSentEvent(event="answer", data=item.to_dict())
            else:
                yield ServerSentEvent(event="delta", data={"text": item})
    except Exception as exc:  # noqa: BLE001 - headers are sent; the failure must travel as an event
        error = answer_error(exc)
        if error.status_code == 500:
            log.exception("streamed answer failed")
        yield ServerSentEvent(event="error", data={"detail": error.detail, "status": error.status_code})
