"""Two councils' cases side by side: "compare the Redcar and Gloucester attacks: what did each cost?" hears what
each case says on what is asked, under each council's name, rather than one case and a guide's aside."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.citations import CitationBook
from assistant.compose.choose import SUPPORT_WORDS
from assistant.compose.pool import Asked, Composition, Sentence
from assistant.compose.shapes import passage, with_figure_first
from assistant.compose.wording import cite, joined, leadable, member_names, stands
from assistant.sentence_rules import MONEY_ASKED_RE, MONEY_RE, council_short_name, evidence_caveat

# "compare...", "...vs...", "the difference between...", "how did each...": the question sets cases side by side.
COMPARES_RE = re.compile(
    r"\b(compare[sd]?|comparison|versus|vs\.?|difference between|differ|each (one|of them|council))\b",
    re.I,
)
SIDES = 2
# What each council did and what came of it; not its setting, nor the lessons drawn for others.
TOLD_IN = frozenset({"Summary", "The challenge", "What they did", "What happened"})
SIDE_SENTENCES = 2  # each side in brief: the sentence that answers and the one after it


def compares(question: str) -> bool:
    return bool(COMPARES_RE.search(question))


def side_by_side(
    pool: list[Sentence], asked: Asked, cases: Sequence[str], book: CitationBook
) -> Composition | None:
    """Each council's case on what is asked, the closer first; None unless two councils' cases answer."""
    best: dict[str, Sentence] = {}
    for case in cases:
        usable = [
            s
            for s in pool
            if s.doc_id == case
            and s.section in TOLD_IN
            and (leadable(s, asked.kind) or s.section == "Summary")  # a summary tells each approach in brief
            and stands(s)
            and len(s.text.split()) >= SUPPORT_WORDS
            and not evidence_caveat(s.text)
        ]
        ranked = sorted(usable, key=lambda s: -s.score)
        if MONEY_ASKED_RE.search(asked.question):  # "what did each cost?": its sum first
            ranked = sorted(ranked, key=lambda s: not MONEY_RE.search(s.text))
        elif asked.kind == "figures":
            ranked = with_figure_first(ranked, asked.question, float("inf"))
        if ranked:
            best[case] = ranked[0]
    sides: list[Sentence] = []
    for s in sorted(best.values(), key=lambda s: -s.score):
        if all(not shares_council(s.council, side.council) for side in sides):
            sides.append(s)
        if len(sides) == SIDES:
            break
    if len(sides) < SIDES:
        return None
    sides.sort(key=lambda s: list(cases).index(s.doc_id))  # in the order the question names them
    paragraphs = []
    for s in sides:
        told = passage(s, pool)[:SIDE_SENTENCES]
        name = council_short_name(s.council)
        paragraphs.append(f"**{name}:** {joined(told)} {cite(book, s)}")
    return Composition("\n\n".join(paragraphs), book.citations, lead=sides[0].text, shape="side-by-side")


def shares_council(one: str, other: str) -> bool:
    """Whether two cases' councils have a council in common ("Sunderland" in a case of three councils)."""
    mine = set(member_names(one) or [council_short_name(one)])
    theirs = set(member_names(other) or [council_short_name(other)])
    return bool(mine & theirs)
