"""GET /metrics in Prometheus' text format, names prefixed `almanac_`.

Counts requests by route and status, answers by status, ratings, and times retrieval, generation and
whole requests; the index's size and age are read when scraped. With several workers each process
writes its samples to PROMETHEUS_MULTIPROC_DIR (set by `almanac serve --workers N`) and a scrape adds
them up. ALMANAC_METRICS=false turns the endpoint off; ALMANAC_METRICS_TOKEN requires
`Authorization: Bearer <token>`.
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

from fastapi import FastAPI, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from assistant.answer import Answer
from assistant.config import Settings

LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
REQUESTS = Counter(
    "almanac_http_requests", "HTTP requests by route and status.", ["route", "method", "status"]
)
REQUEST_SECONDS = Histogram(
    "almanac_request_seconds", "Whole HTTP requests, by route.", ["route"], buckets=LATENCY_BUCKETS
)
ANSWERS = Counter("almanac_answers", "Answers given, by status (answered, no_evidence, ...).", ["status"])
FEEDBACK = Counter("almanac_feedback", "Ratings of answers, by rating.", ["rating"])
RETRIEVAL_SECONDS = Histogram("almanac_retrieval_seconds", "Retrieval per answer.", buckets=LATENCY_BUCKETS)
GENERATION_SECONDS = Histogram(
    "almanac_generation_seconds", "Generation per answer.", buckets=LATENCY_BUCKETS
)


def count_answer(answer: Answer) -> None:
    """Record one stored answer's status and timings."""
    ANSWERS.labels(answer.status).inc()
    timings = answer.timings or {}
    if "retrieve_ms" in timings:
        RETRIEVAL_SECONDS.observe((timings["retrieve_ms"] + timings.get("embed_ms", 0.0)) / 1000)
    if "generate_ms" in timings:
        GENERATION_SECONDS.observe(timings["generate_ms"] / 1000)


def count_rating(rating: str) -> None:
    FEEDBACK.labels(rating).inc()


class IndexCollector(Collector):
    """The index's chunk count and the seconds since it last changed, read at scrape time."""

    def __init__(self, app: FastAPI):
        self.app = app

    def collect(self) -> Iterator[GaugeMetricFamily]:
        provider = self.app.state.assistants
        settings: Settings = self.app.state.settings
        if provider.loaded:
            yield GaugeMetricFamily(
                "almanac_index_chunks", "Chunks in the index.", value=provider.get().index_size()
            )
        folder = settings.chroma_path
        if settings.chroma_url is None and folder.exists():
            newest = max((p.stat().st_mtime for p in folder.rglob("*") if p.is_file()), default=None)
            if newest is not None:
                yield GaugeMetricFamily(
                    "almanac_index_age_seconds",
                    "Seconds since the index last changed.",
                    value=time.time() - newest,
                )


def registry_for(app: FastAPI) -> CollectorRegistry:
    """The default registry in one process; the processes' files added up under several workers."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        for collector in (
            REQUESTS,
            REQUEST_SECONDS,
            ANSWERS,
            FEEDBACK,
            RETRIEVAL_SECONDS,
            GENERATION_SECONDS,
        ):
            registry.register(collector)
    registry.register(IndexCollector(app))
    return registry


def route_of(request: Request) -> str:
    """The route's template (e.g. /api/documents/{doc_id}), so labels stay few; `other` when none matched."""
    route = request.scope.get("route")
    if route is None:
        return "other"
    # A route of an included router knows only its own part of the path; FastAPI records the whole one.
    effective = (request.scope.get("fastapi") or {}).get("effective_route_context")
    return str(getattr(effective, "path", None) or getattr(route, "path", "other"))


def install_metrics(app: FastAPI, settings: Settings) -> None:
    """Count requests, answers and ratings; serve GET /metrics unless turned off."""
    stores = app.state.stores
    stores.conversations.listeners.append(count_answer)
    stores.feedback.listeners.append(count_rating)

    @app.middleware("http")
    async def measure(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        started = time.perf_counter()
        status = 500
        try:
            response = await call_next(request)
            status = response.status_code
            return response
        finally:
            route = route_of(request)
            REQUESTS.labels(route, request.method, str(status)).inc()
            REQUEST_SECONDS.labels(route).observe(time.perf_counter() - started)

    if not settings.metrics:
        return
    token = settings.metrics_token.get_secret_value() if settings.metrics_token else ""

    @app.get("/metrics", include_in_schema=False)
    def metrics(request: Request) -> Response:
        if token:
            given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
            if not hmac.compare_digest(given.encode(), token.encode()):
                return Response(
                    "metrics need Authorization: Bearer <ALMANAC_METRICS_TOKEN>\n", status_code=401
                )
        return Response(generate_latest(registry_for(request.app)), media_type=CONTENT_TYPE_LATEST)


def prepare_multiprocess(folder: Path) -> None:
    """Give a multi-worker server an empty folder for its processes' samples (before workers start)."""
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)
