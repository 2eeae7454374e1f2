"""The `almanac` command: the root app and helpers in base.py, the commands in one module per area."""

from __future__ import annotations

import logging

from assistant.cli import answering, database, editors, index, measuring, serving
from assistant.cli.base import app, err_console, fail, settings_for

__all__ = ["app", "fail", "main", "settings_for"]

# Registered in the order `almanac --help` lists them.
app.command()(index.ingest)
app.command()(index.status)
app.command()(answering.ask)
app.command()(answering.chat)
app.command()(serving.serve)
app.command()(serving.slack)
app.command("eval")(measuring.eval_command)
app.command("eval-retrieval")(measuring.eval_retrieval)
app.command()(measuring.bench)
app.command()(editors.gaps)
app.command()(editors.feedback)
app.add_typer(database.db_app, name="db")


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
