"""Answer shapes for a guide's common question, a definition, council examples and plain points."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from assistant.citations import CitationBook
from assistant.compose.choose import MAX_POINTS, distinct, mmr, supporting
from assistant.compose.pool import CASE_ACTION_SECTIONS, Asked, Composition, Sentence
from assistant.compose.wording import cite, glossary_entry_text, join_names, leadable, line, render
from assistant.retrieval import Hit
from assistant.sentence_rules import council_short_name, dangling
from assistant.sentences import last_heading, stored_heading_vector

# A common question in a guide answers the user's question when their meanings are this close. Set on
# 18 pairs written for the purpose (paraphrases against same-topic different questions): the closest
# different question scored 0.71, paraphrases 0.51-0.95 (median 0.81); a wrong lead costs more than a
# missed one, so the threshold sits above every different question.
COMMON_QUESTION_MATCH = 0.72
COMMON_QUESTION_SURE = 0.85
# Kinds whose form decides the answer: a yes/no question is not answered by a "how do we" one.
FORM_KINDS = frozenset({"yes-no", "definition", "figures", "comparison"})
# A glossary heading this close to the question names the term asked about.
TERM_MATCH = 0.55
NAMED_LEAD_GAP = 0.25
# A council example is used only when something it did is this close to the question.
EXAMPLE_SIMILARITY = 0.45


def common_question(
    sentences: list[Sentence],
    vector: np.ndarray,
    dim: int,
    *,
    kind: str = "other",
    kind_of: Callable[[str, np.ndarray], str] | None = None,
) -> Hit | None:
    """A guide's common question that asks what the user asked, if one was retrieved.

    Close in meaning is not enough when the two ask for different things ("how do we recover" is not
    "do we have to report"), so below COMMON_QUESTION_SURE the common question must be of the same kind.
    """
    best: tuple[float, Hit] | None = None
    for hit in {id(s.hit): s.hit for s in sentences}.values():
        if hit.chunk.metadata.get("section") != "Common questions":
            continue
        heading = stored_heading_vector(hit.chunk.metadata, dim)
        if heading is None:
            continue
        similarity = float(heading @ vector)
        if similarity < COMMON_QUESTION_MATCH or (best is not None and similarity <= best[0]):
            continue
        other = kind_of(last_heading(hit.chunk.metadata), heading) if kind_of is not None else kind
        same_kind = other == kind or not {other, kind} & FORM_KINDS
        if similarity < COMMON_QUESTION_SURE and not same_kind:
            continue
        best = (similarity, hit)
    return best[1] if best else None


def from_common_question(hit: Hit, pool: list[Sentence], book: CitationBook) -> Composition:
    """A guide already answers this question: its answer leads, then what cases add."""
    own = sorted((s for s in pool if s.hit is hit), key=lambda s: s.position)
    citation = f"[{book.number_for(hit, own[0].text if own else hit.chunk.text)}]"
    # The answer's sentences are consecutive, so none needs its previous sentence brought along.
    body = " ".join(s.text for s in own) if own else hit.chunk.text.strip()
    lines = [f"{body} {citation}"]
    # What other documents add, councils' experience first.
    others = [s for s in pool if s.hit is not hit and s.section != "Common questions"]
    for s in others:
        s.score += 0.05 if s.doc_type == "case-study" and s.section in CASE_ACTION_SECTIONS else 0.0
    extra = supporting(others, own, 4, relative=False) if others and own else []
    if extra:
        lines += ["", *(line(s, book) for s in extra)]
    lead = own[0].text if own else body
    return Composition("\n".join(lines), book.citations, lead=lead, shape="common-question")


def points(
    pool: list[Sentence], book: CitationBook, kind: str = "other", cases: Sequence[str] = ()
) -> Composition:
    """The sentence that best answers the question, then the points that add to it."""
    ranked = sorted(pool, key=lambda s: -s.score)
    lead = next((s for s in ranked if leadable(s, kind)), ranked[0])
    # A named case's own summary may lead: it is what the question asks about.
    named_leads = [
        s
        for s in ranked
        if s.doc_id in cases and (leadable(s, kind) or (s.section == "Summary" and not dangling(s.text)))
    ]
    if named_leads and named_leads[0].score >= lead.score - NAMED_LEAD_GAP:
        lead = named_leads[0]  # a question about a named council is answered from its case first
    named = [s for s in pool if s.doc_id in cases and s.section not in ("Summary", "Sources")]
    more = supporting(pool, [lead], MAX_POINTS - 1)
    if named and len(more) < 2:
        # A question about one council's case hears more of that case, however it is worded.
        more += distinct(mmr(named, 3 - len(more), [lead, *more]), [lead, *more])
    more.sort(key=lambda s: (s.rank, s.position))
    lines = [f"{render(lead)} {cite(book, lead)}"]
    if more:
        lines += ["", *(line(s, book) for s in more)]
    return Composition("\n".join(lines), book.citations, lead=lead.text, shape="points")


def definition(pool: list[Sentence], book: CitationBook, asked: Asked, dim: int) -> Composition | None:
    """The entry that names the term leads; then what the guides add.

    Only an entry for the term asked about may lead: its name is in the question, or its heading is
    close in meaning to it. Otherwise the nearest entry defines something else.
    """
    question = asked.query.lower()

    def names_term(s: Sentence) -> bool:
        term = s.heading.split(" (")[0].strip().lower()
        if term and re.search(rf"\b{re.escape(term)}\b", question):
            return True
        heading = stored_heading_vector(s.hit.chunk.metadata, dim)
        return heading is not None and float(heading @ asked.vector) >= TERM_MATCH

    entries = [s for s in pool if s.doc_id == "framework-glossary" and s.heading and names_term(s)]
    if not entries:
        return None
    best = max(entries, key=lambda s: s.score)
    entry = sorted((s for s in entries if s.hit is best.hit), key=lambda s: s.position)[:3]
    lead_text = glossary_entry_text(entry[0].heading, [s.text for s in entry])
    lines = [f"{lead_text} {cite(book, entry[0])}"]
    rest = [s for s in pool if s.doc_id != "framework-glossary" and s.section != "Summary"]
    extra = supporting(rest, entry, 2)
    if extra:
        lines += ["", *(line(s, book) for s in extra)]
    return Composition("\n".join(lines), book.citations, lead=lead_text, shape="definition")


def examples(pool: list[Sentence], book: CitationBook) -> Composition | None:
    """Councils that did it: what each did and what happened."""
    by_council: dict[str, list[Sentence]] = {}
    for s in pool:
        if s.doc_type == "case-study" and s.section in CASE_ACTION_SECTIONS + ("The challenge",):
            meta = s.hit.chunk.metadata
            by_council.setdefault(str(meta.get("council") or meta.get("title")), []).append(s)
    # A council belongs in the answer only when something it did is close to the question.
    relevant = [g for g in by_council.values() if max(s.similarity for s in g) >= EXAMPLE_SIMILARITY]
    if not relevant:
        return None
    ranked = sorted(relevant, key=lambda group: -max(s.score for s in group))[:3]
    names = []
    lines: list[str] = []
    lead = ""
    for group in ranked:
        meta = group[0].hit.chunk.metadata
        council = str(meta.get("council") or meta.get("title")).split(" (")[0]
        names.append(council_short_name(council))
        picks = distinct(mmr(sorted(group, key=lambda s: -s.score), 2, []), [])
        if not lead:
            # The council closest to the question leads with what it did; its name is in its citation.
            top = picks[0]
            lead = f"{render(top)} {cite(book, top)}"
            picks = picks[1:]
            if not picks:
                continue
        picks.sort(key=lambda s: (s.rank, s.position))
        text = " ".join(f"{render(s)} {cite(book, s)}" for s in picks)
        if text.startswith(council):
            lines.append(f"- **{council}**{text[len(council) :]}")
        else:
            lines.append(f"- **{council}:** {text}")
    others = f"Councils that have done this include {join_names(names)}:" if len(names) > 1 else ""
    body = [lead, "", others, *lines] if others and lines else [lead, *([""] + lines if lines else [])]
    return Composition("\n".join(body), book.citations, lead=lead, shape="examples")
