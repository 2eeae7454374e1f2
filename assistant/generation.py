"""Answer generators: the Generator protocol and the extractive generator."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.answer import Answer, Turn
from assistant.compose.composer import DECLINED
from assistant.council_names import council_names, councils_in
from assistant.documents import Chunk
from assistant.query import strip_meta
from assistant.refusals import nearest_pointer
from assistant.retrieval import Hit

if TYPE_CHECKING:
    from assistant.retrieval import HybridRetriever


class Generator(Protocol):
    """Writes the answer from the retrieved chunks: text pieces as they are ready, then the final Answer."""

    def stream(
        self,
        question: str,
        hits: Sequence[Hit],
        history: Sequence[Turn],
        *,
        base: Answer,
        query: str,
        vector: Sequence[float],
        fallback: Generator | None = None,
        cases: Sequence[str] = (),
        earlier: str = "",
    ) -> Iterator[str | Answer]: ...


class ExtractiveGenerator:
    """The default generator: a grounded, cited answer of the almanac's own sentences, no language model."""

    name = "extractive"

    def __init__(
        self,
        embeddings: Embeddings,
        retriever: HybridRetriever,
    ):
        from assistant.compose import Composer

        self.retriever = retriever
        self.composer = Composer(
            embeddings,
            section_chunks=self._section_chunks,
            common_questions=self._common_questions,
            mentions=self._mentions,
            councils=self._councils,
            spelled=self._spelled,
        )

    def _mentions(self, name: str) -> bool:
        """Whether any chunk of the almanac uses the name, in any case."""
        index = self.retriever.bm25_index()
        text = index.derived(
            "lowered_text", lambda: "\n".join(c.embedding_text() for c in index.chunks).lower()
        )
        return name.lower() in text

    def _spelled(self, acronym: str) -> str:
        """The words the almanac gives for an acronym ("Information Commissioner's Office" for "ICO"), or ""."""
        from assistant.acronyms import spelled_acronyms

        index = self.retriever.bm25_index()
        return index.derived("spelled_acronyms", lambda: spelled_acronyms(c.text for c in index.chunks)).get(
            acronym, ""
        )

    def _councils(self, question: str) -> list[str]:
        """The councils the almanac names that the question names too."""
        index = self.retriever.bm25_index()
        names = index.derived("council_names", lambda: council_names(c.text for c in index.chunks))
        return councils_in(question, names)

    def _section_chunks(self, doc_id: str, section: str | None) -> list[Chunk]:
        """Every chunk of one document, or of one of its sections, in order."""
        chunks = self.retriever.bm25_index().chunks
        return [
            c
            for c in chunks
            if c.doc_id == doc_id and (section is None or c.metadata.get("section") == section)
        ]

    def _common_questions(self, vector: np.ndarray, query: str = "") -> list[Hit]:
        """Every guide's common questions, each with its likeness to the vector (when vectors are in memory) and
        its BM25 score for the query."""
        index = self.retriever.bm25_index()
        if index.vectors is None:
            return []
        rows = [i for i, c in enumerate(index.chunks) if c.metadata.get("section") == "Common questions"]
        if not rows:
            return []
        dense = index.vectors[rows] @ vector
        lexical = index.scores(query)[rows] if query else np.zeros(len(rows))
        return [
            Hit(index.chunks[i], 0.0, dense=float(d), bm25=float(b))
            for i, d, b in zip(rows, dense, lexical, strict=True)
        ]

    def stream(
        self,
        question: str,
        hits: Sequence[Hit],
        history: Sequence[Turn],
        *,
        base: Answer,
        query: str,
        vector: Sequence[float],
        fallback: Generator | None = None,
        cases: Sequence[str] = (),
        earlier: str = "",
    ) -> Iterator[str | Answer]:
        composed = self.composer.compose(
            strip_meta(question),  # "what does the almanac say about ethics?" asks about ethics
            query,
            vector,
            hits,
            self.retriever.bm25_index().idf,
            kind=base.kind or "other",
            outcome=base.outcomes[0].slug if base.outcomes else None,
            cases=cases,
            said=history[-1].answer if history else "",
            earlier=earlier,
        )
        if composed.shape == DECLINED:
            # The almanac lacks what was asked and has nothing near enough to quote: a plain "not covered",
            # pointing at the outcome nearest the question.
            nearest = base.outcomes[:1]
            text = f"{composed.text}{nearest_pointer(nearest)}"
            yield text
            yield replace(
                base,
                text=text,
                citations=[],
                outcomes=nearest,
                status="no_evidence",
                rule="not-covered",
                generator=self.name,
            )
            return
        yield from composed.text.splitlines(keepends=True)
        yield replace(base, text=composed.text, citations=composed.citations, generator=self.name)
