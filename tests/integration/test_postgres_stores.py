"""The stores on a real PostgreSQL server (and the same checks on the default SQLite file).

Two `Database` objects on one URL stand for two instances of the service: what one writes, the other
reads. `pytest -k postgres` selects the PostgreSQL cases.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.answer import Answer
from assistant.assessment.model import AssessmentInput
from bots.slack.seen_events import SeenEvents
from bots.store import Database, DatabaseNotMigratedError, open_stores
from bots.store.assessments import AssessmentStore
from bots.store.migrate import head_revision
from tests.conftest import make_settings
from tests.real_servers import running_postgres

BACKENDS = ["sqlite", "postgres"]


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    with running_postgres() as url:
        yield url


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'feedback.db'}"
    url = request.getfixturevalue("postgres_url")
    upgraded = Database(url, check=False)
    upgraded.upgrade()
    with upgraded.write() as db:
        for table in ("turns", "feedback", "assessments", "slack_events"):
            db.exec_driver_sql(f"DELETE FROM {table}")
    upgraded.dispose()
    return url


def settings_for(tmp_path, url: str):
    from pydantic import SecretStr

    return make_settings(tmp_path, database_url=SecretStr(url))


def test_two_instances_share_conversations_feedback_and_assessments(database_url, tmp_path) -> None:
    first, second = (
        open_stores(settings_for(tmp_path, database_url)),
        open_stores(settings_for(tmp_path, database_url)),
    )
    message_id = first.conversations.record_turn(
        "c-shared", Answer(question="What is a data charter?", text="A promise [1].")
    )
    second.conversations.record_turn("c-shared", Answer(question="Who wrote one?", text="Camden [1]."))
    assert [turn.question for turn in first.conversations.history("c-shared")] == [
        "What is a data charter?",
        "Who wrote one?",
    ]
    assert second.conversations.turn(message_id).answer.text == "A promise [1]."

    rating_id = second.feedback.add(
        conversation_id="c-shared", message_id=message_id, rating="up", comment="Clear"
    )
    [row] = first.feedback.recent()
    assert (row["id"], row["rating"], row["comment"], row["answer_status"]) == (
        rating_id,
        "up",
        "Clear",
        "answered",
    )
    with pytest.raises(ValueError):
        first.feedback.add(conversation_id="c-shared", message_id=message_id, rating="sideways")  # type: ignore[arg-type]

    saved = AssessmentStore(first.conversations.database).create(AssessmentInput(answers={"data": {}}))
    reopened = AssessmentStore(second.conversations.database).get(saved.id)
    assert reopened is not None and reopened.data == saved.data


def test_a_slack_event_is_handled_once_across_instances(database_url) -> None:
    one, other = SeenEvents(Database(database_url)), SeenEvents(Database(database_url))
    assert one.first_time("Ev0001") is True
    assert other.first_time("Ev0001") is False and one.first_time("Ev0001") is False
    assert other.first_time("Ev0002") is True


def test_postgres_without_migrations_is_refused_with_the_command_to_run(postgres_url) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(postgres_url)
    admin = f"host={url.host} port={url.port} user={url.username} dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute("DROP DATABASE IF EXISTS unmigrated")
        db.execute("CREATE DATABASE unmigrated")
    empty = url.set(database="unmigrated").render_as_string(hide_password=False)
    with pytest.raises(DatabaseNotMigratedError, match="Run `almanac db upgrade`"):
        Database(empty)
    before, after = Database(empty, check=False).upgrade()
    assert before is None and after == head_revision()
    Database(empty)  # now accepted
