"""The web API over a real uvicorn server on 127.0.0.1, answering from the real index with the real model."""

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

from assistant.config import Settings
from bots.feedback import FeedbackStore
from bots.web.app import create_app
from bots.web.server import serve_in_background
from tests.conftest import free_port, make_settings

pytestmark = pytest.mark.server
ORIGIN = "https://intranet.example.gov.uk"
API_KEY = "test-key-6f1d2c"


class Site:
    """A running server, an HTTP client for it and the feedback store behind it."""

    def __init__(self, client: httpx.Client, store: FeedbackStore, settings: Settings):
        self.client = client
        self.store = store
        self.settings = settings


@pytest.fixture(scope="module")
def serve(assistant) -> Iterator:
    """Start servers for this module's tests; all stop when the module ends."""
    stack: list = []

    def start(settings: Settings, *, headers: dict[str, str] | None = None, with_assistant=assistant) -> Site:
        store = FeedbackStore(settings.feedback_path)
        app = create_app(settings, assistant=with_assistant, feedback=store)
        running = serve_in_background(app, port=free_port())
        url = running.__enter__()
        client = httpx.Client(base_url=url, timeout=60, headers=headers or {})
        stack.append((running, client))
        return Site(client, store, settings)

    yield start
    for running, client in reversed(stack):
        client.close()
        running.__exit__(None, None, None)


@pytest.fixture(scope="module")
def site(serve, index_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The app with default protection settings, except a generous rate limit."""
    folder = tmp_path_factory.mktemp("web-api")
    return serve(
        index_settings.model_copy(
            update={"feedback_db": folder / "feedback.db", "rate_limit_per_minute": 600}
        )
    )


@pytest.fixture(scope="module")
def guarded(serve, index_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The app with API keys, a CORS allow-list and a rate limit of 3 a minute."""
    folder = tmp_path_factory.mktemp("web-guarded")
    settings = index_settings.model_copy(
        update={
            "feedback_db": folder / "feedback.db",
            "api_keys": [SecretStr(API_KEY)],
            "allowed_origins": [ORIGIN],
            "rate_limit_per_minute": 3,
        }
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


def test_health_readiness_and_openapi(site: Site) -> None:
    assert site.client.get("/healthz").json() == {"status": "ok"}
    ready = site.client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready" and ready.json()["chunks"] > 100
    paths = site.client.get("/openapi.json").json()["paths"]
    for route in (
        "/api/chat",
        "/api/chat/stream",
        "/api/feedback",
        "/api/outcomes",
        "/api/documents/{doc_id}",
    ):
        assert route in paths
    assert "swagger" in site.client.get("/docs").text.lower()


def test_chat_answers_with_valid_citations_and_outcomes(site: Site) -> None:
    response = site.client.post(
        "/api/chat", json={"question": "How should a council recover from a ransomware attack?"}
    )
    assert response.status_code == 200
    answer = response.json()
    assert answer["status"] == "answered"
    numbers = {int(n) for n in re.findall(r"\[(\d+)\]", answer["text"])}
    assert numbers and numbers <= {c["n"] for c in answer["citations"]}
    assert any(c["path"].startswith("corpus/case-studies/") for c in answer["citations"])
    assert "security-and-resilience" in [o["slug"] for o in answer["outcomes"]]
    assert answer["conversation_id"] and answer["message_id"]
    assert site.store.turn(answer["message_id"])["conversation_id"] == answer["conversation_id"]


def test_follow_up_uses_the_conversation_kept_on_the_server(site: Site) -> None:
    first = site.client.post(
        "/api/chat", json={"question": "How did Camden write its data charter with residents?"}
    )
    conversation = first.json()["conversation_id"]
    follow_up = {"question": "What happened a year later?", "conversation_id": conversation}
    answer = site.client.post("/api/chat", json=follow_up).json()
    assert answer["conversation_id"] == conversation
    assert "case-camden-data-charter" in [c["doc_id"] for c in answer["citations"]]
    assert [t.question for t in site.store.history(conversation)] == [
        "How did Camden write its data charter with residents?",
        "What happened a year later?",
    ]
    alone = site.client.post("/api/chat", json={"question": "What happened a year later?"}).json()
    assert "case-camden-data-charter" not in [c["doc_id"] for c in alone["citations"]]


def test_outcome_filter_limits_the_sources(site: Site) -> None:
    body = {"question": "How can councils improve broadband?", "outcome": "connectivity"}
    answer = site.client.post("/api/chat", json=body).json()
    assert answer["citations"] and all("connectivity" in c["outcomes"] for c in answer["citations"])
    assert answer["outcomes"][0]["slug"] == "connectivity"


def test_stream_sends_text_then_the_stored_answer(site: Site) -> None:
    question = {"question": "What did councils learn from ransomware attacks?"}
    with site.client.stream("POST", "/api/chat/stream", json=question) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        response.read()
    events = read_events(response)
    names = [name for name, _ in events]
    assert names[-1] == "answer" and names.count("delta") >= 2
    answer = events[-1][1]
    assert "".join(data["text"] for name, data in events if name == "delta").strip() == answer["text"].strip()
    assert answer["citations"] and answer["outcomes"]
    assert site.store.turn(answer["message_id"]) is not None


def test_feedback_is_stored_with_its_answer(site: Site) -> None:
    answer = site.client.post(
        "/api/chat", json={"question": "What does good digital leadership look like?"}
    ).json()
    rating = {
        "conversation_id": answer["conversation_id"],
        "message_id": answer["message_id"],
        "rating": "down",
        "comment": "  Too general for a district council.  ",
    }
    response = site.client.post("/api/feedback", json=rating)
    assert response.status_code == 201 and response.json()["stored"] is True
    stored = site.store.feedback()[0]
    assert stored["id"] == response.json()["id"]
    assert (stored["rating"], stored["comment"], stored["channel"]) == (
        "down",
        "Too general for a district council.",
        "web",
    )
    assert stored["question"] == "What does good digital leadership look like?"


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
    for path in ("/api/chat", "/api/chat/stream"):
        detail = assert_clean_error(site.client.post(path, json=body), status=422, field=field)
        assert words in detail


def test_malformed_json_and_oversized_bodies(site: Site) -> None:
    broken = site.client.post(
        "/api/chat", content=b'{"question": ', headers={"content-type": "application/json"}
    )
    assert "not valid JSON" in assert_clean_error(broken, status=422)
    big = json.dumps({"question": "x" * 20_000}).encode()
    assert "limit" in assert_clean_error(site.client.post("/api/chat", content=big), status=413)
    # Without Content-Length (chunked upload) the limit still holds.
    chunks = iter([big[:8000], big[8000:]])
    chunked = site.client.post("/api/chat", content=chunks, headers={"content-type": "application/json"})
    assert_clean_error(chunked, status=413)


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
    assert 1 <= int(limited.headers["retry-after"]) <= 20


def test_empty_index_is_explained_not_crashed(serve, embeddings, tmp_path: Path) -> None:
    from assistant.rag import Assistant

    settings = make_settings(tmp_path / "empty")
    empty = serve(settings, with_assistant=Assistant(settings, embeddings=embeddings))
    ready = empty.client.get("/readyz")
    assert ready.status_code == 503 and "almanac ingest" in ready.json()["detail"]
    detail = assert_clean_error(
        empty.client.post("/api/chat", json={"question": "What is a data charter?"}), status=503
    )
    assert "almanac ingest" in detail
    stream = empty.client.post("/api/chat/stream", json={"question": "What is a data charter?"})
    (name, data), *_ = read_events(stream)
    assert name == "error" and data["detail"] == detail and str(tmp_path) not in stream.text


def test_server_faults_hide_internals(serve, index_settings: Settings, tmp_path: Path) -> None:
    settings = index_settings.model_copy(update={"feedback_db": tmp_path / "feedback.db"})
    broken = serve(settings)
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


def test_slack_events_are_served_when_slack_is_configured(
    serve, index_settings: Settings, tmp_path: Path
) -> None:
    from slack_sdk.signature import SignatureVerifier

    secret = "signing-secret-for-tests"
    settings = index_settings.model_copy(
        update={
            "feedback_db": tmp_path / "feedback.db",
            "slack_bot_token": SecretStr("xoxb-almanac-test"),
            "slack_signing_secret": SecretStr(secret),
        }
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


def test_worker_processes_get_the_exact_settings(index_settings: Settings) -> None:
    from bots.web.server import settings_from_json, settings_to_json

    settings = index_settings.model_copy(
        update={
            "api_keys": [SecretStr("k1"), SecretStr("k2")],
            "slack_bot_token": SecretStr("xoxb-1"),
            "port": 9001,
        }
    )
    copy = settings_from_json(settings_to_json(settings))
    assert [k.get_secret_value() for k in copy.api_keys] == ["k1", "k2"]
    assert copy.slack_bot_token.get_secret_value() == "xoxb-1"
    assert (copy.data_dir, copy.corpus_dir, copy.port) == (settings.data_dir, settings.corpus_dir, 9001)


def test_serve_refuses_an_empty_index_and_a_taken_port(index_settings: Settings, tmp_path: Path) -> None:
    import socket

    from assistant.errors import ConfigError, IndexNotBuiltError
    from bots.web.server import run_server

    with pytest.raises(IndexNotBuiltError, match="almanac ingest"):
        run_server(make_settings(tmp_path / "empty"), port=free_port())
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ConfigError, match=f"127.0.0.1:{port}.*--port"):
            run_server(index_settings, host="127.0.0.1", port=port)
    with pytest.raises(ConfigError, match="--workers"):
        run_server(index_settings, port=free_port(), workers=0)
