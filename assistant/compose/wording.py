"""How a chosen sentence stands in an answer: its council named, its pointer resolved, its citation marked."""

from __future__ import annotations

import re

from assistant.citations import CitationBook
from assistant.compose.pool import Sentence
from assistant.sentence_rules import dangling, glossary_entry, quotable, scene_setting, with_council_name


def render(s: Sentence) -> str:
    """A sentence as it stands in an answer: its council named, its pointer resolved."""
    text = as_statement(s.text) if s.section == "Summary" else s.text
    council = str(s.hit.chunk.metadata.get("council") or "")
    if s.doc_type == "case-study":
        text = with_council_name(text, council)
    if s.doc_id == "framework-glossary" and s.heading:
        text = glossary_entry(s.heading, text)
    if dangling(text) and s.previous and quotable(s.previous, min_words=3):
        previous = s.previous
        if s.doc_type == "case-study":
            previous = with_council_name(previous, council)
        text = f"{previous} {text}"
    return text


def words(s: Sentence) -> int:
    """Its length as it will stand, with any sentence it brings."""
    return len(render(s).split())


def cite(book: CitationBook, s: Sentence) -> str:
    return f"[{book.number_for(s.hit, s.text)}]"


def line(s: Sentence, book: CitationBook, marker: str = "-") -> str:
    """A supporting point as a list item with its citation."""
    return f"{marker} {render(s)} {cite(book, s)}"


def leadable(s: Sentence, kind: str) -> bool:
    """A sentence that can open an answer: it answers rather than sets a scene or measures."""
    if s.section == "Summary" or scene_setting(s.text, s.section):
        return False
    if s.section == "Measures and indicators" and kind != "measures":
        return False
    if dangling(s.text) and not (s.previous and quotable(s.previous, min_words=3)):
        return False
    return not (s.doc_type == "case-study" and s.section == "Sources")


DESCRIBES_RE = re.compile(r"^How (?=(?:the |a |an )?[A-Z])")


def as_statement(sentence: str) -> str:
    """A summary that describes its document ("How Wigan Council used...") read as what happened."""
    if not DESCRIBES_RE.match(sentence):
        return sentence
    rest = DESCRIBES_RE.sub("", sentence, count=1)
    return rest[:1].upper() + rest[1:]


def join_names(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def glossary_entry_text(term_heading: str, texts: list[str]) -> str:
    """A glossary entry that leads with its term."""
    body = " ".join(texts)
    term = term_heading.split(" (")[0].strip()
    if body.lower().startswith(term.lower()):
        return body
    return f"**{term_heading}:** {body}"
