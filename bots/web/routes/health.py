"""GET /healthz and /readyz: liveness, and readiness once the model and the index are loaded."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from bots.web import schemas
from bots.web.deps import ProviderDep
from bots.web.errors import INDEX_EMPTY

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=schemas.Health)
def healthz() -> schemas.Health:
    """The process is up."""
    return schemas.Health()


@router.get("/readyz", response_model=schemas.Readiness, responses={503: {"model": schemas.Readiness}})
async def readyz(provider: ProviderDep) -> JSONResponse:
    """Ready when the model is loaded and the index holds chunks."""
    if not provider.loaded:
        detail = provider.failure or "Loading the model and the index."
        return JSONResponse(
            schemas.Readiness(status="not ready", detail=detail).model_dump(), status_code=503
        )
    assistant = provider.get()
    chunks = await run_in_threadpool(lambda: assistant.index_size() if assistant.ready() else 0)
    if chunks == 0:
        return JSONResponse(
            schemas.Readiness(status="not ready", detail=INDEX_EMPTY).model_dump(), status_code=503
        )
    return JSONResponse(schemas.Readiness(status="ready", chunks=chunks).model_dump())
