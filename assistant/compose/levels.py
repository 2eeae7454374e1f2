"""A maturity question that names a level ("are we starting or established?") gets that level's signs."""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.citations import CitationBook
from assistant.compose.pool import Composition, Sentence
from assistant.compose.wording import cite
from assistant.documents import Chunk
from assistant.outcomes import OUTCOMES
from assistant.retrieval import Hit

LEVELS = ("Starting", "Developing", "Established", "Leading")
# The guides' four levels and the everyday words for them.
LEVEL_WORDS = {
    "Starting": r"start(ing|ed)? out|just start(ing)?|beginn(er|ing)|basic|starting level|at the start(ing)? level",
    "Developing": r"developing",
    "Established": r"established",
    "Leading": r"leading|(really|very|fully|most|highly) mature|advanced|best in class|exemplary",
}
LEVEL_RES = {level: re.compile(rf"\b({words})\b", re.IGNORECASE) for level, words in LEVEL_WORDS.items()}
LEVEL_RE = re.compile(rf"\b({'|'.join(LEVEL_WORDS.values())})\W{{0,2}}\s+level\b", re.IGNORECASE)
SIGNS_PER_LEVEL = 5


def levels_named(question: str) -> list[str]:
    """The self-assessment levels a question names, in the guides' order."""
    return [level for level in LEVELS if LEVEL_RES[level].search(question)]


def outcome_in(question: str, *, aliases: bool = True) -> str | None:
    """The outcome a question's words name first: its name ("democracy" of "Democracy and participation",
    "local productivity") or one of its aliases ("cyber")."""
    found: list[tuple[int, str]] = []
    for outcome in OUTCOMES:
        name = outcome.name.split(":")[0].split(" and ")[0]
        for term in (name, outcome.slug.replace("-", " "), *(outcome.aliases if aliases else ())):
            match = re.search(rf"\b{re.escape(term)}\b", question, re.IGNORECASE)
            if match:
                found.append((match.start(), outcome.slug))
    return min(found)[1] if found else None


def asks_about_levels(question: str, kind: str) -> bool:
    """A maturity question, one naming a level as a level ("the developing level") or two levels, or a
    what-good-looks-like question that names a level ("what would 'leading' look like on data?")."""
    named = levels_named(question)
    return (
        kind == "maturity"
        or bool(LEVEL_RE.search(question))
        or len(named) >= 2
        or (kind == "good-practice" and bool(named))
    )


def level_signs(
    question: str,
    outcome: str | None,
    section_chunks: Callable[[str, str | None], list[Chunk]] | None,
    sentences: Callable[[list[Hit]], list[Sentence]],
    book: CitationBook,
) -> Composition | None:
    """Each named level's signs from the outcome guide's self-assessment, as the guide lists them."""
    # Only a named level: the model reads "no data strategy" as close to "a data strategy is in place".
    levels = levels_named(question)
    outcome = outcome_in(question) or outcome  # "starting on data": the data guide's levels
    if not levels or not outcome or section_chunks is None:
        return None
    chunks = section_chunks(f"outcome-{outcome}", "Self-assessment")
    found = [s for s in sentences([Hit(c, 0.0) for c in chunks]) if s.heading in LEVELS]
    lines: list[str] = []
    lead = ""
    for level in levels:
        signs = sorted((s for s in found if s.heading == level), key=lambda s: (s.hit.chunk.id, s.position))
        if not signs:
            continue
        first, *rest = signs[:SIGNS_PER_LEVEL]
        opening = f"**{level} level:** {first.text} {cite(book, first)}"
        lead = lead or opening
        lines += ([""] if lines else []) + [opening, *(f"- {s.text} {cite(book, s)}" for s in rest)]
    if not lines:
        return None
    return Composition("\n".join(lines), book.citations, lead=lead, shape="maturity")
