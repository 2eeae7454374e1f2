"""Shared fixtures: the real model, a real Chroma index of the real corpus, a real Assistant.

Under pytest-xdist (`make test` runs two workers) the index of the real corpus is built once for the run
(tests/shared_index.py) and each worker reads its own copy; each worker's torch uses its share of the cores.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
if XDIST_WORKER:
    # Set before torch is imported, so this process and every command a test starts share the cores.
    _workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    os.environ.setdefault("OMP_NUM_THREADS", str(max(1, (os.cpu_count() or 1) // _workers)))

from assistant.config import PROJECT_ROOT, Settings  # noqa: E402
from tests import shared_index  # noqa: E402

if TYPE_CHECKING:
    from typer.testing import Result

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


def almanac_in_process(args: list[str], env: dict[str, str], stdin: str | None = None) -> Result:
    """Run the `almanac` command in this process, with `env` added to the environment.

    For tests of what a command does, not of the process it runs in: the model this run has loaded
    already is reused. An exception other than the command's own exit fails the test, as the traceback
    a user would see; `tests/integration/test_cli.py` starts the real command in processes of its own.
    """
    from typer.testing import CliRunner

    from assistant.cli import app
    from assistant.config import get_settings

    get_settings.cache_clear()  # the command reads the settings once per process
    try:
        result = CliRunner().invoke(app, args, input=stdin, env=env)
    finally:
        get_settings.cache_clear()
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@pytest.fixture(scope="session")
def embeddings():
    """The bundled all-MiniLM-L6-v2, loaded once."""
    from assistant.embeddings import get_embeddings

    return get_embeddings()


def reads_index(item: pytest.Item) -> bool:
    return "index_settings" in getattr(item, "fixturenames", ())


REAL_MODEL = {"embeddings", "index_settings", "assistant"}
# The files that take longest; under pytest-xdist they go first in their group, so that no worker is
# left running one of them alone at the end. A name missing here only costs time.
LONGEST = (
    "test_two_instances.py",
    "test_cli.py",
    "test_ingest.py",
    "test_almanac_pages.py",
    "test_quality_gate.py",
)


@pytest.hookimpl(tryfirst=True)  # before `-m` selects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests on the real model or index are marked `e2e`. Under pytest-xdist, the files that read the index
    come after the others (it is built meanwhile), and the longest files first within each group."""
    for item in items:
        if REAL_MODEL & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.e2e)
    if XDIST_WORKER:
        reading = {item.path for item in items if reads_index(item)}
        items.sort(key=lambda item: (item.path in reading, item.path.name not in LONGEST))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if XDIST_WORKER:
        stopped = exitstatus == pytest.ExitCode.INTERRUPTED or bool(session.shouldstop or session.shouldfail)
        shared_index.finish(interrupted=stopped)


def shared_index_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the workers of this run share one index (the parent of each worker's temporary folder)."""
    return tmp_path_factory.getbasetemp().parent / "almanac-index"


@pytest.fixture(scope="session", autouse=True)
def _start_index_early(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Under pytest-xdist, start building the index while the tests that do not read it run."""
    if XDIST_WORKER and any(reads_index(item) for item in request.session.items):
        shared_index.start(shared_index_folder(tmp_path_factory))


@pytest.fixture(scope="session")
def index_settings(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Settings:
    """Settings whose data folder holds an index of the real corpus, ingested once per test run."""
    own = tmp_path_factory.mktemp("almanac-index")
    if XDIST_WORKER:
        return make_settings(shared_index.copy_of(shared_index_folder(tmp_path_factory), own))
    from ingest.pipeline import sync_corpus

    settings = make_settings(own)
    sync_corpus(settings, embeddings=request.getfixturevalue("embeddings"))
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
