"""The extractive generator's composer: a grounded, cited answer shaped by what the question asks.

The answer's first sentence answers the question; then a few supporting points; then the councils that did
it. Sentences are chosen by meaning (their vectors, stored at ingestion) and by the question's rare words,
with redundancy control, and every sentence obeys the coherence rules in `assistant.sentence_rules`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.citations import CitationBook
from assistant.compose import shapes
from assistant.compose.lists import listed, margin_for
from assistant.compose.notes import opening_note
from assistant.compose.pool import LIST_KINDS, Asked, Composition, Sentence, read_sentences, score_sentences
from assistant.documents import Chunk
from assistant.retrieval import Hit
from assistant.sentence_rules import quotable

NAMED_CASE_BONUS = 0.12


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

    def sentences(self, hits: Sequence[Hit]) -> list[Sentence]:
        """Every sentence of the hits with its vector: stored at ingestion, or embedded now for old indexes."""
        return read_sentences(hits, self.embeddings, self.dim)

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
        hits = list(hits)
        if cases and self.section_chunks is not None:
            known = {h.chunk.id for h in hits}
            for case in cases:
                hits += [Hit(c, 0.0) for c in self.section_chunks(case, None) if c.id not in known]
        pool = [s for s in self.sentences(hits) if quotable(s.text)]
        if not pool:
            return Composition("", [])
        asked = Asked(query, np.asarray(vector, dtype=np.float32), idf, kind)
        score_sentences(pool, asked)
        if cases:
            for s in pool:
                s.score += NAMED_CASE_BONUS if s.doc_id in cases else 0.0
            kind = "other" if kind == "examples" else kind  # one named council: what it did, not a list
        composed = self._shaped(pool, asked, kind, outcome, kind_of, cases)
        note = opening_note(question, kind, composed.text, hits, idf)
        if note:
            composed.text = f"{note}\n\n{composed.text}"
        return composed

    def _shaped(
        self,
        pool: list[Sentence],
        asked: Asked,
        kind: str,
        outcome: str | None,
        kind_of: Callable[[str, np.ndarray], str] | None,
        cases: Sequence[str] = (),
    ) -> Composition:
        common = shapes.common_question(pool, asked.vector, self.dim, kind=kind, kind_of=kind_of)
        if common is not None:
            return shapes.from_common_question(common, pool, CitationBook())
        composed: Composition | None = None
        if kind == "definition":
            composed = shapes.definition(pool, CitationBook(), asked, self.dim)
        elif kind == "examples":
            composed = shapes.examples(pool, CitationBook())
        elif kind in LIST_KINDS:
            composed = listed(pool, CitationBook(), kind, outcome, self._whole_section(asked))
            # A guide's answer to some other question does not outrank the section written for this kind.
            rivals = [s.score for s in pool if s.section != "Common questions"] or [0.0]
            if composed is not None and composed.best_score < max(rivals) - margin_for(kind):
                composed = None  # the section written for this kind says less about it than other text does
        return composed or shapes.points(pool, CitationBook(), kind, cases)

    def _whole_section(self, asked: Asked) -> Callable[[list[Sentence], tuple[str, ...]], list[Sentence]]:
        """All the items of a document's sections, scored like the retrieved ones."""

        def whole(found: list[Sentence], sections: tuple[str, ...]) -> list[Sentence]:
            if self.section_chunks is None or not found:
                return list(found)
            doc_id = found[0].doc_id
            known = {s.hit.chunk.id for s in found}
            extra = [
                Hit(c, 0.0)
                for section in sections
                for c in self.section_chunks(doc_id, section)
                if c.id not in known
            ]
            if not extra:
                return list(found)
            more = [s for s in self.sentences(extra) if quotable(s.text)]
            rank = min(s.rank for s in found)
            for s in more:
                s.rank = rank
            score_sentences(more, asked)
            return list(found) + more

        return whole
