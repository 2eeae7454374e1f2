"""Composition rules that need no model: council labels, summaries as leads, bare-term questions, gap notes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.compose.notes import partial_coverage_note
from assistant.compose.wording import about_another_council, as_statement, case_label, states
from assistant.documents import Chunk
from assistant.intent import IntentClassifier, bare_term
from assistant.retrieval import Hit
from assistant.sentences import split_chunk
from evals.calibrate import CalibrationError
from evals.calibrate_common import best_threshold, load
from tests.fakes import HashingEmbeddings


def test_a_sentence_opening_with_another_council_is_not_listed_under_this_one() -> None:
    assert about_another_council(
        "Kent County Council's scheme collected laptops at libraries.", "Essex County Council"
    )
    assert not about_another_council("Essex County Council collected laptops.", "Essex County Council")
    assert not about_another_council("Councils reported savings.", "Essex County Council")


def test_a_summary_that_describes_its_document_cannot_lead() -> None:
    assert states("How Wigan Council used a deal with residents to cut costs.")  # rewritten as a statement
    assert not states("How a flood in 2015 closed a data centre, and what the council learned.")
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


def test_common_question_pairs_name_the_line_at_fault(tmp_path: Path) -> None:
    path = tmp_path / "pairs.jsonl"
    path.write_text(
        json.dumps({"question": "q", "answer": None}) + "\n" + json.dumps({"question": "q2"}) + "\n"
    )
    with pytest.raises(CalibrationError, match=r"pairs.jsonl:2"):
        load(path)


def test_the_best_common_question_threshold_weighs_wrong_leads_double() -> None:
    rows = [(0.9, True), (0.8, True), (0.7, False), (0.65, True), (0.6, False), (0.55, False)]
    threshold, right, wrong = best_threshold(rows)
    assert (threshold, right, wrong) == (0.8, 2, 0)


def test_a_summary_listing_its_contents_leads_with_its_first_clause_only() -> None:
    summary = (
        "How Kirklees Council moved its phones to the cloud in 2023, what it cost, and what others can learn."
    )
    assert as_statement(summary) == "Kirklees Council moved its phones to the cloud in 2023."


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
