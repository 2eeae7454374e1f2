"""Saved self-assessments, in the same database as conversations and feedback.

Each assessment gets an unguessable id (24 URL-safe characters from `secrets`): whoever holds the id can
reopen and edit it, so the id is the only key and no list of assessments is ever served.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass

from sqlalchemy import insert, select, update

from assistant.assessment.model import AssessmentInput
from bots.store.database import Database
from bots.store.schema import assessments

ID_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@dataclass(frozen=True)
class StoredAssessment:
    """An assessment as saved, with the earlier assessment it may be compared with."""

    id: str
    created_at: float
    updated_at: float
    data: AssessmentInput
    previous_id: str | None = None
    channel: str = "web"


def new_assessment_id() -> str:
    """A fresh, unguessable assessment id."""
    return secrets.token_urlsafe(18)


class AssessmentStore:
    """Create, read and update assessments by id."""

    def __init__(self, database: Database):
        self.database = database

    def create(
        self, data: AssessmentInput, *, previous_id: str | None = None, channel: str = "web"
    ) -> StoredAssessment:
        """Save a new assessment; previous_id (if it exists) links the earlier one to compare with."""
        if previous_id is not None and self.get(previous_id) is None:
            previous_id = None
        now = time.time()
        stored = StoredAssessment(new_assessment_id(), now, now, data, previous_id, channel)
        row = {
            "id": stored.id,
            "created_at": now,
            "updated_at": now,
            "channel": channel,
            "previous_id": previous_id,
            "data_json": data.model_dump_json(),
        }
        with self.database.write() as db:
            db.execute(insert(assessments).values(**row))
        return stored

    def get(self, assessment_id: str) -> StoredAssessment | None:
        """The assessment with this id, or None (also for ids that are not well formed)."""
        if not ID_RE.match(assessment_id or ""):
            return None
        with self.database.connect() as db:
            row = db.execute(select(assessments).where(assessments.c.id == assessment_id)).mappings().first()
        if row is None:
            return None
        return StoredAssessment(
            row["id"],
            row["created_at"],
            row["updated_at"],
            AssessmentInput.model_validate(json.loads(row["data_json"])),
            row["previous_id"],
            row["channel"],
        )

    def update(self, assessment_id: str, data: AssessmentInput) -> StoredAssessment | None:
        """Replace an assessment's answers, weights and details; None when there is no such id."""
        if self.get(assessment_id) is None:
            return None
        change = {"data_json": data.model_dump_json(), "updated_at": time.time()}
        with self.database.write() as db:
            db.execute(update(assessments).where(assessments.c.id == assessment_id).values(**change))
        return self.get(assessment_id)
