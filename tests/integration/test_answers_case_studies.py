"""Answers about one council's case study: the case meant when a name picks out several, the case's own
account rather than another council's told beside it, what came of it, how long it took, and what the case
does not mention. On the real corpus and model."""

from __future__ import annotations

from assistant.answer import Answer
from assistant.rag import Assistant
from tests.conversation import follow_up


def _opening(text: str) -> str:
    return text.split("\n\n")[0]


def _first_source(answer: Answer) -> str:
    return answer.citations[0].doc_id if answer.citations else ""


def test_a_name_two_cases_share_is_told_apart_by_what_only_one_of_them_speaks_of(
    assistant: Assistant,
) -> None:
    # "Somerset" names Somerset Council's merger and Connecting Devon and Somerset's broadband contracts.
    merger = assistant.ask("What did Somerset's merger cost and what did it save?")
    assert _first_source(merger) == "case-somerset-unitary-merger"
    assert "Gigaclear" not in merger.text and "Project Gigabit" not in merger.text
    broadband = assistant.ask("What happened with Somerset's broadband contracts?")
    assert _first_source(broadband) == "case-connecting-devon-somerset-contracts"


def test_a_case_is_answered_from_its_own_account_not_from_other_councils_told_beside_it(
    assistant: Assistant,
) -> None:
    answer = assistant.ask("How much did the GO Shared Services partnership save?")
    assert _first_source(answer) == "case-go-shared-services"
    # The case says plainly that no verified figure exists; the national total and two other councils' shared
    # ICT, which the case gives for comparison, are not what this partnership saved.
    assert "no independently verified figure" in _opening(answer.text)
    assert "Dacorum" not in answer.text
    assert "626 council partnerships" not in answer.text


def test_a_case_known_by_a_programme_name_is_found_by_it(assistant: Assistant) -> None:
    answer = assistant.ask("How did the Digital Pathfinders programme help councils with connectivity?")
    assert _first_source(answer) == "case-digital-pathfinders-connectivity"
    assert "Digital Pathfinders" in _opening(answer.text)
    # The summary's line about the document itself is not quoted.
    assert "The case sets out" not in answer.text


def test_what_happened_to_people_afterwards_is_what_the_case_says_of_them(assistant: Assistant) -> None:
    answer = assistant.ask("What happened to Hackney's apprentices after the HackIT scheme?")
    opening = _opening(answer.text)
    assert "stayed with the council" in opening
    assert "need time to become productive" not in answer.text  # the case's caution, not what happened
    assert "do not report how many digital apprentices" in answer.text  # and what is not known, said plainly


def test_how_long_is_answered_by_the_span_the_case_gives(assistant: Assistant) -> None:
    copeland = assistant.ask("How long did it take Copeland to recover from the ransomware attack?")
    assert "before March 2019" in _opening(copeland.text)
    gloucester = assistant.ask("How long did Gloucester take to rebuild after its cyber attack?")
    assert "18 months" in _opening(gloucester.text)
    # A span counted in words is the answer, and is no missing figure; "offline for months" says less.
    redcar = assistant.ask(
        "How long did Redcar and Cleveland take to recover from ransomware, and did they pay?"
    )
    assert "roughly eight months" in _opening(redcar.text)
    assert "did not pay" in redcar.text


def test_a_body_the_case_never_mentions_is_said_to_be_missing_from_it(assistant: Assistant) -> None:
    answer = assistant.ask("What did the ICO say about Redcar and Cleveland?")
    assert _opening(answer.text).startswith(
        "The almanac's account of Redcar and Cleveland Borough Council does not mention the ICO."
    )
    # Where the case does mention it, spelled out or not, the answer is the finding itself.
    gloucester = assistant.ask("What did the ICO say about Gloucester?")
    assert "does not mention" not in gloucester.text
    assert "reprimanded" in _opening(gloucester.text)


def test_a_point_is_not_made_twice_with_and_without_the_list_it_introduces(assistant: Assistant) -> None:
    answer = assistant.ask("How did Kent link health and care data?")
    assert answer.text.count("Kent and its partners built the Kent Integrated Dataset (KID).") <= 1


def test_two_figures_asked_at_once_are_answered_by_the_sentence_that_gives_both(assistant: Assistant) -> None:
    answer = assistant.ask("what did copeland's ransomware attack cost them and how long did recovery take?")
    opening = _opening(answer.text)
    assert "£2m" in opening and "March 2019" in opening
    # A span the opening gives already is not asked again in a paragraph of its own.
    gloucester = assistant.ask("How much did Gloucester's attack cost and how long did the rebuild take?")
    assert "18 months" in _opening(gloucester.text)
    assert gloucester.text.count("18 months") == 1


def test_a_case_lesson_does_not_answer_a_question_of_fact(assistant: Assistant) -> None:
    answer = assistant.ask("hackney digital apprentices - how much off-the-job learning time did they get?")
    assert "20%" in _opening(answer.text)
    assert not _opening(answer.text).startswith("**Protect the learning time")  # the lesson, not the fact


def test_what_a_body_does_is_what_its_case_says_it_was_set_up_to_do(assistant: Assistant) -> None:
    answer = assistant.ask("What does LOTI do for London boroughs?")
    assert "shared office" in _opening(answer.text)
    assert "£30,000" not in _opening(answer.text)


def test_another_councils_figures_told_in_a_case_are_not_its_own(assistant: Assistant) -> None:
    answer = assistant.ask("greater manchester full fibre contract - how many km of fibre and how many sites")
    assert "Norfolk" not in answer.text  # the case mentions Norfolk's 372 sites for comparison
    assert "2,700 km" in answer.text


def test_a_follow_up_answer_names_what_it_is_about(assistant: Assistant) -> None:
    answer = follow_up(assistant, "tell me about LocalGov Drupal", "how much does it save a council")
    assert _opening(answer.text).startswith("**LocalGov Drupal:**")
    assert "£500,000" in answer.text


def test_did_it_happen_is_answered_first_by_what_the_sources_do_not_report(assistant: Assistant) -> None:
    answer = follow_up(assistant, "who is sunderland's 5g partner", "did the jobs they promised materialise")
    assert "do not report whether the jobs forecast has been met" in _opening(answer.text)
    assert "more than 100 jobs" in answer.text  # then what was forecast


def test_what_a_programme_achieved_is_its_results_not_the_gap_in_its_sources(assistant: Assistant) -> None:
    answer = follow_up(
        assistant,
        "what did bristol's digital transformation programme cost",
        "what did it actually achieve",
    )
    assert "Seven of the thirteen original projects were complete" in _opening(answer.text)
    assert "Lincolnshire" not in answer.text


def test_a_question_asking_how_and_how_much_is_answered_with_the_sum(assistant: Assistant) -> None:
    answer = assistant.ask(
        "Nottinghamshire apparently got money back from its broadband contract. How did that work, and how much?"
    )
    assert "£5m" in _opening(answer.text) and "gainshare" in _opening(answer.text)
    joined = assistant.ask("What does it cost a borough to join LOTI, and what do they get for it?")
    assert "£30,000" in _opening(joined.text)
    assert not _opening(joined.text).startswith("**")  # "LOTI" names the case: no label needed


def test_what_a_programme_achieved_in_numbers_is_that_its_sources_give_none(assistant: Assistant) -> None:
    answer = assistant.ask("What did the West Midlands digital skills programme achieve in numbers?")
    assert "rather than measured results" in _opening(answer.text)


def test_what_a_named_case_is_comes_from_its_summary(assistant: Assistant) -> None:
    answer = assistant.ask(
        "What is the Essex Centre for Data Analytics, who's in it and what has it worked on?"
    )
    opening = _opening(answer.text)
    assert "Essex Police and the University of Essex" in opening
    assert "school readiness" in answer.text  # what it has worked on, answered after
    one_view = assistant.ask("What is Barking and Dagenham's One View?")
    assert "Big Brother Watch" not in _opening(one_view.text)
    assert "One View" in _opening(one_view.text) and "Xantura" in _opening(one_view.text)


def test_what_a_council_decided_to_do_is_its_action_not_the_sector_count(assistant: Assistant) -> None:
    answer = assistant.ask(
        "Essex had something like 60 websites. What did they decide to do about them, and what did the "
        "migration contract cost?"
    )
    opening = _opening(answer.text)
    assert "decided to consolidate" in opening
    assert "£300,000" in answer.text
    assert "59 council websites" not in answer.text


def test_one_council_of_a_joint_case_is_answered_with_what_it_did(assistant: Assistant) -> None:
    answer = assistant.ask("What did Tendring do with its old laptops?")
    assert _opening(answer.text).startswith("Tendring")
    assert "Ealing" not in answer.text
