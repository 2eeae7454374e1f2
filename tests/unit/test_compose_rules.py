"""Composition rules that need no model: council labels, summaries as leads, bare-term questions, gap notes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from assistant.compose.choose import supporting
from assistant.compose.levels import asks_about_levels, levels_named, outcome_in
from assistant.compose.notes import partial_coverage_note, unknown_names_note
from assistant.compose.pool import Sentence, without_id_references
from assistant.compose.shapes import guide_for_us
from assistant.compose.wording import (
    about_another_council,
    as_statement,
    case_label,
    member_names,
    states,
    with_run_in_heading,
    without_verdict,
)
from assistant.documents import Chunk
from assistant.glossary_terms import with_glossary_terms
from assistant.intent import IntentClassifier, asks_for, bare_term
from assistant.query import NEW_TOPIC_RE, without_opener
from assistant.retrieval import BM25Index, Hit
from assistant.sentence_rules import council_short_name, dangling, evidence_caveat
from assistant.sentences import split_chunk
from evals.calibrate import CalibrationError
from evals.calibrate_common import best_threshold, load
from tests.fakes import HashingEmbeddings


@pytest.mark.parametrize(
    ("sentence", "another"),
    [
        ("Kent County Council's scheme collected laptops at libraries.", True),
        ("Essex County Council collected laptops.", False),
        ("Councils reported savings.", False),
        # Another council named before this one's own name.
        ("In January 2021 Tendring District Council gave 100 laptops.", True),
        ("In 2020 the Council gave laptops to schools.", False),
        ("Essex worked with Kent County Council on it.", False),
    ],
)
def test_a_sentence_about_another_council_is_not_listed_under_this_one(sentence: str, another: bool) -> None:
    assert about_another_council(sentence, "Essex County Council") is another


def test_a_summary_that_describes_its_document_cannot_lead() -> None:
    assert states("How Wigan Council used a deal with residents to cut costs.")  # rewritten as a statement
    # "How a ..." is rewritten too, ending before the clause that asks: what it says happened stands.
    assert states("How a flood in 2015 closed a data centre, and what the council learned.")
    assert as_statement("How a flood in 2015 closed a data centre, and what the council learned.") == (
        "A flood in 2015 closed a data centre."
    )
    assert not states("What a county learned from moving its phones to the cloud.")
    assert states("A flood in 2015 closed the council's data centre for a day.")


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("what's a neutral host", "definition"),
        ("Define vendor lock-in", "definition"),
        ("wat is a social tariff?", "definition"),
    ],
)
def test_a_bare_term_asks_for_its_definition(question: str, kind: str) -> None:
    embeddings = HashingEmbeddings()
    classifier = IntentClassifier(embeddings)
    assert classifier.classify(question, embeddings.embed_query(question)).kind == kind


def test_a_term_named_first_then_asked_about_is_a_bare_term() -> None:
    assert bare_term("social tariffs - what are they and who offers one?") == "social tariffs"
    assert bare_term("Novation: what is it?") == "Novation"
    assert bare_term("How do we run our first hackathon - what is it worth?") is None


def test_a_longer_what_is_question_is_not_read_as_a_bare_term() -> None:
    assert bare_term("Define vendor lock-in") == "vendor lock-in"
    for question in ("What is the cost of a cyber attack?", "what is the best way for us to run a panel?"):
        assert bare_term(question) is None, question


def test_a_gap_note_names_rare_subjects_but_never_everyday_words() -> None:
    hit = Hit(
        Chunk(id="c1", doc_id="outcome-data", text="Councils publish open data about services.", metadata={}),
        1.0,
    )

    def idf(stem: str) -> float:
        return 5.0  # every word is rare in this tiny almanac

    note = partial_coverage_note("What are the biggest issues with blockchain next year?", [hit], idf)
    assert "blockchain" in note
    assert "biggest" not in note and "next" not in note
    # What the council would do, worded differently from the almanac, is not a missing subject.
    assert partial_coverage_note("How do we federate services?", [hit], idf) == ""
    assert "151" not in partial_coverage_note(
        "Will our section 151 officer sign a blockchain case?", [hit], idf
    )
    # A word the answer itself uses (from a section retrieval did not bring) is not missing.
    answer = "Councils federate services through shared platforms."
    assert partial_coverage_note("What about federation of services?", [hit], idf, answer) == ""
    # An everyday word in another form, an adverb, a contraction or a job title names no subject either.
    assert (
        partial_coverage_note(
            "Our DPO says she'll need every email that mentions them, roughly, across the CRM?", [hit], idf
        )
        == ""
    )


def test_common_question_pairs_name_the_line_at_fault(tmp_path: Path) -> None:
    path = tmp_path / "pairs.jsonl"
    path.write_text(
        json.dumps({"question": "q", "answer": None}) + "\n" + json.dumps({"question": "q2"}) + "\n"
    )
    with pytest.raises(CalibrationError, match=r"pairs.jsonl:2"):
        load(path)


def test_the_best_common_question_threshold_weighs_wrong_leads_double() -> None:
    rows = [(0.9, 0.2, True), (0.8, 0.2, True), (0.7, 0.2, False), (0.65, 0.2, True), (0.6, 0.2, False)]
    threshold, margin, right, wrong = best_threshold(rows)
    assert (threshold, margin, right, wrong) == (0.8, 0.0, 2, 0)


def test_a_common_question_barely_ahead_of_a_rival_does_not_lead_when_that_costs_wrong_leads() -> None:
    # Every wrong lead was a near tie with another common question; every right one stood clear.
    rows = [(0.8, 0.2, True), (0.75, 0.15, True), (0.78, 0.01, False), (0.7, 0.02, False), (0.6, 0.3, True)]
    threshold, margin, right, wrong = best_threshold(rows)
    assert (right, wrong) == (3, 0) and margin > 0.02


def test_a_summary_listing_its_contents_keeps_its_how_clauses_as_statements_and_drops_the_rest() -> None:
    summary = (
        "How Kirklees Council moved its phones to the cloud in 2023, what it cost, and what others can learn."
    )
    assert as_statement(summary) == "Kirklees Council moved its phones to the cloud in 2023."
    summary = "How Kirklees moved its phones in 2023, how staff took to them, and how far it had got by 2024."
    assert as_statement(summary) == "Kirklees moved its phones in 2023, staff took to them."


def test_a_bold_run_in_heading_labels_its_sentence_rather_than_standing_alone() -> None:
    text = "**Shared the costs.** Three councils split the licence fee. A fourth joined later.\n\n- **Kept it small.** One team ran it."
    assert split_chunk(text) == [
        "Shared the costs: Three councils split the licence fee.",
        "A fourth joined later.",
        "Kept it small: One team ran it.",
    ]


def test_an_abbreviation_does_not_end_a_sentence() -> None:
    assert split_chunk("The (No. 2) Regulations 2018 apply to council sites. They took effect in 2018.") == [
        "The (No. 2) Regulations 2018 apply to council sites.",
        "They took effect in 2018.",
    ]


def test_a_case_of_several_councils_goes_under_its_own_short_title() -> None:
    several = {
        "council": "Adur District Council, Worthing Borough Council and partners",
        "title": "Adur and Worthing: one shared team",
    }
    assert case_label(several) == "Adur and Worthing"
    assert (
        case_label({"council": "Essex County Council", "title": "Essex: donated devices"})
        == "Essex County Council"
    )


def test_a_run_in_label_does_not_hide_a_pronoun_that_points_elsewhere() -> None:
    assert dangling("Bringing in funding: It helped the council win outside money.")
    assert not dangling("Bringing in funding: Leeds won outside money from two charities.")
    assert dangling("The attackers demanded a ransom in bitcoin.")


def test_a_note_on_what_a_cases_sources_show_is_a_caveat_not_an_answer() -> None:
    assert evidence_caveat("The sources do not report how many vouchers were issued.")
    assert evidence_caveat("No later round had been announced in the sources checked.")
    assert not evidence_caveat("Sunderland published the sensor readings as open data.")


def test_a_yes_or_no_verdict_is_dropped_when_the_question_asked_who_or_how() -> None:
    assert without_verdict("If personal data may be affected, yes: UK GDPR requires a report.") == (
        "UK GDPR requires a report."
    )
    assert (
        without_verdict("Yes, for high-risk uses a DPIA is required.")
        == "For high-risk uses a DPIA is required."
    )
    assert without_verdict("Not without rules: give staff interim guidance.") == (
        "Not without rules: give staff interim guidance."
    )
    # A verdict that runs on into its own sentence, or gives its reason, goes with it.
    assert without_verdict("No, not as of March 2026. The council launched it as voluntary.") == (
        "The council launched it as voluntary."
    )
    assert without_verdict("Yes, because it is free and signals that you will share.") == (
        "It is free and signals that you will share."
    )


def test_a_word_only_the_glossary_explains_brings_the_glossary_term_into_the_question() -> None:
    index = BM25Index(
        [
            Chunk(
                id="g1",
                doc_id="framework-glossary",
                text="Alarms and sensors, such as pendant alarms, that let residents call for help at home.",
                metadata={"heading_path": "Terms > Telecare"},
            ),
            Chunk(
                id="c1",
                doc_id="outcome-connectivity",
                text="Move telecare alarms to digital lines.",
                metadata={},
            ),
        ]
    )
    assert (
        with_glossary_terms("Who pays for pendant alarms?", index)
        == "Who pays for pendant alarms? (Telecare)"
    )
    # A word other chunks use too ("alarms") or a question already naming the term is left alone.
    assert with_glossary_terms("Do telecare pendant alarms still work?", index).endswith("work?")
    assert with_glossary_terms("How do alarms work?", index) == "How do alarms work?"


def test_the_self_assessment_levels_a_question_names_are_found_in_the_guides_order() -> None:
    assert levels_named("Are we established yet, or still just starting out?") == ["Starting", "Established"]
    assert levels_named("What does a really mature council look like on data?") == ["Leading"]
    assert levels_named("Where do we start on data?") == []
    assert asks_about_levels("What does the developing level look like on cyber?", "other")
    assert not asks_about_levels("Which councils are leading on open data?", "examples")
    assert asks_about_levels("What does good look like for an established council on data?", "good-practice")


def test_each_council_of_a_several_council_case_is_known_by_its_short_name() -> None:
    council = "North Tyneside Council, London Borough of Hackney and Sunderland City Council"
    assert member_names(council) == ["North Tyneside", "Hackney", "Sunderland"]
    assert dangling("On the back of it, the partners launched a centre.")


def test_a_level_question_names_the_outcome_whose_levels_it_wants() -> None:
    assert outcome_in("We're starting on data maturity. What would make us developing?") == "data"
    assert outcome_in("What does the developing level look like on cyber?") == "security-and-resilience"
    assert outcome_in("How do local councils get to established on partnership?") == "partnership"


def _sentence(text: str, vector: list[float], similarity: float) -> Sentence:
    chunk = Chunk(id=text[:10], doc_id="outcome-value", text=text, metadata={"section": "Common challenges"})
    s = Sentence(text, Hit(chunk, 1.0), 0, 0, np.asarray(vector, dtype=np.float32))
    s.similarity, s.score = similarity, similarity + 0.3
    return s


def test_a_supporting_point_stays_on_the_subject_of_the_answer_it_supports() -> None:
    lead = _sentence(
        "Publish three key performance indicators for each contract over five million pounds.", [1, 0, 0], 0.7
    )
    same = _sentence(
        "Contracts over five million pounds must report their indicators every year in a notice.",
        [0.6, 0.8, 0],
        0.5,
    )
    other = _sentence(
        "For many leaders, merging systems and websites is now the largest digital job they face.",
        [0, 1, 0],
        0.5,
    )
    assert supporting([same, other], [lead], 3) == [same]


def test_a_point_only_loosely_like_the_question_is_padding() -> None:
    lead = _sentence(
        "Leeds prepared 7,000 laptops in three days and moved 10,000 staff home.", [1, 0, 0], 0.7
    )
    loose = _sentence(
        "From April 2020 emergency regulations let councils hold their meetings remotely by video.",
        [0.8, 0.6, 0],
        0.45,
    )
    close = _sentence(
        "The council scaled up its VPN so far more staff could connect at the same time.",
        [0.7, 0, 0.71],
        0.55,
    )
    assert supporting([loose, close], [lead], 3) == [close]


def test_a_run_in_heading_stays_a_bold_heading_and_a_plain_colon_stays_plain() -> None:
    source = "**Buy together.** Joining councils in one procurement attracts serious bids."
    assert with_run_in_heading(
        "Buy together: Joining councils in one procurement attracts serious bids.", source
    ) == ("**Buy together:** Joining councils in one procurement attracts serious bids.")
    assert (
        with_run_in_heading("Yes: report it to the ICO.", "Yes: report it to the ICO.")
        == "Yes: report it to the ICO."
    )
    assert council_short_name("Barnsley Metropolitan Borough Council") == "Barnsley"


def test_a_sentence_pointing_to_a_case_by_id_keeps_its_point_without_the_pointer() -> None:
    text = "Sunderland did not renew a £4.5 million analytics contract (`case-predictive-analytics-contracts-dropped`)."
    assert without_id_references(text) == "Sunderland did not renew a £4.5 million analytics contract."


def test_a_chat_opener_is_not_part_of_the_question() -> None:
    assert without_opener("quick one - what's a wayleave?") == "what's a wayleave?"
    assert without_opener("Hi all, where do we start on cyber?") == "where do we start on cyber?"
    assert without_opener("How quick is One Login to set up?") == "How quick is One Login to set up?"


def test_a_pronoun_after_an_opening_date_points_back() -> None:
    assert dangling("By August 2020 it had moved its staff home.")
    assert not dangling("In 2019 North Tyneside dropped a benefits tool.")


def test_a_named_case_question_asking_whether_it_worked_or_what_a_regulator_found_has_its_form() -> None:
    from assistant.compose.named_case import form_of

    def form(question: str) -> tuple[str, ...]:
        found = form_of(question)
        return found[1] if found else ()

    assert form("did the new phone system actually pay off?") == ("What happened",)
    assert form("Has the shared service saved anything yet?") == ("What happened",)
    assert form("what did the auditor find?")[0] == "What happened"
    assert form("did the promised savings ever come through?") == ("What happened",)
    # "How did they save money" asks how, which the case's summary answers; "work" as a noun is no verdict.
    assert form("How did the council save money on printing?") == ()
    assert form("did the council make home work possible for everyone?") == ()


def test_job_titles_and_units_are_not_names_a_common_question_must_mention() -> None:
    from assistant.compose.shapes import names_in

    assert names_in("we're a small district with 1.5 FTE, what can our CIO do?") == ()
    assert names_in("Is the CAF mandatory for the Local Digital Fund?") == ("CAF", "Local Digital Fund")


def test_a_term_followed_by_more_about_it_is_still_a_definition_question() -> None:
    from assistant.intent import asked_after_term, bare_term

    assert bare_term("what's a wayleave and why would we need one?") == "wayleave"
    assert asked_after_term("what's a wayleave and why would we need one?") == "why would we need wayleave?"
    assert bare_term("What is the cost and who pays?") is None  # a cost is no term
    assert asked_after_term("What is a UPRN?") is None


def test_a_case_sentence_naming_another_case_is_about_that_case() -> None:
    from assistant.compose.examples import names_another_case

    names = {"case-a": {"Aylesbury Vale"}, "case-b": {"Go Shared Services", "Publica"}}
    assert names_another_case("In 2015 four councils (Go Shared Services) published a case.", "case-a", names)
    assert not names_another_case("Aylesbury Vale, unlike Publica, stopped early.", "case-a", names)
    assert not names_another_case("The two councils announced a joint service.", "case-a", names)


def test_citations_are_renumbered_in_the_order_a_reader_meets_them() -> None:
    from assistant.answer import Citation
    from assistant.citations import in_reading_order

    cites = [Citation(n, f"doc-{n}", "T", "S", "", "") for n in (1, 2, 3)]
    text, renumbered = in_reading_order("Lead [1]\n\nAdded [3]\n\n- point [2]", cites)
    assert text == "Lead [1]\n\nAdded [2]\n\n- point [3]"
    assert [(c.n, c.doc_id) for c in renumbered] == [(1, "doc-1"), (2, "doc-3"), (3, "doc-2")]


def test_a_second_question_asked_in_the_same_breath_is_found() -> None:
    from assistant.compose.second import second_question

    assert (
        second_question("How did the county set up its hub, and is it still running?")
        == "is it still running?"
    )
    assert second_question("What happened to the bid? Did they appeal?") == "Did they appeal?"
    assert second_question("How do we plan and deliver a digital strategy?") is None


def test_a_case_is_named_by_its_initials() -> None:
    from assistant.rerank import cases_named_in

    cases = [
        ("case-loti", "London boroughs", "London Office of Technology and Innovation: boroughs pooling work")
    ]
    assert cases_named_in("What do boroughs pay to join LOTI?", cases) == ["case-loti"]
    assert cases_named_in("What do boroughs pay to join a lot?", cases) == []


def test_a_case_is_named_by_its_title_in_any_case_or_by_the_products_its_title_names() -> None:
    from assistant.rerank import cases_named_in

    cases = [
        ("case-go", "Go Shared Services partners: four councils", "Go Shared Services and Publica: sharing"),
        ("case-plan", "Two boroughs", "Two boroughs: open planning tools (RIPA and BOPS)"),
        ("case-ict", "Two districts", "Two districts: a joint ICT service (ICT)"),
    ]
    assert cases_named_in("What did GO Shared Services share?", cases) == ["case-go"]
    assert cases_named_in("What does BOPS do for planners?", cases) == ["case-plan"]
    assert cases_named_in("How do we share ICT with a neighbour?", cases) == []
    assert cases_named_in("Can we go shared on services?", cases) == []
    # Each name in the title's subject picks it out alone; in lower case too, being no everyday word.
    assert cases_named_in("Why did the Publica councils take services back?", cases) == ["case-go"]
    assert cases_named_in("why did the publica councils take services back?", cases) == ["case-go"]
    # A name that is also an everyday word names the case only as written.
    reading = [("case-reading", "Reading Borough Council", "Reading: a new website")]
    assert cases_named_in("What did Reading do with its website?", reading) == ["case-reading"]
    assert cases_named_in("Any reading on new websites?", reading) == []


def test_a_sentence_for_councils_in_some_condition_counts_less_for_a_question_without_it() -> None:
    from assistant.compose.pool import Asked, score_sentences

    def scored(question: str) -> float:
        s = _sentence("If your council is being reorganised, list every system first.", [1, 0, 0], 0.0)
        score_sentences([s], Asked(question, np.asarray([1, 0, 0], dtype=np.float32), lambda t: 1.0, "steps"))
        return s.score

    assert scored("We are being reorganised: what should we list first?") > scored(
        "What should we list first?"
    )


def test_a_measure_for_councils_in_some_condition_is_recognised_behind_its_label() -> None:
    from assistant.compose.pool import unmet_condition
    from assistant.text import analyze

    measure = "**Reorganisation readiness:** For councils being reorganised, the share of systems decided."
    assert unmet_condition(measure, set(analyze("What should we report to members about cyber?")))
    assert not unmet_condition(measure, set(analyze("We are being reorganised: what should we report?")))
    assert not unmet_condition("**Completion rate:** the share who finish.", set(analyze("website measures")))
    assert not unmet_condition(
        "If you have, or are negotiating, a contract, check it.", set(analyze("Money back?"))
    )


def test_a_point_that_adds_no_new_word_to_the_answer_is_dropped() -> None:
    from assistant.compose.choose import distinct
    from assistant.text import analyze

    lead = _sentence("The attack cost the council £1.14m and took 18 months to rebuild.", [1, 0, 0], 0.7)
    again = _sentence("The council's attack cost £1.14m.", [0, 1, 0], 0.5)
    new = _sentence("The regulator reprimanded the council for missing central logging.", [0, 0, 1], 0.5)
    for s in (lead, again, new):
        s.terms = set(analyze(s.text))
    assert distinct([again, new], [lead]) == [new]


def test_council_initials_name_no_case_and_a_case_of_several_councils_keeps_each() -> None:
    from assistant.compose.examples import names_another_case, own_names
    from assistant.rerank import cases_named_in

    cases = [("case-leeds", "Leeds City Council", "Leeds City Council: home working")]
    assert cases_named_in("Did LCC move its staff home?", cases) == []
    own = own_names({"council": "North Tyneside, Hackney and Sunderland", "title": "Three councils"})
    assert {"North Tyneside", "Hackney", "Sunderland"} <= own
    assert not names_another_case("Sunderland did not renew its contract.", "case-x", {"case-x": own})


def test_a_level_of_government_is_not_a_maturity_level_and_how_to_self_assess_gets_the_pointer() -> None:
    from assistant.compose.levels import asks_about_assessment, describes_itself

    assert not asks_about_assessment("Which level of government pays for rural broadband?")
    assert asks_about_assessment("We have MFA everywhere. What level are we at on security?")
    assert asks_about_assessment("We publish open data. Where are we on the data outcome?")
    assert asks_about_assessment("How do we self-assess our cyber security?")
    # Levels asked about in general are not this council's level.
    assert not asks_about_assessment("What separates Developing from Established on data?")
    assert asks_about_assessment("Are we Developing or Established on data?")
    # A council says where it is in its own words, not only with "we have".
    assert describes_itself("We webcast full council, and our petitions are paper only. What level is that?")
    assert not describes_itself("What level is a council that webcasts full council?")


def test_a_statement_then_a_question_is_one_question() -> None:
    from assistant.compose.second import second_question

    assert second_question("We have two people in IT and no budget, and what should we do first?") is None
    # Context, then a question, then a second one.
    assert second_question("We merged in 2023 - did it save money, and how long did the systems take?") == (
        "how long did the systems take?"
    )


def test_the_level_most_statements_reach_is_the_councils_lower_signs_hold_it_back_higher_are_in_place() -> (
    None
):
    from assistant.compose.levels import by_statement

    def sign(text: str, level: str, vector: list[float]) -> Sentence:
        meta = {"section": "Self-assessment", "heading_path": f"Self-assessment > {level}"}
        chunk = Chunk(id=text[:8], doc_id="outcome-data", text=text, metadata=meta)
        return Sentence(text, Hit(chunk, 1.0), 0, 0, np.asarray(vector, dtype=np.float32))

    starting = sign("Addresses are free text.", "Starting", [1, 0, 0, 0])
    developing = sign("Templates exist for sharing.", "Developing", [0, 1, 0, 0])
    developing_2 = sign("Some systems hold UPRNs.", "Developing", [0, 0, 1, 0])
    established = sign("A data strategy is agreed.", "Established", [0, 0, 0, 1])
    statements = {
        "we keep addresses as free text": [1, 0, 0, 0],
        "we have sharing templates": [0, 1, 0, 0],
        "a few systems hold uprns": [0, 0, 1, 0],
        "our data strategy is signed off": [0, 0, 0, 1],
    }

    def embed(texts: list[str]) -> np.ndarray:
        return np.asarray([statements[t] for t in texts], dtype=np.float32)

    question = (
        "We keep addresses as free text, we have sharing templates, a few systems hold UPRNs, "
        "and our data strategy is signed off. Level?"
    )
    found = by_statement(question.lower(), [starting, developing, developing_2, established], embed)
    assert found is not None
    level, matched, holding, beyond = found
    assert level == "Developing" and matched == [developing, developing_2]
    assert holding == [starting] and beyond == [established]


def test_a_name_the_common_question_never_mentions_counts_against_it_without_ruling_it_out() -> None:
    from assistant.compose.pool import Asked
    from assistant.compose.shapes import MISSING_NAME_PENALTY, common_question_score
    from assistant.sentences import encode_vectors

    meta = {
        "section": "Common questions",
        "heading_path": "Common questions > How can we speed up data-sharing agreements with the NHS?",
        "heading_vector": encode_vectors([[1.0, 0.0, 0.0]]),
    }
    chunk = Chunk(
        id="cq", doc_id="outcome-partnership", text="Use one template and one sign-off route.", metadata=meta
    )
    hit = Hit(chunk, 0.5, dense=0.8)

    def score(question: str) -> float:
        vector = np.asarray([1.0, 0.0, 0.0], dtype=np.float32)
        return common_question_score(hit, Asked(question, vector, lambda t: 1.0, "steps", question), 3)

    plain = score("how do we speed up data-sharing agreements?")
    named = score("how do we speed up data-sharing agreements with the ICB?")
    assert named <= plain - MISSING_NAME_PENALTY and named > 0.5  # less, but not ruled out


def test_the_council_in_a_case_of_several_councils_is_not_given_all_their_names() -> None:
    from assistant.sentence_rules import several_councils, with_council_name

    several = "North Tyneside Council, London Borough of Hackney and Sunderland City Council"
    assert (
        with_council_name("The council said it had not worked.", several)
        == "The council said it had not worked."
    )
    assert not several_councils("Redcar and Cleveland Borough Council")
    assert with_council_name(
        "The council refused to pay.", "Redcar and Cleveland Borough Council"
    ).startswith("Redcar and Cleveland")


def test_a_glossary_abbreviation_matches_the_words_it_stands_for() -> None:
    import re

    from assistant.compose.definition import term_pattern

    pattern = rf"\b{term_pattern('CAF for local government')}\b"
    assert re.search(pattern, "What is the Cyber Assessment Framework for local government?", re.I)
    assert re.search(pattern, "What is the CAF for local government?", re.I)
    assert not re.search(pattern, "What is the CAF?", re.I)
    # Written out, an abbreviation is its capitalised words, not any words with those initials.
    assert not re.search(rf"\b{term_pattern('CAF')}\b", "Can a fire station share data?", re.I)


def test_a_sentence_about_councils_at_large_is_not_about_the_case_council() -> None:
    from assistant.compose.examples import about_councils_at_large

    council = "Barnsley Metropolitan Borough Council"
    assert about_councils_at_large("A survey found 85% of county and unitary councils using AI.", council)
    assert about_councils_at_large("Auditors reviewed all 22 Welsh principal councils.", council)
    assert not about_councils_at_large("Barnsley joined, like many other councils.", council)
    assert not about_councils_at_large("The council expanded to 2,000 licences.", council)


def test_a_near_miss_is_about_the_almanac_when_a_top_passage_holds_its_rarest_word() -> None:
    from assistant.rerank import holds_rare_subject

    chunk = Chunk(id="c1", doc_id="outcome-services", text="A chatbot answers typed questions.", metadata={})
    weights = {"": 9.0, "chatbot": 4.0, "horoscop": 9.0}

    def idf(stem: str) -> float:
        return weights.get(stem, 1.0)

    assert holds_rare_subject("Is it better to buy a chatbot or build one?", [Hit(chunk, 1.0)], idf)
    # A word the almanac never uses is no subject it holds.
    assert not holds_rare_subject("What is my horoscope?", [Hit(chunk, 1.0)], idf)


def test_a_common_question_is_matched_by_any_way_the_guide_says_it_is_asked() -> None:
    from assistant.compose.pool import Asked
    from assistant.compose.shapes import asked_likeness
    from assistant.sentences import ASKED_VECTORS_KEY, encode_vectors

    meta = {
        "section": "Common questions",
        "heading_path": "Common questions > Can councillors vote remotely?",
        ASKED_VECTORS_KEY: encode_vectors([[0.0, 1.0, 0.0]]),
    }
    hit = Hit(Chunk(id="q", doc_id="outcome-democracy", text="No.", metadata=meta), 1.0, dense=0.5)
    heading = np.asarray([1.0, 0.0, 0.0], dtype=np.float32)

    def asked(vector: list[float]) -> Asked:
        return Asked("q", np.asarray(vector, dtype=np.float32), lambda t: 1.0, "yes-no", "q")

    assert asked_likeness(hit, heading, asked([0.0, 1.0, 0.0]), 3) == pytest.approx(1.0)  # as another asks it
    assert asked_likeness(hit, heading, asked([1.0, 0.0, 0.0]), 3) == pytest.approx(
        1.0
    )  # as the heading asks
    assert asked_likeness(hit, heading, asked([0.0, 0.0, 1.0]), 3) == pytest.approx(0.0)


@pytest.mark.parametrize(
    ("question", "pair"),
    [
        ("How is a DPIA different from an ATRS record?", ("DPIA", "ATRS record")),
        (
            "What's the difference between Project Gigabit and the Shared Rural Network?",
            ("Project Gigabit", "Shared Rural Network"),
        ),
        ("UPRN vs USRN - what's the difference?", ("UPRN", "USRN")),
        ("Should we build or buy our website platform?", None),
    ],
)
def test_a_comparison_names_the_two_things_it_compares(question: str, pair: tuple[str, str] | None) -> None:
    from assistant.compose.comparison import compared_terms

    assert compared_terms(question) == pair


def test_a_glossary_entrys_opening_cannot_lead_an_answer_that_is_not_its_definition() -> None:
    from assistant.compose.wording import leadable

    meta = {"section": "Terms", "heading_path": "Terms > Digital Inclusion Action Plan"}
    chunk = Chunk(id="g1", doc_id="framework-glossary", text="x", metadata=meta)
    opening = Sentence(
        "The government's plan to tackle digital exclusion, published in 2025.",
        Hit(chunk, 1.0),
        0,
        0,
        np.zeros(3),
    )
    later = Sentence(
        "It estimated 1.6 million people offline in February 2025.", Hit(chunk, 1.0), 0, 1, np.zeros(3)
    )
    assert not leadable(opening, "steps")
    later.text = "Councils can bid to its fund, which was £9.5m at launch in August 2025."
    assert leadable(later, "steps")


def test_a_product_the_almanac_never_mentions_is_named_in_a_note_but_jargon_and_councils_are_not() -> None:
    from assistant.compose.notes import unknown_names_note

    almanac = "councils use microsoft copilot; the cmt and mfa; notes of meetings; tunbridge; wells"

    def mentions(name: str) -> bool:
        return name.lower() in almanac

    assert "Magic Notes" in unknown_names_note("Has anyone evaluated Magic Notes for social work?", mentions)
    assert unknown_names_note("Has anyone used Microsoft Copilot?", mentions) == ""
    assert unknown_names_note("Our CMT wants MFA everywhere. Where do we start?", mentions) == ""
    assert unknown_names_note("We're Tunbridge Wells Borough Council. Where do we start?", mentions) == ""
    # Each sentence's first word is capitalised anyway.
    assert unknown_names_note("Our centre is swamped. Could Magicians help?", mentions) == ""
    # One capitalised word, rare in English and never in the almanac, is a product; a place is context.
    assert "Salesforce" in unknown_names_note("Salesforce or Dynamics for a council CRM?", mentions)
    assert unknown_names_note("We are a small district in Tendring. Where do we start?", mentions) == ""
    assert unknown_names_note("Cllr on audit. What should I ask about cyber?", mentions) == ""


def test_a_yes_or_no_question_after_some_context_is_still_yes_or_no() -> None:
    from assistant.compose.shapes import yes_or_no

    assert yes_or_no("Our SAR backlog is awful. do we still have to search every system?")
    assert yes_or_no("Do we have to publish ATRS records?")
    assert not yes_or_no("Should we have an AI policy, and what should it say?")
    assert not yes_or_no("We merged in 2023. What happened to the websites?")


def test_a_comparison_uses_the_glossary_entry_for_the_whole_term_only() -> None:
    from assistant.compose.comparison import entry_for

    def entry(heading: str) -> Sentence:
        meta = {"section": "Terms", "heading_path": f"Terms > {heading}"}
        chunk = Chunk(id=heading[:12], doc_id="framework-glossary", text="x", metadata=meta)
        return Sentence(f"About {heading}.", Hit(chunk, 1.0), 0, 0, np.zeros(3))

    entries = [
        entry("ATRS (Algorithmic Transparency Recording Standard)"),
        entry("Cyber Security and Resilience Bill"),
    ]
    assert entry_for("an ATRS record", entries)[0].heading.startswith("ATRS")
    assert entry_for("the Algorithmic Transparency Recording Standard", entries)
    assert entry_for("cyber security", entries) == []  # a heading that merely contains the words


def test_an_aside_counting_a_council_among_things_named_before_is_dropped() -> None:
    from assistant.sentence_rules import without_pointing_aside

    assert (
        without_pointing_aside("Leicester, one of the eight, identified a cyber incident.")
        == "Leicester identified a cyber incident."
    )
    assert (
        without_pointing_aside("One of the three councils moved back.")
        == "One of the three councils moved back."
    )


def test_the_councils_the_almanac_names_are_known_by_their_short_names() -> None:
    from assistant.council_names import council_names, councils_in

    names = council_names(
        [
            "Surrey County Council told suppliers.",
            "Redcar and Cleveland Borough Council",
            "London Borough of Hackney",
            "How Kent County Council did it",
            "a Town Council",
            "West Devon Borough Council",
        ]
    )
    assert {"Surrey", "Redcar", "Cleveland", "Hackney", "Kent"} <= names
    assert not {"How", "Town", "West"} & names
    assert councils_in("What did Surrey tell its suppliers, and Kent?", names) == ["Kent", "Surrey"]
    assert councils_in("What did our council tell its suppliers?", names) == []


def test_a_second_question_may_follow_an_if_clause() -> None:
    from assistant.compose.second import first_part, second_question

    question = "Is that lawful now, and if we keep a person in the loop, what counts as real review?"
    assert second_question(question) == "what counts as real review?"
    assert first_part(question) == "Is that lawful now"


def test_the_risks_of_doing_what_a_council_did_are_its_lessons_not_its_summary() -> None:
    from assistant.compose.pool import case_sections_asked, summary_answers

    question = "What are the risks of a 20-year partnership like Sunderland's?"
    assert case_sections_asked(question)[0] == "What others can learn"
    assert not summary_answers(question)
    # A "risk tool" is a thing, not a question about risks.
    assert summary_answers("How did North Tyneside use its benefits risk tool?")
    # What a case did is no reason for doing it.
    assert not summary_answers("Why did North Tyneside stop using its benefits risk tool?")


def test_a_definition_of_a_term_the_asker_used_is_no_supporting_point() -> None:
    from assistant.compose.wording import defines_asked_term

    question = "ransomware hit - who do we have to report to?"
    assert defines_asked_term("Ransomware is malicious software that locks files.", question)
    assert not defines_asked_term("Councils are required to report within 72 hours.", question)


def test_a_case_sentence_about_councils_in_general_is_not_that_councils_story() -> None:
    from assistant.compose.examples import about_councils_at_large

    sentence = (
        "In August 2024, Audit Wales reviewed the digital strategies of all 22 Welsh principal councils."
    )
    assert about_councils_at_large(sentence, "Bristol City Council")
    # A case about councils together is about them all.
    assert not about_councils_at_large(
        "Many councils used the shared Consul platform.", "Scottish councils and COSLA"
    )


def test_a_label_naming_the_self_assessment_is_not_a_statement_about_the_council() -> None:
    from assistant.compose.levels import statements_in

    statements = statements_in("Self-assessment on data: one dashboard live, no data owner. Where are we?")
    assert "Self-assessment on data" not in statements
    assert "one dashboard live" in statements


def test_a_how_much_question_hears_sums_and_a_how_many_question_any_figure() -> None:
    from assistant.sentence_rules import gives_figure

    money = "How much did the rollout cost our neighbours?"
    assert gives_figure("The council spent £1.2m over two years.", money)
    assert not gives_figure("About 4,000 staff were affected in 2021.", money)
    count = "How many schools got new laptops?"
    assert gives_figure("About 4,000 pupils were helped.", count)
    assert not gives_figure("The scheme started in 2021.", count)  # a year is no count
    # A question that asks more than the figure hears other points too.
    assert gives_figure("The team rebuilt its systems by 2023.", money + " And how long did it take?")


def test_a_how_long_question_hears_spans_and_dates_not_counts_or_sums() -> None:
    from assistant.sentence_rules import gives_figure

    span = "How long did the new payroll system take to bed in?"
    assert gives_figure("The migration took about 14 months.", span)
    assert gives_figure("Staff were back on the system by March 2023.", span)  # one end of the span
    assert not gives_figure("About 1,200 staff were paid late.", span)
    assert not gives_figure("In May 2022 the fix cost £40,000.", span)  # dated, but a sum


def test_a_common_question_about_money_does_not_answer_how_long_or_the_other_way() -> None:
    from assistant.compose.composer import other_figure

    money = "What does a new social care case system cost a council?"
    duration = "How long does it take to move to a new social care case system?"
    assert other_figure(money, "How long will our case system migration run?")
    assert other_figure(duration, "How much should we budget for a new case system?")
    assert not other_figure(money, "How much will our case system migration cost?")
    assert not other_figure(money, "How long will it take, and what will it cost?")  # asks both


def test_a_follow_up_asking_what_we_should_do_is_told_from_one_pointing_back() -> None:
    from assistant.query import asks_for_us

    assert asks_for_us("so should we bring our contact centre in-house now?")
    assert asks_for_us("Is it worth us joining a regional data partnership?")
    assert asks_for_us("do we need to tell the regulator as well?")
    assert not asks_for_us("should we do the same as them?")  # points back at the council before
    assert not asks_for_us("should we copy it?")
    assert not asks_for_us("what sort of savings could we expect?")  # asks of the subject before


def test_a_sentence_retold_in_another_document_is_not_a_second_point() -> None:
    from assistant.compose.choose import opens_alike

    guide = "A county survey in 2021 found that 40 of its 120 parishes had no mobile signal, so it began mapping masts."
    case = (
        "A county survey in 2021 found that 40 of its 120 parishes had no mobile signal at the village hall."
    )
    assert opens_alike(case, guide)
    assert not opens_alike("A county survey in 2023 found better coverage in most parishes.", guide)
    assert not opens_alike(
        "Short sentence.", "Short sentence."
    )  # too short to judge; the exact check catches it


def test_a_guides_answers_to_other_questions_do_not_keep_out_its_section() -> None:
    from assistant.documents import Chunk
    from assistant.retrieval import Hit, diversify

    def hit(n: int, doc: str, section: str) -> Hit:
        return Hit(Chunk(f"{doc}-{n}", doc, "text", {"section": section}), 1.0 / n)

    ranked = [
        hit(1, "outcome-data", "Common questions"),
        hit(2, "outcome-data", "Common questions"),
        hit(3, "case-a", "What happened"),
        hit(4, "outcome-data", "What it means for a council"),
        hit(5, "outcome-data", "Where to start"),
    ]
    chosen = [h.chunk.id for h in diversify(ranked, k=6, max_per_doc=2)]
    # one common question, then the guide's section; still two places for the guide in all
    assert chosen == ["outcome-data-1", "case-a-3", "outcome-data-4"]


def test_a_point_saying_the_opening_again_in_its_words_is_dropped() -> None:
    from assistant.compose.choose import restates
    from assistant.text import analyze

    def said(text: str, vector: list[float]) -> Sentence:
        s = _sentence(text, vector, 0.6)
        s.terms = set(analyze(text))
        return s

    opening = said(
        "Three councils moved most services back, keeping ICT, customer services and benefits.", [1, 0]
    )
    again = said(
        "The company keeps ICT, customer services and benefit payments for the councils.", [0.8, 0.6]
    )
    new = said("Councillors were concerned about sovereignty, control and further savings.", [0.8, 0.6])
    assert restates(again, [opening])
    assert not restates(new, [opening])  # alike in meaning, but in words of its own
    far = said("The company keeps ICT, customer services and benefit payments for the councils.", [0.3, 0.95])
    assert not restates(far, [opening])


def test_a_council_name_typed_in_lower_case_is_known_unless_it_is_an_everyday_word() -> None:
    from assistant.council_names import councils_in
    from assistant.rerank import cases_named_in

    names = frozenset({"Surrey", "Reading", "Gloucester"})
    assert councils_in("what did surrey tell its suppliers?", names) == ["Surrey"]
    assert councils_in("any reading on this for Gloucester?", names) == ["Gloucester"]
    cases = [("case-gloucester", "Gloucester City Council", "Gloucester: a cyber attack")]
    assert cases_named_in("what did the ico find about gloucester?", cases) == ["case-gloucester"]


def test_shortened_county_names_are_written_in_full() -> None:
    from assistant.query import spelled_out

    assert "Nottinghamshire" in spelled_out("how much gainshare did notts get back?")


def test_a_summary_cut_before_its_last_clause_joins_the_things_done_with_and() -> None:
    from assistant.compose.wording import as_statement

    summary = (
        "How Derby City Council introduced AI assistants, used the results to justify a contract, "
        "and what councils should weigh before following: the savings were a forecast."
    )
    assert as_statement(summary) == (
        "Derby City Council introduced AI assistants and used the results to justify a contract."
    )
    # An aside between commas is one thing done, not a list.
    aside = "How Leeds, working with partners, built a team, and what others can learn."
    assert as_statement(aside) == "Leeds, working with partners, built a team."


def test_a_date_is_no_figure() -> None:
    from assistant.sentence_rules import FIGURE_RE

    assert not FIGURE_RE.search("On 8 February 2020 the council found the attack.")
    assert FIGURE_RE.search("Government gave a grant of £3.68m.")
    assert FIGURE_RE.search("It took 18 months.")


def test_a_share_of_those_named_before_points_back() -> None:
    from assistant.sentence_rules import dangling

    assert dangling("From November 2024 three of them moved most services back in-house.")
    assert dangling("Most of those councils kept their own websites.")
    assert not dangling("Three of the four councils moved most services back in-house.")


def test_a_sentence_opening_by_using_what_went_before_points_back() -> None:
    from assistant.sentence_rules import dangling

    assert dangling("Using it lets analysts see households and places as well as individuals.")
    assert not dangling("Using the UPRN lets analysts see households and places.")


def test_of_three_questions_in_one_the_last_is_answered_second() -> None:
    from assistant.compose.second import first_part, second_question

    question = (
        "it came in by email, right? how long were they inside before encrypting, and what did the ICO find"
    )
    assert second_question(question) == "what did the ICO find"
    assert first_part(question).endswith("how long were they inside before encrypting")
    assert second_question("What did Wigan change, and did it save money?") == "did it save money?"


def test_a_scheme_named_with_its_initials_that_the_almanac_never_mentions_is_noted() -> None:
    known = {"household", "support", "fund", "broadband", "residents"}

    def mentions(name: str) -> bool:
        return name.lower() in known  # every word, but not the scheme or its initials

    question = "Can Household Support Fund money pay for broadband, and what are the HSF rules?"
    assert "Household Support Fund" in unknown_names_note(question, mentions)
    assert unknown_names_note("Can Household Support Fund money pay for broadband?", mentions) == ""


def test_a_merger_is_the_condition_a_reorganisation_heading_sets() -> None:
    from assistant.compose.pool import unmet_condition
    from assistant.text import analyze

    heading = "If your council is being reorganised,"
    assert unmet_condition(heading, set(analyze("How do we make our online forms work for residents?")))
    assert not unmet_condition(heading, set(analyze("We're merging into a new unitary council next year.")))


def test_a_verdict_of_its_own_goes_when_the_question_asked_the_other_way_round() -> None:
    from assistant.compose.composer import negated

    assert negated("Is it illegal for a council to pay a ransom?") != negated(
        "Is it legal for us to pay a ransom?"
    )
    assert negated("Can't councillors vote from home?") and not negated("Can councillors vote from home?")
    assert without_verdict("Not yet, as of March 2026. The Home Office said it would legislate.") == (
        "The Home Office said it would legislate."
    )
    assert without_verdict("Not as far as we can confirm as of 2026: councillors must attend.") == (
        "Councillors must attend."
    )


def test_a_list_introduced_in_bold_is_read_with_its_introduction() -> None:
    from assistant.sentences import split_chunk

    text = (
        "**The council's side included:**\n\n- keeping council tax frozen\n- protecting frontline services\n"
    )
    assert split_chunk(text) == [
        "The council's side included: keeping council tax frozen; protecting frontline services."
    ]


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("is the new framework still worth it?", True),
        ("worth joining?", True),
        ("any good?", True),
        ("anyone tried a shared SOC with neighbours?", True),
        ("any good ideas for getting councillors online?", False),
        ("anyone know where to start on data ethics?", False),
        ("what is worth doing first?", False),
    ],
)
def test_a_yes_or_no_asked_without_its_verb_is_still_yes_or_no(question: str, asks: bool) -> None:
    from assistant.compose.shapes import yes_or_no

    assert yes_or_no(question) is asks


@pytest.mark.parametrize(
    ("word", "action"),
    [("uploading", True), ("scanning", True), ("copying", True), ("geofencing", False), ("phishing", False)],
)
def test_an_ing_word_made_from_a_common_verb_is_something_done_not_a_subject(word: str, action: bool) -> None:
    from assistant.compose.notes import doing

    assert doing(word) is action


@pytest.mark.parametrize(
    ("sentence", "named"),
    [
        ("Basingstoke and Deane's 2016 outline business case asked for £376,000.", True),
        ("Socitm found that shared services often stall.", True),
        ("Agree a generative AI policy early.", False),
        ("**Quick wins:** Where a tool shapes decisions, carry out a DPIA.", False),
    ],
)
def test_a_sentence_opening_with_a_name_is_told_from_advice(sentence: str, named: bool) -> None:
    from assistant.compose.shapes import opens_with_name

    assert opens_with_name(sentence) is named


@pytest.mark.parametrize(
    ("question", "changes_subject"),
    [
        ("Thanks - separate question: who runs LOTI?", True),
        ("cheers. different thing, what's a UPRN?", True),
        ("Right, changing the subject: how do we run a hackathon?", True),
        ("On another note, is there funding for cyber?", True),
        ("unrelated, but what is Open Referral UK?", True),
        ("what about a different council, did anyone else try it?", False),
        ("another question: how much did it cost them?", False),
        ("okay so how did they manage that?", False),
    ],
)
def test_a_question_that_says_it_changes_the_subject_is_recognised(
    question: str, changes_subject: bool
) -> None:
    assert bool(NEW_TOPIC_RE.search(question)) is changes_subject


@pytest.mark.parametrize(
    ("question", "asks_for_councils"),
    [
        ("Have councils passed their own retired laptops to residents?", True),
        ("Did any councils keep webcasting after the pandemic?", True),
        ("Do councils have to publish ATRS records?", False),  # whether they must, not which do
        ("Have we got to publish ATRS records?", False),
        ("Do councils' websites have to meet WCAG 2.2?", False),
    ],
)
def test_a_question_opening_with_councils_as_its_subject_asks_for_councils(
    question: str, asks_for_councils: bool
) -> None:
    assert asks_for("examples", question) is asks_for_councils


def _scored(text: str, doc_type: str, section: str, score: float) -> Sentence:
    chunk = Chunk(
        id=text[:12], doc_id=f"{doc_type}-x", text=text, metadata={"section": section, "type": doc_type}
    )
    s = Sentence(text, Hit(chunk, 1.0), 0, 0, np.zeros(3, dtype=np.float32))
    s.score = score
    return s


def test_asked_whether_we_must_a_guides_close_sentence_leads_before_another_councils_story() -> None:
    story = _scored(
        "The regulator reprimanded the council in July 2024.", "case-study", "What happened", 0.72
    )
    rule = _scored("The law requires a report within 72 hours.", "guidance", "Common questions", 0.60)
    far = _scored("Publish a complaints route.", "guidance", "Common questions", 0.50)
    asked = "A caseworker lost a folder of residents' files. Must we tell the regulator?"
    assert guide_for_us([story, rule, far], story, asked, "yes-no") is rule
    assert guide_for_us([story, far], story, asked, "yes-no") is None  # too far behind the story to lead
    # What a council did is what "what happened at...?" or "which councils...?" asks for.
    assert guide_for_us([story, rule], story, "What happened when the regulator stepped in?", "other") is None
    assert guide_for_us([story, rule], story, "Did the regulator reprimand the council?", "yes-no") is None
