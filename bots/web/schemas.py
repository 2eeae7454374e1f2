"""Request and response bodies of the web API, as they appear in the OpenAPI docs.

An answer has no schema here: the routes return `assistant.answer.Answer` itself, so the API, Slack and
the conversation store share one definition.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from assistant.outcomes import OUTCOME_SLUGS, is_outcome

ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"


def encodable(value: str) -> str:
    """The text, or ValueError when it holds characters UTF-8 cannot encode (lone surrogates)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(
            "contains characters that are not valid text (unpaired surrogates); retype it"
        ) from None
    return value


class ChatRequest(BaseModel):
    """A question, optionally continuing a conversation or limited to one outcome."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(description="The question in plain words.")
    conversation_id: str | None = Field(
        default=None, pattern=ID_PATTERN, description="From an earlier answer, to ask a follow-up."
    )
    outcome: str | None = Field(default=None, description="Only use documents for this outcome slug.")

    @field_validator("question")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("is empty; type a question")
        return encodable(value)

    @field_validator("outcome")
    @classmethod
    def _known_outcome(cls, value: str | None) -> str | None:
        if value is not None and not is_outcome(value):
            raise ValueError(f"is not a known outcome; use one of: {', '.join(OUTCOME_SLUGS)}")
        return value


class FeedbackRequest(BaseModel):
    """A rating of one answer, with an optional comment."""

    model_config = ConfigDict(extra="forbid")

    conversation_id: str = Field(pattern=ID_PATTERN)
    message_id: str = Field(pattern=ID_PATTERN)
    rating: Literal["up", "down"]
    comment: str | None = Field(default=None, max_length=2000)

    @field_validator("comment")
    @classmethod
    def _encodable_comment(cls, value: str | None) -> str | None:
        return None if value is None else encodable(value)


class FeedbackStored(BaseModel):
    """Confirmation that a rating was stored."""

    id: int
    stored: bool = True


class OutcomeOut(BaseModel):
    """One of the 12 digitalisation outcomes."""

    slug: str
    name: str
    description: str


class OutcomeRef(BaseModel):
    """An outcome named by a document."""

    slug: str
    name: str


class SourceOut(BaseModel):
    """An external source a document draws on."""

    title: str
    publisher: str
    year: int | None = None
    url: str | None = None


class DocumentOut(BaseModel):
    """An almanac document: what it covers and where it comes from."""

    id: str
    title: str
    type: str
    summary: str
    outcomes: list[OutcomeRef]
    sources: list[SourceOut]
    path: str = Field(description="Where the document lives in the almanac, e.g. corpus/outcomes/data.md.")
    council: str | None = None
    region: str | None = None
    years: str | None = None
    updated: str | None = None


class Health(BaseModel):
    """The process is up."""

    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    """Whether the index is loaded and holds chunks."""

    status: Literal["ready", "not ready"]
    chunks: int = 0
    detail: str | None = None


class ErrorOut(BaseModel):
    """Every error body: one readable sentence, and the field at fault when there is one."""

    detail: str
    field: str | None = None
