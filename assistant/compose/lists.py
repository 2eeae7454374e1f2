"""List answers from the guide section written for the kind of question: steps, good practice, measures,
challenges and maturity signs."""

from __future__ import annotations

from collections.abc import Callable

from assistant.citations import CitationBook
from assistant.compose.choose import distinct, mmr, supporting, within_budget
from assistant.compose.pool import CASE_ACTION_SECTIONS, LIST_KINDS, Composition, Sentence
from assistant.compose.wording import cite, line, render
from assistant.sentence_rules import dangling

LEVELS = ("Starting", "Developing", "Established", "Leading")

LIST_GAP = 0.15
# A list is used when its best item scores within this of the best sentence anywhere in the retrieved text.
LIST_MARGIN = 0.08
STEPS_GAP = 0.3  # a step this much less like the question than the closest step is about something else
# A step much closer to the question than the rest ("phishing awareness" to a question about phishing) asks
# about that step: the others are steps for other things.
STEPS_SHARE = 0.7
SPECIFIC_SHARE = 0.6  # one or two steps this much closer than the third: the question asks about them
STEPS_MARGIN = 0.15  # "how do we..." is what a guide's "Where to start" is written for
# A "how do we..." this much closer to the guide's summary than to any of its steps asks about the guide's
# whole topic ("how do we prepare for a cyber attack?"), not one step of it.
BROAD_MARGIN = 0.1
# A list is used only when one of its items is this close to the question.
LIST_SIMILARITY = 0.45
# Measures are terse ("Completion rate: the share of people who...") and read as less like any question; a
# guide's measures for the outcome asked about are its other measures, not a stray list.
LIST_GAPS = {"measures": 0.4}
LIST_SIMILARITIES = {"measures": 0.3}
LIST_SIMILARITY_GAP = 0.15
OUTCOME_GUIDE_BONUS = 0.15
DOC_ITEMS = 1  # a guide is judged by its item closest to the question
LIST_INTROS = {
    "steps": "Then, from the {title} guide ({heading}):",
    "good-practice": "The {title} guide also describes:",
    "measures": "Other measures the {title} guide suggests:",
    "challenges": "Other challenges the {title} guide names:",
    "maturity": (
        "The {title} guide describes four levels (Starting, Developing, Established, Leading); "
        "other signs at the {heading} level:"
    ),
}
# Given the sentences found in one document's sections, every item of those sections.
WholeSection = Callable[[list[Sentence], tuple[str, ...]], list[Sentence]]


def margin_for(kind: str) -> float:
    return STEPS_MARGIN if kind == "steps" else LIST_MARGIN


def steps_in_order(same_doc: list[Sentence], whole_topic: bool = True) -> list[Sentence]:
    """The guide puts first things first: its opening list, in its order, is where a council starts,
    leaving out only items far from the question. For a question about the guide's whole topic the guide's
    first step always stays in; for one about a step, only the steps near it in meaning."""
    usable = [s for s in same_doc if not dangling(s.text)]
    best_similarity = max((s.similarity for s in usable), default=0.0)
    floor = best_similarity - STEPS_GAP if whole_topic else best_similarity * STEPS_SHARE
    in_order = sorted(
        (s for s in usable if s.similarity >= floor),
        key=lambda s: (s.hit.chunk.id, s.position),
    )
    first_step = min(usable, key=lambda s: (s.hit.chunk.id, s.position), default=None)
    forced = usable[:2] + ([first_step] if first_step else []) if whole_topic else usable[:1]
    picked = distinct(forced + in_order, [])
    chosen = within_budget(picked, 5)
    chosen.sort(key=lambda s: (s.hit.chunk.id, s.position))
    return chosen


def specific(steps: list[Sentence]) -> bool:
    """Whether one step is far closer to the question than every other: the question asks about it."""
    closest = sorted((s.similarity for s in steps if not dangling(s.text)), reverse=True)
    return len(closest) >= 3 and closest[2] < closest[0] * SPECIFIC_SHARE


def broad(steps: list[Sentence], found: list[Sentence]) -> bool:
    """Whether the question is about the guide's whole topic rather than any one of its steps."""
    topic = max((s.similarity for s in found if s.section == "Summary"), default=0.0)
    return topic >= max(s.similarity for s in steps) + BROAD_MARGIN


def listed(
    pool: list[Sentence],
    book: CitationBook,
    kind: str,
    outcome: str | None,
    whole_section: WholeSection,
    named_guide: str | None = None,
    *,
    in_its_words: bool = False,
) -> Composition | None:
    """Steps, signs of good practice, measures, challenges or maturity signs, from the section for them.

    The guide of the outcome the answer is mostly about is preferred; when its section is about something
    else, the guide whose section is closest ("indicators for our data work" read as local productivity).
    `in_its_words`: the question asks in the words the section is named by ("what does good look like...?"),
    so any of the section's items may answer it, not only those as close as the closest.
    """
    found = _listed(pool, book, kind, outcome, whole_section, named_guide, in_its_words)
    preferred = [
        s.similarity for s in pool if s.doc_id == f"outcome-{outcome}" and s.section in LIST_KINDS[kind]
    ]
    if found is None and preferred and max(preferred) < LIST_SIMILARITIES.get(kind, LIST_SIMILARITY):
        found = _listed(pool, book, kind, None, whole_section, named_guide, in_its_words)
    return found


def _listed(
    pool: list[Sentence],
    book: CitationBook,
    kind: str,
    outcome: str | None,
    whole_section: WholeSection,
    named_guide: str | None,
    in_its_words: bool = False,
) -> Composition | None:
    sections = LIST_KINDS[kind]
    items = [s for s in pool if s.section in sections and s.doc_type == "guidance"]
    if not items:
        return None
    by_doc: dict[str, list[Sentence]] = {}
    for s in items:
        by_doc.setdefault(s.doc_id, []).append(s)

    def doc_value(doc_id: str) -> float:
        top = sorted((s.score for s in by_doc[doc_id]), reverse=True)[:DOC_ITEMS]
        preferred = {
            f"outcome-{o}" for o in (outcome, named_guide) if o
        }  # its outcome, or the guide it names
        return sum(top) / len(top) + (OUTCOME_GUIDE_BONUS if doc_id in preferred else 0.0)

    # An item for councils in a condition the question does not mention ("for councils being reorganised")
    # is not one of this council's.
    same_doc = [
        s
        for s in whole_section(by_doc[max(by_doc, key=doc_value)], sections)
        if not s.unmet and not s.unmet_heading
    ]
    if not same_doc:
        return None
    same_doc.sort(key=lambda s: -s.score)
    best = same_doc[0]
    summary = whole_section(by_doc[best.doc_id], ("Summary",)) if kind == "steps" else []
    one_step = kind == "steps" and specific(same_doc)
    if kind == "steps":
        chosen = steps_in_order(same_doc, whole_topic=not one_step)
        best = chosen[0] if chosen else best
    else:
        if kind == "maturity":  # one level's signs, not a mix of levels
            same_doc = [s for s in same_doc if s.heading == best.heading]
        close = [s for s in same_doc if s.score >= best.score - LIST_GAPS.get(kind, LIST_GAP)]
        if kind in LIST_GAPS:  # a wider gap by score, but each item still near the closest one in meaning
            close = [s for s in close if s.similarity >= best.similarity - LIST_SIMILARITY_GAP]
        if (named_guide is not None and best.doc_id == f"outcome-{named_guide}") or in_its_words:
            close = same_doc  # the section of the guide the question names is the answer, all of it
        chosen = distinct(mmr(close, 5, []), [])
        chosen.sort(key=lambda s: (s.hit.chunk.id, s.position))
    asked_for = named_guide is not None and best.doc_id == f"outcome-{named_guide}"
    similar = max(s.similarity for s in chosen) >= LIST_SIMILARITIES.get(kind, LIST_SIMILARITY)
    if len(chosen) < (1 if one_step else 3) or (not similar and not asked_for):
        return None  # the section found is not about what was asked (unless the question names its guide)
    title = str(best.hit.chunk.metadata.get("title", "")).split(":")[0].strip()
    # The sub-heading names the list only when every item sits under it ("First 90 days").
    headings = {s.heading for s in chosen}
    heading = (
        best.heading if len(headings) == 1 and best.heading and best.heading != best.section else best.section
    )
    # The item closest to the question answers it first; the rest follow as the guide lists them. Steps for
    # a broad question that no single step matches begin where the guide begins.
    first = max(chosen, key=lambda s: s.score)
    if kind == "steps" and broad(chosen, summary):
        first = chosen[0]
    lead = f"{render(first)} {cite(book, first)}"
    if kind == "maturity" and first.heading in LEVELS:
        # Which level the sign belongs to, without saying the council is there.
        lead = f"**A sign of the {first.heading} level:** {lead}"
    rest = [s for s in chosen if s is not first]
    lines = [lead, "", LIST_INTROS[kind].format(title=title, heading=heading)] if rest else [lead]
    for index, s in enumerate(rest, start=1):
        lines.append(line(s, book, f"{index}." if kind == "steps" else "-"))
    # What councils did and learned stands beside steps; what happened to them (a report, a cost) does not.
    sources: tuple[str, ...] = (
        ("What they did", "What others can learn") if kind == "steps" else CASE_ACTION_SECTIONS
    )
    cases = [s for s in pool if s.doc_type == "case-study" and s.section in sources]
    if cases and kind in ("steps", "good-practice", "challenges"):
        # Councils' experience stands beside the guide's list on its own merit.
        extra = supporting(cases, chosen, 2, relative=False)
        if extra:
            lines += ["", "From councils' experience:", *(line(s, book) for s in extra)]
    return Composition(
        "\n".join(lines), book.citations, lead=lead, shape=kind, best_score=max(s.score for s in chosen)
    )
