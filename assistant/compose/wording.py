"""How a chosen sentence stands in an answer: its council named, its pointer resolved, its citation marked."""

from __future__ import annotations

import re

from assistant.citations import CitationBook
from assistant.compose.pool import Sentence
from assistant.glossary_terms import GLOSSARY_ID
from assistant.sentence_rules import (
    RUN_IN_LABEL_RE,
    council_short_name,
    dangling,
    evidence_caveat,
    glossary_entry,
    quotable,
    scene_setting,
    several_councils,
    with_council_name,
    without_pointing_aside,
)
from assistant.statements import as_statement


def render(s: Sentence) -> str:
    """A sentence as it stands in an answer: its council named, its pointer resolved."""
    text = as_statement(s.text) if s.section == "Summary" else s.text
    council = str(s.hit.chunk.metadata.get("council") or "")
    if s.doc_type == "case-study":
        text = with_council_name(text, council)
    if s.doc_id == GLOSSARY_ID and s.heading:
        text = glossary_entry(s.heading, text)
    if dangling(text) and brings_previous(s):
        previous = s.previous
        if s.doc_type == "case-study":
            previous = with_council_name(previous, council)
        # Each keeps its own bold heading ("**Set a bold ambition:** ... **Made a mayoral pledge:** ...").
        text = (
            f"{with_run_in_heading(previous, s.hit.chunk.text)} {with_run_in_heading(text, s.hit.chunk.text)}"
        )
    if s.following:
        text = (
            f"{text} {with_run_in_heading(s.following, s.hit.chunk.text)}"  # a claim with what qualifies it
        )
    return with_run_in_heading(without_pointing_aside(text), s.hit.chunk.text)


def with_run_in_heading(text: str, source: str) -> str:
    """A sentence that opened with a bold run-in heading in its document ("**Buy together.** Joining...")
    keeps it bold, so the heading reads as a heading rather than as half a sentence."""
    match = RUN_IN_LABEL_RE.match(text)
    if match is None:
        return text
    label = match.group(0).rstrip().rstrip(":")
    if f"**{label}." not in source and f"**{label}:" not in source:
        return text  # a colon in the sentence itself ("Yes: ..."), not a heading
    return f"**{label}:** {text[match.end() :]}"


def joined(opening: list[Sentence]) -> str:
    """A passage as one paragraph: its first sentence standing on its own with its council named, the rest as
    written."""
    first, *rest = opening
    parts = [council_named(render(first), first)]
    for s in rest:
        if s.text not in parts[-1]:  # a claim's qualifier came with it already
            following = f" {with_run_in_heading(s.following, s.hit.chunk.text)}" if s.following else ""
            parts.append(with_run_in_heading(s.text, s.hit.chunk.text) + following)
    return " ".join(parts)


def brings_previous(s: Sentence) -> bool:
    """A sentence that points back can bring its previous sentence only when that one stands on its own."""
    return (
        bool(s.previous)
        and quotable(s.previous, min_words=3)
        and not dangling(s.previous)
        and not evidence_caveat(s.previous)
    )


def stands(s: Sentence) -> bool:
    """True when the sentence makes sense in an answer: it points at nothing, or brings what it points at."""
    return not dangling(s.text) or brings_previous(s)


def words(s: Sentence) -> int:
    """Its length as it will stand, with any sentence it brings."""
    return len(render(s).split())


def cite(book: CitationBook, s: Sentence) -> str:
    return f"[{book.number_for(s.hit, s.text)}]"


def line(s: Sentence, book: CitationBook, marker: str = "-") -> str:
    """A supporting point as a list item with its citation; a case's "the council" gets the council's name."""
    text = render(s)
    if s.section == "Common questions":
        text = without_verdict(text)  # its "Yes," answers the guide's question, not this one
    return f"{marker} {council_named(text, s)} {cite(book, s)}"


def council_named(text: str, s: Sentence) -> str:
    """A case's "In March 2022 the council decided..." names the council it means, unless it already does."""
    council = str(s.hit.chunk.metadata.get("council") or "")
    if (
        s.doc_type == "case-study"
        and council
        and THE_COUNCIL_IN_RE.search(text)
        and not several_councils(council)
    ):
        short = council_short_name(council)
        if short.split()[0] not in text:
            # "the council leader" is the council's leader: "Redcar and Cleveland's leader"
            text = THE_COUNCIL_IN_RE.sub(
                lambda m: f"{short}'s" if m.string[m.end() :].startswith(COUNCIL_ROLES) else short,
                text,
                count=1,
            )
    return text


THE_COUNCIL_IN_RE = re.compile(r"\bthe council\b", re.IGNORECASE)
COUNCIL_ROLES = (" leader", " chief executive", " cabinet")


SIGN_KINDS = frozenset(
    {"maturity", "good-practice"}
)  # a level's signs answer "where are we" and "what good is"


def leadable_but_for_pointing(s: Sentence, kind: str) -> bool:
    """Whether a sentence could open an answer if what it points back at were said (see `leadable`)."""
    return leadable(s, kind, standing=False)


def leadable(s: Sentence, kind: str, *, standing: bool = True) -> bool:
    """A sentence that can open an answer: it answers rather than sets a scene or measures."""
    if s.section == "Summary" or scene_setting(s.text, s.section) or evidence_caveat(s.text):
        return False
    if s.section == "Measures and indicators" and kind != "measures":
        return False
    if s.unmet_heading:
        return False  # a step for councils being reorganised, to a council the question does not say is
    if s.section == "Self-assessment" and kind not in SIGN_KINDS:
        return False  # a sign of a level describes a council ("Online forms send an email to a team..."): no advice
    if s.doc_id == GLOSSARY_ID and s.position == 0:
        return False  # "The government's plan to tackle...": an entry opens by describing its term, unnamed
    if standing and not stands(s):
        return False
    return not (s.doc_type == "case-study" and s.section == "Sources")


def states(summary: str) -> bool:
    """True when a summary sentence reads as a statement, as it stands or once `as_statement` rewrites it."""
    text = as_statement(summary)
    return not dangling(text) and not QUESTION_WORD_RE.match(text)


QUESTION_WORD_RE = re.compile(r"^(how|what|why|when|where|which|who)\b", re.IGNORECASE)


# A yes-or-no answer's opening verdict ("Yes, for any use...", "If personal data may be affected, yes:").
VERDICT_RE = re.compile(r"^(?:[^.:;]{0,80},\s*)?(?:yes|no)(?:[:;,]|\s+-)\s+(?=\S)", re.IGNORECASE)


def without_verdict(text: str) -> str:
    """An answer to "is it..." put to a question that did not ask yes or no: its verdict would answer nothing."""
    match = VERDICT_RE.match(text) or NOT_VERDICT_RE.match(text)
    if not match:
        return text
    rest = text[match.end() :]
    # "No, not as of 2026." is all verdict: the next sentence is the answer. "Yes, because it is free, ..."
    # gives its reason as a whole clause, which stands once "because" goes.
    if NOT_YET_RE.match(rest):
        after = rest.split(". ", 1)
        rest = after[1] if len(after) == 2 else rest
    rest = BECAUSE_RE.sub("", rest, count=1)
    return rest[:1].upper() + rest[1:]


# "Not yet, as of December 2026. ...", "Not by law, as of December 2026. ...", "Not as far as we can confirm as
# of December 2026: councillors must...": a verdict of its own, up to the statement that follows it.
NOT_VERDICT_RE = re.compile(
    r"^not (?:yet|by law|as far as we (?:can|could) (?:confirm|tell)|at present|so far)\b[^.:]{0,40}[.:]\s+(?=\S)",
    re.IGNORECASE,
)
NOT_YET_RE = re.compile(r"^not (?:as of|yet|so far|at present|now|currently)\b[^.]{0,40}\.\s", re.IGNORECASE)
BECAUSE_RE = re.compile(r"^because\s+(?=\S)", re.IGNORECASE)


def join_names(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def glossary_entry_text(term_heading: str, texts: list[str]) -> str:
    """A glossary entry that leads with its term."""
    body = " ".join(texts)
    term = term_heading.split(" (")[0].strip()
    if body.lower().startswith(term.lower()):
        return body
    return f"**{term_heading}:** {body}"


COUNCIL_NAME_RE = re.compile(
    r"^((?:[A-Z][\w'&-]*,? )+?(?:and (?:[A-Z][\w'&-]* )+)?(?:County |City |District |Borough )?Council)\b"
)


def case_label(meta: dict[str, object]) -> str:
    """The name a case's points go under: its council, or for a case of several councils its own short title
    ("LocalGov Drupal", not a list of every council that joined)."""
    council = str(meta.get("council") or meta.get("title") or "").split(" (")[0]
    several = "," in council or " and " in council or council.lower().endswith("councils")
    return str(meta.get("title") or council).split(":")[0].strip() if several else council


def about_another_council(text: str, council: str) -> bool:
    """True when a sentence is about a council other than the one it would be listed under: it opens with
    that council ("Kent County Council's scheme...") or names it before its own ("In 2021 Tendring District
    Council gave...", listed under Essex)."""
    # Each council of a case of several ("Aylesbury Vale and Dacorum") is its own.
    names = member_names(council) or [council_short_name(council)]
    match = COUNCIL_NAME_RE.match(text)
    if match is not None:
        return not any(name in match.group(1) for name in names)
    owner = POSSESSIVE_RE.match(text)  # "Norfolk's CIO...", "Ofcom's report..." listed under another council
    if owner is not None and owner.group(1) not in NOT_A_NAME:
        return not any(word in council for word in owner.group(1).split() if word not in NOT_A_NAME)
    for found in COUNCIL_IN_TEXT_RE.finditer(text):
        name = found.group(1)
        if name.split()[0] in NOT_A_NAME:
            continue
        before = text[: found.start()]
        if len(before.split()) > OPENING_WORDS:
            return False  # named later, by the way ("software first built by Madrid City Council"): not its subject
        return not any(n in name or n.split()[0] in before for n in names)
    return False


OPENING_WORDS = 4  # "In March 2021 Tendring District Council gave...": a council this early is the subject


# "LGC Council of the Year" is an award, not a council.
COUNCIL_IN_TEXT_RE = re.compile(
    r"\b((?:[A-Z][\w'&-]*,? )+?(?:County |City |District |Borough )?Council)\b(?!\s+of\b)"
)
POSSESSIVE_RE = re.compile(r"^([A-Z][\w&-]*(?: [A-Z][\w&-]*)*)['’]s?\s")
NOT_A_NAME = frozenset(
    {"The", "A", "An", "Each", "Every", "Our", "Your", "This", "That", "Its", "Their", "How", "What", "Why"}
)


OPEN_MEMBERSHIP_RE = re.compile(r"\b(partner|member|other|participating) councils\b", re.I)


def of_another_council(s: Sentence, question: str = "") -> bool:
    """A case's sentence that opens with some other council than the case's own, or, in a case of several
    councils, with one of them the question does not name ("Hackney dropped..." asked about North Tyneside)."""
    council = str(s.hit.chunk.metadata.get("council") or "")
    if not council or s.doc_type != "case-study" or OPEN_MEMBERSHIP_RE.search(council):
        # "...Cumbria County Council and partner councils": any council that joined is one of its own
        # ("Large councils have joined: Essex County Council...").
        return False
    text = as_statement(s.text) if s.section == "Summary" else s.text
    if dangling(text) and brings_previous(s):
        text = (
            s.previous
        )  # "Rather than scrap the old machines, it passed them..." is what "Ealing replaced..." did
    if about_another_council(text, council):
        return True
    members = member_names(council)
    asked = question.lower()
    return (
        bool(question)
        and len(members) > 1
        and any(text.startswith(name) and name.lower() not in asked for name in members)
    )


MEMBERS_SPLIT_RE = re.compile(r",\s*|\s+and\s+(?=[A-Z])")


def member_names(council: str) -> list[str]:
    """The short names of the councils in a case's council field ("North Tyneside", "Hackney", "Sunderland")."""
    names = []
    for part in MEMBERS_SPLIT_RE.split(council.split(": ")[-1]):
        short = council_short_name(part.strip())
        for suffix in (" City Council", " County Council", " Council"):
            short = short.removesuffix(suffix)
        if short and short[0].isupper():
            names.append(short)
    return names


def unsaid(sentences: list[Sentence], said: str) -> list[Sentence]:
    """The sentences the previous answer did not already give ("did it actually save money?" after the
    case's summary is not answered by the summary again)."""
    if not said:
        return sentences
    return [s for s in sentences if s.text not in said and render(s) not in said]


DEFINES_RE = re.compile(r"^(?:an? |the )?(?P<term>[A-Za-z][\w-]*(?: [\w-]+){0,2}) (?:is|are|means) ", re.I)


def defines_asked_term(text: str, question: str) -> bool:
    """True for a sentence that says what a term the question itself uses is ("Ransomware is malicious
    software..." under "ransomware hit, who do we report to?"): the asker knows the term."""
    match = DEFINES_RE.match(text)
    return match is not None and bool(re.search(rf"\b{re.escape(match['term'])}\b", question, re.I))
