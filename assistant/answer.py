"""The one result type every channel renders: Answer, with citations and outcomes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from pydantic import TypeAdapter

Status = Literal["answered", "no_evidence", "out_of_scope", "guardrail"]
CITATION_RE = re.compile(r"\[(\d{1,3})\]")


@dataclass
class Citation:
    """A numbered source an answer cites."""

    n: int
    doc_id: str
    title: str
    section: str
    snippet: str
    path: str
    url: str | None = None
    outcomes: list[str] = field(default_factory=list)
    council: str | None = None
    doc_type: str = ""
    reviewed: str | None = None  # ISO date the cited document was last checked against its sources
    page: str | None = None  # the cited section on the almanac's own web pages: /almanac/{doc_id}#{anchor}

    def label(self) -> str:
        """One line naming the source: title, section and council."""
        parts = [self.title]
        if self.section and self.section not in {"Summary", "Introduction"}:
            parts.append(self.section)
        label = ", ".join(parts)
        if self.council and self.council not in self.title:
            label += f" ({self.council})"
        return label


@dataclass
class OutcomeScore:
    """A relevant outcome with its score (0 to 1)."""

    slug: str
    name: str
    score: float


@dataclass
class Turn:
    """One earlier exchange in a conversation."""

    question: str
    answer: str = ""


@dataclass
class Answer:
    """An answer to one question, the same for Slack, web, CLI and evaluation.

    This dataclass is the one definition of an answer: the web API's response schema and the stored JSON
    are derived from it (see `answer_adapter`).
    """

    question: str
    text: str
    citations: list[Citation] = field(default_factory=list)
    outcomes: list[OutcomeScore] = field(default_factory=list)
    status: Status = "answered"
    timings: dict[str, float] = field(default_factory=dict)
    conversation_id: str | None = None
    message_id: str | None = None
    generator: str = "extractive"
    kind: str = ""  # what kind of answer the question wanted (steps, definition, examples, ...)
    rule: str | None = None  # for a refusal, the check that made it (e.g. "injection", "everyday")
    relevance: float | None = None  # how close the best passage came to the question (cosine, 0 to 1)

    @property
    def refused(self) -> bool:
        return self.status != "answered"

    def cited_numbers(self) -> list[int]:
        """Every [n] in the text, in order of first appearance."""
        seen: list[int] = []
        for match in CITATION_RE.finditer(self.text):
            number = int(match.group(1))
            if number not in seen:
                seen.append(number)
        return seen

    def citations_valid(self) -> bool:
        """True when every [n] in the text points at a citation."""
        known = {c.n for c in self.citations}
        return all(n in known for n in self.cited_numbers())

    def markdown(self) -> str:
        """The full answer as Markdown: text, relevant outcomes, numbered sources."""
        parts = [self.text.strip()]
        if self.outcomes:
            names = ", ".join(o.name for o in self.outcomes)
            parts.append(f"**Relevant outcomes:** {names}")
        if self.citations:
            lines = ["**Sources**"]
            for c in self.citations:
                where = c.url or c.path
                lines.append(f"{c.n}. {c.label()} ({where})" if where else f"{c.n}. {c.label()}")
            parts.append("\n".join(lines))
        return "\n\n".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """The answer as JSON-ready data: what the web API sends and the conversation store keeps."""
        data: dict[str, Any] = answer_adapter().dump_python(self, mode="json")
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Answer:
        """An answer from to_dict() data, validated (raises pydantic.ValidationError when malformed)."""
        return answer_adapter().validate_python(data)


@cache
def answer_adapter() -> TypeAdapter[Answer]:
    """Validation, serialisation and JSON schema for Answer, built once on first use."""
    return TypeAdapter(Answer)
