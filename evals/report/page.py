"""An evaluation report as one self-contained HTML page, with inline SVG charts."""

from __future__ import annotations

from html import escape
from typing import Any

from evals.charts import bar_chart, histogram
from evals.report.tables import (
    SHARE_METRICS,
    failures,
    heading,
    kind_rows,
    low_recall,
    outcome_rows,
    summary_rows,
)


def _html_table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th scope='col'>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def charts(report: dict[str, Any]) -> list[str]:
    """SVG charts: configs side by side, accuracy by outcome, nugget recall and lead hit by kind, latency."""
    configs = list(report["summary"])
    shares = [k for k in SHARE_METRICS if any(k in s for s in report["summary"].values())]
    side_by_side = {c: [report["summary"][c].get(k) for k in shares] for c in configs}
    result = [bar_chart("Configs side by side", shares, side_by_side)]
    header, rows = outcome_rows(report)
    if rows:
        by_config = {
            c: [
                report["by_outcome"][c][row[0]].get(
                    "refusal_accuracy" if row[0] == "out-of-scope" else "outcome_top1"
                )
                for row in rows
            ]
            for c in configs
        }
        result.append(
            bar_chart(
                "Accuracy by outcome (outcome top-1; refusals for out-of-scope)",
                [r[0] for r in rows],
                by_config,
            )
        )
    if report.get("by_kind"):
        kinds = list(next(iter(report["by_kind"].values())))
        for name in ("nugget_recall", "lead_hit"):
            result.append(
                bar_chart(
                    f"{name} by question kind",
                    kinds,
                    {c: [report["by_kind"][c][k].get(name) for k in kinds] for c in configs},
                )
            )
    if report.get("results"):
        latencies = {c: [r["latency_ms"] for r in report["results"][c]] for c in configs}
        result.append(histogram("Latency distribution", latencies))
    return result


STYLE = """
body{font-family:Arial,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#0b0c0c}
body{line-height:1.45}table{border-collapse:collapse;margin:1rem 0}
th,td{border:1px solid #b1b4b6;padding:.3rem .6rem;text-align:left}th{background:#f3f2f1}
figure{margin:1.5rem 0}details{margin:.4rem 0;border-left:4px solid #d4351c;padding-left:.6rem}
blockquote{white-space:pre-wrap;background:#f3f2f1;margin:.4rem 0;padding:.5rem}summary{cursor:pointer}
"""


def to_html(report: dict[str, Any]) -> str:
    """The report as one self-contained HTML page."""
    title, info = heading(report)
    parts = [
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{escape(title)}</title>",
        f"<style>{STYLE}</style></head><body><h1>{escape(title)}</h1>",
        f"<p>{escape(info)} Run at {escape(report.get('created_at', ''))}.</p>",
        "<h2>Summary</h2>",
        _html_table(*summary_rows(report)),
        "<h2>Charts</h2>",
    ]
    parts += [f"<figure>{svg}</figure>" for svg in charts(report)]
    header, rows = outcome_rows(report)
    if rows:
        parts += ["<h2>Accuracy by outcome</h2>", _html_table(header, rows)]
    header, rows = kind_rows(report)
    if rows:
        parts += ["<h2>Answers by question kind</h2>", _html_table(header, rows)]
    for config in report.get("results", {}):
        weak = low_recall(report, config)
        if weak:
            parts.append(f"<h2>Low nugget recall: {escape(config)} ({len(weak)} answers)</h2>")
        for r in weak:
            missed = "".join(f"<li>{escape(n)}</li>" for n in r["missed_nuggets"])
            parts.append(
                f"<details><summary><strong>{escape(r['id'])}</strong> ({escape(r.get('kind') or 'unlabelled')},"
                f" recall {r['nugget_recall']:.2f}): {escape(r['question'])}</summary>"
                f"<p>First sentence: {escape(r.get('first_sentence') or '(none)')}</p>"
                f"<p>Missed nuggets:</p><ul>{missed}</ul></details>"
            )
    for config in report.get("results", {}):
        failed = failures(report, config)
        parts.append(
            f"<h2>Failures: {escape(config)} ({len(failed)} of {len(report['results'][config])})</h2>"
        )
        for r in failed:
            expected = ", ".join(r["expected_outcomes"]) or "none (should refuse)"
            parts.append(
                f"<details><summary><strong>{escape(r['id'])}</strong>: {escape(r['question'])}</summary>"
                f"<p>Why: {escape('; '.join(r['failures']))}</p>"
                f"<p>Expected outcomes: {escape(expected)}; "
                f"answer outcomes: {escape(', '.join(r['outcomes']) or 'none')};"
                f" status: {escape(r['status'])}; cited: {escape(', '.join(r['sources']) or 'none')}</p>"
                f"<blockquote>{escape(r['answer'])}</blockquote></details>"
            )
    parts.append("</body></html>")
    return "\n".join(parts)
