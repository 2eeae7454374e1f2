"""Stand-ins at the true boundaries, for fast tests that need no model.

- `HashingEmbeddings`: a deterministic LangChain Embeddings (words hashed into a fixed-size unit vector),
  for code that needs *some* embedding but not a meaningful one.
- `FakeAssistant`: the seam the web and Slack layers call (ask, stream, ready, index_size, warm_up).
  Its answers are built from the question, cite real corpus documents, and every call is recorded,
  so a test can check what the channel passed in (history, outcome) and what it made of the answer.

End-to-end tests (marked `e2e`) keep the real model and the real index.
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field

from langchain_core.embeddings import Embeddings

from assistant.answer import Answer, Citation, OutcomeScore, Turn
from assistant.config import Settings
from assistant.errors import IndexNotBuiltError
from assistant.outcomes import OUTCOMES, get_outcome

WORD = re.compile(r"\w+")


class HashingEmbeddings(Embeddings):
    """Each word adds ±1 to one of `size` dimensions (chosen by its hash); the sum is normalised."""

    def __init__(self, size: int = 384):
        self.size = size

    def _vector(self, text: str) -> list[float]:
        vector = [0.0] * self.size
        for word in WORD.findall(text.lower()):
            digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
            index = int.from_bytes(digest[:4], "big") % self.size
            vector[index] += 1.0 if digest[4] & 1 else -1.0
        norm = math.sqrt(sum(v * v for v in vector))
        return [v / norm for v in vector] if norm else vector

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(text) for text in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


# Two real corpus documents the fake cites, so source panels and document look-ups resolve.
SOURCES = (
    Citation(
        n=1,
        doc_id="case-camden-data-charter",
        title="Camden Council: a data charter written with residents",
        section="What they did",
        snippet="Camden worked with a residents' panel to agree how the council uses data.",
        path="corpus/case-studies/camden-data-charter.md",
        url="https://www.camden.gov.uk/data-charter",
        outcomes=["data", "ethics"],
        council="Camden Council",
        doc_type="case_study",
        reviewed="2026-12-01",
    ),
    Citation(
        n=2,
        doc_id="outcome-data",
        title="Data",
        section="Where to start",
        snippet="Start with the decisions the data should inform.",
        path="corpus/outcomes/data.md",
        outcomes=["data"],
        doc_type="outcome",
        reviewed="2026-11-15",
    ),
)


@dataclass
class Asked:
    """One call the fake received."""

    question: str
    history: list[Turn]
    outcome: str | None


@dataclass
class FakeAssistant:
    """Answers every question at once, the same way each time; records what it was asked.

    Args:
        settings: what the channels read limits from.
        chunks: the index size it reports; 0 behaves like an empty index (IndexNotBuiltError).
        refuse: questions it answers as out of scope.
        fail_with: an error every question raises, as a broken dependency would.
    """

    settings: Settings
    chunks: int = 640
    refuse: Collection[str] = ()
    fail_with: Exception | None = None
    asked: list[Asked] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def index_size(self) -> int:
        return self.chunks

    def ready(self) -> bool:
        return self.chunks > 0

    def warm_up(self) -> None:
        pass

    def ask(
        self, question: str, *, history: list[Turn] | None = None, outcome: str | None = None, **_: object
    ) -> Answer:
        answer: Answer | None = None
        for item in self.stream(question, history=history, outcome=outcome):
            if isinstance(item, Answer):
                answer = item
        assert answer is not None
        return answer

    def stream(
        self, question: str, *, history: list[Turn] | None = None, outcome: str | None = None, **_: object
    ) -> Iterator[str | Answer]:
        question = " ".join(question.split())
        with self._lock:
            self.asked.append(Asked(question, list(history or []), outcome))
        if not question:
            raise ValueError("is empty; type a question")
        if outcome is not None:
            get_outcome(outcome)  # KeyError for an unknown slug, as the real Assistant raises
        if self.fail_with is not None:
            raise self.fail_with
        if not self.chunks:
            raise IndexNotBuiltError(self.settings.index_location())
        answer = self._refusal(question) if question in self.refuse else self._answer(question, outcome)
        yield from answer.text.splitlines(keepends=True)
        yield answer

    def _answer(self, question: str, outcome: str | None) -> Answer:
        slug = outcome or "data"
        citations = [c for c in SOURCES if slug in c.outcomes] or [SOURCES[0]]
        citations = [Citation(**{**vars(c), "n": i}) for i, c in enumerate(citations, start=1)]
        text = "\n".join(
            [f"**In short:** the almanac answers _{question}_ from its guides. [1]"]
            + [f"- A point drawn from {c.title}. [{c.n}]" for c in citations]
        )
        outcomes = [OutcomeScore(slug, get_outcome(slug).name, 0.9)]
        return Answer(question, text, citations=citations, outcomes=outcomes, generator="fake")

    def _refusal(self, question: str) -> Answer:
        nearest = [OutcomeScore(o.slug, o.name, 0.2) for o in OUTCOMES[:2]]
        text = "The almanac doesn't cover that. The nearest outcomes it does cover are: " + " and ".join(
            o.name for o in nearest
        )
        return Answer(question, text, outcomes=nearest, status="out_of_scope", generator="fake")
