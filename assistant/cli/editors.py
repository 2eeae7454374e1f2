"""`almanac gaps` and `almanac feedback`: what users asked and how they rated the answers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from assistant.cli.base import fail
from assistant.config import get_settings
from assistant.errors import AlmanacError


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
