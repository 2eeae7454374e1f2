"""Ingestion into real Chroma with the real model: incremental sync, crash repair, server mode."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.errors import CorpusError
from assistant.store import ChromaStore
from ingest.chunk import chunk_document
from ingest.load import load_corpus
from ingest.pipeline import sync_corpus
from tests.conftest import PROJECT_ROOT, free_port, make_settings
from tests.corpus_fixtures import paragraph, small_corpus, write_doc


def index_matches_corpus(store: ChromaStore, corpus: Path) -> bool:
    """The store holds exactly the corpus's chunks, each with its current text."""
    expected = {c.id: c.text for d in load_corpus(corpus) for c in chunk_document(d)}
    actual = {c.id: c.text for c in store.all_chunks()}
    return expected == actual


def test_incremental_sync_add_edit_delete_noop(tmp_path: Path, embeddings) -> None:
    corpus = small_corpus(tmp_path / "corpus")
    settings = make_settings(tmp_path / "data", corpus_dir=corpus)
    store = ChromaStore(settings)

    first = sync_corpus(settings, embeddings=embeddings, store=store)
    assert len(first.added) == 3 and first.chunks_written == first.chunks_total > 0
    assert index_matches_corpus(store, corpus)

    again = sync_corpus(settings, embeddings=embeddings, store=store)
    assert again.chunks_written == 0 and len(again.unchanged) == 3 and not again.added

    edited = corpus / "doc-webcasting.md"
    edited.write_text(edited.read_text().replace("## Part 2", "## Viewing figures"), encoding="utf-8")
    write_doc(
        corpus,
        "new.md",
        doc_id="doc-new",
        title="Resident accounts",
        body="## Accounts\n\n" + paragraph("accounts"),
    )
    (corpus / "doc-open-data.md").unlink()
    changed = sync_corpus(settings, embeddings=embeddings, store=store)
    assert (
        changed.updated == ["doc-webcasting"]
        and changed.added == ["doc-new"]
        and changed.removed == ["doc-open-data"]
    )
    assert sorted(changed.unchanged) == ["doc-ransomware"]
    # only the edited and the new document were embedded
    assert changed.chunks_written == len(
        [c for d in load_corpus(corpus) if d.id in {"doc-webcasting", "doc-new"} for c in chunk_document(d)]
    )
    assert index_matches_corpus(store, corpus)
    assert store.info()["documents"] == 3


def test_invalid_corpus_writes_nothing(tmp_path: Path, embeddings) -> None:
    corpus = small_corpus(tmp_path / "corpus")
    settings = make_settings(tmp_path / "data", corpus_dir=corpus)
    store = ChromaStore(settings)
    sync_corpus(settings, embeddings=embeddings, store=store)
    before = {c.id: c.text for c in store.all_chunks()}
    (corpus / "doc-ransomware.md").write_text("changed text but no front matter\n", encoding="utf-8")
    write_doc(corpus, "extra.md", doc_id="doc-extra", title="Extra", body="## New\n\n" + paragraph("extra"))
    with pytest.raises(CorpusError, match="doc-ransomware.md"):
        sync_corpus(settings, embeddings=embeddings, store=store)
    assert {c.id: c.text for c in store.all_chunks()} == before


CRASHER = """
import os, signal, sys
from pathlib import Path
from ingest.pipeline import sync_corpus
from tests.conftest import make_settings
settings = make_settings(Path(sys.argv[1]), corpus_dir=Path(sys.argv[2]))
def die(kind, done, total):
    if kind == "chunks" and done >= 8:
        os.kill(os.getpid(), signal.SIGKILL)
sync_corpus(settings, progress=die, batch_size=4)
"""


def test_killed_run_is_repaired_by_the_next(tmp_path: Path, embeddings) -> None:
    corpus = small_corpus(tmp_path / "corpus")
    settings = make_settings(tmp_path / "data", corpus_dir=corpus)
    sync_corpus(settings, embeddings=embeddings)
    for name in ("doc-ransomware.md", "doc-webcasting.md"):  # edit two documents, then kill -9 mid-write
        path = corpus / name
        path.write_text(path.read_text().replace("step", "stage"), encoding="utf-8")
    (corpus / "doc-open-data.md").unlink()
    proc = subprocess.run(
        [sys.executable, "-c", CRASHER, str(settings.data_dir), str(corpus)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        timeout=300,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()[-2000:]
    store = ChromaStore(settings)
    assert not index_matches_corpus(store, corpus)  # the kill really left the index part-written
    repair = sync_corpus(settings, embeddings=embeddings, store=store)
    assert index_matches_corpus(store, corpus)
    assert repair.removed == ["doc-open-data"] or "doc-open-data" not in {
        c.doc_id for c in store.all_chunks()
    }


@pytest.mark.e2e
def test_offline_model_load_in_a_fresh_process() -> None:
    code = (
        "from assistant.embeddings import get_embeddings\n"
        "v = get_embeddings().embed_query('digital inclusion')\n"
        "print(len(v), round(sum(x * x for x in v), 3))\n"
    )
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "HF_HOME": "/nonexistent-hf-home",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["384", "1.0"]


@pytest.mark.server
def test_chroma_server_mode(tmp_path: Path, embeddings) -> None:
    chroma = Path(sys.executable).parent / "chroma"
    port = free_port()
    server = subprocess.Popen(
        [
            str(chroma),
            "run",
            "--path",
            str(tmp_path / "server-data"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        settings = make_settings(
            tmp_path / "data",
            corpus_dir=small_corpus(tmp_path / "corpus"),
            chroma_url=f"http://127.0.0.1:{port}",
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                store = ChromaStore(settings)
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        report = sync_corpus(settings, embeddings=embeddings, store=store)
        assert len(report.added) == 3
        assert index_matches_corpus(store, settings.corpus_dir)
        assert not (tmp_path / "data" / "chroma").exists()  # nothing went to the embedded store
        from assistant.rag import Assistant

        answer = Assistant(settings, embeddings=embeddings, store=store).ask(
            "How do councils handle ransomware?"
        )
        assert answer.status == "answered" and answer.citations[0].doc_id == "doc-ransomware"
    finally:
        server.terminate()
        server.wait(timeout=30)
