"""Hardening of the web API over a real uvicorn server: input that cannot be text, errors that never echo
input, one rating per answer, trusted proxies, security headers and the self-hosted API docs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from assistant.config import Settings
from assistant.errors import ConfigError
from bots.store import Stores, open_stores
from bots.web.app import create_app
from bots.web.server import serve_in_background
from tests.conftest import free_port, make_settings
from tests.fakes import FakeAssistant

pytestmark = pytest.mark.server
LONE_SURROGATE = b'{"question": "data \\ud800 charter"}'


class Site:
    def __init__(self, client: httpx.Client, stores: Stores):
        self.client = client
        self.stores = stores


@pytest.fixture(scope="module")
def serve() -> Iterator:
    running: list[Any] = []

    def start(settings: Settings) -> Site:
        stores = open_stores(settings)
        server = serve_in_background(
            create_app(settings, assistant=FakeAssistant(settings), stores=stores), port=free_port()
        )
        client = httpx.Client(base_url=server.__enter__(), timeout=30)
        running.append((server, client))
        return Site(client, stores)

    yield start
    for server, client in reversed(running):
        client.close()
        server.__exit__(None, None, None)


@pytest.fixture(scope="module")
def site(serve, tmp_path_factory) -> Site:
    return serve(make_settings(tmp_path_factory.mktemp("sec-web"), rate_limit_per_minute=600))


def assert_error_shape(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"] and "field" in body
    return body["detail"]


@pytest.mark.parametrize("path", ["/api/chat", "/api/chat/stream"])
def test_a_lone_surrogate_is_a_422_naming_the_question(site: Site, path: str) -> None:
    response = site.client.post(path, content=LONE_SURROGATE, headers={"Content-Type": "application/json"})
    detail = assert_error_shape(response, 422)
    assert response.json()["field"] == "question" and "not valid text" in detail


def test_an_unknown_outcome_is_not_echoed(site: Site) -> None:
    probe = "<script>alert(1)</script>"
    response = site.client.post("/api/chat", json={"question": "What is a data charter?", "outcome": probe})
    detail = assert_error_shape(response, 422)
    assert probe not in response.text and "alert" not in response.text
    assert "outcome" in detail and "data" in detail, "names the field and the slugs to use"


def test_an_answer_keeps_one_rating_per_conversation_and_the_latest_wins(site: Site) -> None:
    answer = site.client.post("/api/chat", json={"question": "How do councils publish open data?"}).json()
    ids = {"conversation_id": answer["conversation_id"], "message_id": answer["message_id"]}
    for rating, comment in (("up", "useful"), ("up", None), ("down", "missed the point")):
        response = site.client.post("/api/feedback", json={**ids, "rating": rating, "comment": comment})
        assert response.status_code == 201
    rows = [r for r in site.stores.feedback.recent() if r["message_id"] == answer["message_id"]]
    assert [(r["rating"], r["comment"]) for r in rows] == [("down", "missed the point")]


def test_security_headers_and_no_server_header(site: Site) -> None:
    response = site.client.get("/healthz")
    assert "server" not in response.headers
    assert "camera=()" in response.headers["permissions-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "strict-transport-security" not in response.headers, "plain HTTP with no TLS setting"


def test_hsts_when_told_the_site_is_behind_tls(serve, tmp_path) -> None:
    tls = serve(make_settings(tmp_path, behind_tls=True))
    assert tls.client.get("/healthz").headers["strict-transport-security"].startswith("max-age=")


def rate_limited_after(client: httpx.Client, forwarded: list[str]) -> list[int]:
    statuses = []
    for address in forwarded:
        response = client.post(
            "/api/chat", json={"question": "What is a data charter?"}, headers={"X-Forwarded-For": address}
        )
        statuses.append(response.status_code)
    return statuses


def test_x_forwarded_for_counts_only_from_a_trusted_proxy(serve, tmp_path) -> None:
    untrusted = serve(make_settings(tmp_path / "a", rate_limit_per_minute=2))
    assert rate_limited_after(untrusted.client, ["203.0.113.1", "203.0.113.2", "203.0.113.3"]) == [
        200,
        200,
        429,
    ], "a client cannot dodge the limit by writing X-Forwarded-For itself"
    proxied = serve(make_settings(tmp_path / "b", rate_limit_per_minute=2, trusted_proxies="127.0.0.1"))
    spoofed = "198.51.100.7, 203.0.113.9"  # the client wrote the first; the proxy appended the second
    assert rate_limited_after(proxied.client, ["203.0.113.1", "203.0.113.2", "203.0.113.3"]) == [200] * 3
    assert rate_limited_after(proxied.client, [spoofed, spoofed, "10.9.9.9, 203.0.113.9"]) == [200, 200, 429]
    https = proxied.client.get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert "strict-transport-security" in https.headers


def test_a_bad_trusted_proxy_setting_is_named(tmp_path) -> None:
    settings = make_settings(tmp_path, trusted_proxies="10.0.0.0/8, proxy.internal")
    with pytest.raises(ConfigError, match="ALMANAC_TRUSTED_PROXIES: 'proxy.internal'"):
        create_app(settings, assistant=FakeAssistant(settings))


@pytest.mark.parametrize(
    ("page", "script"), [("/docs", "swagger-ui-bundle.js"), ("/redoc", "redoc.standalone.js")]
)
def test_api_docs_load_their_assets_from_this_server_under_a_csp(site: Site, page: str, script: str) -> None:
    response = site.client.get(page)
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp)
    assert nonce and "default-src 'none'" in csp and "http" not in csp
    assert not re.search(r"(src|href)=\"https?://", response.text), "nothing from a CDN"
    for inline in re.findall(r"<script(?![^>]*src)[^>]*>", response.text):
        assert f'nonce="{nonce.group(1)}"' in inline
    asset = site.client.get(f"/docs/static/{script}")
    assert asset.status_code == 200 and len(asset.content) > 100_000


def test_api_docs_can_be_turned_off(serve, tmp_path) -> None:
    quiet = serve(make_settings(tmp_path, api_docs=False))
    assert quiet.client.get("/docs").status_code == 404
    assert quiet.client.get("/redoc").status_code == 404
    assert quiet.client.get("/openapi.json").status_code == 200
