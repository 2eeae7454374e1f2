"""Run a question set through the Assistant that serves users, score every answer and write the reports."""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.compose.notes import opens_with_gap_note
from assistant.config import Settings
from assistant.errors import ConfigError, IndexNotBuiltError
from evals import metrics
from evals.dataset import Question, load_questions
from evals.nuggets import NuggetJudge

if TYPE_CHECKING:
    from assistant.answer import Answer
    from assistant.rag import Assistant

CONFIGS = ("hybrid", "dense", "bm25")
SUMMARY_KEYS = (
    "n",
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
    "unanswerable_declined",
    "false_gap_rate",
    "latency_ms_p50",
    "latency_ms_p95",
)
SOURCE_K = 5
KIND_KEYS = ("n", "nugget_recall", "lead_hit", "false_refusal_rate")
ProgressCallback = Callable[[str, int, int], None]


def check_configs(configs: Sequence[str]) -> list[str]:
    """The configs to run, in order and without repeats; raises ConfigError naming the allowed ones."""
    chosen = metrics.unique_in_order(configs) or ["hybrid"]
    unknown = [c for c in chosen if c not in CONFIGS]
    if unknown:
        raise ConfigError(f"unknown config {', '.join(map(repr, unknown))}; choose from {', '.join(CONFIGS)}")
    return chosen


def score_answer(question: Question, answer: Answer, latency_ms: float) -> dict[str, Any]:
    """One question's result: what was asked, what came back and how it scored."""
    predicted = [o.slug for o in answer.outcomes] if not answer.refused else []
    sources = metrics.unique_in_order(c.doc_id for c in answer.citations)
    result: dict[str, Any] = {
        "id": question.id,
        "question": question.question,
        "history": question.history,
        "answerable": question.answerable,
        "kind": question.kind,
        "expected_outcomes": question.outcomes,
        "expected_sources": question.expected_sources,
        "status": answer.status,
        "refused": answer.refused,
        "outcomes": predicted,
        "sources": sources,
        "answer": answer.text,
        "latency_ms": round(latency_ms, 1),
        "refusal_ok": metrics.refusal_accuracy(answer.refused, question.answerable) == 1.0,
        # Answered, but opening by saying the almanac lacks what was asked: how a question on a council
        # subject the almanac does not cover is declined.
        "gap_noted": not answer.refused and opens_with_gap_note(answer.text),
        "citations_valid": metrics.citation_validity(answer.text, [c.n for c in answer.citations]) == 1.0,
    }
    if question.answerable:
        groups = metrics.must_mention(answer.text, question.must_mention)
        result["outcome_top1"] = metrics.outcome_top1(predicted, question.outcomes) == 1.0
        result["outcome_recall"] = metrics.outcome_recall(predicted, question.outcomes) == 1.0
        result["must_mention_met"] = sum(groups)
        result["must_mention_total"] = len(groups)
        result["missing_mentions"] = [
            g for g, ok in zip(question.must_mention, groups, strict=True) if not ok
        ]
    if question.expected_sources:
        result["source_hit"] = metrics.source_hit_at_k(sources, question.expected_sources, SOURCE_K) == 1.0
        result["source_rr"] = round(metrics.source_mrr(sources, question.expected_sources), 4)
    result["failures"] = failure_reasons(result)
    return result


def add_nugget_scores(
    results: Sequence[dict[str, Any]], questions: Sequence[Question], judge: NuggetJudge
) -> None:
    """Add nugget recall, lead hit and the missed nuggets to each result, embedding all answers at once."""
    texts = ["" if r["refused"] else r["answer"] for r in results]
    scores = judge.score(texts, [q.nuggets for q in questions])
    for result, question, score in zip(results, questions, scores, strict=True):
        result["first_sentence"] = score.first_sentence
        if not question.nuggets:
            continue
        result["nuggets"] = question.nuggets
        result["nugget_recall"] = round(score.recall or 0.0, 4)
        result["lead_hit"] = score.lead_hit == 1.0
        result["nugget_similarity"] = score.best_similarity
        result["missed_nuggets"] = [n for n, ok in zip(question.nuggets, score.stated, strict=True) if not ok]


def failure_reasons(result: dict[str, Any]) -> list[str]:
    """Why a result counts as a failure, in words an editor can act on (empty when it passed)."""
    reasons: list[str] = []
    if not result["refusal_ok"]:
        reasons.append("wrongly refused" if result["answerable"] else "wrongly answered (should refuse)")
    if result["answerable"] and not result["refused"]:
        if not result["outcome_top1"]:
            got = result["outcomes"][0] if result["outcomes"] else "none"
            reasons.append(
                f"outcome mismatch: got {got}, expected {' or '.join(result['expected_outcomes'][:3])}"
            )
        for group in result["missing_mentions"]:
            reasons.append("does not mention " + " / ".join(group))
        if result.get("source_hit") is False:
            reasons.append(f"no expected source in the top {SOURCE_K} citations")
    if not result["citations_valid"]:
        reasons.append("cites a number with no matching source")
    return reasons


def summarise(results: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The summary for one config, with exactly SUMMARY_KEYS."""
    answerable = [r for r in results if r["answerable"]]
    with_sources = [r for r in results if r["expected_sources"]]
    with_nuggets = [r for r in answerable if "nugget_recall" in r]
    met = sum(r["must_mention_met"] for r in answerable)
    total = sum(r["must_mention_total"] for r in answerable)
    p50, p95 = metrics.percentiles([r["latency_ms"] for r in results], (50, 95))

    def share(values: Sequence[bool | float]) -> float | None:
        value = metrics.mean(float(v) for v in values)
        return None if value is None else round(value, 4)

    return {
        "n": len(results),
        "outcome_top1": share([r["outcome_top1"] for r in answerable]),
        "outcome_recall": share([r["outcome_recall"] for r in answerable]),
        "must_mention": round(met / total, 4) if total else None,
        "source_hit@5": share([r["source_hit"] for r in with_sources]),
        "source_mrr": share([r["source_rr"] for r in with_sources]),
        "refusal_accuracy": share([r["refusal_ok"] for r in results]),
        "citation_validity": share([r["citations_valid"] for r in results]),
        "nugget_recall": share([r["nugget_recall"] for r in with_nuggets]),
        "lead_hit": share([r["lead_hit"] for r in with_nuggets]),
        "false_refusal_rate": share([r["refused"] for r in answerable]),
        "unanswerable_declined": share(
            [r["refused"] or r["gap_noted"] for r in results if not r["answerable"]]
        ),
        "false_gap_rate": share([r["gap_noted"] for r in answerable]),
        "latency_ms_p50": None if p50 is None else round(p50, 1),
        "latency_ms_p95": None if p95 is None else round(p95, 1),
    }


def by_outcome(results: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Outcome top-1 and must-mention per main expected outcome, plus refusals for out-of-scope questions."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in results:
        key = r["expected_outcomes"][0] if r["answerable"] else "out-of-scope"
        groups.setdefault(key, []).append(r)
    table: dict[str, dict[str, Any]] = {}
    for key in sorted(groups, key=lambda k: (k == "out-of-scope", k)):
        summary = summarise(groups[key])
        names = (
            ("n", "refusal_accuracy")
            if key == "out-of-scope"
            else ("n", "outcome_top1", "must_mention", "refusal_accuracy")
        )
        table[key] = {name: summary[name] for name in names}
    return table


def by_kind(results: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Nugget recall, lead hit and false refusals for each kind of answerable question."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in results:
        if r["answerable"]:
            groups.setdefault(r.get("kind") or "unlabelled", []).append(r)
    return {key: {name: summarise(groups[key])[name] for name in KIND_KEYS} for key in sorted(groups)}


def run_eval(
    assistant: Assistant,
    questions: Sequence[Question],
    *,
    configs: Sequence[str] = ("hybrid",),
    progress: ProgressCallback | None = None,
    source: str = "",
    judge: NuggetJudge | None = None,
) -> dict[str, Any]:
    """Ask every question under each config and return the report (summary, per-outcome and per-kind
    tables, results). Nuggets are judged by `judge`, by default one on the bundled embedding model.

    Raises:
        ConfigError: a config is not one of hybrid, dense, bm25.
        IndexNotBuiltError: the index is empty.
    """
    chosen = check_configs(configs)
    if not assistant.ready():
        raise IndexNotBuiltError(assistant.settings.index_location())
    assistant.warm_up()
    report: dict[str, Any] = {
        "kind": "questions",
        "questions_file": source,
        "created_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "configs": chosen,
        "summary": {},
        "by_outcome": {},
        "by_kind": {},
        "results": {},
    }
    if judge is None and any(q.nuggets for q in questions):
        judge = NuggetJudge()
    for config in chosen:
        results = []
        for index, question in enumerate(questions, start=1):
            started = time.perf_counter()
            answer = assistant.ask(question.question, history=question.history or None, mode=config)
            results.append(score_answer(question, answer, (time.perf_counter() - started) * 1000))
            if progress:
                progress(config, index, len(questions))
        if judge is not None:
            add_nugget_scores(results, questions, judge)
        report["summary"][config] = summarise(results)
        report["by_outcome"][config] = by_outcome(results)
        report["by_kind"][config] = by_kind(results)
        report["results"][config] = results
    return report


def _with_progress_bar(
    work: Callable[[ProgressCallback], dict[str, Any]], configs: Sequence[str], total: int
) -> dict[str, Any]:
    """Run work with a rich progress bar on a terminal, or a line per tenth of the run otherwise."""
    if sys.stdout.isatty():
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()
        ) as bar:
            tasks = {c: bar.add_task(c, total=total) for c in configs}
            return work(lambda config, done, _total: bar.update(tasks[config], completed=done))

    def plain(config: str, done: int, size: int) -> None:
        if done == size or done % max(1, size // 10) == 0:
            print(f"{config}: {done}/{size}", flush=True)

    return work(plain)


def run_eval_cli(settings: Settings, *, questions: Path, configs: Sequence[str], out: Path) -> dict[str, Any]:
    """The `almanac eval` command: run the set, write report.json/.md/.html into out and print the summary."""
    from assistant.rag import Assistant
    from evals.report import print_summary, write_reports

    chosen = check_configs(configs)
    question_set = load_questions(questions)
    assistant = Assistant.from_settings(settings)
    report = _with_progress_bar(
        lambda progress: run_eval(
            assistant, question_set, configs=chosen, progress=progress, source=str(questions)
        ),
        chosen,
        len(question_set),
    )
    paths = write_reports(report, out)
    print_summary(report)
    print("Reports: " + ", ".join(str(p) for p in paths))
    return report
