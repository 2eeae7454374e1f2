"""What a user submits: answers, weights and council type, checked against the rubric."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.assessment.rubric import LEVELS, Level, Rubric
from assistant.assessment.scoring import WEIGHTS, Weight
from assistant.documents import CouncilType
from assistant.errors import AlmanacError
from assistant.outcomes import OUTCOME_SLUGS

COUNCIL_TYPES: tuple[str, ...] = CouncilType.__args__  # type: ignore[attr-defined]


class AssessmentInputError(AlmanacError, ValueError):
    """Answers that do not fit the rubric. `problems` holds (field, message) pairs, field dotted."""

    def __init__(self, problems: list[tuple[str, str]], *, where: str = ""):
        self.problems = problems
        prefix = f"{where}: " if where else ""
        super().__init__("; ".join(f"{prefix}{field}: {message}" for field, message in problems))

    @property
    def field(self) -> str:
        return self.problems[0][0] if self.problems else ""


class AssessmentInput(BaseModel):
    """A self-assessment as sent by a channel: any subset of the outcomes may be answered."""

    model_config = ConfigDict(extra="forbid")

    answers: dict[str, dict[str, Level]] = Field(
        default_factory=dict,
        description="outcome slug -> statement id -> starting|developing|established|leading",
    )
    weights: dict[str, Weight] = Field(
        default_factory=dict, description="outcome slug -> low|medium|high (default medium)"
    )
    council_type: CouncilType | None = None
    label: str | None = Field(default=None, max_length=120, description="A name for this assessment.")


def _readable(item: dict[str, Any]) -> str:
    kind = item.get("type", "")
    if kind == "literal_error" and item["loc"][0] == "answers":
        return f"is not an option; choose one of {', '.join(LEVELS)}"
    if kind == "literal_error" and item["loc"][0] == "weights":
        return f"is not a weight; choose one of {', '.join(WEIGHTS)}"
    if kind == "literal_error" and item["loc"][0] == "council_type":
        return f"is not a council type; choose one of {', '.join(COUNCIL_TYPES)}"
    if kind == "extra_forbidden":
        return "is not a known field; use answers, weights, council_type and label"
    return str(item.get("msg", "is not valid")).removeprefix("Value error, ")


def check_rubric_fit(data: AssessmentInput, rubrics: dict[str, Rubric]) -> list[tuple[str, str]]:
    """Problems with outcomes or statement ids the rubric does not know, as (field, message) pairs."""
    problems: list[tuple[str, str]] = []
    allowed = ", ".join(OUTCOME_SLUGS)
    for group in ("answers", "weights"):
        for slug in getattr(data, group):
            if slug not in rubrics:
                problems.append((f"{group}.{slug}", f"is not an outcome; use one of {allowed}"))
    for slug, answers in data.answers.items():
        rubric = rubrics.get(slug)
        if rubric is None:
            continue
        for statement_id in answers:
            if statement_id not in rubric.statement_ids:
                problems.append(
                    (
                        f"answers.{slug}.{statement_id}",
                        f"is not a statement of {slug}; use one of {', '.join(rubric.statement_ids)}",
                    )
                )
    return problems


def parse_assessment(data: Any, rubrics: dict[str, Rubric], *, where: str = "") -> AssessmentInput:
    """Validate raw data (e.g. parsed JSON) into an AssessmentInput that fits the rubric.

    Raises:
        AssessmentInputError: every problem, each naming the field (and `where`, e.g. a file name).
    """
    if isinstance(data, AssessmentInput):
        parsed = data
    else:
        if not isinstance(data, dict):
            raise AssessmentInputError([("body", "must be a JSON object with answers")], where=where)
        try:
            parsed = AssessmentInput.model_validate(data)
        except ValidationError as exc:
            problems = [
                (".".join(str(p) for p in item["loc"]) or "body", _readable(dict(item)))
                for item in exc.errors()
            ]
            raise AssessmentInputError(problems, where=where) from None
    problems = check_rubric_fit(parsed, rubrics)
    if problems:
        raise AssessmentInputError(problems, where=where)
    return parsed
