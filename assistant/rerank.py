"""Re-ranking: one scoring step over the fused hits and the targeted searches that feed it.

A question that names an outcome should hear from that outcome's guide; one that asks for steps or
measures from the section written for them; one that names a council type from councils of that type;
one a guide's common question answers, from that answer. Each adds candidates and a bonus; the final
order is one score, so no single rule can push everything else out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.retrieval import Filters, Hit, HybridRetriever, diversify

# The section of the almanac's guides written for each kind of question.
SECTION_FOR_KIND = {
    "steps": "Where to start",
    "good-practice": "What good looks like",
    "measures": "Measures and indicators",
    "challenges": "Common challenges",
    "maturity": "Self-assessment",
}
BONUS_OUTCOME_GUIDE = 0.012
BONUS_SECTION = 0.010
BONUS_COUNCIL_TYPE = 0.008
BONUS_COMMON_QUESTION = 0.010
BONUS_GLOSSARY = 0.012


@dataclass
class RerankContext:
    """What the question says about where its answer lives."""

    outcome: str | None = None  # chosen by the user
    named_outcome: str | None = None  # named in the question
    likely_outcome: str | None = None  # the outcome the first retrieval points to
    kind: str = "other"
    council_type: str | None = None


def rerank(
    retriever: HybridRetriever,
    query: str,
    vector: list[float],
    context: RerankContext,
    *,
    mode: str | None,
    min_relevance: float,
    k: int,
    likely_outcome: Callable[[list[Hit]], str | None] | None = None,
) -> list[Hit]:
    """The k best chunks for the question, with the targeted searches folded into one score."""
    base = retriever.search(
        query, k=max(k * 3, 12), filters=Filters(outcome=context.outcome), query_embedding=vector, mode=mode
    )
    if likely_outcome is not None and not context.likely_outcome:
        context.likely_outcome = likely_outcome(base[:k])
    pool: dict[str, Hit] = {h.chunk.id: h for h in base}
    bonus: dict[str, float] = {}

    def add(hits: Sequence[Hit], amount: float, *, need_relevance: bool = True) -> None:
        for hit in hits:
            if need_relevance and hit.dense is not None and hit.dense < min_relevance:
                continue
            pool.setdefault(hit.chunk.id, hit)
            bonus[hit.chunk.id] = bonus.get(hit.chunk.id, 0.0) + amount

    scope = context.outcome or context.named_outcome or context.likely_outcome
    if context.named_outcome and not context.outcome:
        own = retriever.search(
            query,
            k=2,
            filters=Filters(outcome=context.named_outcome, doc_type="guidance"),
            query_embedding=vector,
            mode=mode,
        )
        add(own, BONUS_OUTCOME_GUIDE, need_relevance=False)
    section = SECTION_FOR_KIND.get(context.kind)
    if section:
        own = retriever.search(
            query, k=2, filters=Filters(outcome=scope, section=section), query_embedding=vector, mode=mode
        )
        add(own, BONUS_SECTION)
    if context.council_type:
        own = retriever.search(
            query,
            k=2,
            filters=Filters(outcome=context.outcome, council_type=context.council_type),
            query_embedding=vector,
            mode=mode,
        )
        add(own, BONUS_COUNCIL_TYPE)
    common = retriever.search(
        query,
        k=2,
        filters=Filters(outcome=scope, section="Common questions"),
        query_embedding=vector,
        mode=mode,
    )
    add(common, BONUS_COMMON_QUESTION)
    if context.kind == "definition":
        entries = retriever.search(
            query,
            k=2,
            filters=Filters(doc_type="overview", section="Terms"),
            query_embedding=vector,
            mode=mode,
        )
        add(entries, BONUS_GLOSSARY, need_relevance=False)
    ranked = sorted(pool.values(), key=lambda h: (-(h.score + bonus.get(h.chunk.id, 0.0)), h.chunk.id))
    return diversify(ranked, k=k, max_per_doc=retriever.max_per_doc)
