"""Council examples: the councils that did what the question asks, what each did and what happened."""

from __future__ import annotations

import re

from assistant.citations import CitationBook
from assistant.compose.choose import distinct, mmr
from assistant.compose.pool import CASE_ACTION_SECTIONS, Composition, Sentence
from assistant.compose.wording import (
    about_another_council,
    case_label,
    cite,
    join_names,
    member_names,
    render,
    stands,
    states,
)
from assistant.rerank import case_names
from assistant.sentence_rules import about_councils_at_large, council_short_name, evidence_caveat

# A council example is used only when something it did is this close to the question.
EXAMPLE_SIMILARITY = 0.45
SUMMARY_SIMILARITY = 0.4
# A case's summary leads unless a sentence of its story is this much closer to the question.
SUMMARY_LEAD_GAP = 0.12
BOLD_LABEL_RE = re.compile(r"^\*\*[^*]+:\*\*\s+")


def examples(pool: list[Sentence], book: CitationBook) -> Composition | None:
    """Councils that did it: what each did and what happened."""
    by_council: dict[str, list[Sentence]] = {}
    for s in pool:
        # A case's summary says what the council did and what came of it in one sentence.
        summary = s.section == "Summary" and s.position == 0 and states(s.text)
        if s.doc_type == "case-study" and (summary or s.section in CASE_ACTION_SECTIONS + ("The challenge",)):
            meta = s.hit.chunk.metadata
            council = str(meta.get("council") or meta.get("title"))
            if not about_councils_at_large(s.text, council):  # a survey of councils is not what this one did
                by_council.setdefault(council, []).append(s)
    # A council belongs in the answer only when something it did is close to the question.
    relevant = [
        g
        for g in by_council.values()
        if max((s.similarity for s in g if s.section != "Summary"), default=0.0) >= EXAMPLE_SIMILARITY
    ]
    if not relevant:
        return None
    # Councils rank by what they did, not by the problem they faced.
    ranked = sorted(
        relevant,
        key=lambda group: -max((s.score for s in group if s.section != "The challenge"), default=0.0),
    )[:3]
    # Each case's own names ("Go Shared Services", "Publica"): a point naming another case is about that one.
    case_names = {s.doc_id: own_names(s.hit.chunk.metadata) for s in pool if s.doc_type == "case-study"}
    names = []
    lines: list[str] = []
    lead = ""
    for group in ranked:
        meta = group[0].hit.chunk.metadata
        council = case_label(meta)
        councils = str(meta.get("council") or council)  # every council of the case, by its full name
        names.append(council_short_name(council))
        own = [
            s
            for s in group
            if stands(s)
            and not about_another_council(render(s), councils)
            and not evidence_caveat(s.text)
            and not names_another_case(s.text, s.doc_id, case_names)
            and not about_councils_at_large(s.text, council)
        ]
        # What the council did and what happened, rather than the problem it faced, when the case says.
        acted = [s for s in own if s.section in ("Summary", *CASE_ACTION_SECTIONS[:2])] or [
            s for s in own if s.section in CASE_ACTION_SECTIONS
        ]
        picks = distinct(mmr(sorted(acted or own or group, key=lambda s: -s.score), 2, []), [])
        # Beyond each council's best point, only what is close to the question.
        picks = picks[:1] + [s for s in picks[1:] if s.similarity >= EXAMPLE_SIMILARITY]
        if not lead:
            # The council closest to the question leads with what it did, in its case's own one-line summary
            # where that is close to the question; its name is in its citation.
            summaries = [
                s
                for s in own
                if s.section == "Summary"
                and (
                    s.similarity >= EXAMPLE_SIMILARITY
                    or s.similarity >= max(SUMMARY_SIMILARITY, picks[0].similarity - SUMMARY_LEAD_GAP)
                )
            ]
            top = summaries[0] if summaries else picks[0]
            picks = [s for s in picks if s is not top]
            text = render(top)
            # A summary's second sentence often says what came of it ("From November 2024 three of them
            # moved most services back in-house"): it follows when it is at least as close to the question.
            follow = [s for s in pool if s.hit is top.hit and s.position == top.position + 1 and stands(s)]
            if top.section == "Summary" and follow and follow[0].similarity >= top.similarity:
                text = f"{text} {follow[0].text}"
                picks = [s for s in picks if s is not follow[0]]
            short = council_short_name(council)
            label = "" if short.split()[0] in text else f"**{council}:** "
            text = BOLD_LABEL_RE.sub("", text, count=1) if label else text  # one label, the council's
            lead = f"{label}{text} {cite(book, top)}"
            if not picks:
                continue
        else:
            # Another council is told in its case's one-line summary, which says what it did and what came
            # of it, where that is about the question; a sentence lifted from its story otherwise.
            summaries = [s for s in own if s.section == "Summary" and s.similarity >= SUMMARY_SIMILARITY]
            picks = summaries[:1] or picks
        picks.sort(key=lambda s: (s.rank, s.position))
        # Under the council's own label a point's run-in heading would be a second label: the point alone.
        text = " ".join(f"{BOLD_LABEL_RE.sub('', render(s), count=1)} {cite(book, s)}" for s in picks)
        if text.startswith(council):
            lines.append(f"- **{council}**{text[len(council) :]}")
        else:
            lines.append(f"- **{council}:** {text}")
    others = f"Examples include {join_names(names)}:" if len(names) > 1 else ""
    body = [lead, "", others, *lines] if others and lines else [lead, *([""] + lines if lines else [])]
    return Composition("\n".join(body), book.citations, lead=lead, shape="examples")


# "85% of county and unitary councils...", "most councils...": the sector at large, not this council.


def own_names(meta: dict[str, object]) -> set[str]:
    """A case's own names: each of its councils ("North Tyneside", "Hackney", "Sunderland") and its subject."""
    members = {n for n in member_names(str(meta.get("council") or "")) if len(n) >= 4}
    return members | case_names(meta)


def names_another_case(text: str, doc_id: str, case_names: dict[str, set[str]]) -> bool:
    """True when a case's sentence names another case's council or subject but not its own ("In 2015 four
    councils... (Go Shared Services) published...", in the Aylesbury Vale and Dacorum case)."""
    if any(name in text for name in case_names.get(doc_id, set())):
        return False
    return any(name in text for other, names in case_names.items() if other != doc_id for name in names)
