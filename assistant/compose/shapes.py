"""Answer shapes for a guide's common question, a definition, council examples and plain points."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from wordfreq import zipf_frequency

from assistant.citations import CitationBook
from assistant.compose.choose import (
    MAX_POINTS,
    SUPPORT_SIMILARITY,
    SUPPORT_WORDS,
    distinct,
    mmr,
    supporting,
    unused_terms,
)
from assistant.compose.pool import (
    CASE_ACTION_SECTIONS,
    LESSONS_SECTION,
    WHY_RE,
    Asked,
    Composition,
    Sentence,
    asks_advice,
    case_sections_asked,
    summary_answers,
)
from assistant.compose.wording import (
    cite,
    defines_asked_term,
    joined,
    leadable,
    leadable_but_for_pointing,
    line,
    member_names,
    of_another_council,
    stands,
    states,
    without_verdict,
    words,
)
from assistant.glossary_terms import GLOSSARY_ID
from assistant.intent import CUES
from assistant.retrieval import Hit
from assistant.sentence_rules import (
    ASKS_MORE_RE,
    CAUSE_RE,
    DURATION_ASKED_RE,
    DURATION_RE,
    FIGURE_RE,
    MONEY_ASKED_RE,
    MONEY_RE,
    PURPOSE_RE,
    RUN_IN_LABEL_RE,
    about_councils_at_large,
    dangling,
    evidence_caveat,
    gives_figure,
    points_at_asked,
)
from assistant.sentences import (
    last_heading,
    list_items_of,
    paragraphs_of,
    stored_asked_vectors,
    stored_heading_vector,
    unit_kinds_of,
)
from assistant.text import analyze, question_sentences, rare_as_a_word

# A guide's common question answers the user's question when the two are this alike: scored by the
# question's likeness to the common question's heading and to its whole answer, plus the share of the
# question's rare words in the heading, less a penalty when one asks yes-or-no and the other does not ("how do
# we recover" is not "do we have to report"). It leads only when it also beats every common question that asks
# something else by COMMON_QUESTION_MARGIN: two near answers mean the question falls between them. Set on
# evals/calibration/common_question_pairs*.jsonl (questions written for the purpose, each with the common
# question that answers it or none) with `python -m evals.calibrate_common`, where one wrong lead costs two
# right ones.
HEADING_WEIGHT = 0.6
ANSWER_WEIGHT = 0.4
HEADING_WORDS_WEIGHT = 0.1
FORM_PENALTY = 0.1
MISSING_NAME_PENALTY = 0.1
COMMON_QUESTION_MATCH = 0.54
COMMON_QUESTION_MARGIN = 0.06
# This close, a common question leads whatever its rivals score: several guides answer "we are a small
# district, where do we start?", each for its own outcome, and the closest is the one asked about.
COMMON_QUESTION_SURE = 0.76
# Below the match, a common question leads when it is STANDS_CLEAR above the mean of the next FIELD and
# CLEAR_MARGIN above the best that asks something else: a question told with its situation first is less like
# every common question, yet the one that answers it stands clear. On the three calibration batches (313
# questions, the third written as officers type), with the ranking below and the match at 0.54 and margin
# at 0.06, the rule leads 138 right and 20 wrong, against 109 and 13 by score (at 0.57) and margin (0.08)
# alone.
FIELD = 10
STANDS_CLEAR = 0.18
CLEAR_MARGIN = 0.08
# Common questions are ranked with the question's words in their answers at this weight (see
# ranked_common_questions): on the calibration batches the right one ranks first for 190 of 205 questions
# that have one, against 170 by meaning and heading words alone.
LEXICAL_WEIGHT = 0.15
# Two guides may ask the same common question ("How much does a cyber attack cost a council?"): headings this
# alike are one question, not rivals.
SAME_HEADING = 0.9
# A common question displaces council examples only when its heading is this close to the question.
SAME_QUESTION = 0.75
# A guide's own answer says most of what is needed: other points join it only when this close to the question.
ANSWERED_SIMILARITY = 0.38
# ...and at most this many join it: on the dev set a third point added no nugget an answer lacked.
ANSWERED_POINTS = 2
# A later sentence of a guide's answer this much closer to the question than its first is where the answer
# to the question asked begins.
LATER_ANSWERS = 0.1
RESTATES = 0.6  # a point this like what it follows says it again
# The parts of a case that tell its council's own situation: background to it, never a point added to advice.
CASE_BACKGROUND_SECTIONS = ("Summary", "The council and its context", "The challenge")
NAMED_LEAD_GAP = 0.25
FIGURE_GAP = 0.15  # a lead giving the figure asked for comes first this close to the best
REASON_GAP = 0.2  # a named case's sentence giving a reason leads a "why" question this close to the best
# A named case's summary this nearly as close to the question as another document's sentence leads instead.
SUMMARY_GAP = 0.3
# A case's summary this far ahead of every sentence that may lead is the answer to a question naming no council
# ("How are councils using sensors to warn of floods?" and a case on flood sensor networks).
SUMMARY_AHEAD = 0.2
# Asked yes or no whether "we" must, may or should do something, a guide's sentence this close to the best
# leads before a case's account of what happened to another council ("Do we have to tell the ICO?" is not
# answered by Hackney's reprimand).
GUIDE_FOR_US_GAP = 0.15
# The parts of a case that tell what happened to that council, not what any council should do.
CASE_STORY_SECTIONS = (*CASE_BACKGROUND_SECTIONS, "What happened")
STORY_RE = re.compile(r"\bwhat (went wrong|happened)\b", re.I)
ANGLE_POINTS = 2  # points from the section a named case's question asks about
# An opening passage runs on while its sentences stay this close to the question, up to PASSAGE_WORDS.
PASSAGE_SIMILARITY = 0.2
PASSAGE_WORDS = 90
PASSED_OVER = 2  # sentences of a guide's paragraph, far from the question, that its passage may pass over


def common_question_score(hit: Hit, asked: Asked, dim: int) -> float:
    """How well a guide's common question asks what the user asked (see HEADING_WEIGHT)."""
    heading = stored_heading_vector(hit.chunk.metadata, dim)
    if heading is None:
        return 0.0
    text = hit.chunk.embedding_text()
    lowered = text.lower()
    # Each programme, body or standard the question names that the answer never mentions counts against it: it
    # may ask about something else ("the Local Digital Fund"), or name a partner the answer calls by another
    # name ("our ICB" for "the NHS"). On the calibration pairs this makes the same leads as ruling such an
    # answer out (81 right, 8 wrong) while letting a close match through.
    missing = sum(1 for name in names_in(asked.question) if name.lower() not in lowered)
    compared = [part for name in names_in(asked.question) for part in re.split(r"\s+and\s+", name)]
    if asked.kind == "comparison" and any(part.lower() not in lowered for part in compared):
        return 0.0  # "Cyber Essentials or Cyber Essentials Plus?" is not answered by "Cyber Essentials or the CAF"
    similarity = asked_likeness(hit, heading, asked, dim)
    answer = hit.dense if hit.dense is not None else similarity
    # A follow-up read with the question before it shares its own words with the heading that answers it, not
    # the earlier question's ("is there any government money to help with that?").
    terms = terms_of(asked.question if asked.earlier else asked.query)
    total = sum(asked.idf(t) for t in terms) or 1.0
    title = last_heading(hit.chunk.metadata)
    share = sum(asked.idf(t) for t in terms & terms_of(title)) / total
    form = FORM_PENALTY if yes_or_no(asked.question) != yes_or_no(title) else 0.0
    if WHO_RE.match(asked.question.strip()) and not WHO_RE.search(title):
        form = FORM_PENALTY  # "who should own...?" asks for a person, not for what a thing contains
    if FOR_BUSINESSES_RE.search(title) and not BUSINESS_WORDS_RE.search(asked.question):
        form += FORM_PENALTY  # "what risks does the switch-off create for us?" is not asked for local firms
    if FOR_MEMBERS_RE.search(title) and not MEMBER_WORDS_RE.search(asked.query):
        form += FORM_PENALTY  # "what about for district councils?" is not asked for councillors
    return (
        HEADING_WEIGHT * similarity
        + ANSWER_WEIGHT * answer
        + HEADING_WORDS_WEIGHT * share
        - form
        - (MISSING_NAME_PENALTY * missing)
    )


def asks_the_same(hit: Hit, asked: Asked, dim: int) -> bool:
    """True when a common question's heading is close enough to the question to displace a guide's list.

    A guide's "Where to start" is written for every "how do we..." question on its outcome; a common question
    is narrower ("What should councillors ask about cyber risk?"), so it leads only when it asks the same.
    """
    # The heading itself: the other ways a question is asked share its subject, not always its form ("has any
    # council given old laptops away?" under "how do we run a device reuse scheme?").
    heading = stored_heading_vector(hit.chunk.metadata, dim)
    return heading is not None and float(heading @ asked.vector) >= SAME_QUESTION


def asked_likeness(hit: Hit, heading: np.ndarray, asked: Asked, dim: int) -> float:
    """How alike the question is to a common question's heading or to any other way the guide says it is
    asked ("Can a cllr vote from home?" for "Can councillors ... vote at formal meetings remotely?")."""
    others = stored_asked_vectors(hit.chunk.metadata, dim)
    return max([float(heading @ asked.vector), *(float(v) for v in others @ asked.vector)])


# A name: two or more capitalised words ("Local Digital Fund", "Audit Wales") or an acronym ("NCSC").
NAME_RE = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:of\s+|and\s+|for\s+)?[A-Z][\w'’-]*)+|\b[A-Z]{3,}s?\b")


# Abbreviations for job titles, units and kinds of system name no programme, body or standard: "1.5 FTE" or
# "our CIO" says nothing about which common question answers.
ROLES_AND_UNITS = frozenset(
    {
        "FTE",
        "CEO",
        "CIO",
        "CDO",
        "CDIO",
        "CTO",
        "CISO",
        "DPO",
        "ICT",
        "PDF",
        "KPI",
        "SME",
        "FAQ",
        "API",
        "URL",
        "CRM",
        "ERP",
        "VPN",
        "CCTV",
        "HR",
        "IT",
    }
)


@lru_cache(maxsize=4096)
def terms_of(text: str) -> frozenset[str]:
    """A text's index terms; the same common questions are scored for every question asked."""
    return frozenset(analyze(text))


@lru_cache(maxsize=256)
def names_in(question: str) -> tuple[str, ...]:
    """The names a question uses, leaving out its capitalised first word ("Is", "How")."""
    names = []
    for match in NAME_RE.finditer(question):
        name = match.group(0)
        if match.start() == len(question) - len(question.lstrip()):
            name = name.split(maxsplit=1)[1] if " " in name else ""  # the opening word is capitalised anyway
        name = name.strip().removesuffix("'s").removesuffix("’s")
        if " " in name or (name.isupper() and name.removesuffix("s") not in ROLES_AND_UNITS):
            names.append(name)
    return tuple(n for n in names if n)


def yes_or_no(question: str) -> bool:
    """Whether a question asks only yes or no: "Should we have an AI policy, and what should it say?" asks more.
    The question may follow some context ("Our SAR backlog is awful. do we still have to search...?")."""
    asking = question_sentences(question)[-1]
    return any(
        CUES["yes-no"].match(part) or CLIPPED_YES_NO_RE.match(part) for part in (question.strip(), asking)
    ) and not AND_WH_RE.search(question)


# A yes-or-no asked without its verb, as people type: "worth signing?", "still worth it?", "any good?",
# "anyone still using it?", "legal to record it?".
CLIPPED_YES_NO_RE = re.compile(
    r"^(?:(?:is )?it |it's |still )?(?:worth\b|any (?:good|use)\s*(?:\?|$)|a good idea\b|sensible\b|legal\b"
    r"|allowed\b|mandatory\b|compulsory\b|required\b)"
    r"|^(?:any ?one|any ?body) (?:still |else |actually )?(?:use[sd]?|using|bother(?:s|ed)?|tried|done|doing|do|did"
    r"|got|have|has|had)\b",
    re.I,
)


# A common question asked for councillors answers what members should do or ask, not what the council should.
FOR_MEMBERS_RE = re.compile(r"\b(councillors|elected members|members)\b", re.I)
MEMBER_WORDS_RE = re.compile(
    r"\b(councillors?|cllrs?|members?|elected|cabinet|scrutiny|leader|mayor)\b", re.I
)
# A common question written for local businesses, and the words that ask about them.
FOR_BUSINESSES_RE = re.compile(r"\b(local )?(businesses|firms)\b", re.I)
BUSINESS_WORDS_RE = re.compile(
    r"\b(business(es)?|firms?|compan(y|ies)|smes?|employers?|traders?|shops?|enterprises?|econom(y|ic)|growth hub)\b",
    re.I,
)
WHO_RE = re.compile(r"^(who|whose|which (officer|person|role|team|body))\b|\bwho\b", re.I)
AND_WH_RE = re.compile(r",?\s+and\s+(what|how|which|who|when|where|why)\b", re.I)


def common_question(
    candidates: Sequence[Hit],
    asked: Asked,
    dim: int,
    *,
    names_case: bool = False,
    councils: Sequence[str] = (),
    sure: bool = False,
) -> Hit | None:
    """The guide's common question that asks what the user asked, if any (with `sure`, only one so close that
    it leads whatever its rivals score).

    A question that names a council's case is answered from that case, not from a guide's general answer,
    unless it also asks what to do here ("What did Surrey tell its suppliers, and what should we tell ours?")
    and the guide's answer tells that council's experience: then the answer serves both.

    Args:
        councils: the councils the question names that the almanac knows.
    """
    if names_case and not OURS_RE.search(asked.question):
        return None
    scored = ranked_common_questions(candidates, asked, dim)
    wants_figure = bool(CUES["figures"].search(asked.question))
    if sure:
        return scored[0][1] if scored and scored[0][0] >= COMMON_QUESTION_SURE else None
    best = scored[0][1] if scored and leads(scored, dim, wants_figure=wants_figure) else None
    if best is not None and names_case and not tells_of_named(best, asked.question, councils):
        return None  # a guide's general answer that does not tell the named council's experience
    return best


OURS_RE = re.compile(r"\b(we|our|ours|us)\b", re.I)


def tells_of_named(hit: Hit, question: str, councils: Sequence[str]) -> bool:
    """Whether a question about a named council also asks what to do here, and a common question's answer tells
    that council's experience."""
    return bool(OURS_RE.search(question)) and any(
        re.search(rf"\b{re.escape(c)}\b", hit.chunk.text) for c in councils if c
    )


def leads(scored: Sequence[tuple[float, Hit]], dim: int, *, wants_figure: bool = False) -> bool:
    """Whether the best of the ranked common questions answers the question (see COMMON_QUESTION_MATCH).
    A question asking how many or how much is answered only by a close match or an answer with a figure."""
    score = scored[0][0]
    if score >= COMMON_QUESTION_SURE:
        return True
    margin = lead_margin(scored, dim)
    if score >= COMMON_QUESTION_MATCH and margin >= COMMON_QUESTION_MARGIN:
        return True
    if wants_figure and not FIGURE_RE.search(scored[0][1].chunk.text):
        return False  # advice on fibre rollout stands clear of "How many homes can get full fibre?" unasked
    # A question told with its context ("SAR pile is huge here... do we still have to search every system?")
    # is less like every common question; the one that answers it still stands clear of the field.
    field = sorted((other for other, _ in scored[1:]), reverse=True)[:FIELD]
    return bool(field) and margin >= CLEAR_MARGIN and score - sum(field) / len(field) >= STANDS_CLEAR


def ranked_common_questions(candidates: Sequence[Hit], asked: Asked, dim: int) -> list[tuple[float, Hit]]:
    """The candidates that are common questions, best first, with their scores.

    They are ranked with the question's words in each answer (BM25, as a share of the best) added at
    LEXICAL_WEIGHT; the score that decides whether one leads is meaning and heading words alone.
    """
    scored = [(common_question_score(h, asked, dim), h) for h in candidates if is_common_question(h)]
    most = max((h.bm25 or 0.0 for _, h in scored), default=0.0) or 1.0
    return sorted(scored, key=lambda pair: -(pair[0] + LEXICAL_WEIGHT * (pair[1].bm25 or 0.0) / most))


def lead_margin(scored: Sequence[tuple[float, Hit]], dim: int) -> float:
    """How far the best common question beats the best one that asks something else."""
    best = stored_heading_vector(scored[0][1].chunk.metadata, dim)
    rivals = [
        score
        for score, hit in scored[1:]
        if best is None
        or (heading := stored_heading_vector(hit.chunk.metadata, dim)) is None
        or float(heading @ best) < SAME_HEADING
    ]
    return scored[0][0] - max(rivals, default=0.0)


def from_the_asked(own: list[Sentence], question: str) -> list[Sentence]:
    """A guide's answer to a neighbouring question, from the sentence that answers the one asked: "What did
    the auditors find?" put to "What should a strategy contain?" starts at the auditors' finding, not at what
    a strategy contains. It starts later only where the question's names first appear: an answer's advice
    before its examples answers the question too. A yes-or-no question keeps the whole answer, whose first
    words are its verdict."""
    names = [n.lower() for n in names_in(question) if " " in n]  # a body ("Audit Wales"), not a term ("DPIA")
    if len(own) < 2 or not names or yes_or_no(question):
        return own
    best = max(range(len(own)), key=lambda i: own[i].similarity)

    def naming(s: Sentence) -> bool:
        return any(n in s.text.lower() for n in names)

    if (
        best
        and own[best].similarity - own[0].similarity >= LATER_ANSWERS
        and naming(own[best])
        and not any(naming(s) for s in own[:best])
        and stands(own[best])
    ):
        return own[best:]
    return own


# A guide's answer that opens with a verdict of a few words ("Not without rules.", "Yes.").
SHORT_VERDICT_RE = re.compile(r"^(?:yes|no|not\b[^.:]{0,30})[.:]\s", re.I)


def answer_text(hit: Hit) -> str:
    """A common question's answer as written: after its heading line and any note of other wordings."""
    lines = [
        line
        for line in hit.chunk.text.strip().splitlines()
        if line.strip() and not line.lstrip().startswith(("#", "<!--"))
    ]
    return " ".join(lines).strip()


def is_common_question(hit: Hit) -> bool:
    return hit.chunk.metadata.get("section") == "Common questions"


def from_common_question(
    hit: Hit, pool: list[Sentence], book: CitationBook, asked: Asked | None = None, *, verdict: bool = False
) -> Composition:
    """A guide already answers this question: its answer leads, then what cases add. With `verdict`, the
    question's first ask is a yes or no, and the answer's short verdict ("Not without rules.") opens it."""
    own = sorted((s for s in pool if s.hit.chunk.id == hit.chunk.id), key=lambda s: s.position)
    if asked is not None:
        own = from_the_asked(own, asked.question)
    citation = f"[{book.number_for(hit, own[0].text if own else hit.chunk.text)}]"
    # The answer's sentences are consecutive, so none needs its previous sentence brought along.
    body = " ".join(s.text for s in own) if own else hit.chunk.text.strip()
    said = SHORT_VERDICT_RE.match(answer_text(hit)) if verdict and own else None
    if said and own[0].text not in said.group(0):
        body = f"{said.group(0).strip()} {body}"  # too short to quote alone, it is the answer's first word
    if asked is not None and asked.question and not yes_or_no(asked.question):
        body = without_verdict(body)  # "who do we tell?" is not answered by "yes"
    lines = [f"{body} {citation}"]
    # What other documents add, councils' experience first. Another guide's first steps answer that
    # guide's question, not this one, and a glossary entry only defines what the answer already explains.
    others = [
        s
        for s in pool
        if s.section != "Common questions"
        and s.doc_id != GLOSSARY_ID
        and not (s.section == "Where to start" and s.doc_id != hit.chunk.doc_id)
        # A case's account of its own situation is that council's background, not something to add to advice
        # ("In 2018 the evidence showed building networks was...", after what a district can do on broadband).
        and not (s.doc_type == "case-study" and s.section in CASE_BACKGROUND_SECTIONS)
        and max((float(s.vector @ o.vector) for o in own), default=0.0) < RESTATES  # not the answer again
        and not (asked is not None and defines_asked_term(s.text, asked.question))
    ]
    for s in others:
        s.score += 0.05 if s.doc_type == "case-study" and s.section in CASE_ACTION_SECTIONS else 0.0
    extra = (
        supporting(others, own, ANSWERED_POINTS, relative=False, similarity=ANSWERED_SIMILARITY)
        if others and own
        else []
    )
    if extra:
        lines += ["", *(line(s, book) for s in extra)]
    lead = own[0].text if own else body
    return Composition("\n".join(lines), book.citations, lead=lead, shape="common-question")


def once(points: list[Sentence], before: list[Sentence]) -> list[Sentence]:
    """Each point once, and none already said before it: overlapping chunks hold the same sentence twice."""
    seen = {s.text for s in before}
    kept = []
    for s in points:
        if s.text not in seen:
            seen.add(s.text)
            kept.append(s)
    return kept


def points(
    pool: list[Sentence],
    book: CitationBook,
    kind: str = "other",
    cases: Sequence[str] = (),
    question: str = "",
    unasked: Sequence[str] = (),
    asked_terms: frozenset[str] = frozenset(),
    whole: str = "",
) -> Composition:
    """The sentence that best answers the question, then the points that add to it.

    Args:
        unasked: cases the question's names pick out that are not about what it asks.
        whole: the whole question, when `question` is its first ask.
    """
    if cases:  # a named council's case may mention others ("Staffordshire's scheme also..."): not here
        pool = [s for s in pool if not of_another_council(s, question)] or pool
    ranked = sorted(pool, key=lambda s: -s.score)
    # A lead says something: "Midlothian had been webcasting its cabinet." answers no question.
    # ...unless it is the named case's own span of time asked for ("Recovery took roughly eight months.").
    span = bool(DURATION_ASKED_RE.search(question))
    full = [
        s
        for s in ranked
        if len(s.text.split()) >= SUPPORT_WORDS
        or (span and (s.doc_id in cases or not cases) and DURATION_RE.search(s.text))
    ] or ranked
    leads = [s for s in full if leadable(s, kind)]
    if kind == "figures":
        # "How much did government chip in?" is answered by the sentence with the sum, if one is close; "how long
        # does recovery take?" by a span of time ("Recovery took roughly eight months."), wherever it ranks:
        # the pool is on the question's subject, and few of its sentences give a span.
        asks_span = span and not ASKS_MORE_RE.search(question)
        leads = with_figure_first(leads, question, float("inf") if asks_span else FIGURE_GAP)
    lead = leads[0] if leads else ranked[0]
    # A named case's own summary may lead: it is what the question asks about.
    named_leads = [
        s
        for s in full
        if s.doc_id in cases
        and (
            leadable(s, kind)
            or (s.section == "Summary" and states(s.text))
            # "the attack" in Hackney's case is the attack "what did Hackney's attack cost?" names
            or (
                s.section != "Summary"
                and points_at_asked(s.text, question)
                and leadable_but_for_pointing(s, kind)
            )
        )
    ]
    # "How did Runnymede...?" is answered by what it did (or its summary), not by what happened after.
    asked_sections = case_sections_asked(question)
    anywhere = named_leads
    if asked_sections:
        # "Why did...?" is not answered by the summary's account of what it did.
        sections = ("Summary", *asked_sections) if summary_answers(question) else asked_sections
        named_leads = [s for s in named_leads if s.section in sections] or named_leads
    if not asks_advice(question):
        # "How many licences did Barnsley roll out?" is answered by what it did, not by the lesson drawn from it
        # ("Pilot with a small group first: Barnsley started with 300 licences...").
        named_leads = [s for s in named_leads if s.section != LESSONS_SECTION] or named_leads
    if kind == "figures":
        # Within the case asked about, the sentence with the figure asked for is as near as a named lead must be.
        # Asked what it cost, the case's sentence with a sum answers where one without does not.
        # So is the sentence giving the span asked for ("...did not expect to recover fully before March 2019").
        gap = (
            float("inf")
            if MONEY_ASKED_RE.search(question) or DURATION_ASKED_RE.search(question)
            else NAMED_LEAD_GAP
        )
        named_leads = with_figure_first(named_leads, question, gap, whole)
    told = False
    if WHY_RE.search(question):
        # "Why did the Publica councils take services back?" is answered by the sentence giving the reason,
        # in whichever part of the case tells it.
        reasons = sorted(
            (
                s
                for s in anywhere
                if s.section != "Summary" and (CAUSE_RE.search(s.text) or PURPOSE_RE.search(s.text))
            ),
            key=lambda s: (not CAUSE_RE.search(s.text), -s.score),
        )
        # A cause told of what the question names ("For Hackney there is a stated reason...") is the answer
        # however much more the sentences retelling the event share the question's words.
        told = bool(reasons) and bool(CAUSE_RE.search(reasons[0].text)) and tells_of(reasons[0], question)
        if reasons and (told or reasons[0].score >= named_leads[0].score - REASON_GAP):
            named_leads = [reasons[0], *(s for s in named_leads if s is not reasons[0])]
    # "How much did Gloucester's attack cost?": the case's own sum, not a guide's list of councils' costs.
    case_sum = (
        kind == "figures"
        and bool(CUES["figures"].search(question))
        and bool(named_leads)
        and gives_figure(named_leads[0].text, question)
    )
    if named_leads and (told or case_sum or named_leads[0].score >= lead.score - NAMED_LEAD_GAP):
        lead = named_leads[0]  # a question about a named council is answered from its case first
    summaries = [s for s in named_leads if s.section == "Summary"] if summary_answers(question) else []
    if kind == "figures":  # "what did it cost?" is not answered by a summary without the figure
        summaries = [s for s in summaries if gives_figure(s.text, question)]
    if summaries and STORY_RE.search(question):
        lead = summaries[0]  # "what went wrong at...?" is the whole story, which the case's summary tells
    elif summaries and lead.doc_id not in cases and summaries[0].similarity >= lead.similarity - SUMMARY_GAP:
        lead = summaries[0]  # the case's own summary, not another document's account of it
    if not cases and ranked[0] is not lead and summary_leads(ranked[0], lead):
        lead = ranked[0]
    if not cases and lead.doc_type == "case-study" and lead.section in CASE_STORY_SECTIONS:
        lead = guide_for_us(leads, lead, question, kind) or lead
    opening = passage(lead, pool)
    # A question about one of a council's cases is not padded with its others ("the first cohort of
    # apprentices" under "how much did Hackney's cyber attack cost?").
    more = supporting(
        [s for s in pool if s.doc_id not in unasked and not defines_asked_term(s.text, question)],
        opening,
        MAX_POINTS - len(opening),
        figures=question if kind == "figures" else "",
        asked_terms=asked_terms,
    )
    case_points = [
        s
        for s in pool
        if s.doc_id in cases
        and s.section in (*CASE_ACTION_SECTIONS, "The challenge")
        and stands(s)
        and len(s.text.split()) >= SUPPORT_WORDS
        and not evidence_caveat(s.text)
        and not about_councils_at_large(s.text, s.council)
        and (kind != "figures" or gives_figure(s.text, question))  # "how much did it cost?" hears sums
    ]
    # "Why did...", "how did...": the case's section that answers that form is heard, whatever leads.
    angle = [s for s in case_points if s.section in case_sections_asked(question) and s not in more]
    if WHY_RE.search(question):
        # "Why did they give up?": the points that give a reason ("Socitm put the failure down to..."), if any.
        angle = [s for s in angle if CAUSE_RE.search(s.text)] or angle
    if angle:
        # ...and a point already chosen is not made twice ("Kent and its partners built the KID." beside the same
        # sentence with the list it introduces).
        more = distinct(mmr(angle, ANGLE_POINTS, opening) + more, opening)
        more = more[: MAX_POINTS - len(opening)]
    # A case's point is close enough when it gives the figure asked for ("how much did it save?"), brings a
    # rare word of the question the opening has not used ("what features did it get?"), or is near the
    # question in meaning.
    unused = unused_terms(asked_terms, opening)
    named = [
        s
        for s in case_points
        if s.section in CASE_ACTION_SECTIONS
        and (kind == "figures" or s.similarity >= SUPPORT_SIMILARITY or bool(s.terms & unused))
    ]
    if named and not more and len(opening) < MAX_POINTS:
        # A question about one council's case hears one more thing it did when nothing else follows the opening;
        # more than that read as padding (preferred without it 9 times to 6 in a blind reading of 15 answers).
        more += distinct(mmr(named, 1, [*opening, *more]), [*opening, *more])
    more = once(more, opening)
    more.sort(key=lambda s: (s.rank, s.position))
    lines = [f"{joined(opening)} {cite(book, lead)}"]
    if more:
        lines += ["", *(line(s, book) for s in more)]
    return Composition("\n".join(lines), book.citations, lead=lead.text, shape="points")


def guide_for_us(leads: Sequence[Sentence], lead: Sentence, question: str, kind: str) -> Sentence | None:
    """A guide's sentence to lead, close to the case's story that would, when the question asks yes or no what
    we must, may or should do rather than what some council did."""
    if kind != "yes-no" or not yes_or_no(question) or not OURS_RE.search(question):
        return None
    return next(
        (s for s in leads if s.doc_type == "guidance" and s.score >= lead.score - GUIDE_FOR_US_GAP),
        None,
    )


def summary_leads(top: Sentence, lead: Sentence) -> bool:
    """Whether a case's summary sentence, the best of all, leads instead of the best that may otherwise."""
    return (
        top.doc_type == "case-study"
        and top.section == "Summary"
        and states(top.text)
        and top.score >= lead.score + SUMMARY_AHEAD
    )


def with_figure_first(
    candidates: list[Sentence], question: str, gap: float = FIGURE_GAP, whole: str = ""
) -> list[Sentence]:
    """Candidate leads, best first, with the best giving the figure asked for moved up when it is close. Asked
    for two figures ("what did it cost, and how long did recovery take?"), a sentence giving both comes first."""
    parts = figures_asked(whole or question)
    if len(parts) > 1:
        both = [s for s in candidates if all(gives_asked_figure(s.text, part) for part in parts)]
        if both and both[0] is not candidates[0] and both[0].score >= candidates[0].score - gap:
            return [both[0], *(s for s in candidates if s is not both[0])]
    # Of "what does it cost to join, and what do they get for it?", the part that asks for the figure; a question
    # that first asks how or why ("How did Wigan's Deal save money, and how much...?") wants the account first.
    parts = NEXT_ASK_RE.split(question)
    asking = question_sentences(parts[0])[-1] if parts[0].strip() else parts[0]
    ask = (
        question
        if MECHANISM_RE.match(asking)
        else next((p for p in parts if CUES["figures"].search(p) or MONEY_ASKED_RE.search(p)), question)
    )
    figured = [s for s in candidates if gives_figure(s.text, ask)]
    # "How many km of fibre?" is answered by "about 2,700 km", not by "more than 1,500 public buildings".
    counted = [s for s in figured if counts_what_is_asked(s.text, question)]
    figured = [*counted, *(s for s in figured if s not in counted)]
    if DURATION_ASKED_RE.search(ask):
        # "Recovery took roughly eight months" says how long; "offline for months" only that it was long.
        exact = [s for s in figured if DURATION_RE.search(VAGUE_SPAN_RE.sub(" ", s.text))]
        figured = [*exact, *(s for s in figured if s not in exact)]
    # A case's account gives the figure; its lessons repeat it as advice ("Use the pilot to lever in funding").
    told = [s for s in figured if s.section != LESSONS_SECTION]
    figured = (
        [*told, *(s for s in figured if s not in told)]
        if told and told[0].score >= figured[0].score - gap
        else figured
    )
    if not figured or figured[0] is candidates[0] or figured[0].score < candidates[0].score - gap:
        return candidates
    return [figured[0], *(s for s in candidates if s is not figured[0])]


VAGUE_SPAN_RE = re.compile(r"\bfor (?:days|weeks|months|years)\b", re.I)
# A question asking how or why something came about, not how much, many or long.
MECHANISM_RE = re.compile(r"^\W*(how|why)\b(?! (much|many|long|quickly|soon|fast|big|large)\b)", re.I)
# Where a question's next ask begins: "..., and how long did recovery take?".
NEXT_ASK_RE = re.compile(
    r",?\s+and\s+(?=(?:how|what|when|where|why|which|who|did|does|do|is|are|has|have|was|were)\b)", re.I
)


def figures_asked(question: str) -> list[str]:
    """The parts of a question that each ask for a figure: a sum, a count or a span of time. A part that only
    speaks of money ("...got money back. How did that work") asks how, not how much."""
    return [
        part
        for part in NEXT_ASK_RE.split(question)
        if CUES["figures"].search(part) or DURATION_ASKED_RE.search(part)
    ]


def gives_asked_figure(text: str, part: str) -> bool:
    """Whether a sentence gives the very kind of figure one ask wants: a span of time for "how long", a sum for
    "what did it cost", a count that is no sum for "how many" ("£10m" is no answer to how much of it was digital)."""
    if DURATION_ASKED_RE.search(part):
        return bool(DURATION_RE.search(text))
    if MONEY_ASKED_RE.search(part):
        return bool(MONEY_RE.search(text))
    if HOW_MANY_RE.search(part):
        return counts_what_is_asked(text, part)
    return bool(FIGURE_RE.search(MONEY_AMOUNT_RE.sub(" ", text)))


# "how many copilot licences did...": the things counted are the last word before the verb or "of".
HOW_MANY_RE = re.compile(
    r"\bhow many ((?:(?!(?:did|do|does|was|were|is|are|has|have|had|of|in|for|and|would|will|can|could|should)\b)"
    r"[a-z]+\s*){1,3})",
    re.I,
)


def counts_what_is_asked(text: str, question: str) -> bool:
    """Whether a sentence gives a count of what "how many <things>" asks about ("about 2,700 km of new fibre"
    for "how many km of fibre"); True when the question asks no such count."""
    asked = HOW_MANY_RE.search(question)
    if asked is None:
        return True
    root = re.escape(word_root(asked.group(1).split()[-1].lower()))
    return bool(re.search(rf"\d[\d,.]*\+?\s+(?:[\w-]+\s+){{0,3}}?{root}", text, re.I))


WORD_ROOT = 4  # letters of a word that are its root, at least


def word_root(word: str) -> str:
    """A word with its ending left off, so that it matches its other forms: "merger" as "merg", "km" as "km"."""
    return word[: max(WORD_ROOT, len(word) - 2)]


MONEY_AMOUNT_RE = re.compile(r"£\s?\d[\d,.]*\s?(?:m|bn|k|million|billion)?\b")


def tells_of(s: Sentence, question: str) -> bool:
    """Whether a case's sentence tells of what the question names: every council of the case it names
    ("North Tyneside and Hackney"), or else one of its other names ("Publica", "Xantura")."""
    names = {w.lower() for w in re.findall(r"[A-Za-z][\w-]{3,}", question) if rare_as_a_word(w)}
    councils = {n for n in names if re.search(rf"\b{re.escape(n)}", s.council, re.I)}
    if councils:
        members = member_names(s.council)
        named = [m for m in members if any(n in m.lower() for n in councils)]
        if len(named) == len(members) and not any(m.lower() in s.text.lower() for m in members):
            return (
                True  # the question names every council of a joint case; "The reason given was..." is theirs
            )
        return all(re.search(rf"\b{re.escape(n)}", s.text, re.I) for n in councils)
    return any(re.search(rf"\b{re.escape(n)}", s.text, re.I) for n in names)


def paragraph_at(s: Sentence) -> int:
    """The paragraph or list item of its chunk a sentence sits in."""
    places = paragraphs_of(s.hit.chunk.text)
    return places[s.position] if s.position < len(places) else -1 - s.position


def same_kind(s: Sentence, other: Sentence) -> bool:
    """Whether two sentences of a chunk sit in the same kind of unit (list items, headed paragraphs)."""
    kinds = unit_kinds_of(s.hit.chunk.text)
    return max(s.position, other.position) < len(kinds) and kinds[s.position] == kinds[other.position]


def in_list(s: Sentence) -> bool:
    """True for a sentence in a list item or run-in headed paragraph: such items run on as one passage."""
    items = list_items_of(s.hit.chunk.text)
    return s.position < len(items) and items[s.position]


def opens_with_name(text: str) -> bool:
    """Whether a sentence opens with a name ("Basingstoke and Deane's 2016 outline business case..."), not a
    common word ("Agree a generative AI policy early.")."""
    first = re.sub(r"[^\w'’-]", "", RUN_IN_LABEL_RE.sub("", text.lstrip("*_ "), count=1).split(" ")[0])
    first = first.removesuffix("'s").removesuffix("’s")
    return first[:1].isupper() and zipf_frequency(first.lower(), "en") < NAME_ZIPF


NAME_ZIPF = 3.5  # a capitalised first word rarer than this in English is a name


def passage(lead: Sentence, pool: list[Sentence]) -> list[Sentence]:
    """The lead and the sentences that follow it in its passage while they stay on the question.

    A passage reads as one reply where sentences from different places do not; it stops at the first
    sentence that drifts from the question, points elsewhere or would make the opening too long.
    """
    following = sorted(
        (s for s in pool if s.hit.chunk.id == lead.hit.chunk.id and s.position > lead.position),
        key=lambda s: s.position,
    )
    taken = [lead]
    used = words(lead)
    last = lead.position  # the last sentence read, taken or passed over
    passed = 0
    for s in following:
        if s.position != last + 1 or (last != taken[-1].position and dangling(s.text)):
            break  # a gap, or a sentence that points back at one passed over ("...it grew to 2,000 licences")
        last = s.position
        if s.similarity < PASSAGE_SIMILARITY:
            # A guide's paragraph names a problem, gives a council's example, then says what to do: the example,
            # far from the question, is passed over for the advice ("Agree a generative AI policy early.").
            if s.doc_type == "guidance" and paragraph_at(s) == paragraph_at(lead) and passed < PASSED_OVER:
                passed += 1
                continue
            break
        if last != taken[-1].position + 1 and opens_with_name(s.text):
            break  # after passing over an example, only the advice: not another example ("Basingstoke and...")
        if of_another_council(s) or (
            s.doc_type == "case-study" and about_councils_at_large(s.text, s.council)
        ):
            break  # another council's story, or councils in general, is not this reply
        if used + len(s.text.split()) > PASSAGE_WORDS or s.section != lead.section:
            break
        if paragraph_at(s) != paragraph_at(taken[-1]) and s.section == LESSONS_SECTION:
            break  # each lesson is a point of its own, not the next sentence of one
        if paragraph_at(s) != paragraph_at(taken[-1]) and not (in_list(s) and same_kind(s, taken[-1])):
            # A new paragraph of prose turns to something else ("Home working stayed uneven... Moray..."), and
            # so does a headed paragraph after a list ("9. In reorganisation..." then "**Quick wins.** ...").
            break
        taken.append(s)
        used += len(s.text.split())
    return taken
