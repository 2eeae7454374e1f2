"""Protection for the web API: CORS, API keys, rate limit, body limit, security headers, safe errors."""

from __future__ import annotations

import hmac
import logging
import math
import threading
import time
from collections import OrderedDict
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyHeader
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.config import Settings

log = logging.getLogger("almanac.web")

API_KEY_HEADER = "X-API-Key"
# The Swagger UI and ReDoc pages load their scripts from a CDN, so they keep FastAPI's defaults.
DOCS_PATHS = frozenset({"/docs", "/docs/oauth2-redirect", "/redoc"})
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
UNEXPECTED = (
    "Something went wrong on the server. Please try again; if it keeps happening, tell the site team."
)


def page_csp(nonce: str) -> str:
    """The policy for HTML pages: the widget's script and API from this origin, one nonce'd style block."""
    return (
        "default-src 'self'; script-src 'self'; "
        f"style-src 'self' 'nonce-{nonce}'; img-src 'self' data:; connect-src 'self'; font-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


class FieldError(HTTPException):
    """A client error about one request field, shown as {detail, field}."""

    def __init__(self, status_code: int, detail: str, *, field: str | None = None):
        super().__init__(status_code, detail)
        self.field = field


class BodyLimitMiddleware:
    """Refuses API request bodies over the limit with 413, whether or not Content-Length is sent.

    The body is read here in full (it is small by definition) and handed on, because FastAPI turns any
    error raised while it reads a body into a 400.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int, prefix: str = "/api/"):
        self.app = app
        self.max_bytes = max_bytes
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(scope, receive, send)
            return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if len(body) > self.max_bytes:
                await self._refuse(scope, receive, send)
                return
            more = bool(message.get("more_body", False))
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": bytes(body), "more_body": False}

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = f"The request body is larger than the {self.max_bytes}-byte limit; send a shorter question."
        await JSONResponse({"detail": message}, status_code=413)(scope, receive, send)


class UnexpectedErrorMiddleware:
    """Turns an unhandled error into a plain 500 and logs the trace; the connection stays usable."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            if started:
                raise
            log.exception("unhandled error on %s %s", scope.get("method"), scope["path"])
            await JSONResponse({"detail": UNEXPECTED, "field": None}, status_code=500)(scope, receive, send)


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


class RateLimiter:
    """A token bucket per client: `per_minute` requests a minute, with bursts up to that many."""

    def __init__(self, per_minute: int, *, max_clients: int = 10_000):
        self.capacity = float(per_minute)
        self.refill_per_second = per_minute / 60.0
        self.max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """Spend one request; returns 0 when allowed, else the seconds until the next is allowed."""
        now = time.monotonic()
        with self._lock:
            tokens, updated = self._buckets.pop(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - updated) * self.refill_per_second)
            wait = 0.0
            if tokens >= 1:
                tokens -= 1
            else:
                wait = (1 - tokens) / self.refill_per_second
            self._buckets[client] = (tokens, now)
            # The least recently seen clients go first; a forgotten client simply starts with a full bucket.
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
            return wait


def client_key(request: Request) -> str:
    """Who a request counts against: its address (behind a local proxy, from X-Forwarded-For)."""
    return request.client.host if request.client else "unknown"


async def enforce_rate_limit(request: Request) -> None:
    """429 with Retry-After once a client has used its requests for the minute."""
    wait = request.app.state.rate_limiter.take(client_key(request))
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


def _field_name(loc: tuple[Any, ...]) -> str | None:
    parts = [str(part) for part in loc if part not in ("body", "query", "path", "header")]
    return ".".join(parts) or None


def _readable(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return "is required"
    if kind == "string_pattern_mismatch":
        return "is not a valid id; use the one from an earlier answer"
    if kind in {"model_attributes_type", "dict_type"}:
        return "must be a JSON object sent as Content-Type: application/json"
    message = str(error.get("msg", "is not valid"))
    message = message.removeprefix("Value error, ")
    return message[0].lower() + message[1:] if message.startswith(("Input", "String")) else message


async def validation_error(request: Request, exc: Exception) -> JSONResponse:
    """422 with one readable line per problem, naming each field; the input is never echoed."""
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in errors):
        return JSONResponse({"detail": "The request body is not valid JSON.", "field": None}, status_code=422)
    items = [{"field": _field_name(tuple(e.get("loc", ()))), "message": _readable(e)} for e in errors]
    detail = "; ".join(
        f"{i['field']}: {i['message']}" if i["field"] else f"The request body {i['message']}" for i in items
    )
    body: dict[str, Any] = {"detail": detail, "field": items[0]["field"] if items else None, "errors": items}
    return JSONResponse(body, status_code=422)


async def http_error(request: Request, exc: Exception) -> JSONResponse:
    """HTTP errors as {detail, field}."""
    assert isinstance(exc, StarletteHTTPException)
    body = {"detail": str(exc.detail), "field": getattr(exc, "field", None)}
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    """500 with a plain sentence: the stack trace goes to the log only."""
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return JSONResponse({"detail": UNEXPECTED, "field": None}, status_code=500)


def install_protection(app: FastAPI, settings: Settings) -> None:
    """Add the middleware, the rate limiter and the error handlers to the app."""
    app.state.rate_limiter = RateLimiter(settings.rate_limit_per_minute)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, unexpected_error)
    # Added innermost first: security headers wrap CORS, which wraps the body limit and the error guard,
    # so even a 413 or a 500 reaches a cross-origin page readable and with the headers.
    app.add_middleware(UnexpectedErrorMiddleware)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
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
