"""The database the stores share: SQLite under the data folder by default, PostgreSQL by URL.

Every call borrows a pooled connection for one transaction, so several workers and several instances
can share one database. SQLite runs in WAL mode, so readers and a writer work together; writes take
the lock up front (BEGIN IMMEDIATE) so two writers wait for each other instead of failing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from assistant.errors import ConfigError

UPGRADE_COMMAND = "almanac db upgrade"


class DatabaseNotMigratedError(ConfigError):
    """The database's schema is older (or newer) than this version of the software expects."""

    def __init__(self, where: str, current: str | None, head: str):
        at = f"at schema revision {current}" if current else "not under schema migrations yet"
        super().__init__(
            f"The database {where} is {at}; this version needs revision {head}. "
            f"Run `{UPGRADE_COMMAND}` (with the same ALMANAC_DATABASE_URL) and start again."
        )


def database_url(target: str | Path) -> str:
    """A SQLAlchemy URL: a URL as given, or a SQLite URL for a file path."""
    if isinstance(target, Path) or "://" not in target:
        return f"sqlite:///{Path(target).expanduser().resolve()}"
    if target.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + target.split("://", 1)[1]
    return target


def make_engine(url: str) -> Engine:
    """An engine for the URL, with SQLite set up for several processes sharing one file."""
    if make_url(url).get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
    # A fresh connection per transaction, as SQLite connections are cheap and a file may be replaced.
    engine = create_engine(url, connect_args={"timeout": 30}, poolclass=NullPool)

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # transactions are begun below, not by the driver
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        write = connection.get_execution_options().get("write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def private_file(path: Path) -> None:
    """Create the SQLite file readable by its owner only (0600), or narrow an existing one to that.

    SQLite gives the -wal and -shm files it creates beside the database the same permissions.
    """
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    for existing in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if existing.exists():
            existing.chmod(0o600)


class Database:
    """The stores' database, checked to be at the schema revision this software needs.

    A new SQLite file is created at the current revision on first use (nothing to set up); any other
    database that is not up to date is refused with the command that upgrades it.
    """

    def __init__(self, target: str | Path, *, check: bool = True):
        self.url = database_url(target)
        parsed = make_url(self.url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self.path: Path | None = Path(parsed.database) if self.is_sqlite and parsed.database else None
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            private_file(self.path)
        self.engine = make_engine(self.url)
        if check:
            self.check_schema()

    @property
    def location(self) -> str:
        """Where the database is, without any password."""
        return str(self.path) if self.path else make_url(self.url).render_as_string(hide_password=True)

    def check_schema(self) -> None:
        """Create a new SQLite file's tables; raise DatabaseNotMigratedError for an outdated database."""
        from bots.store import migrate

        current, head = migrate.current_revision(self.engine), migrate.head_revision()
        if current == head:
            return
        if current is None and self.is_sqlite and not inspect(self.engine).get_table_names():
            migrate.upgrade(self.engine)
            return
        raise DatabaseNotMigratedError(self.location, current, head)

    def upgrade(self) -> tuple[str | None, str]:
        """Apply the migrations; returns the revisions before and after."""
        from bots.store import migrate

        before = migrate.current_revision(self.engine)
        migrate.upgrade(self.engine)
        return before, migrate.head_revision()

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """One transaction for reading (committed on success, rolled back on error)."""
        with self.engine.begin() as connection:
            yield connection

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One transaction that writes; on SQLite it holds the write lock from its start."""
        with self.engine.execution_options(write=True).begin() as connection:
            yield connection

    def dispose(self) -> None:
        """Close pooled connections (tests, and before a process forks)."""
        self.engine.dispose()
