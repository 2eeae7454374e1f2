"""Answers about one council's case study: the case meant when a name picks out several, the case's own
account rather than another council's told beside it, what came of it, how long it took, and what the case
does not mention. On the real corpus and model."""

from __future__ import annotations

from assistant.rag import Assistant


def _opening(text: str) -> str:
    return text.split("\n\n")[0]


def _first_source(answer) -> str:  # type: ignore[no-untyped-def]
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
