"""Evaluation metrics as small pure functions: per question, then averaged by the runner."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

CITATION_RE = re.compile(r"\[(\d{1,3})\]")
_SPACE_RE = re.compile(r"\s+")
_LIST_MARKER_RE = re.compile(r"^(?:[-*+•]|\d{1,2}[.)]|#{1,6}|>)\s+")
_LINK_RE = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_EMPHASIS_RE = re.compile(r"\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)|`")
# A sentence ends at . ! or ? (after any closing quote or bracket) before a capital, digit or opening mark.
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[A-Z0-9£$€\"'“‘(])")
_WORD_RE = re.compile(r"\w")


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
    """Percentiles (0-100) by numpy's default linear interpolation; the one definition eval and bench use."""
    bad = [q for q in qs if not 0 <= q <= 100]
    if bad:
        raise ValueError(f"percentile must be between 0 and 100, not {bad[0]}")
    if not values:
        return [None for _ in qs]
    return [float(v) for v in np.percentile(np.asarray(values, dtype=float), list(qs))]


def percentile(values: Sequence[float], q: float) -> float:
    """One percentile (0-100) of a non-empty sequence, as `percentiles` computes it."""
    if not values:
        raise ValueError("percentile of an empty sequence")
    value = percentiles(values, [q])[0]
    assert value is not None
    return value


def answer_sentences(text: str) -> list[str]:
    """The statements of an answer: its sentences and list items, without citation markers or Markdown."""
    sentences: list[str] = []
    for raw_line in text.splitlines():
        line = _LIST_MARKER_RE.sub("", raw_line.strip())
        line = _LINK_RE.sub(r"\1", line)
        line = CITATION_RE.sub("", line)
        line = _EMPHASIS_RE.sub("", line)
        line = _SPACE_RE.sub(" ", line).strip()
        sentences += [part.strip() for part in _SENTENCE_END_RE.split(line) if _WORD_RE.search(part)]
    return sentences


def nugget_hits(similarity: np.ndarray, threshold: float) -> list[bool]:
    """For each nugget (row), whether any answer sentence (column) reaches the similarity threshold."""
    if similarity.ndim != 2:
        raise ValueError("similarity must be a nuggets x sentences matrix")
    if similarity.shape[1] == 0:
        return [False] * similarity.shape[0]
    return [bool(best >= threshold) for best in similarity.max(axis=1)]


def cosine_matrix(nuggets: np.ndarray, sentences: np.ndarray) -> np.ndarray:
    """Cosine similarity of every nugget vector (rows) with every sentence vector (columns)."""
    nuggets = np.atleast_2d(np.asarray(nuggets, dtype=float))
    if len(sentences) == 0:
        return np.zeros((nuggets.shape[0], 0))
    sentences = np.atleast_2d(np.asarray(sentences, dtype=float))

    def unit(rows: np.ndarray) -> np.ndarray:
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        return rows / np.where(norms == 0, 1.0, norms)

    return unit(nuggets) @ unit(sentences).T


def nugget_recall(similarity: np.ndarray, threshold: float) -> float | None:
    """Share of a question's nuggets that some answer sentence states (None when it has no nuggets)."""
    hits = nugget_hits(similarity, threshold)
    return sum(hits) / len(hits) if hits else None


def lead_hit(similarity: np.ndarray, threshold: float) -> float | None:
    """1.0 when the answer's first sentence states any nugget (None when the question has no nuggets)."""
    if similarity.shape[0] == 0:
        return None
    return 1.0 if similarity.shape[1] and any(nugget_hits(similarity[:, :1], threshold)) else 0.0


def false_refusal_rate(refused: Sequence[bool], answerable: Sequence[bool]) -> float | None:
    """Share of the answerable questions that were refused (None when none was answerable)."""
    asked = [r for r, a in zip(refused, answerable, strict=True) if a]
    return sum(asked) / len(asked) if asked else None


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
