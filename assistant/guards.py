"""Scope and safety checks on a question before and after retrieval."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from langchain_core.embeddings import Embeddings

# Questions about a resident's own affairs or everyday topics the almanac never covers.
OUT_OF_SCOPE_PATTERNS = [
    r"\bweather\b|\bweather forecast\b|\b(rain|raining|snow|snowing|sunny)\b.*\b(today|tomorrow|tonight|weekend)\b",
    r"\brecipes?\b|\bbake\b|\bcook(ing)?\b|\blasagne\b|\bingredients?\b",
    r"(?=.*\b(football|premier league|cricket|rugby|tennis|golf|snooker|f1|formula one)\b)"
    r"(?=.*\b(score|result|won|win|match|fixture|game)s?\b)",
    r"\b(score|result)s? of (the|last night'?s) (match|game)\b|\bwho won\b",
    r"\bmy (own )?(council tax|bin|bins|rent|(housing )?benefits?|parking|account|bill|payment|housing application)\b",
    r"\bmy (mum|dad|mother|father|son|daughter|kids|children|wife|husband|partner|neighbour|gran|grandad)\b",
    r"\bwhat time does\b.*\b(open|close)\b|\bopening (hours|times)\b",
    r"\b(pay|paying) my\b|\bmy (council tax )?(band|balance|direct debit)\b|\bwhen is my bin\b",
    r"\btranslate\b|\btranslation of\b|\bin (french|spanish|german|polish|welsh|urdu) please\b",
    r"\blottery\b|\bhoroscope\b|\bstock price\b|\bshare price\b|\bbitcoin\b",
    r"\btell me a joke\b|\bwrite (me )?a (poem|song|story)\b",
]
INJECTION_PATTERNS = [
    r"\bignore (all |any |the |your )?(previous|prior|above|earlier)? ?(instructions|rules|prompts?)\b",
    r"\bdisregard (all |any |the |your )?(previous|prior|above)? ?(instructions|rules)\b",
    r"\b(system|hidden|initial) prompt\b",
    r"\byou are now\b|\bact as (an? )?(unfiltered|jailbroken|dan)\b|\bdeveloper mode\b|\bjailbreak\b",
    r"\bpretend (to be|you are)\b|\bforget (everything|your instructions)\b",
    r"\breveal (your|the) ((hidden|secret|original|system) )?(instructions|prompt|configuration|secrets?|api key)\b",
    r"\boverride (your|the) (rules|instructions|safety)\b",
    r"\b(new|updated) (instruction|instructions|rules|system message)s? (from|for)\b",
    r"\bno longer (restricted|limited|bound)\b|\bwith no (rules|restrictions|limits|filters)\b",
    r"\b(reply|respond|answer) (only )?with (that|this|the following) (sentence|text|phrase)\b",
    r"\b(with no|without) citations\b",
    r"\bwrite\b.*\b(phishing|scam|fake) (email|message|text)\b|\bthrough my link\b",
    r"\b(list|give me|send me|reveal) (the )?(admin |staff |user )?passwords\b",
]
_OUT = [re.compile(p, re.IGNORECASE) for p in OUT_OF_SCOPE_PATTERNS]
_INJECT = [re.compile(p, re.IGNORECASE) for p in INJECTION_PATTERNS]


def is_injection(question: str) -> bool:
    """True when the question tries to override the assistant's instructions."""
    return any(p.search(question) for p in _INJECT)


def is_out_of_scope(question: str) -> bool:
    """True when the question is plainly about something the almanac does not cover."""
    return any(p.search(question) for p in _OUT)


EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE_RE = re.compile(r"(?<!\w)(?:\+44\s?|0)(?:\d[\s-]?){9,10}(?!\w)")


def redact(text: str) -> str:
    """Remove email addresses and phone numbers before a question is logged."""
    return PHONE_RE.sub("[phone]", EMAIL_RE.sub("[email]", text))


# Everyday questions, for recognising ones the patterns miss by their meaning.
EVERYDAY_EXAMPLES = (
    "What will the weather be like this weekend?",
    "Is it going to rain today?",
    "Who won the match last night?",
    "What's the latest football score?",
    "Give me a recipe for dinner tonight",
    "How long should I bake a cake for?",
    "What time does the supermarket open?",
    "Recommend a good restaurant near me",
    "Where can we go for a drink after work?",
    "Where is a good pub or restaurant in town?",
    "Can you recommend a hotel for our visit?",
    "Where should we hold the office Christmas party?",
    "When is my rubbish collected?",
    "How much council tax do I owe?",
    "Why has my benefit payment not arrived?",
    "How do I get a parking permit for my street?",
    "Can you book me a GP appointment?",
    "Translate this sentence into French",
    "Write me a poem",
    "Tell me a joke",
    "What is the share price of this company?",
    "Who should I vote for in the election?",
    "What's on TV tonight?",
    "Is the library open on Sunday?",
    "What are the train times to London?",
    "What is the capital of France?",
    "How do I fix my laptop at home?",
)


class EverydayDetector:
    """Spots everyday and personal questions by their closeness to examples of such questions."""

    def __init__(self, embeddings: Embeddings, *, threshold: float = 0.55, margin: float = 0.05):
        self._vectors = np.asarray(embeddings.embed_documents(list(EVERYDAY_EXAMPLES)), dtype=np.float32)
        self.threshold = threshold
        self.margin = margin

    def similarity(self, query_vector: Sequence[float]) -> float:
        """Cosine similarity to the nearest everyday example."""
        return float((self._vectors @ np.asarray(query_vector, dtype=np.float32)).max())

    def is_everyday(self, query_vector: Sequence[float], evidence: float) -> bool:
        """True when the question is nearer everyday examples than anything in the almanac."""
        nearest = self.similarity(query_vector)
        return nearest >= self.threshold and nearest > evidence + self.margin
