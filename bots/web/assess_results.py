"""The /assess/{id} results page: a labelled SVG profile chart, the same figures as a table, the plan."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from assistant.assessment import LEVEL_NAMES, LEVELS, OutcomeChange, OutcomeResult, Plan

ROW, LABEL_W, PLOT_W, TOP = 34, 250, 440, 40
LEVEL_FILLS = {"starting": "#d4351c", "developing": "#f47738", "established": "#1d70b8", "leading": "#00703c"}


def profile_svg(results: list[OutcomeResult]) -> str:
    """A horizontal bar per outcome, its length the level reached; every bar labelled with its level."""
    height = TOP + ROW * len(results) + 10
    width = LABEL_W + PLOT_W + 110
    step = PLOT_W / len(LEVELS)
    parts = [
        f'<svg id="profile-chart" role="img" aria-labelledby="chart-title chart-desc" viewBox="0 0 {width} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg" font-family="system-ui, Arial, sans-serif" font-size="14">',
        '<title id="chart-title">Maturity profile across the outcomes</title>',
        '<desc id="chart-desc">One bar per outcome; the longer the bar, the higher the level. '
        "The table that follows gives the same figures.</desc>",
    ]
    for i, level in enumerate(LEVELS):
        x = LABEL_W + step * (i + 1)
        parts.append(f'<line x1="{x:.0f}" y1="{TOP - 8}" x2="{x:.0f}" y2="{height - 10}" stroke="#b1b4b6"/>')
        parts.append(
            f'<text x="{x - step / 2:.0f}" y="{TOP - 14}" text-anchor="middle" fill="#0b0c0c">{LEVEL_NAMES[level]}</text>'
        )
    for row, result in enumerate(results):
        y = TOP + row * ROW
        parts.append(
            f'<text x="{LABEL_W - 10}" y="{y + 21}" text-anchor="end" fill="#0b0c0c">{escape(result.name)}</text>'
        )
        if result.level is None:
            parts.append(f'<text x="{LABEL_W + 8}" y="{y + 21}" fill="#505a5f">Not assessed</text>')
            continue
        bar = step * (result.level_index + 1)
        parts.append(
            f'<rect class="bar" data-outcome="{result.slug}" data-level="{result.level}" x="{LABEL_W}" y="{y + 5}" '
            f'width="{bar:.0f}" height="{ROW - 10}" fill="{LEVEL_FILLS[result.level]}"/>'
        )
        parts.append(
            f'<text x="{LABEL_W + bar + 8:.0f}" y="{y + 21}" fill="#0b0c0c">{result.level_name} '
            f"({result.answered}/{result.total})</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def weakest_text(result: OutcomeResult, statement_prompts: dict[str, str]) -> str:
    """The lowest-answered statements when they sit below the outcome's level (at most two named)."""
    if not result.assessed:
        return "-"
    below = [s for s in result.weakest if LEVELS.index(result.answers[s]) < result.level_index]
    if not below:
        return "None below this level"
    named = "; ".join(escape(statement_prompts.get(s, s)) for s in below[:2])
    level = LEVEL_NAMES[result.answers[below[0]]]
    more = f" and {len(below) - 2} more" if len(below) > 2 else ""
    return f"{named}{more} ({level})"


def profile_table(results: list[OutcomeResult], statement_prompts: dict[str, str]) -> str:
    rows = []
    for r in results:
        weakest = weakest_text(r, statement_prompts)
        priority = f"{r.priority:g}" if r.assessed else "-"
        rows.append(
            f'<tr><th scope="row">{escape(r.name)}</th><td>{r.level_name}</td><td>{r.answered} of {r.total}</td>'
            f"<td>{weakest}</td><td>{r.weight.capitalize()}</td><td>{priority}</td></tr>"
        )
    return (
        '<table id="profile-table"><caption>Maturity by outcome</caption><thead><tr>'
        '<th scope="col">Outcome</th><th scope="col">Level</th><th scope="col">Statements answered</th>'
        '<th scope="col">Weakest statements</th><th scope="col">Weight</th><th scope="col">Priority</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _cite(n: int) -> str:
    return f'<a class="cite" href="#source-{n}" aria-label="source {n}">[{n}]</a>'


def plan_html(plan: Plan) -> str:
    if not plan.items:
        return "<p>Nothing to prioritise yet: answer at least one outcome below Leading.</p>"
    items = []
    for item in plan.items:
        r = item.result
        target = LEVEL_NAMES[item.next_level]
        signs = "".join(f"<li>{escape(s)}</li>" for s in item.signs)
        steps = "".join(f"<li>{escape(s.text)} {_cite(s.n)}</li>" for s in item.steps)
        cases = "".join(
            f"<li>{escape(c.source.title)}"
            f"{f' ({escape(c.source.council_type)})' if c.source.council_type else ''} {_cite(c.n)}</li>"
            for c in item.cases
        )
        items.append(
            f'<li class="plan-item"><h3>{escape(r.name)}: from {r.level_name} to {target}</h3>'
            f"<p>Priority {r.priority:g}: weight {r.weight}, {round(r.gap * 100)}% of answered statements below "
            f"{target}.</p><h4>Signs of {target} to aim for {_cite(item.signs_n)}</h4><ul>{signs}</ul>"
            f"<h4>First steps</h4><ol>{steps}</ol>"
            + (f"<h4>Case studies</h4><ul>{cases}</ul>" if cases else "")
            + "</li>"
        )
    sources = "".join(
        f'<li id="source-{c.n}">{escape(c.label())} <span class="path">({escape(c.path)})</span></li>'
        for c in plan.citations
    )
    return f'<ol class="plan">{"".join(items)}</ol><h2>Sources</h2><ol class="sources">{sources}</ol>'


def changes_html(changes: list[OutcomeChange], since: float) -> str:
    when = datetime.fromtimestamp(since, tz=UTC).strftime("%d %B %Y")
    rows = "".join(
        f'<tr><th scope="row">{escape(c.name)}</th><td>{LEVEL_NAMES.get(c.before or "", "Not assessed")}</td>'
        f"<td>{LEVEL_NAMES.get(c.after or '', 'Not assessed')}</td><td>{c.movement}</td>"
        f"<td>{len(c.statements_up)} up, {len(c.statements_down)} down</td></tr>"
        for c in changes
        if c.movement != "not assessed"
    )
    return (
        f'<h2 id="changes">What moved since the assessment of {when}</h2><table><thead><tr>'
        '<th scope="col">Outcome</th><th scope="col">Before</th><th scope="col">Now</th>'
        f'<th scope="col">Movement</th><th scope="col">Statements</th></tr></thead><tbody>{rows}</tbody></table>'
    )


def results_html(
    assessment_id: str,
    plan: Plan,
    statement_prompts: dict[str, str],
    *,
    changes: list[OutcomeChange] | None = None,
    since: float | None = None,
) -> str:
    """The whole results page body."""
    title = f"Results: {escape(plan.label)}" if plan.label else "Your self-assessment results"
    base = f"/assess/{assessment_id}"
    compared = changes_html(changes, since) if changes and since else ""
    return f"""
<h1>{title}</h1>
<p>Each outcome's level is the highest level that more than half of its answered statements reach; an exact
  half counts as the lower level. Priority is the outcome's weight (low 1, medium 2, high 3) times the share of
  its answered statements still below the next level.</p>
<ul class="actions">
  <li><a href="/assess?id={assessment_id}">Change your answers</a></li>
  <li><a id="export-md" href="{base}/plan.md" download>Download the plan (Markdown)</a></li>
  <li><a id="export-csv" href="{base}/plan.csv" download>Download the answers (CSV)</a></li>
  <li><a href="/assess?from={assessment_id}">Start a new assessment to compare with this one</a></li>
</ul>
<h2>Where you stand</h2>
<figure>{profile_svg(plan.results)}
  <figcaption>Maturity profile. The table below has the same information.</figcaption></figure>
{profile_table(plan.results, statement_prompts)}
{compared}
<h2>Where to focus first</h2>
{plan_html(plan)}
"""
