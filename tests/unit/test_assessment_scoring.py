"""Scoring and prioritisation rules: ties, partial answers and weights."""

from __future__ import annotations

import pytest

from assistant.assessment.rubric import LEVELS, Options, Rubric, Statement
from assistant.assessment.scoring import focus, level_from_answers, prioritise, score_all, score_outcome


def rubric(slug: str, count: int = 5) -> Rubric:
    options = Options(**{lv: f"What you would see at {lv}." for lv in LEVELS})
    statements = [Statement(id=f"{slug}-{i}", prompt="A question?", options=options) for i in range(count)]
    return Rubric(outcome=slug, guide=f"outcome-{slug}", statements=statements)


def answers(slug: str, *levels: str) -> dict[str, str]:
    return {f"{slug}-{i}": level for i, level in enumerate(levels)}


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        (["developing", "established"], "developing"),  # an exact half does not reach the higher level
        (["starting", "leading"], "starting"),
        (["starting", "developing", "established"], "developing"),
        (["developing", "developing", "established", "established", "leading"], "established"),
        (["leading", "leading", "starting", "starting"], "starting"),
        (["established"], "established"),
        ([], None),
    ],
)
def test_level_is_the_highest_a_majority_reach(levels: list[str], expected: str | None) -> None:
    assert level_from_answers(levels) == expected  # type: ignore[arg-type]


def test_weakest_statements_and_gap_are_shown() -> None:
    result = score_outcome(
        rubric("data"), answers("data", "established", "developing", "established", "starting")
    )
    assert result.level == "developing"
    assert result.weakest == ["data-3"]
    assert result.next_level == "established"
    assert result.gap == 0.5 and result.priority == 1.0  # medium weight 2 x half below Established


def test_partial_assessment_scores_only_what_was_answered() -> None:
    rubrics = {slug: rubric(slug) for slug in ("data", "value", "services")}
    results = score_all(rubrics, {"data": answers("data", "starting", "starting")}, {})
    by_slug = {r.slug: r for r in results}
    assert (
        by_slug["data"].level == "starting" and by_slug["data"].answered == 2 and by_slug["data"].total == 5
    )
    assert by_slug["value"].level is None and by_slug["value"].level_name == "Not assessed"
    assert [r.slug for r in prioritise(results)] == ["data"]


def test_unknown_statement_ids_are_ignored_when_scoring() -> None:
    result = score_outcome(rubric("data"), {"data-0": "leading", "nope": "starting"})
    assert result.answered == 1 and result.level == "leading" and result.priority == 0


def test_weights_change_the_order() -> None:
    rubrics = {slug: rubric(slug) for slug in ("data", "value", "services")}
    given = {
        "data": answers("data", "starting", "starting", "starting"),  # gap 1
        "value": answers("value", "developing", "developing", "established"),  # gap 2/3
        "services": answers("services", "leading", "leading"),  # at Leading: nothing to do
    }
    even = prioritise(score_all(rubrics, given, {}))
    assert [r.slug for r in even] == ["data", "value"]
    weighted = prioritise(score_all(rubrics, given, {"value": "high", "data": "low"}))
    assert [(r.slug, r.priority) for r in weighted] == [("value", 2.0), ("data", 1.0)]


def test_equal_priority_goes_to_the_lower_level_then_framework_order() -> None:
    rubrics = {slug: rubric(slug) for slug in ("connectivity", "data", "value")}
    given = {
        "value": answers("value", "starting", "starting"),
        "data": answers("data", "developing", "developing"),
        "connectivity": answers("connectivity", "developing", "developing"),
    }
    assert [r.slug for r in prioritise(score_all(rubrics, given, {}))] == ["value", "connectivity", "data"]


def test_focus_keeps_three_to_five_outcomes() -> None:
    slugs = ["connectivity", "data", "democracy", "ethics", "inclusion", "leadership", "value"]
    rubrics = {slug: rubric(slug) for slug in slugs}
    given = {slug: answers(slug, "starting", "starting") for slug in slugs}
    assert len(focus(score_all(rubrics, given, {}))) == 5
    weights = {"data": "high", "ethics": "high", "value": "high"}
    low_rest = {slug: "low" for slug in slugs if slug not in weights}
    chosen = focus(score_all(rubrics, given, {**low_rest, **weights}))  # type: ignore[arg-type]
    assert [r.slug for r in chosen] == ["data", "ethics", "value"]  # the low ones are under half the top
