"""A plan as Markdown (to read or share) and as CSV (one row per answered statement, for a spreadsheet)."""

from __future__ import annotations

import csv
import io

from assistant.assessment.plan import Plan
from assistant.assessment.rubric import LEVEL_NAMES, Rubric

CSV_COLUMNS = (
    "outcome",
    "outcome_name",
    "outcome_level",
    "weight",
    "priority",
    "statement_id",
    "statement",
    "answer",
    "answer_text",
)


def plan_markdown(plan: Plan) -> str:
    """The profile, the prioritised plan and its numbered sources."""
    title = f"# Self-assessment: {plan.label}" if plan.label else "# Self-assessment and plan"
    lines = [title, ""]
    if plan.council_type:
        lines += [f"Council type: {plan.council_type}", ""]
    lines += [
        "## Where you stand",
        "",
        "| Outcome | Level | Statements answered | Weight |",
        "|---|---|---|---|",
    ]
    for r in plan.results:
        lines.append(f"| {r.name} | {r.level_name} | {r.answered} of {r.total} | {r.weight} |")
    lines += [
        "",
        "Each outcome's level is the highest level that more than half of its answered statements reach.",
        "",
        "## Where to focus first",
        "",
    ]
    if not plan.items:
        lines += ["Nothing to prioritise yet: answer at least one outcome below Leading.", ""]
    for rank, item in enumerate(plan.items, start=1):
        r = item.result
        lines += [
            f"### {rank}. {r.name}: from {r.level_name} to {LEVEL_NAMES[item.next_level]}",
            "",
            f"Priority {r.priority:g} (weight {r.weight}, {round(r.gap * 100)}% of statements below "
            f"{LEVEL_NAMES[item.next_level]}).",
            "",
            f"**Signs of {LEVEL_NAMES[item.next_level]} to aim for** [{item.signs_n}]:",
            "",
            *(f"- {sign}" for sign in item.signs),
            "",
        ]
        if item.gaps:
            lines += ["**Statements holding you back:**", ""]
            lines += [
                f"- {g.prompt} You answered {LEVEL_NAMES[g.current]}; next: {g.target}" for g in item.gaps
            ]
            lines.append("")
        lines += [
            "**First steps:**",
            "",
            *(f"{i}. {s.text} [{s.n}]" for i, s in enumerate(item.steps, 1)),
            "",
        ]
        if item.cases:
            lines += ["**Case studies:**", ""]
            for case in item.cases:
                who = f" ({case.source.council_type})" if case.source.council_type else ""
                lines.append(f"- {case.source.title}{who} [{case.n}]")
            lines.append("")
    if plan.citations:
        lines += ["## Sources", ""]
        lines += [f"{c.n}. {c.label()} ({c.path})" for c in plan.citations]
        lines.append("")
    return "\n".join(lines)


def assessment_csv(plan: Plan, rubrics: dict[str, Rubric]) -> str:
    """One row per answered statement, with its outcome's level, weight and priority."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in plan.results:
        rubric = rubrics[r.slug]
        for statement_id, answer in r.answers.items():
            statement = rubric.statement(statement_id)
            writer.writerow(
                [
                    r.slug,
                    r.name,
                    r.level or "",
                    r.weight,
                    f"{r.priority:g}",
                    statement_id,
                    statement.prompt,
                    answer,
                    statement.options.text(answer),
                ]
            )
    return buffer.getvalue()
