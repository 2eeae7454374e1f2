"""Assessor: the one object every channel uses to validate, score, plan, export and compare assessments."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assistant.assessment.compare import OutcomeChange, compare
from assistant.assessment.export import assessment_csv, plan_markdown
from assistant.assessment.guide import Guide, Source, load_case_studies, load_guides
from assistant.assessment.model import AssessmentInput, parse_assessment
from assistant.assessment.plan import Plan, build_plan
from assistant.assessment.rubric import LEVEL_NAMES, LEVELS, Rubric, load_rubrics
from assistant.assessment.scoring import WEIGHTS, OutcomeResult, score_all
from assistant.config import Settings
from assistant.outcomes import get_outcome


class Assessor:
    """The rubric, the outcome guides and the case studies, read once from the corpus folder."""

    def __init__(
        self,
        rubrics: dict[str, Rubric],
        guides: dict[str, Guide],
        cases: list[Source],
    ):
        self.rubrics = rubrics
        self.guides = guides
        self.cases = cases

    @classmethod
    def from_corpus(cls, corpus_dir: Path) -> Assessor:
        """Load everything from a corpus folder (raises RubricError when the rubric is invalid)."""
        return cls(load_rubrics(corpus_dir), load_guides(corpus_dir), load_case_studies(corpus_dir))

    @classmethod
    def from_settings(cls, settings: Settings) -> Assessor:
        return cls.from_corpus(settings.corpus_dir)

    def parse(self, data: Any, *, where: str = "") -> AssessmentInput:
        """Validated input (raises AssessmentInputError naming each bad field)."""
        return parse_assessment(data, self.rubrics, where=where)

    def score(self, data: AssessmentInput) -> list[OutcomeResult]:
        return score_all(self.rubrics, data.answers, data.weights)

    def plan(self, data: AssessmentInput) -> Plan:
        """Scores and the prioritised, cited plan."""
        return build_plan(
            self.score(data),
            rubrics=self.rubrics,
            guides=self.guides,
            cases=self.cases,
            council_type=data.council_type,
            label=data.label,
        )

    def markdown(self, data: AssessmentInput) -> str:
        return plan_markdown(self.plan(data))

    def csv(self, data: AssessmentInput) -> str:
        return assessment_csv(self.plan(data), self.rubrics)

    def compare(self, before: AssessmentInput, after: AssessmentInput) -> list[OutcomeChange]:
        return compare(self.score(before), self.score(after))

    def rubric_data(self) -> dict[str, Any]:
        """The rubric as JSON-ready data, for the web page and API clients."""
        return {
            "levels": [{"id": level, "name": LEVEL_NAMES[level]} for level in LEVELS],
            "weights": list(WEIGHTS),
            "outcomes": [
                {
                    "slug": slug,
                    "name": get_outcome(slug).name,
                    "description": get_outcome(slug).description,
                    "statements": [
                        {
                            "id": s.id,
                            "prompt": s.prompt,
                            "options": [{"id": lv, "text": s.options.text(lv)} for lv in LEVELS],
                        }
                        for s in rubric.statements
                    ],
                }
                for slug, rubric in self.rubrics.items()
            ],
        }
