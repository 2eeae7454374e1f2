"""A comparison of two terms the glossary explains ("How is a DPIA different from an ATRS record?"): each term's
entry, side by side, then a guide's answer to the comparison when it has one."""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.citations import CitationBook
from assistant.compose.definition import term_pattern
from assistant.compose.pool import Composition, Sentence
from assistant.compose.wording import cite, glossary_entry_text
from assistant.documents import Chunk
from assistant.glossary_terms import GLOSSARY_ID
from assistant.retrieval import Hit

# "the difference between A and B", "how is A different from B", "A vs B", "A or B: which...".
PAIR_RES = (
    re.compile(r"\bdifference between (?:an? |the )?(?P<a>.+?) and (?:an? |the )?(?P<b>[^?,.;]+)", re.I),
    re.compile(
        r"\b(?:how|in what way) (?:is|are|does|do) (?:an? |the )?(?P<a>.+?) "
        r"(?:differ(?:ent)? from|compare (?:with|to)|differ to) (?:an? |the )?(?P<b>[^?,.;]+)",
        re.I,
    ),
    re.compile(r"^(?:an? |the )?(?P<a>[^?,.;]+?) (?:vs\.?|versus) (?:an? |the )?(?P<b>[^?,.;-]+)", re.I),
)
MAX_TERM_WORDS = 6
ENTRY_SENTENCES = 2  # each term's entry in brief: what it is, and the next point it makes

# Every sentence of a document's section: the glossary's terms, whether or not retrieval found them.
SectionSentences = Callable[[str, str], list[Sentence]]


def compared_terms(question: str) -> tuple[str, str] | None:
    """The two things a question compares, when it names them."""
    for pattern in PAIR_RES:
        match = pattern.search(question.strip())
        if match:
            a, b = (match[g].strip(" '\"") for g in ("a", "b"))
            if 0 < len(a.split()) <= MAX_TERM_WORDS and 0 < len(b.split()) <= MAX_TERM_WORDS:
                return a, b
    return None


def entry_for(term: str, entries: list[Sentence]) -> list[Sentence]:
    """A glossary entry's opening sentences when it is the entry for the whole term named: its short name
    ("ATRS") or its long one ("Algorithmic Transparency Recording Standard"), with "a", "the" or a trailing
    "record" allowed ("an ATRS record")."""
    wanted = re.sub(r"^(?:an?|the)\s+|\s+records?$", "", term.strip(), flags=re.I)
    named = [s for s in entries if any(names_whole(name, wanted) for name in entry_names(s.heading))]
    if not named:
        return []
    best = named[0]
    return sorted((s for s in named if s.hit is best.hit), key=lambda s: s.position)[:ENTRY_SENTENCES]


def entry_names(heading: str) -> list[str]:
    """A glossary heading's names: "ATRS (Algorithmic Transparency Recording Standard)" has two."""
    short, _, rest = heading.partition(" (")
    return [short.strip(), *([rest.rstrip(")").strip()] if rest else [])]


def names_whole(name: str, term: str) -> bool:
    return bool(re.fullmatch(term_pattern(name), term, re.I))


def compared(
    question: str,
    section: Callable[[str, str | None], list[Chunk]] | None,
    sentences: Callable[[list[Hit]], list[Sentence]],
    book: CitationBook,
    then: list[Sentence] | None = None,
) -> Composition | None:
    """Both terms' entries, then the guide's answer to the comparison (`then`), if it has one. None unless
    the glossary explains both."""
    pair = compared_terms(question)
    if pair is None or section is None:
        return None
    glossary = [s for s in sentences([Hit(c, 0.0) for c in section(GLOSSARY_ID, "Terms")]) if s.heading]
    found = [entry_for(term, glossary) for term in pair]
    if not all(found) or found[0][0].hit is found[1][0].hit:
        return None
    lines = [
        f"{glossary_entry_text(entry[0].heading, [s.text for s in entry])} {cite(book, entry[0])}"
        for entry in found
    ]
    if then:
        lines.append(f"{' '.join(s.text for s in then)} {cite(book, then[0])}")
    return Composition("\n\n".join(lines), book.citations, lead=lines[0], shape="comparison")


def compares_both(heading: str, question: str) -> bool:
    """Whether a common question's heading names both things the question compares."""
    pair = compared_terms(question)
    return pair is not None and all(re.search(rf"\b{term_pattern(t)}\b", heading, re.I) for t in pair)
