"""Heading-aware chunking keeps the heading path and the document's metadata with every chunk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.documents import without_also_asked
from assistant.errors import CorpusError
from ingest.chunk import chunk_document
from ingest.load import load_corpus
from ingest.tokens import token_counter
from tests.conftest import CORPUS
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
    assert all(token_counter().count(c.text) <= 120 + 30 for c in chunks)
    # consecutive chunks share their boundary sentence(s)
    assert any(chunks[i].text.split(". ")[-1][:40] in chunks[i + 1].text for i in range(len(chunks) - 1))


def test_chunk_ids_are_deterministic(tmp_path: Path) -> None:
    # Two copies loaded separately: ids come from the document, not from the run or the file's place.
    body = "## One\n\n" + paragraph("x", 30) + "\n\n## Two\n\n" + paragraph("y", 30)
    chunked = []
    for folder in ("first", "second/nested"):
        write_doc(tmp_path / folder, "a.md", doc_id="doc-a", title="A", body=body)
        (doc,) = load_corpus(tmp_path / folder.split("/")[0])
        chunked.append([(c.id, c.text) for c in chunk_document(doc)])
    assert len(chunked[0]) >= 3
    assert chunked[0] == chunked[1]


@pytest.fixture(scope="module")
def model():
    """The bundled embedding model, as ingestion and retrieval load it."""
    from assistant.embeddings import load_sentence_transformer

    return load_sentence_transformer()


def test_no_corpus_chunk_is_cut_by_the_model(model) -> None:
    # Counted by the loaded model's own tokenizer, with the title and headings that are embedded.
    limit = model.max_seq_length
    too_long = {}
    for doc in load_corpus(CORPUS):
        for chunk in chunk_document(doc):
            tokens = len(model.tokenizer(chunk.embedding_text(), verbose=False)["input_ids"])
            if tokens > limit:
                too_long[chunk.id] = tokens
    assert not too_long, f"chunks longer than the model's {limit}-token window: {too_long}"


def test_long_headings_and_unbroken_text_still_fit(tmp_path: Path, model) -> None:
    heading = " ".join(f"heading{i}" for i in range(40))
    unbroken = " ".join(["interoperability-and-standards-led-commissioning"] * 120)  # one "sentence"
    write_doc(tmp_path, "a.md", doc_id="doc-a", title="A " + heading, body=f"## {heading}\n\n{unbroken}\n")
    (doc,) = load_corpus(tmp_path)
    chunks = chunk_document(doc)
    assert len(chunks) > 2
    assert all(len(model.tokenizer(c.embedding_text())["input_ids"]) <= model.max_seq_length for c in chunks)
    # nothing is lost: every word is in some chunk, in order
    assert " ".join(c.text for c in chunks[1:]).split() == unbroken.split()


def test_heading_that_leaves_no_room_names_the_file(tmp_path: Path) -> None:
    heading = " ".join(f"word{i}" for i in range(200))
    write_doc(tmp_path, "a.md", doc_id="doc-a", title="A", body=f"## {heading}\n\n{paragraph('x')}\n")
    (doc,) = load_corpus(tmp_path)
    with pytest.raises(CorpusError, match=r"a\.md: the title and heading .* shorten them"):
        chunk_document(doc)


def test_a_long_paragraph_split_into_sentences_keeps_them_one_paragraph() -> None:
    from ingest.chunk import pack_section

    long = " ".join(f"Sentence {n} says something about the council's backups and plans." for n in range(12))
    chunks = pack_section([long, "A second paragraph."], target=60, overlap=0)
    assert len(chunks) > 1  # the paragraph was too long for one chunk, so it was split into sentences
    text = "\n\n".join(chunks)
    assert "plans. Sentence 1 says" in text  # the long paragraph's sentences run on
    assert text.endswith("plans.\n\nA second paragraph.")  # and the next paragraph stays apart


def test_a_common_question_keeps_the_other_ways_it_is_asked_out_of_its_text(tmp_path: Path) -> None:
    body = (
        "## Common questions\n\n### Can councillors vote remotely?\n"
        "<!-- also asked: Can a cllr vote from home? | Do members have to be in the room? -->\n\n"
        f"{paragraph('remote')}\n"
    )
    write_doc(tmp_path, "a.md", doc_id="doc-a", title="Meetings", body=body)
    (doc,) = load_corpus(tmp_path)
    (question,) = [c for c in chunk_document(doc) if c.section == "Common questions"]
    assert json.loads(question.metadata["also_asked"]) == [
        "Can a cllr vote from home?",
        "Do members have to be in the room?",
    ]
    assert "also asked" not in question.text and "cllr" not in question.text
    assert "also asked" not in without_also_asked(doc.body)


def test_an_also_asked_line_that_is_not_questions_names_the_file_and_heading(tmp_path: Path) -> None:
    body = f"## Common questions\n\n### Can we?\n<!-- also asked: we can | Can we? -->\n\n{paragraph('x')}\n"
    write_doc(tmp_path, "a.md", doc_id="doc-a", title="A", body=body)
    (doc,) = load_corpus(tmp_path)
    with pytest.raises(CorpusError, match=r"a\.md: under 'Common questions > Can we\?'.*'we can'"):
        chunk_document(doc)
    misplaced = f"## Where to start\n<!-- also asked: Can we? -->\n\n{paragraph('x')}\n"
    write_doc(tmp_path, "a.md", doc_id="doc-a", title="A", body=misplaced)
    (doc,) = load_corpus(tmp_path)
    with pytest.raises(CorpusError, match=r"a\.md: an 'also asked' line sits under 'Where to start'"):
        chunk_document(doc)


def test_a_list_that_carries_on_its_introduction_is_read_with_it_as_one_sentence() -> None:
    from assistant.sentences import split_chunk

    text = (
        "The mayor pledged to get three groups online:\n\n- all young people under 25\n- all people over 75\n"
        "- all disabled residents\n\nNaming groups helps partners plan.\n\n- **Own list:** A list of its own."
    )
    assert split_chunk(text) == [
        "The mayor pledged to get three groups online: all young people under 25; all people over 75; "
        "all disabled residents.",
        "Naming groups helps partners plan.",
        "Own list: A list of its own.",
    ]
