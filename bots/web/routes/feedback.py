"""POST /api/feedback: a rating of one answer."""

from __future__ import annotations

from fastapi import APIRouter

from bots.web import schemas
from bots.web.deps import ConversationsDep, FeedbackDep, RateLimited
from bots.web.errors import FieldError

router = APIRouter(tags=["feedback"])


@router.post("/feedback", status_code=201, response_model=schemas.FeedbackStored, dependencies=[RateLimited])
def post_feedback(
    body: schemas.FeedbackRequest, conversations: ConversationsDep, feedback: FeedbackDep
) -> schemas.FeedbackStored:
    """Rate an answer up or down, with an optional comment."""
    turn = conversations.turn(body.message_id)
    if turn is None or turn.conversation_id != body.conversation_id:
        raise FieldError(
            404,
            "message_id: no answer with that id in this conversation; it may have expired.",
            field="message_id",
        )
    comment = (body.comment or "").strip() or None
    stored = feedback.add(
        conversation_id=body.conversation_id, message_id=body.message_id, rating=body.rating, comment=comment
    )
    return schemas.FeedbackStored(id=stored)
