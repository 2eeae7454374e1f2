"""Protection for the web API: CORS, API keys, rate limit, declared body size, security headers."""

from __future__ import annotations

import hmac
import math
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.security import APIKeyHeader
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.config import Settings
from bots.ratelimit import RateLimiter
from bots.web.errors import UnexpectedErrorMiddleware, install_error_handlers, too_large

API_KEY_HEADER = "X-API-Key"
API_PREFIX = "/api/"
# The Swagger UI and ReDoc pages load their scripts from a CDN, so they keep FastAPI's defaults.
DOCS_PATHS = frozenset({"/docs", "/docs/oauth2-redirect", "/redoc"})
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"


def page_csp(nonce: str) -> str:
    """The policy for HTML pages: the widget's script and API from this origin, one nonce'd style block."""
    return (
        "default-src 'self'; script-src 'self'; "
        f"style-src 'self' 'nonce-{nonce}'; img-src 'self' data:; connect-src 'self'; font-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


class DeclaredLengthLimit:
    """413 at once for an API request whose Content-Length is over the limit.

    FastAPI's max_body_size (set where the API router is included) counts the bytes as they arrive, which
    covers chunked uploads; but when the declared length is already over, Starlette's limiter replaces any
    response with a plain-text 413, so those requests are refused here, in the API's JSON shape.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(API_PREFIX):
            declared = Headers(scope=scope).get("content-length")
            if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
                await too_large(self.max_bytes)(scope, receive, send)
                return
        await self.app(scope, receive, send)


class SecurityHeadersMiddleware:
    """Adds nosniff, referrer and framing headers to every response, and a strict default CSP."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
                headers.setdefault("X-Frame-Options", "DENY")
                if path not in DOCS_PATHS:
                    headers.setdefault("Content-Security-Policy", API_CSP)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def client_key(request: Request) -> str:
    """Who a request counts against: its address (behind a local proxy, from X-Forwarded-For)."""
    return request.client.host if request.client else "unknown"


async def enforce_rate_limit(request: Request) -> None:
    """429 with Retry-After once a client has used its requests for the minute."""
    limiter: RateLimiter = request.app.state.rate_limiter
    wait = limiter.take(client_key(request))
    if wait > 0:
        seconds = max(1, math.ceil(wait))
        raise HTTPException(
            429,
            f"Too many requests; wait {seconds} seconds and try again.",
            headers={"Retry-After": str(seconds)},
        )


api_key_header = APIKeyHeader(
    name=API_KEY_HEADER, auto_error=False, description="Needed when ALMANAC_API_KEYS is set."
)


async def require_api_key(request: Request, key: Annotated[str | None, Depends(api_key_header)]) -> None:
    """401 unless the request carries one of the configured keys (no keys configured: open)."""
    settings: Settings = request.app.state.settings
    if not settings.api_keys:
        return
    if not key:
        raise HTTPException(401, f"This API needs a key; send it in the {API_KEY_HEADER} header.")
    given = key.encode()
    if not any(hmac.compare_digest(given, k.get_secret_value().encode()) for k in settings.api_keys):
        raise HTTPException(401, f"The {API_KEY_HEADER} header does not match a known key.")


def install_protection(app: FastAPI, settings: Settings) -> None:
    """Add the middleware, the rate limiter and the error handlers to the app."""
    app.state.rate_limiter = RateLimiter(settings.rate_limit_per_minute, storage=settings.rate_limit_storage)
    install_error_handlers(app)
    # Added innermost first: security headers wrap CORS, which wraps the length check and the error guard,
    # so even a 413 or a 500 reaches a cross-origin page readable and with the headers.
    app.add_middleware(UnexpectedErrorMiddleware)
    app.add_middleware(DeclaredLengthLimit, max_bytes=settings.max_body_bytes)
    if settings.allowed_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.allowed_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", API_KEY_HEADER],
            expose_headers=["Retry-After"],
            max_age=600,
        )
    app.add_middleware(SecurityHeadersMiddleware)
