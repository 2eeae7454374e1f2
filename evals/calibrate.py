"""Calibrate the nugget-matching threshold on labelled (nugget, sentence) pairs.

Run `python -m evals.calibrate [pairs.jsonl]`: it embeds every pair with the bundled model, prints the
strictest threshold whose F1 is within 0.01 of the best, with its precision and recall, and how each
type of pair fared at that threshold. See `evals.nuggets` for the figures on the shipped pairs.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.errors import AlmanacError

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

PAIRS = Path(__file__).resolve().parent / "calibration" / "nugget_pairs.jsonl"
F1_SLACK = 0.01


class CalibrationError(AlmanacError):
    """The labelled pairs file has problems; each names its line."""


@dataclass(frozen=True)
class Pair:
    """A nugget, an answer-like sentence, and whether the sentence states the nugget."""

    nugget: str
    sentence: str
    match: bool
    type: str = ""


def load_pairs(path: Path = PAIRS) -> list[Pair]:
    """Every pair in a JSONL file of {nugget, sentence, match[, type]} objects.

    Raises:
        CalibrationError: the file is missing, or a line is not such an object (every bad line is named).
    """
    if not Path(path).is_file():
        raise CalibrationError(f"{path}: file not found; pass the path of a JSONL file of labelled pairs")
    pairs, problems = [], []
    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            data: Any = json.loads(raw)
        except json.JSONDecodeError as exc:
            problems.append(f"line {number}: not valid JSON ({exc.msg})")
            continue
        if not (
            isinstance(data, dict)
            and isinstance(data.get("nugget"), str)
            and data["nugget"].strip()
            and isinstance(data.get("sentence"), str)
            and data["sentence"].strip()
            and isinstance(data.get("match"), bool)
        ):
            problems.append(
                f"line {number}: needs a non-empty 'nugget' and 'sentence' and a true/false 'match'"
            )
            continue
        pairs.append(Pair(data["nugget"], data["sentence"], data["match"], str(data.get("type", ""))))
    if not problems and not {p.match for p in pairs} >= {True, False}:
        problems.append("the pairs need at least one match and one non-match")
    if problems:
        raise CalibrationError("\n".join([f"The pairs file {path} has problems:", *problems]))
    return pairs


def confusion(scores: Sequence[float], labels: Sequence[bool], threshold: float) -> dict[str, float]:
    """Precision, recall, F1 and balanced accuracy of 'score >= threshold' as a predictor of labels."""
    predicted = np.asarray(scores) >= threshold
    truth = np.asarray(labels, dtype=bool)
    tp = float(np.sum(predicted & truth))
    fp = float(np.sum(predicted & ~truth))
    fn = float(np.sum(~predicted & truth))
    tn = float(np.sum(~predicted & ~truth))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    specificity = tn / (tn + fp) if tn + fp else 0.0
    return {
        "threshold": threshold,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "balanced_accuracy": (recall + specificity) / 2,
    }


def best_threshold(
    scores: Sequence[float], labels: Sequence[bool], *, slack: float = F1_SLACK
) -> dict[str, float]:
    """The highest threshold (in steps of 0.01) whose F1 is within `slack` of the best F1.

    An answer has several sentences and a nugget counts when any of them reaches the threshold, so a false
    match is likelier in use than on single pairs: of near-equal thresholds, the strictest is preferred.
    """
    candidates = np.round(np.arange(0.0, 1.0, 0.01), 2)
    results = [confusion(scores, labels, float(t)) for t in candidates]
    best_f1 = max(r["f1"] for r in results)
    return max((r for r in results if r["f1"] >= best_f1 - slack), key=lambda r: r["threshold"])


def pair_scores(pairs: Sequence[Pair], embeddings: Embeddings) -> list[float]:
    """Cosine similarity of each pair's nugget and sentence."""
    from evals.nuggets import NuggetJudge

    judge = NuggetJudge(embeddings)
    nuggets = judge.embed([p.nugget for p in pairs])
    sentences = judge.embed([p.sentence for p in pairs])
    norms = np.linalg.norm(nuggets, axis=1) * np.linalg.norm(sentences, axis=1)
    return [float(v) for v in np.sum(nuggets * sentences, axis=1) / norms]


def calibrate(path: Path = PAIRS, embeddings: Embeddings | None = None) -> dict[str, Any]:
    """Score the pairs and return the best threshold, its figures and the hit rate per pair type."""
    from assistant.embeddings import get_embeddings

    pairs = load_pairs(path)
    scores = pair_scores(pairs, embeddings or get_embeddings())
    best = best_threshold(scores, [p.match for p in pairs])
    by_type: dict[str, dict[str, float]] = {}
    for kind in sorted({p.type for p in pairs}):
        chosen = [s for s, p in zip(scores, pairs, strict=True) if p.type == kind]
        by_type[kind or "untyped"] = {
            "n": len(chosen),
            "share_at_or_above_threshold": sum(s >= best["threshold"] for s in chosen) / len(chosen),
            "mean_similarity": float(np.mean(chosen)),
        }
    return {
        "pairs": len(pairs),
        "matches": sum(p.match for p in pairs),
        **best,
        "by_type": by_type,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Print the calibration of the threshold on a pairs file (the shipped one by default)."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        result = calibrate(Path(args[0]) if args else PAIRS)
    except CalibrationError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(
        f"{result['pairs']} pairs ({result['matches']} matches). Best threshold {result['threshold']:.2f}: "
        f"precision {result['precision']:.2f}, recall {result['recall']:.2f}, F1 {result['f1']:.2f}, "
        f"balanced accuracy {result['balanced_accuracy']:.2f}"
    )
    for kind, figures in result["by_type"].items():
        print(
            f"  {kind}: {figures['n']} pairs, {figures['share_at_or_above_threshold']:.0%} at or above the "
            f"threshold, mean similarity {figures['mean_similarity']:.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
