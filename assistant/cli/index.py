"""`almanac ingest` and `almanac status`: build the vector index and say what it holds."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from assistant.cli.base import console, fail, settings_for
from assistant.config import Settings, get_settings
from assistant.errors import AlmanacError


def ingest(
    corpus: Annotated[Path | None, typer.Option(help="Corpus folder (default: ALMANAC_CORPUS_DIR).")] = None,
    rebuild: Annotated[bool, typer.Option(help="Drop the index and embed everything again.")] = False,
) -> None:
    """Embed the corpus into the vector index (only what changed)."""
    from ingest.pipeline import sync_corpus

    settings = settings_for(corpus)
    interactive = sys.stdout.isatty()
    try:
        if interactive:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TaskID,
                TextColumn,
                TimeElapsedColumn,
            )

            with Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
            ) as bar:
                tasks: dict[str, TaskID] = {}

                def show(kind: str, done: int, total: int) -> None:
                    if kind not in tasks:
                        tasks[kind] = bar.add_task(kind.capitalize(), total=total)
                    bar.update(tasks[kind], completed=done, total=total)

                report = sync_corpus(settings, rebuild=rebuild, progress=show)
        else:
            last: dict[str, int] = {}

            def show_plain(kind: str, done: int, total: int) -> None:
                step = max(1, total // 10)
                if done == total or done - last.get(kind, 0) >= step:
                    last[kind] = done
                    print(f"{kind}: {done}/{total}", flush=True)

            report = sync_corpus(settings, rebuild=rebuild, progress=show_plain)
    except AlmanacError as exc:
        raise fail(str(exc)) from None
    print(f"Ingested into {settings.index_location()}: {report.summary()}")


def status(
    reviews: Annotated[
        bool, typer.Option("--reviews", help="List every document by its review date, oldest first.")
    ] = False,
) -> None:
    """Show where the index is, its model, what it holds, and which documents are overdue for review."""
    from assistant.store import ChromaStore

    settings = get_settings()
    try:
        store = ChromaStore(settings)
        info = store.info()
        metas = [meta for _, meta in store.iter_metadata()]
    except AlmanacError as exc:
        raise fail(str(exc)) from None
    from assistant.outcomes import OUTCOMES

    docs: dict[str, dict] = {}
    for meta in metas:
        docs.setdefault(str(meta.get("doc_id")), meta)
    print(f"Index:            {settings.index_location()} (collection {store.name!r})")
    print(
        f"Embedding model:  {info.get('embedding_model', settings.embedding_model or 'bundled all-MiniLM-L6-v2')}"
    )
    print(f"Documents:        {len(docs)}")
    print(f"Chunks:           {len(metas)}")
    print(f"Last ingested:    {info.get('ingested_at', 'never: run `almanac ingest`')}")
    print(f"Last changed:     {info.get('changed_at', '-')}")
    by_type = Counter(str(meta.get("type")) for meta in docs.values())
    print("Documents by type:")
    for doc_type in ("overview", "guidance", "case-study"):
        print(f"  {doc_type:<28}{by_type.get(doc_type, 0)}")
    print("Documents by outcome:")
    for outcome in OUTCOMES:
        count = sum(1 for meta in docs.values() if meta.get(f"outcome_{outcome.slug}"))
        print(f"  {outcome.slug:<28}{count}")
    print_reviews(settings, Path(str(info.get("corpus_dir") or settings.corpus_dir)), show_all=reviews)


def print_reviews(settings: Settings, corpus: Path, *, show_all: bool) -> None:
    """Documents by last review date, with those past the review age flagged."""
    import datetime as dt

    from assistant.freshness import reviews as review_list
    from ingest.load import load_corpus

    try:
        found = review_list(
            load_corpus(corpus), today=dt.date.today(), max_age_months=settings.review_age_months
        )
    except AlmanacError as exc:
        raise fail(str(exc)) from None
    overdue = [r for r in found if r.overdue]
    print(
        f"Review dates:     {len(overdue)} of {len(found)} documents not checked against their sources "
        f"in the last {settings.review_age_months} months (ALMANAC_REVIEW_AGE_MONTHS)"
    )
    shown = found if show_all else (overdue or found[:5])
    if not show_all and not overdue:
        print("  Oldest reviews (all within the review age; --reviews lists every document):")
    for r in shown:
        flag = "OVERDUE " if r.overdue else ""
        print(f"  {r.reviewed.isoformat()}  {flag}{r.doc_id} ({r.age_days} days)")
