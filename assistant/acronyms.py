"""Acronyms the almanac spells out ("total cost of ownership (TCO)"), so that a question using only the
letters ("a TCO for our new CRM") is read with the words, which the embedding model knows."""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.retrieval import BM25Index
from assistant.text import rare_as_a_word

# "Total cost of ownership (TCO)", "Public Switched Telephone Network (PSTN)": words, then the letters.
SPELLED_RE = re.compile(r"((?:[A-Za-z][\w'’-]*[\s-]+){1,7})\(([A-Z][A-Za-z]{1,6})\)")
LINKING_WORDS = frozenset({"of", "and", "for", "the", "to", "in", "on", "a", "&"})


def spelled_acronyms(texts: Iterable[str]) -> dict[str, str]:
    """Each acronym the texts introduce after its words, with those words: the first introduction wins."""
    found: dict[str, str] = {}
    for text in texts:
        for match in SPELLED_RE.finditer(text):
            words = re.split(r"[\s-]+", match.group(1).strip())
            acronym = match.group(2)
            letters = [c for c in acronym if c.isupper()]
            for count in range(len(letters), min(len(words), len(letters) + 3) + 1):
                named = [w for w in words[-count:] if w.lower() not in LINKING_WORDS]
                if len(named) == len(letters) and all(
                    w[0].upper() == c for w, c in zip(named, letters, strict=True)
                ):
                    found.setdefault(acronym, " ".join(words[-count:]))
                    break
    return found


def almanac_acronyms(index: BM25Index) -> dict[str, str]:
    """The acronyms the almanac spells out whose words, not letters, its headings use; once per index."""

    def build() -> dict[str, str]:
        headings = " ".join({str(c.metadata.get("heading_path") or "") for c in index.chunks})
        spelled = spelled_acronyms(c.text for c in index.chunks)
        # Only where the headings use the words and never the letters ("What is total cost of ownership...?"):
        # where a heading uses the letters ("LOTI", "AI"), the letters already find it.
        return {
            acronym: words
            for acronym, words in spelled.items()
            if words.lower() in headings.lower() and not re.search(rf"\b{re.escape(acronym)}\b", headings)
        }

    return index.derived("acronyms", build)


def with_acronyms_spelled(question: str, known: dict[str, str]) -> str:
    """The question with the words after each acronym it uses in capitals, unless it already has them."""
    if not known:
        return question
    # "what's a tco?": typed in lower case, an acronym is still one unless it spells an everyday word ("it").
    lowered = {a.lower(): a for a in known if rare_as_a_word(a.lower())}
    names = sorted({*known, *lowered}, key=len, reverse=True)
    pattern = re.compile(rf"\b({'|'.join(map(re.escape, names))})\b")
    done: set[str] = set()

    def spell(match: re.Match[str]) -> str:
        acronym = lowered.get(match.group(1), match.group(1))
        words = known[acronym]
        if acronym in done or words.lower() in question.lower():
            return acronym
        done.add(acronym)
        return f"{acronym} ({words})"

    return pattern.sub(spell, question)
