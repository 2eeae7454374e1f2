"""An evaluation report as Markdown."""

from __future__ import annotations

from typing import Any

from evals.report.tables import failures, heading, kind_rows, low_recall, outcome_rows, summary_rows

ANSWER_CHARS = 700


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(map(cell, header)) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(map(cell, row)) + " |" for row in rows]
    return lines


def to_markdown(report: dict[str, Any]) -> str:
    """The report as Markdown: summary, per-outcome table and failures with the answer given."""
    title, info = heading(report)
    lines = [
        f"# {title}",
        "",
        info,
        f"Run at {report.get('created_at', '')}; configs: {', '.join(report['summary'])}.",
        "",
    ]
    lines += ["## Summary", "", *_md_table(*summary_rows(report)), ""]
    header, rows = outcome_rows(report)
    if rows:
        lines += [
            "## Accuracy by outcome",
            "",
            "Outcome top-1 for each main outcome; refusal accuracy for out-of-scope.",
            "",
        ]
        lines += [*_md_table(header, rows), ""]
    header, rows = kind_rows(report)
    if rows:
        lines += ["## Answers by question kind", "", *_md_table(header, rows), ""]
    for config in report.get("results", {}):
        weak = low_recall(report, config)
        if weak:
            lines += [f"## Low nugget recall: {config} ({len(weak)} answers)", ""]
        for r in weak:
            lines += [
                f"### {r['id']} ({r.get('kind') or 'unlabelled'}): {r['question']}",
                "",
                f"- Nugget recall {r['nugget_recall']:.2f}; status: {r['status']}",
                f"- First sentence: {r.get('first_sentence') or '(none)'}",
                *(f"- Missed: {n}" for n in r["missed_nuggets"]),
                "",
            ]
    for config in report.get("results", {}):
        failed = failures(report, config)
        lines += [f"## Failures: {config} ({len(failed)} of {len(report['results'][config])})", ""]
        for r in failed:
            asked = f" (after: {' / '.join(r['history'])})" if r.get("history") else ""
            lines.append(f"### {r['id']}: {r['question']}{asked}")
            lines.append("")
            lines.append(f"- Why: {'; '.join(r['failures'])}")
            lines.append(
                f"- Expected outcomes: {', '.join(r['expected_outcomes']) or 'none (should refuse)'}; "
                f"answer outcomes: {', '.join(r['outcomes']) or 'none'}; status: {r['status']}"
            )
            if r.get("expected_sources"):
                lines.append(
                    f"- Expected sources: {', '.join(r['expected_sources'])}; "
                    f"cited: {', '.join(r['sources']) or 'none'}"
                )
            answer = r["answer"][:ANSWER_CHARS] + ("…" if len(r["answer"]) > ANSWER_CHARS else "")
            lines += ["- Answer given:", "", *("  > " + line for line in answer.splitlines()), ""]
    return "\n".join(lines).rstrip() + "\n"
