"""Rank the 12 outcomes for a question from the retrieved evidence and the question itself."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.answer import OutcomeScore
from assistant.outcomes import OUTCOMES, Outcome
from assistant.retrieval import Hit

EVIDENCE_WEIGHT = 0.6
QUESTION_WEIGHT = 0.4
SECONDARY_RATIO = 0.55  # an outcome joins the answer when it scores this share of the top one


# Words that name an outcome outright. Everyday words (data, services, value) only count when the
# question is plainly about the outcome ("the data outcome", "what does it say about value?").
NAME_TRIGGERS: dict[str, str] = {
    "connectivity": r"connectivity",
    "data": r"data outcome|(about|on|under) data\W*$",
    "democracy": r"democracy|democratic participation",
    "ethics": r"ethics|ethical",
    "inclusion": r"(digital )?inclusion|digital(ly)? exclu(sion|ded)|data poverty|digital champions?",
    "leadership": r"leadership",
    "local-productivity": r"(local |economic )?productivity",
    "organisational-capability": r"organi[sz]ational capability|capability outcome|skills gaps?|workforce",
    "partnership": r"partnerships?",
    "security-and-resilience": r"security and resilience|cyber ?security|cyber resilience",
    "services": r"services outcome|(about|on|under) (the )?services\W*$",
    "value": r"value outcome|value for money|(about|on|under) value\W*$",
}


def _name_pattern(outcome: Outcome) -> re.Pattern[str]:
    return re.compile(rf"\b({NAME_TRIGGERS[outcome.slug]})", re.IGNORECASE)


class OutcomeScorer:
    """Scores outcomes by evidence (what was retrieved) and by similarity to their descriptions."""

    def __init__(self, embeddings: Embeddings):
        texts = [f"{o.name}: {o.description} ({', '.join(o.aliases)})" for o in OUTCOMES]
        self._vectors = np.asarray(embeddings.embed_documents(texts), dtype=np.float32)
        self._names = [(o, _name_pattern(o)) for o in OUTCOMES]

    def named(self, question: str) -> list[str]:
        """Outcomes the question names outright, in order of mention."""
        found: list[tuple[int, int, str]] = []
        for outcome, pattern in self._names:
            match = pattern.search(question)
            if match:
                found.append(
                    (match.start(), -len(match.group(0)), outcome.slug)
                )  # the longer name wins a tie
        return [slug for *_, slug in sorted(found)]

    def similarity(self, query_vector: Sequence[float]) -> np.ndarray:
        """Cosine similarity of the question to each outcome's description."""
        return self._vectors @ np.asarray(query_vector, dtype=np.float32)

    def score(
        self, question: str, query_vector: Sequence[float], hits: Sequence[Hit], *, limit: int = 3
    ) -> list[OutcomeScore]:
        """The 1 to `limit` most relevant outcomes, ranked, with scores from 0 to 1."""
        evidence = np.zeros(len(OUTCOMES), dtype=np.float32)
        index = {o.slug: i for i, o in enumerate(OUTCOMES)}
        for rank, hit in enumerate(hits):
            slugs = [s for s in str(hit.chunk.metadata.get("outcomes", "")).split(",") if s in index]
            if not slugs or len(slugs) >= len(OUTCOMES) - 1:
                continue  # overview documents speak for every outcome, so they say nothing here
            weight = 1.0 / (1.0 + rank)
            for position, slug in enumerate(slugs):
                evidence[index[slug]] += weight * (1.0 if position == 0 else 0.45)
        if evidence.max() > 0:
            evidence /= evidence.max()
        sims = self.similarity(query_vector)
        spread = sims.max() - sims.min()
        sims = (sims - sims.min()) / spread if spread > 0 else np.zeros_like(sims)
        combined = EVIDENCE_WEIGHT * evidence + QUESTION_WEIGHT * sims
        named = self.named(question)
        for position, slug in enumerate(named):
            combined[index[slug]] = 1.5 - 0.05 * position
        order = np.argsort(-combined, kind="stable")
        top = float(combined[order[0]])
        result: list[OutcomeScore] = []
        for i in order[:limit]:
            value = float(combined[i])
            if result and value < SECONDARY_RATIO * top:
                break
            outcome = OUTCOMES[int(i)]
            result.append(
                OutcomeScore(outcome.slug, outcome.name, round(min(value / max(top, 1e-9), 1.0), 3))
            )
        return result

    def nearest(self, query_vector: Sequence[float], *, limit: int = 3) -> list[OutcomeScore]:
        """Outcomes nearest the question by description alone (used to point a refused question somewhere)."""
        sims = self.similarity(query_vector)
        order = np.argsort(-sims, kind="stable")[:limit]
        return [
            OutcomeScore(OUTCOMES[int(i)].slug, OUTCOMES[int(i)].name, round(float(sims[i]), 3))
            for i in order
        ]
