"""Review dates: when each document was last checked against its sources, and which are overdue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.documents import Document


@dataclass(frozen=True)
class Review:
    """One document's review date and whether it is overdue."""

    doc_id: str
    title: str
    reviewed: dt.date
    age_days: int
    overdue: bool


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day of the month `months` earlier (the month's last day where that day does not exist)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for candidate in range(day.day, 27, -1):
        try:
            return dt.date(year, month, candidate)
        except ValueError:
            continue
    return dt.date(year, month, min(day.day, 28))


def reviews(documents: Sequence[Document], *, today: dt.date, max_age_months: int) -> list[Review]:
    """Every document's review, oldest first; those checked before the cut-off are overdue."""
    cutoff = months_before(today, max_age_months)
    found = [
        Review(
            doc.id,
            doc.meta.title,
            doc.meta.updated,
            (today - doc.meta.updated).days,
            doc.meta.updated < cutoff,
        )
        for doc in documents
    ]
    return sorted(found, key=lambda r: (r.reviewed, r.doc_id))
