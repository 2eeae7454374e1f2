"""Re-ranking: one scoring step over the fused hits and the targeted searches that feed it.

A question that names an outcome should hear from that outcome's guide; one that asks for steps or
measures from the section written for them; one that names a council type from councils of that type;
one a guide's common question answers, from that answer. Each adds candidates and a bonus; the final
order is one score, so no single rule can push everything else out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from assistant.documents import known_as
from assistant.glossary_terms import GLOSSARY_ID
from assistant.retrieval import Filters, Hit, HybridRetriever, diversify
from assistant.text import analyze, rare_as_a_word

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
BONUS_NAMED_CASE = 0.02
# A word this rare in the almanac names a subject of its own ("wayleave", "UPRN").
RARE_TERM_IDF = 3.0


@dataclass
class RerankContext:
    """What the question says about where its answer lives."""

    outcome: str | None = None  # chosen by the user
    named_outcome: str | None = None  # named in the question
    likely_outcome: str | None = None  # the outcome the first retrieval points to
    kind: str = "other"
    council_type: str | None = None
    cases: list[str] = field(default_factory=list)  # case studies whose council or subject the question names


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
    for case in context.cases:
        own = retriever.search(query, k=3, filters=Filters(doc_id=case), query_embedding=vector, mode=mode)
        add(own, BONUS_NAMED_CASE, need_relevance=False)
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
    chosen = diversify(ranked, k=k, max_per_doc=retriever.max_per_doc)
    if context.cases:
        # A question about one case hears more of it than the usual share of one document.
        named = [h for h in ranked if h.chunk.doc_id in context.cases and h not in chosen][:2]
        chosen = chosen[: k - len(named)] + named if len(chosen) + len(named) > k else chosen + named
    return chosen


GENERIC_NAME_WORDS = frozenset(
    {
        "City",
        "County",
        "Borough",
        "District",
        "Council",
        "Councils",
        "Combined",
        "Authority",
        "and",
        "of",
        "Metropolitan",
        "&",
    }
)


def distinctive(name: str) -> str:
    """The words that pick out a council or a case ("Gloucester", "Greater Manchester", "LocalGov Drupal")."""
    name = name.replace("London Borough of ", "").split(":")[0].split(" (")[0].split(",")[0]
    words: list[str] = []
    for word in name.split():
        if word in GENERIC_NAME_WORDS:
            break
        words.append(word)
    return " ".join(words)


def initials(name: str) -> str:
    """A body's capitals run together ("London Office of Technology and Innovation" -> "LOTI"), for names of
    three or more capitalised words that are not a council's ("Bristol City Council")."""
    words = name.split()
    if any(w in GENERIC_NAME_WORDS for w in words if w not in ("and", "of", "&")):
        return ""  # "Leeds City Council" and "Leicester City Council" are both "LCC": no name at all
    capitals = [w[0] for w in words if w[:1].isupper()]
    return "".join(capitals) if len(capitals) >= 3 else ""


# Capitals in case titles that name no one case: a kind of service, not a product or body.
COMMON_ACRONYMS = frozenset({"ICT", "NHS", "GDPR", "SME", "SMEs", "UPRN", "API", "CRM", "LEP"})


def title_acronyms(cases: Sequence[tuple[str, str, str]]) -> dict[str, tuple[str, ...]]:
    """Each case's own capitalised names in its title ("RIPA", "BOPS"): those no other case's title uses."""
    found: dict[str, set[str]] = {}
    for doc_id, _, title in cases:  # a case known by other names comes once with each
        found.setdefault(doc_id, set()).update(set(re.findall(r"\b[A-Z]{3,}\b", title)) - COMMON_ACRONYMS)
    seen: dict[str, int] = {}
    for names in found.values():
        for name in names:
            seen[name] = seen.get(name, 0) + 1
    return {doc_id: tuple(sorted(n for n in names if seen[n] == 1)) for doc_id, names in found.items()}


def names_of_case(council: str, title: str, *known_as: str) -> tuple[str, ...]:
    """The names a case goes by: its council, its title, each name in its title's subject alone ("Publica" of
    "Go Shared Services and Publica: ...") and any other name it is known by ("Digital Pathfinders")."""
    subject = title.split(":")[0].split(" (")[0]
    parts = [p for p in re.split(r",\s*|\s+and\s+", subject) if p != subject]
    return (council, title, *parts, *known_as)


def case_names(metadata: Mapping[str, object]) -> set[str]:
    """The distinctive names ("Go Shared Services", "Publica", "Digital Pathfinders") of a case chunk's case."""
    council, title = str(metadata.get("council") or ""), str(metadata.get("title") or "")
    every = names_of_case(council, title, *known_as(dict(metadata)))
    names = {distinctive(name) for name in every}
    short = {initials(name.split(":")[0].split(" (")[0]) for name in every}  # "LOTI"
    return {n for n in names if len(n) >= 4} | {s for s in short if len(s) >= 3}


def cases_named_in(question: str, cases: Sequence[tuple[str, str, str]]) -> list[str]:
    """The case studies (doc ids) whose council or subject the question names, from (doc id, council, title).

    One council can have several cases ("Greater Manchester"): all of them are named, and retrieval decides.
    """
    found = name_spans(question, cases)
    longest = max((end - start for start, end in found.values()), default=0)
    return sorted(doc_id for doc_id, (start, end) in found.items() if end - start == longest)


def cases_named_apart(question: str, cases: Sequence[tuple[str, str, str]]) -> list[str]:
    """Every case named at a place of its own in the question ("compare the Redcar and Gloucester attacks"), in
    the order named; a name inside a longer one ("Somerset" in "Connecting Devon and Somerset") is that one's."""
    found = name_spans(question, cases)
    apart = [
        doc_id
        for doc_id, (start, end) in found.items()
        if not any(s <= start and end <= e and e - s > end - start for s, e in found.values())
    ]
    return sorted(apart, key=lambda doc_id: (found[doc_id][0], doc_id))


def name_spans(question: str, cases: Sequence[tuple[str, str, str]]) -> dict[str, tuple[int, int]]:
    """Each case whose council or subject the question names, with where its longest name stands."""
    found: dict[str, tuple[int, int]] = {}

    def note(doc_id: str, match: re.Match[str] | None) -> None:
        if match is not None:
            held = found.get(doc_id)
            if held is None or match.end() - match.start() > held[1] - held[0]:
                found[doc_id] = match.span()

    acronyms = title_acronyms(cases)
    for doc_id, council, title in cases:
        for name in names_of_case(council, title):  # other names come as titles of their own
            key = distinctive(name)
            # A name of several words is that name in any case ("GO Shared Services"), and so is one word
            # that is no everyday word ("gloucester"); "Reading" only as written.
            flags = re.IGNORECASE if " " in key or rare_as_a_word(key) else 0
            # "hackneys ransomware attack": a possessive typed without its apostrophe is still the name.
            if len(key) >= 4:
                note(doc_id, re.search(rf"\b{re.escape(key)}(?=(?:['’]?s)?\b)", question, flags))
            # "LOTI" for the London Office of Technology and Innovation
            short = initials(name.split(":")[0].split(" (")[0])
            if len(short) >= 3:
                note(doc_id, re.search(rf"\b{short}\b", question))
        for acronym in acronyms.get(
            doc_id, ()
        ):  # "RIPA" and "BOPS" of "...planning services (RIPA and BOPS)"
            note(doc_id, re.search(rf"\b{acronym}\b", question))
    return found


def holds_rare_subject(query: str, hits: list[Hit], idf: Callable[[str], float]) -> bool:
    """True when a top hit holds the question's rarest word and that word is one the almanac uses: "Is it better
    to buy a chatbot or build one?" reads, by meaning alone, as far from everything, yet it is about chatbots."""
    unseen = idf("")
    rare = [t for t in analyze(query) if RARE_TERM_IDF <= idf(t) < unseen]
    if not rare:
        return False
    rarest = max(rare, key=idf)
    return any(rarest in set(analyze(hit.chunk.embedding_text())) for hit in hits[:3])


def names_exactly(query: str, hits: list[Hit], idf: Callable[[str], float]) -> bool:
    """True when a top lexical hit holds every word of the question, rare ones included.

    The embedding model knows little of some jargon ("wayleave"), so dense similarity alone would
    refuse questions the almanac answers word for word.
    """
    terms = set(analyze(query))
    if not terms:
        return False
    unseen = idf("")  # no chunk holds the empty term: the weight of a word the almanac never uses
    rare = {t for t in terms if idf(t) >= RARE_TERM_IDF}
    # Words the almanac never uses say what it lacks (the gap note's job), not what the question is about.
    rare_held = {t for t in rare if idf(t) < unseen}
    for hit in hits[:3]:
        if hit.bm25 is None:
            continue
        held = set(analyze(hit.chunk.embedding_text()))
        if terms <= held and rare:
            return True
        # The glossary explains a product or term by name ("Copilot" under generative AI): a question
        # naming it is about that entry's subject, whatever else it asks.
        if hit.chunk.doc_id == GLOSSARY_ID and rare_held and rare_held <= held:
            return True
    return False
