"""One index of the real corpus for every pytest-xdist worker of a run.

The first worker that has tests reading the index starts `python -m tests.shared_index FOLDER` as soon as
its tests are collected, under a lock in the run's shared temporary folder (the pattern of pytest-xdist's
documentation). The index is built in a process of its own, with every core, so that Chroma has written
and closed every file before a worker copies the folder; meanwhile the workers run the tests that do not
read it. Each worker then reads a copy of its own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from assistant.config import PROJECT_ROOT

STARTED, COMPLETE, FAILED, LOG = "started", "complete", "failed", "build.log"
WAIT_SECONDS = 900.0
_builders: list[subprocess.Popen[bytes]] = []


def start(shared: Path) -> None:
    """Start building the index in `shared`, unless a worker has started it already."""
    from filelock import FileLock

    with FileLock(f"{shared}.lock"):
        if (shared / STARTED).exists():
            return
        shared.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "OMP_NUM_THREADS": str(os.cpu_count() or 1), "OMP_WAIT_POLICY": "PASSIVE"}
        with (shared / LOG).open("wb") as log:
            _builders.append(
                subprocess.Popen(
                    [sys.executable, "-m", "tests.shared_index", str(shared)],
                    cwd=PROJECT_ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        (shared / STARTED).touch()


def copy_of(shared: Path, own: Path) -> Path:
    """Wait for the index in `shared` to be complete, copy it into `own` and return `own`."""
    start(shared)
    deadline = time.monotonic() + WAIT_SECONDS
    while not (shared / COMPLETE).exists():
        for builder in _builders:
            builder.poll()  # a builder this worker started is reaped when it ends
        if (shared / FAILED).exists() or time.monotonic() > deadline:
            log = (shared / LOG).read_text(errors="replace")[-3000:]
            raise AssertionError(f"ingesting the corpus for the tests failed:\n{log}")
        time.sleep(0.2)
    shutil.copytree(shared / "data", own, dirs_exist_ok=True)
    return own


def finish(*, interrupted: bool) -> None:
    """Wait for a builder this worker started (another worker may be waiting for its index); stop it
    if the run was interrupted."""
    for builder in _builders:
        if interrupted:
            builder.terminate()
        builder.wait(timeout=WAIT_SECONDS)


def main(shared: Path) -> None:
    from ingest.pipeline import sync_corpus
    from tests.conftest import make_settings

    try:
        sync_corpus(make_settings(shared / "data"))
    except BaseException:
        (shared / FAILED).touch()
        raise
    (shared / COMPLETE).touch()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
