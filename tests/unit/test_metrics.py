"""The evaluation metrics: small pure functions checked against hand-worked values."""

from __future__ import annotations

import math

import pytest

from evals import metrics


def test_outcome_top1_looks_only_at_the_first_outcome() -> None:
    assert metrics.outcome_top1(["data", "ethics"], ["data"]) == 1.0
    assert metrics.outcome_top1(["ethics", "data"], ["data"]) == 0.0
    assert metrics.outcome_top1(["ethics", "data"], ["data", "ethics"]) == 1.0
    assert metrics.outcome_top1([], ["data"]) == 0.0


def test_outcome_recall_accepts_any_overlap() -> None:
    assert metrics.outcome_recall(["ethics", "data"], ["data"]) == 1.0
    assert metrics.outcome_recall(["value"], ["data", "ethics"]) == 0.0
    assert metrics.outcome_recall([], ["data"]) == 0.0


def test_must_mention_is_case_insensitive_and_per_group() -> None:
    text = "Gloucester's attack cost **£1.14m** and the ICO found no central\nlogging."
    groups = [["£1.14M"], ["Central Logging", "backups"], ["ransom paid"]]
    assert metrics.must_mention(text, groups) == [True, True, False]
    assert metrics.must_mention(text, []) == []


def test_source_hit_at_k_counts_distinct_documents() -> None:
    ranked = ["a", "a", "b", "c", "d", "e", "f"]
    assert metrics.source_hit_at_k(ranked, ["e"], k=5) == 1.0  # the repeat of "a" does not push "e" out
    assert metrics.source_hit_at_k(ranked, ["f"], k=5) == 0.0
    assert metrics.source_hit_at_k([], ["a"], k=5) == 0.0


def test_source_mrr_is_reciprocal_rank_of_first_expected() -> None:
    assert metrics.source_mrr(["x", "x", "y", "z"], ["z", "y"]) == pytest.approx(0.5)
    assert metrics.source_mrr(["x"], ["z"]) == 0.0


def test_refusal_accuracy_rewards_refusing_only_the_unanswerable() -> None:
    assert metrics.refusal_accuracy(refused=True, answerable=False) == 1.0
    assert metrics.refusal_accuracy(refused=False, answerable=True) == 1.0
    assert metrics.refusal_accuracy(refused=True, answerable=True) == 0.0
    assert metrics.refusal_accuracy(refused=False, answerable=False) == 0.0


def test_citation_validity_needs_every_marker_to_resolve() -> None:
    assert metrics.citation_validity("One [1]. Two [2][1].", [1, 2]) == 1.0
    assert metrics.citation_validity("One [1]. Three [3].", [1, 2]) == 0.0
    assert metrics.citation_validity("No markers at all.", []) == 1.0


def test_mean_of_nothing_is_none() -> None:
    assert metrics.mean([]) is None
    assert metrics.mean([1.0, 0.0, 0.5]) == pytest.approx(0.5)


def test_percentiles_interpolate_like_numpy() -> None:
    values = [10.0, 20.0, 30.0, 40.0, 100.0]
    assert metrics.percentiles(values, [0, 50, 95, 100]) == pytest.approx([10.0, 30.0, 88.0, 100.0])
    assert metrics.percentiles([], [50]) == [None]
    with pytest.raises(ValueError, match="between 0 and 100"):
        metrics.percentiles(values, [101])


def test_ndcg_at_k_uses_graded_gains() -> None:
    qrels = {"d1": 2, "d2": 1, "d9": 0}
    assert metrics.ndcg_at_k(["d1", "d2", "x"], qrels, k=10) == pytest.approx(1.0)
    # d2 first, d1 third: (1/log2(2) + 2/log2(4)) / (2/log2(2) + 1/log2(3))
    expected = (1 + 2 / 2) / (2 + 1 / math.log2(3))
    assert metrics.ndcg_at_k(["d2", "x", "d1"], qrels, k=10) == pytest.approx(expected)
    assert metrics.ndcg_at_k(["d2", "x", "d1"], qrels, k=1) == pytest.approx(1 / 2)
    assert metrics.ndcg_at_k(["x"], {"d9": 0}, k=10) == 0.0


def test_recall_at_k_is_share_of_relevant_found() -> None:
    qrels = {"a": 1, "b": 1, "c": 2, "z": 0}
    assert metrics.recall_at_k(["a", "x", "c", "b"], qrels, k=3) == pytest.approx(2 / 3)
    assert metrics.recall_at_k(["z"], qrels, k=100) == 0.0


def test_mrr_at_k_stops_at_k() -> None:
    qrels = {"b": 1}
    assert metrics.mrr_at_k(["a", "b"], qrels, k=10) == pytest.approx(0.5)
    assert metrics.mrr_at_k(["a", "b"], qrels, k=1) == 0.0
