"""Review dates: the cut-off month arithmetic and which documents are overdue."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from assistant.freshness import months_before, reviews
from ingest.load import load_corpus
from tests.corpus_fixtures import small_corpus


def test_months_before_keeps_the_day_or_the_months_last_day() -> None:
    assert months_before(dt.date(2026, 12, 1), 12) == dt.date(2025, 12, 1)
    assert months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2026, 1, 15), 13) == dt.date(2024, 12, 15)


def test_overdue_documents_come_first(tmp_path: Path) -> None:
    corpus = small_corpus(tmp_path / "corpus")
    first = sorted(corpus.glob("*.md"))[0]
    first.write_text(first.read_text(encoding="utf-8").replace("updated: 2026-11-27", "updated: 2025-11-30"))
    found = reviews(load_corpus(corpus), today=dt.date(2026, 12, 1), max_age_months=12)
    assert [r.overdue for r in found] == [True, False, False]
    assert found[0].reviewed == dt.date(2025, 11, 30) and found[0].age_days == 366
    assert not any(
        r.overdue for r in reviews(load_corpus(corpus), today=dt.date(2026, 12, 1), max_age_months=13)
    )
