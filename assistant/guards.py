"""Scope and safety checks on a question before and after retrieval."""

from __future__ import annotations

import re

# Questions about a resident's own affairs or everyday topics the almanac never covers.
OUT_OF_SCOPE_PATTERNS = [
    r"\bweather\b|\bforecast\b|\brain(ing)?\b tomorrow|\bsunny\b|\btemperature (today|tomorrow)\b",
    r"\brecipes?\b|\bbake\b|\bcook(ing)?\b|\blasagne\b|\bingredients?\b",
    r"\b(football|premier league|cricket|rugby|tennis|f1|formula one)\b.*\b(score|result|won|win|match|fixture)s?\b",
    r"\b(score|result)s? of (the|last night'?s) (match|game)\b|\bwho won\b",
    r"\bmy (own )?(council tax|bin|bins|rent|benefits?|parking|account|bill|payment|housing application)\b",
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
    r"\breveal (your|the) (instructions|prompt|configuration|secrets?|api key)\b",
    r"\boverride (your|the) (rules|instructions|safety)\b",
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
