"""Shared pieces of the self-assessment routes: the engine and store on app.state, and the JSON views."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import JSONResponse
from pydantic import Field

from assistant.assessment import AssessmentInput, AssessmentInputError, Assessor
from assistant.assessment.plan import Plan
from bots.store.assessments import AssessmentStore, StoredAssessment
from bots.web.errors import FieldError

ASSESSMENT_ID = r"^[A-Za-z0-9_-]{16,64}$"


class AssessmentRequest(AssessmentInput):
    """A self-assessment to save: answers (any subset of outcomes), weights, council type and a label."""

    previous_id: str | None = Field(
        default=None, pattern=ASSESSMENT_ID, description="An earlier assessment to compare this one with."
    )


def get_assessor(request: Request) -> Assessor:
    """The rubric, guides and case studies, read from the corpus once per app."""
    state = request.app.state
    if getattr(state, "assessor", None) is None:
        state.assessor = Assessor.from_settings(state.settings)
    return state.assessor  # type: ignore[no-any-return]


def get_assessment_store(request: Request) -> AssessmentStore:
    """Saved assessments, in the conversations' database."""
    state = request.app.state
    if getattr(state, "assessment_store", None) is None:
        state.assessment_store = AssessmentStore(state.stores.conversations.database)
    return state.assessment_store  # type: ignore[no-any-return]


AssessorDep = Annotated[Assessor, Depends(get_assessor)]
AssessmentStoreDep = Annotated[AssessmentStore, Depends(get_assessment_store)]


def fit_error(exc: AssessmentInputError) -> JSONResponse:
    """422 in the API's validation shape: {detail, field, errors: [{field, message}]}."""
    items = [{"field": field, "message": message} for field, message in exc.problems]
    detail = "; ".join(f"{i['field']}: {i['message']}" for i in items)
    return JSONResponse({"detail": detail, "field": exc.field, "errors": items}, status_code=422)


def not_found() -> FieldError:
    return FieldError(404, "id: no assessment with that id; check the link you were given.", field="id")


def links(assessment_id: str) -> dict[str, str]:
    base = f"/assess/{assessment_id}"
    return {
        "resume": f"/assess?id={assessment_id}",
        "results": base,
        "markdown": f"{base}/plan.md",
        "csv": f"{base}/plan.csv",
    }


def plan_view(plan: Plan) -> dict[str, Any]:
    """The scores and plan as JSON-ready data."""
    return {
        "results": [
            {
                "slug": r.slug,
                "name": r.name,
                "level": r.level,
                "level_name": r.level_name,
                "answered": r.answered,
                "total": r.total,
                "weakest": r.weakest,
                "weight": r.weight,
                "gap": r.gap,
                "priority": r.priority,
            }
            for r in plan.results
        ],
        "plan": [
            {
                "slug": item.result.slug,
                "name": item.result.name,
                "level": item.result.level,
                "next_level": item.next_level,
                "priority": item.result.priority,
                "signs": item.signs,
                "signs_citation": item.signs_n,
                "steps": [{"text": s.text, "citation": s.n} for s in item.steps],
                "cases": [
                    {
                        "doc_id": c.source.doc_id,
                        "title": c.source.title,
                        "council_type": c.source.council_type,
                        "citation": c.n,
                    }
                    for c in item.cases
                ],
            }
            for item in plan.items
        ],
        "citations": [dataclasses.asdict(c) for c in plan.citations],
    }


def assessment_view(stored: StoredAssessment, assessor: Assessor, store: AssessmentStore) -> dict[str, Any]:
    """A saved assessment with its scores, plan, links and (when it has an earlier one) what moved."""
    view: dict[str, Any] = {
        "id": stored.id,
        "created_at": stored.created_at,
        "updated_at": stored.updated_at,
        "previous_id": stored.previous_id,
        **stored.data.model_dump(),
        **plan_view(assessor.plan(stored.data)),
        "links": links(stored.id),
        "changes": [],
    }
    earlier = store.get(stored.previous_id) if stored.previous_id else None
    if earlier is not None:
        view["changes"] = [dataclasses.asdict(c) for c in assessor.compare(earlier.data, stored.data)]
    return view
