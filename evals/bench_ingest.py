"""Ingestion throughput beside the raw SentenceTransformer.encode throughput on the same texts.

Run with `almanac bench ingest`. The pipeline embeds each chunk, and each chunk's sentences and heading (the
answer composer chooses sentences by their stored vectors), so the raw figure encodes the same texts.
Target: pipeline / raw >= 0.8 (the pipeline's own overhead stays small). The chunk-only raw figure is printed
too, to show what the sentence vectors cost.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from assistant.config import Settings
from assistant.embeddings import get_embeddings
from assistant.sentences import last_heading, split_chunk
from ingest.chunk import chunk_document
from ingest.load import load_corpus
from ingest.pipeline import sync_corpus


def run(settings: Settings, *, questions: int = 0, repeats: int = 2) -> dict[str, float]:
    """Measure and print; returns the figures."""
    embeddings = get_embeddings(settings.embedding_model, batch_size=settings.embedding_batch_size)
    documents = load_corpus(settings.corpus_dir)
    chunks = [
        c
        for d in documents
        for c in chunk_document(d, target=settings.chunk_tokens, overlap=settings.chunk_overlap)
    ]
    texts = [c.embedding_text() for c in chunks]
    # What the pipeline embeds besides: every chunk's sentences and its heading, shortest first as it does.
    extra = sorted(
        (
            t
            for c in chunks
            for t in [*split_chunk(c.text), last_heading(c.metadata) or str(c.metadata.get("title", ""))]
        ),
        key=len,
    )
    model = embeddings.model
    model.encode(texts[:32], batch_size=settings.embedding_batch_size)  # warm up

    def encode(batch: list[str]) -> float:
        started = time.perf_counter()
        model.encode(
            batch,
            batch_size=settings.embedding_batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return time.perf_counter() - started

    chunk_seconds = []
    raw_seconds = []
    for _ in range(repeats):
        chunk_seconds.append(encode(texts))
        raw_seconds.append(chunk_seconds[-1] + encode(extra))

    pipeline_seconds = []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as tmp:
            isolated = settings.model_copy(update={"data_dir": Path(tmp), "chroma_url": None})
            report = sync_corpus(isolated, embeddings=embeddings, rebuild=True)
            pipeline_seconds.append(report.seconds)
            noop = sync_corpus(isolated, embeddings=embeddings)

    raw = len(texts) / min(raw_seconds)
    chunks_only = len(texts) / min(chunk_seconds)
    pipeline = len(texts) / min(pipeline_seconds)
    figures = {
        "documents": float(len(documents)),
        "chunks": float(len(texts)),
        "sentences_and_headings": float(len(extra)),
        "raw_chunks_only_per_s": chunks_only,
        "raw_chunks_per_s": raw,
        "pipeline_chunks_per_s": pipeline,
        "ratio": pipeline / raw,
        "noop_seconds": noop.seconds,
    }
    print(
        f"Corpus: {len(documents)} documents, {len(texts)} chunks, {len(extra)} sentences and headings "
        f"(best of {repeats} runs each)"
    )
    print(f"Raw SentenceTransformer.encode, chunks only: {chunks_only:8.1f} chunks/s")
    print(f"Raw encode of everything the pipeline embeds: {raw:8.1f} chunks/s")
    print(f"Ingestion pipeline (load, chunk, embed, write to Chroma): {pipeline:8.1f} chunks/s")
    print(f"Ratio pipeline/raw, same texts: {figures['ratio']:.2f} (target >= 0.80)")
    print(f"Re-run with no change: {noop.seconds:.2f} s, {noop.chunks_written} chunks embedded")
    return figures
