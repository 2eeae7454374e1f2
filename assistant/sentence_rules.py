"""Coherence rules every extractive answer obeys, as small testable functions.

- no sentence whose "it/this/they" points outside the answer (it brings its previous sentence, or stays out);
- no list introduction without its list, no question, no cross-reference note;
- no glossary text without the term it defines;
- a council's name only on a sentence that is about that council.
"""

from __future__ import annotations

import re

# A document id ("case-hackney-ransomware"), not an ordinary compound ("outcome-based", "case-management").
ID_RE = re.compile(
    r"\b(case|outcome|framework)-(?!(based|by-case|management|study|studies|led|focused|specific)(?![\w-]))"
    r"[a-z0-9-]+\b"
)
# Words that point back to something said before the sentence.
POINTER_RE = re.compile(
    r"^(it|its|it's|this|that|these|those|they|their|them|he|she|his|her|such|both|neither|either|the two|the same|"
    r"there|here|then|also|however|but|and|so|yet|instead|meanwhile|similarly|in turn|as a result|"
    r"in effect|in short|in other words|even so|by contrast|in contrast|"
    r"the (latter|former)|after (that|this)|in (one|both|each|all|either)|one of (them|these|those)|"
    r"(each|all|both|none|some|many|most) of (them|these|those)|each (was|were|had|has|is|received|got)|"
    r"the (councils|partners|scheme|pilot|project|programme|tool|system|platform|team|panel)|"
    r"the (attack|attackers|incident|contract|deal|review|cdio|cio|cto|leader|director|chief executive|mayor)|"
    r"the (survey|report|study|company|supplier|provider|firm|group|bid|grant|ban|bill|fund|funding|money)|"
    r"the council also|the successor|on the back of (it|this|that)|other|"
    r"(using|doing|having|making|keeping|adding|with|without) (it|this|that|them|these|those))\b",
    re.IGNORECASE,
)
# "In 2018 Allerdale was a district council in Cumbria": setting the scene, not answering.
SCENE_RE = re.compile(
    r"^(in|by|at|during) (\d{4}|the time)\b.*\b(was|were|had|served|covered)\b|"
    r"\b(is|was) an? (district|county|unitary|metropolitan|borough|city|london borough|combined)\b",
    re.IGNORECASE,
)
SCENE_SECTIONS = frozenset({"The council and its context", "Introduction"})
COUNCIL_SUFFIXES = (
    " Metropolitan Borough Council",
    " Borough Council",
    " District Council",
    " City Council",
    " County Council",
    " Council",
)


def quotable(sentence: str, *, min_words: int = 5, max_words: int = 70) -> bool:
    """Sentences that can stand in an answer: not list introductions, questions or cross-reference notes.
    A list read with its introduction ("The council highlighted several features: a meetings calendar...;
    email alerts...; an app...") may run to LIST_WORDS."""
    words = sentence.split()
    longest = max(max_words, LIST_WORDS) if CARRIES_LIST_RE.search(sentence) else max_words
    if not min_words <= len(words) <= longest:
        return False
    return not (
        sentence.endswith((":", "?"))
        or ABOUT_THE_CASE_RE.match(sentence)
        or ID_RE.search(sentence)
        or sentence[0].islower()
        or APPOSITIVE_RE.match(sentence)
    )


LIST_WORDS = 110
# A sentence about the document rather than the council ("A case about basic security controls...", "The case
# shows what to test before...", "The case sets out what they tried"): it tells the reader nothing the answer should.
ABOUT_THE_CASE_RE = re.compile(
    r"^(?:A|An|The)(?: [a-z]+,?){0,3} (?:cases?|examples?)(?: stud(?:y|ies))? (?:about|of|shows?|sets? out|covers?)\b"
)
CARRIES_LIST_RE = re.compile(r":\s[^:]*;\s")
# A list item that names a thing and describes it, with no verb of its own: "BOPS, a back-office planning
# system that officers use..." (after "The partners built two products:").
APPOSITIVE_RE = re.compile(
    r"^\W*(?!(?:In|At|On|By|For|From|Since|After|Before|Across|Elsewhere|Nationally|Locally|Meanwhile)\b)"
    r"[A-Z][\w.&'-]*(?: [A-Z][\w.&'-]*){0,4}\W*, an? [^,;]*$"
)


# A run-in label a sentence may carry ("Bringing in funding: It helped..."): what follows it must stand too.
RUN_IN_LABEL_RE = re.compile(r"^[A-Z][^:.]{1,60}:\s+")
# A note on the evidence behind a case ("The sources do not report how many..."): the reader has not seen
# "the sources", and a caveat does not answer a question on its own.
EVIDENCE_CAVEAT_RE = re.compile(
    r"\b(the|these|available) sources\b|\bsources (read|used|checked|found|available)\b|\bin the sources\b"
    r"|\b(are|is) undated\b|\bdo(es)? not say how (many|much)\b|\bno sourced (number|figure)s?\b"
    r"|\bno source found here\b",
    re.IGNORECASE,
)


# A pronoun straight after an opening time phrase points back too: "By August 2020 it had...".
TIMED_POINTER_RE = re.compile(
    r"^(in|on|by|from|after|before|until|during|since) [^,]{1,30}?,? "
    r"(it|they|this|these|he|she|the (mayor|leader|chief executive|minister))\b",
    re.IGNORECASE,
)


# "Using a data-matching tool, it brought together...": what "it" is came before.
OPENER_POINTER_RE = re.compile(
    r"^(?:\w+ing|rather than|instead of|unlike|despite|as well as)\b[^.]{0,100}?, (it|they|this|these|he|she)\b",
    re.I,
)
# "The Digital Office then reported...", "CDS terminated them in July 2022": what came first, or what "them"
# are, was said before.
THEN_RE = re.compile(r"^[A-Z][\w'’&-]*\s+(?:[\w'’&-]+\s+){0,4}then\s+[a-z]+(?<!e)ed\b")
DONE_TO_IT_RE = re.compile(
    r"^(?:[A-Z][\w'’&-]*\s+){1,4}(?:[a-z]+(?<!e)ed|put|set|gave|took|sold|cut|made|kept|told|sent|paid)\s+(it|them)\b"
)


def dangling(sentence: str) -> bool:
    """True when the sentence opens by pointing at something before it, after any run-in label or opening
    time phrase."""
    text = RUN_IN_LABEL_RE.sub("", sentence.lstrip("*_ "), count=1)
    return bool(
        POINTER_RE.match(sentence.lstrip("*_ "))
        or POINTER_RE.match(text)
        or TIMED_POINTER_RE.match(text)
        or ONE_SUCH_RE.search(text)
        or THAT_GAP_RE.search(text)
        or PART_OF_IT_RE.match(text)
        or THIS_ONE_RE.match(text)
        or ELIDED_RE.match(text)
        or COUNTED_RE.match(text)
        or OPENER_POINTER_RE.match(text)
        or THEN_RE.match(text)
        or DONE_TO_IT_RE.match(text)
    )


def points_at_asked(sentence: str, question: str) -> bool:
    """True when a sentence points back only with "the <thing>" and the question names that thing: "In January
    2022 the attack was reported as likely to cost £10m" answers "what did Hackney's attack cost?"."""
    asked = {w.lower() for w in re.findall(r"[A-Za-z]+", question)}
    thing = points_only_by_the(sentence)
    return thing is not None and thing in asked


COUNT_WORDS = frozenset(
    {"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "same", "other"}
)


def points_only_by_the(sentence: str) -> str | None:
    """The thing a sentence points back at when "the <thing>" is all that points ("The programme's summaries
    report..."): in a council's own case, that is the case's own programme, attack or scheme."""
    if not dangling(sentence):
        return None
    for match in re.finditer(r"\b[Tt]he ([a-z]+)\b", sentence[:80]):
        if match.group(1) in COUNT_WORDS:
            return None  # "The eight councils...": which eight was said before
        named = f"{sentence[: match.start()]}Named {match.group(1)}{sentence[match.end() :]}"
        return None if dangling(named) else match.group(1)
    return None


# "Somerset West and Taunton's ran from...": the thing that ran was named before ("cutover weekends").
ELIDED_RE = re.compile(
    r"^(?:[A-Z][\w&-]*\s+)*(?:(?:and|&)\s+)?[A-Z][\w&-]*['’]s\s+"
    r"(?:ran|was|were|took|began|started|ended|came|went|is|are|had|has|followed)\b"
)
# "The eight councils also...": which eight was said before.
COUNTED_RE = re.compile(
    r"^the (?:two|three|four|five|six|seven|eight|nine|ten|\d+) (?:councils|boroughs|districts|partners|"
    r"authorities|projects|pilots|areas)\b",
    re.I,
)
# "With this funding...", "Because the post is shared...": what is meant was named before.
THIS_ONE_RE = re.compile(
    r"^(?:(?:with|for|under|through|despite|because of|thanks to) (?:this|that|these|those|such)"
    r"|because (?:this|that|these|those|such|the post|the role|the scheme|the change|the deal|the move))\b",
    re.I,
)
# "A link in it installed...", "Each member of it...": the subject is part of something named before.
PART_OF_IT_RE = re.compile(
    r"^(an?|the|one|some|each|every|most|none) \w+ (in|of|from|inside|within|on) (it|them)\b"
    # "From November 2024 three of them moved...": a share of those named before.
    r"|^(?:(?:in|by|from|after|since|until) [^,]{1,30}?,? )?(?:two|three|four|five|six|some|all|most|many|"
    r"both|each|none|several|half) of (?:them|these|those)\b",
    re.I,
)
ONE_SUCH_RE = re.compile(r"\b(one|another) such\b", re.IGNORECASE)  # "Copilot is one such tool."
# "A university partner can help fill that gap.", "...should build in those measures from the start.": which
# gap, which measures, was said before.
# "Leicester, one of the eight, identified...": the eight were named before the sentence, so the aside goes.
POINTING_ASIDE_RE = re.compile(
    r",\s+(one|two|three) of the (two|three|four|five|six|seven|eight|nine|ten|\d+)\s*,", re.IGNORECASE
)


def without_pointing_aside(sentence: str) -> str:
    """The sentence without an aside that counts it among things named before it."""
    return POINTING_ASIDE_RE.sub("", sentence)


THAT_GAP_RE = re.compile(
    r"\b(that|this|the same) (gap|shortfall|problem|need)\b"
    r"|\b(those|these) (measures|steps|lessons|changes|controls|safeguards|results|figures)\b",
    re.IGNORECASE,
)


# "These were estimates made to support the case, not audited results.": what the sentence before claimed is
# qualified, and the claim is not given without it.
QUALIFIES_CLAIM_RE = re.compile(
    r"^(these|this|those|the (savings|figures|savings figures|numbers|totals|results))\b[^.]{0,40}?\b"
    r"(are|were|is|was)\b[^.]{0,30}?\b(estimates?|forecasts?|projections?|claims?|the council's own|"
    r"not audited|unaudited|self-reported|unverified)\b",
    re.IGNORECASE,
)


def qualifies_claim(sentence: str) -> bool:
    """True for a sentence that says the claim before it is an estimate, a forecast or the council's own, or
    that says what it meant ("Socitm put the failure down to the relationship. In practice, one council had
    become a supplier to the other."): the sentence before is not given without it."""
    return bool(QUALIFIES_CLAIM_RE.match(sentence) or ELABORATES_RE.match(sentence))


ELABORATES_RE = re.compile(r"^(in practice|that is|in other words|put simply|specifically),\s", re.IGNORECASE)


# A sentence saying the sources do not show something.
UNREPORTED_RE = re.compile(
    r"\b(do(es)? not (report|say|show|give|publish|measure)|give no (numbers?|figures?)|no (independently )?(sourced|published|reported|independent|verified) (number|figure|evidence|"
    r"evaluation|count)|has not been (independently )?(verified|checked|evaluated)|not independently "
    r"(checked|verified|evaluated)|no source found)\b",
    re.I,
)


def evidence_caveat(sentence: str) -> bool:
    """True for a sentence about what a case's sources do or do not show."""
    return bool(EVIDENCE_CAVEAT_RE.search(sentence))


def scene_setting(sentence: str, section: str) -> bool:
    """True for background that sets a scene rather than answering (a council's size, place or past)."""
    return section in SCENE_SECTIONS or bool(SCENE_RE.search(sentence))


def council_short_name(council: str) -> str:
    """'London Borough of Hackney' -> 'Hackney'; 'Gloucester City Council' -> 'Gloucester City Council'."""
    name = council.replace("London Borough of ", "").strip()
    for suffix in COUNCIL_SUFFIXES:
        if name.endswith(suffix) and name != suffix.strip():
            stem = name[: -len(suffix)]
            return name if suffix in (" City Council", " County Council") else stem
    return name


THE_COUNCIL_RE = re.compile(r"^(The|the) council\b")


def several_councils(council: str) -> bool:
    """True for a case's council field that names more than one council ("North Tyneside, Hackney and
    Sunderland", "South Hams District Council and West Devon Borough Council"), not one whose name has an
    "and" in it ("Redcar and Cleveland Borough Council")."""
    names = council.split(": ")[-1]
    return "," in names or len(re.findall(r"\bCouncil\b|\bBorough of\b", names)) >= 2


def with_council_name(sentence: str, council: str) -> str:
    """A case study's "The council did X" names the council, so the sentence stands on its own. In a case of
    several councils ("North Tyneside, Hackney and Sunderland") the sentence cannot say which it means."""
    if council and THE_COUNCIL_RE.match(sentence) and not several_councils(council):
        return THE_COUNCIL_RE.sub(council_short_name(council), sentence, count=1)
    return sentence


def glossary_entry(term_heading: str, sentence: str) -> str:
    """A glossary sentence carries the term it defines."""
    term = term_heading.split(" (")[0].strip()
    if term and term.lower() in sentence.lower():
        return sentence
    return f"**{term_heading}:** {sentence}"


AT_LARGE_RE = re.compile(
    r"\b\d[\d,.]*%? (?:of|out of) (?:the )?(?:[\w-]+ ){0,4}councils\b|\b(?:most|many|all|other|few) (?:\d+ )?(?:[\w-]+ ){0,3}councils\b",
    re.I,
)


def about_councils_at_large(text: str, council: str) -> bool:
    """True for a case's sentence about councils in general that does not name its own council."""
    if re.search(r"\bthe council\b", text, re.I):
        return False  # "The council then shared its code with other councils": about itself
    if re.search(r"\bcouncils\b", council, re.I):
        return False  # a case about councils together ("Scottish councils and COSLA") is about them all
    return bool(AT_LARGE_RE.search(text)) and council_short_name(council).split()[0] not in text


# A figure other than a date: "69%", "£2m", "1,002,500 premises", "48 councils"; not "2021" or "8 February".
FIGURE_RE = re.compile(
    r"£\s?\d|\d\s?%|\b(?!(?:19|20)\d\d\b)\d[\d,.]*\b(?!\s+(?:January|February|March|April|May|June|July|August"
    r"|September|October|November|December)\b)"
)
MONEY_RE = re.compile(r"£\s?\d")
# "The almanac has no independently verified figure for savings delivered": the honest answer to "how much?".
NO_FIGURE_RE = re.compile(r"\bno (?:[\w-]+ ){0,2}(?:figures?|numbers?|counts?)\b", re.I)
# A question about money: "how much did it cost?", "what did they save?".
MONEY_ASKED_RE = re.compile(
    r"£|\b(cost(s|ing)?|spen[dt]|sav(e|ed|ing|ings)|pa(y|id)|budgets?|fund(s|ing)?|price|worth|fines?|money)\b",
    re.I,
)


# "What did it cost, and how long did recovery take?" asks more than a figure.
ASKS_MORE_RE = re.compile(
    r"\band\s+(how|what|when|where|why|which|who|did|does|do|is|are|has|have|was|were)\b", re.I
)


def gives_figure(text: str, question: str) -> bool:
    """Whether a sentence gives the kind of figure a "how much/how many" question asks: money for money, a
    span of time for "how long". A question that asks something more is answered by other points too."""
    if ASKS_MORE_RE.search(question):
        return True
    if DURATION_ASKED_RE.search(question):
        # A span, or a date that is one end of it ("On 24 November 2021..."); not a count ("288,000 people").
        return bool(DURATION_RE.search(text) or (DATED_RE.search(text) and not MONEY_RE.search(text)))
    return bool((MONEY_RE if MONEY_ASKED_RE.search(question) else FIGURE_RE).search(text))


# "How long did recovery take?", "how many months...?"
DURATION_ASKED_RE = re.compile(
    r"\bhow (long|quickly|soon|fast)\b|\bhow many (days|weeks|months|years)\b", re.I
)
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_COUNT = (
    r"(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|several|a few|many)"
)
DATED_RE = re.compile(rf"\b(?:{_MONTHS}) (?:19|20)\d\d\b")
# A span of time: "over about 18 months", "for weeks", "not back to normal until 2022", "before March 2019";
# not "its final four years" or "in 2021".
DURATION_RE = re.compile(
    rf"\b(?:took|takes?|taken|taking|spent|spend|spending|for|over|within|after|lasted|lasting|in)\s+(?:about |around |roughly |approximately |some |nearly "
    rf"|almost |more than |just over |just under |well over |over |under |less than |up to |at least )?{_COUNT}\s+(?:days?|weeks?|months?|years?)\b"
    r"|\bfor (?:days|weeks|months|years)\b"
    rf"|\b(?:until|before|till)\s+(?:early |late |mid-?)?(?:(?:{_MONTHS})\s+)?(?:19|20)\d\d\b",
    re.I,
)


# A sentence that gives a reason: what "why did...?" asks of a case. A cause ("because", "concerned about")
# answers it before a purpose ("so that", "aimed to"), which tells why something began, not why it ended.
CAUSE_RE = re.compile(
    r"\b(because|due to|owing to|as a result|prompted|concern(ed|s)? (about|over|that)|reasons?"
    r"|put (the|its|their) \w+ down (partly |largely |mainly )?to|blamed|attributed|led to|caused by)\b",
    re.I,
)
PURPOSE_RE = re.compile(
    r"\b(so that|in order to|the aim was|aimed to|to (save|cut|reduce|avoid|protect))\b", re.I
)
