"""The root `almanac` Typer app, its consoles and the helpers every command uses."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from assistant.config import Settings, get_settings

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
