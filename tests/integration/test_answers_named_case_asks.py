"""What a question asks of one council's case, answered from the part of the case that says it, on the real
corpus and model."""

from __future__ import annotations

from assistant.rag import Assistant


def test_what_a_council_did_with_its_old_kit_is_its_own_story_not_the_problem(assistant: Assistant) -> None:
    answer = assistant.ask("What did Ealing do with the staff devices it replaced?")
    first = answer.text.split("\n\n")[0]
    # The story sits in one long list item, which had been too long to quote at all.
    assert "Reconome" in first
    assert "the easy option" not in first  # the case's account of the problem, which the question restates


def test_a_question_with_its_context_after_a_dash_is_answered_with_the_action(assistant: Assistant) -> None:
    answer = assistant.ask("Essex had dozens of websites - what did they do about it?")
    first = answer.text.split("\n\n")[0]
    assert "LocalGov Drupal" in first
    # "ended up with", "had dozens" is context: no note that the sources lack a count of sites closed.
    assert "no sourced figure" not in first


def test_a_case_summary_written_as_a_headline_reads_as_a_statement(assistant: Assistant) -> None:
    answer = assistant.ask("Tell me about Hackney's ransomware attack")
    assert not answer.text.startswith("How ")
    assert "A case about" not in answer.text  # a line about the document, not the council


def test_asked_what_a_named_attack_cost_the_sum_leads(assistant: Assistant) -> None:
    answer = assistant.ask(
        "What did the Hackney ransomware attack cost, and how long did it take to recover?"
    )
    first = answer.text.split("\n\n")[0]
    assert "£10m" in first or "£12.2m" in first


def test_a_story_told_with_it_after_an_opening_clause_comes_with_its_subject(assistant: Assistant) -> None:
    answer = assistant.ask("Which councils have given their old staff laptops to community groups?")
    for line in answer.text.splitlines():
        assert "Rather than scrap the old machines, it" not in line.split(":**")[-1].lstrip()[:40]


def test_each_question_of_several_about_a_case_gets_its_answer(assistant: Assistant) -> None:
    answer = assistant.ask(
        "When did 100% Digital Leeds begin, and how many digital champions has the programme trained so far?"
    )
    assert "2015" in answer.text
    assert "3,000" in answer.text  # the count, from the case's list of results


def test_a_list_of_names_after_its_introduction_is_quoted_whole(assistant: Assistant) -> None:
    answer = assistant.ask(
        "Future Councils pilot: how much did each council get, and which councils took part?"
    )
    assert "£750,000" in answer.text
    for council in ("Cornwall", "Lewisham", "Stevenage"):  # one-word items of a list, once lost as too short
        assert council in answer.text


def test_a_product_the_almanac_never_mentions_with_nothing_near_is_declined(assistant: Assistant) -> None:
    answer = assistant.ask("How should we configure Jamf to manage the tablets councillors use for papers?")
    assert answer.status == "no_evidence"
    assert not answer.citations


def test_a_residents_own_matter_is_not_pointed_at_the_almanacs_outcomes(assistant: Assistant) -> None:
    answer = assistant.ask("my recycling box was not emptied on tuesday, who do I call?")
    assert answer.status == "out_of_scope"
    assert "nearest" not in answer.text.lower()


def test_two_questions_each_answered_by_a_guides_common_question(assistant: Assistant) -> None:
    answer = assistant.ask(
        "Information governance lead here. Under the new data act, must a subject access search cover every "
        "system we hold, and can we pause the deadline while we wait for proof of ID?"
    )
    first, second = answer.text.split("\n\n")[:2]
    assert "reasonable and proportionate search" in first  # the answer to the first question leads
    assert "stop the clock" in second


def test_an_answer_about_one_councils_case_has_at_most_two_supporting_points(assistant: Assistant) -> None:
    answer = assistant.ask("What did Barnsley do about Copilot licences?")
    points = [line for line in answer.text.splitlines() if line.startswith("- ")]
    assert len(points) <= 2


def test_a_later_ask_the_opening_answers_in_other_words_adds_nothing(assistant: Assistant) -> None:
    answer = assistant.ask(
        "What did each Future Councils pilot council receive, and what did it have to deliver?"
    )
    assert answer.text.count("£750,000") == 1  # the opening gives it; the case's own account would repeat it


def test_a_later_ask_for_what_it_cost_gets_the_sum_not_another_figure(assistant: Assistant) -> None:
    answer = assistant.ask(
        "how did Leeds get thousands of office staff working from home in March 2020, and what did the switch "
        "end up costing the council?"
    )
    assert "£895,000" in answer.text


def test_what_one_council_of_a_pair_did_is_its_own_account_not_the_pairs_summary(
    assistant: Assistant,
) -> None:
    answer = assistant.ask("What did Tendring do with the laptops it no longer needed?")
    first = answer.text.split("\n\n")[0]
    assert first.startswith("Tendring")  # not "Two councils passed on laptops..."
    assert "local firm" in first


def test_what_a_council_did_is_told_with_the_actions_its_case_lists(assistant: Assistant) -> None:
    leeds = assistant.ask("What did Leeds actually do to tackle digital exclusion?")
    # The case lists its methods as labelled items whose subject is "it": told with the council named.
    assert "Digital champions" in leeds.text
    assert "Leeds City Council trained volunteers" in leeds.text
    runnymede = assistant.ask("What did Runnymede do to make committee papers easier to follow?")
    assert "Modern.gov" in runnymede.text.split("\n\n")[0]
    assert "email alerts" in runnymede.text  # the features that make them easier to follow


def test_what_a_council_did_opens_with_its_decision_not_one_item_of_a_list(assistant: Assistant) -> None:
    answer = assistant.ask("What did Hackney do to build up its own tech team?")
    first = answer.text.split("\n\n")[0]
    assert "apprenticeships" in first
    assert not first.startswith("**")  # not "Training partners: ..." alone
    points = [line for line in answer.text.splitlines() if line.startswith("- ")]
    assert 1 <= len(points) <= 2


def test_a_council_that_joined_a_shared_platform_is_part_of_the_platforms_story(assistant: Assistant) -> None:
    # The case's councils are its founders "and partner councils": one that joined later is no other council.
    answer = assistant.ask("Is LocalGov Drupal only used by small councils, or are bigger ones on it too?")
    assert "Essex County Council" in answer.text.split("\n\n")[0]
