"""The Assistant: question (+ history) -> Answer. Every channel calls the same methods."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from langchain_core.embeddings import Embeddings

from assistant.answer import Answer, OutcomeScore, Status, Turn
from assistant.config import Settings
from assistant.embeddings import get_embeddings
from assistant.errors import IndexNotBuiltError
from assistant.generation import extractive_answer, wanted_sections_for
from assistant.guards import EverydayDetector, is_injection, is_out_of_scope, redact
from assistant.outcome_scoring import OutcomeScorer
from assistant.outcomes import get_outcome
from assistant.retrieval import Filters, Hit, HybridRetriever
from assistant.store import ChromaStore
from assistant.text import analyze

if TYPE_CHECKING:
    from assistant.llm import LLMGenerator

log = logging.getLogger("almanac.assistant")

FOLLOW_UP_START_RE = re.compile(
    r"^(and|also|but|so|what about|how about|what if|what else|which|why|is that|are they|does that|"
    r"do they|can they|could you|tell me more|more on|same for|and for)\b",
    re.IGNORECASE,
)
POINTING_BACK_RE = re.compile(
    r"\b(it|this|they|them|those|these)\b|\blike (that|this)\b|\b(anyone|someone|anybody) else\b|\bthe same\b",
    re.IGNORECASE,
)
COUNCIL_TYPE_RE = {
    "district": re.compile(r"\bdistrict|\bborough councils?\b(?! of)|\bsmall(er)? councils?\b", re.I),
    "county": re.compile(r"\bcount(y|ies)\b", re.I),
    "unitary": re.compile(r"\bunitar(y|ies)\b", re.I),
    "metropolitan": re.compile(r"\bmetropolitan\b|\bmets?\b", re.I),
    "london-borough": re.compile(r"\blondon boroughs?\b", re.I),
    "combined-authority": re.compile(r"\bcombined authorit(y|ies)\b|\bmayoral\b", re.I),
}
History = Sequence[Turn | str]


def council_type_in(question: str) -> str | None:
    """The council type a question asks about, if it names one."""
    return next((kind for kind, pattern in COUNCIL_TYPE_RE.items() if pattern.search(question)), None)


def as_turns(history: History | None) -> list[Turn]:
    """History given as Turns or as plain earlier questions."""
    return [t if isinstance(t, Turn) else Turn(question=str(t)) for t in (history or [])]


META_RE = re.compile(
    r"\b(what|how) (does|do|would) (the )?almanac (say|have|recommend|suggest|cover)( to say)?( about| on| for)?"
    r"|\b(according to|in|from) the almanac,?|\b(does )?the almanac (say|cover|have)( anything)?( about| on)?",
    re.IGNORECASE,
)


def strip_meta(question: str) -> str:
    """Drop words about the almanac itself, which every document matches."""
    stripped = META_RE.sub(" ", question)
    return " ".join(stripped.split()) if analyze(stripped) else question


def contextualise(question: str, history: History | None) -> str:
    """The retrieval query: a short follow-up borrows the earlier question's subject."""
    question = strip_meta(question)
    turns = as_turns(history)
    if not turns or not is_follow_up(question):
        return question
    # The earlier question may itself have been a follow-up: read it in its own context first.
    earlier = contextualise(turns[-1].question, turns[:-1][-3:])
    return f"{earlier} {question}"


def is_follow_up(question: str) -> bool:
    """Short questions, or ones that point back ("it", "they", "what about..."), lean on what came before."""
    content = len(analyze(question))
    if content <= 4 or FOLLOW_UP_START_RE.search(question):
        return True
    return content <= 8 and bool(POINTING_BACK_RE.search(question))


def refusal_text(status: str, nearest: Sequence[OutcomeScore], *, injection: bool = False) -> str:
    """A plain refusal that points at what the almanac does cover."""
    names = ", ".join(o.name for o in nearest)
    if injection:
        lead = (
            "I can only answer questions about council digitalisation from the almanac, and I can't change "
            "how I work or reveal my instructions."
        )
    elif status == "out_of_scope":
        lead = (
            "The almanac doesn't cover that. It is guidance and case studies on council digitalisation, "
            "so it can't help with everyday or personal matters such as the weather, sport, recipes, "
            "translation or a resident's own council account."
        )
    else:
        lead = "The almanac doesn't cover that: I found nothing in it close enough to your question to answer from."
    return f"{lead}\n\nThe nearest outcomes it does cover are: {names}. Try asking about one of those."


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
        self.everyday = EverydayDetector(self.embeddings)
        if llm_generator is None and settings.llm:
            from assistant.llm import LLMGenerator

            llm_generator = LLMGenerator.from_settings(settings)
        self.llm = llm_generator

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

    # The steps of answering, shared by ask() and stream().
    def _prepare(
        self, question: str, history: History | None, outcome: str | None, mode: str | None
    ) -> tuple[Answer | None, list[Hit], list[float], str, dict[str, float]]:
        started = time.perf_counter()
        question = " ".join(question.split())
        if not question:
            raise ValueError("The question is empty.")
        if outcome:
            get_outcome(outcome)  # raises KeyError naming the allowed slugs
        timings: dict[str, float] = {}
        query = contextualise(question, history)
        if outcome:
            # The chosen outcome is context too: "what should we do first?" means first for that outcome.
            query = f"{query} ({get_outcome(outcome).name})"
        vector = self.embeddings.embed_query(query)
        timings["embed_ms"] = (time.perf_counter() - started) * 1000
        injection = is_injection(question)
        if injection or is_out_of_scope(question):
            refusal = self._refusal(question, "out_of_scope", vector, timings, injection=injection)
            return refusal, [], vector, query, timings
        if self.store.count() == 0:
            raise IndexNotBuiltError(self.settings.index_location())
        t0 = time.perf_counter()
        hits = self.retriever.search(
            query, filters=Filters(outcome=outcome), query_embedding=vector, mode=mode
        )
        named = [] if outcome else self.scorer.named(question)
        if named:
            # A question that names an outcome should hear from that outcome's own documents first.
            own = self.retriever.search(
                query,
                k=2,
                filters=Filters(outcome=named[0], doc_type="guidance"),
                query_embedding=vector,
                mode=mode,
            )
            hits = self._put_first(own, hits)
        for section in sorted(wanted_sections_for(question)):
            # "What should we measure?" is answered by the Measures sections, wherever they rank.
            filters = Filters(outcome=outcome or (named[0] if named else None), section=section)
            own = self.retriever.search(query, k=1, filters=filters, query_embedding=vector, mode=mode)
            hits = self._put_first(
                [h for h in own if h.dense is None or h.dense >= self.settings.min_relevance], hits
            )
        kind = council_type_in(question)
        if kind:
            # "What about district councils?" should hear from councils of that type.
            filters = Filters(outcome=outcome, council_type=kind)
            own = self.retriever.search(query, k=2, filters=filters, query_embedding=vector, mode=mode)
            hits = self._put_first(
                [h for h in own if h.dense is None or h.dense >= self.settings.min_relevance], hits
            )
        relevance = max((h.dense for h in hits if h.dense is not None), default=None)
        if relevance is None:
            top = self.store.query(vector, 1, where=Filters(outcome=outcome).where())
            relevance = top[0].score if top else 0.0
        timings["retrieve_ms"] = (time.perf_counter() - t0) * 1000
        if self.everyday.is_everyday(vector, relevance):
            return self._refusal(question, "out_of_scope", vector, timings), hits, vector, query, timings
        if not hits or (relevance < self.settings.min_relevance and not self._names_exactly(query, hits)):
            return self._refusal(question, "no_evidence", vector, timings), hits, vector, query, timings
        return None, hits, vector, query, timings

    def _refusal(
        self,
        question: str,
        status: Status,
        vector: list[float],
        timings: dict[str, float],
        *,
        injection: bool = False,
    ) -> Answer:
        """A refusal that points at the outcomes nearest the question."""
        nearest = self.scorer.nearest(vector)
        text = refusal_text(status, nearest, injection=injection)
        return Answer(question, text, outcomes=nearest, status=status, timings=timings)

    def _names_exactly(self, query: str, hits: list[Hit]) -> bool:
        """True when a top lexical hit holds every word of the question, rare ones included.

        The embedding model knows little of some jargon ("wayleave"), so dense similarity alone would
        refuse questions the almanac answers word for word.
        """
        terms = set(analyze(query))
        if not terms:
            return False
        idf = self.retriever.bm25_index().idf
        for hit in hits[:3]:
            if hit.bm25 is not None and terms <= set(analyze(hit.chunk.embedding_text())):
                return max(idf(t) for t in terms) >= 3.0
        return False

    def _put_first(self, first: list[Hit], hits: list[Hit]) -> list[Hit]:
        ids = {h.chunk.id for h in first}
        return (first + [h for h in hits if h.chunk.id not in ids])[: self.retriever.k]

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
        """Answer one question as it is written: text pieces, then the final Answer."""
        started = time.perf_counter()
        refusal, hits, vector, query, timings = self._prepare(question, history, outcome, mode)
        log.info("question=%r query=%r", redact(question), redact(query))
        if refusal is not None:
            yield refusal.text
            refusal.timings["total_ms"] = (time.perf_counter() - started) * 1000
            yield refusal
            return
        question = " ".join(question.split())
        t0 = time.perf_counter()
        outcomes = self._outcomes(question, vector, hits, outcome)
        idf = self.retriever.bm25_index().idf
        text, citations = extractive_answer(query, hits, idf)
        answer = Answer(question, text, citations=citations, outcomes=outcomes, timings=timings)
        if self.llm is not None:
            for item in self.llm.stream(question, hits, as_turns(history), fallback=answer):
                if isinstance(item, Answer):
                    answer = item
                else:
                    yield item
        else:
            yield from text.splitlines(keepends=True)
        timings["generate_ms"] = (time.perf_counter() - t0) * 1000
        timings["total_ms"] = (time.perf_counter() - started) * 1000
        yield answer
