"""Questions about a council's case, and questions asking how many or how much, read as an officer would,
on the real corpus and model."""

from __future__ import annotations

import re

from assistant.rag import Assistant
from tests.conversation import follow_up


def first_line(text: str) -> str:
    return text.strip().splitlines()[0]


def points(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("- ")]


def test_a_councils_case_is_told_apart_from_its_others_by_what_is_asked(assistant: Assistant) -> None:
    # Hackney has three cases; encrypted servers are the attack, not its apprentices or its child-risk tool.
    answer = assistant.ask(
        "When Hackney's servers were encrypted in 2020, which of its services kept working?"
    )
    assert answer.citations[0].doc_id == "case-hackney-ransomware"
    assert all(c.doc_id != "case-hackney-hackit-apprenticeships" for c in answer.citations)


def test_a_how_many_question_is_not_led_by_advice_without_a_figure(assistant: Assistant) -> None:
    answer = assistant.ask("How many homes can get full fibre?")
    lead = first_line(answer.text)
    assert re.search(r"\d+%", lead), lead
    assert "wayleave" not in lead.lower()


def test_a_how_much_did_it_cost_question_hears_sums_not_other_findings(assistant: Assistant) -> None:
    answer = assistant.ask("How much did Hackney's attack cost?")
    assert "£12.2m" in first_line(answer.text)
    assert all("£" in point for point in points(answer.text)), answer.text
    assert "misunderstood the facts" not in answer.text


def test_a_question_asking_cost_and_more_keeps_the_points_on_the_rest(assistant: Assistant) -> None:
    answer = assistant.ask("How much did Hackney's attack cost, and how long did recovery take?")
    assert "£" in answer.text
    assert "2022" in answer.text  # some services were not back to normal until 2022


def test_a_why_question_about_a_case_opens_with_the_reason(assistant: Assistant) -> None:
    answer = assistant.ask("Why did the Publica councils take most of their services back in-house?")
    assert "sovereignty" in first_line(answer.text)


def test_a_council_question_no_sentence_comes_near_says_so_before_the_nearest_guidance(
    assistant: Assistant,
) -> None:
    # The almanac has chatbots and has Wales, but nothing on chatbots answering in Welsh.
    answer = assistant.ask("Must the chatbot on our website also answer in Welsh?")
    assert first_line(answer.text).startswith("The almanac has nothing")


def test_a_measures_question_read_under_another_outcome_gets_the_measures_it_asks_about(
    assistant: Assistant,
) -> None:
    answer = assistant.ask("Which indicators would show that our data work is getting better?")
    assert answer.citations[0].doc_id == "outcome-data"
    assert answer.citations[0].section == "Measures and indicators"
    assert len(points(answer.text)) >= 2
    assert not answer.text.startswith("The almanac has nothing")


def test_a_guides_section_is_found_past_its_answers_to_other_questions(assistant: Assistant) -> None:
    # The data guide's account of the Act names the ICO's new powers; its common questions on subject
    # access and complaints are about other things.
    answer = assistant.ask("Which powers did the Data (Use and Access) Act give the ICO?")
    assert "compelling interviews" in answer.text


def test_what_a_council_actually_saved_is_its_result_not_its_forecast(assistant: Assistant) -> None:
    answer = follow_up(
        assistant,
        "Should we put an AI assistant on our phone lines to handle routine calls?",
        "what did Derby actually save from theirs?",
    )
    # The latest report of a saving delivered (January 2026), not the 2024 forecast.
    assert "has been delivered" in first_line(answer.text)
    assert "hoped to save" not in first_line(answer.text)


def test_a_follow_up_using_a_word_from_the_last_answer_stays_on_its_subject(assistant: Assistant) -> None:
    answer = follow_up(
        assistant,
        "What did the Telecare National Action Plan say about analogue-to-digital adaptors?",
        "so should we just buy like-for-like replacements for the old alarms?",
    )
    assert "telecare" in answer.text.lower()
    assert all("local businesses" not in c.section for c in answer.citations)


def test_a_council_typed_in_lower_case_or_shortened_is_still_its_case(assistant: Assistant) -> None:
    answer = assistant.ask("how much gainshare did notts get back from its broadband contract?")
    assert answer.citations[0].doc_id == "case-nottinghamshire-superfast-gainshare"
    assert "£5m" in answer.text
    answer = assistant.ask("how long were the attackers inside gloucester's network?")
    assert answer.citations[0].doc_id == "case-gloucester-cyber-attack"


def test_a_why_question_hears_the_cause_told_of_the_council_it_names(assistant: Assistant) -> None:
    answer = assistant.ask("why did hackney drop the xantura child risk project?")
    assert "expected benefits" in first_line(answer.text)
    # Two councils named: the answer covers both, not one council's reason.
    both = assistant.ask("Why did North Tyneside and Hackney both drop their predictive tools?")
    assert "North Tyneside" in first_line(both.text) and "Hackney" in first_line(both.text)


def test_what_an_evaluation_said_was_saved_opens_with_its_sums(assistant: Assistant) -> None:
    answer = follow_up(
        assistant,
        "how much does a borough pay to be in LOTI",
        "what did the GLA evaluation say LOTI actually saved",
    )
    lead = first_line(answer.text)
    assert "£300,000" in lead and "£1.4m" in lead


def test_what_a_case_does_not_report_is_said_when_asked(assistant: Assistant) -> None:
    answer = assistant.ask(
        "did hackney's digital apprentices actually stay with the council after finishing?"
    )
    assert "do not report how many digital apprentices" in answer.text
    assert "over two thirds" in first_line(answer.text)  # the council-wide figure the case does give


def test_a_follow_up_opening_with_and_goes_on_with_the_last_turn(assistant: Assistant) -> None:
    answer = follow_up(
        assistant,
        "what did midlothian do about webcasting its cabinet?",
        "and did switching to planning committee actually get more people watching",
    )
    assert answer.citations[0].doc_id == "case-midlothian-webcasting"


def test_each_part_of_a_three_part_question_about_a_case_is_answered(assistant: Assistant) -> None:
    answer = assistant.ask(
        "gloucester came in through a supplier email, right? how long were the attackers inside, "
        "and what did the ICO pick them up on"
    )
    # How long: the month the case says they spent inside, before the servers were encrypted in December.
    assert "about a month" in answer.text and "December" in answer.text
    assert "central logging" in answer.text


def test_a_question_the_almanac_lacks_with_nothing_near_is_declined_plainly(assistant: Assistant) -> None:
    answer = assistant.ask("do we need planning permission to put EV chargers in our own council car parks")
    assert answer.status == "no_evidence" and answer.refused
    assert answer.text.startswith("The almanac has nothing specific on")
    assert "The nearest part of the almanac is" in answer.text
    assert not answer.citations


def test_of_a_councils_cases_the_one_far_nearer_the_conversation_is_meant(assistant: Assistant) -> None:
    answer = follow_up(
        assistant,
        "how did 100% digital leeds get going in the first place?",
        "can we just reuse their model, what are the stages",
    )
    assert all(c.doc_id != "case-leeds-home-working-switch" for c in answer.citations)
    assert "four stages" in answer.text


def test_how_long_recovery_takes_is_answered_with_spans_of_time_not_costs(assistant: Assistant) -> None:
    answer = assistant.ask("If we're hit by ransomware, how long until we're back to normal?")
    first = answer.text.split("\n\n")[0]
    assert "months" in first and "eight months" in first
    assert "£" not in first  # not the guide's answer on what an attack costs
