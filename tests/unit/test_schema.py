"""Bad corpus input stops the run with errors that name the file, the field and what is allowed."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import CorpusError
from ingest.load import load_corpus
from tests.corpus_fixtures import small_corpus, write_doc


def problems(root: Path) -> list[str]:
    with pytest.raises(CorpusError) as caught:
        load_corpus(root)
    return caught.value.problems


def test_valid_corpus_loads(tmp_path: Path) -> None:
    docs = load_corpus(small_corpus(tmp_path))
    assert sorted(d.id for d in docs) == ["doc-open-data", "doc-ransomware", "doc-webcasting"]


def test_malformed_yaml_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_text("---\nid: x\ntitle: [unclosed\n---\nBody\n", encoding="utf-8")
    (found,) = problems(tmp_path)
    assert "bad.md" in found and "malformed YAML" in found and "line" in found


def test_missing_field_is_named(tmp_path: Path) -> None:
    path = write_doc(tmp_path, "a.md", doc_id="doc-a", title="A", body="Text.\n")
    path.write_text(
        path.read_text().replace("summary: A short test document about a.\n", ""), encoding="utf-8"
    )
    (found,) = problems(tmp_path)
    assert "a.md" in found and "'summary'" in found and "missing" in found


def test_unknown_outcome_lists_allowed_slugs(tmp_path: Path) -> None:
    write_doc(tmp_path, "a.md", doc_id="doc-a", title="A", body="Text.\n", outcomes="[data, cyber]")
    (found,) = problems(tmp_path)
    assert "a.md" in found and "outcomes" in found and "'cyber'" in found
    assert "security-and-resilience" in found  # the allowed slugs are listed
    assert "Value error" not in found  # the validator's wording, not pydantic's


def test_duplicate_id_names_both_files(tmp_path: Path) -> None:
    write_doc(tmp_path, "a.md", doc_id="doc-same", title="A", body="Text.\n")
    write_doc(tmp_path, "b.md", doc_id="doc-same", title="B", body="Text.\n")
    (found,) = problems(tmp_path)
    assert "b.md" in found and "a.md" in found and "unique" in found


def test_non_utf8_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "latin.md").write_bytes("---\nid: caf\xe9\n---\n".encode("latin-1"))
    (found,) = problems(tmp_path)
    assert "latin.md" in found and "UTF-8" in found


def test_case_study_needs_council_fields(tmp_path: Path) -> None:
    write_doc(
        tmp_path, "c.md", doc_id="case-x", title="X", body="Text.\n", extra="council: Somewhere Council"
    )
    path = tmp_path / "c.md"
    path.write_text(path.read_text().replace("type: guidance", "type: case-study"), encoding="utf-8")
    (found,) = problems(tmp_path)
    assert "c.md" in found and "council_type" in found and "region" in found and "years" in found


def test_bad_council_type_lists_allowed(tmp_path: Path) -> None:
    extra = "council: X Council\ncouncil_type: parish\nregion: London\nyears: '2020'"
    write_doc(tmp_path, "c.md", doc_id="case-x", title="X", body="Text.\n", extra=extra)
    (found,) = problems(tmp_path)
    assert "council_type" in found and "district" in found and "london-borough" in found


def test_a_blank_other_name_is_named(tmp_path: Path) -> None:
    write_doc(
        tmp_path, "a.md", doc_id="doc-a", title="A", body="Text.\n", extra="known_as: ['Pathfinders', ' ']"
    )
    (found,) = problems(tmp_path)
    assert "a.md" in found and "known_as" in found and "non-empty" in found


def test_other_names_reach_every_chunk_of_the_document(tmp_path: Path) -> None:
    from ingest.chunk import chunk_document

    write_doc(
        tmp_path, "a.md", doc_id="doc-a", title="A", body="Text.\n", extra="known_as: ['Pathfinders', 'PF']"
    )
    (doc,) = load_corpus(tmp_path)
    chunks = chunk_document(doc)
    assert chunks and all(c.metadata["known_as"] == "Pathfinders; PF" for c in chunks)


def test_all_problems_reported_together(tmp_path: Path) -> None:
    write_doc(tmp_path, "a.md", doc_id="Bad Id", title="A", body="Text.\n")
    (tmp_path / "b.md").write_text("no front matter here\n", encoding="utf-8")
    found = problems(tmp_path)
    assert len(found) == 2
    assert any("a.md" in p and "'id'" in p for p in found)
    assert any("b.md" in p and "'---'" in p for p in found)
