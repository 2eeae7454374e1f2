"""Load on POST /api/chat at 1, 8 and 32 concurrent clients, beside the single-process `ask` rate.

Run with `almanac bench web`. The script starts its own server on 127.0.0.1 (one uvicorn worker, a
throwaway feedback store, no rate limit) and drives it with httpx; just before the 8-client level it
measures in-process `ask` throughput while the server is idle. Every phase stops at a time limit.
Targets: no errors at 32 clients; requests/s at 8 clients at least 0.7 times the `ask` rate.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from assistant.config import PROJECT_ROOT, Settings
from assistant.rag import Assistant
from bots.web.server import WORKER_SETTINGS_ENV, settings_to_json
from evals.bench_ask import QUESTIONS, load_questions
from evals.metrics import percentile

LEVELS = (1, 8, 32)
PHASE_SECONDS = 90.0
REQUEST_TIMEOUT = 120.0
START_TIMEOUT = 180.0
TARGET_RATIO = 0.7


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(settings: Settings, port: int, log_path: Path) -> subprocess.Popen[bytes]:
    """uvicorn in its own process, with these settings handed over as a worker would get them."""
    env = dict(os.environ, **{WORKER_SETTINGS_ENV: settings_to_json(settings)})
    command = [sys.executable, "-m", "uvicorn", "bots.web.server:app_from_environment", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log"]
    with log_path.open("wb") as log:
        return subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_until_ready(url: str, server: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"The benchmark server stopped:\n{log_path.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.25)
    raise SystemExit(f"The benchmark server was not ready within {START_TIMEOUT:.0f} s.")


def ask_rate(settings: Settings, asked: list[str]) -> tuple[float, int]:
    """Answers a second from one warm Assistant in this process, asked one after another."""
    assistant = Assistant.from_settings(settings)
    assistant.warm_up()
    for question in asked[:5]:
        assistant.ask(question)
    done = 0
    started = time.perf_counter()
    for question in asked:
        assistant.ask(question)
        done += 1
        if time.perf_counter() - started > PHASE_SECONDS:
            break
    return done / (time.perf_counter() - started), done


async def load(urls: str | list[str], asked: list[str], clients: int) -> dict[str, float]:
    """Send the questions from `clients` concurrent clients, spread over the servers at `urls`; returns
    throughput, latency and errors."""
    bases = [urls] if isinstance(urls, str) else urls
    queue: asyncio.Queue[str] = asyncio.Queue()
    for question in asked:
        queue.put_nowait(question)
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + PHASE_SECONDS
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT, limits=limits) as client:

        async def one_client(url: str) -> None:
            nonlocal errors
            while not queue.empty() and time.monotonic() < deadline:
                question = queue.get_nowait()
                t0 = time.perf_counter()
                try:
                    response = await client.post(f"{url}/api/chat", json={"question": question})
                    ok = response.status_code == 200 and bool(response.json().get("text"))
                except (httpx.HTTPError, ValueError):
                    ok = False
                latencies.append((time.perf_counter() - t0) * 1000)
                errors += not ok

        started = time.perf_counter()
        await asyncio.gather(*(one_client(bases[n % len(bases)]) for n in range(clients)))
        elapsed = time.perf_counter() - started
    return {
        "clients": float(clients),
        "requests": float(len(latencies)),
        "rps": (len(latencies) - errors) / elapsed,
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "errors": float(errors),
    }


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


def run(settings: Settings, *, questions: int = 120, instances: int = 1) -> dict[str, float]:
    """Measure and print; returns the figures. With `instances` above 1, compare that many instances
    sharing one Chroma server and one database with one instance of them (evals.bench_instances)."""
    if instances > 1:
        from evals.bench_instances import run_instances

        return run_instances(settings, instances=instances, questions=questions)
    if not Assistant.from_settings(settings).ready():
        from ingest.pipeline import sync_corpus

        sync_corpus(settings)
    asked = load_questions(QUESTIONS, questions)
    with tempfile.TemporaryDirectory(prefix="almanac-bench-web-") as scratch:
        folder = Path(scratch)
        served = settings.model_copy(
            update={"feedback_db": folder / "feedback.db", "rate_limit_per_minute": 10**9, "api_keys": []}
        )
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = start_server(served, port, folder / "server.log")
        try:
            wait_until_ready(url, server, folder / "server.log")
            httpx.post(f"{url}/api/chat", json={"question": asked[0]}, timeout=REQUEST_TIMEOUT)
            rows = []
            for clients in LEVELS:
                if clients == 8:
                    # Measured right before the level it is compared with, so both see the same machine.
                    rate, asked_count = ask_rate(settings, asked)
                rows.append(asyncio.run(load(url, asked, clients)))
        finally:
            stop_server(server)
    at_8 = next(row for row in rows if row["clients"] == 8)
    at_32 = next(row for row in rows if row["clients"] == 32)
    ratio = at_8["rps"] / rate
    print(f"POST /api/chat on {url} (1 uvicorn worker, extractive generator, {len(asked)} questions a level)")
    print(f"{'clients':>7}  {'requests':>8}  {'req/s':>7}  {'p50 ms':>8}  {'p95 ms':>8}  {'errors':>6}")
    for row in rows:
        print(
            f"{row['clients']:>7.0f}  {row['requests']:>8.0f}  {row['rps']:>7.2f}  "
            f"{row['p50_ms']:>8.0f}  {row['p95_ms']:>8.0f}  {row['errors']:>6.0f}"
        )
    print(f"Single-process ask rate (same run, {asked_count} questions): {rate:.2f} answers/s")
    verdict = "met" if ratio >= TARGET_RATIO else "NOT met"
    print(f"Throughput at 8 clients / ask rate: {ratio:.2f} (target >= {TARGET_RATIO}: {verdict})")
    errors_verdict = "met" if at_32["errors"] == 0 else "NOT met"
    print(f"Errors at 32 clients: {at_32['errors']:.0f} (target 0: {errors_verdict})")
    figures = {"ask_rate": rate, "ratio_8": ratio}
    for row in rows:
        n = int(row["clients"])
        figures.update({f"rps_{n}": row["rps"], f"p50_ms_{n}": row["p50_ms"], f"p95_ms_{n}": row["p95_ms"]})
        figures[f"errors_{n}"] = row["errors"]
    return figures
