"""The plan, its citations, exports, saved assessments, comparison and the chat pointer, on the real corpus."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from assistant.assessment import AssessmentInputError, Assessor, assessment_pointer
from assistant.assessment.rubric import LEVELS
from bots.store.assessments import AssessmentStore
from bots.store.database import Database
from tests.conftest import CORPUS, PROJECT_ROOT, make_settings


@pytest.fixture(scope="module")
def assessor() -> Assessor:
    return Assessor.from_corpus(CORPUS)


def all_at(assessor: Assessor, level: str, **overrides: str) -> dict[str, dict[str, str]]:
    answers = {slug: {s.id: level for s in r.statements} for slug, r in assessor.rubrics.items()}
    for slug, other in overrides.items():
        answers[slug] = {s.id: other for s in assessor.rubrics[slug].statements}
    return answers


def test_plan_lists_focus_outcomes_with_cited_steps_and_cases(assessor: Assessor) -> None:
    data = assessor.parse(
        {
            "answers": all_at(
                assessor, "established", data="starting", value="developing", services="leading"
            ),
            "weights": {"value": "high"},
            "council_type": "district",
        }
    )
    plan = assessor.plan(data)
    assert 3 <= len(plan.items) <= 5
    assert [i.result.slug for i in plan.items][:2] == ["value", "data"]  # high weight first, then the gap
    assert "services" not in [i.result.slug for i in plan.items]  # Leading: nothing to do
    numbers = {c.n: c for c in plan.citations}
    guide_text = {
        slug: (CORPUS / "outcomes" / f"{slug}.md").read_text(encoding="utf-8") for slug in assessor.rubrics
    }
    for item in plan.items:
        slug = item.result.slug
        assert LEVELS.index(item.next_level) == item.result.level_index + 1
        assert item.signs and all(
            sign.split(",")[0].replace("**", "") in guide_text[slug] for sign in item.signs
        )
        assert 3 <= len(item.steps) <= 5 and 1 <= len(item.cases) <= 3
        for step in item.steps:
            cited = numbers[step.n]
            assert cited.doc_id == f"outcome-{slug}" and cited.section.startswith("Where to start")
            assert step.text[:40] in cited.snippet or step.text[:40] in guide_text[slug]
            assert (PROJECT_ROOT / cited.path).is_file() and cited.reviewed
            # Each step opens the guide's own section on the almanac pages.
            assert cited.page and cited.page.startswith(f"/almanac/outcome-{slug}#")
        for case in item.cases:
            assert slug in case.source.outcomes and numbers[case.n].doc_type == "case-study"
    data_item = next(i for i in plan.items if i.result.slug == "data")
    assert data_item.cases[0].source.council_type == "district" or not any(
        c.council_type == "district" and "data" in c.outcomes for c in assessor.cases
    )


def test_council_type_is_preferred_for_case_studies(assessor: Assessor) -> None:
    answers = {
        "security-and-resilience": {
            s.id: "starting" for s in assessor.rubrics["security-and-resilience"].statements
        }
    }
    for council_type in ("district", "london-borough"):
        plan = assessor.plan(assessor.parse({"answers": answers, "council_type": council_type}))
        assert plan.items[0].cases[0].source.council_type == council_type


def test_markdown_and_csv_exports(assessor: Assessor) -> None:
    data = assessor.parse(
        {"answers": all_at(assessor, "developing", ethics="starting"), "label": "Spring review"}
    )
    markdown = assessor.markdown(data)
    assert markdown.startswith("# Self-assessment: Spring review")
    assert "| Ethics and sustainability | Starting | 6 of 6 | medium |" in markdown
    assert "### 1. Ethics and sustainability: from Starting to Developing" in markdown
    assert "## Sources" in markdown and "(corpus/outcomes/ethics.md)" in markdown
    rows = list(csv.DictReader(io.StringIO(assessor.csv(data))))
    assert len(rows) == sum(len(r.statements) for r in assessor.rubrics.values())
    ethics = [r for r in rows if r["outcome"] == "ethics"]
    assert {r["answer"] for r in ethics} == {"starting"} and ethics[0]["outcome_level"] == "starting"
    assert ethics[0]["answer_text"] == assessor.rubrics["ethics"].statements[0].options.starting


def test_bad_answers_name_the_field(assessor: Assessor) -> None:
    with pytest.raises(AssessmentInputError) as caught:
        assessor.parse({"answers": {"data": {"data-sharing": "excellent"}}})
    assert caught.value.field == "answers.data.data-sharing" and "choose one of starting" in str(caught.value)
    with pytest.raises(AssessmentInputError) as caught:
        assessor.parse(
            {"answers": {"dat": {}, "data": {"data-nope": "starting"}}, "weights": {"value": "huge"}}
        )
    assert "weights.value: is not a weight" in str(caught.value)
    with pytest.raises(AssessmentInputError) as caught:
        assessor.parse({"answers": {"dat": {}, "data": {"data-nope": "starting"}}})
    message = str(caught.value)
    assert (
        "answers.dat: is not an outcome" in message
        and "answers.data.data-nope: is not a statement of data" in message
    )


def test_saved_assessment_reopen_edit_and_compare(assessor: Assessor, tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    store = AssessmentStore(Database(settings.feedback_path))
    first = store.create(
        assessor.parse({"answers": {"data": {"data-sharing": "starting", "data-addresses": "starting"}}})
    )
    assert len(first.id) >= 22 and store.get(first.id) is not None
    other = first.id[:-1] + ("y" if first.id[-1] != "y" else "z")  # one character different
    assert store.get("not-an-id") is None and store.get(other) is None
    second = store.create(
        assessor.parse({"answers": {"data": {"data-sharing": "developing", "data-addresses": "developing"}}}),
        previous_id=first.id,
    )
    assert second.id != first.id and second.previous_id == first.id
    edited = store.update(
        second.id,
        assessor.parse(
            {
                "answers": {
                    "data": {"data-sharing": "developing", "data-addresses": "starting"},
                    "value": {"value-benefits": "established"},
                }
            }
        ),
    )
    assert edited is not None and edited.data.answers["data"]["data-addresses"] == "starting"
    reopened = AssessmentStore(Database(settings.feedback_path)).get(second.id)
    assert reopened is not None and reopened.data == edited.data
    changes = {c.slug: c for c in assessor.compare(first.data, reopened.data)}
    assert changes["data"].movement == "same" and changes["data"].statements_up == ["data-sharing"]
    assert (
        changes["value"].movement == "newly assessed" and changes["connectivity"].movement == "not assessed"
    )
    assert changes["value"].sentence() == "Value: not assessed -> Established (newly assessed)"


def test_pointer_explains_levels_and_where_to_assess(tmp_path: Path) -> None:
    text = assessment_pointer("data", make_settings(tmp_path, public_url="https://almanac.example.gov.uk/"))
    for part in ("Starting", "Developing", "Established", "Leading", "6 short statements"):
        assert part in text
    assert "https://almanac.example.gov.uk/assess?outcome=data" in text
    assert "`/almanac assess data`" in text and "`almanac assess --outcome data`" in text
    general = assessment_pointer(None, make_settings(tmp_path))
    assert "each of the 12 outcomes" in general and "/assess" in general and "`/almanac assess`" in general
    with pytest.raises(KeyError):
        assessment_pointer("dta", make_settings(tmp_path))
