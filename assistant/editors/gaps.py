"""The gap report: questions the almanac refused for lack of evidence, answered weakly, or users disliked,
grouped into topics, biggest and newest first."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from langchain_core.embeddings import Embeddings

from assistant.editors.clusters import CLUSTER_DISTANCE, group_questions
from assistant.editors.records import Asked

EXAMPLES = 5


@dataclass
class Gap:
    """One topic users asked about that the almanac does not cover well."""

    id: int
    name: str  # the group's most central question
    outcome: str | None  # the outcome nearest the topic (a slug)
    outcome_name: str | None
    count: int
    newest: float
    reasons: dict[str, int]
    weeks: dict[str, int]  # ISO week -> questions
    examples: list[Asked] = field(default_factory=list)  # most central first
    members: list[Asked] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "outcome": self.outcome,
            "outcome_name": self.outcome_name,
            "count": self.count,
            "newest": self.newest,
            "reasons": self.reasons,
            "weeks": self.weeks,
            "examples": [
                {"question": a.question, "answer": a.answer_text, "status": a.status, "week": a.week}
                for a in self.examples
            ],
        }


@dataclass
class GapReport:
    """The gaps, with how many questions were asked and how many of them fell short."""

    asked: int
    short: int
    without_text: int  # gaps whose text has passed the retention period (counted, not grouped)
    gaps: list[Gap]
    weeks: list[str]


def gap_report(
    records: Sequence[Asked],
    embeddings: Embeddings,
    *,
    low_relevance: float,
    distance: float = CLUSTER_DISTANCE,
) -> GapReport:
    """Group the questions that fell short into topics, biggest then newest first."""
    short = [(a, reason) for a in records if (reason := a.gap_reason(low_relevance))]
    with_text = [(a, reason) for a, reason in short if a.question]
    groups = group_questions([a.question or "" for a, _ in with_text], embeddings, distance=distance)
    gaps = []
    for group in groups:
        members = [with_text[i] for i in group.members]
        gaps.append(
            Gap(
                id=0,
                name=members[0][0].question or "",
                outcome=group.outcome.slug if group.outcome else None,
                outcome_name=group.outcome.name if group.outcome else None,
                count=len(members),
                newest=max(a.created_at for a, _ in members),
                reasons=dict(Counter(reason for _, reason in members).most_common()),
                weeks=dict(sorted(Counter(a.week for a, _ in members).items())),
                examples=[a for a, _ in members[:EXAMPLES]],
                members=[a for a, _ in members],
            )
        )
    gaps.sort(key=lambda g: (-g.count, -g.newest))
    for number, gap in enumerate(gaps, start=1):
        gap.id = number
    weeks = sorted({a.week for a in records})
    return GapReport(len(records), len(short), len(short) - len(with_text), gaps, weeks)
