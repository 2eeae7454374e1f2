"""Calibrate when a guide's common question leads the answer, on questions written for the purpose.

Run `python -m evals.calibrate_common [pairs.jsonl]` against a built index: for each question it finds the
common question the assistant would choose at any threshold, and prints, for each threshold, how many
questions would be led by the right common question and how many by a wrong one (a question labelled
`null` has none). The best threshold counts one wrong lead as costing two right ones.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.sentences import last_heading
from evals.calibrate import CalibrationError

PAIRS = Path(__file__).resolve().parent / "calibration" / "common_question_pairs.jsonl"
WRONG_COST = 2


@dataclass(frozen=True)
class Labelled:
    question: str
    answer: (
        tuple[str, str] | None
    )  # (guide doc id, common question heading), or None when no guide answers it


def load(path: Path = PAIRS) -> list[Labelled]:
    items: list[Labelled] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            answer = row["answer"]
            if answer is not None and (not isinstance(answer, list) or len(answer) != 2):
                raise ValueError("'answer' must be [doc id, heading] or null")
            items.append(Labelled(str(row["question"]), tuple(answer) if answer else None))
        except (ValueError, KeyError, TypeError) as exc:
            raise CalibrationError(
                f"{path}:{number}: {exc}. Each line needs 'question' and 'answer' ([doc id, heading] or null)."
            ) from exc
    return items


def best_threshold(rows: Sequence[tuple[float, bool]]) -> tuple[float, int, int]:
    """The threshold with the most right leads less WRONG_COST per wrong lead: (threshold, right, wrong)."""
    best = (1.0, 0, 0)
    best_value = 0
    for threshold in sorted({round(score, 3) for score, _ in rows}):
        right = sum(1 for score, ok in rows if score >= threshold and ok)
        wrong = sum(1 for score, ok in rows if score >= threshold and not ok)
        if right - WRONG_COST * wrong > best_value:
            best_value, best = right - WRONG_COST * wrong, (threshold, right, wrong)
    return best


def main(argv: Sequence[str] | None = None) -> int:
    from assistant.compose import shapes
    from assistant.compose.pool import Asked
    from assistant.config import Settings
    from assistant.rag import Assistant

    args = list(sys.argv[1:] if argv is None else argv)
    items = load(Path(args[0]) if args else PAIRS)
    assistant = Assistant(Settings())
    composer = assistant.extractive.composer
    rows: list[tuple[float, bool]] = []
    for item in items:
        prepared = assistant._prepare(item.question, None, None, None)
        vector = np.asarray(prepared.vector, dtype=np.float32)
        idf = assistant.retriever.bm25_index().idf
        asked = Asked(prepared.query, vector, idf, prepared.intent.kind, item.question)
        candidates = composer.common_question_candidates(prepared.hits, vector)
        if prepared.cases or not candidates:  # a named council's question is answered from its case
            rows.append((0.0, item.answer is None))
            print(
                f"  -   {'right' if item.answer is None else 'MISSED'} {item.question[:70]} (none retrieved)"
            )
            continue
        score, hit = max(
            ((shapes.common_question_score(h, asked, composer.dim), h) for h in candidates),
            key=lambda p: p[0],
        )
        chosen = (hit.chunk.doc_id, last_heading(hit.chunk.metadata))
        rows.append((score, chosen == item.answer))
        mark = "right" if chosen == item.answer else ("NONE " if item.answer is None else "WRONG")
        print(f"{score:.3f} {mark} {item.question[:70]} -> {chosen[1][:60]}")
    threshold, right, wrong = best_threshold(rows)
    answerable = sum(1 for item in items if item.answer)
    print(f"\n{len(items)} questions, {answerable} with a common question that answers them")
    print(
        f"best threshold {threshold:.3f}: {right} right leads, {wrong} wrong (now {shapes.COMMON_QUESTION_MATCH})"
    )
    current = shapes.COMMON_QUESTION_MATCH
    print(
        f"at {current}: {sum(1 for s, ok in rows if s >= current and ok)} right, "
        f"{sum(1 for s, ok in rows if s >= current and not ok)} wrong"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
