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


@app.command()
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


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="Your question, in plain words.")],
    outcome: Annotated[str | None, typer.Option(help="Only use documents for this outcome slug.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer as JSON.")] = False,
) -> None:
    """Answer one question from the almanac."""
    import json

    from assistant.rag import Assistant

    settings = get_settings()
    try:
        answer = Assistant.from_settings(settings).ask(question, outcome=outcome)
    except (AlmanacError, ValueError) as exc:
        raise fail(str(exc)) from None
    except KeyError as exc:
        raise fail(str(exc.args[0])) from None
    if as_json:
        print(json.dumps(answer.to_dict(), indent=2, ensure_ascii=False))
    else:
        print_answer(answer)


def print_answer(answer) -> None:  # type: ignore[no-untyped-def]
    """Rich Markdown on a terminal, plain Markdown otherwise."""
    if sys.stdout.isatty():
        from rich.markdown import Markdown

        console.print(Markdown(answer.markdown()))
    else:
        print(answer.markdown())


@app.command()
def chat() -> None:
    """An interactive conversation; follow-up questions use what came before. Ctrl-D or 'exit' ends it."""
    from assistant.answer import Turn
    from assistant.rag import Assistant

    settings = get_settings()
    try:
        assistant = Assistant.from_settings(settings)
        assistant.warm_up()
    except AlmanacError as exc:
        raise fail(str(exc)) from None
    history: list[Turn] = []
    print("Ask the almanac a question (type 'new' to start again, 'exit' to leave).")
    while True:
        try:
            question = input("\n> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return
        if question.lower() in {"exit", "quit"}:
            return
        if question.lower() in {"new", "reset"}:
            history.clear()
            print("Started a new conversation.")
            continue
        if not question:
            continue
        try:
            answer = assistant.ask(question, history=history)
        except (AlmanacError, ValueError) as exc:
            err_console.print(f"[red]{exc}[/]")
            continue
        print_answer(answer)
        history.append(Turn(question=question, answer=answer.text))


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on (default ALMANAC_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default ALMANAC_PORT).")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Serve the web chat, its API and (when Slack is configured) the Slack bot."""
    from bots.web.server import run_server

    try:
        run_server(get_settings(), host=host, port=port, workers=workers)
    except AlmanacError as exc:
        raise fail(str(exc)) from None


@app.command()
def slack() -> None:
    """Run the Slack bot in Socket Mode (needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN)."""
    from bots.slack.socket_mode import run_socket_mode

    try:
        run_socket_mode(get_settings())
    except AlmanacError as exc:
        raise fail(str(exc)) from None


@app.command("eval")
def eval_command(
    questions: Annotated[Path, typer.Option(help="Question set (JSONL).")] = Path(
        "evals/questions/dev.jsonl"
    ),
    config: Annotated[
        list[str] | None, typer.Option(help="Config to run (repeatable): hybrid, dense, bm25.")
    ] = None,
    out: Annotated[Path, typer.Option(help="Folder for report.json, report.md and report.html.")] = Path(
        "evals/reports/latest"
    ),
) -> None:
    """Run a question set through the assistant and write reports."""
    from evals.runner import run_eval_cli

    try:
        run_eval_cli(
            get_settings(), questions=questions, configs=config or ["hybrid", "dense", "bm25"], out=out
        )
    except AlmanacError as exc:
        raise fail(str(exc)) from None


@app.command("eval-retrieval")
def eval_retrieval(
    beir: Annotated[Path, typer.Option(help="BEIR-format dataset folder.")],
    split: Annotated[str, typer.Option(help="qrels split.")] = "test",
    config: Annotated[list[str] | None, typer.Option(help="Config to run (repeatable).")] = None,
    out: Annotated[Path, typer.Option(help="Folder for the reports.")] = Path("evals/reports/beir"),
) -> None:
    """Measure retrieval on a BEIR-format dataset (nDCG@10, recall@100, MRR@10)."""
    from evals.beir import run_beir_cli

    try:
        run_beir_cli(
            get_settings(), beir=beir, split=split, configs=config or ["hybrid", "dense", "bm25"], out=out
        )
    except AlmanacError as exc:
        raise fail(str(exc)) from None


@app.command()
def bench(
    what: Annotated[str, typer.Argument(help="ingest, ask or web")],
    questions: Annotated[int, typer.Option(help="Questions for the ask benchmark.")] = 120,
    instances: Annotated[
        int, typer.Option(help="web: compare this many instances sharing one deployment with one.")
    ] = 1,
) -> None:
    """Print performance figures: ingestion throughput, answer latency, or web load."""
    import importlib

    if what not in {"ingest", "ask", "web"}:
        raise fail(f"unknown benchmark {what!r}; choose ingest, ask or web")
    if instances < 1 or (instances > 1 and what != "web"):
        raise fail("--instances must be 1 or more, and more than 1 only with `almanac bench web`")
    extra = {"instances": instances} if what == "web" else {}
    importlib.import_module(f"evals.bench_{what}").run(get_settings(), questions=questions, **extra)


@app.command()
def gaps(
    since: Annotated[str, typer.Option(help="Period to report: 30d, 4w, 12h.")] = "30d",
    fmt: Annotated[str, typer.Option("--format", help="table, md, csv or json.")] = "table",
    export: Annotated[Path | None, typer.Option(help="Write the gap questions as draft JSONL here.")] = None,
) -> None:
    """Topics users asked about that the almanac could not answer well, biggest and newest first."""
    from bots.editors.commands import gaps_text

    try:
        print(gaps_text(get_settings(), since=since, fmt=fmt, export=export), end="")
    except (ValueError, AlmanacError) as exc:
        raise fail(str(exc)) from None


@app.command()
def feedback(
    since: Annotated[str, typer.Option(help="Period to report: 30d, 4w, 12h.")] = "30d",
    fmt: Annotated[str, typer.Option("--format", help="table, md, csv or json.")] = "table",
) -> None:
    """Ratings of answers by outcome and by cited document, most unhelpful first."""
    from bots.editors.commands import feedback_text

    try:
        print(feedback_text(get_settings(), since=since, fmt=fmt), end="")
    except (ValueError, AlmanacError) as exc:
        raise fail(str(exc)) from None


db_app = typer.Typer(help="The database of conversations, feedback and assessments.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the database's tables (ALMANAC_DATABASE_URL; default the SQLite file)."""
    from sqlalchemy.exc import SQLAlchemyError

    from bots.store.database import Database

    try:
        database = Database(get_settings().database_target(), check=False)
        before, after = database.upgrade()
    except SQLAlchemyError as exc:
        raise fail(f"Could not upgrade the database: {exc}") from None
    if before == after:
        console.print(
            f"The database {database.location} is up to date (revision {after}).",
            highlight=False,
            soft_wrap=True,
        )
    else:
        console.print(
            f"Upgraded {database.location} from {before or 'no revision'} to {after}.",
            highlight=False,
            soft_wrap=True,
        )


def _register_assess() -> None:
    from assistant.assessment.cli import assess_command

    app.command("assess")(assess_command)


_register_assess()


def main() -> None:
    """Entry point of the `almanac` command."""
    from pydantic import ValidationError

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        app()
    except ValidationError as exc:  # a setting from the environment or .env that cannot be used
        for error in exc.errors():
            message = str(error["msg"]).removeprefix("Value error, ")
            name = "ALMANAC_" + "_".join(str(part) for part in error["loc"]).upper()
            err_console.print(
                message if "ALMANAC_" in message else f"{name}: {message}", highlight=False, soft_wrap=True
            )
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
