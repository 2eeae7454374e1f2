"""A question about one council's case that asks what a regulator found or whether it worked.

Such a question restates what the case is known for ("did Somerset save money by merging?"), so the
sentences most like it are the case's headline, which the asker already knows. The answer is in the detail
(what the ICO found, what the savings came to), and it reads best as the paragraph that says it, not as
sentences lifted from across the case.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from dataclasses import replace as dc_replace

import numpy as np

from assistant.citations import CitationBook
from assistant.compose.choose import MAX_POINTS, SUPPORT_WORDS, distinct, rare_terms, supporting
from assistant.compose.pool import (
    FOUND_RE,
    FOUND_SECTIONS,
    LESSONS_RE,
    LESSONS_SECTION,
    LEXICAL_WEIGHT,
    RISKS_RE,
    Asked,
    Composition,
    Sentence,
    asks_what_came_of_it,
    hoped_for,
)
from assistant.compose.shapes import paragraph_at
from assistant.compose.wording import (
    cite,
    joined,
    line,
    member_names,
    of_another_council,
    stands,
    states,
)
from assistant.rerank import GENERIC_NAME_WORDS, case_names, initials
from assistant.sentence_rules import (
    MONEY_ASKED_RE,
    MONEY_RE,
    NO_FIGURE_RE,
    RUN_IN_LABEL_RE,
    UNREPORTED_RE,
    about_councils_at_large,
    council_short_name,
    evidence_caveat,
    gives_figure,
)
from assistant.statements import as_statement
from assistant.text import analyze

LESSONS = (LESSONS_SECTION,)
WHAT_IS_RE = re.compile(
    r"^\W*(?:so\s+)?what(?:'s|’s| is| was| are| were)\b(?!\s+(?:the\s+)?(?:cost|price|point|difference|lesson|risk|outcome|result|problem|reason|status)\b)",
    re.I,
)
STILL_RE = re.compile(
    r"\b(is|are|does|do|has|have)\b.{0,60}?\bstill\b|\bwhat happened (next|after|since|to)\b|\bwhat became of\b",
    re.I,
)
ACTION_SECTIONS = ("Summary", "What they did")
ACTION_RE = re.compile(
    r"\bwhat (did|have|has|does|do) (?!it\b)(?:[\w'’]+\s){1,4}?(do|done)\b(?!\s+(?:well|badly|wrong))"
    r"|\bwhat (steps|action|actions) did\b",
    re.I,
)
# What a paragraph says of how things stand now: it "did not continue", was "replaced", "ended", people "stayed".
STATUS_WORDS = r"(contin|ended|replac|stopp|no longer|still|as of|stay|stayed|remain|went on)"
# The forms this shape answers, each with the case sections that hold the answer. A case's summary tells
# how and why in a line, which is what "how did..." and "why did..." want first; a regulator's findings,
# whether it worked and the risks are in the detail.
FORMS = (
    (FOUND_RE, FOUND_SECTIONS),  # what a council found when it looked: its challenge, or what happened
    # "What did Tendring do with its old tablets?", "what did they decide to do about them?": the action, not
    # the problem, and not what a regulator decided.
    (ACTION_RE, ACTION_SECTIONS),
    # "What is Barking and Dagenham's One View?": what the case says it is and did, its summary first.
    (WHAT_IS_RE, ACTION_SECTIONS),
    (
        re.compile(
            r"\bwhat did (the |it |they )?\w+ (say|find|decide|conclude|rule|criticise|criticize|fault|flag"
            r"|pick (them|it|\w+) up on|reprimand)\b",
            re.I,
        ),
        ("What happened",),
    ),
    (
        re.compile(
            r"^(?!.*\bhow (did|do|does|was|were|can|could|should|would)\b).*\b(did|does|has|have)\b.{0,50}?\b(?P<verb>work(ed)?(?=\s*(\?|$|out\b|well\b))|"
            r"saved?|savings?|succeed(ed)?|pa(y|id) off|deliver(ed)?|achieved?|materiali[sz]ed?|c[oa]me through"
            r"|(?:hit|meet|reach|miss)(?=\s+(?:\S+\s+){0,3}?(?:target|goal|milestone|aim|pledge)))\b",
            re.I,
        ),
        ("What happened",),
    ),
    # "Is Camden still running its panel?", "what became of it?": what happened after.
    (STILL_RE, ("What happened",)),
    # "What should we check before we commit?", "what can we learn from them?": the case's lessons.
    (
        re.compile(
            rf"{LESSONS_RE.pattern}"
            r"|\bwhat should (we|i|a council) (check|consider|know|watch|look out|ask|avoid)\b"
            r"|\bbefore (we|i) (commit|sign|join|start|decide|go ahead)\b",
            re.I,
        ),
        LESSONS,
    ),
    # "What are the risks of doing what Sunderland did?": what it learnt.
    (RISKS_RE, LESSONS),
)
VERB_STEM = 4  # "save" and "saved" share it; without its last "e", "savings" too
# Asked whether it worked or what it achieved, a paragraph says so with a result: outages "fell", a time "cut".
RESULT_VERBS = frozenset({"work", "achi", "deli", "succ", "hit", "meet", "reac", "miss"})
RESULT_WORDS = (
    r"(result|fell|fallen|rose|risen|cut|reduc|improv|complet|achiev|deliver|succe|work|met\b|reached|missed)"
)
VERDICT_BONUS = 0.2
SAVED = "sav"  # the stem of "did it save?", "savings"
LATEST_BONUS = 0.3  # the paragraph that speaks of what was asked with the latest year in the case
YEAR_RE = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
NO_SUM_PENALTY = 0.2
LEAD_WORDS = 110  # an opening paragraph is quoted whole up to this many words
CASE_POINTS = 3


def paragraph(s: Sentence) -> tuple[str, int]:
    """The paragraph a sentence belongs to, as (chunk id, paragraph number)."""
    return s.hit.chunk.id, paragraph_at(s)


@dataclass(frozen=True)
class Remainder:
    """What a question about a case asks once the council's name is set aside: its vector and words."""

    vector: np.ndarray
    terms: frozenset[str]


def remainder(own: Sequence[Sentence], asked: Asked, embed: Callable[[str], np.ndarray]) -> Remainder:
    """The question without the council's name. Every sentence of the case is about that council, and one
    that repeats its name ("run by Aylesbury Vale's head of IT") answers nothing for it."""
    # ...and without the case's own name ("Essex Centre for Data Analytics", "One View").
    question = without_council(asked.query, case_name_words(own))
    return Remainder(embed(question), frozenset(analyze(question)))


def case_name_words(own: Sequence[Sentence]) -> set[str]:
    """The councils and title subjects of the cases the sentences come from."""
    return {str(s.hit.chunk.metadata.get("council") or "") for s in own} | {
        str(s.hit.chunk.metadata.get("title") or "").split(":")[0] for s in own
    }


def without_council(text: str, councils: Iterable[str]) -> str:
    """Text without the distinctive words of councils' names ("Nottinghamshire", not "County Council") or their
    initials ("LOTI"). A body's members in brackets ("London Office of Technology and Innovation (London
    boroughs, GLA...)") are not its name: "what does LOTI do for London boroughs?" still asks about boroughs."""
    named = [council.split(" (")[0] for council in councils]
    names = {word.lower() for council in named for word in re.findall(r"[\w'’&-]+", council)}
    names = {n for n in names if n not in {w.lower() for w in GENERIC_NAME_WORDS}}
    names |= {short.lower() for council in named if len(short := initials(council)) >= 3}
    if not names:
        return text
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    text = re.sub(rf"\b(?:{alternatives})(?:'s|’s)?\b", " ", text, flags=re.I)
    return re.sub(r"\s+", " ", text).strip()


def rescore(own: Sequence[Sentence], asked: Asked, rest: Remainder) -> None:
    """Each sentence's score for what the question asks of the case (see `remainder`)."""
    total = sum(asked.idf(t) for t in rest.terms) or 1.0
    for s in own:
        s.similarity = float(s.vector @ rest.vector)
        s.score = s.similarity + LEXICAL_WEIGHT * sum(asked.idf(t) for t in rest.terms & s.terms) / total


def paragraph_value(group: Sequence[Sentence], asked: Asked, rest: Remainder) -> float:
    """A paragraph's fit: its likeness to the question read as one passage (its mean sentence vector) and
    through its closest sentence, and the share of the question's rare words it holds."""
    mean = np.mean([s.vector for s in group], axis=0)
    passage = float(mean @ rest.vector) / (float(np.linalg.norm(mean)) or 1.0)
    closest = max(s.similarity for s in group)
    total = sum(asked.idf(t) for t in rest.terms) or 1.0
    held = set().union(*(s.terms for s in group))
    # "What did Derby actually save?": not the paragraph of what it hoped to, unless that paragraph says
    # whether it came about ("The sources do not report whether the jobs forecast has been met").
    actual = asks_what_came_of_it(asked.question) and not any(evidence_caveat(s.text) for s in group)
    hoped = max(hoped_for(s.text, actual) for s in group)
    if MONEY_ASKED_RE.search(asked.question) and not any(
        gives_figure(s.text, asked.question) or NO_FIGURE_RE.search(s.text) for s in group
    ):
        hoped += (
            NO_SUM_PENALTY  # "what did the evaluation say it saved?" is answered by the paragraph of sums
        )
    return (
        (passage + closest) / 2
        + LEXICAL_WEIGHT * sum(asked.idf(t) for t in rest.terms & held) / total
        - hoped
    )


SUBJECT_WORDS = 6  # a council named this early in a sentence is what it is about


def of_council_elsewhere(s: Sentence, councils: Callable[[str], list[str]], own: set[str]) -> bool:
    """A case's sentence whose subject is a council the almanac knows that is not among the case's own
    (`own`: the councils its council field and title name)."""
    if not own:
        return False  # a body of many councils ("London boroughs"): any borough may be its own
    named = councils(s.text)
    if not named or own & set(named):
        return False
    opening = " ".join(s.text.split()[:SUBJECT_WORDS])
    return any(re.search(rf"\b{re.escape(name)}\b", opening) for name in named)


def asks_result(question: str) -> bool:
    """Whether a question about a case asks what it found, whether it worked, how things stand or what it
    taught, rather than what the council did."""
    matched = form_of(question)
    return matched is not None and matched[1] != ACTION_SECTIONS


def form_of(question: str) -> tuple[re.Match[str], tuple[str, ...]] | None:
    """The form a question about a named case takes, as the match and the sections that answer it."""
    return next(((m, found) for form, found in FORMS if (m := form.search(question))), None)


def asks_action(question: str) -> bool:
    """Whether a question about a named case asks what its council did ("What did Tendring do with...?")."""
    matched = form_of(question)
    return matched is not None and matched[1] == ACTION_SECTIONS and matched[0].re is ACTION_RE


def case_answer(
    pool: list[Sentence],
    book: CitationBook,
    cases: Sequence[str],
    asked: Asked,
    embed: Callable[[str], np.ndarray],
    councils: Callable[[str], list[str]] | None = None,
) -> Composition | None:
    """The named case's paragraph that answers the question's form, then a few more of its points.

    None when the question has no such form ("tell me about..."), or the case has nothing quotable.
    `councils` gives the councils the almanac knows that a text names.
    """
    matched = form_of(asked.question)
    if matched is None:
        return None
    match, sections = matched
    # "Did it save money?" is answered by the paragraph that speaks of saving ("£8.8m of the savings").
    verdict = (match.groupdict().get("verb") or "")[:VERB_STEM].lower().rstrip("e")  # "sav": saving, saved
    if match.re is STILL_RE:
        verdict = STATUS_WORDS
    elif verdict in RESULT_VERBS:
        verdict = RESULT_WORDS  # "did it work?", "what did it achieve?": the paragraph that gives a result
    # Asked what it achieved, "The sources set out plans... rather than measured results" is the answer; what
    # they say of something else ("...do not say whether it formed part of the programme") is not.
    results_asked = verdict == RESULT_WORDS
    own = [
        s
        for s in pool
        if s.doc_id in cases
        and s.section != "Sources"
        and (
            not evidence_caveat(s.text)
            or (results_asked and bool(re.search(rf"\b{RESULT_WORDS}", s.text, re.I)))
        )
        and not of_another_council(s, asked.question)
    ]
    if councils is not None:
        # "Aylesbury Vale and Dacorum announced a shared ICT service...", told in Go Shared Services' case for
        # comparison, is not what Go Shared Services did; nor is the rest of a paragraph that turns to another
        # council ("Lincolnshire County Council, for example, sets a baseline... When a project closes...").
        turned: dict[tuple[str, int], int] = {}
        first = {s.doc_id: s for s in reversed(own)}  # one sentence of each case
        named = {
            doc: set(councils(f"{s.council} {s.hit.chunk.metadata.get('title') or ''}"))
            for doc, s in first.items()
        }
        for s in own:
            if of_council_elsewhere(s, councils, named[s.doc_id]):
                turned[paragraph(s)] = min(turned.get(paragraph(s), s.position), s.position)
        own = [s for s in own if not (paragraph(s) in turned and s.position >= turned[paragraph(s)])] or own
    if not own:
        return None
    # The case's summary is read as the statement it makes ("How London boroughs... set up a shared office...,
    # what it did..." is "London boroughs... set up a shared office..."), so it can answer "what does LOTI do?".
    own = [
        dc_replace(s, text=as_statement(s.text)) if s.section == "Summary" and states(s.text) else s
        for s in own
    ]
    # Scored afresh for what is asked of the case; the pool's own scores are put back afterwards, since
    # another shape may still choose from it.
    kept = [(s, s.score, s.similarity) for s in own]
    try:
        return _answered(own, book, cases, asked, embed, sections, verdict)
    finally:
        for s, score, similarity in kept:
            s.score, s.similarity = score, similarity


def _answered(
    own: list[Sentence],
    book: CitationBook,
    cases: Sequence[str],
    asked: Asked,
    embed: Callable[[str], np.ndarray],
    sections: tuple[str, ...],
    verdict: str,
) -> Composition | None:
    rest = remainder(own, asked, embed)
    rescore(own, asked, rest)
    # The form says where the answer is: a "how did..." question is not answered by what came of it.
    groups: dict[tuple[str, int], list[Sentence]] = {}
    for s in [s for s in own if s.section in sections] or own:
        groups.setdefault(paragraph(s), []).append(s)

    # "What does LOTI do for London boroughs?" asks nothing more of the case than what it does: its summary says.
    # Of "What is ECDA, who's in it and what has it worked on?", the first ask decides.
    first_terms = set(analyze(without_council(asked.question, case_name_words(own)))) & rest.terms
    whole = sections == ACTION_SECTIONS and len(first_terms) <= 1

    # "What did Tendring do...?" of a case of two councils: the paragraphs that speak of Tendring.
    members = member_names(own[0].council) if own else []
    asked_members = [m for m in members if m.lower() in asked.question.lower()]
    some = 0 < len(asked_members) < len(members)

    # "Has Derby actually saved money?": of the paragraphs that speak of it, the latest report says how it
    # stands ("In January 2026... 'the £12m (saving) has been delivered'"), not the first figures of 2024.
    latest = max((year for g in groups.values() if (year := year_of(g)) is not None), default=None)

    def value(group: list[Sentence]) -> float:
        # Said of what came of it, not of what the sources do not show ("...or how far those had been achieved").
        # Asked whether it saved, a paragraph says so with a sum, or by saying there is none: "The savings
        # figures are the council's own..." speaks of savings but says nothing of how much.
        said = verdict and any(
            re.search(rf"\b{verdict}", s.text, re.I)
            and not UNREPORTED_RE.search(s.text)
            and (verdict != SAVED or bool(MONEY_RE.search(s.text) or NO_FIGURE_RE.search(s.text)))
            for s in group
        )
        if whole and group[0].section == "Summary" and not some:
            return float("inf")  # the question names the case and asks nothing more of it: its summary says
        return (
            paragraph_value(group, asked, rest)
            + (VERDICT_BONUS if said else 0.0)
            + (LATEST_BONUS if said and latest is not None and year_of(group) == latest else 0.0)
        )

    def of_other_member(group: list[Sentence]) -> bool:
        # "What did Tendring do...?": a paragraph that never names Tendring ("Two councils passed on...") comes
        # after every paragraph that does, however close its words.
        return some and not any(m in s.text for s in group for m in asked_members)

    ranked = sorted(groups.values(), key=lambda g: (of_other_member(g), -value(g)))
    # Asked about a council by name, its answer does not open with the national picture its case gives for
    # comparison ("By 2019 the LGA's map recorded 626 council partnerships...").
    by_name = names_case_itself(own, asked.question)
    for group in ranked:
        best = sorted(group, key=lambda s: s.position)
        opening = opening_of(best, by_name)
        if opening:
            break
    else:
        return None
    item: list[Sentence] = []
    if sections == ACTION_SECTIONS and len(group) == 1 and RUN_IN_LABEL_RE.match(opening[0].text):
        # "What did Hackney do to train its own developers?" is answered by what it decided ("Hackney decided to
        # grow its own talent through apprenticeships."), the section's opening, not by one item of a list
        # ("Training partners: ..."); that item follows. A labelled paragraph of its own is an answer.
        said = section_opening(own, opening[0], by_name)
        if said:
            item, opening = opening, said
            best = sorted(said + item, key=lambda s: s.position)
    lead = opening[0]
    text = joined(opening)
    lines = [f"{text} {cite(book, lead)}"]
    others = [  # on what was asked, not the story
        s
        for s in own
        if s not in opening and s.section in sections and not (by_name and of_councils_at_large(s))
    ]
    if sections == LESSONS:
        # Lessons are a list of different points, each its own item: the closest few, not the one alike.
        items = [g[0] for g in ranked if g is not group and stands(g[0]) and g[0] in others]
        more = distinct(items[:CASE_POINTS], opening)
    else:
        more = supporting(
            others,
            opening,
            min(CASE_POINTS, MAX_POINTS - 1),
            relative=False,
            figures=asked.question if asked.kind == "figures" else "",
            asked_terms=rare_terms(asked, rest.terms),
        )
    more.sort(key=lambda s: (s.section not in sections, s.rank, s.position))
    if sections == ACTION_SECTIONS:
        # At most two points, as for any case's answer: more read as padding.
        more = distinct(did_more(own, opening, best, item, more, whole), opening)[: MAX_POINTS - 1]
    if more:
        lines += ["", *(line(s, book) for s in more)]
    return Composition("\n".join(lines), book.citations, lead=lead.text, shape="named-case")


def did_more(
    own: Sequence[Sentence],
    opening: list[Sentence],
    best: list[Sentence],
    item: list[Sentence],
    more: list[Sentence],
    whole: bool,
) -> list[Sentence]:
    """What else a case says its council did, for "what did Runnymede do...?": the rest of the opening's
    paragraph ("The council highlighted several features: a meetings calendar..."), the item the question
    was closest to, the section's labelled items ("Small grants: It gave small grants to local voluntary and
    community groups..."), then the points already chosen."""
    lead = opening[0]
    opened = {n for s in opening for n in NUMBER_RE.findall(s.text)}

    def usable(s: Sentence) -> bool:
        numbers = set(NUMBER_RE.findall(s.text))
        return (
            s not in opening
            # "Scaled fast: ...it expanded from 300 to 2,000 licences" after a summary that gave both figures
            and not (numbers and numbers <= opened)
            and stands(s)
            and len(s.text.split()) >= SUPPORT_WORDS
            and not s.text.rstrip().endswith(":")
            and not of_councils_at_large(s)
            and not evidence_caveat(s.text)
        )

    rest_of = [s for s in best if s.position > opening[-1].position and s.section == "What they did"]
    section = [s for s in own if s.doc_id == lead.doc_id and s.section == "What they did"]
    # Asked what it did and nothing more, in the case's order; asked what it did about something, the closest.
    section.sort(key=lambda s: s.position if whole else -s.score)
    labelled = [by_name(s) for s in section if RUN_IN_LABEL_RE.match(s.text)]
    chosen: list[Sentence] = []
    for s in [*rest_of, *item, *labelled, *more]:
        if s not in chosen and usable(s):
            chosen.append(s)
    return chosen


NUMBER_RE = re.compile(r"\d[\d,.]*\d|\d")
# "It trained...", "It gave...": the council doing it; not "It was funded by..." or "It is a..." of the item.
ITEM_SUBJECT_RE = re.compile(r"\s*it\s+(?!(?:is|was|has|had|can|could|would|will|may|might)\b)[a-z]+\b", re.I)


def by_name(item: Sentence) -> Sentence:
    """A labelled item of what a council did, with the council named where it says "it": "Digital champions: It
    trained volunteers..." stands as "Digital champions: Leeds trained volunteers..."."""
    label = RUN_IN_LABEL_RE.match(item.text)
    if label is None or not item.council or not ITEM_SUBJECT_RE.match(item.text[label.end() :]):
        return item
    rest = item.text[label.end() :].lstrip()
    named = council_short_name(item.council)
    return dc_replace(item, text=f"{item.text[: label.end()]}{named}{rest[len(rest.split()[0]) :]}")


def section_opening(own: Sequence[Sentence], item: Sentence, by_name: bool) -> list[Sentence]:
    """The opening of the section a labelled list item sits in: its first paragraph that is no item itself."""
    first: dict[int, list[Sentence]] = {}
    for s in own:
        if s.doc_id == item.doc_id and s.section == item.section and not RUN_IN_LABEL_RE.match(s.text):
            first.setdefault(paragraph_at(s), []).append(s)
    for number in sorted(first):
        opening = opening_of(sorted(first[number], key=lambda s: s.position), by_name)
        if opening and not opening[-1].text.rstrip().endswith(":"):
            return opening
    return []


def year_of(group: Sequence[Sentence]) -> int | None:
    """The latest year a paragraph names, if any."""
    return max((int(y) for s in group for y in YEAR_RE.findall(s.text)), default=None)


def names_case_itself(own: Sequence[Sentence], question: str) -> bool:
    """Whether the question itself names the case (not only the conversation before it)."""
    asked = question.lower()
    return any(name.lower() in asked for s in own[:1] for name in case_names(s.hit.chunk.metadata))


def of_councils_at_large(s: Sentence) -> bool:
    """A case's sentence about councils in general: a share or count of councils, not its own."""
    return about_councils_at_large(s.text, s.council) or bool(
        COUNCILS_COUNTED_RE.search(s.text) and council_short_name(s.council).split()[0] not in s.text
    )


# "626 council partnerships", "48 local broadband bodies"; not a year ("2023 council leaders").
COUNCILS_COUNTED_RE = re.compile(r"\b(?!(?:19|20)\d\d\b)\d[\d,]* (?:[\w-]+ )?(?:councils|council [a-z]+s)\b")


# A sentence that goes on with the council as its subject ("It called this the next step... and noted that
# other councils already used the product") is still its story, whatever other councils it mentions.
CONTINUES_RE = re.compile(r"\s*(?:it|they)\s+(?!(?:is|was|are|were|has|have|had)\b)[a-z]+ed\b", re.I)


def opening_of(group: list[Sentence], by_name: bool = False) -> list[Sentence]:
    """The paragraph from its first sentence that stands, within LEAD_WORDS; it always keeps its best
    sentence, starting there when the words run out before it. `by_name`: the question names the case, so
    a sentence about councils at large does not open it."""
    best = max(group, key=lambda s: s.score)

    def opens(s: Sentence) -> bool:
        # It says something ("The story did not end there." does not), of this case.
        return (
            stands(s) and len(s.text.split()) >= SUPPORT_WORDS and not (by_name and of_councils_at_large(s))
        )

    start = next((i for i, s in enumerate(group) if opens(s)), None)
    if start is None:
        return []
    taken: list[Sentence] = []
    used = 0
    for s in group[start:]:
        length = len(s.text.split())
        if taken and (used + length > LEAD_WORDS or s.position != taken[-1].position + 1):
            break
        if taken and about_councils_at_large(s.text, s.council) and not CONTINUES_RE.match(s.text):
            break  # "In August 2024, Audit Wales reviewed all 22 Welsh councils...": not this council's story
        taken.append(s)
        used += length
    if best not in taken and opens(best):
        # The paragraph's opening still comes first when both fit: "In January 2022 Runnymede moved its
        # committee pages onto Modern.gov... The council highlighted several features: ...".
        if taken and len(taken[0].text.split()) + len(best.text.split()) <= LEAD_WORDS:
            return [taken[0], best]
        return [best]
    return taken
