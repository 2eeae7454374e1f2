"""Self-assessment against the 12 outcomes: rubric, scoring, prioritised plan, export and storage.

Knows nothing of HTTP or Slack; every channel uses `Assessor` (saved assessments: bots.store.assessments).
"""

from __future__ import annotations

from assistant.assessment.compare import OutcomeChange, compare
from assistant.assessment.engine import Assessor
from assistant.assessment.model import AssessmentInput, AssessmentInputError, parse_assessment
from assistant.assessment.plan import Plan, PlanItem
from assistant.assessment.pointer import assess_url, assessment_pointer
from assistant.assessment.rubric import LEVEL_NAMES, LEVELS, Level, Rubric, RubricError, load_rubrics
from assistant.assessment.scoring import WEIGHTS, OutcomeResult, Weight, level_from_answers, prioritise

__all__ = [
    "LEVELS",
    "LEVEL_NAMES",
    "WEIGHTS",
    "AssessmentInput",
    "AssessmentInputError",
    "Assessor",
    "Level",
    "OutcomeChange",
    "OutcomeResult",
    "Plan",
    "PlanItem",
    "Rubric",
    "RubricError",
    "Weight",
    "assess_url",
    "assessment_pointer",
    "compare",
    "level_from_answers",
    "load_rubrics",
    "parse_assessment",
    "prioritise",
]
