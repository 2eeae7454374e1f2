"""What a case's sources do not report, said when the question asks exactly that.

"Did Hackney's digital apprentices stay on?" and "did moving the webcasts get more viewers?" ask what came of
something. Where the case says its sources do not report it ("The almanac has no sourced number to show whether
the change raised viewing"), that is the honest answer, and it follows the opening paragraph rather than being
left out as a note on the evidence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from assistant.citations import CitationBook
from assistant.compose.named_case import asks_result
from assistant.compose.pool import FORECAST_RE, Asked, Composition, Sentence, asks_what_came_of_it
from assistant.compose.second import after_opening, before_opening
from assistant.compose.shapes import passage, yes_or_no
from assistant.compose.wording import cite, joined, render
from assistant.intent import CUES
from assistant.sentence_rules import FIGURE_RE, UNREPORTED_RE
from assistant.text import analyze, question_sentences

# What follows the words saying so: "...to show whether the change raised viewing".
WHETHER_RE = re.compile(r"^\s*(?:\w+\s+){0,3}(?:whether|how many|how much|how far|if)\b\s*", re.I)
POINTING_RE = re.compile(r"\b(it|its|they|them|this|these|those)\b", re.I)
HOW_MANY_RE = re.compile(r"\bhow (many|much) (\w+)", re.I)
# "any numbers on alert sign-ups?", "what evidence is there that it worked?"
ASKS_NUMBERS_RE = re.compile(r"\b(any|what) (numbers|figures|data|evidence|statistics|results)\b", re.I)
# "How can we help firms actually use broadband?" asks what to do, whatever its "actually".
ASKS_HOW_TO_RE = re.compile(
    r"^\W*(how (can|could|do|should|would|might) (we|i|you|councils?)|what should)\b", re.I
)
# An opening that already says yes or no.
VERDICT_OPENING_RE = re.compile(r"^\W*(yes|no|not yet|not)\b", re.I)
# The gap is about what was asked when the sentence is this like the question.
ABOUT_ASKED = 0.45
SHARED = 0.4  # or when this share of its words' weight is in the question


def asks_what_came(question: str) -> bool:
    """Whether a question asks what came of something: yes or no, "did it work?", "what did it actually save?".
    Its context ("Essex ended up with 60 websites. How did it deal with that?") asks nothing."""
    sentences = question_sentences(question)
    # "Has it cut invalid applications? We've been asked to join": the sentence that asks, not the context after
    asking = [s for s in sentences if s.rstrip().endswith("?")] or sentences[-1:]
    # "Essex ended up with 60 websites - what did they do about it?": the clause after the dash asks.
    asking = [re.split(r"\s+[-–]\s+", s)[-1] for s in asking]
    return yes_or_no(question) or any(
        (asks_what_came_of_it(s) and not ASKS_HOW_TO_RE.match(s))
        or asks_result(s)
        or CUES["figures"].search(s) is not None  # "how many businesses did it help?"
        or ASKS_NUMBERS_RE.search(s) is not None
        for s in asking
    )


def gives_result(text: str) -> bool:
    """Whether a passage gives a figure that is not a forecast ("forecast to create more than 100 jobs")."""
    return bool(FIGURE_RE.search(text)) and not FORECAST_RE.search(text)


def with_unreported(
    composed: Composition,
    question: str,
    pool: Sequence[Sentence],
    asked: Asked,
    cases: Sequence[str],
    embed: Callable[[str], np.ndarray],
) -> Composition:
    """The answer with the named case's statement that its sources do not report what was asked, after the
    opening paragraph, when the question asks what came of something and the answer does not say it.

    What is unreported is read without the words saying so ("...no sourced number to show whether" leaves "the
    change raised viewing"), and set beside the question as asked and as read with its conversation.
    """
    if not cases or not composed.text or not asks_what_came(question):
        return composed
    # "...do not say whether it formed part of the programme": what "it" is lies outside the sentence.
    candidates = [
        s
        for s in pool
        if s.doc_id in cases
        and (match := UNREPORTED_RE.search(s.text))
        and not POINTING_RE.search(
            re.split(r"[,;]", s.text[match.end() :])[0]
        )  # in what it says is unreported
    ]
    if not candidates:
        return composed
    own = embed(question)

    asking = set(analyze(question)) | set(analyze(asked.query))
    # A count the answer gives already ("about 450,000 people") is not one it lacks.
    opening = composed.text.partition("\n\n")[0]
    asked_counts = {
        noun
        for m in HOW_MANY_RE.finditer(question)
        if not re.search(
            rf"\d[\d,.]*(?:\s*(?:million|m|k))?\s+(?:\w+\s+){{0,2}}{(noun := m.group(2).lower())}", opening
        )
    }

    def about(s: Sentence) -> float:
        match = UNREPORTED_RE.search(s.text)
        # What is unreported is the first thing named ("how many businesses received audits, whether...").
        rest = s.text[match.end() :] if match else s.text
        told = re.split(r"[,;]", rest)[0]
        # "how many businesses did it help?" and "...do not say how many businesses received audits".
        counted = HOW_MANY_RE.search(told)
        value = ABOUT_ASKED if counted and counted.group(2).lower() in asked_counts else 0.0
        for part in {told, rest}:  # the first thing named, and all it names
            what = WHETHER_RE.sub("", part).strip(" .:,") or s.text
            vector = embed(what)
            # The model reads little into a short phrase ("invalid applications or processing times have
            # fallen"): most of its weight in the question's own words says it too.
            terms = set(analyze(what))
            weight = sum(asked.idf(t) for t in terms) or 1.0
            shared = sum(asked.idf(t) for t in terms & asking) / weight
            closest = max(float(vector @ own), float(vector @ asked.vector))
            value = max(value, closest, ABOUT_ASKED if shared >= SHARED else 0.0)
        return value

    scored = [(about(s), s) for s in candidates]
    value, best = max(scored, key=lambda pair: pair[0])
    if value < ABOUT_ASKED:
        return composed
    if best.text in composed.text or render(best) in composed.text:
        return composed
    told = passage(best, list(pool))  # "They do not say how many..." comes with what "they" are
    if any(s.text in composed.text for s in told):
        return composed
    book = CitationBook.continuing(composed.citations)
    text = joined(told)
    if text.startswith("They ") and "sources" in best.previous.lower():
        # "They do not say how many businesses..." after "The sources read describe the approval": the sources.
        text = f"The sources {text[len('They ') :]}"
    added = f"{text} {cite(book, told[0])}"
    if yes_or_no(question) and not VERDICT_OPENING_RE.match(composed.text) and not gives_result(opening):
        # "Did the jobs they promised materialise?": that the sources do not say is the answer, then what they do.
        # An opening with a result of its own ("over two thirds had stayed with the council") still leads.
        return before_opening(composed, added, book)
    return after_opening(composed, added, book)
