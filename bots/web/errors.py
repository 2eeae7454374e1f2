"""Every web error as {detail, field}: one readable sentence, never a stack trace or a server path."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.errors import IndexNotBuiltError

log = logging.getLogger("almanac.web")

UNEXPECTED = (
    "Something went wrong on the server. Please try again; if it keeps happening, tell the site team."
)
INDEX_EMPTY = "The almanac has not been loaded yet: the site team needs to run `almanac ingest`."


class FieldError(HTTPException):
    """A client error about one request field, shown as {detail, field}."""

    def __init__(self, status_code: int, detail: str, *, field: str | None = None):
        super().__init__(status_code, detail)
        self.field = field


def answer_error(exc: Exception) -> FieldError:
    """The HTTP error for a failure while answering: 422 or 503 when the user can act on it, else 500."""
    if isinstance(exc, KeyError):
        return FieldError(422, "outcome: is not a known outcome; see GET /api/outcomes", field="outcome")
    if isinstance(exc, UnicodeError):
        return FieldError(422, "question: contains characters that are not valid text", field="question")
    if isinstance(exc, ValueError):
        return FieldError(422, f"question: {exc}", field="question")
    if isinstance(exc, IndexNotBuiltError):
        return FieldError(503, INDEX_EMPTY)
    return FieldError(500, UNEXPECTED)


def too_large(max_bytes: int) -> JSONResponse:
    """413 for a request body over the limit."""
    message = f"The request body is larger than the {max_bytes}-byte limit; send a shorter question."
    return JSONResponse({"detail": message, "field": None}, status_code=413)


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
    """HTTP errors as {detail, field}; FastAPI's own 413 (body over max_body_size) says what the limit is."""
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 413:
        return too_large(request.app.state.settings.max_body_bytes)
    body = {"detail": str(exc.detail), "field": getattr(exc, "field", None)}
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    """500 with a plain sentence: the stack trace goes to the log only."""
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return JSONResponse({"detail": UNEXPECTED, "field": None}, status_code=500)


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


def install_error_handlers(app: FastAPI) -> None:
    """Validation, HTTP and unexpected errors all answer in the {detail, field} shape."""
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, unexpected_error)
