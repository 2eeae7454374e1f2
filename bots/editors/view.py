"""The editors' reports from the stored questions and ratings, for a period ending now."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass

from langchain_core.embeddings import Embeddings

from assistant.config import Settings
from assistant.documents import Document
from assistant.editors.gaps import GapReport, gap_report
from assistant.editors.ratings import FeedbackReport, feedback_report
from assistant.editors.records import Asked
from assistant.editors.review_list import ToReview, review_list
from bots.store import AskedLog

PERIOD_RE = re.compile(r"^\s*(\d{1,4})\s*([hdw])\s*$", re.IGNORECASE)
UNIT_SECONDS = {"h": 3600, "d": 86_400, "w": 7 * 86_400}


def period_seconds(text: str) -> float:
    """'30d', '12h' or '4w' in seconds; ValueError saying what is allowed otherwise."""
    match = PERIOD_RE.match(text)
    if not match or int(match.group(1)) == 0:
        raise ValueError(f"--since: {text!r} is not a period; give a number and h, d or w, e.g. 30d or 4w.")
    return int(match.group(1)) * UNIT_SECONDS[match.group(2).lower()]


@dataclass
class EditorsView:
    """Everything an editor reads, computed once for one period."""

    records: list[Asked]
    gaps: GapReport
    feedback: FeedbackReport
    reviews: list[ToReview]
    since: float


def build_view(
    asked: AskedLog,
    settings: Settings,
    *,
    embeddings: Embeddings | None,
    documents: Sequence[Document],
    period: float,
    now: float | None = None,
) -> EditorsView:
    """The reports for the questions asked in the last `period` seconds (no gap topics without embeddings)."""
    now = time.time() if now is None else now
    since = now - period
    records = asked.since(since)
    return EditorsView(
        records=records,
        gaps=gap_report(records, embeddings, low_relevance=settings.gap_relevance)
        if embeddings is not None
        else GapReport(len(records), 0, 0, [], []),
        feedback=feedback_report(records),
        reviews=review_list(
            documents,
            records,
            today=dt.datetime.fromtimestamp(now, tz=dt.UTC).date(),
            max_age_months=settings.review_age_months,
        ),
        since=since,
    )
