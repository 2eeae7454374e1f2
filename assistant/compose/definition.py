"""A definition: the glossary entry for the term asked about leads, then what the guides add."""

from __future__ import annotations

import re

from assistant.citations import CitationBook
from assistant.compose.choose import supporting
from assistant.compose.pool import Asked, Composition, Sentence
from assistant.compose.shapes import RESTATES, yes_or_no
from assistant.compose.wording import cite, glossary_entry_text, line, without_verdict
from assistant.glossary_terms import GLOSSARY_ID
from assistant.intent import asked_after_term
from assistant.retrieval import Hit
from assistant.sentences import last_heading, stored_heading_vector

# A glossary heading this close to the question names the term asked about.
TERM_MATCH = 0.55


def glossary_term(heading: str) -> str:
    """A glossary heading's term without its expansion: "ATRS" of "ATRS (Algorithmic ... Standard)"."""
    return heading.split(" (")[0].strip()


def term_pattern(term: str) -> str:
    """A regex for a glossary term as a question may word it: an abbreviation in it ("CAF for local
    government") matches itself or the words whose initials it is ("Cyber Assessment Framework for...")."""
    parts = []
    for word in term.split():
        if len(word) >= 3 and word.isupper() and word.isalpha():
            # Written out, each word starts with its capital ("Cyber Assessment Framework"), whatever the case
            # of the rest of the question: "can a fire..." is not CAF.
            spelled = r"\s+".join(rf"(?-i:{letter})[\w'-]*" for letter in word)
            parts.append(rf"(?:{re.escape(word)}|{spelled})")
        else:
            parts.append(re.escape(word))
    return r"\s+".join(parts)


def defines_itself(hit: Hit, term: str) -> bool:
    """Whether a guide's common question asks what the term is ("What is the Digital Inclusion Action Plan,
    and what does it ask of councils?")."""
    heading = last_heading(hit.chunk.metadata)
    return bool(re.match(rf"^what (?:is|are) (?:the |an? )?{term_pattern(term)}\b", heading, re.IGNORECASE))


def definition(
    pool: list[Sentence], book: CitationBook, asked: Asked, dim: int, *, then: Hit | None = None
) -> Composition | None:
    """The entry that names the term leads; then what the guides add.

    Only an entry for the term asked about may lead: its name is in the question, or its heading is
    close in meaning to it. Otherwise the nearest entry defines something else.
    """

    def in_words(s: Sentence, question: str) -> bool:
        term = glossary_term(s.heading)
        return bool(term) and bool(re.search(rf"\b{term_pattern(term)}\b", question, re.IGNORECASE))

    def names_term(s: Sentence) -> bool:
        if in_words(s, asked.query):
            return True
        heading = stored_heading_vector(s.hit.chunk.metadata, dim)
        return heading is not None and float(heading @ asked.vector) >= TERM_MATCH

    entries = [s for s in pool if s.doc_id == GLOSSARY_ID and s.heading and names_term(s)]
    if not entries:
        return None
    # The entry whose whole term the question uses ("CAF for local government") over a shorter one ("CAF").
    best = max(entries, key=lambda s: (in_words(s, asked.query) and len(glossary_term(s.heading)), s.score))
    if then is not None and not in_words(best, asked.question or asked.query):
        return None  # a guide answers the question, which does not name this term: its answer leads
    answer = sorted((s for s in pool if then and s.hit.chunk.id == then.chunk.id), key=lambda s: s.position)
    if then is not None and answer and defines_itself(then, glossary_term(best.heading)):
        # "What is the Digital Inclusion Action Plan, and what does it ask of councils?" says what the term
        # is and more: the guide's answer alone, not the entry and then the same facts again.
        body = " ".join(s.text for s in answer)
        text = f"{body} [{book.number_for(then, answer[0].text)}]"
        return Composition(text, book.citations, lead=answer[0].text, shape="common-question")
    entry = sorted((s for s in entries if s.hit is best.hit), key=lambda s: s.position)[:3]
    lead_text = glossary_entry_text(entry[0].heading, [s.text for s in entry])
    lines = [f"{lead_text} {cite(book, entry[0])}"]
    if then is not None and answer:  # a guide answers the rest of the question
        body = " ".join(s.text for s in answer)
        after = asked_after_term(asked.question) or asked.question  # "...and do we have to publish one?"
        body = body if yes_or_no(after) else without_verdict(body)  # else its "No," answers another question
        lines += ["", f"{body} [{book.number_for(then, answer[0].text)}]"]
        return Composition(
            "\n".join(lines), book.citations, lead=lead_text, shape="definition", answers_rest=True
        )
    rest = [s for s in pool if s.doc_id != GLOSSARY_ID and s.section != "Summary"]
    # What the guides add, not the definition again in other words.
    extra = [
        s for s in supporting(rest, entry, 2) if max(float(s.vector @ e.vector) for e in entry) < RESTATES
    ]
    if extra:
        lines += ["", *(line(s, book) for s in extra)]
    return Composition("\n".join(lines), book.citations, lead=lead_text, shape="definition")


def by_example(pool: list[Sentence], asked: Asked) -> bool:
    """True when the query names a glossary term the question itself does not: the question used a name
    the glossary gives as an example of it (see `assistant.glossary_terms`)."""
    question = asked.question.lower()
    query = asked.query.lower()
    for s in pool:
        if s.doc_id == GLOSSARY_ID and s.heading:
            term = glossary_term(s.heading).lower()
            if term and term in query and term not in question:
                return True
    return False
