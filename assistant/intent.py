"""What kind of answer a question wants: steps, a definition, examples of councils, figures...

The kind decides the answer's shape and the section of the almanac written for it. It is recognised by
the question's closeness in meaning to example phrasings of each kind (written for this module, across
many topics so that topic averages out), nudged by the question's opening words, which carry its form.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.text import question_sentences

KINDS = (
    "steps",
    "definition",
    "examples",
    "good-practice",
    "maturity",
    "measures",
    "challenges",
    "figures",
    "comparison",
    "yes-no",
    "other",
)

EXAMPLES: dict[str, tuple[str, ...]] = {
    "steps": (
        "How do we get started with open data?",
        "What should we do first to improve our website?",
        "Where do we begin with improving our customer contact?",
        "What steps should a council take to reduce its legacy IT?",
        "How can we increase take-up of our online forms?",
        "How should we go about setting up a data team?",
        "What practical actions can we take to build staff skills?",
        "How do we put an AI policy in place?",
        "How can a small council improve its cyber defences?",
        "What do we need to do to get ready for the new rules?",
        "How do we make our consultations reach more people?",
        "How can we persuade members to invest in digital?",
        "What can we do to cut the cost of our phone lines?",
        "How do we protect our systems against ransomware?",
        "What's the best way to approach replacing our housing system?",
    ),
    "definition": (
        "What is a data protection impact assessment?",
        "What does user-centred design mean?",
        "What's the Local Digital Declaration?",
        "Explain what an API is",
        "What is meant by digital exclusion?",
        "Define a service standard",
        "What does PSN stand for?",
        "Who are Socitm?",
        "What is a gigabit-capable connection?",
        "What is the Cyber Assessment Framework?",
    ),
    "examples": (
        "Which councils have used chatbots for customer service?",
        "Has any council shared a digital team with a neighbour?",
        "Are there examples of councils using sensors in social housing?",
        "Give me a case study of a council that moved to the cloud",
        "Who has done this well?",
        "What have other councils done about lending devices?",
        "Can you point me to councils that built their own website platform?",
        "Tell me about a council that recovered from a cyber attack",
        "What did the county council do with its data hub?",
        "Any councils we could learn from on remote meetings?",
    ),
    "good-practice": (
        "What does good look like for online resident engagement?",
        "What does a mature data culture look like?",
        "What is best practice for hosting in the cloud?",
        "What are the hallmarks of a well-run digital service?",
        "What would excellent digital leadership look like?",
        "What makes a good data strategy?",
        "What are the essential elements of a successful digital programme?",
        "What standard should we hold our website to?",
    ),
    "maturity": (
        "How mature is our council on security?",
        "How do we know where we stand on data?",
        "What level are we at if we have no digital strategy?",
        "How can we assess our digital maturity?",
        "What are the signs of a council that is still developing on inclusion?",
        "Where should we focus first across the outcomes?",
        "How do we self-assess against the framework?",
    ),
    "measures": (
        "How should we measure the success of channel shift?",
        "What KPIs should we track for digital inclusion?",
        "Which indicators show whether our cyber defences work?",
        "How do we know if our digital programme is delivering?",
        "What metrics should we report to members on data quality?",
        "What should we monitor to see if the change is working?",
    ),
    "challenges": (
        "What are the common pitfalls with shared services?",
        "What usually goes wrong with big IT contracts?",
        "What barriers stop residents getting online?",
        "What risks should we be aware of with AI?",
        "Why do digital programmes fail?",
        "What are the main difficulties for rural connectivity?",
        "What problems did councils run into with outsourcing?",
    ),
    "figures": (
        "How much did the attack cost the council?",
        "How many homes still lack gigabit broadband?",
        "What savings did the programme deliver?",
        "How much funding is available for councils?",
        "What percentage of adults lack basic digital skills?",
        "How long did the recovery take?",
        "What was the budget for the project?",
    ),
    "comparison": (
        "What's the difference between Cyber Essentials and the CAF?",
        "Should we build or buy our website platform?",
        "Is in-house or outsourced IT better for a district council?",
        "How does open source compare with commercial products?",
        "Cloud versus on-premises: which is right for us?",
        "How do the two approaches differ?",
    ),
    "yes-no": (
        "Do we have to publish our algorithms?",
        "Is it legal to record council meetings?",
        "Should councils pay ransoms?",
        "Can councillors attend meetings remotely?",
        "Is there government funding for digital inclusion?",
        "Are councils required to meet accessibility standards?",
        "Does the law let us share this data?",
        "Can we use cloud software for social care records?",
        "Are we allowed to use AI to help write reports?",
    ),
}

# The words that carry a question's form, whatever its topic. Specific forms ("which councils", "what
# should we measure") outweigh the generic openings ("how do we", "what is", "can we") they often follow.
CUES: dict[str, re.Pattern[str]] = {
    "steps": re.compile(
        r"^(how (do|can|should|could|might|would) (we|i|a|an|the|our|councils?)\b"
        r"|what (should|can|could|do|must) (we|i|a|an|the|our|councils?)\b"
        r"|where (do|should|can|would) (we|i|you)\b|what steps\b|what practical\b)",
        re.I,
    ),
    "definition": re.compile(
        r"^(what is|what's|what are|what was|what does .+ (mean|stand for)|define|explain what|who (is|are))\b",
        re.I,
    ),
    "examples": re.compile(
        r"\b(which|what other|which other|any|any other) (councils?|authorities)\b|\b(has|have) (any|other) (councils?|authorit)"
        r"|\b(has|have) any(one|body)\b|\bany(one|body) (else )?(done|tried|used)\b|\bexamples?\b"
        r"|\bcase stud(y|ies)\b|\bwho (has|have) (done|tried|used)\b|\bare there (any )?(councils|authorities)\b"
        r"|\bwho(?:'s| is| are| else is)? (?:already )?(?:using|uses|running|runs|doing|does) (?:it|this|that|them)\b",
        re.I,
    ),
    "good-practice": re.compile(
        r"\bgood look like\b|\b(best|good) practice\b|\bwhat does (good|great)\b|\bwhat makes\b"
        r"|\bwhat (would|does|should|might) \S.{0,40}\blook like\b"
        r"|\b(elements|features|qualities|hallmarks|marks) of\b",
        re.I,
    ),
    "maturity": re.compile(
        r"\bmatur(e|ity)\b|\bwhere (do )?we stand\b|\bself-?assess|\bhow far along\b"
        r"|\bwhere (are|do) we (sit|fit|land|rate|on|at|against)\b"
        r"|\b(starting|developing|established|leading) (level|stage)\b|(?-i:\b(Developing|Established|Leading)\b)"
        r"|^(?=.*\b(?:we|we're|we've|us|our)\b).*\b(what|which) level\b",  # of our council, not of government
        re.I,
    ),
    "measures": re.compile(
        r"\b(measure|kpis?|indicators?|metrics?|track)\b|\bhow (will|would|do) we know\b"
        r"|\breport(ed|ing)? (back )?to (members|councillors|cabinet|scrutiny|(the )?(audit )?committee|(the )?board)\b",
        re.I,
    ),
    "challenges": re.compile(
        r"\b(pitfalls?|barriers?|challenges?|go(es)? wrong|went wrong|obstacles?|fail(s|ed|ures?)?)\b"
        r"|\brisks? (of|with|in|from|for|to)\b|\bwhat could go wrong\b",
        re.I,
    ),
    "figures": re.compile(
        r"\bhow (much|many|long)\b|\bwhat (percentage|proportion|share)\b"
        r"|\bwhat (did|does|do|will|would) (?:[\w'’-]+ ){1,5}?cost(?=\s*(?:[?,.;!]|$|\b(?:them|us|you|the \w+|in total|overall|altogether)\b))",
        re.I,
    ),
    "comparison": re.compile(
        r"\bdifference between\b|\bversus\b|\bvs\.?\b|\bcompare[sd]?\b|\bbetter\b.+\bor\b", re.I
    ),
    "yes-no": re.compile(r"^(do|does|is|are|can|could|should|must|may|will|did|has|have)\b", re.I),
}
# "What's a neutral host?", "define failure demand": a bare term asks for its definition, however little
# the embedding model makes of the term itself.
TERM_QUESTION_RE = re.compile(
    r"^(?:what is|what's|whats|wat is|define|explain|meaning of)\s+(?:an?\s+|the\s+)?(?P<term>[^?,;:]+?)\s*\??$",
    re.I,
)
# "What's a UPRN and why does it matter?": a term, then more asked about it.
TERM_AND_MORE_RE = re.compile(
    r"^(?:what is|what's|whats|what are)\s+(?:an?\s+|the\s+)?(?P<term>[^?,;:]+?)\s*,?\s+and\s+"
    r"(?P<more>(?:why|how|what|when|where|who|do|does|should|is|are|can)\b.*)",
    re.I,
)
# "What does failure demand mean?", "what does CAF stand for?"
TERM_MEANS_RE = re.compile(
    r"^what does\s+(?:an?\s+|the\s+)?(?P<term>[^?,;:]+?)\s+(?:mean|stand for)\s*\??$", re.I
)
MAX_TERM_WORDS = 4
# "Novation: what is it?", "wayleaves - what are they and do we need one?"
TERM_FIRST_RE = re.compile(
    r"^(?P<term>[^?,;:–-]+?)\s*[?:–-]+\s*(?:so\s+)?(?:what(?:'s| is| are) (?:it|that|this|they|those)|what does it mean)\b",
    re.I,
)
# Words that make "what is the ..." a question of another kind ("what is the cost", "what is the risk").
NOT_TERMS = re.compile(
    r"(?<![\w-])(of|for|in|on|to|with|and|or|we|our|us|cost|costs|price|risk|risks|benefit|benefits|difference|"
    r"best|point|problem|plan|deadline|date|budget|evidence|latest|position|law)(?![\w-])",
    re.I,
)
# Other words that ask for councils: "a council that recovered...", "point me to councils", "who has...".
ASKS_FOR_COUNCILS_RE = re.compile(
    r"\b(a|any|other|some|the) councils? (that|which|who|we could|to learn)\b|\bpoint (me|us) to\b"
    r"|\bwho (has|have|else)\b|\blearn from\b|\bcouncils? (like|such as)\b"
    r"|^\W*(have|did) (any |other |some |many )?(councils|authorities)\b(?!['’])",  # "Have councils tried...?"
    re.I,
)
# A label before the question: "DPO asking: ...", "Quick one for finance - ...".
LABEL_RE = re.compile(r"^[^?:]{1,40}?(?::|\s[-–—])\s+")
# Kinds that likeness alone does not make: a question is read as asking for them only when its words do.
# ("Members ask what the digital strategy has delivered. How do we show value?" is like the maturity examples
# in its subject, but asks for no level.)
WORDED_KINDS = frozenset({"examples", "definition", "maturity"})
GENERIC_CUES = frozenset({"steps", "definition", "yes-no"})
CUE_WEIGHT = 0.2
GENERIC_CUE_WEIGHT = 0.1
MIN_SCORE = 0.3


@dataclass(frozen=True)
class Intent:
    """The kind of answer wanted, with how sure the classifier is."""

    kind: str
    score: float


def cued(kind: str, question: str) -> bool:
    """Whether the question's own words ask for this kind ("how do we", "is it", "how many"); after some
    context ("Zero budget and one officer. Where would you start?") the question that follows has the cue."""
    last = question_sentences(question.strip())[-1]
    # "DPO asking: do we now have to...?": the question after a label.
    labelled = LABEL_RE.split(last, maxsplit=1)[-1]
    return any(CUES[kind].search(text) for text in (question.strip(), last, labelled))


class IntentClassifier:
    """Classifies a question's kind by nearest example phrasings plus its opening words."""

    def __init__(self, embeddings: Embeddings):
        self._kinds: list[str] = []
        texts: list[str] = []
        for kind, examples in EXAMPLES.items():
            self._kinds.extend([kind] * len(examples))
            texts.extend(examples)
        self._vectors = np.asarray(embeddings.embed_documents(texts), dtype=np.float32)
        self._labels = np.asarray(self._kinds)

    def scores(self, question: str, vector: Sequence[float]) -> dict[str, float]:
        """Each kind's score: the mean of its three nearest examples, plus the weight of its cue."""
        sims = self._vectors @ np.asarray(vector, dtype=np.float32)
        result: dict[str, float] = {}
        for kind in EXAMPLES:
            own = np.sort(sims[self._labels == kind])[::-1][:3]
            score = float(own.mean())
            if cued(kind, question):
                score += GENERIC_CUE_WEIGHT if kind in GENERIC_CUES else CUE_WEIGHT
            result[kind] = score
        return result

    def classify(self, question: str, vector: Sequence[float]) -> Intent:
        """The most likely kind, or "other" when nothing is close."""
        scores = self.scores(question, vector)
        if bare_term(question):
            return Intent("definition", max(scores["definition"], MIN_SCORE))
        kind, score = max(scores.items(), key=lambda item: item[1])
        if kind in WORDED_KINDS and not asks_for(kind, question):
            # Likeness alone reads "How did Hackney...?" or "Is the Shared Rural Network still building?" as
            # a request for council examples, and "DPO asking: do we now have to...?" as one for a
            # definition; without words that ask for them, it is the next kind when the question's words say
            # so too, or a plain question.
            kind, score = max(
                ((k, v) for k, v in scores.items() if k not in WORDED_KINDS), key=lambda item: item[1]
            )
            if not cued(kind, question):
                kind = "other"
        return Intent(kind if score >= MIN_SCORE else "other", score)


def asks_for(kind: str, question: str) -> bool:
    """Whether the question's words ask for this kind: for examples, words that ask for councils too."""
    if kind == "examples":
        return bool(ASKS_FOR_COUNCILS_RE.search(question) or CUES["examples"].search(question))
    return cued(kind, question)


def asked_after_term(question: str) -> str | None:
    """What a "what's a UPRN and why does it matter?" question asks after the term, with the term in place of
    "it" or "one" so that it reads alone ("why does UPRN matter?")."""
    match = TERM_AND_MORE_RE.match(question.strip())
    if match is None or bare_term(question) is None:
        return None
    term = match["term"].strip()
    more = re.sub(r"\b(it|one|them|they)\b", term, match["more"], count=1, flags=re.I)
    return more if term.lower() in more.lower() else f"{more} ({term})"


def bare_term(question: str) -> str | None:
    """The term a "what's a ...?" question asks about, when that is all it asks."""
    named_first = TERM_FIRST_RE.match(question.strip())
    if named_first and len(named_first["term"].split()) <= MAX_TERM_WORDS:
        return named_first["term"]  # "wayleave - what is it and why would we care?"
    match = (
        TERM_AND_MORE_RE.match(question.strip())
        or TERM_QUESTION_RE.match(question.strip())
        or TERM_MEANS_RE.match(question.strip())
    )
    if not match or len(match["term"].split()) > MAX_TERM_WORDS or NOT_TERMS.search(match["term"]):
        return None
    return match["term"]
