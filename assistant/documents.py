"""The corpus document schema (YAML front matter) and the Chunk type."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from assistant.outcomes import check_outcome_slugs

DocType = Literal["overview", "guidance", "case-study"]
CouncilType = Literal[
    "district", "county", "unitary", "metropolitan", "london-borough", "combined-authority", "other"
]
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CASE_FIELDS = ("council", "council_type", "region", "years")


class Source(BaseModel):
    """A source a document draws on."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    year: int | None = Field(default=None, ge=1900, le=2100, description="None or 'n.d.': undated.")
    url: str | None = None

    @field_validator("year", mode="before")
    @classmethod
    def _undated(cls, value: Any) -> Any:
        return (
            None if isinstance(value, str) and value.strip().lower() in {"n.d.", "nd", "undated"} else value
        )

    @field_validator("url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value


class FrontMatter(BaseModel):
    """The YAML front matter every corpus document carries."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str = Field(min_length=1)
    type: DocType
    outcomes: list[str] = Field(min_length=1)
    summary: str = Field(min_length=1)
    sources: list[Source] = Field(min_length=1)
    updated: dt.date
    related: list[str] = Field(default_factory=list)
    council: str | None = None
    council_type: CouncilType | None = None
    region: str | None = None
    years: str | None = None
    # Other names the subject goes by (a programme, product or body): "Digital Pathfinders" for a case titled
    # by its councils. A question using one is about the document.
    known_as: list[str] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _check_id(cls, value: str) -> str:
        if not SLUG_RE.match(value):
            raise ValueError("must be a slug: lowercase letters, digits and single hyphens, e.g. case-leeds")
        return value

    @field_validator("outcomes")
    @classmethod
    def _check_outcomes(cls, value: list[str]) -> list[str]:
        check_outcome_slugs(value)
        if len(set(value)) != len(value):
            raise ValueError("lists an outcome twice")
        return value

    @field_validator("known_as")
    @classmethod
    def _check_known_as(cls, value: list[str]) -> list[str]:
        for name in value:
            if not name.strip() or ";" in name:
                raise ValueError(f"each name must be non-empty text without ';' (got {name!r})")
        return [name.strip() for name in value]

    @field_validator("years", mode="before")
    @classmethod
    def _years_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value

    @model_validator(mode="after")
    def _check_case_fields(self) -> FrontMatter:
        if self.type == "case-study":
            missing = [name for name in CASE_FIELDS if not getattr(self, name)]
            if missing:
                raise ValueError(f"a case study needs {', '.join(missing)}")
        return self


@dataclass
class Document:
    """A validated corpus document."""

    meta: FrontMatter
    body: str
    path: Path
    rel_path: str
    content_hash: str

    @property
    def id(self) -> str:
        return self.meta.id


@dataclass
class Chunk:
    """A piece of a document, the unit that is embedded and retrieved."""

    id: str
    doc_id: str
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def section(self) -> str:
        return str(self.metadata.get("section", ""))

    def embedding_text(self) -> str:
        """Text given to the embedding model: title and heading path give the chunk its context."""
        heading = self.metadata.get("heading_path") or ""
        title = self.metadata.get("title") or ""
        prefix = " > ".join(part for part in (title, heading) if part)
        return f"{prefix}\n{self.text}" if prefix else self.text


# Under a common question's heading, the other ways officers ask it, as an HTML comment that pages do not show:
# "<!-- also asked: Can a cllr vote from home? | Do members have to be in the room? -->".
ALSO_ASKED_RE = re.compile(r"^\s*<!--\s*also asked:\s*(?P<asked>.*?)\s*-->\s*$", re.IGNORECASE)
ALSO_ASKED_KEY = "also_asked"
KNOWN_AS_KEY = "known_as"  # a chunk's metadata: the other names of its document's subject, joined by "; "


def known_as(metadata: dict[str, Any]) -> list[str]:
    """The other names a chunk's document goes by (its front matter's `known_as`)."""
    return [name for name in str(metadata.get(KNOWN_AS_KEY) or "").split("; ") if name]


def without_also_asked(body: str) -> str:
    """A document's Markdown without its "also asked" lines, for showing it to people."""
    return "\n".join(line for line in body.splitlines() if not ALSO_ASKED_RE.match(line))
