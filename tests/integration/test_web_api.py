"""The web API over a real uvicorn server on 127.0.0.1.

Most tests answer with the FakeAssistant (tests/fakes.py), so they check the web layer (routes, errors,
conversations, streaming, protection) in seconds; the `e2e` tests answer from the real index with the
real model.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from assistant.answer import Turn
from assistant.config import Settings
from bots.store import Stores, open_stores
from bots.web.app import create_app
from bots.web.server import serve_in_background
from tests.conftest import free_port, make_settings
from tests.fakes import FakeAssistant

pytestmark = pytest.mark.server
ORIGIN = "https://intranet.example.gov.uk"
API_KEY = "test-key-6f1d2c"


class Site:
    """A running server, an HTTP client for it, and the stores and assistant behind it."""

    def __init__(self, client: httpx.Client, stores: Stores, settings: Settings, assistant):
        self.client = client
        self.stores = stores
        self.settings = settings
        self.assistant = assistant


@pytest.fixture(scope="module")
def serve() -> Iterator:
    """Start servers for this module's tests; all stop when the module ends."""
    stack: list = []

    def start(settings: Settings, *, assistant=None, headers: dict[str, str] | None = None) -> Site:
        assistant = assistant if assistant is not None else FakeAssistant(settings)
        stores = open_stores(settings)
        app = create_app(settings, assistant=assistant, stores=stores)
        running = serve_in_background(app, port=free_port())
        url = running.__enter__()
        client = httpx.Client(base_url=url, timeout=60, headers=headers or {})
        stack.append((running, client))
        return Site(client, stores, settings, assistant)

    yield start
    for running, client in reversed(stack):
        client.close()
        running.__exit__(None, None, None)


@pytest.fixture(scope="module")
def site(serve, tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The app with default protection settings, except a generous rate limit."""
    return serve(make_settings(tmp_path_factory.mktemp("web-api"), rate_limit_per_minute=600))


@pytest.fixture(scope="module")
def real_site(serve, index_settings: Settings, assistant, tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The app answering from the real index with the real model."""
    folder = tmp_path_factory.mktemp("web-real")
    settings = index_settings.model_copy(
        update={"feedback_db": folder / "feedback.db", "rate_limit_per_minute": 600}
    )
    return serve(settings, assistant=assistant)


@pytest.fixture(scope="module")
def guarded(serve, tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The app with API keys, a CORS allow-list and a rate limit of 3 a minute."""
    settings = make_settings(
        tmp_path_factory.mktemp("web-guarded"),
        api_keys=[SecretStr(API_KEY)],
        allowed_origins=[ORIGIN],
        rate_limit_per_minute=3,
    )
    return serve(settings)


def assert_clean_error(response: httpx.Response, *, status: int, field: str | None = None) -> str:
    """The error has the status, names the field, and shows no stack trace or server path."""
    assert response.status_code == status, response.text
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert body.get("field") == field
    for leak in ("Traceback", 'File "', "/tmp", "/work", ".py"):
        assert leak not in response.text
    return body["detail"]


def read_events(response: httpx.Response) -> list[tuple[str, dict]]:
    """Parse a server-sent event stream into (event, data) pairs."""
    events = []
    for block in response.text.split("\n\n"):
        if not block.strip():
            continue
        name = re.search(r"^event: (.+)$", block, re.M)
        data = re.search(r"^data: (.+)$", block, re.M)
        assert name and data, block
        events.append((name.group(1), json.loads(data.group(1))))
    return events


def stream(site: Site, body: dict) -> tuple[httpx.Response, list[tuple[str, dict]]]:
    with site.client.stream("POST", "/api/chat/stream", json=body) as response:
        response.read()
    return response, read_events(response)


def cited(answer: dict) -> set[int]:
    return {int(n) for n in re.findall(r"\[(\d+)\]", answer["text"])}


# The web layer, answering with the fake


def test_health_readiness_and_openapi(site: Site) -> None:
    assert site.client.get("/healthz").json() == {"status": "ok"}
    ready = site.client.get("/readyz")
    assert ready.status_code == 200 and ready.json() == {"status": "ready", "chunks": 640, "detail": None}
    schema = site.client.get("/openapi.json").json()
    for route in (
        "/api/chat",
        "/api/chat/stream",
        "/api/feedback",
        "/api/outcomes",
        "/api/documents/{doc_id}",
    ):
        assert route in schema["paths"]
    assert "text/event-stream" in schema["paths"]["/api/chat/stream"]["post"]["responses"]["200"]["content"]
    assert "reviewed" in schema["components"]["schemas"]["Citation"]["properties"]
    assert "swagger" in site.client.get("/docs").text.lower()


def test_chat_returns_the_answer_and_keeps_the_turn(site: Site) -> None:
    response = site.client.post("/api/chat", json={"question": "  How do we start a data strategy?  "})
    assert response.status_code == 200
    answer = response.json()
    assert answer["question"] == "How do we start a data strategy?" and answer["status"] == "answered"
    assert cited(answer) and cited(answer) <= {c["n"] for c in answer["citations"]}
    assert answer["citations"][0]["reviewed"] == "2026-12-01"
    assert answer["conversation_id"] and answer["message_id"]
    stored = site.stores.conversations.turn(answer["message_id"])
    assert stored is not None and stored.conversation_id == answer["conversation_id"]
    assert stored.answer.to_dict() == answer, "the stored answer is the one the API sent"


def test_follow_up_sends_the_conversation_kept_on_the_server(site: Site) -> None:
    first = site.client.post("/api/chat", json={"question": "How did Camden write its data charter?"}).json()
    conversation = first["conversation_id"]
    follow_up = {"question": "What happened a year later?", "conversation_id": conversation}
    answer = site.client.post("/api/chat", json=follow_up).json()
    assert answer["conversation_id"] == conversation
    assert site.assistant.asked[-1].history == [Turn(first["question"], first["text"])]
    assert [t.question for t in site.stores.conversations.history(conversation)] == [
        "How did Camden write its data charter?",
        "What happened a year later?",
    ]
    site.client.post("/api/chat", json={"question": "What happened a year later?"})
    assert site.assistant.asked[-1].history == [], "a new conversation starts without history"


def test_outcome_filter_is_passed_on(site: Site) -> None:
    body = {"question": "How can councils improve broadband?", "outcome": "ethics"}
    answer = site.client.post("/api/chat", json=body).json()
    assert site.assistant.asked[-1].outcome == "ethics"
    assert answer["outcomes"][0]["slug"] == "ethics"


def test_stream_sends_text_then_the_stored_answer(site: Site) -> None:
    response, events = stream(site, {"question": "What did councils learn from ransomware attacks?"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["cache-control"] == "no-cache" and response.headers["x-accel-buffering"] == "no"
    names = [name for name, _ in events]
    assert names[-1] == "answer" and names.count("delta") >= 2
    answer = events[-1][1]
    assert "".join(data["text"] for name, data in events if name == "delta").strip() == answer["text"].strip()
    assert answer["citations"] and answer["outcomes"]
    assert site.stores.conversations.turn(answer["message_id"]) is not None


def test_feedback_is_stored_with_its_answer(site: Site) -> None:
    question = {"question": "What does good digital leadership look like?"}
    answer = site.client.post("/api/chat", json=question).json()
    rating = {
        "conversation_id": answer["conversation_id"],
        "message_id": answer["message_id"],
        "rating": "down",
        "comment": "  Too general for a district council.  ",
    }
    response = site.client.post("/api/feedback", json=rating)
    assert response.status_code == 201 and response.json()["stored"] is True
    stored = site.stores.feedback.recent()[0]
    assert stored["id"] == response.json()["id"]
    assert (stored["rating"], stored["comment"], stored["channel"]) == (
        "down",
        "Too general for a district council.",
        "web",
    )
    assert (stored["question"], stored["answer_status"]) == (question["question"], "answered")
    other = dict(rating, conversation_id="someoneelse")
    assert_clean_error(site.client.post("/api/feedback", json=other), status=404, field="message_id")


def test_feedback_errors_name_the_field(site: Site) -> None:
    unknown = {"conversation_id": "abc", "message_id": "def", "rating": "up"}
    assert_clean_error(site.client.post("/api/feedback", json=unknown), status=404, field="message_id")
    bad_rating = dict(unknown, rating="meh")
    detail = assert_clean_error(
        site.client.post("/api/feedback", json=bad_rating), status=422, field="rating"
    )
    assert "'up' or 'down'" in detail


def test_outcomes_and_documents(site: Site) -> None:
    outcomes = site.client.get("/api/outcomes").json()
    assert len(outcomes) == 12 and {"slug", "name", "description"} <= set(outcomes[0])
    document = site.client.get("/api/documents/case-camden-data-charter").json()
    assert document["title"].startswith("Camden Council")
    assert document["path"] == "corpus/case-studies/camden-data-charter.md"
    assert "data" in [o["slug"] for o in document["outcomes"]]
    assert any((s["url"] or "").startswith("https://www.camden.gov.uk/") for s in document["sources"])
    assert_clean_error(site.client.get("/api/documents/case-nowhere"), status=404, field="doc_id")
    assert_clean_error(site.client.get("/api/documents/Not%20an%20id"), status=422, field="doc_id")


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"question": "   "}, "question", "empty"),
        ({}, "question", "required"),
        ({"question": "x" * 1001}, "question", "limit is 1000"),
        ({"question": "broadband", "outcome": "weather"}, "outcome", "connectivity"),
        ({"question": "broadband", "conversation_id": "<script>"}, "conversation_id", "earlier answer"),
        ({"question": 42}, "question", "string"),
    ],
)
def test_bad_questions_get_readable_422s(site: Site, body: dict, field: str, words: str) -> None:
    asked = len(site.assistant.asked)
    for path in ("/api/chat", "/api/chat/stream"):
        detail = assert_clean_error(site.client.post(path, json=body), status=422, field=field)
        assert words in detail
    assert len(site.assistant.asked) == asked, "nothing reached the assistant"


def test_malformed_json_and_oversized_bodies(site: Site) -> None:
    broken = site.client.post(
        "/api/chat", content=b'{"question": ', headers={"content-type": "application/json"}
    )
    assert "not valid JSON" in assert_clean_error(broken, status=422)
    big = json.dumps({"question": "x" * 20_000}).encode()
    for path in ("/api/chat", "/api/chat/stream", "/api/feedback"):
        assert "16384-byte limit" in assert_clean_error(site.client.post(path, content=big), status=413)
        # Without Content-Length (a chunked upload) the limit still holds.
        chunks = iter([big[:8000], big[8000:]])
        chunked = site.client.post(path, content=chunks, headers={"content-type": "application/json"})
        assert "16384-byte limit" in assert_clean_error(chunked, status=413)
    assert site.client.post("/api/chat", json={"question": "x" * 900}).status_code == 200


def test_security_headers(site: Site) -> None:
    page = site.client.get("/")
    csp = page.headers["content-security-policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert (
        f'<style nonce="{nonce}">' in page.text and "script-src 'self'" in csp and "unsafe-inline" not in csp
    )
    assert '<script src="/widget.js"' in page.text
    assert page.headers["x-content-type-options"] == "nosniff"
    widget = site.client.get("/widget.js")
    assert widget.headers["content-type"].startswith("text/javascript")
    assert widget.headers["cross-origin-resource-policy"] == "cross-origin"
    # Self-contained: no markup parsing and no address to load anything from, bar the SVG namespace.
    assert "innerHTML" not in widget.text and "insertAdjacentHTML" not in widget.text
    assert set(re.findall(r"https?://[\w.]+", widget.text)) <= {"http://www.w3.org", "https://HOST"}
    api = site.client.get("/api/outcomes")
    assert api.headers["content-security-policy"].startswith("default-src 'none'")
    too_big = site.client.post("/api/chat", content=b"x" * 20_000)
    assert too_big.headers["x-content-type-options"] == "nosniff"


def test_api_keys(guarded: Site) -> None:
    missing = guarded.client.get("/api/outcomes")
    assert "X-API-Key" in assert_clean_error(missing, status=401)
    assert_clean_error(guarded.client.get("/api/outcomes", headers={"X-API-Key": "wrong"}), status=401)
    assert guarded.client.get("/api/outcomes", headers={"X-API-Key": API_KEY}).status_code == 200
    assert "This server needs an API key" in guarded.client.get("/").text
    # The page, the widget and the probes stay open.
    for path in ("/", "/widget.js", "/healthz", "/readyz"):
        assert guarded.client.get(path).status_code == 200


def test_cors_allow_list(guarded: Site) -> None:
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,x-api-key",
    }
    allowed = guarded.client.options("/api/chat", headers={"Origin": ORIGIN, **preflight})
    assert allowed.status_code == 200 and allowed.headers["access-control-allow-origin"] == ORIGIN
    assert "x-api-key" in allowed.headers["access-control-allow-headers"].lower()
    other = guarded.client.options("/api/chat", headers={"Origin": "https://evil.example.com", **preflight})
    assert "access-control-allow-origin" not in other.headers
    simple = guarded.client.get("/api/outcomes", headers={"Origin": ORIGIN, "X-API-Key": API_KEY})
    assert simple.headers["access-control-allow-origin"] == ORIGIN


def test_rate_limit_answers_429_with_retry_after(guarded: Site) -> None:
    ask = {"question": "What will the weather be tomorrow?"}
    key = {"X-API-Key": API_KEY}
    statuses = [guarded.client.post("/api/chat", json=ask, headers=key).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    limited = guarded.client.post("/api/chat/stream", json=ask, headers=key)
    assert "wait" in assert_clean_error(limited, status=429)
    assert 1 <= int(limited.headers["retry-after"]) <= 60


def test_empty_index_is_explained_not_crashed(serve, tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "empty")
    empty = serve(settings, assistant=FakeAssistant(settings, chunks=0))
    ready = empty.client.get("/readyz")
    assert ready.status_code == 503 and "almanac ingest" in ready.json()["detail"]
    detail = assert_clean_error(
        empty.client.post("/api/chat", json={"question": "What is a data charter?"}), status=503
    )
    assert "almanac ingest" in detail
    stream = empty.client.post("/api/chat/stream", json={"question": "What is a data charter?"})
    (name, data), *_ = read_events(stream)
    assert name == "error" and data == {"detail": detail, "status": 503} and str(tmp_path) not in stream.text


def test_server_faults_hide_internals(serve, tmp_path: Path) -> None:
    broken = serve(make_settings(tmp_path))
    # The database vanishes from under the running server, and a folder takes its place.
    for path in tmp_path.glob("feedback.db*"):
        path.unlink()
    (tmp_path / "feedback.db").mkdir()
    detail = assert_clean_error(
        broken.client.post("/api/chat", json={"question": "What is a data charter?"}), status=500
    )
    assert "try again" in detail
    stream = broken.client.post("/api/chat/stream", json={"question": "What is a data charter?"})
    assert read_events(stream)[-1] == ("error", {"detail": detail, "status": 500})
    shutil.rmtree(tmp_path / "feedback.db")


def test_slack_events_are_served_when_slack_is_configured(serve, tmp_path: Path) -> None:
    from slack_sdk.signature import SignatureVerifier

    secret = "signing-secret-for-tests"
    settings = make_settings(
        tmp_path, slack_bot_token=SecretStr("xoxb-almanac-test"), slack_signing_secret=SecretStr(secret)
    )
    slack = serve(settings)
    body = json.dumps({"type": "url_verification", "challenge": "council-challenge", "token": "unused"})
    stamp = str(int(time.time()))
    signed = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body),
    }
    assert (
        slack.client.post("/slack/events", content=body, headers=signed).json()["challenge"]
        == "council-challenge"
    )
    forged = dict(signed, **{"X-Slack-Signature": "v0=" + "0" * 64})
    assert slack.client.post("/slack/events", content=body, headers=forged).status_code == 401


def test_worker_processes_get_the_exact_settings(tmp_path: Path) -> None:
    from bots.web.server import settings_from_json, settings_to_json

    settings = make_settings(
        tmp_path,
        api_keys=[SecretStr("k1"), SecretStr("k2")],
        slack_bot_token=SecretStr("xoxb-1"),
        port=9001,
    )
    copy = settings_from_json(settings_to_json(settings))
    assert [k.get_secret_value() for k in copy.api_keys] == ["k1", "k2"]
    assert copy.slack_bot_token.get_secret_value() == "xoxb-1"
    assert (copy.data_dir, copy.corpus_dir, copy.port) == (settings.data_dir, settings.corpus_dir, 9001)


def test_serve_refuses_a_taken_port_and_no_workers(tmp_path: Path) -> None:
    import socket

    from assistant.errors import ConfigError
    from bots.web.server import run_server

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ConfigError, match=f"127.0.0.1:{port}.*--port"):
            run_server(make_settings(tmp_path), host="127.0.0.1", port=port)
    with pytest.raises(ConfigError, match="--workers"):
        run_server(make_settings(tmp_path), port=free_port(), workers=0)


# End to end: the real model and the real index


@pytest.mark.e2e
def test_real_chat_answers_with_valid_citations_and_outcomes(real_site: Site) -> None:
    response = real_site.client.post(
        "/api/chat", json={"question": "How should a council recover from a ransomware attack?"}
    )
    assert response.status_code == 200
    answer = response.json()
    assert answer["status"] == "answered"
    assert cited(answer) and cited(answer) <= {c["n"] for c in answer["citations"]}
    assert any(c["path"].startswith("corpus/case-studies/") for c in answer["citations"])
    assert all(c["reviewed"] for c in answer["citations"]), "every source says when it was last checked"
    assert "security-and-resilience" in [o["slug"] for o in answer["outcomes"]]


@pytest.mark.e2e
def test_real_follow_up_uses_the_conversation(real_site: Site) -> None:
    first = real_site.client.post(
        "/api/chat", json={"question": "How did Camden write its data charter with residents?"}
    )
    follow_up = {
        "question": "What happened a year later?",
        "conversation_id": first.json()["conversation_id"],
    }
    answer = real_site.client.post("/api/chat", json=follow_up).json()
    # About Camden's charter, from its case or a guide's account of it ("a second panel in January 2023").
    assert "Camden" in answer["text"]
    alone = real_site.client.post("/api/chat", json={"question": "What happened a year later?"}).json()
    assert "Camden" not in alone["text"]


@pytest.mark.e2e
def test_real_outcome_filter_limits_the_sources(real_site: Site) -> None:
    body = {"question": "How can councils improve broadband?", "outcome": "connectivity"}
    answer = real_site.client.post("/api/chat", json=body).json()
    assert answer["citations"] and all("connectivity" in c["outcomes"] for c in answer["citations"])
    assert answer["outcomes"][0]["slug"] == "connectivity"


@pytest.mark.e2e
def test_real_stream_matches_the_answer(real_site: Site) -> None:
    _, events = stream(real_site, {"question": "What did councils learn from ransomware attacks?"})
    names = [name for name, _ in events]
    assert names[-1] == "answer" and names.count("delta") >= 2
    answer = events[-1][1]
    assert "".join(data["text"] for name, data in events if name == "delta").strip() == answer["text"].strip()
    assert answer["citations"] and answer["outcomes"]


@pytest.mark.e2e
def test_serve_refuses_an_empty_index(tmp_path: Path) -> None:
    from assistant.errors import IndexNotBuiltError
    from bots.web.server import run_server

    with pytest.raises(IndexNotBuiltError, match="almanac ingest"):
        run_server(make_settings(tmp_path / "empty"), port=free_port())
