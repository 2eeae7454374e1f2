"""Evaluation metrics as small pure functions: per question, then averaged by the runner."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence

CITATION_RE = re.compile(r"\[(\d{1,3})\]")
_SPACE_RE = re.compile(r"\s+")


def _normalise(text: str) -> str:
    """Case-folded text with Markdown emphasis dropped and runs of whitespace collapsed."""
    return _SPACE_RE.sub(" ", text.replace("**", "").replace("__", "")).casefold().strip()


def outcome_top1(predicted: Sequence[str], expected: Sequence[str]) -> float:
    """1.0 when the answer's first outcome is one of the acceptable outcomes."""
    return 1.0 if predicted and predicted[0] in set(expected) else 0.0


def outcome_recall(predicted: Sequence[str], expected: Sequence[str]) -> float:
    """1.0 when any of the answer's outcomes is one of the acceptable outcomes."""
    return 1.0 if set(predicted) & set(expected) else 0.0


def must_mention(text: str, groups: Sequence[Sequence[str]]) -> list[bool]:
    """For each group, whether any of its alternatives appears in text (case-insensitive)."""
    haystack = _normalise(text)
    return [any(_normalise(alt) in haystack for alt in group if alt.strip()) for group in groups]


def unique_in_order(items: Iterable[str]) -> list[str]:
    """Items with repeats removed, first occurrence kept."""
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)


def source_hit_at_k(ranked: Sequence[str], expected: Sequence[str], k: int = 5) -> float:
    """1.0 when any expected source is among the first k distinct ranked sources."""
    return 1.0 if set(unique_in_order(ranked)[:k]) & set(expected) else 0.0


def source_mrr(ranked: Sequence[str], expected: Sequence[str]) -> float:
    """Reciprocal rank of the first expected source among the distinct ranked sources (0 if absent)."""
    wanted = set(expected)
    for rank, doc_id in enumerate(unique_in_order(ranked), start=1):
        if doc_id in wanted:
            return 1.0 / rank
    return 0.0


def refusal_accuracy(refused: bool, answerable: bool) -> float:
    """1.0 when the assistant refused exactly when the question was not answerable."""
    return 1.0 if refused == (not answerable) else 0.0


def citation_validity(text: str, citation_numbers: Iterable[int]) -> float:
    """1.0 when every [n] marker in text names one of the given citation numbers."""
    known = set(citation_numbers)
    return 1.0 if all(int(m.group(1)) in known for m in CITATION_RE.finditer(text)) else 0.0


def mean(values: Iterable[float]) -> float | None:
    """Arithmetic mean, or None when there is nothing to average."""
    items = list(values)
    return sum(items) / len(items) if items else None


def percentiles(values: Sequence[float], qs: Sequence[float]) -> list[float | None]:
    """Percentiles (0-100) by linear interpolation between closest ranks, as numpy's default."""
    if not values:
        return [None for _ in qs]
    ordered = sorted(values)
    result: list[float | None] = []
    for q in qs:
        if not 0 <= q <= 100:
            raise ValueError(f"percentile must be between 0 and 100, not {q}")
        position = (len(ordered) - 1) * q / 100
        low, high = math.floor(position), math.ceil(position)
        result.append(ordered[low] + (ordered[high] - ordered[low]) * (position - low))
    return result


def _relevant(qrels: Mapping[str, int]) -> dict[str, int]:
    return {doc_id: grade for doc_id, grade in qrels.items() if grade > 0}


def ndcg_at_k(ranked: Sequence[str], qrels: Mapping[str, int], k: int = 10) -> float:
    """nDCG@k with graded relevance as the gain, as trec_eval and BEIR compute it."""
    relevant = _relevant(qrels)
    if not relevant:
        return 0.0
    dcg = sum(
        relevant.get(doc_id, 0) / math.log2(rank + 1) for rank, doc_id in enumerate(ranked[:k], start=1)
    )
    ideal = sorted(relevant.values(), reverse=True)[:k]
    idcg = sum(grade / math.log2(rank + 1) for rank, grade in enumerate(ideal, start=1))
    return dcg / idcg


def recall_at_k(ranked: Sequence[str], qrels: Mapping[str, int], k: int = 100) -> float:
    """Share of the relevant documents found in the first k."""
    relevant = _relevant(qrels)
    if not relevant:
        return 0.0
    return len(set(ranked[:k]) & set(relevant)) / len(relevant)


def mrr_at_k(ranked: Sequence[str], qrels: Mapping[str, int], k: int = 10) -> float:
    """Reciprocal rank of the first relevant document within the first k (0 if none)."""
    relevant = _relevant(qrels)
    for rank, doc_id in enumerate(ranked[:k], start=1):
        if doc_id in relevant:
            return 1.0 / rank
    return 0.0
