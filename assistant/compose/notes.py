"""Notes that open an answer when the almanac covers the question only in part."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from wordfreq import zipf_frequency

from assistant.compose.shapes import ROLES_AND_UNITS, names_in
from assistant.compose.wording import join_names
from assistant.query import SHORTHAND
from assistant.rerank import GENERIC_NAME_WORDS
from assistant.retrieval import Hit
from assistant.sentence_rules import DURATION_RE
from assistant.text import analyze, question_sentences

# A question word counts as rare when so few chunks hold it that the almanac would name it if it covered it.
RARE_IDF = 3.5
# Below this best dense similarity the retrieved material may be only near the question.
PARTIAL_RELEVANCE = 0.5
COVERAGE_FLOOR = 0.55
# A word this common in general English (wordfreq's Zipf scale: 4.5 is about once in 30,000 words, like
# "biggest" or "done") names no subject of its own, however rare it is in the almanac.
EVERYDAY_ZIPF = 4.5
# The word after "we" or "they" is what someone does ("how do we lend devices..."), not a subject the almanac
# lacks when it words the same action differently.
SUBJECT_PRONOUNS = frozenset({"i", "we", "you", "they"})
NO_FIGURE = "The almanac gives no figure for exactly this. This is the nearest it has:"
# Every note saying the almanac lacks what was asked opens so.
GAP_NOTE_OPENING = "The almanac has nothing"
SPECIFIC_GAP = "The almanac has nothing specific on"  # a note naming the words the almanac lacks
NO_DIRECT_ANSWER = (
    "The almanac has nothing that answers this directly. This is the nearest guidance it has, "
    "so check it fits your case."
)


def opens_with_gap_note(text: str) -> bool:
    """Whether an answer opens by saying the almanac lacks what was asked (then gives the nearest it has)."""
    return text.lstrip().startswith(GAP_NOTE_OPENING)


CONTRACTION_RE = re.compile(r"['’](ll|re|ve|d|m|t|s)$")


def everyday(word: str, stem: str) -> bool:
    """Whether a word names no subject of its own: common English in any of its forms ("mentions" as
    "mention"), an adverb ("roughly", "genuinely"), a contraction ("she'll") or something someone does, made
    from a common verb ("staff pasting case notes into...")."""
    return (
        max(zipf_frequency(word, "en"), zipf_frequency(stem, "en")) >= EVERYDAY_ZIPF
        or (word.endswith("ly") and len(word) > 4)
        or bool(CONTRACTION_RE.search(word))
        or doing(word)
    )


# A verb this common (wordfreq's Zipf scale: "paste", "upload" and "scan" are near 3.9) says what someone does;
# a rarer one names a practice ("webcasting", "geofencing", "phishing").
COMMON_VERB_ZIPF = 3.8


def doing(word: str) -> bool:
    """Whether a word ending "-ing" is made from a common verb: "pasting" (paste), "copying", "scanning"."""
    if not word.endswith("ing") or len(word) < 6:
        return False
    base = word[:-3]
    forms = {base, f"{base}e"} | ({base[:-1]} if len(base) > 2 and base[-1] == base[-2] else set())
    return max(zipf_frequency(form, "en") for form in forms) >= COMMON_VERB_ZIPF


def partial_coverage_note(
    question: str, hits: Sequence[Hit], idf: Callable[[str], float], answer: str = ""
) -> str:
    """One sentence saying what the almanac lacks, when the question's specific subject is in no source and
    not in the answer (which may quote a section retrieval did not bring)."""
    found: set[str] = set(analyze(answer))
    for hit in hits:
        found.update(analyze(hit.chunk.embedding_text()))
    words: list[tuple[str, str, bool]] = []
    previous = ""
    for raw in question.replace("?", " ").split():
        word = raw.strip(".,;:!\"'()").lower()
        stems = analyze(word)
        if stems:
            words.append((word, stems[0], previous in SUBJECT_PRONOUNS))
        previous = word
    total = sum(idf(stem) for _, stem, _ in words) or 1.0
    covered = sum(idf(stem) for _, stem, _ in words if stem in found) / total
    missing = [
        word
        for word, stem, action in words
        if stem not in found
        and not action
        and not any(ch.isdigit() for ch in word)  # "section 151", "2028": a number is no subject
        and idf(stem) >= RARE_IDF
        and not everyday(word, stem)
        and word.upper() not in ROLES_AND_UNITS  # "our DPO", "a new CRM": who asks or what kind of system
    ]
    if covered >= COVERAGE_FLOOR or not missing:
        return ""
    listed = join_names([f"“{w}”" for w in dict.fromkeys(missing)][:3])
    return f"{SPECIFIC_GAP} {listed}. This is the nearest guidance it has, so check it fits your case."


# Words that ask for a number: only a question using one is told the almanac has no figure for it.
NUMBER_WORDS_RE = re.compile(
    r"\b(how (much|many|long|often|far)|cost|costs|costing|price|prices|budget|spend|spent|saving|savings|"
    r"saved|figures?|numbers?|percentage|proportion|share|rate|total|amount|sum|£\w*|per cent|when)\b",
    re.I,
)


def opening_note(
    question: str,
    kind: str,
    text: str,
    hits: Sequence[Hit],
    idf: Callable[[str], float],
    *,
    names_case: bool = False,
) -> str:
    """What the answer should admit first: a subject the almanac lacks, or a figure it does not give.

    A question that names a case the almanac has ("...LocalGov Drupal instead?") is about that case, whatever
    other words it uses ("our CMS contract").
    """
    relevance = max((h.dense for h in hits if h.dense is not None), default=0.0)
    partial = relevance < PARTIAL_RELEVANCE and not names_case
    note = partial_coverage_note(question, hits, idf, text) if partial else ""
    if (
        not note
        and kind == "figures"
        and NUMBER_WORDS_RE.search(question)  # "what did residents get in return?" asks for no number
        and not re.search(r"\d", re.sub(r"\[\d+\]", "", text))
        and not DURATION_RE.search(text)  # "Recovery took roughly eight months" gives the figure in words
    ):
        note = NO_FIGURE  # asked for a number and the answer has none: say so rather than imply it
    return note


def unknown_names_note(question: str, mentions: Callable[[str], bool]) -> str:
    """The opening note when the question names a product, body or scheme the almanac never mentions ("Has
    anyone evaluated Magic Notes for social work?"), so that the nearest guidance is not taken for it: a name
    of several words, one of which the almanac never uses. A council's own name ("Tunbridge Wells Borough
    Council") is the asker's context, not a subject."""
    sentences = question_sentences(question)  # each one's capitalised first word is no name
    unknown = [
        name
        for sentence in sentences
        for name in names_in(sentence)
        if " " in name  # one capitalised word or acronym ("CMT", "MFA") is as likely jargon as a product
        and not mentions(name)
        and not set(name.split()) & GENERIC_NAME_WORDS
        and (
            not all(mentions(word.removesuffix("'s").removesuffix("’s")) for word in name.split())
            # "Household Support Fund ... HSF": a scheme the asker also names by its initials is one name,
            # however ordinary its words, and the almanac never mentions it by either
            or (abbreviated(name, question) and not mentions(initials(name)))
        )
    ]
    unknown = unknown or unknown_products(question, mentions)
    if not unknown:
        return ""
    listed = join_names([f"“{n}”" for n in dict.fromkeys(unknown)][:3])
    return f"{SPECIFIC_GAP} {listed}. This is the nearest guidance it has, so check it fits your case."


def initials(name: str) -> str:
    """A name's initials ("HSF" of "Household Support Fund")."""
    return "".join(word[0] for word in name.split() if word[:1].isupper())


def abbreviated(name: str, question: str) -> bool:
    """Whether the question also names a name of three or more words by its initials."""
    letters = initials(name)
    return len(letters) >= 3 and bool(re.search(rf"\b{letters}s?\b", question))


# A single capitalised word the almanac never uses names a product ("Salesforce", "Intune") when it is this
# rare in English too; a commoner word ("Dynamics", "Teams") may be an ordinary word with a capital.
PRODUCT_ZIPF = 3.0
# "in Tunbridge", "at Tendring", "Tunbridge Council": a place is the asker's context, not a subject.
PLACE_BEFORE_RE = re.compile(r"\b(in|at|from|near|of|for)\s+$", re.I)
PLACE_AFTER_RE = re.compile(r"^\s+(Council|County|Borough|District|City)\b")


def unknown_products(question: str, mentions: Callable[[str], bool]) -> list[str]:
    """Single capitalised words, rare in English, that the almanac never uses ("Salesforce or Dynamics?")."""
    found = []
    for match in re.finditer(r"\b[A-Z][a-z]{3,}[A-Za-z]*\b", question):
        word = match.group(0)
        if (
            zipf_frequency(word.lower(), "en") < PRODUCT_ZIPF
            and word.lower() not in SHORTHAND  # "Cllr" is council shorthand, spelled out for retrieval
            and not mentions(word)
            and word not in GENERIC_NAME_WORDS
            and not PLACE_BEFORE_RE.search(question[: match.start()])
            and not PLACE_AFTER_RE.match(question[match.end() :])
        ):
            found.append(word)
    return found
