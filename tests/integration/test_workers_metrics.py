"""`almanac serve --workers 2`: one scrape of /metrics adds up what every worker counted; and the log
format setting takes only the formats there are."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from assistant.config import PROJECT_ROOT
from ingest.pipeline import sync_corpus
from tests.conftest import free_port, make_settings
from tests.corpus_fixtures import small_corpus
from tests.integration.test_metrics import sample
from tests.real_servers import stop_process

ALMANAC = Path(sys.executable).parent / "almanac"
HEALTH = {"route": "/healthz", "method": "GET", "status": "200"}


def counted_by_each_worker(folder: Path, scratch: Path) -> dict[str, float]:
    """GET /healthz requests counted in each worker's own file of the multiprocess folder, by pid."""
    counts = {}
    for path in folder.glob("counter_*.db"):
        alone = scratch / path.stem
        alone.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, alone / path.name)
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=str(alone))
        counts[path.stem] = sample(
            generate_latest(registry).decode(), "almanac_http_requests_total", **HEALTH
        )
    return counts


@pytest.mark.server
def test_one_scrape_adds_up_every_worker(tmp_path: Path, embeddings) -> None:
    corpus = small_corpus(tmp_path / "corpus")
    sync_corpus(make_settings(tmp_path / "data", corpus_dir=corpus), embeddings=embeddings)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALMANAC_", "PROMETHEUS_"))}
    env.update(
        {
            "ALMANAC_DATA_DIR": str(tmp_path / "data"),
            "ALMANAC_CORPUS_DIR": str(corpus),
            "PYTHONPATH": str(PROJECT_ROOT),
            "HF_HUB_OFFLINE": "1",
        }
    )
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [str(ALMANAC), "serve", "--port", str(port), "--workers", "2"],
            cwd=tmp_path,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    folder = tmp_path / "data" / "metrics" / str(port)
    sent = 0
    try:
        deadline = time.monotonic() + 120
        while True:  # until both workers have served some, each on a new connection
            assert server.poll() is None, log.read_text(errors="replace")[-3000:]
            assert time.monotonic() < deadline, "two workers did not both serve /healthz within 120 s"
            try:
                sent += httpx.get(f"{url}/healthz", timeout=5).status_code == 200
            except httpx.TransportError:
                time.sleep(0.2)
                continue
            per_worker = counted_by_each_worker(folder, tmp_path / "apart")
            if len([n for n in per_worker.values() if n > 0]) >= 2:
                break
        assert sum(per_worker.values()) == sent
        for _ in range(4):  # whichever worker takes the scrape, it reports both
            scrape = httpx.get(f"{url}/metrics", timeout=10)
            assert scrape.status_code == 200
            assert sample(scrape.text, "almanac_http_requests_total", **HEALTH) == sent
    finally:
        stop_process(server)


def test_the_log_format_is_text_or_json(tmp_path: Path) -> None:
    assert make_settings(tmp_path, log_format="JSON").log_format == "json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALMANAC_")}
    refused = subprocess.run(
        [str(ALMANAC), "status"],
        cwd=tmp_path,
        env={**env, "ALMANAC_LOG_FORMAT": "yaml", "ALMANAC_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode == 2
    assert refused.stderr.strip() == "ALMANAC_LOG_FORMAT must be text or json, not 'yaml'"
