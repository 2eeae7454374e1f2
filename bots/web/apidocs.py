"""The API docs at /docs (Swagger UI) and /redoc (ReDoc), with their scripts served from this server.

The scripts and styles come from the installed `fastapi-offline` package, so the pages work on an
intranet with no internet access, and a CSP allows nothing from anywhere else. ALMANAC_API_DOCS=false
turns the pages off (the schema at /openapi.json stays).
"""

from __future__ import annotations

import secrets
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

STATIC_PREFIX = "/docs/static"


def docs_csp(nonce: str) -> str:
    """Scripts from this origin plus the page's one nonce'd inline script; the viewers' inline styles."""
    return (
        f"default-src 'none'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


def assets_folder() -> Path:
    """The folder of Swagger UI and ReDoc files in the fastapi-offline package."""
    import fastapi_offline

    return Path(fastapi_offline.__file__).parent / "static"


def _page(response: HTMLResponse) -> HTMLResponse:
    nonce = secrets.token_urlsafe(16)
    html = bytes(response.body).decode().replace("<script>", f'<script nonce="{nonce}">')
    html = html.replace("<style>", f'<style nonce="{nonce}">')
    headers = {"Content-Security-Policy": docs_csp(nonce), "Cache-Control": "no-cache"}
    return HTMLResponse(html, headers=headers)


def install_api_docs(app: FastAPI, *, enabled: bool) -> None:
    """Serve /docs, /redoc and their assets from this server (nothing when disabled)."""
    if not enabled:
        return
    app.mount(STATIC_PREFIX, StaticFiles(directory=assets_folder()), name="docs-static")
    openapi_url = app.openapi_url or "/openapi.json"
    title = f"{app.title} API"

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return _page(
            get_swagger_ui_html(
                openapi_url=openapi_url,
                title=title,
                swagger_js_url=f"{STATIC_PREFIX}/swagger-ui-bundle.js",
                swagger_css_url=f"{STATIC_PREFIX}/swagger-ui.css",
                swagger_favicon_url=f"{STATIC_PREFIX}/favicon.png",
            )
        )

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return _page(
            get_redoc_html(
                openapi_url=openapi_url,
                title=title,
                redoc_js_url=f"{STATIC_PREFIX}/redoc.standalone.js",
                redoc_favicon_url=f"{STATIC_PREFIX}/favicon.png",
                with_google_fonts=False,
            )
        )
