"""Request ids and log lines: ALMANAC_LOG_FORMAT=json gives one JSON object per line.

Every request gets an id (a well-formed incoming X-Request-ID is kept, else a new one), returned in the
X-Request-ID header and attached to every log line written while the request is handled. One INFO line
per request gives its method, route, status and duration; question text is never logged at INFO, and
any message is passed through assistant.guards.redact before it is written in JSON.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable
from contextvars import ContextVar

from fastapi import FastAPI, Request, Response

from assistant.guards import redact
from bots.web.metrics import route_of

REQUEST_ID = ContextVar("almanac_request_id", default="")
INCOMING_ID_RE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
LOG_LOGGERS = ("", "almanac", "uvicorn", "uvicorn.error", "uvicorn.access")
log = logging.getLogger("almanac.requests")


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id and any request fields."""

    FIELDS = ("method", "route", "status", "duration_ms")

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        request_id = getattr(record, "request_id", "") or REQUEST_ID.get()
        if request_id:
            entry["request_id"] = request_id
        for name in self.FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["error"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(log_format: str, level: int = logging.INFO) -> None:
    """Send the app's and uvicorn's logs to stderr as JSON lines (log_format "json"); else leave them be."""
    if log_format != "json":
        return
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    for name in LOG_LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers = [handler] if name == "" else []
        logger.propagate = name != ""
        if name in ("", "almanac"):
            logger.setLevel(level)


def install_request_ids(app: FastAPI) -> None:
    """Give each request an id, return it as X-Request-ID, and log one line per request."""

    @app.middleware("http")
    async def request_id(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        incoming = request.headers.get("x-request-id", "")
        rid = incoming if INCOMING_ID_RE.match(incoming) else uuid.uuid4().hex
        token = REQUEST_ID.set(rid)
        started = time.perf_counter()
        status = 500
        try:
            response = await call_next(request)
            status = response.status_code
            response.headers["X-Request-ID"] = rid
            return response
        finally:
            route = route_of(request)
            fields = {"method": request.method, "route": route, "status": status}
            fields["duration_ms"] = round((time.perf_counter() - started) * 1000, 1)
            log.info("%s %s %s", request.method, route, status, extra=fields)
            REQUEST_ID.reset(token)
