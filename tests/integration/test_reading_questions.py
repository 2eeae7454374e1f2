"""How a question's kind and subject are read, on the real model and corpus."""

from __future__ import annotations

from assistant.rag import Assistant


def test_a_question_after_a_label_is_read_by_its_own_words(assistant: Assistant) -> None:
    answer = assistant.ask(
        "DPO asking: do we now have to acknowledge data protection complaints within a fixed time?"
    )
    assert answer.kind != "definition"
    # The guide's answer on complaints leads, not the glossary's account of the whole Act.
    assert answer.citations[0].section.endswith("Do we need a data protection complaints process?")
    assert "30 days" in answer.text.splitlines()[0]


def test_a_term_asked_about_is_still_a_definition(assistant: Assistant) -> None:
    assert assistant.ask("neutral host - what is it?").kind == "definition"
    assert assistant.ask("What does failure demand mean?").kind == "definition"


def test_a_guides_answer_for_local_firms_does_not_answer_the_council_about_itself(
    assistant: Assistant,
) -> None:
    answer = assistant.ask(
        "we hold council housing - apart from telecare, what does the PSTN switch-off risk for us?"
    )
    assert not any(c.section.endswith("mean for local businesses?") and c.n == 1 for c in answer.citations)


def test_a_statement_that_reads_as_the_placed_level_is_not_credited_a_higher_one(
    assistant: Assistant,
) -> None:
    answer = assistant.ask(
        "We've signed the Local Digital Declaration and joined one funded project with other councils, we have "
        "a standard data sharing template and an IG lead for partnerships, our website is on LocalGov Drupal "
        "and a sub-regional digital group meets monthly. Which level is that for partnership?"
    )
    assert answer.text.startswith("**Closest level: Developing.**")
    assert "leads a product community" not in answer.text
