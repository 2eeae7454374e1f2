"""The /assess pages: the questionnaire, the results, the exports and the page script.

Like the demo page they are open; a saved assessment is reached only through its unguessable id.
"""

from __future__ import annotations

import secrets
from importlib.resources import files

from fastapi import APIRouter, Path
from fastapi.responses import HTMLResponse, Response

from bots.store.assessments import AssessmentStore, StoredAssessment
from bots.web.assess_form import questionnaire_html
from bots.web.assess_results import results_html
from bots.web.assessments import ASSESSMENT_ID, AssessmentStoreDep, AssessorDep, not_found
from bots.web.deps import SettingsDep
from bots.web.security import page_csp

STATIC = files("bots.web") / "static"
KEY_NOTICE = (
    '<p class="notice"><strong>This server needs an API key</strong>, so answers on this page cannot be saved. '
    "Use <code>almanac assess</code> or the API with your key instead.</p>"
)
router = APIRouter(include_in_schema=False)
AssessmentId = Path(pattern=ASSESSMENT_ID)


def page(title: str, body: str, *, script: bool = False) -> HTMLResponse:
    nonce = secrets.token_urlsafe(16)
    html = (STATIC / "assess.html").read_text(encoding="utf-8")
    html = (
        html.replace("{{nonce}}", nonce)
        .replace("{{title}}", title)
        .replace("{{script}}", '<script src="/assess.js" defer></script>' if script else "")
        .replace("{{body}}", body)
    )
    return HTMLResponse(
        html, headers={"Content-Security-Policy": page_csp(nonce), "Cache-Control": "no-store"}
    )


@router.get("/assess.js")
def assess_js() -> Response:
    script = (STATIC / "assess.js").read_bytes()
    return Response(
        script, media_type="text/javascript; charset=utf-8", headers={"Cache-Control": "no-cache"}
    )


@router.get("/assess", response_class=HTMLResponse)
def questionnaire(assessor: AssessorDep, settings: SettingsDep) -> HTMLResponse:
    notice = KEY_NOTICE if settings.api_keys else ""
    return page("Self-assessment", notice + questionnaire_html(assessor), script=True)


@router.get("/assess/{assessment_id}", response_class=HTMLResponse)
def results(
    assessor: AssessorDep, store: AssessmentStoreDep, assessment_id: str = AssessmentId
) -> HTMLResponse:
    stored = saved(store, assessment_id)
    plan = assessor.plan(stored.data)
    prompts = {s.id: s.prompt for r in assessor.rubrics.values() for s in r.statements}
    earlier = store.get(stored.previous_id) if stored.previous_id else None
    changes = assessor.compare(earlier.data, stored.data) if earlier else None
    body = results_html(
        assessment_id, plan, prompts, changes=changes, since=earlier.updated_at if earlier else None
    )
    return page("Self-assessment results", body)


def saved(store: AssessmentStore, assessment_id: str) -> StoredAssessment:
    """The saved assessment, or 404."""
    stored = store.get(assessment_id)
    if stored is None:
        raise not_found()
    return stored


def _download(text: str, media_type: str, filename: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"}
    return Response(text, media_type=f"{media_type}; charset=utf-8", headers=headers)


@router.get("/assess/{assessment_id}/plan.md")
def plan_markdown(
    assessor: AssessorDep, store: AssessmentStoreDep, assessment_id: str = AssessmentId
) -> Response:
    return _download(
        assessor.markdown(saved(store, assessment_id).data), "text/markdown", "almanac-self-assessment.md"
    )


@router.get("/assess/{assessment_id}/plan.csv")
def plan_csv(assessor: AssessorDep, store: AssessmentStoreDep, assessment_id: str = AssessmentId) -> Response:
    return _download(
        assessor.csv(saved(store, assessment_id).data), "text/csv", "almanac-self-assessment.csv"
    )
