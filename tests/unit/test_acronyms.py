"""Acronyms the almanac spells out are read with their words."""

from __future__ import annotations

from assistant.acronyms import spelled_acronyms, with_acronyms_spelled


def test_an_acronym_introduced_after_its_words_is_known_by_them() -> None:
    known = spelled_acronyms(
        [
            "Total cost of ownership (TCO) is everything a system costs over its life.",
            "The London Office of Technology and Innovation (LOTI) and the Shared Rural Network (SRN).",
            "Councils (and others) mostly agree (see above).",
        ]
    )
    assert known == {
        "TCO": "Total cost of ownership",
        "LOTI": "London Office of Technology and Innovation",
        "SRN": "Shared Rural Network",
    }


def test_a_question_using_only_the_letters_gains_the_words_once() -> None:
    known = {"TCO": "Total cost of ownership"}
    assert with_acronyms_spelled("s151 wants a TCO for our CRM. TCO again?", known) == (
        "s151 wants a TCO (Total cost of ownership) for our CRM. TCO again?"
    )
    assert with_acronyms_spelled("Is our total cost of ownership (TCO) right?", known) == (
        "Is our total cost of ownership (TCO) right?"
    )
    # Typed in lower case, the letters are still the acronym, unless they spell an everyday word.
    assert with_acronyms_spelled("whats tco and why does finance want it", known) == (
        "whats TCO (Total cost of ownership) and why does finance want it"
    )
    assert with_acronyms_spelled("who owns it here?", {"IT": "information technology"}) == "who owns it here?"
