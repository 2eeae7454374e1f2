"""The extractive answer generator: a grounded, cited answer with no language model."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from assistant.answer import Citation
from assistant.retrieval import Hit
from assistant.text import analyze, sentences, units

MAX_WORDS = 170
MAX_POINTS = 4
MIN_SENTENCE_WORDS = 6
SHORT_SENTENCE_WORDS = 12
MAX_SENTENCE_WORDS = 55


@dataclass
class Candidate:
    text: str
    hit_rank: int
    position: int
    terms: set[str]
    score: float = 0.0
    summary: bool = False
    follow_on: str = ""
    context: set[str] = field(default_factory=set)
    heading: set[str] = field(default_factory=set)
    first: bool = False
    section: str = ""


class CitationBook:
    """Numbers sources in order of first use; one number per document section."""

    def __init__(self) -> None:
        self.citations: list[Citation] = []
        self._numbers: dict[tuple[str, str], int] = {}

    def number_for(self, hit: Hit, snippet: str) -> int:
        meta = hit.chunk.metadata
        key = (hit.chunk.doc_id, str(meta.get("heading_path") or meta.get("section") or ""))
        if key not in self._numbers:
            n = len(self.citations) + 1
            self._numbers[key] = n
            self.citations.append(citation_for(hit, n, snippet))
        return self._numbers[key]


def citation_for(hit: Hit, n: int, snippet: str) -> Citation:
    """A Citation built from a retrieved chunk's metadata."""
    meta = hit.chunk.metadata
    outcomes = [s for s in str(meta.get("outcomes", "")).split(",") if s]
    return Citation(
        n=n,
        doc_id=hit.chunk.doc_id,
        title=str(meta.get("title", hit.chunk.doc_id)),
        section=str(meta.get("heading_path") or meta.get("section") or ""),
        snippet=snippet,
        path=f"corpus/{meta.get('source_path', '')}",
        url=str(meta.get("url") or "") or None,
        outcomes=outcomes,
        council=str(meta.get("council")) or None,
        doc_type=str(meta.get("type", "")),
        reviewed=str(meta.get("reviewed") or "") or None,
    )


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


ID_RE = re.compile(r"\b(case|outcome|framework)-[a-z0-9-]+\b")


def _quotable(sentence: str) -> bool:
    """Sentences that read well on their own: not list intros, questions or cross-reference notes."""
    return not (sentence.endswith((":", "?")) or ID_RE.search(sentence) or sentence[0].islower())


def candidates_from(hits: Sequence[Hit]) -> list[Candidate]:
    """Sentences worth quoting from the retrieved chunks."""
    found: list[Candidate] = []
    for rank, hit in enumerate(hits):
        summary = hit.chunk.metadata.get("section") == "Summary"
        # A sentence is about its headings and its document too ("It grew from code..." under "LocalGov Drupal").
        context = set(
            analyze(f"{hit.chunk.metadata.get('title', '')} {hit.chunk.metadata.get('heading_path', '')}")
        )
        heading = set(analyze(str(hit.chunk.metadata.get("heading_path", "")).split(" > ")[-1]))
        first = True
        for unit in units(hit.chunk.text):
            parts = sentences(unit)
            for index, sentence in enumerate(parts):
                words = sentence.split()
                if not MIN_SENTENCE_WORDS <= len(words) <= MAX_SENTENCE_WORDS or not _quotable(sentence):
                    continue
                follow_on = parts[index + 1] if index + 1 < len(parts) else ""
                if index == 1 and len(parts[0].split()) < MIN_SENTENCE_WORDS:
                    # A bold lead-in ("**Devices reused.** Shows whether...") names what the sentence is about.
                    sentence = f"{parts[0]} {sentence}"
                candidate = Candidate(
                    sentence,
                    rank,
                    len(found),
                    set(analyze(sentence)),
                    summary=summary,
                    context=context,
                    heading=heading,
                    first=first,
                )
                first = False
                # A short opener ("A purchase price is not the cost.") reads best with the sentence it introduces.
                if len(words) < SHORT_SENTENCE_WORDS and follow_on and _quotable(follow_on):
                    candidate.follow_on = follow_on
                    candidate.terms |= set(analyze(follow_on))
                found.append(candidate)
    return found


QUANTITY_RE = re.compile(
    r"\bhow (many|much|long|big)\b|\bcost|\bfigures?\b|\bsav(e|ed|es|ings?)\b|\bnumbers?\b", re.I
)
DIGIT_RE = re.compile(r"\d")
# What a question asks for, and the section of the almanac's documents written to answer it.
SECTION_INTENTS = (
    (
        re.compile(
            r"\bwhere (do|should) (we|i) (start|begin)|\bfirst (steps?|90 days|year)|\bget started|\bprioriti[sz]e",
            re.I,
        ),
        "Where to start",
    ),
    (re.compile(r"\b(measure|track|indicators?|kpis?|metrics?)\b", re.I), "Measures and indicators"),
    (
        re.compile(r"\bwhat does good look like|\bgood practice\b|\bbest practice\b", re.I),
        "What good looks like",
    ),
    (
        re.compile(r"\bself-?assess|\bmaturity\b|\bhow (do|can) we know (where|how) we stand", re.I),
        "Self-assessment",
    ),
    (
        re.compile(r"\b(challenges?|barriers?|obstacles?|pitfalls?|go wrong|went wrong)\b", re.I),
        "Common challenges",
    ),
    (re.compile(r"\b(lessons?|learn(ed|t)?|takeaways?)\b", re.I), "What others can learn"),
)
DEFINITION_RE = re.compile(
    r"^(what is|what's|what are|what does|who are|who is|define|explain)\b|\bmean(s|ing)?\b", re.I
)


def score_candidates(query: str, candidates: list[Candidate], idf: Callable[[str], float]) -> None:
    """Score by idf-weighted overlap with the query, favouring higher-ranked chunks and informative sentences."""
    terms = set(analyze(query))
    total = sum(idf(t) for t in terms) or 1.0
    wants_figures = bool(QUANTITY_RE.search(query))
    wants_definition = bool(DEFINITION_RE.search(query))
    subject = terms - {"mean", "stand", "defin", "explain"}
    wanted_sections = wanted_sections_for(query)
    for c in candidates:
        direct = terms & c.terms
        overlap = (
            sum(idf(t) for t in direct) + 0.5 * sum(idf(t) for t in (terms & c.context) - direct)
        ) / total
        words = len(c.text.split()) + len(c.follow_on.split())
        c.score = 0.62 * overlap + 0.24 / (1.0 + 0.5 * c.hit_rank)
        c.score += 0.05 if 12 <= words <= 45 else 0.0
        c.score -= 0.10 if c.summary else 0.0  # summaries describe a document rather than answer
        if wants_figures and DIGIT_RE.search(c.text + c.follow_on):
            c.score += 0.10
        if c.section in wanted_sections:
            c.score += 0.10  # the section written to answer this kind of question
        if (
            wants_definition
            and c.first
            and c.heading
            and subject
            and (c.heading <= subject or subject <= c.heading)
        ):
            c.score += 0.40  # the opening sentence under a heading that names the thing asked about


def wanted_sections_for(query: str) -> set[str]:
    """Sections of the almanac's documents written to answer this kind of question."""
    return {section for pattern, section in SECTION_INTENTS if pattern.search(query)}


def select(candidates: list[Candidate]) -> list[Candidate]:
    """Best sentences, no near-duplicates, at most two from one chunk, within the word budget."""
    chosen: list[Candidate] = []
    per_hit: dict[int, int] = {}
    words = 0
    for c in sorted(candidates, key=lambda c: (-c.score, c.hit_rank, c.position)):
        if len(chosen) > MAX_POINTS or per_hit.get(c.hit_rank, 0) >= 2:
            continue
        if any(
            _jaccard(c.terms, o.terms) > 0.5 or c.text == o.follow_on or o.text == c.follow_on for o in chosen
        ):
            continue
        length = len(c.text.split()) + len(c.follow_on.split())
        if chosen and words + length > MAX_WORDS:
            continue
        chosen.append(c)
        per_hit[c.hit_rank] = per_hit.get(c.hit_rank, 0) + 1
        words += length
    return chosen


def _with_council(c: Candidate, hit: Hit) -> str:
    text = f"{c.text} {c.follow_on}".strip()
    council = str(hit.chunk.metadata.get("council") or "")
    if council and hit.chunk.metadata.get("type") == "case-study":
        short = council.replace("London Borough of ", "").replace(" City Council", "").replace(" Council", "")
        if short.split()[0].lower() not in text.lower():
            return f"**{council}:** {text}"
    return text


def extractive_answer(
    query: str, hits: Sequence[Hit], idf: Callable[[str], float]
) -> tuple[str, list[Citation]]:
    """Build a short answer: a lead sentence, then key points, each with [n] citations.

    Returns:
        The answer text (Markdown) and the citations it uses, numbered from 1 in order of use.
    """
    candidates = candidates_from(hits)
    if not candidates:
        return "", []
    score_candidates(query, candidates, idf)
    chosen = select(candidates)
    lead, points = chosen[0], sorted(chosen[1:], key=lambda c: (c.hit_rank, c.position))
    book = CitationBook()
    lines = [
        f"{_with_council(lead, hits[lead.hit_rank])} [{book.number_for(hits[lead.hit_rank], lead.text)}]"
    ]
    if points:
        lines.append("")
        for c in points:
            hit = hits[c.hit_rank]
            lines.append(f"- {_with_council(c, hit)} [{book.number_for(hit, c.text)}]")
    return "\n".join(lines), book.citations
