"""Answers shaped by what is asked, read as a council officer would, on the real corpus and model."""

from __future__ import annotations

import re

from assistant.answer import Turn
from assistant.rag import Assistant


def first_line(text: str) -> str:
    return text.strip().splitlines()[0]


def test_a_how_do_we_question_gets_the_guides_first_steps_as_a_numbered_list(assistant: Assistant) -> None:
    answer = assistant.ask("How do we prepare our council for a cyber attack?")
    assert answer.kind == "steps"
    steps = [line for line in answer.text.splitlines() if re.match(r"^\d+\. ", line)]
    assert 2 <= len(steps) <= 4
    assert "backup" in answer.text.lower() and "multi-factor" in answer.text.lower()
    first_cited = answer.citations[0]
    assert first_cited.doc_id == "outcome-security-and-resilience" and "Where to start" in first_cited.section
    # The guide's summary never leads.
    assert "withstand, detect and recover" not in first_line(answer.text)


def test_a_small_council_governance_question_leads_with_governance_steps(assistant: Assistant) -> None:
    answer = assistant.ask("How can a district council with a small team improve its data governance?")
    assert answer.status == "answered"
    assert answer.citations[0].doc_id == "outcome-data"
    lead = first_line(answer.text)
    assert not re.search(r"\bwas a district council\b", lead) and "ransomware" not in lead.lower()


def test_a_new_topic_after_a_conversation_is_answered_on_its_own(assistant: Assistant) -> None:
    earlier = "What happened in Redcar's ransomware attack?"
    answer = assistant.ask("What is a UPRN?", history=[Turn(earlier, assistant.ask(earlier).text)])
    assert answer.kind == "definition"
    assert first_line(answer.text).startswith("**UPRN")
    assert answer.citations[0].doc_id == "framework-glossary"
    assert "ransom" not in answer.text.lower()


def test_council_questions_with_everyday_words_are_answered(assistant: Assistant) -> None:
    for question in (
        "How do councils use weather sensors to predict flooding?",
        "What are the key ingredients of a good digital strategy?",
    ):
        answer = assistant.ask(question)
        assert answer.status == "answered" and answer.citations, question


def test_everyday_requests_are_refused_with_the_rule_that_fired(assistant: Assistant) -> None:
    answer = assistant.ask("Tell me a joke about spreadsheets")
    assert answer.status == "out_of_scope" and answer.rule == "everyday-request"
    answer = assistant.ask("When is my bin collected?")
    assert answer.status == "out_of_scope" and answer.rule == "personal-matter"


def test_an_examples_question_names_councils_with_what_they_did(assistant: Assistant) -> None:
    answer = assistant.ask("Which councils have reused devices to help residents get online?")
    assert answer.kind == "examples"
    assert answer.citations[0].doc_type == "case-study"
    assert any(c.doc_type == "case-study" for c in answer.citations)


def test_citations_carry_the_documents_review_date(assistant: Assistant) -> None:
    answer = assistant.ask("What is the Cyber Incident Response service?")
    assert answer.citations and all(
        re.fullmatch(r"\d{4}-\d{2}-\d{2}", c.reviewed or "") for c in answer.citations
    )


def test_a_maturity_question_explains_the_levels_and_points_to_the_self_assessment(
    assistant: Assistant,
) -> None:
    answer = assistant.ask("How mature is our council on data?")
    assert answer.kind == "maturity" and answer.status == "answered"
    assert "Starting" in answer.text and "Leading" in answer.text
    assert "almanac assess" in answer.text or "/assess" in answer.text
