"""Warm `ask` latency beside the bare query-embedding time, cold start and resident memory.

Run with `almanac bench ask`. Target: p50 of the whole extractive answer under 4x the bare embedding time.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from assistant.config import PROJECT_ROOT, Settings
from assistant.rag import Assistant
from evals.metrics import percentile

QUESTIONS = PROJECT_ROOT / "evals" / "questions" / "dev.jsonl"
COLD_START = """
import json, resource, sys, time
t0 = float(sys.argv[1])
from assistant.config import get_settings
from assistant.rag import Assistant
answer = Assistant.from_settings(get_settings()).ask(sys.argv[2])
print(json.dumps({"seconds": time.time() - t0, "status": answer.status,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def load_questions(path: Path, count: int) -> list[str]:
    """Questions from a JSONL question set, repeated if needed to reach count."""
    questions = [
        json.loads(line)["question"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    return (questions * (count // max(len(questions), 1) + 1))[:count]


def run(settings: Settings, *, questions: int = 120) -> dict[str, float]:
    """Measure and print; returns the figures."""
    if not Assistant.from_settings(settings).ready():
        from ingest.pipeline import sync_corpus

        sync_corpus(settings)
    started = time.time()
    cold = subprocess.run(
        [sys.executable, "-c", COLD_START, str(started), "How should we prepare for a ransomware attack?"],
        cwd=PROJECT_ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        check=True,
    )
    cold_figures = json.loads(cold.stdout.strip().splitlines()[-1])

    assistant = Assistant.from_settings(settings)
    assistant.warm_up()
    asked = load_questions(QUESTIONS, questions)
    for question in asked[:10]:
        assistant.ask(question)
    embed_ms, ask_ms = [], []
    for question in asked:
        t0 = time.perf_counter()
        assistant.embeddings.embed_query(question)
        embed_ms.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        assistant.ask(question)
        ask_ms.append((time.perf_counter() - t0) * 1000)
    figures = {
        "questions": float(len(asked)),
        "embed_ms_p50": percentile(embed_ms, 50),
        "ask_ms_p50": percentile(ask_ms, 50),
        "ask_ms_p95": percentile(ask_ms, 95),
        "ratio_p50": percentile(ask_ms, 50) / percentile(embed_ms, 50),
        "cold_start_s": cold_figures["seconds"],
        "cold_rss_mb": cold_figures["rss_mb"],
        "warm_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    print(f"Questions: {len(asked)} (warm, extractive generator, retrieval {settings.retrieval})")
    print(f"Bare query embedding: p50 {figures['embed_ms_p50']:.1f} ms")
    print(f"Whole answer (ask):   p50 {figures['ask_ms_p50']:.1f} ms, p95 {figures['ask_ms_p95']:.1f} ms")
    print(f"Ratio ask p50 / embedding p50: {figures['ratio_p50']:.2f} (target < 4)")
    print(
        f"Cold start (process start to first answer): {figures['cold_start_s']:.1f} s, peak RSS {figures['cold_rss_mb']:.0f} MB"
    )
    print(f"Peak resident memory of this process: {figures['warm_rss_mb']:.0f} MB")
    return figures
