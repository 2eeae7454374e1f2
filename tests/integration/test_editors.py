"""The editors' view over a real server seeded through its API: gaps, feedback, reviews, exports, access."""

from __future__ import annotations

import base64
import csv
import io
import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import update

from bots.store import open_stores
from bots.store.schema import asked
from bots.web.app import create_app
from bots.web.server import serve_in_background
from evals.dataset import load_questions
from tests.conftest import almanac_in_process, free_port, make_settings
from tests.editors_seed import (
    ADMIN_KEY,
    ASSEMBLY,
    DRONES,
    GOOD,
    PERSONAL,
    RAW_PERSONAL,
    SOCIAL_CARE,
    EditorsAssistant,
    EditorsSite,
    editors_site,
)

pytestmark = [pytest.mark.server, pytest.mark.e2e]
KEY = {"X-Admin-Key": ADMIN_KEY}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, embeddings) -> Iterator[EditorsSite]:
    settings = make_settings(tmp_path_factory.mktemp("editors"), rate_limit_per_minute=600)
    yield from editors_site(settings, embeddings)


def gaps_json(site: EditorsSite) -> list[dict]:
    reply = site.client.get("/admin/gaps.csv", headers=KEY)
    assert reply.status_code == 200, reply.text
    return list(csv.DictReader(io.StringIO(reply.text)))


def test_admin_needs_the_key_and_is_absent_without_one(site: EditorsSite, tmp_path: Path) -> None:
    assert site.client.get("/admin").status_code == 401
    assert site.client.get("/admin").headers["WWW-Authenticate"].startswith("Basic")
    assert site.client.get("/admin", headers={"X-Admin-Key": "wrong"}).status_code == 401
    assert site.client.get("/admin/drafts.jsonl", headers={"X-Admin-Key": "wrong"}).status_code == 401
    wrong = base64.b64encode(b"editor:nope").decode()
    assert site.client.get("/admin", headers={"Authorization": f"Basic {wrong}"}).status_code == 401
    right = base64.b64encode(b"editor:correct horse battery").decode()
    assert site.client.get("/admin", headers={"Authorization": f"Basic {right}"}).status_code == 200
    assert site.client.get("/admin", headers=KEY).status_code == 200
    # With no admin credential configured the page does not exist.
    bare = make_settings(tmp_path)
    app = create_app(bare, assistant=EditorsAssistant(bare), stores=open_stores(bare))
    with serve_in_background(app, port=free_port()) as url:
        assert httpx.get(url + "/admin", headers=KEY).status_code == 404
        assert httpx.get(url + "/admin/gaps.csv").status_code == 404


def test_gaps_group_similar_questions_and_keep_different_ones_apart(site: EditorsSite) -> None:
    rows = gaps_json(site)
    page = site.client.get("/admin", headers=KEY).text
    # Each topic is named by one of its own questions; rewordings share a gap, different subjects do not.
    social = [row for row in rows if row["topic"] in SOCIAL_CARE]
    drones = [row for row in rows if row["topic"] in DRONES or "drone" in row["topic"].lower()]
    assembly = [row for row in rows if row["topic"] in ASSEMBLY]
    assert len(social) == 1 and social[0]["questions"] == "3", rows
    assert len(drones) == 1 and drones[0]["questions"] == "4", rows  # two refused, one weak, one masked
    assert len(assembly) == 1 and assembly[0]["questions"] == "2", rows
    assert "rated unhelpful 2" in assembly[0]["why"]
    assert "low relevance 1" in drones[0]["why"] and "no evidence 3" in drones[0]["why"]
    assert not any(row["topic"] in GOOD for row in rows)
    assert len(rows) == 3, rows
    # Biggest first.
    assert [int(row["questions"]) for row in rows] == sorted(
        (int(row["questions"]) for row in rows), reverse=True
    )
    assert page.index("Topics the almanac does not cover") < page.index("Answers users disliked")
    assert page.index("Answers users disliked") < page.index("Documents to review")
    assert "<svg" in page and "<table" in page


def test_feedback_by_outcome_and_document(site: EditorsSite) -> None:
    reply = site.client.get("/admin/feedback.csv", headers=KEY)
    rows = list(csv.DictReader(io.StringIO(reply.text)))
    data = next(row for row in rows if row["by"] == "outcome" and row["key"] == "data")
    assert (data["helpful"], data["unhelpful"], data["helpful_rate"]) == ("2", "2", "50%")
    camden = next(row for row in rows if row["by"] == "document" and row["key"] == "case-camden-data-charter")
    assert camden["unhelpful"] == "2"
    assert "Nothing about climate assemblies" in camden["comments"]
    reviews = list(csv.DictReader(io.StringIO(site.client.get("/admin/reviews.csv", headers=KEY).text)))
    assert len(reviews) > 50
    cited = [r for r in reviews if r["doc_id"] == "case-camden-data-charter"][0]
    assert int(cited["cited"]) == 5  # every answered question cited it (the fake cites it for "data")


def test_draft_export_passes_the_question_set_validator(site: EditorsSite, tmp_path: Path) -> None:
    reply = site.client.get("/admin/drafts.jsonl", headers=KEY)
    assert reply.status_code == 200
    path = tmp_path / "drafts.jsonl"
    path.write_text(reply.text, encoding="utf-8")
    questions = load_questions(path)
    assert {q.question for q in questions} >= {*SOCIAL_CARE, *ASSEMBLY}
    by_text = {q.question: q for q in questions}
    assert not by_text[SOCIAL_CARE[0]].answerable and by_text[SOCIAL_CARE[0]].outcomes == []
    assert by_text[ASSEMBLY[0]].answerable and by_text[ASSEMBLY[0]].outcomes == ["data"]
    first = gaps_json(site)[0]
    one = site.client.get(f"/admin/drafts.jsonl?gap={first['gap']}", headers=KEY)
    assert len(one.text.splitlines()) == int(first["questions"])
    assert site.client.get("/admin/drafts.jsonl?gap=99", headers=KEY).status_code == 404
    assert site.client.get("/admin?since=lately", headers=KEY).json()["field"] == "since"


def test_personal_data_is_masked_in_what_is_stored_and_shown(site: EditorsSite) -> None:
    shown = [
        site.client.get(path, headers=KEY).text
        for path in ("/admin", "/admin/gaps.csv", "/admin/feedback.csv")
    ]
    shown.append(site.client.get("/admin/drafts.jsonl", headers=KEY).text)
    records = site.stores.asked.since(0)
    stored = json.dumps([[r.question, r.answer_text, [x.comment for x in r.ratings]] for r in records])
    for text in [*shown, stored]:
        for raw in RAW_PERSONAL:
            assert raw not in text
    assert "[email]" in stored and "[phone]" in stored and "[NI number]" in stored and "[address]" in stored
    assert "drone survey of our road" in shown[0]
    assert PERSONAL not in stored


def test_text_is_blanked_after_the_retention_period(site: EditorsSite) -> None:
    message_id = site.message_ids[GOOD[1]]
    with site.stores.asked.database.write() as db:
        db.execute(
            update(asked).where(asked.c.message_id == message_id).values(created_at=time.time() - 40 * 86400)
        )
    site.stores.asked.purge_expired()
    old = next(r for r in site.stores.asked.since(0) if r.message_id == message_id)
    assert old.question is None and old.answer_text is None and old.status == "answered"
    assert GOOD[1] not in site.client.get("/admin?since=8w", headers=KEY).text


def test_cli_gaps_and_feedback(site: EditorsSite, tmp_path: Path) -> None:
    env = {
        "ALMANAC_DATA_DIR": str(site.settings.data_dir),
        "ALMANAC_CORPUS_DIR": str(site.settings.corpus_dir),
    }
    export = str(tmp_path / "d.jsonl")
    gaps = almanac_in_process(["gaps", "--since", "7d", "--format", "json", "--export", export], env)
    assert gaps.exit_code == 0, gaps.stderr
    assert [row["questions"] for row in json.loads(gaps.stdout)][:1] == [4]
    assert len(load_questions(tmp_path / "d.jsonl")) == 9
    feedback = almanac_in_process(["feedback", "--since", "8w", "--format", "md"], env)
    assert feedback.exit_code == 0, feedback.stderr
    assert "| outcome | data | 2 | 2 | 50% |" in feedback.stdout
    bad = almanac_in_process(["feedback", "--since", "soon"], env)
    assert bad.exit_code == 1 and "--since" in bad.stderr
