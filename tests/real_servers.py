"""Throwaway PostgreSQL and Redis servers on 127.0.0.1 for tests, skipped only where the binaries are absent.

PostgreSQL is Debian's `postgresql` package: a new cluster in a temporary folder (initdb, pg_ctl), run
as the `postgres` user when the tests run as root, since PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import free_port

POSTGRES_USER = "postgres"


def postgres_bin() -> Path:
    """The newest installed PostgreSQL's bin folder; skips the test when there is none."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        pytest.skip(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); apt-get install postgresql"
        )
    return Path(found[-1]).parent


def _as_postgres(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    if shutil.which("runuser") is None:
        pytest.skip("running as root without runuser, so PostgreSQL (which refuses root) cannot be started")
    return ["runuser", "-u", POSTGRES_USER, "--", *command]


@contextmanager
def running_postgres(database: str = "almanac") -> Iterator[str]:
    """A fresh PostgreSQL cluster with an empty database; yields its SQLAlchemy URL."""
    import psycopg

    bin_dir = postgres_bin()
    folder = Path(tempfile.mkdtemp(prefix="almanac-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, POSTGRES_USER, POSTGRES_USER)
    port = free_port()
    run = {"check": True, "capture_output": True, "timeout": 120}
    initdb = [str(bin_dir / "initdb"), "-D", str(data), "-U", "almanac", "--auth=trust", "-E", "UTF8"]
    subprocess.run(_as_postgres([*initdb, "--no-sync"]), **run)  # type: ignore[call-overload]
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    pg_ctl = [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "log")]
    subprocess.run(_as_postgres([*pg_ctl, "-o", options, "-w", "start"]), **run)  # type: ignore[call-overload]
    try:
        with psycopg.connect(
            f"host=127.0.0.1 port={port} user=almanac dbname=postgres", autocommit=True
        ) as db:
            db.execute(f'CREATE DATABASE "{database}"')
        yield f"postgresql+psycopg://almanac@127.0.0.1:{port}/{database}"
    finally:
        subprocess.run(_as_postgres([*pg_ctl, "-m", "immediate", "stop"]), capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def running_redis() -> Iterator[str]:
    """A redis-server with nothing saved to disk; yields its redis:// URL."""
    import redis

    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed; apt-get install redis-server")
    port = free_port()
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if redis.Redis.from_url(url).ping():
                    break
            except redis.ConnectionError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start on port {port}") from None
                time.sleep(0.05)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@contextmanager
def running_chroma(folder: Path) -> Iterator[str]:
    """A `chroma run` server (the chromadb package's own CLI) keeping its data in `folder`; yields its URL."""
    import sys

    from evals.bench_instances import chroma_run

    if not (Path(sys.executable).parent / "chroma").exists():
        pytest.skip(f"the chroma command is not installed beside {sys.executable}; pip install chromadb")
    with chroma_run(folder) as url:
        yield url


def stop_process(process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    """Ask a server process to stop, and kill it if it has not within `timeout` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
