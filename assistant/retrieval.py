"""Hybrid retrieval: dense search in Chroma plus BM25, fused by reciprocal rank fusion.

Reusable on any collection: give it a store and embeddings. The BM25 index is built from the same
chunks as the vector store and rebuilt whenever the store's fingerprint (set by ingestion) changes.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar, cast

import bm25s
import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, PrivateAttr

from assistant.documents import Chunk, known_as
from assistant.store import ChromaStore
from assistant.text import analyze

logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG

RRF_K = 60
MODES = ("hybrid", "dense", "bm25")


@dataclass
class Filters:
    """Optional restrictions on what is retrieved."""

    outcome: str | None = None
    doc_type: str | None = None
    council_type: str | None = None
    section: str | None = None
    council: str | None = None
    doc_id: str | None = None

    def where(self) -> dict[str, Any] | None:
        """A Chroma where clause."""
        clauses: list[dict[str, Any]] = []
        if self.outcome:
            clauses.append({f"outcome_{self.outcome}": True})
        if self.doc_type:
            clauses.append({"type": self.doc_type})
        if self.council_type:
            clauses.append({"council_type": self.council_type})
        if self.section:
            clauses.append({"section": self.section})
        if self.council:
            clauses.append({"council": self.council})
        if self.doc_id:
            clauses.append({"doc_id": self.doc_id})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def allows(self, metadata: dict[str, Any]) -> bool:
        if self.outcome and not metadata.get(f"outcome_{self.outcome}"):
            return False
        if self.doc_type and metadata.get("type") != self.doc_type:
            return False
        if self.council_type and metadata.get("council_type") != self.council_type:
            return False
        if self.council and metadata.get("council") != self.council:
            return False
        if self.doc_id and metadata.get("doc_id") != self.doc_id:
            return False
        return not (self.section and metadata.get("section") != self.section)


@dataclass
class Hit:
    """A retrieved chunk with its fused score and the scores behind it."""

    chunk: Chunk
    score: float
    dense: float | None = None
    bm25: float | None = None
    ranks: dict[str, int] = field(default_factory=dict)


T = TypeVar("T")


class BM25Index:
    """BM25 (Lucene variant) over chunks, with stemming and stop words."""

    def __init__(self, chunks: list[Chunk], vectors: list[list[float]] | None = None):
        self.chunks = chunks
        # With the chunks' vectors in memory, a dense search is one matrix product, filters a mask.
        self.vectors = np.asarray(vectors, dtype=np.float32) if vectors and all(vectors) else None
        self._bm25 = bm25s.BM25()
        tokens = [analyze(c.embedding_text()) or ["_empty_"] for c in chunks]
        self._df: Counter[str] = Counter(term for doc in tokens for term in set(doc))
        self._derived: dict[str, Any] = {}
        if chunks:
            self._bm25.index(tokens, show_progress=False)

    def idf(self, term: str) -> float:
        """Inverse document frequency of an analysed term (rare terms weigh more)."""
        return math.log(1.0 + (len(self.chunks) + 1) / (self._df.get(term, 0) + 0.5))

    def dense(self, vector: list[float], k: int, filters: Filters | None = None) -> list[tuple[Chunk, float]]:
        """The k chunks nearest a query vector by cosine similarity (the vectors are normalised)."""
        assert self.vectors is not None
        scores = self.vectors @ np.asarray(vector, dtype=np.float32)
        if filters:
            mask = np.array([filters.allows(c.metadata) for c in self.chunks], dtype=bool)
            scores = np.where(mask, scores, -np.inf)
        top = np.argsort(-scores, kind="stable")[:k]
        return [(self.chunks[i], float(scores[i])) for i in top if np.isfinite(scores[i])]

    @cached_property
    def case_studies(self) -> list[tuple[str, str, str]]:
        """Each case study's doc id, council and title, for recognising one named in a question; a case known by
        other names ("Digital Pathfinders") comes again with each of them as its title."""
        return sorted(
            {
                (c.doc_id, str(c.metadata.get("council") or ""), name)
                for c in self.chunks
                if c.metadata.get("type") == "case-study"
                for name in (str(c.metadata.get("title") or ""), *known_as(c.metadata))
            }
        )

    def frequency(self, term: str) -> int:
        """How many chunks hold an analysed term."""
        return self._df.get(term, 0)

    def derived(self, name: str, build: Callable[[], T]) -> T:
        """A value worked out from the chunks once per index (the almanac's council names, its acronyms)."""
        if name not in self._derived:
            self._derived[name] = build()
        return cast(T, self._derived[name])

    def scores(self, query: str) -> np.ndarray:
        """Every chunk's BM25 score for the query, in chunk order."""
        terms = analyze(query)
        if not self.chunks or not terms:
            return np.zeros(len(self.chunks))
        return np.asarray(self._bm25.get_scores(terms))

    def search(self, query: str, k: int, filters: Filters | None = None) -> list[tuple[Chunk, float]]:
        terms = analyze(query)
        if not self.chunks or not terms:
            return []
        scores = self._bm25.get_scores(terms)
        if filters:
            mask = np.array([filters.allows(c.metadata) for c in self.chunks], dtype=bool)
            scores = np.where(mask, scores, 0.0)
        top = np.argsort(-scores, kind="stable")[:k]
        return [(self.chunks[i], float(scores[i])) for i in top if scores[i] > 0]


class HybridRetriever(BaseRetriever):
    """Dense + BM25 retrieval fused by reciprocal rank fusion, diversified across documents."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: ChromaStore
    embeddings: Embeddings
    mode: str = "hybrid"
    k: int = 6
    candidates: int = 40
    max_per_doc: int = 2
    refresh_seconds: float = 2.0
    # Up to this many chunks, dense search runs in memory beside BM25; past it, in the vector store.
    in_memory_limit: int = 50_000

    _bm25: BM25Index | None = PrivateAttr(default=None)
    _bm25_key: str | None = PrivateAttr(default=None)
    _checked_at: float = PrivateAttr(default=0.0)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    def index_key(self) -> str:
        """What identifies the index contents: ingestion's fingerprint and the chunk count."""
        return f"{self.store.info().get('fingerprint', '')}:{self.store.count()}"

    def bm25_index(self) -> BM25Index:
        """The BM25 index, rebuilt when the store has changed since it was built."""
        now = time.monotonic()
        with self._lock:
            if self._bm25 is None or now - self._checked_at > self.refresh_seconds:
                key = self.index_key()
                self._checked_at = now
                if key != self._bm25_key or self._bm25 is None:
                    small = self.store.count() <= self.in_memory_limit
                    chunks, vectors = self.store.all_chunks_with_vectors(vectors=small)
                    self._bm25 = BM25Index(chunks, vectors if small else None)
                    self._bm25_key = key
            return self._bm25

    def search(
        self,
        query: str,
        *,
        k: int | None = None,
        filters: Filters | None = None,
        query_embedding: list[float] | None = None,
        mode: str | None = None,
    ) -> list[Hit]:
        """The k best chunks for a query, at most max_per_doc from any one document."""
        mode = mode or self.mode
        if mode not in MODES:
            raise ValueError(f"retrieval mode must be one of {', '.join(MODES)}, not {mode!r}")
        k = k or self.k
        hits: dict[str, Hit] = {}
        if mode in ("hybrid", "dense"):
            vector = query_embedding if query_embedding is not None else self.embeddings.embed_query(query)
            index = self.bm25_index()
            if index.vectors is not None:
                dense = index.dense(vector, self.candidates, filters)
            else:
                where = filters.where() if filters else None
                dense = [(s.chunk, s.score) for s in self.store.query(vector, self.candidates, where=where)]
            for rank, (chunk, score) in enumerate(dense):
                hit = hits.setdefault(chunk.id, Hit(chunk, 0.0))
                hit.dense = score
                hit.ranks["dense"] = rank
                hit.score += 1.0 / (RRF_K + rank + 1)
        if mode in ("hybrid", "bm25"):
            for rank, (chunk, score) in enumerate(self.bm25_index().search(query, self.candidates, filters)):
                hit = hits.setdefault(chunk.id, Hit(chunk, 0.0))
                hit.bm25 = score
                hit.ranks["bm25"] = rank
                hit.score += 1.0 / (RRF_K + rank + 1)
        ranked = sorted(hits.values(), key=lambda h: (-h.score, h.chunk.id))
        return diversify(ranked, k=k, max_per_doc=self.max_per_doc)

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[LCDocument]:
        return [
            LCDocument(
                page_content=hit.chunk.text,
                metadata={**hit.chunk.metadata, "chunk_id": hit.chunk.id, "score": hit.score},
            )
            for hit in self.search(query)
        ]


def diversify(ranked: list[Hit], *, k: int, max_per_doc: int) -> list[Hit]:
    """Keep rank order but let no document fill the set. At most one of a document's places goes to a common
    question, so that its answers to other questions do not keep out the section that answers this one."""
    chosen: list[Hit] = []
    per_doc: dict[str, int] = {}
    answers: dict[str, int] = {}
    for hit in ranked:
        doc = hit.chunk.doc_id
        common = hit.chunk.metadata.get("section") == "Common questions"
        if per_doc.get(doc, 0) >= max_per_doc or (common and answers.get(doc, 0) >= max(1, max_per_doc - 1)):
            continue
        per_doc[doc] = per_doc.get(doc, 0) + 1
        answers[doc] = answers.get(doc, 0) + int(common)
        chosen.append(hit)
        if len(chosen) == k:
            break
    return chosen
