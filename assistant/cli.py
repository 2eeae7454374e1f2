"""The `almanac` command."""

from __future__ import annotations

import logging
import sys
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from assistant.config import Settings, get_settings
from assistant.errors import AlmanacError

app = typer.Typer(
    help="Almanac Assistant: ask the local government digitalisation almanac.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)


def settings_for(corpus: Path | None = None) -> Settings:
    """Settings from the environment, with command-line overrides."""
    settings = get_settings()
    if corpus is not None:
        settings = settings.model_copy(update={"corpus_dir": corpus})
    return settings


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print a user-facing error and return the exit to raise."""
    err_console.print(f"[bold red]Error:[/] {message}", highlight=False, markup=True)
    return typer.Exit(code)


@app.command()
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
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            with Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                console=console,
            ) as bar:
                tasks: dict[str, int] = {}

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


@app.command()
def status() -> None:
    """Show where the index is, its model, and what it holds."""
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
    print(f"Embedding model:  {info.get('embedding_model', settings.embedding_model or 'bundled all-MiniLM-L6-v2')}")
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


def main() -> None:
    """Entry point of the `almanac` command."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app()


if __name__ == "__main__":
    main()
