"""What moved between two assessments of the same council."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from assistant.assessment.rubric import LEVEL_NAMES, LEVELS
from assistant.assessment.scoring import OutcomeResult

Movement = Literal["up", "down", "same", "newly assessed", "no longer assessed", "not assessed"]


@dataclass
class OutcomeChange:
    """One outcome's level before and after, and the statements whose answers changed."""

    slug: str
    name: str
    before: str | None
    after: str | None
    movement: Movement
    statements_up: list[str]
    statements_down: list[str]

    def sentence(self) -> str:
        """A line such as "Data: Starting -> Developing (up)"."""
        before = LEVEL_NAMES.get(self.before or "", "not assessed")
        after = LEVEL_NAMES.get(self.after or "", "not assessed")
        return f"{self.name}: {before} -> {after} ({self.movement})"


def compare(before: list[OutcomeResult], after: list[OutcomeResult]) -> list[OutcomeChange]:
    """Outcome by outcome, how the level and the answers moved from an earlier assessment to a later one."""
    earlier = {r.slug: r for r in before}
    changes = []
    for now in after:
        then = earlier.get(now.slug)
        old = then.level if then else None
        if old is None and now.level is None:
            movement: Movement = "not assessed"
        elif old is None:
            movement = "newly assessed"
        elif now.level is None:
            movement = "no longer assessed"
        else:
            delta = LEVELS.index(now.level) - LEVELS.index(old)
            movement = "up" if delta > 0 else "down" if delta < 0 else "same"
        old_answers = then.answers if then else {}
        up: list[str] = []
        down: list[str] = []
        for sid, level in now.answers.items():
            if sid in old_answers and level != old_answers[sid]:
                (up if LEVELS.index(level) > LEVELS.index(old_answers[sid]) else down).append(sid)
        changes.append(OutcomeChange(now.slug, now.name, old, now.level, movement, up, down))
    return changes
