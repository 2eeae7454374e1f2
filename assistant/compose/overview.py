"""An outcome asked about as a whole ("Tell me about the partnership outcome", "ethics?"): what the outcome
means for a council, in the guide's own words, then the guide's first steps."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from assistant.citations import CitationBook
from assistant.compose.pool import Asked, Composition, Sentence, score_sentences
from assistant.compose.shapes import passage
from assistant.compose.wording import cite, joined, line, stands
from assistant.documents import Chunk
from assistant.outcomes import get_outcome
from assistant.retrieval import Hit
from assistant.text import analyze

MEANING_SECTION = "What it means for a council"
FIRST_STEPS_SECTION = "Where to start"
FIRST_STEPS = 3
OPENING_SENTENCES = 8  # where a guide's section says what its outcome means
# Words that ask for an overview and name nothing of their own.
OVERVIEW_TERMS = frozenset(
    analyze(
        "tell me about what is the outcome guide overview summary summarise explain about mean means cover"
    )
)
# The sentence that says what the outcome asks of a council is found by likeness to this, in the guide's terms.
MEANING_PROBE = "What does the {name} outcome ask councils to do, and what does it mean for a council?"


def introduces_list(s: Sentence) -> bool:
    return s.text.rstrip().endswith(":")


def asks_overview(question: str, outcome: str) -> bool:
    """Whether the question names the outcome and nothing else ("What about ethics?", "Tell me about the
    partnership outcome"): every word of it is the outcome's name or a word asking for an overview."""
    name = get_outcome(outcome).name
    own = set(analyze(question)) - OVERVIEW_TERMS - set(analyze(f"{name} {outcome.replace('-', ' ')}"))
    return bool(analyze(question)) and not own


def overview(
    outcome: str,
    asked: Asked,
    section_chunks: Callable[[str, str | None], list[Chunk]],
    sentences: Callable[[Sequence[Hit]], list[Sentence]],
    embed: Callable[[str], np.ndarray],
) -> Composition | None:
    """What the outcome means for a council, then its guide's first steps; None when the guide lacks them."""
    doc_id = f"outcome-{outcome}"
    meaning = sentences([Hit(c, 0.0) for c in section_chunks(doc_id, MEANING_SECTION)])
    steps = sentences([Hit(c, 0.0) for c in section_chunks(doc_id, FIRST_STEPS_SECTION)])
    if not meaning:
        return None
    name = get_outcome(outcome).name.split(":")[0]
    probe = embed(MEANING_PROBE.format(name=name.lower()))
    score_sentences(meaning, Asked(asked.query, probe, asked.idf, "definition", asked.question))
    # The section opens by saying what the outcome means; a list's introduction is no lead without its list.
    in_order = sorted(meaning, key=lambda s: (s.hit.chunk.metadata.get("chunk_index", 0), s.position))
    opening_lines = [s for s in in_order[:OPENING_SENTENCES] if stands(s) and not introduces_list(s)]
    if not opening_lines:
        return None
    lead = max(opening_lines, key=lambda s: s.similarity)
    opening = passage(lead, meaning)
    while len(opening) > 1 and introduces_list(opening[-1]):
        opening.pop()  # "A council has several levers:" without its levers
    book = CitationBook()
    lines = [f"{joined(opening)} {cite(book, lead)}"]
    listed = [s for s in steps if s.text.rstrip().endswith(".") and stands(s)][:FIRST_STEPS]
    if listed:
        lines += ["", f"Where the {name} guide says to start:"]
        lines += [line(s, book, f"{i}.") for i, s in enumerate(listed, start=1)]
    return Composition("\n".join(lines), book.citations, lead=lead.text, shape="overview")
