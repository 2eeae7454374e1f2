"""`almanac bench web --instances N`: N instances sharing one deployment against one of them, same run.

The index is served by a `chroma run` server (ALMANAC_CHROMA_URL if set, else one started on a copy of
the local index) and the instances share one throwaway, migrated database, as several machines behind a
load balancer share PostgreSQL. Every instance is one uvicorn worker without a rate limit. The same
number of concurrent clients is sent first to one instance, then spread over all N.
Target: N=2 gives at least 1.6 times the throughput of one, given a core per instance and a core for
the clients and the Chroma server; on a machine with fewer cores the figure shows the contention.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from assistant.config import Settings
from bots.store.database import Database
from evals.bench_ask import QUESTIONS, load_questions
from evals.bench_web import REQUEST_TIMEOUT, free_port, load, start_server, stop_server, wait_until_ready

CLIENTS = 8
TARGET_RATIO = 1.6


@contextmanager
def chroma_run(folder: Path) -> Iterator[str]:
    """A `chroma run` server (the chromadb package's CLI) on 127.0.0.1 keeping its data in `folder`."""
    port = free_port()
    command = [str(Path(sys.executable).parent / "chroma"), "run", "--path", str(folder)]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"chroma run did not start on port {port}")
            time.sleep(0.1)
        yield url
    finally:
        stop_server(server)


@contextmanager
def chroma_server(settings: Settings, folder: Path) -> Iterator[str]:
    """The Chroma server's URL: the configured one, or a `chroma run` on a copy of the local index."""
    if settings.chroma_url:
        yield settings.chroma_url
        return
    if not settings.chroma_path.exists():
        raise SystemExit(f"No index at {settings.chroma_path}; run `almanac ingest` first.")
    shutil.copytree(settings.chroma_path, folder / "chroma")
    with chroma_run(folder / "chroma") as url:
        yield url


def run_instances(settings: Settings, *, instances: int = 2, questions: int = 120) -> dict[str, float]:
    """Measure one instance, then `instances` instances, on the same shared stores; print and return."""
    asked = load_questions(QUESTIONS, questions)
    servers: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory(prefix="almanac-bench-instances-") as scratch:
        folder = Path(scratch)
        with chroma_server(settings, folder) as chroma_url:
            database = folder / "shared.db"
            Database(f"sqlite:///{database}", check=False).upgrade()
            served = settings.model_copy(
                update={
                    "chroma_url": chroma_url,
                    "database_url": None,
                    "feedback_db": database,
                    "rate_limit_per_minute": 10**9,
                    "api_keys": [],
                }
            )
            urls = []
            try:
                for n in range(instances):
                    port = free_port()
                    servers.append(start_server(served, port, folder / f"instance-{n}.log"))
                    urls.append(f"http://127.0.0.1:{port}")
                for n, url in enumerate(urls):
                    wait_until_ready(url, servers[n], folder / f"instance-{n}.log")
                    httpx.post(f"{url}/api/chat", json={"question": asked[0]}, timeout=REQUEST_TIMEOUT)
                one = asyncio.run(load(urls[0], asked, CLIENTS))
                many = asyncio.run(load(urls, asked, CLIENTS))
            finally:
                for server in servers:
                    stop_server(server)
    ratio = many["rps"] / one["rps"] if one["rps"] else 0.0
    cores = os.cpu_count() or 1
    print(f"POST /api/chat, {CLIENTS} concurrent clients, Chroma server {chroma_url}, one shared database")
    print(f"{'instances':>9}  {'requests':>8}  {'req/s':>7}  {'p50 ms':>8}  {'p95 ms':>8}  {'errors':>6}")
    for count, row in ((1, one), (instances, many)):
        print(
            f"{count:>9}  {row['requests']:>8.0f}  {row['rps']:>7.2f}  "
            f"{row['p50_ms']:>8.0f}  {row['p95_ms']:>8.0f}  {row['errors']:>6.0f}"
        )
    verdict = "met" if ratio >= TARGET_RATIO else "NOT met"
    print(f"Throughput of {instances} instances / 1: {ratio:.2f} (target >= {TARGET_RATIO}: {verdict})")
    if cores < instances + 1:
        print(
            f"This machine has {cores} cores for {instances} instances, the clients and the Chroma server: "
            "the instances share cores, so the ratio shows contention, not what separate machines give."
        )
    return {
        "rps_1": one["rps"],
        f"rps_{instances}": many["rps"],
        "ratio": ratio,
        "errors": one["errors"] + many["errors"],
        "cores": float(cores),
    }
