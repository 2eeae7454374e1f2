"""Self-descriptions placed on the levels, and follow-ups that ask again, read as an officer would, on the real
corpus and model."""

from __future__ import annotations

from assistant.answer import Turn
from assistant.rag import Assistant
from tests.conversation import follow_up


def test_a_follow_up_asking_again_for_a_figure_the_last_answer_gave_gets_it(assistant: Assistant) -> None:
    first = "Tell me what Ealing and Tendring did with staff laptops they no longer needed"
    earlier = assistant.ask(first)
    assert "79 laptops" in earlier.text  # said once already
    answer = assistant.ask("so how many devices did tendring hand over?", history=[Turn(first, earlier.text)])
    assert answer.status == "answered"  # the case is named: it was refused as too far from everything
    assert "79 laptops" in answer.text
    assert "no figure" not in answer.text


def test_a_labelled_self_description_asking_where_we_are_is_placed(assistant: Assistant) -> None:
    answer = assistant.ask(
        "Cyber self-assessment: Cyber Essentials is in place, we have MFA for remote access and backups run "
        "nightly but have never been test-restored, and there is no incident response plan. Where are we?"
    )
    assert answer.text.startswith("**Closest level: Starting.**")
    assert "To reach Developing:" in answer.text


def test_a_lack_after_but_keeps_a_statement_from_earning_a_higher_sign(assistant: Assistant) -> None:
    answer = assistant.ask(
        "Democracy self-assessment: our papers go out on modern.gov with email alerts, we webcast cabinet and "
        "full council but have no idea how many people watch, and each department consults on its own survey "
        "tool. Where are we, and what should we do next?"
    )
    placed, _, rest = answer.text.partition("To reach")
    assert placed.startswith("**Closest level: Starting.**")
    assert "webcast with no idea of who watches" in placed  # the lack, matched as the Starting sign it is
    assert "Webcasting is targeted at the meetings residents watch" not in answer.text
    assert "no figure" not in answer.text  # "how many people watch" describes the council; it asks no figure


def test_a_sign_of_a_level_does_not_answer_how_to_do_better(assistant: Assistant) -> None:
    answer = assistant.ask(
        "Our consultations are run by each service on its own survey tool. What's a better way?"
    )
    # The Starting sign says the same as the question; the answer is what to do instead.
    assert "Self-assessment" not in answer.citations[0].section
    assert "consultation" in answer.text.splitlines()[0].lower()


def test_whether_a_tool_worked_hears_that_its_sources_publish_no_figures(assistant: Assistant) -> None:
    answer = assistant.ask(
        "Has BOPS reduced invalid planning applications at the councils that use it? Our head of planning "
        "wants evidence."
    )
    assert "do not publish measured figures" in answer.text  # asked in the first sentence, not the last
    # "BOPS, a back-office planning system..." is a list item naming a product, not a sentence.
    assert "BOPS, a back-office" not in answer.text


def test_a_question_about_another_bodys_maturity_work_is_not_sent_to_our_self_assessment(
    assistant: Assistant,
) -> None:
    answer = assistant.ask(
        "How did Scotland's Digital Office get councils to sign up to its maturity assessment?"
    )
    assert "Digital Office" in answer.text
    assert "/assess" not in answer.text
    mine = assistant.ask("How mature are we on leadership if digital has no owner on the top team?")
    assert "/assess" in mine.text


def test_an_award_named_council_of_the_year_is_no_other_council(assistant: Assistant) -> None:
    answer = assistant.ask("what savings total did wigan report for the deal?")
    # "When the council was named LGC Council of the Year in 2018, it reported £140m..." is Wigan's own figure.
    assert "£140m" in answer.text.splitlines()[0]


def test_a_possessive_typed_without_its_apostrophe_names_the_case_and_the_sum_leads(
    assistant: Assistant,
) -> None:
    answer = assistant.ask("how much did hackneys cyber attack cost the council and what did the ICO find?")
    assert answer.citations[0].doc_id == "case-hackney-ransomware"
    assert "£" in answer.text.splitlines()[0]  # the sum asked first leads
    assert "dormant account" in answer.text  # and the regulator's finding follows


def test_why_a_joint_case_ended_opens_with_its_reason_and_a_second_ask_gets_its_lesson(
    assistant: Assistant,
) -> None:
    answer = assistant.ask(
        "Why did Aylesbury Vale and Dacorum give up their shared IT service? Our chief exec wants to merge ICT "
        "with the next district, so what should we check first?"
    )
    opening, _, rest = answer.text.partition("\n\n")
    assert "financial benefit was not enough" in opening  # the reason, though it names neither council
    assert "What others can learn" in {c.section for c in answer.citations}  # what to check, from its lessons
    assert "Publica" not in opening


def test_a_claimed_saving_comes_with_the_sentence_saying_it_was_an_estimate(assistant: Assistant) -> None:
    answer = assistant.ask("LocalGov Drupal says each council saves about £500,000. Is that figure real?")
    assert "£500,000" in answer.text
    assert "not audited results" in answer.text
    assert "Derby" not in answer.text  # a guide's sentence on another council's savings is not this case


def test_the_council_leader_in_a_case_is_that_councils_leader(assistant: Assistant) -> None:
    answer = assistant.ask(
        "What did Redcar and Cleveland's leader tell MPs about councillors and cyber risk?"
    )
    assert "Redcar and Cleveland leader" not in answer.text


def test_a_price_the_almanac_does_not_hold_is_declined_not_answered_with_another_sum(
    assistant: Assistant,
) -> None:
    answer = assistant.ask("what is the price of a Microsoft 365 E5 licence per user?")
    assert answer.status == "no_evidence"
    assert "£" not in answer.text  # no Copilot bill or licence saving to be taken for the price asked


def test_whether_a_case_still_does_something_is_answered_by_what_happened_after(assistant: Assistant) -> None:
    answer = assistant.ask("Does Camden still hold a residents' panel on data every year?")
    assert "did not continue" in answer.text.splitlines()[0]
    assert "Camden Talks" in answer.text


def test_a_follow_up_asking_cost_and_results_gets_the_sums_and_what_is_not_reported(
    assistant: Assistant,
) -> None:
    answer = follow_up(
        assistant,
        "tell me about the flood sensor networks councils in west yorkshire are trying",
        "what did that cost, and has it worked?",
    )
    assert "£" in answer.text.splitlines()[0]  # the sum leads, not the case's summary again
    assert "do not report measured results" in answer.text


def test_a_follow_up_naming_a_council_but_pointing_back_stays_on_the_earlier_subject(
    assistant: Assistant,
) -> None:
    answer = follow_up(
        assistant,
        "tell me about the future councils pilot",
        "was leicester's 2024 cyber attack connected to it?",
    )
    assert "links the incident to the pilot" in answer.text


def test_two_councils_compared_are_each_given_their_own_say(assistant: Assistant) -> None:
    answer = assistant.ask("How do the Gloucester and Redcar cyber attacks compare on cost?")
    gloucester, _, redcar = answer.text.partition("\n\n")
    assert gloucester.startswith("**Gloucester") and "£" in gloucester  # in the order the question names them
    assert redcar.startswith("**Redcar") and "£" in redcar
    assert {c.doc_id for c in answer.citations} == {
        "case-gloucester-cyber-attack",
        "case-redcar-cleveland-ransomware",
    }


def test_a_guides_yes_or_no_to_another_question_is_not_given_as_the_answer(assistant: Assistant) -> None:
    answer = assistant.ask(
        "can our comms team install tiktok on council phones, or has government banned it?"
    )
    # The nearest guide answer is about telecare users and digital phone lines: its "No" is no reply to this.
    assert not answer.text.startswith(("No,", "Yes,", "No.", "Yes."))


def test_an_acronym_typed_in_lower_case_is_still_the_acronym(assistant: Assistant) -> None:
    answer = assistant.ask("whats tco and why does finance keep asking for it?")
    assert answer.citations[0].section.endswith("What is total cost of ownership, and why does it matter?")


def test_the_next_level_starts_with_the_gaps_the_council_named(assistant: Assistant) -> None:
    answer = assistant.ask(
        "Leadership self-assessment: our digital strategy is approved but only funded a year at a time, some "
        "councillors have had cyber training, and we still have no policy on generative AI. Where are we and "
        "what should we do next?"
    )
    _, _, ahead = answer.text.partition("To reach Established:")
    assert "generative AI policy" in ahead.strip().splitlines()[0]


def test_a_councils_cost_comes_from_its_case_without_other_councils_bills(assistant: Assistant) -> None:
    answer = assistant.ask(
        "what did the gloucester cyber attack cost the council in the end, and how much data went?"
    )
    assert answer.citations[0].doc_id == "case-gloucester-cyber-attack"
    assert "£" in answer.text.splitlines()[0]
    assert not any(name in answer.text for name in ("Hackney", "Redcar", "Copeland"))


def test_a_sum_is_given_from_the_cases_account_not_its_lessons(assistant: Assistant) -> None:
    answer = assistant.ask(
        "how much money did the essex data pilot help bring in, and who set up the centre after?"
    )
    opening = answer.text.split("\n\n")[0]
    assert "£3m" in opening and "University of Essex" in opening
    assert not opening.startswith("**Use the pilot")


def test_asked_which_of_two_levels_a_council_is_placed_by_the_degree_of_what_it_says(
    assistant: Assistant,
) -> None:
    answer = assistant.ask(
        "Our digital workforce plan has been approved and is funded, we run the staff skills survey every "
        "year and have digital champions in most teams. Are we developing or established on organisational "
        "capability?"
    )
    assert answer.text.startswith("**Closest level: Established.**")  # a verdict, not both levels' lists
    # "approved" and "every year" are no plan "in draft" or a survey "run once"
    assert "in draft" not in answer.text and "run once" not in answer.text
