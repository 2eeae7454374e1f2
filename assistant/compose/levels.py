"""A maturity question that names a level ("are we starting or established?") gets that level's signs."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from assistant.citations import CitationBook
from assistant.compose.lists import LEVELS
from assistant.compose.pool import Composition, Sentence
from assistant.compose.wording import cite
from assistant.documents import Chunk
from assistant.outcomes import OUTCOMES
from assistant.retrieval import Hit

# The guides' four levels and the everyday words for them.
LEVEL_WORDS = {
    "Starting": r"start(ing|ed)? out|just start(ing)?|beginn(er|ing)|basic|starting level|at the start(ing)? level",
    "Developing": r"developing",
    "Established": r"established",
    "Leading": r"leading|(really|very|fully|most|highly) mature|advanced|best in class|exemplary",
}
LEVEL_RES = {level: re.compile(rf"\b({words})\b", re.IGNORECASE) for level, words in LEVEL_WORDS.items()}
LEVEL_RE = re.compile(rf"\b({'|'.join(LEVEL_WORDS.values())})\W{{0,2}}\s+level\b", re.IGNORECASE)
SIGNS_PER_LEVEL = 5


def levels_named(question: str) -> list[str]:
    """The self-assessment levels a question names, in the guides' order."""
    return [level for level in LEVELS if LEVEL_RES[level].search(question)]


def outcome_in(question: str, *, aliases: bool = True) -> str | None:
    """The outcome a question's words name first: its name ("democracy" of "Democracy and participation",
    "local productivity") or one of its aliases ("cyber")."""
    found: list[tuple[int, str]] = []
    for outcome in OUTCOMES:
        name = outcome.name.split(":")[0].split(" and ")[0]
        for term in (name, outcome.slug.replace("-", " "), *(outcome.aliases if aliases else ())):
            match = re.search(rf"\b{re.escape(term)}\b", question, re.IGNORECASE)
            if match:
                found.append((match.start(), outcome.slug))
    return min(found)[1] if found else None


def outcome_named_as_asked(question: str) -> str | None:
    """The outcome a self-description is asked against, named in its label or its question ("Leadership
    self-assessment: ...", "...where are we on partnership?"), not a word of the description ("our data")."""
    asking = [
        part
        for part in re.split(r"(?<=[.?!:])\s+", question)
        if part.rstrip().endswith("?") or ASKS_ASSESSMENT_RE.search(part)
    ]
    return next((found for part in asking if (found := outcome_in(part, aliases=False))), None)


def asks_about_levels(question: str, kind: str) -> bool:
    """A maturity question, one naming a level as a level ("the developing level") or two levels, or a
    what-good-looks-like question that names a level ("what would 'leading' look like on data?")."""
    named = levels_named(question)
    return (
        kind == "maturity"
        or bool(LEVEL_RE.search(question))
        or len(named) >= 2
        or (kind == "good-practice" and bool(named))
    )


def level_signs(
    question: str,
    outcome: str | None,
    section_chunks: Callable[[str, str | None], list[Chunk]] | None,
    sentences: Callable[[list[Hit]], list[Sentence]],
    book: CitationBook,
) -> Composition | None:
    """Each named level's signs from the outcome guide's self-assessment, as the guide lists them."""
    # Only a named level: the model reads "no data strategy" as close to "a data strategy is in place".
    levels = levels_named(question)
    outcome = outcome_in(question) or outcome  # "starting on data": the data guide's levels
    if not levels or not outcome or section_chunks is None:
        return None
    chunks = section_chunks(f"outcome-{outcome}", "Self-assessment")
    found = [s for s in sentences([Hit(c, 0.0) for c in chunks]) if s.heading in LEVELS]
    lines: list[str] = []
    lead = ""
    for level in levels:
        signs = sorted((s for s in found if s.heading == level), key=lambda s: (s.hit.chunk.id, s.position))
        if not signs:
            continue
        first, *rest = signs[:SIGNS_PER_LEVEL]
        opening = f"**{level} level:** {first.text} {cite(book, first)}"
        lead = lead or opening
        lines += ([""] if lines else []) + [opening, *(f"- {s.text} {cite(book, s)}" for s in rest)]
    if not lines:
        return None
    return Composition("\n".join(lines), book.citations, lead=lead, shape="maturity")


# The closest sign must be this like the question for a council's description to be placed at its level.
PLACED_SIMILARITY = 0.45
# "We publish...", "we've got...", "our strategy is...": the question says where the council is.
DESCRIBES_ITSELF_RE = re.compile(
    r"\bwe(?:'ve| have| had| hold| run| use| publish| keep| do not| don't| haven't| never| are| got)\b"
    r"|\bwe're\b|\bour(?: \w+){1,3} (?:is|are|was|were|has|have|sits|sit|runs|holds)\b",
    re.I,
)
OURS_RE = re.compile(r"\b(we|our|us)\b", re.I)
LISTED_STATEMENTS = 4
ASKS_LEVEL_RE = re.compile(
    r"^(?=.*\b(?:we|we're|we've|us|our)\b).*\blevel\b"  # our level, not a level of government
    r"|\bwhere (are|do) we (sit|fit|land|rate|on|at|against)\b"
    r"|\bmatur\w*|\bwhere (do )?we stand\b|\bhow far along\b|\bwhere does (that|this) (put|leave) us\b"
    r"|\bwhere (would|do|should|does|will) (you|that|this|it) (put|place|leave|rate) us\b"
    r"|\bwhere are we(?=\s*(?:[?,.;]|$|\band\b))"  # "...Where are we, and what next?", not "where are we with X"
    r"|\b(are|would) we (be )?(still )?(at |on )?(starting|developing|established|leading)\b",  # "Are we established or leading?"
    re.I,
)
# "How do we self-assess our cyber security?": the self-assessment is what is asked about.
ASKS_ASSESSMENT_RE = re.compile(r"\bself-?assess\w*|\bassess\w* (our|my|the council's)\b", re.I)
# A council's statements about itself: the parts of its question between stops, commas, "but" and "and we".
STATEMENT_SPLIT_RE = re.compile(
    r"[.;:?!]\s+|,\s*(?:and\s+|but\s+)?|\s+but\s+|\s+and\s+(?=(?:we|we've|we're|our|the|some|no|it|there)\b)",
    re.I,
)
# "...but have no idea who watches" has no subject of its own: it qualifies what went before.
QUALIFIES_RE = re.compile(
    r"^(?:have|has|had|is|are|was|were|no|not|never|only|rarely|hardly|seldom|still|without|lack|lacks"
    r"|don't|doesn't|haven't|hasn't|isn't|aren't|can't|cannot)\b",
    re.I,
)
ASKING_RE = re.compile(
    r"^\W*(what|which|where|how|is|are|do|does|can|should)\b|\?\s*$|\blevel\b|\bmatur", re.I
)
MIN_STATEMENT_WORDS = 3
ESTABLISHED = 2  # the index in LEVELS of the first level a council cannot reach by what it lacks
STATEMENT_MATCH = 0.45  # a statement this like a sign says the council shows it
BEYOND_GAP = 0.1  # and a sign of a higher level than the rest, this much more
SAME_TOPIC = 0.6  # two signs this alike are one thing at two levels ("a plan in draft", "a plan agreed")
SAME_SIGN = 0.5  # two signs this alike are about the same thing (webcasting) at different levels
NEGATION_RE = re.compile(r"\b(no|not|never|without|nobody|none|nothing|lack|lacks)\b|n't\b", re.I)
MATCHED_GAP = 0.1
LOWER_LEVEL_GAP = 0.05  # when the closest sign is one the council says it lacks, a lower level's may be this less close  # other signs of the same level this close to the closest one match the description too
NEXT_SIGNS = 3
GAP_MATCH = 0.4  # a sign of the next level this like something the council says it lacks is that gap


def placed(
    question: str,
    pool: list[Sentence],
    section_chunks: Callable[[str, str | None], list[Chunk]] | None,
    sentences: Callable[[list[Hit]], list[Sentence]],
    book: CitationBook,
    embed_many: Callable[[list[str]], np.ndarray] | None = None,
    outcome: str | None = None,
) -> Composition | None:
    """A council that describes itself ("funded year to year, the lead sits below CMT...") hears the level
    whose signs are closest to its description, the signs that match, and what the next level looks like.

    The guide is the one whose sign is closest to the question; when retrieval brought no sign close enough,
    the guide of the outcome the question names (or is about), if its statements match that guide's signs.
    """
    # A council may describe itself in a list of what it has ("3 apprentices on the go, one skills survey
    # done, no workforce plan") rather than in sentences about "we".
    described = describes_itself(question) or len(statements_in(question)) >= LISTED_STATEMENTS
    # "Inclusion self-assessment: we have a part-time officer..." asks where those statements place it.
    asks = ASKS_LEVEL_RE.search(question) or ASKS_ASSESSMENT_RE.search(question)
    if section_chunks is None or not described or not asks:
        return (
            None  # "we're being reorganised: what should we do now?" describes a council but asks for steps
        )
    signs = [
        s for s in pool if s.section == "Self-assessment" and s.heading in LEVELS and s.doc_type == "guidance"
    ]
    named = outcome_named_as_asked(question)
    if named is not None:
        # "Leadership self-assessment: ... no policy on generative AI": the guide it names, whatever sign of
        # another guide one statement is like.
        signs = [s for s in signs if s.doc_id == f"outcome-{named}"]
    closest = max(signs, key=lambda s: s.similarity, default=None)
    if closest is not None and closest.similarity >= PLACED_SIMILARITY:
        doc_id = closest.doc_id
    elif (guide_outcome := outcome_in(question) or outcome) is not None and embed_many is not None:
        doc_id, closest = f"outcome-{guide_outcome}", None
    else:
        return None
    if closest is not None and NEGATION_RE.search(question) and LEVELS.index(closest.heading) >= ESTABLISHED:
        # The model reads "we have no champions network" as close to "a champion network spans the
        # council": what a council lacks cannot place it at a level that has it, only at one that lacks it.
        lower = [s for s in signs if LEVELS.index(s.heading) < ESTABLISHED]
        closest = max(lower, key=lambda s: s.similarity, default=closest)
        if closest.heading not in LEVELS[:2] or closest.similarity < PLACED_SIMILARITY - LOWER_LEVEL_GAP:
            return None
        doc_id = closest.doc_id  # the guide whose lower sign it is
    guide = [
        s
        for s in sentences([Hit(c, 0.0) for c in section_chunks(doc_id, "Self-assessment")])
        if s.heading in LEVELS
    ]
    found = by_statement(question, guide, embed_many) if embed_many is not None else None
    if found is not None:
        level, matched, holding, beyond = found
    elif closest is not None:
        level, holding, beyond = closest.heading, [], []
        matched = sorted(
            (s for s in signs if s.doc_id == closest.doc_id and s.heading == level),
            key=lambda s: -s.similarity,
        )
        matched = [s for s in matched if s.similarity >= closest.similarity - MATCHED_GAP][:NEXT_SIGNS]
    else:
        return None
    title = str(matched[0].hit.chunk.metadata.get("title", "")).split(":")[0].strip()
    lines = [
        f"**Closest level: {level}.** What you describe matches these signs of the {level} level in the "
        f"{title} guide's self-assessment:",
        *(f"- {s.text} {cite(book, s)}" for s in sorted(matched, key=lambda s: s.position)),
    ]
    if holding:
        lines += ["", "Holding you back, signs of a lower level:"]
        lines += [f"- {s.text} {cite(book, s)}" for s in sorted(holding, key=lambda s: s.position)]
    if beyond:
        lines += ["", "Already in place, signs of a higher level:"]
        lines += [f"- {s.text} {cite(book, s)}" for s in sorted(beyond, key=lambda s: s.position)]
    if level != LEVELS[-1]:
        following = LEVELS[LEVELS.index(level) + 1]
        ahead = sorted(
            (s for s in guide if s.heading == following and s not in beyond),
            key=lambda s: (s.hit.chunk.id, s.position),
        )
        # What the council says it lacks ("nobody checks benefits after go-live") comes first among them.
        lacks = [t for t in statements_in(question) if NEGATION_RE.search(t)]
        if lacks and embed_many is not None and ahead:
            wanted = embed_many(lacks)
            named_gap = {id(s): float(np.max(wanted @ s.vector)) >= GAP_MATCH for s in ahead}
            ahead.sort(key=lambda s: not named_gap[id(s)])  # stable: the guide's order otherwise
        if ahead[:NEXT_SIGNS]:
            lines += [
                "",
                f"To reach {following}:",
                *(f"- {s.text} {cite(book, s)}" for s in ahead[:NEXT_SIGNS]),
            ]
    return Composition("\n".join(lines), book.citations, lead=lines[0], shape="maturity")


def statements_in(question: str) -> list[str]:
    """The parts of a question that state something rather than ask it."""
    return [
        part.strip()
        for part in STATEMENT_SPLIT_RE.split(question)
        if part
        and len(part.split()) >= MIN_STATEMENT_WORDS
        and not ASKING_RE.search(part)
        and not ASKS_ASSESSMENT_RE.search(part)  # "Self-assessment on organisational capability:" is a label
    ]


def qualified_statements(question: str) -> tuple[list[str], dict[str, str]]:
    """A council's statements about itself, each clause that qualifies the one before with a lack ("...but have
    no idea who watches") read with it; and the statements so qualified, with the clause read with them."""
    statements = statements_in(question)
    qualified: dict[str, str] = {}
    for i in range(1, len(statements)):
        before, clause = statements[i - 1], statements[i]
        if QUALIFIES_RE.match(clause) and NEGATION_RE.search(clause):
            joined = re.search(rf"{re.escape(before)},?\s+but\s+{re.escape(clause)}", question, re.I)
            if joined:
                statements[i] = joined.group(0)
                qualified[before] = statements[i]
    return statements, qualified


def describes_itself(question: str) -> bool:
    """True when the question says where the council is ("we webcast full council, petitions are paper")."""
    return bool(DESCRIBES_ITSELF_RE.search(question)) or any(
        OURS_RE.search(part) for part in statements_in(question)
    )


# The levels' signs grade the same thing by degree: a plan "in draft" then "agreed", a survey run "once" then
# "repeated", "some" services then "most". The model reads "we repeat the skills survey" as close to "a survey
# has been run once"; a statement of one degree does not match a sign of the other.
LOWER_DEGREE_RE = re.compile(
    r"\b(draft|drafted|once|one-off|ad hoc|occasional(ly)?|pilot(ed|s)?|partly|partial)\b", re.I
)
HIGHER_DEGREE_RE = re.compile(
    r"\b(agreed|approved|funded|signed off|repeat(ed|s)?|every (year|quarter|month)|annual(ly)?|regular(ly)?"
    r"|routine(ly)?|normal way|always)\b",
    re.I,
)
DEGREE_PENALTY = 0.25


def degree_clash(statement: str, sign: str) -> float:
    """The penalty when a statement and a sign speak of the same thing at different degrees."""
    higher = bool(HIGHER_DEGREE_RE.search(statement)) and bool(
        LOWER_DEGREE_RE.search(sign) or NEGATION_RE.search(sign)  # "agreed" is no "there is no plan"
    )
    lower = bool(LOWER_DEGREE_RE.search(statement)) and bool(HIGHER_DEGREE_RE.search(sign))
    return DEGREE_PENALTY if higher or lower else 0.0


def by_statement(
    question: str, guide: list[Sentence], embed_many: Callable[[list[str]], np.ndarray]
) -> tuple[str, list[Sentence], list[Sentence], list[Sentence]] | None:
    """The level most of a council's statements about itself match, as the self-assessment reads it: each
    statement ("we have Cyber Essentials", "our backups have never been test-restored") is matched to the
    closest sign in the guide; the level is the one most statements reach, the lower when two tie. Signs of
    lower levels are what holds the council back; signs of higher levels are already in place. None when no
    statement matches a sign closely enough."""
    statements, qualified = qualified_statements(question)
    if not statements or not guide:
        return None
    vectors = embed_many(statements)
    signs = np.asarray([s.vector for s in guide])
    found: list[Sentence] = []
    closeness: dict[int, float] = {}
    readings: dict[int, list[tuple[float, Sentence]]] = {}  # each found sign's statement against every sign
    read_as: dict[str, Sentence] = {}  # the sign each statement was read as
    for statement, vector in zip(statements, vectors, strict=True):
        likeness = signs @ vector - np.asarray([degree_clash(statement, sign.text) for sign in guide])
        # "We hold Cyber Essentials (not Plus)" says what the council has: an aside's "not" does not count.
        negated = bool(NEGATION_RE.search(re.sub(r"\([^)]*\)", "", statement)))
        # What a council says it lacks ("No DDaT workforce plan") is no sign that has it ("a plan is in
        # draft"): it matches only a sign that says the same lack.
        usable = [i for i, sign in enumerate(guide) if not negated or NEGATION_RE.search(sign.text)]
        if not usable:
            continue
        index = max(usable, key=lambda i: float(likeness[i]))
        best = guide[index]
        lacks = negated and LEVELS.index(best.heading) >= LEVELS.index("Established")
        if float(likeness[index]) >= STATEMENT_MATCH and not lacks and best not in found:
            found.append(best)
            closeness[id(best)] = float(likeness[index])
            readings[id(best)] = [(float(likeness[i]), guide[i]) for i in usable]
            read_as[statement] = best
    if not found:
        return None
    # "We webcast full council" found a sign of targeted webcasting, but "...but have no idea who watches" says
    # the council lacks it: a sign that a lack qualifies is not credited above the level placed.
    limited = {
        id(read_as[plain])
        for plain, whole in qualified.items()
        if plain in read_as
        and whole in read_as
        and float(read_as[plain].vector @ read_as[whole].vector) >= SAME_SIGN
    }
    counts = {level: sum(1 for s in found if s.heading == level) for level in LEVELS}
    level = max(LEVELS, key=lambda lv: (counts[lv], -LEVELS.index(lv)))
    matched = [s for s in found if s.heading == level]
    # A sign below the level placed holds the council back only when the council shows no sign of the same
    # thing at the level placed: "a staff skills survey has been run once" is superseded by "skills surveys
    # are repeated", which "we repeat the staff skills survey" also matched.
    holding = [
        s
        for s in found
        if LEVELS.index(s.heading) < LEVELS.index(level)
        and not any(float(s.vector @ m.vector) >= SAME_TOPIC for m in matched)
    ]
    # A sign above the level the rest place the council at needs a closer match to be credited, and none
    # when the statement reads almost as well as a sign at that level ("our website runs on LocalGov Drupal"
    # reuses a sector product; it does not lead the product's community).
    beyond = []
    for s in found:
        if LEVELS.index(s.heading) <= LEVELS.index(level) or closeness[id(s)] < STATEMENT_MATCH + BEYOND_GAP:
            continue
        if id(s) in limited:
            continue  # "we webcast full council" is no sign of targeted webcasting "but" with "no idea who watches"
        modest = [(v, sign) for v, sign in readings[id(s)] if sign.heading == level]
        if modest and max(modest, key=lambda pair: pair[0])[0] >= closeness[id(s)] - BEYOND_GAP:
            sign = max(modest, key=lambda pair: pair[0])[1]
            if sign not in matched:
                matched.append(sign)
            continue
        beyond.append(s)
    return level, matched, holding, beyond


def asks_about_assessment(question: str) -> bool:
    """True when a question asks where a council stands or how to assess it: the self-assessment helps."""
    # A level named in a question about levels in general ("what separates Developing from Established?")
    # is not a question about this council.
    ours = bool(OURS_RE.search(question))
    return (
        bool(ASKS_LEVEL_RE.search(question))
        or (bool(levels_named(question)) and ours)
        or bool(ASKS_ASSESSMENT_RE.search(question))
    )


GUIDE_WORD_RE = re.compile(r"\b(outcome|guide)\b", re.I)


def named_guide_in(question: str, outcome: str | None) -> str | None:
    """The guide a question names ("what good looks like on the democracy outcome"): its name as a word of the
    question counts when the question is about that outcome, or says "outcome" or "guide"; "data" in "data
    poverty" names no guide."""
    named = outcome_in(question, aliases=False)
    return named if named and (named == outcome or GUIDE_WORD_RE.search(question)) else None
