"""Scope and safety checks on a question before and after retrieval."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.answer import Status
from assistant.privacy import mask_personal_data

# A resident's own affairs: the almanac is for councils, not about one person's account or family.
PERSONAL_MATTER_PATTERNS = [
    r"\bmy (own )?(council tax|bin|bins|rent|(housing )?benefits?|parking (permit|ticket|fine)|account|bill|"
    r"payment|housing application|planning application|blue badge|universal credit)\b",
    r"\bmy (mum|dad|mother|father|son|daughter|kids|children|wife|husband|partner|neighbour|gran|grandad|landlord)\b",
    r"\b(pay|paying) my\b|\bmy (council tax )?(band|balance|direct debit)\b|\bwhen is my bin\b",
    r"\b(book|cancel) (me |my )?(an? )?(appointment|gp)\b",
]
# "My benefits team", "my partner organisations", "my children's services", three "'my account' portals": an
# officer's own work, or a product's name, not a resident's affairs.
WORK_NOUN_RE = re.compile(
    r"^(?:'s|’s)?['’\"”]?\s*(team|teams|service|services|department|directorate|unit|function|system|systems|forum|"
    r"portals?|platforms?|products?|modules?|apps?|pages?|"
    r"organisations?|partners|agenc(y|ies)|providers|suppliers|managers?|officers|staff|colleagues|"
    r"caseworkers?|backlog|caseloads?|contracts?|programmes?|projects?)\b",
    re.IGNORECASE,
)
# Requests for something other than an answer: entertainment, or a task the assistant does not do.
EVERYDAY_REQUEST_PATTERNS = [
    r"\btell me a joke\b|\bwrite (me )?a (poem|song|story|limerick)\b",
    r"\b(my|today'?s) horoscope\b|\blottery numbers\b",
    r"^(please )?translate\b.*\b(into|to) (french|spanish|german|polish|welsh|urdu|italian|arabic)\b",
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
_PERSONAL = [re.compile(p, re.IGNORECASE) for p in PERSONAL_MATTER_PATTERNS]
_REQUEST = [re.compile(p, re.IGNORECASE) for p in EVERYDAY_REQUEST_PATTERNS]
_INJECT = [re.compile(p, re.IGNORECASE) for p in INJECTION_PATTERNS]


def is_injection(question: str) -> bool:
    """True when the question tries to override the assistant's instructions."""
    return any(p.search(question) for p in _INJECT)


def is_personal_matter(question: str) -> bool:
    """True when the question is about a resident's own affairs, not an officer's team or service."""
    return any(
        not WORK_NOUN_RE.match(question[match.end() :])
        for pattern in _PERSONAL
        for match in pattern.finditer(question)
    )


def is_everyday_request(question: str) -> bool:
    """True when the question asks for entertainment or a task, not for guidance."""
    return any(p.search(question) for p in _REQUEST)


def redact(text: str) -> str:
    """Mask personal data (emails, phone and NI numbers, home addresses) before a question is logged."""
    return mask_personal_data(text)


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


# Council questions that use everyday words, so that a word alone never makes a question everyday.
COUNCIL_EXAMPLES = (
    "How can river level sensors warn residents before a flood?",
    "Can smart sensors tell us when social housing has damp and mould?",
    "What makes a successful digital transformation programme?",
    "What are the essential parts of a good data strategy?",
    "Should we translate our website for residents who speak other languages?",
    "How can we train staff to spot suspicious messages that try to steal passwords?",
    "What should our password policy say?",
    "How do we score suppliers when we buy a new system?",
    "How can libraries help residents get online?",
    "Can we use AI to help residents book a bulky waste collection?",
    "How do other councils handle online payments for parking permits?",
    "How can we make council tax billing digital?",
    "What should we do to keep services running if the power goes out?",
    "How do councils webcast their committee meetings?",
    "Which councils have put free wifi in their town centres?",
    "How do we plan for extreme weather in our business continuity plans?",
    "What makes a good partnership between councils work?",
    "How can we bring shopping streets and local businesses online?",
)


CLEAR_MARGIN = 0.25
CLEAR_MARGIN_SLACK = 0.10


class EverydayDetector:
    """Spots everyday and personal questions by their closeness to examples of such questions."""

    def __init__(self, embeddings: Embeddings, *, threshold: float = 0.55, margin: float = 0.05):
        self._vectors = np.asarray(embeddings.embed_documents(list(EVERYDAY_EXAMPLES)), dtype=np.float32)
        self._council = np.asarray(embeddings.embed_documents(list(COUNCIL_EXAMPLES)), dtype=np.float32)
        self.threshold = threshold
        self.margin = margin

    def similarity(self, query_vector: Sequence[float]) -> float:
        """Cosine similarity to the nearest everyday example."""
        return float((self._vectors @ np.asarray(query_vector, dtype=np.float32)).max())

    def council_similarity(self, query_vector: Sequence[float]) -> float:
        """Cosine similarity to the nearest council question that uses everyday words."""
        return float((self._council @ np.asarray(query_vector, dtype=np.float32)).max())

    def is_everyday(self, query_vector: Sequence[float], evidence: float) -> bool:
        """True when the question is nearer everyday examples than anything in the almanac or council work."""
        nearest = self.similarity(query_vector)
        council = max(evidence, self.council_similarity(query_vector))
        if nearest >= self.threshold and nearest > council + self.margin:
            return True
        # Less like the examples, but far from anything council: still an everyday question.
        return nearest >= self.threshold - CLEAR_MARGIN_SLACK and nearest > council + CLEAR_MARGIN


def guard(question: str) -> tuple[Status, str] | None:
    """A refusal's status and rule when a question must not be answered, before retrieval."""
    if is_injection(question):
        return "guardrail", "injection"
    if is_personal_matter(question):
        return "out_of_scope", "personal-matter"
    if is_everyday_request(question):
        return "out_of_scope", "everyday-request"
    return None
