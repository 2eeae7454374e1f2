"""The figures of an evaluation report as table rows, shared by its Markdown, HTML and console forms."""

from __future__ import annotations

from typing import Any

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
# Every metric but the count and the latencies is a share between 0 and 1.
SHARE_METRICS = tuple(key for key in METRIC_HELP if key != "n" and not key.startswith("latency"))


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


def heading(report: dict[str, Any]) -> tuple[str, str]:
    """The title of the report and a line saying what was measured."""
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
