"""Shared fixtures: the real model, a real Chroma index of the real corpus, a real Assistant."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from assistant.config import PROJECT_ROOT, Settings  # noqa: E402

CORPUS = PROJECT_ROOT / "corpus"
ARTIFACTS = PROJECT_ROOT / "test-artifacts"


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    """Settings isolated from the environment and from any .env file."""
    values: dict[str, object] = {"data_dir": data_dir, "corpus_dir": CORPUS, **overrides}
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def embeddings():
    """The bundled all-MiniLM-L6-v2, loaded once."""
    from assistant.embeddings import get_embeddings

    return get_embeddings()


@pytest.fixture(scope="session")
def index_settings(tmp_path_factory: pytest.TempPathFactory, embeddings) -> Settings:
    """Settings whose data folder holds an index of the real corpus, ingested once per test run."""
    from ingest.pipeline import sync_corpus

    settings = make_settings(tmp_path_factory.mktemp("almanac-index"))
    sync_corpus(settings, embeddings=embeddings)
    return settings


@pytest.fixture(scope="session")
def assistant(index_settings: Settings, embeddings):
    """A real Assistant over the real corpus (extractive generator)."""
    from assistant.rag import Assistant

    return Assistant(index_settings, embeddings=embeddings)


@pytest.fixture()
def artifacts() -> Iterator[Path]:
    """Folder for screenshots and reports that tests leave behind."""
    ARTIFACTS.mkdir(exist_ok=True)
    yield ARTIFACTS
