"""Scoring and prioritisation: answers to levels, levels and weights to priorities.

The rules, in words (the web page, the CLI and the docs repeat them):

- **Level of an outcome.** Each answered statement reaches the level of the option chosen and every level
  below it. The outcome's level is the highest level that *more than half* of its answered statements reach.
  An exact half does not count, so ties go to the lower level: answers (developing, established) give
  Developing. This is the lower median of the answers. The weakest statements (the lowest answers) are shown
  beside the level, because they are what holds it back.
- **Partial assessments.** Unanswered statements are left out; an outcome with no answers is "not assessed"
  and is neither scored nor prioritised. How many statements were answered is always shown.
- **Priority.** priority = weight x gap. The weight is how much the outcome matters to the council's plans:
  low 1, medium 2 (the default), high 3. The gap is the share of answered statements still below the next
  level (0 to 1). An outcome at Leading has no next level and a gap of 0. Equal priorities go to the lower
  level first, then to the outcome order of the framework.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from assistant.assessment.rubric import LEVEL_NAMES, LEVELS, Level, Rubric
from assistant.outcomes import OUTCOME_SLUGS, get_outcome

Weight = Literal["low", "medium", "high"]
WEIGHTS: tuple[Weight, ...] = ("low", "medium", "high")
WEIGHT_FACTORS: dict[str, int] = {"low": 1, "medium": 2, "high": 3}
DEFAULT_WEIGHT: Weight = "medium"


@dataclass
class OutcomeResult:
    """One outcome's score: its level, how it was reached and how much it matters."""

    slug: str
    name: str
    level: Level | None  # None: not assessed
    answered: int
    total: int
    answers: dict[str, Level] = field(default_factory=dict)
    weakest: list[str] = field(default_factory=list)  # statement ids with the lowest answer
    weight: Weight = DEFAULT_WEIGHT
    gap: float = 0.0
    priority: float = 0.0

    @property
    def assessed(self) -> bool:
        return self.level is not None

    @property
    def level_index(self) -> int:
        """0 (starting) to 3 (leading); -1 when not assessed."""
        return LEVELS.index(self.level) if self.level else -1

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES[self.level] if self.level else "Not assessed"

    @property
    def next_level(self) -> Level | None:
        """The level to aim for next, or None at Leading (and when not assessed)."""
        if self.level is None or self.level == "leading":
            return None
        return LEVELS[LEVELS.index(self.level) + 1]


def level_from_answers(answers: list[Level]) -> Level | None:
    """The highest level more than half the answers reach (ties to the lower); None when no answers."""
    if not answers:
        return None
    indices = sorted((LEVELS.index(a) for a in answers), reverse=True)
    # With answers sorted high to low, the (n // 2 + 1)-th answer is the highest level a strict majority reach.
    return LEVELS[indices[len(indices) // 2]]


def score_outcome(
    rubric: Rubric, answers: dict[str, Level], *, weight: Weight = DEFAULT_WEIGHT
) -> OutcomeResult:
    """Score one outcome from its answers (statement id -> level); unknown ids are ignored."""
    known = {sid: level for sid, level in answers.items() if sid in rubric.statement_ids}
    ordered = {sid: known[sid] for sid in rubric.statement_ids if sid in known}
    level = level_from_answers(list(ordered.values()))
    result = OutcomeResult(
        slug=rubric.outcome,
        name=get_outcome(rubric.outcome).name,
        level=level,
        answered=len(ordered),
        total=len(rubric.statements),
        answers=ordered,
        weight=weight,
    )
    if level is None:
        return result
    lowest = min(LEVELS.index(a) for a in ordered.values())
    result.weakest = [sid for sid, a in ordered.items() if LEVELS.index(a) == lowest]
    target = result.next_level
    if target is not None:
        below = sum(1 for a in ordered.values() if LEVELS.index(a) < LEVELS.index(target))
        result.gap = round(below / len(ordered), 4)
        result.priority = round(WEIGHT_FACTORS[weight] * below / len(ordered), 4)
    return result


def score_all(
    rubrics: dict[str, Rubric], answers: dict[str, dict[str, Level]], weights: dict[str, Weight]
) -> list[OutcomeResult]:
    """Every outcome's result, in the framework's outcome order (unassessed outcomes included)."""
    return [
        score_outcome(rubrics[slug], answers.get(slug, {}), weight=weights.get(slug, DEFAULT_WEIGHT))
        for slug in OUTCOME_SLUGS
        if slug in rubrics
    ]


def prioritise(results: list[OutcomeResult]) -> list[OutcomeResult]:
    """Assessed outcomes with something to do (priority > 0), highest priority first."""
    order = {slug: i for i, slug in enumerate(OUTCOME_SLUGS)}
    ranked = [r for r in results if r.assessed and r.priority > 0]
    return sorted(ranked, key=lambda r: (-r.priority, r.level_index, order.get(r.slug, 99)))


def focus(results: list[OutcomeResult], *, most: int = 5, least: int = 3) -> list[OutcomeResult]:
    """The outcomes for the plan: the top `least` by priority, then up to `most` while an outcome's priority
    is at least half the top one's, so a plan stays short when one or two outcomes clearly lead."""
    ranked = prioritise(results)
    if not ranked:
        return []
    top = ranked[0].priority
    chosen = ranked[:least]
    chosen += [r for r in ranked[least:most] if r.priority >= top / 2]
    return chosen
