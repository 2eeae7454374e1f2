"""GET /metrics, request ids and JSON log lines, on a real uvicorn server (FakeAssistant answers)."""

from __future__ import annotations

import json
import logging
import re

import httpx
import pytest
from pydantic import SecretStr

from bots.store import open_stores
from bots.web.app import create_app
from bots.web.logs import JsonFormatter, RequestIdFilter
from bots.web.server import serve_in_background
from tests.conftest import free_port, make_settings
from tests.fakes import FakeAssistant

pytestmark = pytest.mark.server


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus' text format (0 when absent)."""
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    for line in text.splitlines():
        match = re.match(r"^(\w+)(?:\{(.*)\})? (\S+)$", line)
        if match and match.group(1) == name:
            found = ",".join(sorted((match.group(2) or "").split(","))) if match.group(2) else ""
            if found == wanted:
                return float(match.group(3))
    return 0.0


def serve(settings):
    app = create_app(settings, assistant=FakeAssistant(settings), stores=open_stores(settings))
    return serve_in_background(app, port=free_port())


def test_metrics_count_requests_answers_and_ratings(tmp_path) -> None:
    with serve(make_settings(tmp_path)) as url, httpx.Client(base_url=url, timeout=60) as client:
        before = client.get("/metrics").text
        answer = client.post(
            "/api/chat",
            json={"question": "What is a data charter?"},
            headers={"X-Request-ID": "req-12345678"},
        )
        assert answer.status_code == 200 and answer.headers["x-request-id"] == "req-12345678"
        assert re.fullmatch(r"[0-9a-f]{32}", client.get("/healthz").headers["x-request-id"])
        body = answer.json()
        rated = client.post(
            "/api/feedback",
            json={
                "conversation_id": body["conversation_id"],
                "message_id": body["message_id"],
                "rating": "up",
            },
        )
        assert rated.status_code == 201, rated.text
        after = client.get("/metrics")
    assert after.headers["content-type"].startswith("text/plain")
    text = after.text
    answered = sample(text, "almanac_answers_total", status="answered") - sample(
        before, "almanac_answers_total", status="answered"
    )
    assert answered == 1
    ups = sample(text, "almanac_feedback_total", rating="up") - sample(
        before, "almanac_feedback_total", rating="up"
    )
    assert ups == 1
    assert sample(text, "almanac_http_requests_total", route="/api/chat", method="POST", status="200") >= 1
    assert sample(text, "almanac_request_seconds_count", route="/api/chat") >= 1


def test_metrics_can_be_protected_or_turned_off(tmp_path) -> None:
    with serve(make_settings(tmp_path / "a", metrics_token=SecretStr("scrape-7f3a"))) as url:
        assert httpx.get(f"{url}/metrics").status_code == 401
        allowed = httpx.get(f"{url}/metrics", headers={"Authorization": "Bearer scrape-7f3a"})
        assert allowed.status_code == 200 and "almanac_http_requests_total" in allowed.text
    with serve(make_settings(tmp_path / "b", metrics=False)) as url:
        assert httpx.get(f"{url}/metrics").status_code == 404


def test_json_log_lines_carry_the_request_id_and_redact_personal_data() -> None:
    record = logging.LogRecord(
        "almanac.web", logging.WARNING, __file__, 1, "write to %s", ("jo.bloggs@example.org",), None
    )
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "WARNING" and line["logger"] == "almanac.web"
    assert "jo.bloggs@example.org" not in line["message"] and line["message"].startswith("write to ")
