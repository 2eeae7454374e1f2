"""The demo page and the widget script."""

from __future__ import annotations

import html
import secrets
from importlib.resources import files

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bots.web.deps import SettingsDep
from bots.web.security import page_csp

STATIC = files("bots.web") / "static"
# A key written into this public page would no longer be secret, so the demo cannot carry one.
KEY_NOTICE = (
    '<p class="notice"><strong>This server needs an API key</strong>, so the chat on this page will not answer. '
    "Embed the widget with <code>data-api-key</code> on your own page instead.</p>"
)

router = APIRouter(include_in_schema=False)


@router.get("/widget.js")
def widget_js() -> Response:
    headers = {"Cache-Control": "public, max-age=300", "Cross-Origin-Resource-Policy": "cross-origin"}
    script = (STATIC / "widget.js").read_bytes()
    return Response(script, media_type="text/javascript; charset=utf-8", headers=headers)


@router.get("/", response_class=HTMLResponse)
def demo_page(request: Request, settings: SettingsDep) -> HTMLResponse:
    nonce = secrets.token_urlsafe(16)
    origin = str(request.base_url).rstrip("/")
    notice = KEY_NOTICE if settings.api_keys else ""
    page = (STATIC / "demo.html").read_text(encoding="utf-8")
    page = (
        page.replace("{{nonce}}", nonce)
        .replace("{{origin}}", html.escape(origin))
        .replace("{{notice}}", notice)
    )
    return HTMLResponse(
        page, headers={"Content-Security-Policy": page_csp(nonce), "Cache-Control": "no-store"}
    )
