"""The `almanac` command as a user runs it, in a process of its own (where a test is about a command's
behaviour rather than its process, it runs the command in this one, with the model loaded already)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT, almanac_in_process, make_settings
from tests.corpus_fixtures import small_corpus

ALMANAC = [sys.executable, "-m", "assistant.cli"]


def run(args: list[str], data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "ALMANAC_DATA_DIR": str(data_dir), **env}
    return subprocess.run(
        ALMANAC + args, cwd=PROJECT_ROOT, env=environment, capture_output=True, text=True, timeout=600
    )


def ingest_in_process(corpus: Path, data_dir: Path, embeddings) -> None:
    """The index `almanac ingest` builds, built with the model this test run has loaded already;
    for tests about the other commands (`test_ingest_status_and_ask` runs `almanac ingest` itself)."""
    from ingest.pipeline import sync_corpus

    sync_corpus(make_settings(data_dir, corpus_dir=corpus), embeddings=embeddings)


@pytest.mark.e2e  # the real model, loaded by the command
def test_ingest_status_and_ask(tmp_path: Path) -> None:
    corpus = small_corpus(tmp_path / "corpus")
    data = tmp_path / "data"
    first = run(["ingest", "--corpus", str(corpus)], data)
    assert first.returncode == 0, first.stderr
    assert "documents: 3/3" in first.stdout  # plain progress lines when not on a terminal
    assert "3 added, 0 updated, 0 removed, 0 unchanged" in first.stdout

    again = run(["ingest", "--corpus", str(corpus)], data)
    assert "0 added, 0 updated, 0 removed, 3 unchanged; chunks written: 0" in again.stdout

    status = run(["status"], data)
    assert status.returncode == 0, status.stderr
    assert str(data / "chroma") in status.stdout and "all-MiniLM-L6-v2" in status.stdout
    assert "Documents:        3" in status.stdout
    assert (
        "  data                        3" in status.stdout
        and "  guidance                    3" in status.stdout
    )
    assert "Last ingested:    20" in status.stdout

    asked = run(["ask", "How do councils recover from ransomware?", "--json"], data)
    answer = json.loads(asked.stdout)
    assert answer["status"] == "answered" and answer["citations"][0]["doc_id"] == "doc-ransomware"


def test_bad_corpus_exits_with_a_readable_error(tmp_path: Path) -> None:
    corpus = small_corpus(tmp_path / "corpus")
    (corpus / "doc-webcasting.md").write_text("---\nid: doc-webcasting\n---\nText\n", encoding="utf-8")
    result = run(["ingest", "--corpus", str(corpus)], tmp_path / "data")
    assert result.returncode == 1
    assert "doc-webcasting.md: field 'title': is missing" in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr


@pytest.mark.e2e  # the real model, loaded by the command
def test_ask_before_ingest_says_what_to_do(tmp_path: Path) -> None:
    result = almanac_in_process(["ask", "What is a UPRN?"], {"ALMANAC_DATA_DIR": str(tmp_path / "empty")})
    assert result.exit_code == 1 and "almanac ingest" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.e2e  # the real model, loaded by the command
def test_ingest_shows_a_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    import pty

    corpus = small_corpus(tmp_path / "corpus")
    primary, secondary = pty.openpty()
    environment = {
        **os.environ,
        "ALMANAC_DATA_DIR": str(tmp_path / "data"),
        "COLUMNS": "100",
        "TERM": "xterm",
    }
    proc = subprocess.Popen(
        [*ALMANAC, "ingest", "--corpus", str(corpus)],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=secondary,
        stderr=secondary,
    )
    os.close(secondary)
    output = b""
    while True:
        try:
            data = os.read(primary, 65536)
        except OSError:
            break
        if not data:
            break
        output += data
    proc.wait(timeout=600)
    text = output.decode(errors="replace")
    assert proc.returncode == 0, text[-2000:]
    assert "Documents" in text and "Chunks" in text and "━" in text  # rich's bar, not plain lines
    assert "documents: 3/3" not in text and "3 added" in text


def test_chat_keeps_the_conversation(tmp_path: Path, embeddings) -> None:
    corpus = small_corpus(tmp_path / "corpus")
    data = tmp_path / "data"
    ingest_in_process(corpus, data, embeddings)
    session = "How do councils recover from ransomware?\nand what about step 3?\nnew\nexit\n"
    result = almanac_in_process(["chat"], {"ALMANAC_DATA_DIR": str(data)}, stdin=session)
    assert result.exit_code == 0, result.stderr
    answers = result.stdout.split("**Sources**")
    assert len(answers) == 3  # two answers, each with its sources
    second_sources = answers[2].strip().splitlines()
    assert second_sources[0].startswith(
        "1. Ransomware recovery"
    )  # the follow-up was read with the first question
    assert "Started a new conversation." in result.stdout


def test_status_flags_documents_overdue_for_review(tmp_path: Path, embeddings) -> None:
    corpus = small_corpus(tmp_path / "corpus")
    old = sorted(corpus.glob("*.md"))[0]
    old.write_text(old.read_text(encoding="utf-8").replace("updated: 2026-11-27", "updated: 2024-03-01"))
    data = tmp_path / "data"
    ingest_in_process(corpus, data, embeddings)
    status = run(["status"], data, ALMANAC_REVIEW_AGE_MONTHS="12")
    assert status.returncode == 0, status.stderr
    assert "1 of 3 documents not checked against their sources in the last 12 months" in status.stdout
    flagged = [line for line in status.stdout.splitlines() if "OVERDUE" in line]
    assert len(flagged) == 1 and flagged[0].strip().startswith("2024-03-01")
    listing = run(["status", "--reviews"], data, ALMANAC_REVIEW_AGE_MONTHS="36")
    assert "0 of 3 documents" in listing.stdout and "OVERDUE" not in listing.stdout
    assert listing.stdout.count("2026-11-27") == 2
