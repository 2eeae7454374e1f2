"""Write an evaluation report as report.json, report.md and report.html (with inline SVG charts)."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

from evals.charts import bar_chart, histogram
from evals.nuggets import LOW_RECALL

METRIC_HELP = {
    "n": "questions (or BEIR queries) asked",
    "outcome_top1": "answerable questions whose first outcome is an acceptable one",
    "outcome_recall": "answerable questions where any answer outcome is an acceptable one",
    "must_mention": "must-mention groups found in the answer text (answerable questions)",
    "source_hit@5": "questions with an expected source among the first 5 cited documents",
    "source_mrr": "mean reciprocal rank of the first expected source among the cited documents",
    "refusal_accuracy": "questions refused exactly when they should be",
    "citation_validity": "answers whose every [n] points at a listed source",
    "nugget_recall": "share of each answer's nuggets that some answer sentence states (by meaning)",
    "lead_hit": "answers whose first sentence states a nugget",
    "false_refusal_rate": "answerable questions that were refused (lower is better)",
    "latency_ms_p50": "median time to answer (ms)",
    "latency_ms_p95": "95th percentile time to answer (ms)",
    "ndcg@10": "ranking quality of the first 10 documents (1 = ideal order)",
    "recall@100": "share of relevant documents found in the first 100",
    "mrr@10": "reciprocal rank of the first relevant document within 10",
}
SHARE_METRICS = (
    "outcome_top1",
    "outcome_recall",
    "must_mention",
    "source_hit@5",
    "source_mrr",
    "refusal_accuracy",
    "citation_validity",
    "nugget_recall",
    "lead_hit",
    "false_refusal_rate",
    "ndcg@10",
    "recall@100",
    "mrr@10",
)
ANSWER_CHARS = 700


def fmt(name: str, value: Any) -> str:
    """A metric value as text: shares with 3 decimals, latencies in ms, missing as n/a."""
    if value is None:
        return "n/a"
    if name.startswith("latency"):
        return f"{value:,.0f}"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def summary_rows(report: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the summary table: one row per metric, one column per config."""
    configs = list(report["summary"])
    keys = list(next(iter(report["summary"].values()), {}))
    rows = [
        [key, *(fmt(key, report["summary"][c].get(key)) for c in configs), METRIC_HELP.get(key, "")]
        for key in keys
    ]
    return ["metric", *configs, "meaning"], rows


def outcome_rows(report: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the per-outcome table (outcome top-1, or refusal accuracy for out-of-scope)."""
    configs = list(report.get("by_outcome", {}))
    if not configs:
        return [], []
    first = report["by_outcome"][configs[0]]
    rows = []
    for key, entry in first.items():
        metric = "refusal_accuracy" if key == "out-of-scope" else "outcome_top1"
        rows.append(
            [key, str(entry["n"]), *(fmt(metric, report["by_outcome"][c][key].get(metric)) for c in configs)]
        )
    return ["outcome", "n", *configs], rows


def kind_rows(report: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the per-kind table: n, then nugget recall and lead hit for each config."""
    configs = list(report.get("by_kind", {}))
    if not configs:
        return [], []
    header = ["kind", "n"]
    header += [f"{name} ({c})" for c in configs for name in ("nugget_recall", "lead_hit")]
    rows = []
    for kind, entry in report["by_kind"][configs[0]].items():
        row = [kind, str(entry["n"])]
        for c in configs:
            row += [fmt(name, report["by_kind"][c][kind].get(name)) for name in ("nugget_recall", "lead_hit")]
        rows.append(row)
    return header, rows


def low_recall(report: dict[str, Any], config: str) -> list[dict[str, Any]]:
    """The answers for one config whose nugget recall is below the runner's listing threshold."""
    results = report.get("results", {}).get(config, [])
    return [r for r in results if r.get("nugget_recall") is not None and r["nugget_recall"] < LOW_RECALL]


def failures(report: dict[str, Any], config: str) -> list[dict[str, Any]]:
    """The results for one config that failed in any way."""
    return [r for r in report.get("results", {}).get(config, []) if r.get("failures")]


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(map(cell, header)) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(map(cell, row)) + " |" for row in rows]
    return lines


def _heading(report: dict[str, Any]) -> tuple[str, str]:
    if report.get("kind") == "beir":
        info = (
            f"Dataset {report.get('dataset', '')}, split {report.get('split', '')}: "
            f"{report.get('documents', 0)} documents in {report.get('chunks', 0)} chunks, "
            f"{report.get('queries', 0)} queries."
        )
        return "Almanac retrieval benchmark", info
    counts = {c: s.get("n", 0) for c, s in report["summary"].items()}
    n = next(iter(counts.values()), 0)
    return "Almanac evaluation report", f"Question set {report.get('questions_file', '')}: {n} questions."


def to_markdown(report: dict[str, Any]) -> str:
    """The report as Markdown: summary, per-outcome table and failures with the answer given."""
    title, info = _heading(report)
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
    title, info = _heading(report)
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


def write_reports(report: dict[str, Any], out: Path) -> list[Path]:
    """Write report.json, report.md and report.html into out (created if missing); return their paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "report.json", out / "report.md", out / "report.html"]
    paths[0].write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    paths[1].write_text(to_markdown(report), encoding="utf-8")
    paths[2].write_text(to_html(report), encoding="utf-8")
    return paths


def print_summary(report: dict[str, Any]) -> None:
    """The summary table on the console."""
    header, rows = summary_rows(report)
    widths = [
        max(len(str(x)) for x in column) for column in zip(header[:-1], *(r[:-1] for r in rows), strict=True)
    ]
    for row in [header[:-1], *(r[:-1] for r in rows)]:
        print("  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)))
