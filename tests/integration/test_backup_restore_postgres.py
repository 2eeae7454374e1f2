"""The backup and restore of assistant/docs/deployment.md, done as written: `pg_dump -Fc` of a database the
web app wrote conversations, feedback and a self-assessment to, `pg_restore` into a fresh PostgreSQL
cluster, and the app on the restored copy carries on from them."""

from __future__ import annotations

import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from pydantic import SecretStr

from assistant.answer import Turn
from bots.store import Database, open_stores
from bots.web.app import create_app
from bots.web.server import serve_in_background
from tests.conftest import free_port, make_settings
from tests.fakes import FakeAssistant
from tests.real_servers import postgres_bin, running_postgres

pytestmark = pytest.mark.server
ASSESSMENT = {"answers": {"ethics": {"ethics-register": "starting"}}}


def libpq_args(url: str) -> list[str]:
    """pg_dump / pg_restore connection options for a postgresql+psycopg:// URL."""
    parts = urlsplit(url)
    return ["-h", str(parts.hostname), "-p", str(parts.port), "-U", str(parts.username)]


def serve_on(url: str, data_dir: Path):
    settings = make_settings(data_dir, database_url=SecretStr(url))
    assistant = FakeAssistant(settings)
    stores = open_stores(settings)
    return (
        assistant,
        stores,
        serve_in_background(create_app(settings, assistant=assistant, stores=stores), port=free_port()),
    )


def test_postgres_dump_restored_into_a_fresh_cluster_keeps_conversations_feedback_and_assessments(
    tmp_path: Path,
) -> None:
    dump = tmp_path / "almanac.dump"
    pg_bin = postgres_bin()
    with running_postgres() as original:
        Database(original, check=False).upgrade()
        _, _, serving = serve_on(original, tmp_path / "before")
        with serving as base, httpx.Client(base_url=base, timeout=60) as client:
            first = client.post(
                "/api/chat", json={"question": "How did Camden write its data charter?"}
            ).json()
            rated = client.post(
                "/api/feedback",
                json={
                    "conversation_id": first["conversation_id"],
                    "message_id": first["message_id"],
                    "rating": "up",
                    "comment": "Useful for our charter",
                },
            )
            assert rated.status_code == 201, rated.text
            saved = client.post("/api/assessments", json=ASSESSMENT)
            assert saved.status_code == 201, saved.text
        database = urlsplit(original).path.lstrip("/")
        dumped = subprocess.run(
            [str(pg_bin / "pg_dump"), *libpq_args(original), "-Fc", "-f", str(dump), database],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert dumped.returncode == 0, dumped.stderr
    with running_postgres() as fresh:  # the first cluster is gone: only the dump is left
        restored = subprocess.run(
            [
                str(pg_bin / "pg_restore"),
                *libpq_args(fresh),
                "--no-owner",
                "-d",
                urlsplit(fresh).path.lstrip("/"),
                str(dump),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert restored.returncode == 0, restored.stderr
        before, after = Database(fresh).upgrade()  # the start-up check passes: at the latest revision
        assert before == after
        assistant, stores, serving = serve_on(fresh, tmp_path / "after")
        with serving as base, httpx.Client(base_url=base, timeout=60) as client:
            reopened = client.get(f"/api/assessments/{saved.json()['id']}")
            assert reopened.status_code == 200 and reopened.json()["answers"] == ASSESSMENT["answers"]
            follow_up = {"question": "How long did it take?", "conversation_id": first["conversation_id"]}
            assert client.post("/api/chat", json=follow_up).status_code == 200
        assert assistant.asked[-1].history == [Turn(first["question"], first["text"])]
        [rating] = stores.feedback.recent()
        assert (rating["rating"], rating["comment"], rating["question"]) == (
            "up",
            "Useful for our charter",
            "How did Camden write its data charter?",
        )
