"""GET /api/outcomes and /api/documents/{doc_id}: what the almanac covers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from fastapi import Path as PathParam

from assistant.outcomes import OUTCOMES, get_outcome
from bots.web import schemas
from bots.web.deps import CatalogueDep
from bots.web.errors import FieldError

router = APIRouter(tags=["almanac"])


@router.get("/outcomes", response_model=list[schemas.OutcomeOut])
def list_outcomes() -> list[schemas.OutcomeOut]:
    """The 12 digitalisation outcomes."""
    return [schemas.OutcomeOut(slug=o.slug, name=o.name, description=o.description) for o in OUTCOMES]


@router.get("/documents/{doc_id}", response_model=schemas.DocumentOut)
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
