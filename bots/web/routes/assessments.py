"""The self-assessment API: the rubric, and saved assessments by their unguessable id."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path
from fastapi.responses import JSONResponse

from assistant.assessment import AssessmentInput, AssessmentInputError
from bots.web.assessments import (
    ASSESSMENT_ID,
    AssessmentRequest,
    AssessmentStoreDep,
    AssessorDep,
    assessment_view,
    fit_error,
    not_found,
)
from bots.web.deps import RateLimited

router = APIRouter(tags=["assessment"])
AssessmentId = Path(pattern=ASSESSMENT_ID, description="The id returned when the assessment was saved.")


@router.get("/assessment/rubric")
def rubric(assessor: AssessorDep) -> dict[str, Any]:
    """Every outcome's statements with their four options, and the allowed weights."""
    return assessor.rubric_data()


@router.post("/assessments", status_code=201, dependencies=[RateLimited], response_model=None)
def create_assessment(
    body: AssessmentRequest, assessor: AssessorDep, store: AssessmentStoreDep
) -> dict[str, Any] | JSONResponse:
    """Save a self-assessment (any subset of outcomes) and return its scores and plan."""
    data = AssessmentInput.model_validate(body.model_dump(exclude={"previous_id"}))
    try:
        assessor.parse(data)
    except AssessmentInputError as exc:
        return fit_error(exc)
    if body.previous_id and store.get(body.previous_id) is None:
        raise not_found()
    stored = store.create(data, previous_id=body.previous_id, channel="web")
    return assessment_view(stored, assessor, store)


@router.get("/assessments/{assessment_id}")
def get_assessment(
    assessor: AssessorDep, store: AssessmentStoreDep, assessment_id: str = AssessmentId
) -> dict[str, Any]:
    """A saved assessment with its scores, plan and what moved since the earlier one."""
    stored = store.get(assessment_id)
    if stored is None:
        raise not_found()
    return assessment_view(stored, assessor, store)


@router.put("/assessments/{assessment_id}", dependencies=[RateLimited], response_model=None)
def put_assessment(
    body: AssessmentInput, assessor: AssessorDep, store: AssessmentStoreDep, assessment_id: str = AssessmentId
) -> dict[str, Any] | JSONResponse:
    """Replace a saved assessment's answers, weights and details."""
    try:
        assessor.parse(body)
    except AssessmentInputError as exc:
        return fit_error(exc)
    stored = store.update(assessment_id, body)
    if stored is None:
        raise not_found()
    return assessment_view(stored, assessor, store)
