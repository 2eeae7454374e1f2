"""Summaries that describe their document ("How Wigan Council used...") read as statements of what happened."""

from __future__ import annotations

import re

DESCRIBES_MORE_RE = re.compile(r"(,|\band)\s+(what|how|why|which|whether)\b", re.IGNORECASE)
HOW_MUCH_RE = re.compile(r"\s*(far|much|many|long|well|often)\b", re.IGNORECASE)

DESCRIBES_RE = re.compile(r"^How (?=(?:the |a |an )?[A-Z]|(?:a|an) \w)")


def as_statement(sentence: str) -> str:
    """A summary that describes its document ("How Wigan Council used...") read as what happened."""
    if not DESCRIBES_RE.match(sentence):
        return sentence
    rest = DESCRIBES_RE.sub("", sentence, count=1)
    # "How X did Y, how Z followed, and what others can learn": each "how" clause is a statement ("X did Y,
    # Z followed"); a "what", "why" or "how far" clause asks, and the statement ends before it.
    match = DESCRIBES_MORE_RE.search(rest)
    while match and match.group(2).lower() == "how" and not HOW_MUCH_RE.match(rest[match.end() :]):
        rest = rest[: match.start(2)] + rest[match.end() :].lstrip()
        match = DESCRIBES_MORE_RE.search(rest, match.start(2))
    if match:
        ends_list = match.group(1).lower() == "and"
        rest = rest[: match.start()].rstrip(" ,;:.")
        before = rest.rsplit(",", 1)[0].rsplit(",", 1)[-1].strip()
        if ends_list and not ASIDE_RE.match(before):
            # "X introduced A, used B, and what others should weigh": the "and" went with the cut clause, so
            # the last two things it did are joined again ("introduced A and used B"). "Leeds, working with
            # partners, built..." is one thing done, with an aside.
            rest = LAST_DOING_RE.sub(r" and \1", rest, count=1)
    rest = rest.rstrip(" ,;:.") + "."
    return rest[:1].upper() + rest[1:]


ASIDE_RE = re.compile(r"^([a-z]+ing|which|who|with|including|like|such|as|after|before|in|on|at|for)\b")
# The last of a list of things done: ", used the results to..." (a past verb after the last comma).
LAST_DOING_RE = re.compile(
    r",\s+((?:[a-z]+ed|built|made|set|ran|won|took|began|kept|got|went|brought)\b[^,]*)$"
)
