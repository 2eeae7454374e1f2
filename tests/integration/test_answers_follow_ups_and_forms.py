"""A follow-up answered for what it newly asks, a case's latest report on whether it paid off, a "what does good
look like" question answered from that section, and questions typed without their verb. On the real corpus and
model."""

from __future__ import annotations

from assistant.compose.notes import NO_DIRECT_ANSWER, SPECIFIC_GAP
from assistant.rag import Assistant
from tests.conversation import follow_up


def _opening(text: str) -> str:
    return text.split("\n\n")[0]


def test_a_follow_up_is_answered_for_what_it_newly_asks_not_with_the_answer_already_given(
    assistant: Assistant,
) -> None:
    first = "We're a small council with almost no IT staff. Where should we begin with cyber security?"
    then = "Can we get any central government funding for that?"
    answer = follow_up(assistant, first, then)
    # The guide's answer on funding, not its answer on where to start (given already) or another guide's
    # answer to the first question.
    assert "There is no general grant" in _opening(answer.text)
    assert "CAF Support Fund" in answer.text
    assert not answer.text.startswith(assistant.ask(first).text[:60])


def test_a_follow_up_about_the_case_just_discussed_is_answered_with_what_came_of_it(
    assistant: Assistant,
) -> None:
    answer = follow_up(
        assistant,
        "what is participatory budgeting?",
        "did the scottish councils hit their 1% target in the end?",
    )
    opening = _opening(answer.text)
    assert "met" in opening and "2023" in opening
    assert not opening.startswith(
        "At least 1% of council budgets should be"
    )  # the target, not whether it was met


def test_whether_it_paid_off_is_answered_by_the_latest_report(assistant: Assistant) -> None:
    derby = assistant.ask("Did Derby's AI assistants actually save money, or was that just a forecast?")
    assert "has been delivered" in _opening(derby.text)  # January 2026, not the first phase's 2024 figures
    assert "forecast" in derby.text  # and the 2024 forecast it was measured against
    wigan = assistant.ask("did Wigan's Deal actually save money?")
    assert "£140m" in _opening(wigan.text)  # the budget reductions, not the £1m from channel shift alone


def test_what_good_looks_like_is_answered_from_that_section_not_a_yes_or_no_answer_alike_in_its_words(
    assistant: Assistant,
) -> None:
    answer = assistant.ask("What does good look like for a council's work on broadband and mobile coverage?")
    assert not answer.text.startswith("District councils have no statutory duty")
    assert {c.section for c in answer.citations[:1]} == {"What good looks like"}
    assert answer.text.count("\n- ") >= 3  # several signs, not one


def test_a_yes_or_no_typed_without_its_verb_keeps_the_guides_verdict(assistant: Assistant) -> None:
    answer = assistant.ask("anyone still signing the local digital declaration? worth it?")
    assert answer.text.startswith("Yes")


def test_an_everyday_action_in_a_question_is_not_reported_as_a_subject_the_almanac_lacks(
    assistant: Assistant,
) -> None:
    answer = assistant.ask("what are the risks of staff uploading resident case notes into chatgpt")
    assert SPECIFIC_GAP not in answer.text
    # The guide's paragraph on the risk goes on past its example to what to do about it.
    assert "approved tools" in answer.text


def test_only_a_follow_up_read_with_the_question_before_it_carries_that_question(
    assistant: Assistant,
) -> None:
    first = "We're a small council with almost no IT staff. Where should we begin with cyber security?"
    follow = assistant.reader.read("Can we get any central government funding for that?", [first], None)
    assert follow.earlier == first and follow.query.startswith(first)
    # A question read alone carries none, however its words are spelled out for retrieval ("CRM", "TCO").
    alone = assistant.reader.read("What goes into the TCO of a new CRM?", [first], None)
    assert alone.earlier == ""
    assert alone.query != "What goes into the TCO of a new CRM?"  # spelled out, yet not a follow-up


def test_a_question_told_with_its_situation_first_gets_the_guides_answer_to_what_it_asks(
    assistant: Assistant,
) -> None:
    answer = assistant.ask(
        "Officers have started using AI chatbots without asking anyone. What should a council's generative AI "
        "policy contain?"
    )
    assert _opening(answer.text).startswith("A good policy names approved tools")


def test_a_question_asked_from_the_other_side_does_not_get_the_guides_verdict(assistant: Assistant) -> None:
    # The guide asks whether councillors can vote remotely, and answers "Not as far as we can confirm...";
    # asked whether they must be in the room, that verdict would read as the opposite answer.
    answer = assistant.ask("must councillors be in the room to vote on a planning application?")
    assert answer.text.startswith("Councillors in England must be physically present")


def test_a_case_defined_by_its_glossary_entry_still_answers_the_rest_of_the_question(
    assistant: Assistant,
) -> None:
    answer = assistant.ask("What is LocalGov Drupal, and how much money could it save us?")
    assert answer.text.startswith("**LocalGov Drupal:**")
    assert "£500,000" in answer.text  # the benefits-case estimate, from the case
    terms = assistant.ask("what's digital maturity?")
    assert terms.text.startswith(
        "**Digital maturity:** How well an organisation uses digital ways of working"
    )


def test_a_question_asking_for_indicators_by_name_gets_the_guides_measures(assistant: Assistant) -> None:
    answer = assistant.ask("Which measures should we report to members on ransomware risk?")
    assert answer.citations[0].section == "Measures and indicators"
    assert answer.citations[0].doc_id == "outcome-security-and-resilience"
    assert answer.text.count("\n- ") >= 3  # the guide's measures, not a sentence that shares "members"


def test_whether_we_must_report_a_breach_is_answered_by_the_law_not_another_councils_reprimand(
    assistant: Assistant,
) -> None:
    answer = assistant.ask(
        "A caseworker emailed a spreadsheet of residents' details to the wrong person. Must we tell the ICO?"
    )
    opening = _opening(answer.text)
    assert "72 hours" in opening
    assert answer.citations[0].doc_type != "case-study"


def test_a_lost_device_is_answered_as_a_personal_data_breach_not_as_a_cyber_attack(
    assistant: Assistant,
) -> None:
    answer = assistant.ask(
        "One of our social workers has had a work phone stolen with clients' details on it. Is that reportable?"
    )
    opening = _opening(answer.text)
    assert answer.citations[0].doc_id == "outcome-data"
    assert "72 hours" in opening and "risk" in opening
    assert "ransomware" not in opening


def test_a_level_is_the_answer_only_when_the_question_asks_for_one(assistant: Assistant) -> None:
    def kind(question: str) -> str:
        return assistant.intents.classify(question, assistant.embeddings.embed_query(question)).kind

    # Alike in subject to the maturity examples, but asking how to show what was delivered, not for a level.
    assert kind(
        "Cabinet keeps asking what our digital strategy has achieved. How can we demonstrate it?"
    ) != ("maturity")
    assert kind("How mature is our cyber security compared with where we should be?") == "maturity"


def test_a_follow_up_that_only_makes_sense_with_the_earlier_subject_is_read_with_it(
    assistant: Assistant,
) -> None:
    # Alone, "kit" finds donated laptops; with the switch-off before it, the guide's list of affected equipment.
    answer = follow_up(
        assistant,
        "When is the analogue phone network being shut down?",
        "what kit of ours stops working then?",
    )
    opening = _opening(answer.text)
    assert "lift" in opening and "alarm" in opening
    assert NO_DIRECT_ANSWER not in answer.text


def test_a_question_that_says_it_changes_the_subject_is_not_read_with_the_earlier_one(
    assistant: Assistant,
) -> None:
    first = "Do AI assistants really save councils money?"
    then = "Separate question - what's Open Referral and should we use it?"  # "it" is Open Referral
    reading = assistant.reader.read(then, [first], None)
    assert reading.earlier == ""
    answer = follow_up(assistant, first, then)
    assert "Open Referral" in _opening(answer.text)
    assert "saving" not in _opening(answer.text)


def test_a_guides_answer_is_not_padded_with_another_councils_background(assistant: Assistant) -> None:
    answer = assistant.ask(
        "We're a rural district with no money for broadband. Anything we can do to get fibre and masts built?"
    )
    assert answer.citations[0].section.startswith("Common questions")
    # What councils did and learned may follow a guide's answer; a case's account of its own situation may not.
    assert not [
        c for c in answer.citations[1:] if c.doc_type == "case-study" and c.section == "The challenge"
    ]


def test_who_is_using_it_asks_for_councils_not_for_what_it_is(assistant: Assistant) -> None:
    answer = follow_up(
        assistant, "Should we move our website onto LocalGov Drupal?", "who's running it already?"
    )
    assert answer.kind == "examples"
    assert answer.citations[0].doc_id == "case-localgov-drupal"  # its take-up, not the glossary's definition
    assert "council" in _opening(answer.text)


def test_a_follow_up_asking_what_we_should_do_is_answered_by_the_guide_not_the_case_before(
    assistant: Assistant,
) -> None:
    answer = follow_up(
        assistant,
        "what happened with the Aylesbury Vale and Dacorum ICT partnership?",
        "so is it worth us sharing a service with the next-door district before reorganisation?",
    )
    assert answer.citations[0].doc_id == "outcome-partnership"
    assert "reorganisation is coming" in _opening(answer.text)
    assert "does not mention" not in answer.text  # no note that the case lacks what was asked


def test_a_follow_up_asking_again_for_what_the_last_answer_told_is_told_it_again(
    assistant: Assistant,
) -> None:
    answer = follow_up(
        assistant,
        "what did Somerset do to bring the five councils' systems together for vesting day?",
        "how did they sort out the address data?",
    )
    # Its own words ("address data") weigh as much as the merger it is read with, and what the last answer
    # already said of them is said again rather than padding about other work.
    assert "Gazetteer" in _opening(answer.text)
