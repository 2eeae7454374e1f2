"""The /assess questionnaire, rendered on the server: one section per outcome, radio groups in fieldsets."""

from __future__ import annotations

from html import escape

from assistant.assessment import LEVEL_NAMES, LEVELS, WEIGHTS, Assessor
from assistant.assessment.model import COUNCIL_TYPES
from assistant.outcomes import get_outcome

COUNCIL_TYPE_NAMES = {
    "district": "District council",
    "county": "County council",
    "unitary": "Unitary council",
    "metropolitan": "Metropolitan borough",
    "london-borough": "London borough",
    "combined-authority": "Combined authority",
    "other": "Other",
}


def _intro_step(total: int) -> str:
    options = "".join(
        f'<option value="{escape(t)}">{escape(COUNCIL_TYPE_NAMES.get(t, t))}</option>' for t in COUNCIL_TYPES
    )
    return f"""
<section class="step" id="step-0" data-step="0" aria-labelledby="step-0-heading">
  <h2 id="step-0-heading" tabindex="-1">About your council</h2>
  <p>You will see the statements for each of the 12 outcomes in turn ({total} in all). For each one, choose the
    option closest to what you would <em>see</em> in your council today, not what is planned. Skip any you cannot
    judge. Your answers are saved each time you move on, and the address of this page lets you come back.</p>
  <div class="field">
    <label for="council_type">Council type (optional: case studies from similar councils come first)</label>
    <select id="council_type" name="council_type"><option value="">Not given</option>{options}</select>
  </div>
  <div class="field">
    <label for="label">Name for this assessment (optional, for example "Digital board, spring")</label>
    <input id="label" name="label" maxlength="120" autocomplete="off">
  </div>
</section>"""


def _outcome_step(index: int, slug: str, assessor: Assessor) -> str:
    outcome = get_outcome(slug)
    rubric = assessor.rubrics[slug]
    groups = []
    for number, statement in enumerate(rubric.statements, start=1):
        radios = "".join(
            f'<div class="option"><input type="radio" id="{statement.id}-{lv}" name="{statement.id}" '
            f'value="{lv}"><label for="{statement.id}-{lv}"><strong>{LEVEL_NAMES[lv]}:</strong> '
            f"{escape(statement.options.text(lv))}</label></div>"
            for lv in LEVELS
        )
        groups.append(
            f'<fieldset class="statement" data-statement="{statement.id}"><legend>'
            f'<span class="count">{number} of {len(rubric.statements)}.</span> {escape(statement.prompt)}</legend>'
            f"{radios}</fieldset>"
        )
    weights = "".join(
        f'<div class="option inline"><input type="radio" id="weight-{slug}-{w}" name="weight-{slug}" value="{w}"'
        f'{" checked" if w == "medium" else ""}><label for="weight-{slug}-{w}">{w.capitalize()}</label></div>'
        for w in WEIGHTS
    )
    return f"""
<section class="step" id="step-{index}" data-step="{index}" data-outcome="{slug}" hidden
  aria-labelledby="step-{index}-heading">
  <h2 id="step-{index}-heading" tabindex="-1">{escape(outcome.name)}</h2>
  <p class="lead">{escape(outcome.description)}</p>
  {"".join(groups)}
  <fieldset class="weight"><legend>How much does {escape(outcome.name)} matter to your council's plans?</legend>
    {weights}</fieldset>
</section>"""


def questionnaire_html(assessor: Assessor) -> str:
    """The whole questionnaire: an intro step, then one step per outcome; assess.js shows one at a time."""
    slugs = list(assessor.rubrics)
    total = sum(len(r.statements) for r in assessor.rubrics.values())
    steps = [_intro_step(total)] + [_outcome_step(i, slug, assessor) for i, slug in enumerate(slugs, start=1)]
    return f"""
<h1>Self-assessment: where does your council stand?</h1>
<noscript><p class="notice">This page needs JavaScript to save your answers. You can also assess from the
  command line with <code>almanac assess</code>.</p></noscript>
<form id="assessment" novalidate data-steps="{len(steps)}">
  <p id="progress-text" class="progress-text">Step 1 of {len(steps)}: About your council</p>
  <progress id="progress" max="{len(steps)}" value="1" aria-labelledby="progress-text"></progress>
  {"".join(steps)}
  <div class="nav">
    <button type="button" id="back" class="secondary">Back</button>
    <button type="button" id="next">Next</button>
  </div>
  <div id="status" role="status" aria-live="polite"></div>
  <div id="error" role="alert"></div>
</form>"""
