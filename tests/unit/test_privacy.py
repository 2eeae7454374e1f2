"""Personal data masking: examples a council officer might type, and generated ones (Hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.guards import redact
from assistant.privacy import mask_personal_data

# Filler that cannot itself form personal data: letters, spaces and punctuation, no digits or @.
FILLER = st.text(alphabet=st.sampled_from("abcdefghij klmnopqrstuvwxyz ,.?!"), max_size=30)
DIGIT = st.sampled_from("0123456789")
SEP = st.sampled_from(["", " ", "-"])


@st.composite
def uk_phone(draw: st.DrawFn) -> str:
    """A UK number as people type it: 07700 900123, +44 7700 900123, 020-7946-0958, (0113) 496 0000."""
    digits = draw(st.lists(DIGIT, min_size=9, max_size=10))
    body = "".join(d + draw(SEP) if i in (3, 6) else d for i, d in enumerate(digits)).strip(" -")
    prefix = draw(st.sampled_from(["0", "+44 ", "+44", "+44 (0)", "(0"]))
    return prefix + body


@st.composite
def ni_number(draw: st.DrawFn) -> str:
    letters = draw(st.text(alphabet="ABCEGHJKLMNPRSTWXYZ", min_size=2, max_size=2))
    pairs = [draw(DIGIT) + draw(DIGIT) for _ in range(3)]
    gap = draw(st.sampled_from(["", " "]))
    return letters + gap + gap.join(pairs) + gap + draw(st.sampled_from("ABCD"))


@st.composite
def postcode(draw: st.DrawFn) -> str:
    outward = draw(st.sampled_from(["LS1", "M4", "SW1A", "B33", "EH1", "CF10", "BS8"]))
    return f"{outward} {draw(DIGIT)}{draw(st.sampled_from(['AP', 'AA', 'XZ']))}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Email jo.bloggs+almanac@leeds.gov.uk about it", "Email [email] about it"),
        ("Ring me on 07700 900123 today", "Ring me on [phone] today"),
        ("Our switchboard is +44 (0)20 7946 0958.", "Our switchboard is [phone]."),
        ("Call (0113) 496 0000, please", "Call [phone], please"),
        ("My NI number is QQ 12 34 56 C", "My NI number is [NI number]"),
        (
            "I live at 12 Acacia Avenue, Leeds LS1 4AP, near the station",
            "I live at [address], near the station",
        ),
    ],
)
def test_personal_data_is_masked(text: str, expected: str) -> None:
    assert mask_personal_data(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "How did 40 councils spend £3m on ISO 27001 in 2023?",
        "Which councils in the LS1 area have free wifi?",
        "What does the Local Government Act 1972 say about 100 members?",
        "Is 0.5 FTE enough for a data protection officer?",
    ],
)
def test_ordinary_council_questions_are_left_alone(text: str) -> None:
    assert mask_personal_data(text) == text


def test_logging_redaction_is_the_same_masking() -> None:
    text = "Email a.b@example.org or ring 07700 900123 about AB123456C"
    assert redact(text) == mask_personal_data(text) == "Email [email] or ring [phone] about [NI number]"


@settings(max_examples=200, deadline=None)
@given(FILLER, st.emails(), uk_phone(), ni_number(), FILLER)
def test_generated_personal_data_never_survives(
    before: str, email: str, phone: str, ni: str, after: str
) -> None:
    text = f"{before} {email} then {phone} and {ni} {after}"
    masked = mask_personal_data(text)
    for secret in (email, phone, ni):
        assert secret not in masked
    assert "@" not in masked
    assert sum(ch.isdigit() for ch in masked) == 0, masked


@settings(max_examples=100, deadline=None)
@given(FILLER, st.integers(min_value=1, max_value=999), postcode(), FILLER)
def test_a_house_number_with_a_postcode_is_masked(before: str, number: int, code: str, after: str) -> None:
    masked = mask_personal_data(f"{before} {number} High Street, {code} {after}")
    assert code not in masked and "[address]" in masked


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_is_masked_without_error_and_masking_is_stable(text: str) -> None:
    once = mask_personal_data(text)
    assert mask_personal_data(once) == once
