"""The evaluation metrics: small pure functions checked against hand-worked values."""

from __future__ import annotations

import ast
import json
import math
from pathlib import Path

import numpy as np
import pytest

from evals import metrics
from evals.calibrate import CalibrationError, best_threshold, confusion, load_pairs
from evals.dataset import KINDS, QuestionSetError, load_questions


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


def test_eval_and_bench_share_one_percentile() -> None:
    latencies = [12.0, 3.5, 40.0, 7.25, 7.25, 90.0, 15.0]
    # The old bench rounded to the nearest rank (p95 = 90.0 here); now every figure interpolates like numpy.
    assert metrics.percentile(latencies, 95) == pytest.approx(float(np.percentile(latencies, 95))) == 75.0
    assert metrics.percentile(latencies, 50) == 12.0
    with pytest.raises(ValueError, match="empty"):
        metrics.percentile([], 50)
    evals_dir = Path(metrics.__file__).parent
    for name in ("bench_ask.py", "bench_web.py"):
        tree = ast.parse((evals_dir / name).read_text(encoding="utf-8"))
        own = [n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and "percentile" in n.name]
        imported = [
            alias.name
            for n in ast.walk(tree)
            if isinstance(n, ast.ImportFrom) and n.module == "evals.metrics"
            for alias in n.names
        ]
        assert not own and "percentile" in imported, name
        assert "statistics" not in {
            a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
        }


def test_answer_sentences_split_items_and_drop_markup() -> None:
    text = (
        "A UPRN is a unique number for every address. [1]\n\n"
        "- **Kent County Council:** The NHS number links records. The UPRN links places. [2][3]\n"
        "1. Name an owner (e.g. the SIRO) and see [the guide](https://example.org).\n"
        "* It cost £1.14m in total!\n"
        "- [4]\n"
    )
    assert metrics.answer_sentences(text) == [
        "A UPRN is a unique number for every address.",
        "Kent County Council: The NHS number links records.",
        "The UPRN links places.",
        "Name an owner (e.g. the SIRO) and see the guide.",
        "It cost £1.14m in total!",
    ]
    assert metrics.answer_sentences("") == []


def test_nugget_recall_and_lead_hit_use_the_threshold() -> None:
    # Rows are nuggets, columns are answer sentences in order.
    similarity = np.array([[0.20, 0.71, 0.10], [0.30, 0.40, 0.55], [0.80, 0.10, 0.10]])
    assert metrics.nugget_hits(similarity, 0.56) == [True, False, True]
    assert metrics.nugget_recall(similarity, 0.56) == pytest.approx(2 / 3)
    assert metrics.lead_hit(similarity, 0.56) == 1.0  # the first sentence states the third nugget
    assert metrics.lead_hit(similarity, 0.85) == 0.0
    assert metrics.nugget_recall(similarity, 0.55) == 1.0  # at the threshold counts
    no_sentences = np.zeros((2, 0))
    assert metrics.nugget_recall(no_sentences, 0.5) == 0.0 and metrics.lead_hit(no_sentences, 0.5) == 0.0
    assert metrics.nugget_recall(np.zeros((0, 3)), 0.5) is None
    assert metrics.lead_hit(np.zeros((0, 3)), 0.5) is None


def test_cosine_matrix_normalises_vectors() -> None:
    nuggets = np.array([[3.0, 0.0], [1.0, 1.0]])
    sentences = np.array([[2.0, 0.0], [0.0, 5.0], [0.0, 0.0]])
    expected = [[1.0, 0.0, 0.0], [math.sqrt(0.5), math.sqrt(0.5), 0.0]]
    assert metrics.cosine_matrix(nuggets, sentences) == pytest.approx(np.array(expected))
    assert metrics.cosine_matrix(nuggets, np.zeros((0, 2))).shape == (2, 0)


def test_false_refusal_rate_counts_only_answerable_questions() -> None:
    refused = [True, False, True, False, True]
    answerable = [True, True, False, True, False]
    assert metrics.false_refusal_rate(refused, answerable) == pytest.approx(1 / 3)
    assert metrics.false_refusal_rate([True], [False]) is None


def test_best_threshold_prefers_the_strictest_of_near_equal_f1() -> None:
    scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3]
    labels = [True, True, True, False, True, False, False]
    at = confusion(scores, labels, 0.65)
    assert (at["precision"], at["recall"], at["balanced_accuracy"]) == pytest.approx((1.0, 0.75, 0.875))
    best = best_threshold(scores, labels, slack=0.0)
    # F1 peaks at 0.889 for every threshold in (0.4, 0.5]; the strictest of them is chosen.
    assert best["threshold"] == pytest.approx(0.5) and best["f1"] == pytest.approx(8 / 9)
    assert best_threshold(scores, labels, slack=0.05)["threshold"] == pytest.approx(0.7)


def test_pairs_file_problems_name_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "pairs.jsonl"
    good = {"nugget": "Backups are offline.", "sentence": "Keep one backup offline.", "match": True}
    rows = [
        json.dumps(good),
        "{not json",
        json.dumps({**good, "match": "yes"}),
        json.dumps({**good, "sentence": ""}),
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(CalibrationError) as caught:
        load_pairs(path)
    message = str(caught.value)
    assert "line 2: not valid JSON" in message and "line 3: needs" in message and "line 4: needs" in message
    path.write_text(json.dumps(good) + "\n", encoding="utf-8")
    with pytest.raises(CalibrationError, match="at least one match and one non-match"):
        load_pairs(path)


def test_question_set_checks_nuggets_and_kind(tmp_path: Path) -> None:
    base = {"id": "q", "question": "What is a UPRN?", "outcomes": ["data"], "answerable": True}
    refusal = {"id": "r", "question": "Recipe for scones?", "outcomes": [], "answerable": False}
    rows = [
        {
            **base,
            "nuggets": ["A UPRN is a unique property number.", "Councils hold them."],
            "kind": "definition",
        },
        {**base, "id": "q2", "kind": "how-to"},
        {**base, "id": "q3", "nuggets": ["Only one statement."]},
        {**base, "id": "q4", "nuggets": ["One.", "  "]},
        {**refusal, "nuggets": ["A refusal states nothing.", "So it has no nuggets."]},
    ]
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    with pytest.raises(QuestionSetError) as caught:
        load_questions(path)
    assert caught.value.problems == [
        f"line 2: field 'kind': unknown kind 'how-to'; allowed: {', '.join(KINDS)}",
        "line 3: field 'nuggets': give 2 to 4 statements, not 1",
        "line 4: field 'nuggets': a nugget is blank",
        "line 5: an unanswerable question has no nuggets: remove them or set answerable to true",
    ]
    path.write_text(json.dumps(rows[0]) + "\n" + json.dumps(refusal) + "\n", encoding="utf-8")
    first, second = load_questions(path)
    assert first.kind == "definition" and len(first.nuggets) == 2
    assert second.kind == "" and second.nuggets == []


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


def test_retrieval_metrics_agree_with_trec_eval() -> None:
    """nDCG@k, recall@k and MRR@k against ir-measures (trec_eval through pytrec_eval) on a made-up run."""
    ir_measures = pytest.importorskip("ir_measures")
    qrels = {
        "q1": {"d1": 2, "d2": 1, "d3": 0, "d7": 1},
        "q2": {"d4": 1},
        "q3": {"d5": 3, "d6": 2, "d8": 1, "d9": 1},
        "q4": {"d1": 1},  # its one relevant document is never retrieved
    }
    ranked = {
        "q1": ["d3", "d2", "x1", "d1", "x2", "x3", "x4", "x5", "x6", "x7", "d7"],
        "q2": ["x1", "x2", "d4"],
        "q3": ["d6", "d9", "d5", "x1", "d8"],
        "q4": ["x1", "x2"],
    }
    run = {q: {doc: float(len(docs) - i) for i, doc in enumerate(docs)} for q, docs in ranked.items()}
    measures = [ir_measures.nDCG @ 10, ir_measures.nDCG @ 3, ir_measures.R @ 100, ir_measures.R @ 2]
    measures += [ir_measures.RR @ 10, ir_measures.RR @ 2]
    reference = {(m.query_id, str(m.measure)): m.value for m in ir_measures.iter_calc(measures, qrels, run)}
    for query, docs in ranked.items():
        ours = {
            "nDCG@10": metrics.ndcg_at_k(docs, qrels[query], k=10),
            "nDCG@3": metrics.ndcg_at_k(docs, qrels[query], k=3),
            "R@100": metrics.recall_at_k(docs, qrels[query], k=100),
            "R@2": metrics.recall_at_k(docs, qrels[query], k=2),
            "RR@10": metrics.mrr_at_k(docs, qrels[query], k=10),
            "RR@2": metrics.mrr_at_k(docs, qrels[query], k=2),
        }
        for name, value in ours.items():
            assert value == pytest.approx(reference[(query, name)]), (query, name)


def test_every_committed_question_set_loads() -> None:
    # A set that `almanac eval` would turn away is found when it is committed, not when it is first measured.
    # (Only ids and problems are reported: a held-out question's wording is not printed.)
    root = Path(__file__).resolve().parents[2] / "evals" / "questions"
    failing = {}
    for path in sorted(root.glob("*.jsonl")):
        try:
            load_questions(path)
        except QuestionSetError as exc:
            failing[path.name] = exc.problems
    assert failing == {}
