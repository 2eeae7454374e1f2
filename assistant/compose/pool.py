"""The sentences an answer is chosen from: each with its vector, its place and its score for the question."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.answer import Citation
from assistant.query import council_type_in
from assistant.retrieval import Hit
from assistant.sentence_rules import qualifies_claim, scene_setting
from assistant.sentences import SENTENCES_KEY, last_heading, paragraphs_of, split_chunk, stored_sentences
from assistant.statements import as_statement
from assistant.text import analyze

# The guide section written for each kind of question.
LIST_KINDS = {
    "steps": ("Where to start",),
    "good-practice": ("What good looks like",),
    "measures": ("Measures and indicators",),
    "challenges": ("Common challenges",),
    "maturity": ("Self-assessment",),
}
LESSONS_SECTION = "What others can learn"  # a case's lessons for other councils
CASE_ACTION_SECTIONS = ("What they did", "What happened", LESSONS_SECTION)
# "What lessons...", "what can we learn...", "what should we take away from..."; not "off-the-job learning time".
LESSONS_RE = re.compile(r"\b(lessons?|learn(t|ed)?|takeaways?|take away|do differently)\b", re.I)
# A question asking what to do or avoid, which a case's lessons answer: "should we...", "any tips?".
ADVICE_RE = re.compile(r"\bshould (we|i|a council|councils)\b|\b(advice|tips?|recommend\w*)\b", re.I)


def asks_advice(question: str) -> bool:
    """Whether a question about a case asks what others should do, which its lessons say."""
    return bool(LESSONS_RE.search(question) or RISKS_RE.search(question) or ADVICE_RE.search(question))


WHY_RE = re.compile(r"\bwhy\b|\bwhat (led|caused|made)\b", re.I)
# "What are the risks of doing what Sunderland did?": what it learnt, and what came of it.
RISKS_RE = re.compile(
    r"\b(the|what|any|main|biggest|key) risks?\b|\brisks? (of|in|with)\b"
    r"|\b(pitfalls?|downsides?|drawbacks?|watch out|go wrong)\b",
    re.I,
)
# "What did Midlothian find when it looked at its webcasts?": what the council found is its challenge; what a
# regulator found came after.
FOUND_RE = re.compile(r"\bwhat did (the |it |they )?\w+ (find|discover|learn)\b(?! from)", re.I)
FOUND_SECTIONS = ("What happened", "The challenge")
# The sections of a case that answer each form of question about it.
CASE_SECTION_FOR_FORM = (
    (WHY_RE, ("The challenge", "What happened")),
    (LESSONS_RE, ("What others can learn",)),
    (RISKS_RE, ("What others can learn", "What happened")),
    (re.compile(r"\bhow (did|do|does|was|were|have|has)\b", re.I), ("What they did",)),
    (FOUND_RE, FOUND_SECTIONS),
    (
        re.compile(
            r"\bwhat (happened|went wrong|did (the |it |they )?\w+ (say|find|decide|conclude))\b", re.I
        ),
        ("What happened",),
    ),
)


def summary_answers(question: str) -> bool:
    """Whether a case's summary, which says what it did, answers this form of question about it: "what are the
    risks...", "what can we learn..." and "why did..." it does not."""
    return not (RISKS_RE.search(question) or LESSONS_RE.search(question) or WHY_RE.search(question))


def case_sections_asked(question: str) -> tuple[str, ...]:
    """The sections of a named case that answer the question's form ("why did..." is the challenge)."""
    return next((sections for form, sections in CASE_SECTION_FOR_FORM if form.search(question)), ())


LEXICAL_WEIGHT = 0.6
# A sentence for councils in some condition ("If your council is being reorganised, ...") answers a question
# that does not mention the condition less well.
CONDITION_RE = re.compile(r"^(?:[A-Z][^:.]{1,60}:\s+)?(?:If|For councils|For those) ([^,:]+)[,:]", re.I)
GENERIC_CONDITION_TERMS = frozenset(
    analyze("your council councils our we you is are being has have that those")
)


def unmet_condition(text: str, terms: set[str]) -> bool:
    """True for a sentence for councils in some condition ("If your council is being reorganised, ...",
    "Reorganisation readiness: for councils being reorganised, ...") the question's terms do not mention."""
    condition = CONDITION_RE.match(text.lstrip("*_ ").replace("**", ""))
    if condition is None:
        return False
    specific = set(analyze(condition.group(1))) - GENERIC_CONDITION_TERMS
    for group in SAME_CONDITION:
        if specific & group:
            specific |= group  # "merging into a unitary" is being reorganised
    return bool(specific) and not specific & terms  # "if you have..." sets no condition of its own


# Words that name the same condition of a council.
SAME_CONDITION = (
    frozenset(
        analyze(
            "reorganised reorganisation reorganising reorganise merge merged merger merging unitary unitaries "
            "LGR vesting shadow authority successor"
        )
    ),
)


UNMET_CONDITION_PENALTY = 0.15
# "What did Derby actually save?", "did it deliver in practice?": what came of it, not what was hoped.
ACTUAL_RE = re.compile(
    r"\b(actual(ly)?|in practice|in reality|really|turned out|ended up|delivered|achieved)\b", re.I
)
FORECAST_RE = re.compile(
    r"\b(forecast to|hoped|hopes? to|expect(ed|s)? to|projected|aim(ed|s)? to|would (save|cut|reduce|deliver))\b",
    re.I,
)
FORECAST_PENALTY = 0.1


def asks_what_came_of_it(question: str) -> bool:
    return bool(ACTUAL_RE.search(question))


def hoped_for(text: str, actual: bool) -> float:
    """The penalty for a forecast ("Derby hoped to save £4m") when the question asks what actually came of it."""
    return FORECAST_PENALTY if actual and FORECAST_RE.search(text) else 0.0


COUNCIL_TYPE_BONUS = 0.1


@dataclass
class Sentence:
    """One quotable sentence of a retrieved chunk, with its vector and score."""

    text: str
    hit: Hit
    rank: int
    position: int
    vector: np.ndarray
    previous: str = ""
    following: str = ""  # the sentence after, when it qualifies this one's claim ("These were estimates...")
    score: float = 0.0
    similarity: float = 0.0  # to the question, by meaning alone
    terms: set[str] = field(default_factory=set)
    unmet: bool = False  # written for councils in a condition the question does not mention
    # under a heading for councils in such a condition ("Where to start > If your council is being reorganised")
    unmet_heading: bool = False

    @property
    def section(self) -> str:
        return str(self.hit.chunk.metadata.get("section", ""))

    @property
    def doc_type(self) -> str:
        return str(self.hit.chunk.metadata.get("type", ""))

    @property
    def council(self) -> str:
        """The council (or councils) of the sentence's case study; "" for guidance."""
        return str(self.hit.chunk.metadata.get("council") or "")

    @property
    def doc_id(self) -> str:
        return self.hit.chunk.doc_id

    @property
    def heading(self) -> str:
        return last_heading(self.hit.chunk.metadata)


@dataclass(frozen=True)
class Asked:
    """What sentences are scored against: the query, its vector, the idf of its words and the answer kind.

    The query is the question as retrieval read it (with the earlier turn when it leans on it); `question`
    is the question as the user wrote it.
    """

    query: str
    vector: np.ndarray
    idf: Callable[[str], float]
    kind: str
    question: str = ""
    said: str = ""  # the previous answer in the conversation, if any
    earlier: str = ""  # the previous question, when this one leans on it


@dataclass
class Composition:
    """What the composer decided, for the answer text and for tests."""

    text: str
    citations: list[Citation]
    lead: str = ""
    shape: str = "points"
    best_score: float = 0.0
    answers_rest: bool = False  # a definition that also answers what the question asks after the term


# A reference to another document by its id, in brackets: "(case-hackney-ransomware)", "(see outcome-data)".
ID_REFERENCE_RE = re.compile(
    r"\s*\((?:see |as in )?`?(?:case|outcome|framework)-[a-z0-9-]+`?"
    r"(?:(?:,| and| or) `?(?:case|outcome|framework)-[a-z0-9-]+`?)*\)"
)


def without_id_references(text: str) -> str:
    """A sentence without its bracketed pointers to other documents, which readers cannot follow; the
    sentence itself still says something ("Sunderland did not renew a £4.5m contract (case-...)")."""
    return ID_REFERENCE_RE.sub("", text)


def sentence_texts(chunk_metadata: dict[str, object], text: str) -> list[str]:
    """A chunk's sentences as the pool reads them, without their vectors."""
    raw = chunk_metadata.get(SENTENCES_KEY)
    texts = json.loads(raw) if isinstance(raw, str) and raw else split_chunk(text)
    return [without_id_references(t) for t in texts]


def read_sentences(hits: Sequence[Hit], embeddings: Embeddings, dim: int) -> list[Sentence]:
    """Every sentence of the hits with its vector: stored at ingestion, or embedded now for old indexes."""
    per_hit: list[tuple[Hit, list[str], np.ndarray | None]] = []
    missing: list[int] = []
    for hit in hits:
        stored = stored_sentences(hit.chunk.metadata, dim)
        if stored is None:
            missing.append(len(per_hit))
            per_hit.append((hit, split_chunk(hit.chunk.text), None))
        else:
            per_hit.append((hit, stored[0], stored[1]))
    flat = [t for index in missing for t in per_hit[index][1]]
    if flat:
        vectors = np.asarray(embeddings.embed_documents(flat), dtype=np.float32)
        start = 0
        for index in missing:
            hit, texts, _ = per_hit[index]
            per_hit[index] = (hit, texts, vectors[start : start + len(texts)])
            start += len(texts)
    found: list[Sentence] = []
    for rank, (hit, texts, block) in enumerate(per_hit):
        if block is None:  # a chunk with no sentences
            continue
        texts = [without_id_references(t) for t in texts]
        places = paragraphs_of(hit.chunk.text)
        for position, text in enumerate(texts):
            previous = texts[position - 1] if position else ""
            after = texts[position + 1] if position + 1 < len(texts) else ""
            same_paragraph = len(places) == len(texts) and after and places[position] == places[position + 1]
            following = after if same_paragraph and qualifies_claim(after) else ""
            # A summary describing its document is quoted as the statement it makes, and matched by its words.
            said = as_statement(text) if hit.chunk.metadata.get("section") == "Summary" else text
            found.append(
                Sentence(
                    text, hit, rank, position, block[position], previous, following, terms=set(analyze(said))
                )
            )
    return found


# "Our leader wants a digital-first pledge. What are the risks for people offline?": the words of the context
# before the question count for less than the words of the question itself.
CONTEXT_WEIGHT = 0.5
ASKING_SPLIT_RE = re.compile(r"(?<=[.!])\s+(?=\S)")


# Words that ask how or why something came about without naming anything: the statement before them is the
# subject of the question.
ASK_ONLY_TERMS = frozenset(analyze("happen happened manage achieve pull off come about work out"))


def context_weights(question: str, terms: set[str], idf: Callable[[str], float]) -> dict[str, float]:
    """Each query term's weight: its idf, halved when it is only in the context before the question."""
    parts = ASKING_SPLIT_RE.split(question.strip())
    if len(parts) < 2 or not parts[-1].rstrip().endswith("?"):
        return {t: idf(t) for t in terms}
    asking = set(analyze(parts[-1]))
    if not asking - ASK_ONLY_TERMS:
        return {t: idf(t) for t in terms}  # "...kept its phones up. How did they manage that?" asks about it
    context = set(analyze(" ".join(parts[:-1]))) - asking
    return {t: idf(t) * (CONTEXT_WEIGHT if t in context else 1.0) for t in terms}


def score_sentences(sentences: list[Sentence], asked: Asked) -> None:
    """Meaning first, then the question's rare words, the chunk's rank and the section's fit."""
    terms = set(analyze(asked.query))
    weight = context_weights(asked.question, terms, asked.idf)
    total = sum(weight.values()) or 1.0
    kind = asked.kind
    wanted = LIST_KINDS.get(kind, ())
    council_type = council_type_in(asked.query)  # "for district councils": their experience first
    for s in sentences:
        lexical = sum(weight[t] for t in terms & s.terms) / total
        s.similarity = float(s.vector @ asked.vector)
        s.score = s.similarity + LEXICAL_WEIGHT * lexical + 0.06 / (1.0 + s.rank)
        if s.section == "Summary":
            s.score -= 0.12  # a summary describes a document rather than answering
        if scene_setting(s.text, s.section):
            s.score -= 0.12
        if s.section == "Measures and indicators" and kind != "measures":
            s.score -= 0.10
        if s.section == "Self-assessment" and kind != "maturity":
            s.score -= 0.08
        if s.section in wanted:
            s.score += 0.08
        if kind == "figures" and any(ch.isdigit() for ch in s.text):
            s.score += 0.08
        if s.section == "Common questions":
            s.score += 0.04  # written to answer a reader's question directly
        if council_type and s.hit.chunk.metadata.get("council_type") == council_type:
            s.score += COUNCIL_TYPE_BONUS
        s.unmet = unmet_condition(s.text, terms)
        s.unmet_heading = unmet_condition(f"{s.heading},", terms)
        if s.unmet or s.unmet_heading:
            s.score -= UNMET_CONDITION_PENALTY  # "If your council is being reorganised..." to one that is not
