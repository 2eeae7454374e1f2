"""Schema migrations: a database written before migrations existed is upgraded with its rows kept."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.answer import Answer
from assistant.config import PROJECT_ROOT
from bots.store import DatabaseNotMigratedError, open_stores
from tests.conftest import make_settings

# The schema the stores created in code before migrations existed (conversations and feedback).
PRE_MIGRATION_SCHEMA = """
CREATE TABLE feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at REAL NOT NULL,
    channel TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT,
    user TEXT,
    question TEXT,
    answer_status TEXT
);
CREATE TABLE turns (
    message_id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    created_at REAL NOT NULL,
    question TEXT NOT NULL,
    answer_text TEXT NOT NULL,
    answer_json TEXT NOT NULL
);
CREATE INDEX turns_by_conversation ON turns (conversation_id, created_at);
CREATE INDEX turns_by_age ON turns (created_at);
"""


def write_old_database(path: Path) -> None:
    """A feedback.db as the software wrote it before migrations: one conversation turn and its rating."""
    answer = Answer(question="How do we start on data?", text="Begin with a data strategy [1].")
    answer.message_id, answer.conversation_id = "m-old", "c-old"
    db = sqlite3.connect(path)
    db.executescript(PRE_MIGRATION_SCHEMA)
    db.execute(
        "INSERT INTO turns VALUES (?, ?, ?, ?, ?, ?)",
        ("m-old", "c-old", time.time(), answer.question, answer.text, json.dumps(answer.to_dict())),
    )
    db.execute(
        "INSERT INTO feedback (created_at, channel, conversation_id, message_id, rating, comment, user,"
        " question, answer_status) VALUES (?, 'web', 'c-old', 'm-old', 'up', 'Useful', NULL, ?, 'answered')",
        (time.time(), answer.question),
    )
    db.commit()
    db.close()


def almanac_db_upgrade(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "from assistant.cli import main; main()", "db", "upgrade"]
    return subprocess.run(
        command, cwd=PROJECT_ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=120
    )


def test_old_sqlite_database_is_refused_until_upgraded_and_keeps_conversations_and_feedback(tmp_path):
    settings = make_settings(tmp_path)
    write_old_database(settings.feedback_path)

    with pytest.raises(DatabaseNotMigratedError, match="almanac db upgrade"):
        open_stores(settings)

    upgraded = almanac_db_upgrade({"ALMANAC_DATA_DIR": str(tmp_path), "ALMANAC_DATABASE_URL": ""})
    assert upgraded.returncode == 0, upgraded.stderr
    assert "Upgraded" in upgraded.stdout and str(settings.feedback_path) in upgraded.stdout

    stores = open_stores(settings)
    history = stores.conversations.history("c-old")
    assert [turn.question for turn in history] == ["How do we start on data?"]
    assert stores.conversations.turn("m-old").answer.text == "Begin with a data strategy [1]."
    old = stores.feedback.recent()
    assert [(row["rating"], row["comment"]) for row in old] == [("up", "Useful")]

    stores.conversations.record_turn("c-old", Answer(question="And then?", text="Share it [2]."))
    new_id = stores.feedback.add(conversation_id="c-old", message_id="m-new", rating="down")
    assert new_id > old[0]["id"]
    assert len(stores.conversations.history("c-old")) == 2

    again = almanac_db_upgrade({"ALMANAC_DATA_DIR": str(tmp_path), "ALMANAC_DATABASE_URL": ""})
    assert again.returncode == 0 and "up to date" in again.stdout


def test_a_new_sqlite_file_needs_no_setup(tmp_path):
    stores = open_stores(make_settings(tmp_path / "fresh"))
    stores.conversations.record_turn("c1", Answer(question="q", text="a"))
    assert len(stores.conversations.history("c1")) == 1
