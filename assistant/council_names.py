"""The councils the almanac names, so a question naming one ("What did Surrey tell its suppliers?") is known to."""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.text import analyze, rare_as_a_word

# "Surrey County Council", "Redcar and Cleveland Borough Council", "London Borough of Hackney".
COUNCIL_RE = re.compile(
    r"\b([A-Z][a-z]+)(?: and ([A-Z][a-z]+))? (?:County |City |Borough |District |Metropolitan Borough )?Council\b"
    r"|\bLondon Borough of ([A-Z][a-z]+)"
)
# Words that come before "Council" without naming one ("the Local Council", "a Town Council").
NOT_NAMES = frozenset(
    {"Local", "Town", "Parish", "County", "City", "Borough", "District", "Unitary", "Shadow"}
    | {"North", "South", "East", "West", "Vale", "Dean"}  # half of a name ("West Devon", "Forest of Dean")
)


def council_names(texts: Iterable[str]) -> frozenset[str]:
    """Every single-word council name the texts use before "Council" (or after "London Borough of")."""
    names: set[str] = set()
    for text in texts:
        for match in COUNCIL_RE.finditer(text):
            names.update(g for g in match.groups() if g)
    # A stop word is not a name: "How Kent County Council..." gives "Kent", not "How".
    return frozenset(n for n in names if n not in NOT_NAMES and analyze(n))


def councils_in(question: str, names: frozenset[str]) -> list[str]:
    """The known councils a question names, with their capital: typed in lower case too when the name is no
    everyday word ("what did surrey tell its suppliers?")."""
    found = set()
    for word in re.findall(r"\b[A-Za-z][a-z]+\b", question):
        name = word[0].upper() + word[1:]
        if name in names and (word[0].isupper() or rare_as_a_word(word)):
            found.add(name)
    return sorted(found)
