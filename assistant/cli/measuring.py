"""`almanac eval`, `almanac eval-retrieval` and `almanac bench`: quality and performance figures."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from assistant.cli.base import fail
from assistant.config import get_settings
from assistant.errors import AlmanacError


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
