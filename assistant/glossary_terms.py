"""Words the almanac explains only in its glossary, and the entry that explains each.

The embedding model knows little of product names and jargon ("ChatGPT", "pendant alarm"). When such a word
appears in the almanac only in the heading or opening sentence of one glossary entry, the entry names what
the word is an example of, so a question using the word is read with the entry's term too.
"""

from __future__ import annotations

from assistant.retrieval import BM25Index
from assistant.text import SENTENCE_SPLIT, analyze

GLOSSARY_ID = "framework-glossary"


def glossary_terms(index: BM25Index) -> dict[str, str]:
    """Analysed word -> glossary term, for words no other chunk of the almanac holds."""

    def build() -> dict[str, str]:
        terms: dict[str, str] = {}
        for chunk in index.chunks:
            heading = str(chunk.metadata.get("heading_path") or "").split(" > ")[-1].strip()
            if chunk.doc_id != GLOSSARY_ID or not heading:
                continue
            first = SENTENCE_SPLIT.split(chunk.text.strip(), maxsplit=1)[0]
            for term in set(analyze(f"{heading} {first}")):
                if index.frequency(term) == 1 and not term.isdigit():
                    terms[term] = heading
        return terms

    return index.derived("glossary_terms", build)


def with_glossary_terms(question: str, index: BM25Index) -> str:
    """The question with the glossary term its rare words are examples of, when it does not name it."""
    known = glossary_terms(index)
    named = dict.fromkeys(known[t] for t in analyze(question) if t in known)
    extra = [term for term in named if term.lower() not in question.lower()]
    return f"{question} ({'; '.join(extra)})" if extra else question
