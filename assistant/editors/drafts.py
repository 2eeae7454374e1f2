"""Real questions as draft test questions: question-set JSONL for an editor to confirm, then `almanac eval`."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from assistant.editors.records import Asked
from assistant.outcomes import OUTCOMES

KNOWN = {o.slug for o in OUTCOMES}


def draft(record: Asked, *, fallback_outcome: str | None = None) -> dict[str, object] | None:
    """One question-set line: `answerable` and `outcomes` are guesses from what the almanac did.

    A question the almanac answered is guessed answerable, with the answer's outcomes and cited documents
    (even when disliked: the almanac found material, the answer may need better content); a refused one is
    guessed unanswerable (the validator wants no outcomes then). None once the text has passed retention.
    """
    if not record.question:
        return None
    answerable = record.status == "answered"
    outcomes = [slug for slug in record.outcomes if slug in KNOWN][:3]
    if answerable and not outcomes and fallback_outcome in KNOWN:
        outcomes = [str(fallback_outcome)]
    if not outcomes:
        answerable = False
    line: dict[str, object] = {
        "id": "draft-" + hashlib.sha256(record.message_id.encode()).hexdigest()[:10],
        "question": record.question,
        "outcomes": outcomes if answerable else [],
        "answerable": answerable,
    }
    if answerable and record.doc_ids:
        line["expected_sources"] = record.doc_ids[:3]
    return line


def draft_jsonl(records: Sequence[Asked], *, fallback_outcome: str | None = None) -> str:
    """The records that still have their text, one JSON line each (the same question once)."""
    lines, seen = [], set()
    for record in records:
        line = draft(record, fallback_outcome=fallback_outcome)
        key = (record.question or "").casefold()
        if line is not None and key not in seen:
            seen.add(key)
            lines.append(json.dumps(line, ensure_ascii=False))
    return "\n".join(lines) + ("\n" if lines else "")
