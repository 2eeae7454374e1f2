"""The self-assessment API and pages over a real uvicorn server on 127.0.0.1."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator

import httpx
import pytest
from pydantic import SecretStr

from assistant.config import Settings
from bots.web.app import create_app
from bots.web.server import serve_in_background
from tests.conftest import free_port, make_settings
from tests.fakes import FakeAssistant

pytestmark = pytest.mark.server
API_KEY = "assess-key-8e2b"


@pytest.fixture(scope="module")
def serve() -> Iterator:
    stack: list = []

    def start(settings: Settings) -> httpx.Client:
        app = create_app(settings, assistant=FakeAssistant(settings))
        running = serve_in_background(app, port=free_port())
        url = running.__enter__()
        client = httpx.Client(base_url=url, timeout=60)
        stack.append((running, client))
        return client

    yield start
    for running, client in reversed(stack):
        client.close()
        running.__exit__(None, None, None)


@pytest.fixture(scope="module")
def client(serve, tmp_path_factory: pytest.TempPathFactory) -> httpx.Client:
    return serve(make_settings(tmp_path_factory.mktemp("assess-web"), rate_limit_per_minute=600))


def answers_at(client: httpx.Client, level: str, **per_outcome: str) -> dict[str, dict[str, str]]:
    rubric = client.get("/api/assessment/rubric").json()
    return {
        o["slug"]: {s["id"]: per_outcome.get(o["slug"], level) for s in o["statements"]}
        for o in rubric["outcomes"]
    }


def assert_error(response: httpx.Response, status: int, field: str | None) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["field"] == field and body["detail"]
    for leak in ("Traceback", 'File "', "/tmp", "/work", ".py"):
        assert leak not in response.text
    return str(body["detail"])


def test_rubric_lists_every_outcome_with_four_options(client: httpx.Client) -> None:
    rubric = client.get("/api/assessment/rubric").json()
    assert len(rubric["outcomes"]) == 12 and rubric["weights"] == ["low", "medium", "high"]
    for outcome in rubric["outcomes"]:
        assert 5 <= len(outcome["statements"]) <= 8
        for statement in outcome["statements"]:
            assert [o["id"] for o in statement["options"]] == [
                "starting",
                "developing",
                "established",
                "leading",
            ]


def test_create_reopen_edit_and_compare(client: httpx.Client) -> None:
    body = {
        "answers": answers_at(client, "developing", data="starting"),
        "weights": {"data": "high"},
        "council_type": "county",
        "label": "First look",
    }
    created = client.post("/api/assessments", json=body)
    assert created.status_code == 201, created.text
    first = created.json()
    assert re.fullmatch(r"[A-Za-z0-9_-]{24}", first["id"])
    assert first["plan"][0]["slug"] == "data" and 3 <= len(first["plan"]) <= 5
    numbers = {c["n"] for c in first["citations"]}
    for item in first["plan"]:
        assert 3 <= len(item["steps"]) <= 5 and all(s["citation"] in numbers for s in item["steps"])
        assert 1 <= len(item["cases"]) <= 3
    assert client.get(f"/api/assessments/{first['id']}").json()["answers"] == body["answers"]

    body["answers"]["data"] = {k: "developing" for k in body["answers"]["data"]}
    edited = client.put(f"/api/assessments/{first['id']}", json=body).json()
    assert next(r for r in edited["results"] if r["slug"] == "data")["level"] == "developing"

    later = dict(body, previous_id=first["id"])
    later["answers"] = dict(body["answers"], value={k: "established" for k in body["answers"]["value"]})
    second = client.post("/api/assessments", json=later).json()
    moved = {c["slug"]: c["movement"] for c in second["changes"]}
    assert moved["value"] == "up" and moved["data"] == "same"
    page = client.get(f"/assess/{second['id']}")
    assert "What moved since" in page.text and '<svg id="profile-chart"' in page.text


def test_exports(client: httpx.Client) -> None:
    created = client.post(
        "/api/assessments", json={"answers": {"ethics": {"ethics-register": "starting"}}}
    ).json()
    markdown = client.get(created["links"]["markdown"])
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert "attachment" in markdown.headers["content-disposition"]
    assert "| Ethics and sustainability | Starting | 1 of 6 | medium |" in markdown.text
    rows = list(csv.DictReader(io.StringIO(client.get(created["links"]["csv"]).text)))
    assert [(r["statement_id"], r["answer"]) for r in rows] == [("ethics-register", "starting")]


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"answers": {"dta": {}}}, "answers.dta", "is not an outcome"),
        (
            {"answers": {"data": {"data-nope": "starting"}}},
            "answers.data.data-nope",
            "is not a statement of data",
        ),
        ({"answers": {"data": {"data-sharing": "expert"}}}, "answers.data.data-sharing", "'starting'"),
        ({"answers": {}, "weights": {"data": "urgent"}}, "weights.data", "'low'"),
        ({"answers": {}, "council_type": "parish"}, "council_type", "'district'"),
        ({"answers": {}, "colour": "red"}, "colour", "not"),
    ],
)
def test_bad_input_gets_readable_422s(client: httpx.Client, body: dict, field: str, words: str) -> None:
    assert words in assert_error(client.post("/api/assessments", json=body), 422, field)


def test_unknown_ids_oversized_bodies_and_bad_json(client: httpx.Client) -> None:
    missing = "A" * 24
    assert "no assessment" in assert_error(client.get(f"/api/assessments/{missing}"), 404, "id")
    assert_error(client.put(f"/api/assessments/{missing}", json={"answers": {}}), 404, "id")
    assert client.get("/api/assessments/short").status_code == 422
    assert client.get(f"/assess/{missing}").status_code == 404
    big = json.dumps({"answers": {}, "label": "x" * 20_000}).encode()
    assert "16384-byte limit" in assert_error(client.post("/api/assessments", content=big), 413, None)
    broken = client.post(
        "/api/assessments", content=b'{"answers": ', headers={"content-type": "application/json"}
    )
    assert "not valid JSON" in assert_error(broken, 422, None)


def test_pages_are_self_contained(client: httpx.Client) -> None:
    page = client.get("/assess")
    csp = page.headers["content-security-policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert f'<style nonce="{nonce}">' in page.text and "unsafe-inline" not in csp
    assert '<script src="/assess.js" defer></script>' in page.text
    assert len(re.findall(r"<fieldset class=\"statement\"", page.text)) == 74
    assert not re.findall(r"(?:src|href)=\"https?://", page.text)
    script = client.get("/assess.js")
    assert script.headers["content-type"].startswith("text/javascript") and "innerHTML" not in script.text
    assert not re.findall(r"https?://", script.text)


def test_api_keys_and_rate_limit_apply(serve, tmp_path_factory: pytest.TempPathFactory) -> None:
    guarded = serve(
        make_settings(
            tmp_path_factory.mktemp("assess-guarded"), api_keys=[SecretStr(API_KEY)], rate_limit_per_minute=2
        )
    )
    assert_error(guarded.get("/api/assessment/rubric"), 401, None)
    assert_error(guarded.post("/api/assessments", json={"answers": {}}), 401, None)
    key = {"X-API-Key": API_KEY}
    assert guarded.get("/api/assessment/rubric", headers=key).status_code == 200
    statuses = [
        guarded.post("/api/assessments", json={"answers": {}}, headers=key).status_code for _ in range(3)
    ]
    assert statuses == [201, 201, 429]
    assert "This server needs an API key" in guarded.get("/assess").text
