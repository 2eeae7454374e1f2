"""The Assistant: question (+ history) -> Answer. Every channel calls the same methods.

The Assistant only sequences the steps, each a module of its own:
query (`assistant.query`) -> guards (`assistant.guards`) -> retrieve and rerank (`assistant.rerank`)
-> intent (`assistant.intent`) -> compose (a `Generator`: `assistant.generation` or `assistant.llm`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from langchain_core.embeddings import Embeddings

from assistant.answer import Answer, OutcomeScore, Status
from assistant.compose.levels import OURS_RE, asks_about_assessment
from assistant.compose.side_by_side import compares, shares_council
from assistant.config import Settings
from assistant.embeddings import get_embeddings
from assistant.errors import IndexNotBuiltError
from assistant.generation import ExtractiveGenerator, Generator
from assistant.guards import EverydayDetector, guard, redact
from assistant.intent import Intent, IntentClassifier
from assistant.outcome_scoring import OutcomeScorer
from assistant.outcomes import get_outcome
from assistant.query import (
    History,
    QueryReader,
    as_turns,
    asks_for_us,
    council_type_in,
    with_bare_ask_spelled,
    without_opener,
)
from assistant.refusals import refusal_text
from assistant.rerank import (
    RerankContext,
    cases_named_apart,
    cases_named_in,
    holds_rare_subject,
    names_exactly,
    rerank,
)
from assistant.retrieval import Filters, Hit, HybridRetriever
from assistant.store import ChromaStore

if TYPE_CHECKING:
    from assistant.llm import LLMGenerator

log = logging.getLogger("almanac.assistant")
# A question this little below the relevance floor is still answered when a top passage holds its rarest word.
NEAR_MISS = 0.06


@dataclass
class Prepared:
    """What the steps before composition found."""

    question: str
    query: str
    vector: list[float]
    hits: list[Hit] = field(default_factory=list)
    intent: Intent = field(default_factory=lambda: Intent("other", 0.0))
    cases: list[str] = field(default_factory=list)  # case studies the question names
    earlier: str = ""  # the earlier question, when the query reads the question with it
    refusal: Answer | None = None
    relevance: float | None = None
    timings: dict[str, float] = field(default_factory=dict)


def cases_named(query: str, question: str, cases: Sequence[tuple[str, str, str]]) -> list[str]:
    """The cases a question names: for a comparison ("Redcar and Gloucester: what did each cost?") every one
    named apart, otherwise the most specific name's."""
    named = cases_named_in(query, cases)
    if compares(question):
        apart = cases_named_apart(query, cases)
        council = {doc_id: name for doc_id, name, _ in cases}
        # Another council apart ("Gloucester and Redcar"), not one council's other cases ("North Tyneside and
        # Hackney", both in one case, is not Hackney's apprentices)
        extra = [a for a in apart if a not in named]
        if any(all(not shares_council(council[a], council[c]) for c in named) for a in extra):
            return apart
    return named


class Assistant:
    """Answers council questions from the almanac, with citations and the outcomes they touch."""

    def __init__(
        self,
        settings: Settings,
        *,
        embeddings: Embeddings | None = None,
        store: ChromaStore | None = None,
        retriever: HybridRetriever | None = None,
        llm_generator: LLMGenerator | None = None,
        generator: Generator | None = None,
    ):
        self.settings = settings
        self.embeddings = embeddings or get_embeddings(
            settings.embedding_model, batch_size=settings.embedding_batch_size
        )
        self.store = store or ChromaStore(settings)
        self.retriever = retriever or HybridRetriever(
            store=self.store,
            embeddings=self.embeddings,
            mode=settings.retrieval,
            k=settings.top_k,
            max_per_doc=settings.max_chunks_per_doc,
        )
        self.scorer = OutcomeScorer(self.embeddings)
        self.reader = QueryReader(self.embeddings, self.retriever, min_relevance=settings.min_relevance)
        self.everyday = EverydayDetector(self.embeddings)
        self.intents = IntentClassifier(self.embeddings)
        self.extractive = ExtractiveGenerator(
            self.embeddings,
            self.retriever,
        )
        if llm_generator is None and generator is None and settings.llm:
            from assistant.llm import LLMGenerator

            llm_generator = LLMGenerator.from_settings(settings)
        self.llm = llm_generator
        self.generator: Generator = generator or llm_generator or self.extractive

    @classmethod
    def from_settings(cls, settings: Settings) -> Assistant:
        """An Assistant with the default parts for these settings."""
        return cls(settings)

    def index_size(self) -> int:
        """Chunks in the index."""
        return self.store.count()

    def ready(self) -> bool:
        """True when the index is loaded and not empty."""
        try:
            return self.index_size() > 0
        except Exception:  # noqa: BLE001 - a store that cannot answer is not ready
            return False

    def warm_up(self) -> None:
        """Load the model and the BM25 index so the first question is fast."""
        self.embeddings.embed_query("warm up")
        if self.retriever.mode != "dense":
            self.retriever.bm25_index()

    # Steps.
    def _prepare(
        self, question: str, history: History | None, outcome: str | None, mode: str | None
    ) -> Prepared:
        started = time.perf_counter()
        question = with_bare_ask_spelled(" ".join(question.split()))
        if not question:
            raise ValueError("The question is empty.")
        if outcome:
            get_outcome(outcome)  # raises KeyError naming the allowed slugs
        reading = self.reader.read(question, history, outcome)
        query, vector = reading.query, reading.vector
        prepared = Prepared(question, query, vector, earlier=reading.earlier)
        prepared.timings["embed_ms"] = (time.perf_counter() - started) * 1000
        verdict = guard(question)
        if verdict:
            prepared.refusal = self._refusal(prepared, *verdict)
            return prepared
        if self.store.count() == 0:
            raise IndexNotBuiltError(self.settings.index_location())
        t0 = time.perf_counter()
        prepared.intent = self.intents.classify(without_opener(question), vector)
        if reading.earlier:
            # A follow-up read with the earlier turn asks in its own form ("is there any government money to
            # help with that?" after "where do we start...?" wants no steps); one too short to have a form ("and
            # for districts?") takes the earlier question's.
            alone = self.intents.classify(without_opener(question), reading.own)
            prepared.intent = alone if alone.kind != "other" else prepared.intent
        named = [] if outcome else self.scorer.named(question)
        context = RerankContext(
            outcome=outcome,
            named_outcome=named[0] if named else None,
            kind=prepared.intent.kind,
            council_type=council_type_in(question),
            # "...so is it worth us sharing a service before reorganisation?" after a question on a council's
            # shared service asks what we should do, which the guides answer, not the case asked about before.
            cases=cases_named(
                question if reading.earlier and asks_for_us(question) else query,
                question,
                self.retriever.bm25_index().case_studies,
            ),
        )
        prepared.cases = context.cases
        prepared.hits = rerank(
            self.retriever,
            query,
            vector,
            context,
            mode=mode,
            min_relevance=self.settings.min_relevance,
            k=self.retriever.k,
            likely_outcome=lambda base: next(
                (o.slug for o in self.scorer.score(question, vector, base, limit=1)), None
            ),
        )
        hits = prepared.hits
        relevance = max((h.dense for h in hits if h.dense is not None), default=None)
        if relevance is None:
            top = self.store.query(vector, 1, where=Filters(outcome=outcome).where())
            relevance = top[0].score if top else 0.0
        prepared.timings["retrieve_ms"] = (time.perf_counter() - t0) * 1000
        prepared.relevance = relevance
        if self.everyday.is_everyday(vector, relevance):
            prepared.refusal = self._refusal(prepared, "out_of_scope", "everyday")
        elif not hits or (
            relevance < self.settings.min_relevance
            # "how many did tendring give away?" names a case the almanac tells: it is about that case, however
            # little its other words say
            and not prepared.cases
            and not names_exactly(query, hits, self.retriever.bm25_index().idf)
            and not (
                relevance >= self.settings.min_relevance - NEAR_MISS
                and holds_rare_subject(query, hits, self.retriever.bm25_index().idf)
            )
        ):
            prepared.refusal = self._refusal(prepared, "no_evidence", "low-relevance")
        return prepared

    def _refusal(self, prepared: Prepared, status: Status, rule: str) -> Answer:
        """A refusal that points at the outcome nearest the question, when it is a question on council digital
        work the almanac does not answer; a resident's own matter or an everyday request points nowhere."""
        nearest = self.scorer.nearest(prepared.vector)[:1] if status == "no_evidence" else []
        text = refusal_text(status, nearest, rule=rule)
        return Answer(
            prepared.question, text, outcomes=nearest, status=status, timings=prepared.timings, rule=rule
        )

    def _assessment_pointer(self, outcome: str | None) -> str:
        from assistant.assessment.pointer import assessment_pointer

        try:
            return assessment_pointer(outcome, self.settings)
        except Exception:  # noqa: BLE001 - a missing or broken rubric must not cost the answer
            log.warning("no self-assessment pointer for %s", outcome, exc_info=True)
            return ""

    def _outcomes(
        self, question: str, vector: list[float], hits: list[Hit], outcome: str | None
    ) -> list[OutcomeScore]:
        scored = self.scorer.score(question, vector, hits)
        if outcome:
            chosen = get_outcome(outcome)
            scored = [OutcomeScore(chosen.slug, chosen.name, 1.0), *[o for o in scored if o.slug != outcome]][
                :3
            ]
        return scored

    def ask(
        self,
        question: str,
        *,
        history: History | None = None,
        outcome: str | None = None,
        mode: str | None = None,
    ) -> Answer:
        """Answer one question.

        Args:
            question: the question in plain words.
            history: earlier turns of the conversation (Turns, or earlier questions as strings).
            outcome: restrict retrieval to one outcome slug.
            mode: retrieval mode for this question (hybrid, dense or bm25); default from settings.

        Raises:
            ValueError: the question is empty. KeyError: the outcome slug is unknown.
            IndexNotBuiltError: nothing has been ingested.
        """
        answer: Answer | None = None
        for item in self.stream(question, history=history, outcome=outcome, mode=mode):
            if isinstance(item, Answer):
                answer = item
        assert answer is not None
        return answer

    def stream(
        self,
        question: str,
        *,
        history: History | None = None,
        outcome: str | None = None,
        mode: str | None = None,
    ) -> Iterator[str | Answer]:
        """Answer one question as it is written: text pieces, then the final Answer.

        The final Answer is what the user should be left with: a channel that showed streamed pieces
        replaces them with its text (in LLM mode a checked answer can differ from what was streamed).
        """
        started = time.perf_counter()
        prepared = self._prepare(question, history, outcome, mode)
        log.info("question=%r query=%r", redact(question), redact(prepared.query))
        if prepared.refusal is not None:
            refusal = prepared.refusal
            yield refusal.text
            refusal.timings["total_ms"] = (time.perf_counter() - started) * 1000
            refusal.relevance = prepared.relevance
            yield refusal
            return
        t0 = time.perf_counter()
        outcomes = self._outcomes(prepared.question, prepared.vector, prepared.hits, outcome)
        base = Answer(
            prepared.question, "", outcomes=outcomes, timings=prepared.timings, kind=prepared.intent.kind
        )
        answer = base
        for item in self.generator.stream(
            prepared.question,
            prepared.hits,
            as_turns(history),
            base=base,
            query=prepared.query,
            vector=prepared.vector,
            fallback=self.extractive,
            cases=prepared.cases,
            earlier=prepared.earlier,
        ):
            if isinstance(item, Answer):
                answer = item
            else:
                yield item
        # "How did Scotland's Digital Office run its maturity assessment?" asks about a case, not about us.
        of_a_case = not OURS_RE.search(question) and (
            bool(prepared.cases) or bool(answer.citations and answer.citations[0].doc_id.startswith("case-"))
        )
        if (
            answer.kind == "maturity"
            and answer.status == "answered"
            and asks_about_assessment(question)
            and not of_a_case
        ):
            # "How mature are we?" is best answered by the self-assessment itself: say how to run it.
            # The outcome whose levels the answer quotes, else the question's first outcome.
            assessed = next(
                (
                    c.doc_id.removeprefix("outcome-")
                    for c in answer.citations
                    if c.section.startswith("Self-assess")
                ),
                outcomes[0].slug if outcomes else None,
            )
            pointer = self._assessment_pointer(assessed)
            if pointer:
                yield f"\n\n{pointer}"
                answer = replace(answer, text=f"{answer.text}\n\n{pointer}")
        prepared.timings["generate_ms"] = (time.perf_counter() - t0) * 1000
        prepared.timings["total_ms"] = (time.perf_counter() - started) * 1000
        answer.relevance = prepared.relevance
        yield answer
