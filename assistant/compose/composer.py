"""The extractive generator's composer: a grounded, cited answer shaped by what the question asks.

The answer's first sentence answers the question; then a few supporting points; then the councils that did
it. Sentences are chosen by meaning (their vectors, stored at ingestion) and by the question's rare words,
with redundancy control, and every sentence obeys the coherence rules in `assistant.sentence_rules`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import cache, lru_cache

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.citations import CitationBook
from assistant.compose import shapes
from assistant.compose.choose import rare_terms
from assistant.compose.comparison import compared, compared_terms, compares_both
from assistant.compose.definition import by_example, definition
from assistant.compose.examples import examples
from assistant.compose.levels import (
    ASKS_LEVEL_RE,
    asks_about_levels,
    level_signs,
    levels_named,
    named_guide_in,
    outcome_in,
    placed,
)
from assistant.compose.lists import listed, margin_for
from assistant.compose.named_case import asks_action, case_answer, remainder
from assistant.compose.notes import NO_DIRECT_ANSWER, SPECIFIC_GAP, opening_note, unknown_names_note
from assistant.compose.overview import asks_overview, overview
from assistant.compose.pool import (
    LIST_KINDS,
    Asked,
    Composition,
    Sentence,
    read_sentences,
    score_sentences,
    sentence_texts,
)
from assistant.compose.second import asking_clause, first_part, second_question, with_second_answer
from assistant.compose.side_by_side import compares, side_by_side
from assistant.compose.unreported import with_unreported
from assistant.compose.wording import join_names, leadable, unsaid, without_verdict
from assistant.documents import Chunk
from assistant.intent import CUES, asked_after_term
from assistant.query import POINTS_BACK_RE
from assistant.rerank import RARE_TERM_IDF, case_names
from assistant.retrieval import Hit
from assistant.sentence_rules import (
    ASKS_MORE_RE,
    DURATION_ASKED_RE,
    FIGURE_RE,
    MONEY_ASKED_RE,
    gives_figure,
    quotable,
)
from assistant.sentences import last_heading, stored_heading_vector
from assistant.text import analyze, question_sentences

NAMED_CASE_BONUS = 0.12
# A question naming a product the glossary explains ("can staff use ChatGPT to...?") is answered from that
# entry first; "how do we get a policy on ChatGPT in place?" asks for steps, which the entry does not give.
BY_EXAMPLE_KINDS = ("yes-no", "other", "comparison")
EXAMPLE_CASES = 3  # the cases an examples answer draws on
CASE_ACCOUNT_SECTIONS = ("Summary", "What they did", "What happened")  # what a case did and what came of it
SAME_NAME_GAP = 0.05
BEYOND_NAME = 0.3  # what a question asks beyond a council's name is this like the closest of its cases
ABOUT_GAP = 0.15
# An answer put together from sentences, when neither they nor any guide's answer to a common question is this
# like the question, answers it only in part: on 524 development questions, 13 of the 26 the almanac cannot
# answer came below it, against 4 of the 498 it can (two of which name a case, which this leaves alone).
DIRECT = 0.46
# Below this, what the almanac has is too far from a question whose words it lacks to be worth quoting at all.
# Of the 37 questions with such a note in the spent question sets (the dev set and every measured held-out
# set, about 600 questions), 23 the almanac cannot answer fell below it against 2 it can; the 7 between 0.43
# and this (a direct debit taken twice, pub licence fees, Entra ID, Salesforce or Dynamics...) were all ones it
# cannot answer, and the nearest one it can sat at 0.478.
FAR = 0.475
# A question whose words' rarity in the almanac comes to less than this has no subject of its own.
OWN_SUBJECT = 6.0
# A figure the last answer gave is given again when it is this much nearer a question asking for one than any other.
FIGURE_AGAIN = 0.05
ASKED_AGAIN = 0.1  # what the last answer said is told again when it is this much nearer the follow-up
ASKS_FIGURE_RE = re.compile(r"\b(price|prices|cost|costs|how much|how many)\b", re.I)
# A later ask that leans on the first ("has one ever paid out?") says too little alone to be matched to a guide's
# common question unless the match is sure.
LEANS_BACK_RE = re.compile(r"\b(it|its|they|them|this|that|these|those|one)\b", re.I)
BOLD_LABEL_RE = re.compile(r"^[*][*]([^*]+)[*][*]")
SAME_VERDICT = 0.55  # a guide's question this like the one asked shares its yes or no
# Asked in the words a guide's "What good looks like" section answers: every item of it may answer.
GOOD_LOOKS_LIKE_RE = re.compile(r"\bgood\b.{0,40}\blooks? like\b|\b(best|good) practice\b", re.I)
# A question that asks for measures by name ("which indicators...", "what KPIs...") asks for what a guide's
# "Measures and indicators" section is written to give.
MEASURES_NAMED_RE = re.compile(r"\b(measures|kpis?|indicators?|metrics?)\b", re.I)
NO_FIGURE_HERE = "The almanac has no figure for this: nothing in it answers the question directly."
EMBEDDED_TEXTS = 256  # question texts whose vectors are kept, so that no step embeds one twice
DECLINED = "declined"  # the shape of an answer that only says the almanac lacks what was asked


class Composer:
    """Builds extractive answers from retrieved chunks."""

    def __init__(
        self,
        embeddings: Embeddings,
        *,
        dim: int | None = None,
        section_chunks: Callable[[str, str | None], list[Chunk]] | None = None,
        common_questions: Callable[[np.ndarray, str], list[Hit]] | None = None,
        mentions: Callable[[str], bool] | None = None,
        councils: Callable[[str], list[str]] | None = None,
        spelled: Callable[[str], str] | None = None,
    ):
        self.embeddings = embeddings
        self.dim = dim or len(embeddings.embed_query("dimension"))
        # Every chunk of one document's section, so a list is quoted whole rather than as retrieved.
        self.section_chunks = section_chunks
        # Every guide's common questions, each with its answer's likeness to a query vector.
        self.common_questions = common_questions
        # Whether the almanac mentions a name anywhere ("Magic Notes": no).
        self.mentions = mentions
        # The councils a question names that the almanac knows ("Surrey" in "What did Surrey tell...?").
        self.councils = councils
        # The words the almanac gives for an acronym ("Information Commissioner's Office" for "ICO").
        self.spelled = spelled

    def sentences(self, hits: Sequence[Hit]) -> list[Sentence]:
        """Every sentence of the hits with its vector: stored at ingestion, or embedded now for old indexes."""
        return read_sentences(hits, self.embeddings, self.dim)

    def compose(
        self,
        question: str,
        query: str,
        vector: Sequence[float],
        hits: Sequence[Hit],
        idf: Callable[[str], float],
        *,
        kind: str = "other",
        outcome: str | None = None,
        cases: Sequence[str] = (),
        said: str = "",
        earlier: str = "",
    ) -> Composition:
        """The answer text and its citations, numbered from 1 in order of use.

        Args:
            kind: what kind of answer the question wants (see `assistant.intent`).
            outcome: the outcome the answer is mostly about; its guide's lists are preferred.
            cases: case studies the question names; their sentences are preferred.
            said: the previous answer in the conversation: a follow-up is answered with what it did not say.
            earlier: the previous question, when the query reads the question with it.
        """
        hits = list(hits)
        if cases and self.section_chunks is not None:
            known = {h.chunk.id for h in hits}
            for case in cases:
                hits += [Hit(c, 0.0) for c in self.section_chunks(case, None) if c.id not in known]
        pool = [s for s in self.sentences(hits) if quotable(s.text)]
        if not pool:
            return Composition("", [])
        asked = Asked(query, np.asarray(vector, dtype=np.float32), idf, kind, question, said, earlier)
        score_sentences(pool, self._own_words_weigh(asked))
        everything = pool  # what the cases hold, whether the last answer said it or not
        pool = unsaid_unless_asked(pool, said, kind, cases, question)
        named = list(cases)
        if len(cases) > 1 and compares(question):
            # "Compare the Redcar and Gloucester attacks": each council's case on what is asked.
            both = side_by_side(pool, asked, cases, CitationBook())
            if both is not None:
                return both
        if cases:
            # A name can pick out several cases ("Hackney"), or a council named in passing ("Devon and
            # Somerset" is not Somerset's reorganisation): the cases meant are those about the question.
            # Which of a council's cases is meant does not change with what the last answer said of it ("can we
            # reuse their model?" after an answer that quoted the model's own sentence).
            cases = self._meant_cases(everything, asked, cases)
        if cases:
            for s in pool:
                s.score += NAMED_CASE_BONUS if s.doc_id in cases else 0.0
            pool = self._not_of_other_councils(pool, cases)
            # One named council: what it did, not a list of councils or a guide's general list.
            kind = "other" if kind == "examples" or kind in LIST_KINDS else kind
        composed = self._shaped(pool, asked, kind, outcome, cases, named=named)
        # "Yes, keep other routes" answers a guide's question, not this one: its "Yes" or "No" stands only for a
        # yes-or-no question that asks what the guide's does ("...tiktok on council phones, or is there a ban?"
        # is not answered "No" by whether councils move telecare users).
        if not shapes.yes_or_no(question) or not self._asks_as_guide_does(composed, pool, asked):
            composed.text = without_verdict(composed.text)
        # A maturity answer, a definition of "what's X, and why does it matter?" and a guide's answer to a
        # common question that asks two things answer a second part their own way; a definition that leads
        # for a name the question uses does not.
        own_way = (
            composed.shape == "maturity"
            # (a definition of a named case whose entry no guide's answer follows leaves the rest to the case:
            # "What is LocalGov Drupal and how much could we save by moving onto it?")
            or (
                composed.shape == "definition"
                and bool(asked_after_term(question))
                and (composed.answers_rest or not cases)
            )
            or answers_two_things(composed)
        )
        if not own_way:
            composed = with_second_answer(
                composed,
                question,
                pool,
                asked,
                cases,
                self._embed,
                lambda alone: self._common_question(
                    pool, alone, names_case=False, sure=bool(LEANS_BACK_RE.search(alone.question))
                ),
            )
        composed = with_unreported(composed, question, pool, asked, cases, self._embed)
        # A guide's answer to the very question asked is not "the nearest guidance it has".
        asked_here = composed.shape == "common-question"
        # A council placed on the levels asked where it stands, not for a figure ("...never check how many
        # people watch. Where does that leave us?").
        note = opening_note(
            question,
            "maturity" if composed.shape == "maturity" else kind,
            composed.text,
            hits,
            idf,
            names_case=bool(named) or asked_here,
        )
        if not note and not named and self.mentions is not None:
            note = unknown_names_note(question, self.mentions)
        if not note and cases and composed.citations and composed.citations[0].doc_id in cases:
            # "What did the ICO say about Redcar?": the almanac tells Redcar's story without the ICO in it.
            note = self._absent_from_case(question, cases)
        # "What should we do first?" has no subject of its own that the almanac could lack.
        subject = sum(idf(t) for t in set(analyze(question))) >= OWN_SUBJECT
        closeness = cache(lambda: self._closest(pool, hits, asked))  # worked out once, when needed
        if not note and not named and subject and composed.shape == "points" and closeness() < DIRECT:
            # No sentence comes near the question and no section is written for it: what follows is only
            # near it ("Must our chatbot answer in Welsh?" has Welsh meetings and chatbots, apart).
            note = NO_DIRECT_ANSWER
            if kind == "figures" or ASKS_FIGURE_RE.search(question):
                # A figure for something else would be taken for the one asked ("What does an E5 licence
                # cost?" answered with a Copilot licence bill): say plainly there is none.
                return Composition(NO_FIGURE_HERE, [], shape=DECLINED)
        if subject and note.startswith(SPECIFIC_GAP) and closeness() < FAR:
            # The words it asks about are not in the almanac and nothing comes near enough to be worth quoting
            # ("EV chargers in our car parks"): say so plainly rather than offer a passage about something else.
            return Composition(note.split(". ")[0].rstrip(".") + ".", [], shape=DECLINED)
        composed.text = self._named_if_unsaid(composed.text, question, cases)
        if note:
            composed.text = f"{note}\n\n{composed.text}"
        return composed

    def _named_if_unsaid(self, text: str, question: str, cases: Sequence[str]) -> str:
        """An answer about a case that neither the question nor the answer's opening names ("how much does it
        save a council?" after a question on LocalGov Drupal) opens with the case's name, so it reads alone."""
        # A follow-up that points back at the case it is about: "how much does it save?", "did they pay?".
        if len(cases) != 1 or self.section_chunks is None or not text or not POINTS_BACK_RE.search(question):
            return text  # "What about shared services that did work?" turns to a subject of its own
        chunks = self.section_chunks(cases[0], None)
        if not chunks:
            return text
        names = {n.lower() for n in case_names(chunks[0].metadata)}
        opening = text.partition("\n\n")[0].lower()
        if not names or any(n in question.lower() or n in opening for n in names):
            return text
        subject = str(chunks[0].metadata.get("title") or "").split(":")[0].strip()
        if not subject:
            return text
        # "**Channel shift:** Early on..." keeps its label, unbolded, after the case's.
        unbolded = BOLD_LABEL_RE.sub(r"\1", text, count=1)
        return f"**{subject}:** {unbolded}"

    def _absent_from_case(self, question: str, cases: Sequence[str]) -> str:
        """A note naming a body or product the question asks about that the almanac knows but the named case
        never mentions, by name or by its spelled-out words; "" when the case mentions all it names."""
        if self.section_chunks is None or self.mentions is None:
            return ""
        chunks = [c for case in cases for c in self.section_chunks(case, None)]
        if not chunks:
            return ""
        text = " ".join(c.embedding_text() for c in chunks).lower()
        own = {name.lower() for c in chunks[:1] for name in case_names(c.metadata)}
        # What the question asks about, not the context it gives ("We've signed the Local Digital Declaration...
        # Which level is that?").
        sentences = question_sentences(question)
        asking = " ".join(s for s in sentences if s.rstrip().endswith("?")) or sentences[-1]
        missing = [
            name
            for name in shapes.names_in(asking)
            if not any(name.lower() in n or n in name.lower() for n in own)  # the case's own name
            and name.lower() not in text
            and not ((words := self.spelled(name) if self.spelled else "") and words.lower() in text)
            and self.mentions(name)  # a name the almanac never uses has a note of its own
        ]
        if not missing:
            return ""
        title = str(chunks[0].metadata.get("title") or "").split(":")[0]
        listed = join_names([f"the {n}" if n.isupper() else n for n in dict.fromkeys(missing)][:2])
        return f"The almanac's account of {title} does not mention {listed}. This is what it does say."

    def _not_of_other_councils(self, pool: list[Sentence], cases: Sequence[str]) -> list[Sentence]:
        """A named council's answer without other documents' sentences about other councils only ("Copeland hired
        general IT staff..." under a question on Gloucester's attack)."""
        if self.councils is None:
            return pool
        councils = self.councils
        own = {name for s in pool if s.doc_id in cases for name in councils(s.council)}
        if not own and not any(s.doc_id in cases for s in pool):
            return pool
        # A body with no council in its name ("Greater Manchester Combined Authority") owns no council's name:
        # a sentence naming one ("Norfolk's CIO...") is about another.
        # Another case's sentence is about its own council, named or not ("In January 2022 the attack was
        # reported as likely to cost £10m", in Hackney's case, under a question on Gloucester's attack).
        kept = [
            s
            for s in pool
            if s.doc_id in cases
            or ((named := set(councils(s.text))) and own & named)
            or (not named and s.doc_type != "case-study")
        ]
        return kept or pool

    def _asks_as_guide_does(self, composed: Composition, pool: list[Sentence], asked: Asked) -> bool:
        """Whether an answer from a guide's common question answers a question that asks much the same."""
        if not composed.citations or not composed.citations[0].section.startswith("Common questions > "):
            return True
        cited = composed.citations[0]
        heading = cited.section.rpartition(" > ")[2]
        if negated(heading) != negated(asked.question) or opposed(heading, asked.question):
            # "Is it legal to pay?" is answered "No" where "Is it illegal to pay?" is answered "Yes"; "do they have
            # to turn up in person?" is answered "Yes" where "can they attend remotely?" is answered "Not...".
            return False
        # Its heading's vector was stored at ingestion; embedded here only for an index that predates it.
        stored = next(
            (
                vector
                for s in pool
                if s.doc_id == cited.doc_id
                and last_heading(s.hit.chunk.metadata) == heading
                and (vector := stored_heading_vector(s.hit.chunk.metadata, self.dim)) is not None
            ),
            None,
        )
        vector = stored if stored is not None else self._embed(heading)
        return float(vector @ asked.vector) >= SAME_VERDICT

    def _closest(self, pool: list[Sentence], hits: Sequence[Hit], asked: Asked) -> float:
        """How near the almanac comes to the question: its closest sentence found, or closest guide's answer
        to a common question, retrieved or not."""
        answers = self.common_question_candidates(hits, asked.vector, asked.query)
        return max([s.similarity for s in pool] + [h.dense for h in answers if h.dense is not None])

    def _meant_cases(self, pool: list[Sentence], asked: Asked, cases: Sequence[str]) -> list[str]:
        """Of the cases a question's names pick out, those about what it asks. Every sentence of a council's
        case is like its name, so cases sharing a name are told apart by the question without it: "When
        Hackney's servers were encrypted..." is the attack, not Hackney's apprentices."""
        closest = {c: max((s.similarity for s in pool if s.doc_id == c), default=0.0) for c in cases}
        # Another document's account of the same council ("Gloucester had no central logging...") is the
        # case told again, not a sign that the council is named in passing.
        names = {
            name for s in pool if s.doc_id in cases and s.council for name in case_names(s.hit.chunk.metadata)
        }
        elsewhere = [s.similarity for s in pool if not any(n and n in s.text for n in names)]
        best = max(elsewhere or [s.similarity for s in pool])
        meant = [c for c in cases if closest[c] >= best - ABOUT_GAP]
        if len(meant) < 2:
            return meant
        rest = remainder([s for s in pool if s.doc_id in meant], asked, self._embed)
        # "What did Somerset's merger save?": a rare word of the question that only one of the cases ever uses
        # says which is meant, where a short sentence's likeness ("It had already ended two contracts with BT.")
        # can mislead.
        alone = only_case_using(pool, meant, {t for t in rest.terms if asked.idf(t) >= RARE_TERM_IDF})
        if alone:
            return alone
        beyond = {c: max(float(s.vector @ rest.vector) for s in pool if s.doc_id == c) for c in meant}
        # A case far nearer the question as asked than the others ("...100% Digital Leeds... what are the
        # stages?") is the one meant, whatever the rest of the question is like.
        top = max(closest[c] for c in meant)
        meant = [c for c in meant if closest[c] >= top - ABOUT_GAP]
        if max(beyond.values()) < BEYOND_NAME:
            return meant  # "Tell me about Hackney": the name is all it asks
        return [c for c in meant if beyond[c] >= max(beyond[c] for c in meant) - SAME_NAME_GAP]

    def _shaped(
        self,
        pool: list[Sentence],
        asked: Asked,
        kind: str,
        outcome: str | None,
        cases: Sequence[str] = (),
        *,
        named: Sequence[str] = (),
    ) -> Composition:
        """The answer in the shape its kind needs. `named` are the cases the question's names pick out, of
        which `cases` are those about what it asks."""
        names_case = bool(named)
        about = outcome_in(asked.question)
        if not cases and about and self.section_chunks is not None and asks_overview(asked.question, about):
            # "Tell me about the partnership outcome": what it means for a council, then where to start.
            told = overview(about, asked, self.section_chunks, self.sentences, self._embed)
            if told is not None:
                return told
        if levels_named(asked.question) and asks_about_levels(asked.question, kind):
            # "...No DDaT workforce plan. Where would you put us, and what would Established need?": placed
            # first, with what the next level needs; a level named alone is answered with its signs.
            where = self._placed(pool, asked, outcome)
            if where is not None:
                return where
        if asks_about_levels(asked.question, kind):
            signs = level_signs(asked.question, outcome, self.section_chunks, self.sentences, CitationBook())
            if signs is not None:
                return signs
        # "...we've analysed contact data for the top reasons. Which level is that?" asks for a level, whatever
        # kind its words suggest.
        asks_level = kind == "maturity" or bool(ASKS_LEVEL_RE.search(asked.question))
        if asks_level and not levels_named(asked.question):
            where = self._placed(pool, asked, outcome)
            if where is not None:
                return where
        councils = self.councils(asked.question) if self.councils is not None else []
        common = self._common_question(pool, asked, names_case, councils)
        before_last = first_part(asked.question)
        verdict = shapes.yes_or_no(
            before_last
        )  # the first ask is a yes or no: a guide's verdict opens its answer
        if common is None and before_last != asked.question:
            # "...does a subject access search still have to cover every system, and can we pause the clock?": two
            # guides' answers, one to each question; the first leads and the second follows it.
            first = asking_clause(before_last)
            alone = replace(asked, question=first, query=first, vector=self._embed(first))
            common = self._common_question(pool, alone, names_case, councils, sure=True)
        asking = question_sentences(asked.question)[-1]
        if common is None and asking != asked.question.strip():
            # "Staff are pasting things into ChatGPT. What should our generative AI policy say?": told with its
            # situation first, a question is less like the guide's question that asks it; asked alone, it may be
            # the very one.
            alone = replace(asked, question=asking, query=asking, vector=self._embed(asking))
            common = self._common_question(pool, alone, names_case, councils, sure=True)
        if compared_terms(asked.question) and not (
            common is not None and compares_both(last_heading(common.chunk.metadata), asked.question)
        ):
            # "How is a DPIA different from an ATRS record?": each term's entry, side by side.
            both = compared(asked.question, self.section_chunks, self.sentences, CitationBook())
            if both is not None:
                return both
        # (A question whose words ask who does something, "who's using it already?", asks for councils, not
        # for what the thing is.)
        if kind == "definition" or (
            kind in BY_EXAMPLE_KINDS
            and not CUES["examples"].search(asked.question)
            and by_example(pool, asked)
        ):
            # The term's entry first; a guide's answer to the rest ("...and how do we avoid it?") follows.
            # A question naming a product the glossary explains ("ChatGPT") is about that entry too.
            defined = definition(
                pool, CitationBook(), asked, self.dim, then=self._then(pool, asked) or common
            )
            if defined is not None:
                return defined
        # A common question that clearly answers the question leads even a "how do we..." question: on the
        # calibration pairs of list kinds it was right 45 times and wrong 5. Council examples answer "which
        # councils...", which a guide's general answer does not, unless it asks the same thing.
        named_guide = named_guide_in(asked.question, outcome)
        # "What does good look like for inclusion?" is that guide's section, whatever common question is alike.
        displaces = (
            common is not None
            # ...and "what does good look like for our broadband and mobile work?" is not answered yes or no
            # ("Does a district council have any legal duty on broadband?", alike in its words).
            and not (
                kind == "good-practice"
                and (named_guide or shapes.yes_or_no(last_heading(common.chunk.metadata)))
            )
            # "Which councils...?" asks for councils, whatever a second part asks; "What did Surrey tell its
            # suppliers, and what should we tell ours?" asks what the guide's answer tells of Surrey.
            and (
                kind != "examples"
                # read as examples by likeness alone, or asking for an example only after the question
                # ("Is it sensible, and has any council done it?")
                or not CUES["examples"].search(first_part(asked.question))
                or shapes.asks_the_same(common, self._first_part(asked), self.dim)
                or shapes.tells_of_named(common, asked.question, councils)
            )
        )
        if common is not None and displaces:
            return shapes.from_common_question(common, pool, CitationBook(), asked, verdict=verdict)
        if cases:  # "how did...", "why did...", "did it work?" about one council: its paragraph that says
            # Of two questions, the first decides the answer's form; the second is answered after it.
            first = first_part(asked.question)
            # Asked what a council did, the case's whole account of it is there to choose from, not only the
            # sentences retrieval found ("Digital champions: It trained volunteers...").
            account = (
                self._case_sections(pool, asked, cases, ("What they did",)) if asks_action(first) else []
            )
            answered = case_answer(
                pool + account,
                CitationBook(),
                cases,
                replace(asked, question=first),
                self._embed,
                self.councils,
            )
            if answered is not None:
                return answered
        composed: Composition | None = None
        if kind == "examples":
            composed = examples(pool + self._cases_in_full(pool, asked), CitationBook())
        elif kind in LIST_KINDS:
            in_its_words = asks_in_section_words(asked.question, kind)
            composed = listed(
                pool + self._named_guide_section(pool, asked, kind, named_guide),
                CitationBook(),
                kind,
                outcome,
                self._whole_section(asked),
                named_guide=named_guide,
                in_its_words=in_its_words,
            )
            # A guide's answer to some other question does not outrank the section written for this kind.
            rivals = [s.score for s in pool if s.section != "Common questions" and leadable(s, kind)] or [0.0]
            # The section of the very guide the question names stands, whatever else mentions its name.
            from_named = composed is not None and composed.citations[0].doc_id == f"outcome-{named_guide}"
            if (
                composed is not None
                and not from_named
                and not (in_its_words and composed.citations[0].doc_id == f"outcome-{outcome}")
                and composed.best_score < max(rivals) - margin_for(kind)
            ):
                composed = None  # the section written for this kind says less about it than other text does
            if composed is not None and not from_named and not self._names_all(composed, asked.question):
                composed = (
                    None  # "joining Open Digital Planning" is not answered by a guide that never names it
                )
        if composed is None and common is not None:  # no list fits: the guide's own answer after all
            return shapes.from_common_question(common, pool, CitationBook(), asked, verdict=verdict)
        unasked = [c for c in named if c not in cases] if cases else []  # another case of the same name
        # "How much did it cost them, and what did the ICO say?": the figure asked first leads; the rest follows.
        first = first_part(asked.question)
        question = first if kind == "figures" and CUES["figures"].search(first) else asked.question
        if composed is None and not cases and DURATION_ASKED_RE.search(question):
            # "How long does recovery take?": the spans are in what the closest cases did and what came of it
            # ("Recovery took roughly eight months"), which retrieval, drawn to the attacks themselves, may miss.
            pool = pool + self._cases_in_full(pool, asked)
        return composed or shapes.points(
            pool,
            CitationBook(),
            kind,
            cases,
            question,
            unasked,
            asked_terms=rare_terms(asked),
            whole=asked.question,
        )

    def _names_all(self, composed: Composition, question: str) -> bool:
        """Whether the guide a list comes from names every programme, body or standard the question names."""
        names = shapes.names_in(question)
        if not names or self.section_chunks is None or not composed.citations:
            return True
        text = " ".join(c.text for c in self.section_chunks(composed.citations[0].doc_id, None)).lower()
        return all(name.lower() in text for name in names)

    def _placed(self, pool: list[Sentence], asked: Asked, outcome: str | None) -> Composition | None:
        """The council placed on a guide's levels from what it says of itself, when it asks where it is."""
        return placed(
            asked.question,
            pool,
            self.section_chunks,
            self.sentences,
            CitationBook(),
            self._embed_many,
            outcome,
        )

    def _then(self, pool: list[Sentence], asked: Asked) -> Hit | None:
        """The guide's common question that answers what "what's a DPIA and when do we need one?" asks after
        the term, read on its own ("when do we need DPIA?")."""
        more = asked_after_term(asked.question)
        if not more:
            return None
        vector = self._embed(more)
        alone = Asked(more, vector, asked.idf, asked.kind, more)
        return self._common_question(pool, alone, names_case=False)

    def _own_words_weigh(self, asked: Asked) -> Asked:
        """A follow-up read with the question before it, with its own words weighing as much as the whole:
        "...how did they handle the address data?" after a question on Somerset's merger is about address data
        at Somerset, not the merger again."""
        if not asked.earlier or asked.query == asked.question:
            return asked
        both = asked.vector + self._embed(asked.question)
        return replace(asked, vector=both / float(np.linalg.norm(both)))

    def _embed_many(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self.embeddings.embed_documents(texts), dtype=np.float32)

    def _first_part(self, asked: Asked) -> Asked:
        """Of two questions in one, the first, read alone: "Which councils have flood sensors?" of "...,
        and should we build our own IoT network?"."""
        first = first_part(asked.question)
        if first == asked.question or not CUES["examples"].search(first):
            return asked  # "Why does it take so long, and how have others sped it up?": one question
        return replace(asked, question=first, query=first, vector=self._embed(first))

    def _embed(self, text: str) -> np.ndarray:
        # A question's parts are embedded again by several steps of one answer ("the question asked before" at
        # each common-question match): each text once.
        return self._embedded(text).copy()

    @lru_cache(maxsize=EMBEDDED_TEXTS)  # noqa: B019 - one Composer lives as long as the assistant
    def _embedded(self, text: str) -> np.ndarray:
        return np.asarray(self.embeddings.embed_query(text), dtype=np.float32)

    def _common_question(
        self,
        pool: list[Sentence],
        asked: Asked,
        names_case: bool,
        councils: Sequence[str] = (),
        *,
        sure: bool = False,
    ) -> Hit | None:
        """The guide's common question that asks what the user asked; its sentences join the pool."""
        candidates = self.common_question_candidates([s.hit for s in pool], asked.vector, asked.query)
        if asked.said:
            # "...where do we start on cyber security?" then "is there any government money to help with that?":
            # the guide's answer just given is not the answer to what the follow-up asks.
            candidates = [h for h in candidates if not self._given(h, asked.said)]
        # "How long does it take to recover from a ransomware attack?" is not answered by "How much does a cyber
        # attack cost a council?": a question that asks for a span of time is not answered by one about money.
        candidates = [
            h for h in candidates if not other_figure(last_heading(h.chunk.metadata), asked.question)
        ]
        matched = asked
        if asked.earlier:
            # ...nor is another guide's answer to the question asked before, which the follow-up, read with it,
            # is still like ("We are a small district council with a tiny IT team. Where do we start?").
            before = replace(asked, vector=self._embed(asked.earlier))
            candidates = [
                h
                for h in candidates
                if (heading := stored_heading_vector(h.chunk.metadata, self.dim)) is None
                or shapes.asked_likeness(h, heading, before, self.dim)
                < shapes.asked_likeness(h, heading, asked, self.dim)
            ]
            # Read with the question before it, a follow-up's own words still say what it asks: its meaning weighs
            # as much as the whole it makes with the earlier question.
            matched = self._own_words_weigh(asked)
        hit = shapes.common_question(
            candidates, matched, self.dim, names_case=names_case, councils=councils, sure=sure
        )
        if hit is not None and not any(s.hit.chunk.id == hit.chunk.id for s in pool):
            more = [s for s in self.sentences([hit]) if quotable(s.text)]
            score_sentences(more, asked)
            pool.extend(more)
        return hit

    @staticmethod
    def _given(hit: Hit, said: str) -> bool:
        """Whether the previous answer opened with this common question's answer (a guide's answer is quoted as
        written, so its text is what was said)."""
        first = next((t for t in sentence_texts(hit.chunk.metadata, hit.chunk.text) if quotable(t)), None)
        return first is not None and first in said

    def common_question_candidates(
        self, hits: Sequence[Hit], vector: np.ndarray, query: str = ""
    ) -> list[Hit]:
        """Every guide's common questions, retrieved or not: retrieval keeps few chunks per guide, and a guide's
        answer to the very question asked must not be lost to that. Each carries its answer's likeness to the
        question where the index holds the vectors in memory; otherwise only the retrieved ones are known."""
        found = {h.chunk.id: h for h in hits if shapes.is_common_question(h)}
        if self.common_questions is not None:
            found.update({h.chunk.id: h for h in self.common_questions(vector, query)})
        return list(found.values())

    def _cases_in_full(self, pool: list[Sentence], asked: Asked) -> list[Sentence]:
        """What the closest cases did and what came of it, where retrieval found only their lessons."""
        if self.section_chunks is None:
            return []
        best: dict[str, Sentence] = {}
        for s in pool:
            if s.doc_type == "case-study" and (s.doc_id not in best or s.score > best[s.doc_id].score):
                best[s.doc_id] = s
        closest = sorted(best, key=lambda doc_id: -best[doc_id].score)[:EXAMPLE_CASES]
        return [
            s for doc_id in closest for s in self._case_sections(pool, asked, [doc_id], CASE_ACCOUNT_SECTIONS)
        ]

    def _case_sections(
        self, pool: list[Sentence], asked: Asked, cases: Sequence[str], sections: tuple[str, ...]
    ) -> list[Sentence]:
        """The sentences of these sections of the cases that retrieval did not find, scored for the question."""
        if self.section_chunks is None:
            return []
        known = {(s.hit.chunk.id, s.position) for s in pool}
        rank = min((s.rank for s in pool if s.doc_id in cases), default=0)
        hits = [
            Hit(c, 0.0)
            for doc_id in cases
            for section in sections
            for c in self.section_chunks(doc_id, section)
        ]
        found = [
            s for s in self.sentences(hits) if quotable(s.text) and (s.hit.chunk.id, s.position) not in known
        ]
        for s in found:
            s.rank = rank
        score_sentences(found, asked)
        return unsaid(found, asked.said)

    def _named_guide_section(
        self, pool: list[Sentence], asked: Asked, kind: str, named: str | None
    ) -> list[Sentence]:
        """The section written for this kind in the guide the question names ("good looks like on the
        democracy outcome"), when retrieval did not bring it."""
        sections = LIST_KINDS[kind]
        doc_id = f"outcome-{named}"
        if not named or self.section_chunks is None:
            return []
        if any(s.doc_id == doc_id and s.section in sections for s in pool):
            return []
        hits = [Hit(c, 0.0) for section in sections for c in self.section_chunks(doc_id, section)]
        found = [s for s in self.sentences(hits) if quotable(s.text)]
        score_sentences(found, asked)
        return found

    def _whole_section(self, asked: Asked) -> Callable[[list[Sentence], tuple[str, ...]], list[Sentence]]:
        """All the items of a document's sections, scored like the retrieved ones."""

        def whole(found: list[Sentence], sections: tuple[str, ...]) -> list[Sentence]:
            if self.section_chunks is None or not found:
                return list(found)
            doc_id = found[0].doc_id
            known = {s.hit.chunk.id for s in found}
            extra = [
                Hit(c, 0.0)
                for section in sections
                for c in self.section_chunks(doc_id, section)
                if c.id not in known
            ]
            if not extra:
                return list(found)
            more = [s for s in self.sentences(extra) if quotable(s.text)]
            rank = min(s.rank for s in found)
            for s in more:
                s.rank = rank
            score_sentences(more, asked)
            return list(found) + more

        return whole


def other_figure(heading: str, question: str) -> bool:
    """Whether a common question asks for a sum of money where the question asks how long, or the other way."""
    money = bool(MONEY_ASKED_RE.search(heading)) and not DURATION_ASKED_RE.search(heading)
    duration = bool(DURATION_ASKED_RE.search(heading))
    asks_duration = bool(DURATION_ASKED_RE.search(question)) and not ASKS_MORE_RE.search(question)
    asks_money = bool(MONEY_ASKED_RE.search(question)) and not DURATION_ASKED_RE.search(question)
    return (asks_duration and money) or (asks_money and duration)


def asks_in_section_words(question: str, kind: str) -> bool:
    """Whether a question asks in the words a guide's section for its kind is named by ("what does good look
    like...?", "which indicators...?"): that section answers it, whatever other text shares its words."""
    if kind == "good-practice":
        return bool(GOOD_LOOKS_LIKE_RE.search(question))
    return kind == "measures" and bool(MEASURES_NAMED_RE.search(question))


def only_case_using(pool: Sequence[Sentence], cases: Sequence[str], words: set[str]) -> list[str]:
    """Of several cases, those that use some of these words where none of the others does; [] if none does.
    A word counts in any of its forms: the stemmer keeps "merger" apart from "merging"."""
    roots = {w: re.compile(rf"\b{re.escape(shapes.word_root(w))}") for w in words}
    text = {c: " ".join(s.text for s in pool if s.doc_id == c).lower() for c in cases}
    used = {c: {w for w, root in roots.items() if root.search(text[c])} for c in cases}
    return [c for c in cases if any(all(w not in used[o] for o in cases if o != c) for w in used[c])]


def unsaid_unless_asked(
    pool: list[Sentence], said: str, kind: str, cases: Sequence[str] = (), question: str = ""
) -> list[Sentence]:
    """A follow-up is not answered by what was just said ("did it actually save money?" after the case's
    summary), unless it asks again for a figure the last answer gave and nothing else gives one as near
    ("how many did Tendring give away?" after an answer that said 79 laptops). A figure about a case the
    question names comes from that case; asked how much money, only a sum counts ("more than 1,500 public
    buildings" does not answer "how much central money went in?")."""
    fresh = unsaid(pool, said) or pool
    given = [s for s in pool if s not in fresh]
    # "...how did they handle the address data?" after an answer that told it: asked again, told again.
    if given and max(s.similarity for s in given) >= max(s.similarity for s in fresh) + ASKED_AGAIN:
        return pool
    if kind != "figures" or fresh is pool:
        return fresh
    # Of "who won the contract, and how much central money went in?", the part that asks for the figure.
    asking = next((p for p in shapes.NEXT_ASK_RE.split(question) if CUES["figures"].search(p)), question)

    def nearest_figure(sentences: list[Sentence]) -> float:
        return max(
            (
                s.score  # by meaning and by the rare words it shares ("central" money)
                for s in sentences
                if (gives_figure(s.text, asking) if asking else FIGURE_RE.search(s.text))
                and (not cases or s.doc_id in cases)
            ),
            default=0.0,
        )

    return pool if nearest_figure(pool) > nearest_figure(fresh) + FIGURE_AGAIN else fresh


# A question asked the other way round: its yes is the other's no.
NEGATED_RE = re.compile(
    r"\b(not|never|no longer|illegal|unlawful|banned|prohibited|forbidden|against the law)\b|n't\b", re.I
)


def negated(question: str) -> bool:
    return bool(NEGATED_RE.search(question))


# Words that ask the same thing the other way round: a yes to one side is a no to the other.
OPPOSITES = (
    (
        re.compile(r"\b(remote(ly)?|virtual(ly)?|online|from home)\b", re.I),
        re.compile(r"\b(in person|physically|face[ -]to[ -]face|in the room)\b", re.I),
    ),
    (
        re.compile(r"\b(mandatory|compulsory|required|obliged|have to|must)\b", re.I),
        re.compile(r"\b(optional|voluntary|a choice)\b", re.I),
    ),
)


def opposed(one: str, other: str) -> bool:
    """Whether two questions ask the same thing from opposite sides ("vote remotely" and "turn up in person")."""

    def side(text: str, pair: tuple[re.Pattern[str], re.Pattern[str]]) -> tuple[bool, bool]:
        return bool(pair[0].search(text)), bool(pair[1].search(text))

    return any({side(one, pair), side(other, pair)} == {(True, False), (False, True)} for pair in OPPOSITES)


def answers_two_things(composed: Composition) -> bool:
    """Whether the answer is a guide's common question that itself asks two things ("What is the IT Reuse
    for Good charter, and should our council sign it?"): its answer answers both parts."""
    if composed.shape != "common-question" or not composed.citations:
        return False
    heading = composed.citations[0].section.split(" > ")[-1]
    return second_question(heading) is not None
