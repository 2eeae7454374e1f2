"""Question sets: JSONL, one question a line, validated with line-numbered errors."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from assistant.errors import AlmanacError
from assistant.intent import KINDS as INTENT_KINDS
from assistant.outcomes import check_outcome_slugs

# What kind of answer a question wants (the assistant's own kinds); reports break nugget recall and lead
# hit down by it.
KINDS = INTENT_KINDS
MIN_NUGGETS, MAX_NUGGETS = 2, 4


class QuestionSetError(AlmanacError):
    """A question set has problems. `problems` lists one line per problem, each naming its line."""

    def __init__(self, path: Path | str, problems: list[str]):
        self.path = str(path)
        self.problems = problems
        count = len(problems)
        head = f"The question set {self.path} has {count} problem{'s' if count != 1 else ''}:"
        super().__init__("\n".join([head, *(f"  - {p}" for p in problems)]))


class _QuestionModel(BaseModel):
    """The schema of one JSONL line."""

    model_config = ConfigDict(extra="forbid", strict=True)

    id: str = Field(min_length=1)
    question: str = Field(min_length=1)
    outcomes: list[str]
    must_mention: list[list[str]] = Field(default_factory=list)
    expected_sources: list[str] = Field(default_factory=list)
    answerable: bool
    history: list[str] = Field(default_factory=list)
    nuggets: list[str] = Field(default_factory=list)
    kind: str = ""

    @field_validator("outcomes")
    @classmethod
    def _known_outcomes(cls, value: list[str]) -> list[str]:
        return check_outcome_slugs(value)

    @field_validator("must_mention")
    @classmethod
    def _non_empty_groups(cls, value: list[list[str]]) -> list[list[str]]:
        if any(not [alt for alt in group if alt.strip()] for group in value):
            raise ValueError("every group needs at least one non-empty alternative")
        return value

    @field_validator("nuggets")
    @classmethod
    def _short_statements(cls, value: list[str]) -> list[str]:
        if value and not MIN_NUGGETS <= len(value) <= MAX_NUGGETS:
            raise ValueError(f"give {MIN_NUGGETS} to {MAX_NUGGETS} statements, not {len(value)}")
        if any(not nugget.strip() for nugget in value):
            raise ValueError("a nugget is blank")
        return value

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        if value not in KINDS:
            raise ValueError(f"unknown kind {value!r}; allowed: {', '.join(KINDS)}")
        return value

    @model_validator(mode="after")
    def _outcomes_match_answerable(self) -> _QuestionModel:
        if self.answerable and not self.outcomes:
            raise ValueError("an answerable question needs at least one outcome")
        if not self.answerable and self.outcomes:
            raise ValueError("an unanswerable question must have an empty outcomes list")
        if not self.answerable and self.nuggets:
            raise ValueError("an unanswerable question has no nuggets: remove them or set answerable to true")
        if not self.question.strip():
            raise ValueError("question is blank")
        return self


@dataclass(frozen=True)
class Question:
    """One evaluation question and what a good answer looks like."""

    id: str
    question: str
    outcomes: list[str]
    answerable: bool
    must_mention: list[list[str]] = field(default_factory=list)
    expected_sources: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)
    nuggets: list[str] = field(default_factory=list)
    kind: str = ""
    line: int = 0

    @property
    def main_outcome(self) -> str | None:
        return self.outcomes[0] if self.outcomes else None


def _describe(error: ValidationError) -> list[str]:
    problems = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"])
        message = str(item["msg"]).removeprefix("Value error, ")
        if item["type"] == "missing":
            message = "is missing"
        elif item["type"] == "extra_forbidden":
            message = "is not a known field (allowed: " + ", ".join(_QuestionModel.model_fields) + ")"
        problems.append(f"field '{where}': {message}" if where else message)
    return problems


def parse_line(text: str) -> Question:
    """One JSONL line as a Question; raises ValueError with readable messages joined by '; '."""
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(data, dict):
        raise ValueError("each line must be a JSON object")
    try:
        model = _QuestionModel.model_validate(data)
    except ValidationError as exc:
        raise ValueError("; ".join(_describe(exc))) from None
    return Question(
        id=model.id,
        question=model.question,
        outcomes=model.outcomes,
        answerable=model.answerable,
        must_mention=model.must_mention,
        expected_sources=model.expected_sources,
        history=model.history,
        nuggets=model.nuggets,
        kind=model.kind,
    )


def load_questions(path: Path) -> list[Question]:
    """Every question in a JSONL file, checked in full before any is returned.

    Raises:
        QuestionSetError: the file is missing or empty, a line is malformed, an outcome slug is unknown or an
            id repeats; every problem is listed with its line number.
    """
    path = Path(path)
    if not path.is_file():
        raise QuestionSetError(
            path, ["file not found; pass --questions with the path of a JSONL question set"]
        )
    questions: list[Question] = []
    problems: list[str] = []
    first_line: dict[str, int] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            question = parse_line(raw)
        except ValueError as exc:
            problems.append(f"line {number}: {exc}")
            continue
        if question.id in first_line:
            problems.append(
                f"line {number}: id {question.id!r} is already used on line {first_line[question.id]}"
            )
            continue
        first_line[question.id] = number
        questions.append(replace(question, line=number))
    if not questions and not problems:
        problems.append("the file has no questions")
    if problems:
        raise QuestionSetError(path, problems)
    return questions
