"""Incremental sync of the corpus into the vector store.

The store itself is the manifest: every chunk carries its document's hash, and chunk ids are
deterministic (`<doc id>#<index>`). A document is unchanged only when the store holds exactly its
expected chunk ids, all with the current hash. So a run killed part-way leaves documents that simply
look changed, and the next run repairs them to exactly the corpus.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from assistant.config import Settings
from assistant.documents import ALSO_ASKED_KEY, Chunk, Document
from assistant.embeddings import SentenceTransformerEmbeddings, get_embeddings
from assistant.sentences import attach_sentence_vectors, last_heading, split_chunk
from assistant.store import ChromaStore
from ingest.chunk import chunk_document
from ingest.load import load_corpus
from ingest.tokens import token_counter

# 11: a long paragraph split between chunks keeps its sentences together; 12: common questions carry the
# other ways officers ask them, with their vectors; 13: a sentence is not split inside a quotation; 14: a
# list that carries on its introduction is read with it as one sentence
CHUNKER_VERSION = "14"
Progress = Callable[[str, int, int], None]


@dataclass
class SyncReport:
    """What a sync did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    chunks_written: int = 0
    chunks_deleted: int = 0
    chunks_total: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"documents: {len(self.added)} added, {len(self.updated)} updated, {len(self.removed)} removed, "
            f"{len(self.unchanged)} unchanged; chunks written: {self.chunks_written}; "
            f"chunks in index: {self.chunks_total}; {self.seconds:.1f} s"
        )

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _doc_hash(document: Document, settings: Settings, model_label: str) -> str:
    """Hash of everything that decides a document's chunks and vectors."""
    key = "|".join(
        [
            document.content_hash,
            model_label,
            str(settings.chunk_tokens),
            str(settings.chunk_overlap),
            CHUNKER_VERSION,
        ]
    )
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def corpus_fingerprint(doc_hashes: dict[str, str]) -> str:
    """One hash for the whole index state; the BM25 index is rebuilt when it changes."""
    joined = "\n".join(f"{doc_id}:{digest}" for doc_id, digest in sorted(doc_hashes.items()))
    return hashlib.sha256(joined.encode()).hexdigest()[:32]


def embed_sentences(chunks: list[Chunk], embeddings: SentenceTransformerEmbeddings) -> None:
    """Embed each chunk's sentences and heading, and keep them in the chunk's metadata."""
    texts: list[str] = []
    spans: list[tuple[Chunk, list[str], int, int]] = []
    for chunk in chunks:
        found = split_chunk(chunk.text)
        asked = json.loads(str(chunk.metadata.get(ALSO_ASKED_KEY) or "[]"))
        spans.append((chunk, found, len(texts), len(asked)))
        texts.extend(found)
        texts.append(last_heading(chunk.metadata) or str(chunk.metadata.get("title", "")))
        texts.extend(asked)
    # Similar lengths pad less; the order is restored below.
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    vectors: list[list[float]] = [[] for _ in texts]
    for i, vector in zip(order, embeddings.embed_documents([texts[i] for i in order]), strict=True):
        vectors[i] = vector
    for chunk, found, start, asked in spans:
        end = start + len(found)
        attach_sentence_vectors(
            chunk.metadata, found, vectors[start:end], vectors[end], vectors[end + 1 : end + 1 + asked]
        )


def sync_corpus(
    settings: Settings,
    *,
    corpus_dir: Path | None = None,
    rebuild: bool = False,
    embeddings: SentenceTransformerEmbeddings | None = None,
    store: ChromaStore | None = None,
    progress: Progress | None = None,
    batch_size: int = 256,
) -> SyncReport:
    """Bring the index in line with the corpus.

    Raises:
        CorpusError: the corpus is invalid; nothing has been written.
    """
    started = time.perf_counter()
    report = SyncReport()
    notify = progress or (lambda _kind, _done, _total: None)
    documents = load_corpus(corpus_dir or settings.corpus_dir)  # validates everything before any write
    embeddings = embeddings or get_embeddings(
        settings.embedding_model, batch_size=settings.embedding_batch_size
    )
    store = store or ChromaStore(settings)
    if rebuild or (store.count() and store.info().get("embedding_model") not in (None, embeddings.label)):
        store.reset()

    existing: dict[str, dict[str, set[str]]] = {}
    for chunk_id, meta in store.iter_metadata():
        entry = existing.setdefault(str(meta.get("doc_id", "")), {"ids": set(), "hashes": set()})
        entry["ids"].add(chunk_id)
        entry["hashes"].add(str(meta.get("doc_hash", "")))

    to_write: list[Chunk] = []
    stale_ids: list[str] = []
    hashes: dict[str, str] = {}
    counter = token_counter(settings.embedding_model)
    for index, document in enumerate(documents, start=1):
        digest = _doc_hash(document, settings, embeddings.label)
        hashes[document.id] = digest
        chunks = chunk_document(
            document, target=settings.chunk_tokens, overlap=settings.chunk_overlap, counter=counter
        )
        for chunk in chunks:
            chunk.metadata["doc_hash"] = digest
        expected = {c.id for c in chunks}
        current = existing.get(document.id)
        report.chunks_total += len(chunks)
        notify("documents", index, len(documents))
        if current and current["ids"] == expected and current["hashes"] == {digest}:
            report.unchanged.append(document.id)
            continue
        (report.updated if current else report.added).append(document.id)
        to_write.extend(chunks)
        if current:
            stale_ids.extend(sorted(current["ids"] - expected))

    removed = sorted(set(existing) - set(hashes))
    for doc_id in removed:
        stale_ids.extend(sorted(existing[doc_id]["ids"]))
    report.removed = removed

    # Batches of similar length pad less, as SentenceTransformer.encode does within one call.
    to_write.sort(key=lambda c: len(c.embedding_text()))
    for start in range(0, len(to_write), batch_size):
        batch = to_write[start : start + batch_size]
        t0 = time.perf_counter()
        vectors = embeddings.embed_documents([c.embedding_text() for c in batch])
        embed_sentences(batch, embeddings)
        report.embed_seconds += time.perf_counter() - t0
        store.upsert(batch, vectors)
        report.chunks_written += len(batch)
        notify("chunks", report.chunks_written, len(to_write))
    if stale_ids:
        store.delete_ids(stale_ids)
        report.chunks_deleted = len(stale_ids)

    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    info = store.info()
    changed = bool(report.added or report.updated or report.removed) or not info.get("changed_at")
    store.set_info(
        {
            "embedding_model": embeddings.label,
            "ingested_at": now,
            "changed_at": now if changed else info.get("changed_at", now),
            "fingerprint": corpus_fingerprint(hashes),
            "documents": len(documents),
            "chunks": report.chunks_total,
            "corpus_dir": str(corpus_dir or settings.corpus_dir),
        }
    )
    report.seconds = time.perf_counter() - started
    return report
