"""The retrieval query: a question read alone, or with the earlier turn when it leans on it."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.acronyms import almanac_acronyms, with_acronyms_spelled
from assistant.answer import Turn
from assistant.glossary_terms import with_glossary_terms
from assistant.intent import asks_for
from assistant.outcomes import get_outcome
from assistant.rerank import cases_named_in
from assistant.retrieval import Filters, HybridRetriever
from assistant.text import analyze

History = Sequence[Turn | str]

# Openings that continue the earlier exchange ("And for districts?", "What about costs?").
CONTINUES_RE = re.compile(
    r"^(and|also|but|so|what about|how about|what if|what else|is that|are they|does that|do they|can they|"
    r"tell me more|more on|same for|and for|why)\b",
    re.IGNORECASE,
)
# Openings that may go on with the last turn or only set off a question of its own ("so, what's a UPRN?").
LOOSE_OPENER_RE = re.compile(r"^(so|also|but)\b", re.IGNORECASE)
# Words that point back at something said earlier.
POINTS_BACK_RE = re.compile(
    r"\b(it|this|they|them|those|these|that one|their)\b|\blike (that|this)\b|\b(anyone|someone|anybody) else\b"
    r"|\bthe same\b|\bthere\b\??$|\bthe (stuff|things|kit|ones|lot)\b",  # "the stuff people handed in"
    re.IGNORECASE,
)
COUNCIL_TYPE_RE = {
    "district": re.compile(r"\bdistrict|\bborough councils?\b(?! of)|\bsmall(er)? councils?\b", re.I),
    "county": re.compile(r"\bcount(y|ies)\b", re.I),
    "unitary": re.compile(r"\bunitar(y|ies)\b", re.I),
    "metropolitan": re.compile(r"\bmetropolitan\b|\bmets?\b", re.I),
    "london-borough": re.compile(r"\blondon boroughs?\b", re.I),
    "combined-authority": re.compile(r"\bcombined authorit(y|ies)\b|\bmayoral\b", re.I),
}
META_RE = re.compile(
    r"\b(what|how) (does|do|would) (the )?almanac (say|have|recommend|suggest|cover)( to say)?( about| on| for)?"
    r"|\b(according to|in|from) the almanac,?|\b(does )?the almanac (say|cover|have)( anything)?( about| on)?",
    re.IGNORECASE,
)
# Above this dense similarity a question read alone has found its own material: it is not a follow-up.
STANDS_ALONE_MARGIN = 0.08
# A question with words of its own that, read with the earlier turn, comes this much closer to the almanac's
# nearest passage is about the earlier subject ("which of our own kit will stop working?" after the analogue
# switch-off: alone, "kit" finds donated laptops).
CONTEXT_GAIN = 0.2
# Words that say the question turns to something else: it is never read with the earlier turn.
NEW_TOPIC_RE = re.compile(
    r"^\W*(?:(?:ok|okay|right|thanks|thank you|cheers|great|cool|and|also|now)\W+){0,2}"
    r"(?:(?:a |on a )?(?:different|separate|unrelated|new) (?:thing|question|topic|subject|note|matter)\b"
    r"|(?:on )?another (?:topic|subject|note)\b|(?:changing|change of|switching) (?:the )?(?:subject|topic)\b"
    r"|unrelated\b)",
    re.I,
)
# A word this rare in the almanac names a subject of its own ("UPRN", "wayleave").
OWN_SUBJECT_IDF = 3.0
# A question of this few content words, none of them rare, has no subject of its own.
THIN_TERMS = 3
# Two questions this close in meaning are on the same topic: the later one is read with the earlier.
SAME_TOPIC = 0.55


# A question about what the asker's own council should do: "should we...", "is it worth us...", "do we need to".
FOR_US_RE = re.compile(
    r"\b(should|shall|must) (we|i|our council)\b|\b(worth|wise|sensible|right) for us\b"
    r"|\bworth (us|our)\b|\b(we|i) need to\b",
    re.IGNORECASE,
)


# "Is it worth...", "is it wise to...": an "it" that points at nothing.
DUMMY_IT_RE = re.compile(
    r"\b(is|was|would|will) it (be )?(worth|wise|sensible|possible|legal|ok|okay|right|better)\b", re.I
)


def asks_for_us(question: str) -> bool:
    """Whether a follow-up asks what the asker's council should do, pointing back at nothing said before
    ("so should we set up a shared service with our neighbour now?"), rather than at what a council did ("should
    we do the same?")."""
    return bool(FOR_US_RE.search(question)) and not POINTS_BACK_RE.search(DUMMY_IT_RE.sub(" ", question))


def council_type_in(question: str) -> str | None:
    """The council type a question asks about, if it names one."""
    return next((kind for kind, pattern in COUNCIL_TYPE_RE.items() if pattern.search(question)), None)


def as_turns(history: History | None) -> list[Turn]:
    """History given as Turns or as plain earlier questions."""
    return [t if isinstance(t, Turn) else Turn(question=str(t)) for t in (history or [])]


# Chat openers that carry no subject ("quick one -", "hi all,", "sorry if this is obvious but").
OPENER_RE = re.compile(
    r"^\s*(?:(?:hi|hello|hey|morning|afternoon)(?: (?:all|everyone|team|folks))?|quick (?:one|question|q)"
    r"|(?:a )?question(?: for you)?|sorry(?: if this is (?:obvious|a silly question))?(?: but)?|can i ask)"
    r"\s*[-:,.!–—]*\s+",
    re.IGNORECASE,
)


# A bare "How?" or "Why?" after a statement asks about the statement ("Leicester kept its phones up. How?"):
# written out, it reads as the question about the case it is ("how did...", "why...").
BARE_ASK_RE = re.compile(r"(?<=[.!])\s+(how|why)(?:\s+(?:so|come|exactly))?\s*\?+\s*$", re.IGNORECASE)
BARE_ASKS = {"how": "How did that happen?", "why": "Why was that?"}


def with_bare_ask_spelled(question: str) -> str:
    """The question with a bare "How?" or "Why?" after its statement written out as a question."""
    match = BARE_ASK_RE.search(question)
    if match is None or not analyze(question[: match.start()]):
        return question
    return f"{question[: match.start()]} {BARE_ASKS[match.group(1).lower()]}"


# Council shorthand the embedding model does not know ("can a cllr vote from home?").
SHORTHAND = {
    "cllr": "councillor",
    "cllrs": "councillors",
    "govt": "government",
    "dept": "department",
    "depts": "departments",
    "mgmt": "management",
    # County names as officers shorten them ("notts"): the almanac writes them in full.
    "notts": "Nottinghamshire",
    "lancs": "Lancashire",
    "herts": "Hertfordshire",
    "bucks": "Buckinghamshire",
    "glos": "Gloucestershire",
    "oxon": "Oxfordshire",
    "cambs": "Cambridgeshire",
    "leics": "Leicestershire",
    "northants": "Northamptonshire",
    "staffs": "Staffordshire",
    "worcs": "Worcestershire",
    "wilts": "Wiltshire",
    "hants": "Hampshire",
    "derbys": "Derbyshire",
}
SHORTHAND_RE = re.compile(rf"\b({'|'.join(SHORTHAND)})\b", re.IGNORECASE)


# Council acronyms for subjects, written in capitals, that the model reads as noise: the words they stand for
# are added after them, so a guide that uses the acronym itself is still found by it. Job titles ("DPO here")
# say who asks, not what about, and are left alone.
ACRONYMS = {
    "IG": "information governance",
    "SAR": "subject access request",
    "SARs": "subject access requests",
    "LGR": "local government reorganisation",
    "MTFS": "medium-term financial strategy",
    "ASC": "adult social care",
}
ACRONYM_RE = re.compile(rf"\b({'|'.join(ACRONYMS)})\b")


def spelled_out(question: str) -> str:
    """The question with council shorthand written in full, for retrieval and scoring."""
    question = SHORTHAND_RE.sub(lambda m: SHORTHAND[m.group(1).lower()], question)
    return ACRONYM_RE.sub(lambda m: f"{m.group(1)} ({ACRONYMS[m.group(1)]})", question)


def without_opener(question: str) -> str:
    """The question without a chat opener that carries no subject ("quick one - ")."""
    stripped = OPENER_RE.sub("", question, count=1)
    return stripped if analyze(stripped) else question


def strip_meta(question: str) -> str:
    """Drop words about the almanac itself, which every document matches, and a chat opener."""
    stripped = META_RE.sub(" ", without_opener(question))
    return " ".join(stripped.split()) if analyze(stripped) else question


def points_back(question: str) -> bool:
    """True when the question continues or points at the earlier exchange."""
    if CONTINUES_RE.search(question.strip()):
        return True
    content = len(analyze(question))
    return content <= 8 and bool(POINTS_BACK_RE.search(question))


def with_context(question: str, turns: list[Turn]) -> str:
    """The question with the earlier question's subject, itself read in its own context."""
    earlier = earlier_in_context(turns)
    return f"{earlier} {question}" if earlier else question


def earlier_in_context(turns: list[Turn]) -> str:
    """The earlier question, itself read in its own context when it points back ("" with no earlier turn)."""
    if not turns:
        return ""
    earlier = turns[-1].question
    return with_context(earlier, turns[:-1][-3:]) if points_back(earlier) else earlier


@dataclass(frozen=True)
class Reading:
    """How a question is read for retrieval."""

    query: str
    vector: list[float]
    # the vector of the question alone: a follow-up read with the earlier turn asks in its own form
    own: list[float]
    earlier: str = ""  # the earlier question, when the query reads the question with it


# "linked to it", "part of them": a pronoun after a preposition stands for a thing said before.
# "the contract", "the pilot": a thing already spoken of. A word this common in the almanac ("the council")
# says nothing of which.
DEFINITE_RE = re.compile(r"\bthe ([a-z][\w-]+)\b")
DEFINITE_IDF = 1.5
OBJECT_POINTER_RE = re.compile(r"\b(to|of|in|with|from|by|for|about|on) (it|them)\b(?!\s+\w+ing\b)", re.I)


class QueryReader:
    """Reads a question, with the earlier turn when it leans on it, into a retrieval query and its vector."""

    def __init__(self, embeddings: Embeddings, retriever: HybridRetriever, *, min_relevance: float):
        self.embeddings = embeddings
        self.retriever = retriever
        self.min_relevance = min_relevance

    def read(self, question: str, history: History | None, outcome: str | None) -> Reading:
        """The retrieval query and its vector: the question alone unless it leans on the earlier turn."""
        question = spelled_out(strip_meta(question))
        turns = as_turns(history)
        own = self.embeddings.embed_query(question)
        embedded = {question: own}

        def embed(text: str) -> list[float]:
            """Each text embedded once, however many steps of this reading ask for it."""
            if text not in embedded:
                embedded[text] = self.embeddings.embed_query(text)
            return embedded[text]

        leaned = ""
        contextual = question
        if turns:
            contextual = with_context(question, turns)
            # What the last turn said is context too: "the alarms" after an answer about telecare alarms.
            said = f"{turns[-1].question} {turns[-1].answer}"
            if NEW_TOPIC_RE.search(question):
                leaned = ""  # "different thing - what's the competitive flexible procedure?" is read alone
            elif self._leans_on(question, said):
                leaned = earlier_in_context(turns)
            else:
                earlier = np.asarray(embed(turns[-1].question), dtype=np.float32)
                same_topic = float(earlier @ np.asarray(own, dtype=np.float32)) >= SAME_TOPIC
                if (
                    same_topic
                    or not self._stands_alone(question, said, own, outcome)
                    # ...but not one asking for councils: "have councils given away their own old kit too?"
                    # after Essex's donations asks across councils, not about Essex.
                    or (
                        not asks_for("examples", question)
                        and self._clearer_with(contextual, question, outcome, embed)
                    )
                ):
                    leaned = earlier_in_context(turns)
        # "a TCO for our CRM": the words the almanac spells its acronyms and glossary terms with.
        query = self._spelled(contextual if leaned else question)
        if outcome:
            # The chosen outcome is context too: "what should we do first?" means first for that outcome.
            query = f"{query} ({get_outcome(outcome).name})"
        return Reading(query, embed(query), own, leaned)

    def _leans_on(self, question: str, earlier: str) -> bool:
        """Points back ("what did they do?"), or opens as a continuation ("Why...", "And...") without a
        subject of its own; or says too little to stand alone."""
        if POINTS_BACK_RE.search(question) and len(analyze(question)) <= 8:
            # "their" in "What did Camden's residents decide about their data?" points at Camden, a subject
            # of its own, not at the earlier turn; "was Leicester's attack linked to it?" points at the earlier
            # turn's subject, whatever council it names.
            return bool(OBJECT_POINTER_RE.search(question)) or not self._names_a_case(question, earlier)
        if (
            CONTINUES_RE.search(question.strip())
            and not self._names_a_case(question, earlier)
            # "so should we set up a shared service with our neighbour now or wait for LGR?": "so" opens many a
            # question with a subject of its own, which is then judged as any other question is.
            and not (LOOSE_OPENER_RE.match(question.strip()) and self._new_subject(question, earlier))
        ):
            # "and did switching to planning committee get more people watching?" goes on with the last turn,
            # whatever new words it uses, unless it names another council's case.
            return True
        if self._refers_to(question, earlier) and not self._names_a_case(question, earlier):
            return True  # "who got the contract?" after an answer about Greater Manchester's fibre contract
        return self._thin(question)

    def _refers_to(self, question: str, earlier: str) -> bool:
        """The question names with "the" something the last turn spoke of, and not an everyday thing."""
        index = self.retriever.bm25_index()
        said = set(analyze(earlier))
        return any(
            term in said and index.idf(term) >= DEFINITE_IDF
            for noun in DEFINITE_RE.findall(question)
            for term in analyze(noun)
        )

    def _names_a_case(self, question: str, earlier: str) -> bool:
        """The question names a council's case the earlier question did not."""
        cases = self.retriever.bm25_index().case_studies
        return bool(set(cases_named_in(question, cases)) - set(cases_named_in(earlier, cases)))

    def _new_subject(self, question: str, earlier: str) -> bool:
        """A rare word the almanac holds that the earlier question did not use ("North Tyneside")."""
        index = self.retriever.bm25_index()
        before = set(analyze(earlier))
        return any(
            index.frequency(t) and index.idf(t) >= OWN_SUBJECT_IDF and t not in before and not t[:1].isdigit()
            for t in analyze(question)
        )  # a number ("the first 90 days", "the £2.2m") is no subject of its own

    def _thin(self, question: str) -> bool:
        """A short question with no subject of its own ("What happened a year later?") leans on the last turn."""
        terms = analyze(question)
        index = self.retriever.bm25_index()
        return len(terms) <= THIN_TERMS and not any(
            index.frequency(t) and index.idf(t) >= OWN_SUBJECT_IDF and not t.isdigit() for t in terms
        )

    def _clearer_with(
        self, contextual: str, question: str, outcome: str | None, embed: Callable[[str], list[float]]
    ) -> bool:
        """Whether the question read with the earlier turn comes much closer to the almanac than read alone,
        each with its acronyms and glossary terms spelled out ("the TCO of a new CRM" alone is not unclear)."""
        where = Filters(outcome=outcome).where()
        alone = self.retriever.store.query(embed(self._spelled(question)), 1, where=where)
        together = self.retriever.store.query(embed(self._spelled(contextual)), 1, where=where)
        return bool(together) and together[0].score >= (alone[0].score if alone else 0.0) + CONTEXT_GAIN

    def _spelled(self, text: str) -> str:
        """The text with the words the almanac spells its acronyms and glossary terms with."""
        index = self.retriever.bm25_index()
        return with_glossary_terms(with_acronyms_spelled(text, almanac_acronyms(index)), index)

    def _stands_alone(self, question: str, earlier: str, vector: list[float], outcome: str | None) -> bool:
        """True when a question read alone has its own subject: a rare word the almanac holds, or close material."""
        if self._new_subject(question, earlier):
            return True
        top = self.retriever.store.query(vector, 1, where=Filters(outcome=outcome).where())
        return bool(top) and top[0].score >= self.min_relevance + STANDS_ALONE_MARGIN
