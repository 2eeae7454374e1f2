"""Calibrate when a guide's common question leads the answer, on questions written for the purpose.

Run `python -m evals.calibrate_common [pairs.jsonl ...]` against a built index (by default every
`calibration/common_question_pairs*.jsonl`): for each question it finds the common question the assistant
would choose, its score and its margin over the best common question that asks something else, and prints how
many questions would be led by the right common question and how many by a wrong one (a question labelled
`null` has none), at the current threshold and margin and at the best pair. The best pair counts one wrong
lead as costing two right ones.
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

CALIBRATION = Path(__file__).resolve().parent / "calibration"
PAIRS = CALIBRATION / "common_question_pairs.jsonl"
MARGINS = (0.0, 0.02, 0.04, 0.06, 0.08, 0.1, 0.12)
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


def counts(
    rows: Sequence[tuple[float, float, bool]], threshold: float, margin: float, sure: float = 2.0
) -> tuple[int, int]:
    """(right leads, wrong leads) when a common question leads at this score and margin, or at `sure`."""
    led = [ok for score, gap, ok in rows if score >= sure or (score >= threshold and gap >= margin)]
    return sum(led), len(led) - sum(led)


def best_threshold(rows: Sequence[tuple[float, float, bool]]) -> tuple[float, float, int, int]:
    """The (threshold, margin) with the most right leads less WRONG_COST per wrong lead."""
    best = (1.0, 0.0, 0, 0)
    best_value = 0
    for margin in MARGINS:
        for threshold in sorted({round(score, 2) for score, _, _ in rows}):
            right, wrong = counts(rows, threshold, margin)
            if right - WRONG_COST * wrong > best_value:
                best_value, best = right - WRONG_COST * wrong, (threshold, margin, right, wrong)
    return best


def main(argv: Sequence[str] | None = None) -> int:
    from assistant.compose import shapes
    from assistant.compose.pool import Asked
    from assistant.config import Settings
    from assistant.rag import Assistant

    args = list(sys.argv[1:] if argv is None else argv)
    paths = [Path(a) for a in args] or sorted(CALIBRATION.glob("common_question_pairs*.jsonl"))
    items = [item for path in paths for item in load(path)]
    assistant = Assistant(Settings())
    composer = assistant.extractive.composer
    rows: list[tuple[float, float, bool]] = []
    now: list[tuple[bool, bool]] = []  # (led under the current rule, right)
    for item in items:
        prepared = assistant._prepare(item.question, None, None, None)
        vector = np.asarray(prepared.vector, dtype=np.float32)
        idf = assistant.retriever.bm25_index().idf
        asked = Asked(prepared.query, vector, idf, prepared.intent.kind, item.question)
        candidates = composer.common_question_candidates(prepared.hits, vector, prepared.query)
        scored = shapes.ranked_common_questions(candidates, asked, composer.dim)
        if prepared.cases or not scored:  # a named council's question is answered from its case
            rows.append((0.0, 0.0, item.answer is None))
            now.append((False, item.answer is None))
            print(f"  -         {'right' if item.answer is None else 'MISSED'} {item.question[:70]} (none)")
            continue
        score, hit = scored[0]
        gap = shapes.lead_margin(scored, composer.dim)
        chosen = (hit.chunk.doc_id, last_heading(hit.chunk.metadata))
        rows.append((score, gap, chosen == item.answer))
        now.append((shapes.leads(scored, composer.dim), chosen == item.answer))
        mark = "right" if chosen == item.answer else ("NONE " if item.answer is None else "WRONG")
        print(f"{score:.3f} +{gap:.3f} {mark} {item.question[:70]} -> {chosen[1][:60]}")
    threshold, margin, right, wrong = best_threshold(rows)
    answerable = sum(1 for item in items if item.answer)
    print(f"\n{len(items)} questions, {answerable} with a common question that answers them")
    print(f"best: threshold {threshold:.2f}, margin {margin:.2f}: {right} right leads, {wrong} wrong")
    now_right = sum(1 for led, ok in now if led and ok)
    now_wrong = sum(1 for led, ok in now if led and not ok)
    print(
        f"now: threshold {shapes.COMMON_QUESTION_MATCH}, margin {shapes.COMMON_QUESTION_MARGIN}, "
        f"sure above {shapes.COMMON_QUESTION_SURE}, or {shapes.STANDS_CLEAR} clear of the field and "
        f"{shapes.CLEAR_MARGIN} of the best rival: {now_right} right, {now_wrong} wrong"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
