"""The hybrid retriever: filters, diversity, LangChain use, and a BM25 index that never goes stale."""

from __future__ import annotations

from pathlib import Path

from assistant.retrieval import Filters, HybridRetriever
from assistant.store import ChromaStore
from ingest.pipeline import sync_corpus
from tests.conftest import make_settings
from tests.corpus_fixtures import paragraph, small_corpus, write_doc


def test_filters_restrict_every_mode(assistant) -> None:
    retriever = assistant.retriever
    filters = Filters(doc_type="case-study", council_type="district")
    for mode in ("hybrid", "dense", "bm25"):
        hits = retriever.search("ransomware attack recovery", filters=filters, mode=mode)
        assert hits, mode
        assert all(
            h.chunk.metadata["type"] == "case-study" and h.chunk.metadata["council_type"] == "district"
            for h in hits
        )
    inclusion = retriever.search("what to do first", filters=Filters(outcome="inclusion"), k=10)
    assert inclusion and all(h.chunk.metadata["outcome_inclusion"] for h in inclusion)


def test_no_document_fills_the_set(assistant) -> None:
    hits = assistant.retriever.search("Hackney ransomware attack 2020 recovery costs", k=8)
    per_doc: dict[str, int] = {}
    for hit in hits:
        per_doc[hit.chunk.doc_id] = per_doc.get(hit.chunk.doc_id, 0) + 1
    assert len(hits) == 8 and max(per_doc.values()) <= assistant.retriever.max_per_doc
    assert hits[0].chunk.doc_id == "case-hackney-ransomware"


def test_hybrid_fuses_both_rankings(assistant) -> None:
    hits = assistant.retriever.search("Unique Property Reference Number address gazetteer")
    assert any("dense" in h.ranks and "bm25" in h.ranks for h in hits)
    assert hits == sorted(hits, key=lambda h: -h.score)


def test_works_as_a_langchain_retriever(assistant) -> None:
    documents = assistant.retriever.invoke("digital champions network")
    assert documents and all(d.metadata["doc_id"] and d.page_content for d in documents)
    assert any(
        d.metadata["doc_id"] in {"case-leeds-100-percent-digital", "outcome-inclusion", "framework-glossary"}
        for d in documents
    )


def test_bm25_follows_ingestion(tmp_path: Path, embeddings) -> None:
    corpus = small_corpus(tmp_path / "corpus")
    settings = make_settings(tmp_path / "data", corpus_dir=corpus)
    store = ChromaStore(settings)
    sync_corpus(settings, embeddings=embeddings, store=store)
    retriever = HybridRetriever(store=store, embeddings=embeddings, refresh_seconds=0)
    assert not retriever.search("zephyrnet telemetry", mode="bm25")
    write_doc(
        corpus,
        "new.md",
        doc_id="doc-new",
        title="Sensors",
        body="## Zephyrnet\n\n" + paragraph("zephyrnet telemetry"),
    )
    sync_corpus(settings, embeddings=embeddings, store=store)
    hits = retriever.search("zephyrnet telemetry", mode="bm25")
    assert hits and hits[0].chunk.doc_id == "doc-new"
    (corpus / "new.md").unlink()
    sync_corpus(settings, embeddings=embeddings, store=store)
    assert not retriever.search("zephyrnet telemetry", mode="bm25")
