"""`almanac gaps` and `almanac feedback`: the editors' reports in the terminal."""

from __future__ import annotations

from pathlib import Path

from assistant.config import Settings
from assistant.editors.drafts import draft_jsonl
from assistant.editors.render import feedback_rows, gap_rows, render
from bots.editors.view import EditorsView, build_view, period_seconds
from bots.store import open_stores


def view_for(settings: Settings, since: str, *, with_gaps: bool) -> EditorsView:
    """The reports for the period from the settings' database and corpus (ValueError for a bad period)."""
    from ingest.load import load_corpus

    period = period_seconds(since)
    stores = open_stores(settings)
    embeddings = None
    if with_gaps:
        from assistant.embeddings import get_embeddings

        embeddings = get_embeddings(settings.embedding_model)
    return build_view(
        stores.asked,
        settings,
        embeddings=embeddings,
        documents=load_corpus(settings.corpus_dir),
        period=period,
    )


def gaps_text(settings: Settings, *, since: str, fmt: str, export: Path | None = None) -> str:
    """The gap report; with `export`, every gap question is also written there as draft question-set JSONL."""
    view = view_for(settings, since, with_gaps=True)
    if export is not None:
        export.write_text(draft_jsonl([a for gap in view.gaps.gaps for a in gap.members]), encoding="utf-8")
    text = render(gap_rows(view.gaps), fmt)
    if fmt == "table":
        text = (
            f"{view.gaps.short} of {view.gaps.asked} questions since {since} fell short "
            f"(weeks {', '.join(view.gaps.weeks) or 'none'}):\n\n{text}"
        )
    return text


def feedback_text(settings: Settings, *, since: str, fmt: str) -> str:
    """Ratings by outcome and by cited document."""
    view = view_for(settings, since, with_gaps=False)
    text = render(feedback_rows(view.feedback), fmt)
    if fmt == "table":
        report = view.feedback
        text = f"{report.helpful} helpful and {report.unhelpful} unhelpful ratings since {since}:\n\n{text}"
    return text
