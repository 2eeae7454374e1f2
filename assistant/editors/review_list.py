"""Documents to review: by last review date, overdue ones flagged, the most cited first."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.documents import Document
from assistant.editors.records import Asked
from assistant.freshness import Review, reviews


@dataclass(frozen=True)
class ToReview:
    """A document's review with how often answers cited it."""

    review: Review
    cited: int

    def as_dict(self) -> dict[str, object]:
        r = self.review
        return {
            "doc_id": r.doc_id,
            "title": r.title,
            "reviewed": r.reviewed.isoformat(),
            "age_days": r.age_days,
            "overdue": r.overdue,
            "cited": self.cited,
        }


def review_list(
    documents: Sequence[Document], records: Sequence[Asked], *, today: dt.date, max_age_months: int
) -> list[ToReview]:
    """Overdue documents first, then the rest; within each the most cited, then the oldest review."""
    cited = Counter(doc_id for record in records for doc_id in record.doc_ids)
    found = [
        ToReview(r, cited.get(r.doc_id, 0))
        for r in reviews(documents, today=today, max_age_months=max_age_months)
    ]
    return sorted(found, key=lambda t: (not t.review.overdue, -t.cited, t.review.reviewed, t.review.doc_id))
