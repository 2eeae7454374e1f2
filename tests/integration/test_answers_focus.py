"""Answers that keep to what was asked: where a guide's answer begins for the question put, a bare "How?" after
a statement, a verdict that answers another question, and nothing said twice. On the real corpus and model."""

from __future__ import annotations

import re

from assistant.rag import Assistant


def _opening(text: str) -> str:
    return text.split("\n\n")[0]


def test_a_guide_answer_begins_where_it_answers_the_named_body(assistant: Assistant) -> None:
    answer = assistant.ask("What were Audit Wales's findings on the digital strategies of Welsh councils?")
    # The guide's answer to "what should a strategy contain?" opens with its advice; the finding comes second.
    assert _opening(answer.text).startswith("In August 2024 Audit Wales found")


def test_a_bare_how_after_a_statement_asks_how_it_was_done(assistant: Assistant) -> None:
    answer = assistant.ask("Leeds moved more than 10,000 staff to home working almost overnight. How?")
    assert "laptops" in answer.text
    assert "VPN" in answer.text  # how it was done, from what the council did


def test_a_verdict_for_another_question_does_not_open_the_answer(assistant: Assistant) -> None:
    answer = assistant.ask("What does the Cyber Assessment Framework ask councils to do?")
    assert not re.match(r"(Yes|No|Not)\b", answer.text)
    answer = assistant.ask("What is the Local Digital Declaration and who has signed it?")
    for paragraph in answer.text.split("\n\n"):
        assert not paragraph.startswith("Because")  # "Yes, because it is free..." without its "Yes"


def test_a_later_ask_does_not_repeat_what_the_opening_said(assistant: Assistant) -> None:
    answer = assistant.ask("How much did Barnsley's Copilot trial cost and what did staff save?")
    assert answer.text.count("Copilot licences at about £300,000") == 1


def test_an_outcome_asked_about_as_a_whole_is_what_it_means_then_where_to_start(assistant: Assistant) -> None:
    answer = assistant.ask("Tell me about the inclusion outcome")
    opening = _opening(answer.text)
    assert "everyone should be able to enjoy the benefits of the internet" in opening
    assert not opening.rstrip(" []0123456789").endswith(":")  # no list introduction without its list
    assert "Where the Inclusion guide says to start:" in answer.text
    assert {c.doc_id for c in answer.citations} == {"outcome-inclusion"}


def test_steps_for_merging_councils_are_not_given_to_a_council_that_is_not_merging(
    assistant: Assistant,
) -> None:
    answer = assistant.ask("How do we make our online forms work for residents?")
    assert "merging councils" not in answer.text
    assert "vesting day" not in answer.text


def test_what_a_council_found_is_its_finding_and_what_it_changed_follows(assistant: Assistant) -> None:
    answer = assistant.ask(
        "What did Midlothian find when it looked at webcasting cabinet meetings, and what did it change?"
    )
    opening = _opening(answer.text)
    assert "£400 an hour" in opening and "13 live viewers" in opening
    assert "planning committee" in answer.text
    assert "no sourced number" not in answer.text  # a note on the evidence answers neither ask


def test_a_short_verdict_opens_a_guide_answer_to_a_yes_or_no_first_ask(assistant: Assistant) -> None:
    answer = assistant.ask(
        "Is it ok for officers to paste council data into ChatGPT, and what data is off limits?"
    )
    assert answer.text.startswith("Not without rules.")


def test_a_passage_runs_on_past_a_council_named_only_in_passing(assistant: Assistant) -> None:
    answer = assistant.ask(
        "Scottish participatory budgeting: how much went through it, and which platform was used?"
    )
    # "...first built by Madrid City Council" is about the software, not another council's story
    assert "Consul" in answer.text


def test_a_reason_given_as_a_point_comes_with_what_it_meant(assistant: Assistant) -> None:
    answer = assistant.ask("Why did Aylesbury Vale and Dacorum abandon their joint ICT service?")
    assert "financial benefit was not enough" in _opening(answer.text)
    assert "supplier to the other" in answer.text  # Socitm's reason, with the sentence that says what it was


def test_a_point_bringing_what_the_question_asks_for_is_kept_though_its_list_is_long(
    assistant: Assistant,
) -> None:
    answer = assistant.ask(
        "Which features came with Runnymede's move to Modern.gov, and did engagement go up?"
    )
    # The features list reads far from the question as a whole, but it holds the word the question asks about.
    assert "email alerts" in answer.text


def test_a_follow_up_naming_the_thing_the_last_answer_spoke_of_is_read_with_it(assistant: Assistant) -> None:
    from assistant.answer import Turn

    first = "What was Greater Manchester's joint full fibre procurement?"
    earlier = assistant.ask(first)
    # "the contract" is the one the last answer spoke of; read alone, the question found nothing to answer it
    answer = assistant.ask(
        "who won the contract, and how much central money went in?", history=[Turn(first, earlier.text)]
    )
    assert answer.status == "answered"
    assert "£23.8m" in answer.text
    assert "case-greater-manchester-full-fibre" in {c.doc_id for c in answer.citations}
