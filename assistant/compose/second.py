"""A question that asks two things ("How did Camden write its charter, and is the panel still running?"):
the answer to the second joins the answer to the first when the first's answer does not already give it."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.citations import CitationBook, in_reading_order
from assistant.compose.choose import SAME_POINT, SUPPORT_WORDS, restates
from assistant.compose.named_case import case_answer, without_council
from assistant.compose.pool import LESSONS_SECTION, LEXICAL_WEIGHT, Asked, Composition, Sentence
from assistant.compose.shapes import HOW_MANY_RE, counts_what_is_asked, passage
from assistant.compose.wording import cite, joined, leadable, of_another_council, render, stands
from assistant.intent import CUES
from assistant.retrieval import Hit
from assistant.sentence_rules import (
    CARRIES_LIST_RE,
    DURATION_ASKED_RE,
    DURATION_RE,
    FIGURE_RE,
    MONEY_ASKED_RE,
    council_short_name,
    evidence_caveat,
    gives_figure,
    points_only_by_the,
    scene_setting,
)
from assistant.text import analyze

ASKS = r"(?:is|are|was|were|did|does|do|has|have|had|can|could|should|will|would|must|may|what|how|why|when|who|which)"
# "..., and is the panel still running?", "...? Did they pay?", "...? We're told to share IT, so what should we
# test?", "..., and if we keep a person in the loop, what
# counts as review?": a second question after the first.
SECOND_RE = re.compile(
    rf"^(?P<first>.+?)(?:\?\s+(?P<context>[^?]{{0,200}}?,?\s+so\s+)?|,\s*and\s+(?:if\s+[^,?]{{3,60}},\s*)?|\s+and\s+(?=(?:what|how|why|which|who|when|where)\b|(?:did|does|has|have|was|were|can|could|will|would)\s+\w+[^?]*\?\s*$|{ASKS}\s+(?:it|they|the|we|there|that|this|he|she|many|much|long|often|did|do|does|is|are|was)\b))"
    rf"(?P<second>{ASKS}\b[^?]*\??)\s*$",
    re.I,
)
# "..., how long were they in, and what did the ICO find?": the last question after the last "and".
LAST_AND_RE = re.compile(rf"^(?P<first>.+),\s*and\s+(?P<second>{ASKS}\b[^?,]*\??)\s*$", re.I)
FIRST_ASKS_RE = re.compile(rf"^\W*{ASKS}\b", re.I)  # the first part is itself a question
MIN_WORDS = 3
POINTS_BACK_RE = re.compile(r"\b(?:[Ii]ts?)\b")  # "was it worth it?", not "IT"; "they" is often people
# The second question is answered only by a passage at least this close to it (likeness plus the share of
# its rare words), so that an answer is not stretched with a near miss.
SECOND_MATCH = 0.7
NAMED_BONUS = 0.1
FIGURE_BONUS = 0.1  # and as much for a list, asked "which...?"
WHICH_RE = re.compile(r"^\W*(which|who)\b", re.I)
# Read alone, without the council's name, against the named case's own sentences, the second part is answered
# by its closest passage at this lower likeness: every sentence there is about the council asked of.
CASE_SECOND_MATCH = 0.4
# "...so what should we test?", "and how do we avoid the same?": a second part asking what to do, which a named
# case answers with its lessons; the closest answers at this (lower) likeness, being the section written for it.
ASKS_WHAT_TO_DO_RE = re.compile(
    r"\b(what|how) (should|can|could|do|would|might) (we|i|a council|councils|others)\b", re.I
)
LESSON_MATCH = 0.4


def point_of(line: str) -> str:
    """A list item's words, without its marker and citations."""
    return re.sub(r"\s*\[\d+\]", "", re.sub(r"^(?:-|\d+\.)\s+", "", line.strip())).strip()


def parts(question: str) -> tuple[str, str] | None:
    """The first and second of two questions asked in one, if there are two. Of three ("...right? how long
    were they in, and what did the ICO find?"), the last is the second and the others the first."""
    for pattern in (LAST_AND_RE, SECOND_RE):
        match = pattern.match(question.strip())
        if match is None:
            continue
        first, second = match["first"].strip(), match["second"].strip()
        # "We're told to share IT with a neighbour, so what should we test?": the second asks in its context.
        context = match.groupdict().get("context")
        second = f"{context}{second}" if context else second
        if len(first.split()) < MIN_WORDS or len(second.split()) < MIN_WORDS:
            continue
        # "Somerset went unitary in 2023 - did the savings come through, and...": the first part's last clause
        # asks.
        if first_asks(first):
            return first, second
    return None


def asking_clause(first: str) -> str:
    """The clause of a question's first part that asks, without the context before it: "does a subject access
    search still have to cover every system" of "DPO here. With the new Act in force, does a subject..."."""
    last = re.split(r"[.!?:;]\s+|\s+[-–]\s+", first)[-1]
    clauses = re.split(r",\s+", last)
    start = next((i for i, clause in enumerate(clauses) if FIRST_ASKS_RE.search(clause)), 0)
    return ", ".join(clauses[start:])


def first_asks(first: str) -> bool:
    """Whether the part before a second question asks too: its last clause ("Somerset went unitary in 2023 -
    did the savings come through"), or a clause of it after its context ("During the attack, which services
    ...")."""
    last_clause = re.split(r"[.!?:;]\s+|\s+[-–]\s+", first)[-1]
    return any(FIRST_ASKS_RE.search(clause) for clause in [last_clause, *re.split(r",\s+", last_clause)[1:]])


# "Which councils took part, how much did each get, and...": a question after a comma, in a list of them.
COMMA_ASK_RE = re.compile(
    r"^(?P<first>.+?),\s+(?P<second>(?:what|how|which|who|when|where|why)\b[^,?]*\??)\s*$", re.I
)


def comma_parts(question: str) -> tuple[str, str] | None:
    """The questions before and after the last comma of a list of questions, if both ask."""
    match = COMMA_ASK_RE.match(question.strip())
    if match is None:
        return None
    first, second = match["first"].strip(), match["second"].strip()
    if len(first.split()) < MIN_WORDS or len(second.split()) < MIN_WORDS or not first_asks(first):
        return None
    return first, second


def all_asks(question: str) -> list[str]:
    """Every question asked in one, in order: "who's in it, how did it get going and what have they looked
    at?" asks three."""
    found = parts(question) or comma_parts(question)
    if found is None:
        return [question]
    first, second = found
    return [*all_asks(first), second]


def second_question(question: str) -> str | None:
    """The second of two questions asked in one, if there is one."""
    found = parts(question)
    return found[1] if found else None


def first_part(question: str) -> str:
    """Of two questions in one, the first ("What did Wigan change" of "..., and did it save money?"); the whole
    question when it asks one thing."""
    found = parts(question)
    return found[0] if found else question


@dataclass(frozen=True)
class Material:
    """What a later ask is answered from: the answer's sentences, the question read, the named cases, the
    embedder and the finder of a guide's common question that clearly answers a question."""

    pool: Sequence[Sentence]
    asked: Asked
    cases: Sequence[str]
    embed: Callable[[str], np.ndarray]
    common: Callable[[Asked], Hit | None] | None = None


def with_second_answer(
    composed: Composition,
    question: str,
    pool: Sequence[Sentence],
    asked: Asked,
    cases: Sequence[str],
    embed: Callable[[str], np.ndarray],
    common: Callable[[Asked], Hit | None] | None = None,
) -> Composition:
    """The answer with a paragraph for each later part of the question that it leaves unanswered and the
    almanac has a passage for (see `with_answer_to`).

    Args:
        common: finds the guide's common question that clearly answers a question, adding its sentences to
            the pool.
    """
    material = Material(pool, asked, cases, embed, common)
    for later in all_asks(question)[1:]:
        composed = with_answer_to(later, composed, material)
    return composed


def figure_given(ask: str, opening: str) -> bool:
    """Whether an ask for a span of time or a count is answered by the opening already: it gives such a span,
    or a count of the very things asked about ("...1,500 public-sector sites" for "and how many sites?")."""
    if DURATION_ASKED_RE.search(ask):
        return bool(DURATION_RE.search(opening))
    return bool(HOW_MANY_RE.search(ask)) and counts_what_is_asked(opening, ask)


def with_answer_to(second: str, composed: Composition, material: Material) -> Composition:
    """The answer with a paragraph answering a later part of the question, when the answer leaves it
    unanswered and the almanac has a passage for it: the named case's paragraph for that form, a guide's
    answer to that very question, or the closest passage."""
    pool, asked, cases, embed, common = (
        material.pool,
        material.asked,
        material.cases,
        material.embed,
        material.common,
    )
    if not second or not composed.text:
        return composed
    if figure_given(second, composed.text.partition("\n\n")[0]):
        return composed  # "...and how long did the rebuild take?" after an opening that says "over about 18 months"
    names = sorted(
        {
            council_short_name(str(s.hit.chunk.metadata.get("council") or ""))
            for s in pool
            if s.doc_id in cases
        }
    )
    text = f"{second} ({', '.join(n for n in names if n)})" if names else second
    vector = embed(text)
    # Among one case's sentences, the council's name picks out only those that repeat it ("South Hams District
    # Council and West Devon Borough Council are neighbouring..."): what the second part asks is read alone.
    alone = embed(without_council(second, names)) if names else vector
    said = composed.text
    book = CitationBook.continuing(composed.citations)
    added = ""
    if cases:  # numbered in a copy of the book, kept only if the paragraph is used
        trial = CitationBook.continuing(composed.citations)
        added = case_paragraph(second, text, vector, pool, asked, cases, embed, trial, said)
        book = trial if added else book
    if not added and common is not None and not cases:
        hit = common(Asked(text, vector, asked.idf, asked.kind, second, asked.said))
        answer = sorted(
            (s for s in pool if hit is not None and s.hit.chunk.id == hit.chunk.id), key=lambda s: s.position
        )
        if answer and not any(s.text in said for s in answer):
            added = f"{' '.join(s.text for s in answer)} {cite(book, answer[0])}"
    if not added and cases and ASKS_WHAT_TO_DO_RE.search(second):
        # "...so what should we test before anything goes public?" of a named case: the lesson it teaches.
        lessons = [s for s in pool if s.section == LESSONS_SECTION and s.doc_id in cases]
        lesson = passage_for(second, vector, lessons, asked, cases, said, floor=LESSON_MATCH)
        if lesson:
            added = f"{joined(lesson)} {cite(book, lesson[0])}"
    if not added:
        # "...and was it worth it?": "it" is what the first answer is about, so its documents answer, and so
        # does the case the question names ("What is LocalGov Drupal, and how much could we save on it?").
        cited = {c.doc_id for c in composed.citations} | set(cases)
        about = [s for s in pool if s.doc_id in cited] if POINTS_BACK_RE.search(second) else list(pool)
        if cases and names:
            found = passage_for(second, alone, about, asked, cases, said, floor=CASE_SECOND_MATCH)
        else:
            found = passage_for(second, vector, about, asked, cases, said)
        if not found:
            return composed
        paragraph = joined(found)
        added = f"{paragraph} {cite(book, found[0])}"
    return after_opening(composed, added, book)


LIST_LINE_RE = re.compile(r"^\s*(?:-|\d+\.)\s", re.M)  # a paragraph holding a list of points or steps


def before_opening(composed: Composition, added: str, book: CitationBook) -> Composition:
    """The answer with a paragraph before all it says, sources renumbered in reading order."""
    composed.text, composed.citations = in_reading_order(f"{added}\n\n{composed.text}", book.citations)
    return composed


def after_opening(composed: Composition, added: str, book: CitationBook) -> Composition:
    """The answer with a paragraph after its opening one, sources renumbered in reading order; a point the new
    paragraph already makes goes."""
    paragraphs = composed.text.split("\n\n")
    # After the opening and any paragraphs already added for earlier asks, before the points.
    at = next((i for i, p in enumerate(paragraphs) if i and LIST_LINE_RE.search(p)), len(paragraphs))
    first, rest = "\n\n".join(paragraphs[:at]), "\n\n".join(paragraphs[at:])
    # What the opening says already is not said again ("Cost estimates rose..." twice, word for word).
    opened = point_of(first)
    opened_terms = set(analyze(opened))
    kept = [
        part
        for part in re.split(r"(?<=[.!?])\s+(?=[A-Z*])", added)
        if point_of(part) not in opened and not said_in(point_of(part), opened_terms)
    ]
    # What is left must say something: "Barnsley has since committed to the tool." alone answers nothing.
    if sum(len(point_of(part).split()) for part in kept) < SUPPORT_WORDS:
        return composed
    added = " ".join(kept)
    points = [line for line in rest.split("\n") if not (point_of(line) and point_of(line) in added)]
    text = "\n\n".join(part for part in (first, added, "\n".join(points).strip("\n")) if part)
    composed.text, composed.citations = in_reading_order(text, book.citations)
    return composed


# A sentence whose words the opening has used this fully says again what it said, though the council is
# named in one and "the council" in the other.
SAID_WORDS = 0.8


def said_in(sentence: str, opened: set[str]) -> bool:
    terms = set(analyze(sentence))
    return bool(terms) and len(terms & opened) / len(terms) >= SAID_WORDS


def tells_the_case(s: Sentence) -> bool:
    """A case's sentence that says something of the council, wherever in the case it sits: not its summary,
    sources or a note on the evidence, and not pointing at what it cannot bring."""
    return (
        s.doc_type == "case-study"
        and s.section not in ("Summary", "Sources")
        and not evidence_caveat(s.text)
        # Its scene ("Essex County Council is a county council in the East of England") answers nothing, though
        # a list in it may ("The eight councils were: ...").
        and (not scene_setting(s.text, s.section) or bool(CARRIES_LIST_RE.search(s.text)))
        # "The programme's summaries report..." in the case asked about is that case's programme
        and (stands(s) or points_only_by_the(s.text) is not None)
    )


def case_paragraph(
    second: str,
    text: str,
    vector: np.ndarray,
    pool: Sequence[Sentence],
    asked: Asked,
    cases: Sequence[str],
    embed: Callable[[str], np.ndarray],
    book: CitationBook,
    said: str,
) -> str:
    """The named case's paragraph for a second part in a form the case answers ("...and did it work?")."""
    alone = Asked(text, vector, asked.idf, "other", second, asked.said)
    answered = case_answer(list(pool), book, cases, alone, embed)
    if answered is None:
        return ""
    paragraph = answered.text.partition("\n\n")[0]
    return "" if point_of(paragraph) in said else paragraph


def passage_for(
    second: str,
    vector: np.ndarray,
    pool: Sequence[Sentence],
    asked: Asked,
    cases: Sequence[str],
    said: str,
    floor: float = SECOND_MATCH,
) -> list[Sentence]:
    """The passage that best answers the second part, if one is close enough and says something new."""
    terms = set(analyze(second))
    total = sum(asked.idf(t) for t in terms) or 1.0

    # "how many champions?" is answered with the number, "what did it end up costing?" with the sum
    counts = bool(CUES["figures"].search(second) or MONEY_ASKED_RE.search(second))
    names = bool(WHICH_RE.match(second))  # "which councils took part?" is answered with their list

    def value(s: Sentence) -> float:
        lexical = sum(asked.idf(t) for t in terms & s.terms) / total
        return (
            float(s.vector @ vector)
            + LEXICAL_WEIGHT * lexical
            + (NAMED_BONUS if s.doc_id in cases else 0.0)
            + (FIGURE_BONUS if counts and FIGURE_RE.search(s.text) and gives_figure(s.text, second) else 0.0)
            + (FIGURE_BONUS if names and CARRIES_LIST_RE.search(s.text) else 0.0)
        )

    told = [s for s in pool if s.text in said or render(s) in said]  # the answer's own sentences
    given = [s.vector for s in told]
    sentences = list(pool)
    answering = [
        s
        for s in pool
        # Of the case asked about, any part may answer ("Which councils took part?" is told in its context).
        if (leadable(s, "other") or (bool(cases) and tells_the_case(s)))
        # "The switch had a cost." says too little alone, but opens the passage that gives the sum
        and (len(s.text.split()) >= SUPPORT_WORDS or (bool(cases) and len(passage(s, sentences)) > 1))
        and (not cases or s.doc_id in cases)  # about a named council: from its case
        # ...and about that council, not one its case tells of for comparison ("Norfolk's CIO, for example...")
        and not (cases and of_another_council(s, asked.question))
        # "did they get any money back?" asks what happened to them, not what others should do
        and not (cases and s.section == LESSONS_SECTION and not ASKS_WHAT_TO_DO_RE.search(second))
    ]
    if not answering:
        return []
    # What answers it best may be in the answer already ("about £5m of gainshare", "just over £7m" in the summary).
    closest = max([*answering, *(s for s in pool if s.text in said)], key=value)
    if closest.text in said or render(closest) in said:
        return []
    fresh = [
        s
        for s in answering
        if s.text not in said
        and render(s) not in said
        and max((float(s.vector @ v) for v in given), default=0.0) < SAME_POINT  # not what was said again
    ]
    if not fresh:
        return []
    best = max(fresh, key=value)
    if value(best) < floor:
        return []
    if any(restates(best, [s]) for s in told):
        return []  # a sentence given says it already in other words ("giving each £750,000 over six months...")
    return [s for s in passage(best, sentences) if s.text not in said]
