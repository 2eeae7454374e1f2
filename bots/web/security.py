"""Protection for the web API: CORS, API keys, rate limit, declared body size, security headers, proxies."""

from __future__ import annotations

import hmac
import ipaddress
import math
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.security import APIKeyHeader
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.config import Settings
from assistant.errors import ConfigError
from bots.ratelimit import RateLimiter
from bots.web.errors import UnexpectedErrorMiddleware, install_error_handlers, too_large

API_KEY_HEADER = "X-API-Key"
API_PREFIX = "/api/"
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), browsing-topics=()"
)
HSTS = "max-age=31536000; includeSubDomains"
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks(settings: Settings) -> tuple[Network, ...]:
    """ALMANAC_TRUSTED_PROXIES as networks.

    Raises:
        ConfigError: an entry is not an IP address or CIDR range.
    """
    networks = []
    for entry in settings.trusted_proxies:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ConfigError(
                f"ALMANAC_TRUSTED_PROXIES: {entry!r} is not an IP address or CIDR range, e.g. 10.0.0.5 or "
                "10.0.0.0/24."
            ) from None
    return tuple(networks)


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


def forwarded_client(peer: str, forwarded_for: str | None, networks: tuple[Network, ...]) -> str:
    """The client's address: the peer's, or from X-Forwarded-For when the peer is a trusted proxy.

    X-Forwarded-For is read from the right, past each trusted proxy, to the first address that is not
    one: anything further left was written by the client and proves nothing.
    """
    if not forwarded_for or not _is_trusted(peer, networks):
        return peer
    for hop in reversed([part.strip() for part in forwarded_for.split(",")]):
        if not hop:
            continue
        if not _is_trusted(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer
    return peer


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
    """Adds nosniff, referrer, framing and permissions headers to every response, a strict default CSP,
    and Strict-Transport-Security when the site is served over HTTPS."""

    def __init__(self, app: ASGIApp, *, behind_tls: bool = False, trusted: tuple[Network, ...] = ()):
        self.app = app
        self.behind_tls = behind_tls
        self.trusted = trusted

    def _over_https(self, scope: Scope) -> bool:
        if self.behind_tls or scope.get("scheme") == "https":
            return True
        peer = (scope.get("client") or ("", 0))[0]
        proto = Headers(scope=scope).get("x-forwarded-proto", "")
        return proto.strip().lower() == "https" and _is_trusted(peer, self.trusted)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = self._over_https(scope)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
                headers.setdefault("Content-Security-Policy", API_CSP)
                if https:
                    headers.setdefault("Strict-Transport-Security", HSTS)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def client_key(request: Request) -> str:
    """Who a request counts against: its address (behind a trusted proxy, from X-Forwarded-For)."""
    peer = request.client.host if request.client else "unknown"
    networks: tuple[Network, ...] = getattr(request.app.state, "trusted_proxies", ())
    return forwarded_client(peer, request.headers.get("x-forwarded-for"), networks)


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
    app.state.trusted_proxies = trusted = trusted_networks(settings)
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
    app.add_middleware(SecurityHeadersMiddleware, behind_tls=settings.behind_tls, trusted=trusted)
