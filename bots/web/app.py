"""The FastAPI app: chat (plain and streamed), feedback, outcomes, documents, health and the widget."""

from __future__ import annotations

import asyncio
import html
import json
import logging
import secrets
import threading
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from assistant.answer import Answer, Turn
from assistant.config import Settings
from assistant.documents import Document
from assistant.errors import AlmanacError, CorpusError, IndexNotBuiltError
from assistant.outcomes import OUTCOMES, get_outcome
from assistant.rag import Assistant
from bots.feedback import FeedbackStore
from bots.web import schemas
from bots.web.security import (
    UNEXPECTED,
    FieldError,
    enforce_rate_limit,
    install_protection,
    page_csp,
    require_api_key,
)

log = logging.getLogger("almanac.web")
STATIC = files("bots.web") / "static"
INDEX_EMPTY = "The almanac has not been loaded yet: the site team needs to run `almanac ingest`."
# A key written into this public page would no longer be secret, so the demo cannot carry one.
KEY_NOTICE = (
    '<p class="notice"><strong>This server needs an API key</strong>, so the chat on this page will not answer. '
    "Embed the widget with <code>data-api-key</code> on your own page instead.</p>"
)
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": schemas.ErrorOut} for code in (401, 404, 413, 422, 429, 503)
}


class AssistantProvider:
    """Builds the process's one Assistant on first use (the model takes seconds to load), then shares it."""

    def __init__(self, settings: Settings, assistant: Assistant | None = None):
        self.settings = settings
        self._assistant = assistant
        self._lock = threading.Lock()
        self.failure: str | None = None

    @property
    def loaded(self) -> bool:
        return self._assistant is not None

    def get(self) -> Assistant:
        if self._assistant is None:
            with self._lock:
                if self._assistant is None:
                    built = Assistant.from_settings(self.settings)
                    if built.ready():
                        built.warm_up()
                    self._assistant = built
        return self._assistant


class DocumentCatalogue:
    """The corpus documents by id, read again when a file changes; a broken file is skipped, not fatal."""

    def __init__(self, corpus_dir: Path):
        self.corpus_dir = corpus_dir
        self._stamp: tuple[tuple[str, int], ...] | None = None
        self._documents: dict[str, Document] = {}
        self._lock = threading.Lock()

    def get(self, doc_id: str) -> Document | None:
        from ingest.load import corpus_files, parse_document

        try:
            paths = corpus_files(self.corpus_dir)
        except CorpusError:
            return None
        stamp = tuple((str(p), p.stat().st_mtime_ns) for p in paths)
        with self._lock:
            if stamp != self._stamp:
                documents: dict[str, Document] = {}
                for path in paths:
                    try:
                        document = parse_document(path, self.corpus_dir)
                    except CorpusError as exc:
                        log.warning("skipping a corpus file: %s", exc)
                        continue
                    documents.setdefault(document.id, document)
                self._documents, self._stamp = documents, stamp
            return self._documents.get(doc_id)


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_assistant(request: Request) -> Assistant:
    return await run_in_threadpool(request.app.state.assistants.get)


def get_feedback_store(request: Request) -> FeedbackStore:
    return request.app.state.feedback


def get_catalogue(request: Request) -> DocumentCatalogue:
    return request.app.state.catalogue


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
AssistantDep = Annotated[Assistant, Depends(get_assistant)]
FeedbackDep = Annotated[FeedbackStore, Depends(get_feedback_store)]
CatalogueDep = Annotated[DocumentCatalogue, Depends(get_catalogue)]
RateLimited = Depends(enforce_rate_limit)

api = APIRouter(prefix="/api", dependencies=[Depends(require_api_key)], responses=ERRORS)


def checked_question(body: schemas.ChatRequest, settings: Settings) -> str:
    """The question, or 422 when it is over the configured length."""
    question = body.question.strip()
    if len(question) > settings.max_question_chars:
        raise FieldError(
            422,
            f"question: is {len(question)} characters long; the limit is {settings.max_question_chars}. "
            "Shorten it and try again.",
            field="question",
        )
    return question


def answer_error(exc: Exception) -> FieldError:
    """The HTTP error for a failure the user can act on."""
    if isinstance(exc, KeyError):
        return FieldError(422, f"outcome: {exc.args[0]}", field="outcome")
    if isinstance(exc, ValueError):
        return FieldError(422, f"question: {exc}", field="question")
    if isinstance(exc, IndexNotBuiltError):
        return FieldError(503, INDEX_EMPTY)
    return FieldError(500, UNEXPECTED)


@api.post("/chat", response_model=schemas.AnswerOut, dependencies=[RateLimited])
def chat(
    body: schemas.ChatRequest, settings: SettingsDep, assistant: AssistantDep, feedback: FeedbackDep
) -> dict[str, Any]:
    """Answer a question; pass the returned conversation_id back to ask a follow-up."""
    question = checked_question(body, settings)
    conversation_id = body.conversation_id or feedback.new_id()
    history = feedback.history(conversation_id) if body.conversation_id else []
    try:
        answer = assistant.ask(question, history=history, outcome=body.outcome)
    except (ValueError, KeyError, AlmanacError) as exc:
        raise answer_error(exc) from None
    feedback.record_turn(conversation_id, answer)
    return answer.to_dict()


def sse(event: str, data: dict[str, Any]) -> str:
    """One server-sent event; the data is JSON on a single line."""
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


async def answer_events(
    assistant: Assistant,
    feedback: FeedbackStore,
    *,
    question: str,
    conversation_id: str,
    history: Sequence[Turn],
    outcome: str | None,
) -> AsyncIterator[str]:
    """Text pieces as `delta` events, then the stored Answer as `answer`; a failure as `error`."""
    try:
        pieces = assistant.stream(question, history=history, outcome=outcome)
        async for item in iterate_in_threadpool(pieces):
            if isinstance(item, Answer):
                await run_in_threadpool(feedback.record_turn, conversation_id, item)
                yield sse("answer", item.to_dict())
            else:
                yield sse("delta", {"text": item})
    except Exception as exc:  # noqa: BLE001 - headers are sent; the failure must travel as an event
        error = answer_error(exc)
        if error.status_code == 500:
            log.exception("streamed answer failed")
        yield sse("error", {"detail": error.detail, "status": error.status_code})


@api.post(
    "/chat/stream",
    dependencies=[RateLimited],
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "delta events, then answer"}},
)
async def chat_stream(
    body: schemas.ChatRequest, settings: SettingsDep, assistant: AssistantDep, feedback: FeedbackDep
) -> StreamingResponse:
    """The /api/chat answer as server-sent events: `delta` text pieces, then `answer` (or `error`)."""
    question = checked_question(body, settings)
    conversation_id = body.conversation_id or feedback.new_id()
    history = await run_in_threadpool(feedback.history, conversation_id) if body.conversation_id else []
    events = answer_events(
        assistant,
        feedback,
        question=question,
        conversation_id=conversation_id,
        history=history,
        outcome=body.outcome,
    )
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(events, media_type="text/event-stream", headers=headers)


@api.post("/feedback", status_code=201, response_model=schemas.FeedbackStored, dependencies=[RateLimited])
def post_feedback(body: schemas.FeedbackRequest, feedback: FeedbackDep) -> schemas.FeedbackStored:
    """Rate an answer up or down, with an optional comment."""
    turn = feedback.turn(body.message_id)
    if turn is None or turn["conversation_id"] != body.conversation_id:
        raise FieldError(
            404,
            "message_id: no answer with that id in this conversation; it may have expired.",
            field="message_id",
        )
    comment = (body.comment or "").strip() or None
    stored = feedback.add_feedback(
        conversation_id=body.conversation_id, message_id=body.message_id, rating=body.rating, comment=comment
    )
    return schemas.FeedbackStored(id=stored)


@api.get("/outcomes", response_model=list[schemas.OutcomeOut])
def list_outcomes() -> list[schemas.OutcomeOut]:
    """The 12 digitalisation outcomes."""
    return [schemas.OutcomeOut(slug=o.slug, name=o.name, description=o.description) for o in OUTCOMES]


@api.get("/documents/{doc_id}", response_model=schemas.DocumentOut)
def get_document(
    doc_id: Annotated[str, PathParam(pattern=r"^[a-z0-9-]{1,120}$")], catalogue: CatalogueDep
) -> schemas.DocumentOut:
    """An almanac document's title, summary, outcomes and the external sources it draws on."""
    document = catalogue.get(doc_id)
    if document is None:
        raise FieldError(404, f"doc_id: no almanac document has the id {doc_id!r}.", field="doc_id")
    meta = document.meta
    return schemas.DocumentOut(
        id=meta.id,
        title=meta.title,
        type=meta.type,
        summary=meta.summary.strip(),
        outcomes=[schemas.OutcomeRef(slug=s, name=get_outcome(s).name) for s in meta.outcomes],
        sources=[schemas.SourceOut(**s.model_dump()) for s in meta.sources],
        path=f"corpus/{document.rel_path}",
        council=meta.council,
        region=meta.region,
        years=meta.years,
        updated=meta.updated.isoformat(),
    )


pages = APIRouter()


@pages.get("/healthz", response_model=schemas.Health, tags=["health"])
def healthz() -> schemas.Health:
    """The process is up."""
    return schemas.Health()


@pages.get(
    "/readyz",
    response_model=schemas.Readiness,
    tags=["health"],
    responses={503: {"model": schemas.Readiness}},
)
async def readyz(request: Request) -> JSONResponse:
    """Ready when the model is loaded and the index holds chunks."""
    provider: AssistantProvider = request.app.state.assistants
    if not provider.loaded:
        body = schemas.Readiness(
            status="not ready", detail=provider.failure or "Loading the model and the index."
        )
        return JSONResponse(body.model_dump(), status_code=503)
    assistant = provider.get()
    chunks = await run_in_threadpool(lambda: assistant.index_size() if assistant.ready() else 0)
    if chunks == 0:
        return JSONResponse(
            schemas.Readiness(status="not ready", detail=INDEX_EMPTY).model_dump(), status_code=503
        )
    return JSONResponse(schemas.Readiness(status="ready", chunks=chunks).model_dump())


@pages.get("/widget.js", include_in_schema=False)
def widget_js() -> Response:
    headers = {"Cache-Control": "public, max-age=300", "Cross-Origin-Resource-Policy": "cross-origin"}
    script = (STATIC / "widget.js").read_bytes()
    return Response(script, media_type="text/javascript; charset=utf-8", headers=headers)


@pages.get("/", response_class=HTMLResponse, include_in_schema=False)
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


def include_slack(
    app: FastAPI, settings: Settings, provider: AssistantProvider, feedback: FeedbackStore
) -> None:
    """Serve POST /slack/events when Slack's HTTP mode is configured."""
    if not (settings.slack_bot_token and settings.slack_signing_secret):
        return
    try:
        from bots.slack.http import slack_router
    except ImportError:
        log.warning("Slack is configured but bots.slack.http is not available; /slack/events is not served")
        return
    app.include_router(slack_router(settings, provider.get(), feedback))
    log.info("Slack events are served at /slack/events")


def create_app(
    settings: Settings, *, assistant: Assistant | None = None, feedback: FeedbackStore | None = None
) -> FastAPI:
    """The web app. Without an assistant, one is built on first use and warmed in the background."""
    provider = AssistantProvider(settings, assistant)
    store = feedback or FeedbackStore(
        settings.feedback_path,
        max_turns=settings.conversation_max_turns,
        ttl_hours=settings.conversation_ttl_hours,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        warming = None if provider.loaded else asyncio.create_task(warm(provider))
        yield
        if warming is not None and not warming.done():
            warming.cancel()

    app = FastAPI(
        title="Almanac Assistant",
        summary="Answers from the local government digitalisation almanac, with sources and outcomes.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.assistants = provider
    app.state.feedback = store
    app.state.catalogue = DocumentCatalogue(settings.corpus_dir)
    install_protection(app, settings)
    app.include_router(api)
    app.include_router(pages)
    include_slack(app, settings, provider, store)
    return app


async def warm(provider: AssistantProvider) -> None:
    """Load the model before the first question, without delaying start-up."""
    try:
        await run_in_threadpool(provider.get)
    except Exception:  # noqa: BLE001 - the first request will report it in its own terms
        log.exception("could not load the assistant")
        provider.failure = "The assistant could not start; the server log says why."
