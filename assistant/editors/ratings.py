"""Feedback by outcome and by document: helpful rate, comments, documents most cited in disliked answers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.editors.records import Asked


@dataclass
class Tally:
    """Ratings of the answers that touched one outcome or cited one document."""

    key: str
    helpful: int = 0
    unhelpful: int = 0
    comments: list[str] = field(default_factory=list)

    @property
    def rated(self) -> int:
        return self.helpful + self.unhelpful

    @property
    def helpful_rate(self) -> float | None:
        return self.helpful / self.rated if self.rated else None

    def as_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "helpful": self.helpful,
            "unhelpful": self.unhelpful,
            "helpful_rate": None if self.helpful_rate is None else round(self.helpful_rate, 3),
            "comments": self.comments,
        }


@dataclass
class FeedbackReport:
    """Every rating, by the answer's main outcome and by each document the answer cited."""

    helpful: int
    unhelpful: int
    by_outcome: list[Tally]
    by_document: list[Tally]  # most unhelpful first
    disliked: list[Asked]  # answers rated unhelpful, newest first


def tally(records: Sequence[Asked], keys: str) -> list[Tally]:
    """Ratings counted per outcome (keys="outcomes", the answer's first) or per cited document ("doc_ids")."""
    found: dict[str, Tally] = {}
    for record in records:
        if not record.ratings:
            continue
        values = record.outcomes[:1] if keys == "outcomes" else record.doc_ids
        for key in values:
            entry = found.setdefault(key, Tally(key))
            for rating in record.ratings:
                if rating.helpful:
                    entry.helpful += 1
                else:
                    entry.unhelpful += 1
                if rating.comment:
                    entry.comments.append(rating.comment)
    return sorted(found.values(), key=lambda t: (-t.unhelpful, -t.rated, t.key))


def feedback_report(records: Sequence[Asked]) -> FeedbackReport:
    """Ratings by outcome and document, and the disliked answers."""
    ratings = [r for record in records for r in record.ratings]
    disliked = sorted((r for r in records if r.unhelpful), key=lambda r: -r.created_at)
    return FeedbackReport(
        helpful=sum(r.helpful for r in ratings),
        unhelpful=sum(not r.helpful for r in ratings),
        by_outcome=tally(records, "outcomes"),
        by_document=tally(records, "doc_ids"),
        disliked=disliked,
    )
