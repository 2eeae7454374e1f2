"""`almanac db`: the database of conversations, feedback and assessments."""

from __future__ import annotations

import typer

from assistant.cli.base import console, fail
from assistant.config import get_settings

db_app = typer.Typer(help="The database of conversations, feedback and assessments.", no_args_is_help=True)


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
