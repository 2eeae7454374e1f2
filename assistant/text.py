"""Text analysis shared by BM25, sentence selection and question handling."""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer
from wordfreq import zipf_frequency

TOKEN_RE = re.compile(r"(?u)\b\w\w+\b")
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "many",
        "much",
        "now",
        "really",
        "actually",
        "thing",
        "things",
        "way",
        "ways",
        "like",
        "shall",
        "may",
        "might",
        "must",
        "us",
        "let",
        "get",
        "got",
        "tell",
        "give",
        "please",
        "say",
        "says",
        "said",
        "know",
        "want",
        "need",
        "make",
        "use",
        "using",
        "used",
    ]
)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def analyze(text: str) -> list[str]:
    """Lower-case word tokens, stop words removed, Snowball-stemmed."""
    words = [w for w in TOKEN_RE.findall(text.lower()) if w not in STOPWORDS]
    return list(_stemmer().stemWords(words))


MARKDOWN_NOISE = re.compile(r"(\*\*|`|^#+\s*|^\s*[-*+]\s+|^\s*\d+[.)]\s+)", re.MULTILINE)
LINK_RE = re.compile(r"\[([^\]]+)\]\([^)]+\)")
# A sentence ends at ".", "!" or "?" before a capital or a digit, but not after an abbreviation ("No. 2").
SENTENCE_SPLIT = re.compile(
    r"(?<=[.!?])(?<!\bNo\.)(?<!\bno\.)(?<!\bSt\.)(?<!\bDr\.)(?<!\bMr\.)(?<!\bvs\.)(?<!\be\.g\.)(?<!\bi\.e\.)"
    r"\s+(?=[A-Z0-9\"'(‘“])"
)


# A question typed in chat: its sentences end at ".", "!" or "?", whatever follows ("...a mess. do we...?").
QUESTION_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+")


def question_sentences(question: str) -> list[str]:
    """The sentences of a typed question; the last is usually the one that asks."""
    return QUESTION_SENTENCE_SPLIT.split(question.strip())


def plain(text: str) -> str:
    """Markdown reduced to plain text: links to their words, emphasis and list markers removed."""
    return MARKDOWN_NOISE.sub("", LINK_RE.sub(r"\1", text)).strip()


LIST_ITEM_RE = re.compile(r"^\s*([-*+]|\d+[.)])\s+|^\s*#")


def units(text: str) -> list[str]:
    """Paragraphs and list items, with hard-wrapped lines joined back together."""
    found: list[str] = []
    current: list[str] = []
    for line in text.splitlines():
        if not line.strip() or LIST_ITEM_RE.match(line):
            if current:
                found.append(" ".join(current))
            current = [line.strip()] if line.strip() else []
        else:
            current.append(line.strip())
    if current:
        found.append(" ".join(current))
    return found


# A name this rare as an everyday English word ("hackney", "gloucester", "leeds") is still a name when typed
# in lower case; a commoner one ("reading", "bath") is a name only with its capital.
NAME_ZIPF = 4.3


@lru_cache(maxsize=4096)
def rare_as_a_word(name: str) -> bool:
    """Whether a one-word name is too rare in everyday English to be anything else in lower case."""
    return zipf_frequency(name.lower(), "en") < NAME_ZIPF
