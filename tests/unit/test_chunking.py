"""Heading-aware chunking keeps the heading path and the document's metadata with every chunk."""

from __future__ import annotations

from pathlib import Path

from ingest.chunk import chunk_document, estimate_tokens
from ingest.load import load_corpus
from tests.corpus_fixtures import paragraph, write_doc


def test_chunks_carry_heading_path_and_metadata(tmp_path: Path) -> None:
    body = f"## Self-assessment\n\n### Starting\n\n{paragraph('backups')}\n\n## Sources\n\nA list.\n"
    write_doc(
        tmp_path,
        "a.md",
        doc_id="doc-a",
        title="Backups",
        body=body,
        outcomes="[security-and-resilience, data]",
    )
    (doc,) = load_corpus(tmp_path)
    chunks = chunk_document(doc)
    assert chunks[0].section == "Summary"
    starting = [c for c in chunks if c.metadata["heading_path"] == "Self-assessment > Starting"]
    assert starting and "backups" in starting[0].text
    assert all(
        c.metadata["doc_id"] == "doc-a" and c.metadata["outcomes"] == "security-and-resilience,data"
        for c in chunks
    )
    assert all(
        c.metadata["outcome_security-and-resilience"] and not c.metadata["outcome_ethics"] for c in chunks
    )
    assert not any(c.section == "Sources" for c in chunks)  # reference lists are not retrieved
    assert [c.id for c in chunks] == [f"doc-a#{i:03d}" for i in range(len(chunks))]


def test_long_sections_split_near_target_with_overlap(tmp_path: Path) -> None:
    body = "## Long\n\n" + "\n\n".join(paragraph(f"topic {i}", 8) for i in range(8))
    write_doc(tmp_path, "a.md", doc_id="doc-a", title="Long document", body=body)
    (doc,) = load_corpus(tmp_path)
    chunks = [c for c in chunk_document(doc, target=120, overlap=30) if c.section == "Long"]
    assert len(chunks) >= 5
    assert all(estimate_tokens(c.text) <= 120 + 30 for c in chunks)
    # consecutive chunks share their boundary sentence(s)
    assert any(chunks[i].text.split(". ")[-1][:40] in chunks[i + 1].text for i in range(len(chunks) - 1))


def test_chunk_ids_are_deterministic(tmp_path: Path) -> None:
    write_doc(tmp_path, "a.md", doc_id="doc-a", title="A", body="## One\n\n" + paragraph("x"))
    (doc,) = load_corpus(tmp_path)
    assert [c.id for c in chunk_document(doc)] == [c.id for c in chunk_document(doc)]
