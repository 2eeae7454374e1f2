"""What the editors' reports read: one record per question asked, with the ratings of its answer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rating:
    """One thumbs up or down, with the comment given."""

    helpful: bool
    comment: str | None = None


@dataclass
class Asked:
    """A question, what the almanac answered and how users rated it.

    `question` and `answer_text` are None once the editors' retention period has passed.
    """

    message_id: str
    created_at: float
    status: str
    channel: str = "web"
    question: str | None = None
    answer_text: str | None = None
    rule: str | None = None
    kind: str = ""
    relevance: float | None = None
    outcomes: list[str] = field(default_factory=list)
    doc_ids: list[str] = field(default_factory=list)
    ratings: list[Rating] = field(default_factory=list)

    @property
    def day(self) -> dt.date:
        return dt.datetime.fromtimestamp(self.created_at, tz=dt.UTC).date()

    @property
    def week(self) -> str:
        """The ISO week it was asked in, e.g. 2026-W48."""
        year, week, _ = self.day.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def unhelpful(self) -> bool:
        """Rated down more often than up."""
        downs = sum(not r.helpful for r in self.ratings)
        return downs > 0 and downs >= len(self.ratings) - downs

    def gap_reason(self, low_relevance: float) -> str | None:
        """Why this question shows the almanac falls short, or None when it does not.

        Refusals for lack of evidence, answers drawn from passages less similar than `low_relevance`, and
        answers rated unhelpful count; guardrail and out-of-scope refusals do not (the almanac should not
        answer those).
        """
        if self.status == "no_evidence":
            return "no evidence"
        if self.unhelpful:
            return "rated unhelpful"
        if self.status == "answered" and self.relevance is not None and self.relevance < low_relevance:
            return "low relevance"
        return None
