"""The extractive generator: a grounded, cited answer shaped by what the question asks, with no language model.

The answer's first sentence answers the question; then a few supporting points; then the councils that did
it. Sentences are chosen by meaning (their vectors, stored at ingestion) and by the question's rare words,
with redundancy control, and every sentence obeys the coherence rules in `assistant.sentence_rules`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.answer import Citation
from assistant.documents import Chunk
from assistant.generation import CitationBook
from assistant.retrieval import Hit
from assistant.sentence_rules import (
    council_short_name,
    dangling,
    glossary_entry,
    quotable,
    scene_setting,
    with_council_name,
)
from assistant.sentences import last_heading, split_chunk, stored_heading_vector, stored_sentences
from assistant.text import analyze

# A common question in a guide answers the user's question when their meanings are this close. Set on
# 18 pairs written for the purpose (paraphrases against same-topic different questions): the closest
# different question scored 0.71, paraphrases 0.51-0.95 (median 0.81); a wrong lead costs more than a
# missed one, so the threshold sits above every different question.
COMMON_QUESTION_MATCH = 0.72
COMMON_QUESTION_SURE = 0.85
# A glossary heading this close to the question names the term asked about.
TERM_MATCH = 0.55
# Kinds whose form decides the answer: a yes/no question is not answered by a "how do we" one.
FORM_KINDS = frozenset({"yes-no", "definition", "figures", "comparison"})
NAMED_CASE_BONUS = 0.12
NAMED_LEAD_GAP = 0.25
MAX_POINTS = 6
MAX_WORDS = 180  # of quoted text; markers, labels and list headings come on top
MMR_LAMBDA = 0.65
# A supporting point scores at least this, and no further below the lead than SUPPORT_GAP.
SUPPORT_FLOOR = 0.30
SUPPORT_GAP = 0.30
SUPPORT_SIMILARITY = 0.28
LIST_GAP = 0.15
# A list is used when its best item scores within this of the best sentence anywhere in the retrieved text.
LIST_MARGIN = 0.08
STEPS_GAP = 0.3  # a step this much less like the question than the closest step is about something else
STEPS_MARGIN = 0.15  # "how do we..." is what a guide's "Where to start" is written for
# A list or a council example is used only when one of its items is this close to the question.
LIST_SIMILARITY = 0.45
EXAMPLE_SIMILARITY = 0.45
OUTCOME_GUIDE_BONUS = 0.15
LIST_KINDS = {
    "steps": ("Where to start",),
    "good-practice": ("What good looks like",),
    "measures": ("Measures and indicators",),
    "challenges": ("Common challenges",),
    "maturity": ("Self-assessment",),
}
CASE_ACTION_SECTIONS = ("What they did", "What happened", "What others can learn")


@dataclass
class Sentence:
    """One quotable sentence of a retrieved chunk, with its vector and score."""

    text: str
    hit: Hit
    rank: int
    position: int
    vector: np.ndarray
    previous: str = ""
    score: float = 0.0
    similarity: float = 0.0  # to the question, by meaning alone
    terms: set[str] = field(default_factory=set)

    @property
    def section(self) -> str:
        return str(self.hit.chunk.metadata.get("section", ""))

    @property
    def doc_type(self) -> str:
        return str(self.hit.chunk.metadata.get("type", ""))

    @property
    def heading(self) -> str:
        return last_heading(self.hit.chunk.metadata)


@dataclass(frozen=True)
class Asked:
    """What sentences are scored against: the query, its vector, the idf of its words and the answer kind."""

    query: str
    vector: np.ndarray
    idf: Callable[[str], float]
    kind: str


@dataclass
class Composition:
    """What the composer decided, for the answer text and for tests."""

    text: str
    citations: list[Citation]
    lead: str = ""
    shape: str = "points"
    best_score: float = 0.0


class Composer:
    """Builds extractive answers from retrieved chunks."""

    def __init__(
        self,
        embeddings: Embeddings,
        *,
        dim: int | None = None,
        section_chunks: Callable[[str, str | None], list[Chunk]] | None = None,
    ):
        self.embeddings = embeddings
        self.dim = dim or len(embeddings.embed_query("dimension"))
        # Every chunk of one document's section, so a list is quoted whole rather than as retrieved.
        self.section_chunks = section_chunks

    # Sentences and their vectors.
    def sentences(self, hits: Sequence[Hit]) -> list[Sentence]:
        """Every sentence of the hits with its vector: stored at ingestion, or embedded now for old indexes."""
        found: list[Sentence] = []
        missing: list[tuple[int, Hit, list[str]]] = []
        per_hit: list[tuple[Hit, list[str], np.ndarray | None]] = []
        for hit in hits:
            stored = stored_sentences(hit.chunk.metadata, self.dim)
            if stored is None:
                texts = split_chunk(hit.chunk.text)
                missing.append((len(per_hit), hit, texts))
                per_hit.append((hit, texts, None))
            else:
                per_hit.append((hit, stored[0], stored[1]))
        if missing:
            flat = [t for _, _, texts in missing for t in texts]
            vectors = np.asarray(self.embeddings.embed_documents(flat), dtype=np.float32) if flat else None
            start = 0
            for index, hit, texts in missing:
                block = (
                    vectors[start : start + len(texts)] if vectors is not None else np.zeros((0, self.dim))
                )
                per_hit[index] = (hit, texts, block)
                start += len(texts)
        for rank, (hit, texts, vectors) in enumerate(per_hit):
            assert vectors is not None
            for position, text in enumerate(texts):
                found.append(
                    Sentence(
                        text,
                        hit,
                        rank,
                        position,
                        vectors[position],
                        previous=texts[position - 1] if position else "",
                        terms=set(analyze(text)),
                    )
                )
        return found

    def score(
        self,
        sentences: list[Sentence],
        query: str,
        vector: np.ndarray,
        idf: Callable[[str], float],
        kind: str,
    ) -> None:
        """Meaning first, then the question's rare words, the chunk's rank and the section's fit."""
        terms = set(analyze(query))
        total = sum(idf(t) for t in terms) or 1.0
        wanted = LIST_KINDS.get(kind, ())
        for s in sentences:
            lexical = sum(idf(t) for t in terms & s.terms) / total
            s.similarity = float(s.vector @ vector)
            s.score = s.similarity + 0.6 * lexical + 0.06 / (1.0 + s.rank)
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

    # Choosing.
    def mmr(self, pool: list[Sentence], count: int, chosen: list[Sentence]) -> list[Sentence]:
        """Up to count more sentences, each the best trade of score against likeness to those already chosen."""
        picked: list[Sentence] = []
        candidates = [s for s in pool if s not in chosen]
        words = sum(len(self._render(s).split()) for s in chosen)
        while candidates and len(picked) < count:
            taken = chosen + picked

            def value(s: Sentence, taken: list[Sentence] = taken) -> float:
                likeness = max((float(s.vector @ t.vector) for t in taken), default=0.0)
                return MMR_LAMBDA * s.score - (1 - MMR_LAMBDA) * likeness

            best = max(candidates, key=value)
            candidates.remove(best)
            if any(float(best.vector @ t.vector) > 0.86 or best.text == t.text for t in taken):
                continue  # the same point again
            length = len(self._render(best).split())  # as it will stand, with any sentence it brings
            if taken and words + length > MAX_WORDS:
                continue
            picked.append(best)
            words += length
        return picked

    def common_question(
        self,
        sentences: list[Sentence],
        vector: np.ndarray,
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
            heading = stored_heading_vector(hit.chunk.metadata, self.dim)
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

    # Shapes.
    def compose(
        self,
        question: str,
        query: str,
        vector: Sequence[float],
        hits: Sequence[Hit],
        idf: Callable[[str], float],
        *,
        kind: str = "other",
        outcome: str | None = None,
        cases: Sequence[str] = (),
        kind_of: Callable[[str, np.ndarray], str] | None = None,
    ) -> Composition:
        """The answer text and its citations, numbered from 1 in order of use.

        Args:
            kind: what kind of answer the question wants (see `assistant.intent`).
            outcome: the outcome the answer is mostly about; its guide's lists are preferred.
            cases: case studies the question names; their sentences are preferred.
            kind_of: classifies a guide's common question, so that one is used only for the same kind.
        """
        qvec = np.asarray(vector, dtype=np.float32)
        hits = list(hits)
        if cases and self.section_chunks is not None:
            known = {h.chunk.id for h in hits}
            for case in cases:
                hits += [Hit(c, 0.0) for c in self.section_chunks(case, None) if c.id not in known]
        pool = [s for s in self.sentences(hits) if quotable(s.text)]
        if not pool:
            return Composition("", [])
        asked = Asked(query, qvec, idf, kind)
        self.score(pool, query, qvec, idf, kind)
        if cases:
            for s in pool:
                s.score += NAMED_CASE_BONUS if s.hit.chunk.doc_id in cases else 0.0
            kind = "other" if kind == "examples" else kind  # one named council: what it did, not a list
        book = CitationBook()
        composed = self._shaped(pool, book, asked, kind, outcome, kind_of, cases)
        relevance = max((h.dense for h in hits if h.dense is not None), default=0.0)
        note = partial_coverage_note(question, hits, idf) if relevance < PARTIAL_RELEVANCE else ""
        if not note and kind == "figures" and not re.search(r"\d", re.sub(r"\[\d+\]", "", composed.text)):
            # Asked for a number and the answer has none: say so rather than imply it.
            note = "The almanac gives no figure for exactly this. This is the nearest it has:"
        if note:
            composed.text = f"{note}\n\n{composed.text}"
        return composed

    def _shaped(
        self,
        pool: list[Sentence],
        book: CitationBook,
        asked: Asked,
        kind: str,
        outcome: str | None,
        kind_of: Callable[[str, np.ndarray], str] | None,
        cases: Sequence[str] = (),
    ) -> Composition:
        common = self.common_question(pool, asked.vector, kind=kind, kind_of=kind_of)
        if common is not None:
            return self._from_common_question(common, pool, book, kind)
        composed: Composition | None = None
        if kind == "definition":
            composed = self._definition(pool, book, asked)
        elif kind == "examples":
            composed = self._examples(pool, book)
        elif kind in LIST_KINDS:
            composed = self._list(pool, book, kind, outcome, asked)
            margin = STEPS_MARGIN if kind == "steps" else LIST_MARGIN
            # A guide's answer to some other question does not outrank the section written for this kind.
            rivals = [s.score for s in pool if s.section != "Common questions"] or [0.0]
            if composed is not None and composed.best_score < max(rivals) - margin:
                # The section written for this kind of question says less about it than other text does.
                book = CitationBook()
                composed = None
        return composed or self._points(pool, CitationBook(), kind, cases)

    def _cite(self, book: CitationBook, s: Sentence) -> str:
        return f"[{book.number_for(s.hit, s.text)}]"

    def _render(self, s: Sentence) -> str:
        """A sentence as it stands in an answer: its council named, its pointer resolved."""
        text = as_statement(s.text) if s.section == "Summary" else s.text
        council = str(s.hit.chunk.metadata.get("council") or "")
        if s.doc_type == "case-study":
            text = with_council_name(text, council)
        if s.hit.chunk.doc_id == "framework-glossary" and s.heading:
            text = glossary_entry(s.heading, text)
        if dangling(text) and s.previous and quotable(s.previous, min_words=3):
            previous = s.previous
            if s.doc_type == "case-study":
                previous = with_council_name(previous, council)
            text = f"{previous} {text}"
        return text

    def _leadable(self, s: Sentence, kind: str) -> bool:
        """A sentence that can open an answer: it answers rather than sets a scene or measures."""
        if s.section == "Summary" or scene_setting(s.text, s.section):
            return False
        if s.section == "Measures and indicators" and kind != "measures":
            return False
        if dangling(s.text) and not (s.previous and quotable(s.previous, min_words=3)):
            return False
        return not (s.doc_type == "case-study" and s.section == "Sources")

    def _supporting(
        self, pool: list[Sentence], chosen: list[Sentence], count: int, *, relative: bool = True
    ) -> list[Sentence]:
        """Points that add to what is chosen and are close enough to the question to belong."""
        floor = SUPPORT_FLOOR
        if chosen and relative:
            floor = max(SUPPORT_FLOOR, max(c.score for c in chosen) - SUPPORT_GAP)
        usable = [
            s
            for s in pool
            if s.score >= floor
            and s.similarity >= SUPPORT_SIMILARITY
            and s.section != "Summary"
            and not scene_setting(s.text, s.section)
            and (not dangling(s.text) or s.previous)
        ]
        return self._distinct(self.mmr(usable, count, chosen), chosen)

    def _distinct(self, picked: list[Sentence], chosen: list[Sentence]) -> list[Sentence]:
        """Drop a point whose words are already in the answer (a sentence and the one it brought along)."""
        seen = [self._render(c) for c in chosen]
        kept: list[Sentence] = []
        for s in picked:
            text = self._render(s)
            if any(text in other or other in text for other in seen):
                continue
            seen.append(text)
            kept.append(s)
        return kept

    def _points(
        self, pool: list[Sentence], book: CitationBook, kind: str = "other", cases: Sequence[str] = ()
    ) -> Composition:
        ranked = sorted(pool, key=lambda s: -s.score)
        lead = next((s for s in ranked if self._leadable(s, kind)), ranked[0])
        # A named case's own summary may lead: it is what the question asks about.
        named_leads = [
            s
            for s in ranked
            if s.hit.chunk.doc_id in cases
            and (self._leadable(s, kind) or (s.section == "Summary" and not dangling(s.text)))
        ]
        if named_leads and named_leads[0].score >= lead.score - NAMED_LEAD_GAP:
            lead = named_leads[0]  # a question about a named council is answered from its case first
        named = [s for s in pool if s.hit.chunk.doc_id in cases and s.section not in ("Summary", "Sources")]
        points = self._supporting(pool, [lead], MAX_POINTS - 1)
        if named and len(points) < 2:
            # A question about one council's case hears more of that case, however it is worded.
            points += self._distinct(self.mmr(named, 3 - len(points), [lead, *points]), [lead, *points])
        points.sort(key=lambda s: (s.rank, s.position))
        lines = [f"{self._render(lead)} {self._cite(book, lead)}"]
        if points:
            lines.append("")
            lines.extend(f"- {self._render(s)} {self._cite(book, s)}" for s in points)
        return Composition("\n".join(lines), book.citations, lead=lead.text, shape="points")

    def _from_common_question(
        self, hit: Hit, pool: list[Sentence], book: CitationBook, kind: str
    ) -> Composition:
        """A guide already answers this question: its answer leads, then what cases add."""
        own = [s for s in pool if s.hit is hit]
        own.sort(key=lambda s: s.position)
        citation = f"[{book.number_for(hit, own[0].text if own else hit.chunk.text)}]"
        # The answer's sentences are consecutive, so none needs its previous sentence brought along.
        body = " ".join(s.text for s in own) if own else hit.chunk.text.strip()
        lines = [f"{body} {citation}"]
        # What other documents add, councils' experience first.
        others = [s for s in pool if s.hit is not hit and s.section != "Common questions"]
        for s in others:
            s.score += 0.05 if s.doc_type == "case-study" and s.section in CASE_ACTION_SECTIONS else 0.0
        extra = self._supporting(others, own, 4, relative=False) if others and own else []
        if extra:
            lines.append("")
            lines.extend(f"- {self._render(s)} {self._cite(book, s)}" for s in extra)
        lead = own[0].text if own else body
        return Composition("\n".join(lines), book.citations, lead=lead, shape="common-question")

    def _definition(self, pool: list[Sentence], book: CitationBook, asked: Asked) -> Composition | None:
        """The entry that names the term leads; then what the guides add.

        Only an entry for the term asked about may lead: its name is in the question, or its heading is
        close in meaning to it. Otherwise the nearest entry defines something else.
        """
        question = asked.query.lower()

        def names_term(s: Sentence) -> bool:
            term = s.heading.split(" (")[0].strip().lower()
            if term and re.search(rf"\b{re.escape(term)}\b", question):
                return True
            heading = stored_heading_vector(s.hit.chunk.metadata, self.dim)
            return heading is not None and float(heading @ asked.vector) >= TERM_MATCH

        entries = [
            s for s in pool if s.hit.chunk.doc_id == "framework-glossary" and s.heading and names_term(s)
        ]
        if not entries:
            return None
        best = max(entries, key=lambda s: s.score)
        entry = sorted((s for s in entries if s.hit is best.hit), key=lambda s: s.position)[:3]
        lead_text = glossary_entry_text(entry[0].heading, [s.text for s in entry])
        lines = [f"{lead_text} {self._cite(book, entry[0])}"]
        rest = [s for s in pool if s.hit.chunk.doc_id != "framework-glossary" and s.section != "Summary"]
        extra = self._supporting(rest, entry, 2)
        if extra:
            lines.append("")
            lines.extend(f"- {self._render(s)} {self._cite(book, s)}" for s in extra)
        return Composition("\n".join(lines), book.citations, lead=lead_text, shape="definition")

    def _examples(self, pool: list[Sentence], book: CitationBook) -> Composition | None:
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
            picks = self._distinct(self.mmr(sorted(group, key=lambda s: -s.score), 2, []), [])
            if not lead:
                # The council closest to the question leads with what it did.
                top = picks[0]
                text = self._render(top)
                lead = text  # its council is named in the list below and in its citation
                lead = f"{lead} {self._cite(book, top)}"
                picks = picks[1:]
                if not picks:
                    continue
            picks.sort(key=lambda s: (s.rank, s.position))
            text = " ".join(f"{self._render(s)} {self._cite(book, s)}" for s in picks)
            if text.startswith(council):
                lines.append(f"- **{council}**{text[len(council) :]}")
            else:
                lines.append(f"- **{council}:** {text}")
        others = f"Councils that have done this include {join_names(names)}:" if len(names) > 1 else ""
        body = [lead, "", others, *lines] if others and lines else [lead, *([""] + lines if lines else [])]
        return Composition("\n".join(body), book.citations, lead=lead, shape="examples")

    def _within_budget(self, items: list[Sentence], count: int) -> list[Sentence]:
        """The first items, in order, that fit the word budget."""
        chosen: list[Sentence] = []
        words = 0
        for s in items:
            length = len(self._render(s).split())
            if chosen and words + length > MAX_WORDS:
                continue
            chosen.append(s)
            words += length
            if len(chosen) == count:
                break
        return chosen

    def _whole_section(
        self, found: list[Sentence], sections: tuple[str, ...], asked: Asked
    ) -> list[Sentence]:
        """All the items of the document's section, scored like the retrieved ones."""
        if self.section_chunks is None or not found:
            return list(found)
        doc_id = found[0].hit.chunk.doc_id
        known = {s.hit.chunk.id for s in found}
        rank = min(s.rank for s in found)
        extra: list[Hit] = []
        for section in sections:
            extra.extend(Hit(c, 0.0) for c in self.section_chunks(doc_id, section) if c.id not in known)
        if not extra:
            return list(found)
        more = [s for s in self.sentences(extra) if quotable(s.text)]
        for s in more:
            s.rank = rank
        self.score(more, asked.query, asked.vector, asked.idf, asked.kind)
        return list(found) + more

    def _list(
        self, pool: list[Sentence], book: CitationBook, kind: str, outcome: str | None, asked: Asked
    ) -> Composition | None:
        """Steps, signs of good practice, measures, challenges or maturity signs, from the section for them."""
        sections = LIST_KINDS[kind]
        items = [s for s in pool if s.section in sections and s.doc_type == "guidance"]
        if not items:
            return None
        by_doc: dict[str, list[Sentence]] = {}
        for s in items:
            by_doc.setdefault(s.hit.chunk.doc_id, []).append(s)

        def doc_value(doc_id: str) -> float:
            top = sorted((s.score for s in by_doc[doc_id]), reverse=True)[:2]
            return sum(top) / len(top) + (
                OUTCOME_GUIDE_BONUS if outcome and doc_id == f"outcome-{outcome}" else 0.0
            )

        doc_id = max(by_doc, key=doc_value)
        same_doc = self._whole_section(by_doc[doc_id], sections, asked)
        same_doc.sort(key=lambda s: -s.score)
        best = same_doc[0]
        if kind == "steps":
            # The guide puts first things first: its opening list, in its order, is where a council starts,
            # leaving out only items far from the question.
            usable = [s for s in same_doc if not dangling(s.text)]
            best_similarity = max((s.similarity for s in usable), default=0.0)
            in_order = sorted(
                (s for s in usable if s.similarity >= best_similarity - STEPS_GAP),
                key=lambda s: (s.hit.chunk.id, s.position),
            )
            # The guide's first step is its authors' first priority: it always stays in.
            first_step = min(usable, key=lambda s: (s.hit.chunk.id, s.position), default=None)
            picked = self._distinct(usable[:2] + ([first_step] if first_step else []) + in_order, [])
            chosen = self._within_budget(picked, 5)
            chosen.sort(key=lambda s: (s.hit.chunk.id, s.position))
            best = chosen[0] if chosen else best
        else:
            close = [s for s in same_doc if s.score >= best.score - LIST_GAP]
            chosen = self._distinct(self.mmr(close, 5, []), [])
        if len(chosen) < 3 or max(s.similarity for s in chosen) < LIST_SIMILARITY:
            return None  # the section found is not about what was asked
        if kind != "steps":
            chosen.sort(key=lambda s: (s.hit.chunk.id, s.position))
        title = str(best.hit.chunk.metadata.get("title", "")).strip()
        heading = best.heading if best.heading and best.heading != best.section else best.section
        # The item closest to the question answers it first; the rest follow as the guide lists them.
        first = max(chosen, key=lambda s: s.score)
        lead = f"{self._render(first)} {self._cite(book, first)}"
        rest = [s for s in chosen if s is not first]
        numbered = kind == "steps"
        lines = [lead, "", LIST_INTROS[kind].format(title=title, heading=heading)]
        for index, s in enumerate(rest, start=1):
            marker = f"{index}." if numbered else "-"
            lines.append(f"{marker} {self._render(s)} {self._cite(book, s)}")
        cases = [s for s in pool if s.doc_type == "case-study" and s.section in CASE_ACTION_SECTIONS]
        if cases and kind in ("steps", "good-practice", "challenges"):
            # Councils' experience stands beside the guide's list on its own merit.
            extra = self._supporting(cases, chosen, 2, relative=False)
            if extra:
                lines.append("")
                lines.append("From councils' experience:")
                lines.extend(f"- {self._render(s)} {self._cite(book, s)}" for s in extra)
        return Composition("\n".join(lines), book.citations, lead=lead, shape=kind, best_score=first.score)


LIST_INTROS = {
    "steps": "Then, from the {title} guide ({heading}):",
    "good-practice": "The {title} guide also describes:",
    "measures": "Other measures the {title} guide suggests:",
    "challenges": "Other challenges the {title} guide names:",
    "maturity": (
        "The {title} guide describes four levels (Starting, Developing, Established, Leading); "
        "other signs at the {heading} level:"
    ),
}


DESCRIBES_RE = re.compile(r"^How (?=(?:the |a |an )?[A-Z])")


def as_statement(sentence: str) -> str:
    """A summary that describes its document ("How Wigan Council used...") read as what happened."""
    if not DESCRIBES_RE.match(sentence):
        return sentence
    rest = DESCRIBES_RE.sub("", sentence, count=1)
    return rest[:1].upper() + rest[1:]


def join_names(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def glossary_entry_text(term_heading: str, texts: list[str]) -> str:
    """A glossary entry that leads with its term."""
    body = " ".join(texts)
    term = term_heading.split(" (")[0].strip()
    if body.lower().startswith(term.lower()):
        return body
    return f"**{term_heading}:** {body}"


# A question word counts as rare when so few chunks hold it that the almanac would name it if it covered it.
RARE_IDF = 3.5
# Below this best dense similarity the retrieved material may be only near the question.
PARTIAL_RELEVANCE = 0.5
COVERAGE_FLOOR = 0.55


def partial_coverage_note(question: str, hits: Sequence[Hit], idf: Callable[[str], float]) -> str:
    """One sentence saying what the almanac lacks, when the question's specific subject is in no source."""
    found: set[str] = set()
    for hit in hits:
        found.update(analyze(hit.chunk.embedding_text()))
    words: list[tuple[str, str]] = []
    for word in question.replace("?", " ").split():
        stems = analyze(word)
        if stems:
            words.append((word.strip(".,;:!\"'()").lower(), stems[0]))
    total = sum(idf(stem) for _, stem in words) or 1.0
    covered = sum(idf(stem) for _, stem in words if stem in found) / total
    missing = [word for word, stem in words if stem not in found and idf(stem) >= RARE_IDF]
    if covered >= COVERAGE_FLOOR or not missing:
        return ""
    listed = join_names([f"“{w}”" for w in dict.fromkeys(missing)][:3])
    return (
        f"The almanac has nothing specific on {listed}. This is the nearest guidance it has, "
        "so check it fits your case."
    )
