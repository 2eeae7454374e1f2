"""The retrieval query: a question read alone, or with the earlier turn when it leans on it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.answer import Turn
from assistant.text import analyze

History = Sequence[Turn | str]

# Openings that continue the earlier exchange ("And for districts?", "What about costs?").
CONTINUES_RE = re.compile(
    r"^(and|also|but|so|what about|how about|what if|what else|is that|are they|does that|do they|can they|"
    r"tell me more|more on|same for|and for|why)\b",
    re.IGNORECASE,
)
# Words that point back at something said earlier.
POINTS_BACK_RE = re.compile(
    r"\b(it|this|they|them|those|these|that one|their)\b|\blike (that|this)\b|\b(anyone|someone|anybody) else\b"
    r"|\bthe same\b|\bthere\b\??$",
    re.IGNORECASE,
)
COUNCIL_TYPE_RE = {
    "district": re.compile(r"\bdistrict|\bborough councils?\b(?! of)|\bsmall(er)? councils?\b", re.I),
    "county": re.compile(r"\bcount(y|ies)\b", re.I),
    "unitary": re.compile(r"\bunitar(y|ies)\b", re.I),
    "metropolitan": re.compile(r"\bmetropolitan\b|\bmets?\b", re.I),
    "london-borough": re.compile(r"\blondon boroughs?\b", re.I),
    "combined-authority": re.compile(r"\bcombined authorit(y|ies)\b|\bmayoral\b", re.I),
}
META_RE = re.compile(
    r"\b(what|how) (does|do|would) (the )?almanac (say|have|recommend|suggest|cover)( to say)?( about| on| for)?"
    r"|\b(according to|in|from) the almanac,?|\b(does )?the almanac (say|cover|have)( anything)?( about| on)?",
    re.IGNORECASE,
)
# Two questions this close in meaning are on the same topic: the later one is read with the earlier.
SAME_TOPIC = 0.55


def council_type_in(question: str) -> str | None:
    """The council type a question asks about, if it names one."""
    return next((kind for kind, pattern in COUNCIL_TYPE_RE.items() if pattern.search(question)), None)


def as_turns(history: History | None) -> list[Turn]:
    """History given as Turns or as plain earlier questions."""
    return [t if isinstance(t, Turn) else Turn(question=str(t)) for t in (history or [])]


def strip_meta(question: str) -> str:
    """Drop words about the almanac itself, which every document matches."""
    stripped = META_RE.sub(" ", question)
    return " ".join(stripped.split()) if analyze(stripped) else question


def points_back(question: str) -> bool:
    """True when the question continues or points at the earlier exchange."""
    if CONTINUES_RE.search(question.strip()):
        return True
    content = len(analyze(question))
    return content <= 8 and bool(POINTS_BACK_RE.search(question))


def with_context(question: str, turns: list[Turn]) -> str:
    """The question with the earlier question's subject, itself read in its own context."""
    if not turns:
        return question
    earlier = turns[-1].question
    if points_back(earlier):
        earlier = with_context(earlier, turns[:-1][-3:])
    return f"{earlier} {question}"
