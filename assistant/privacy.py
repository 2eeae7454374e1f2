"""Personal data masked out of text before it is stored or logged.

Masked: email addresses, UK phone numbers, National Insurance numbers, and addresses given as a house number
with a postcode. Each is replaced by a bracketed label ([email], [phone], [NI number], [address]), so the
stored text still reads as a question. A postcode on its own (an area, not a home) is kept.
"""

from __future__ import annotations

import re

EMAIL_RE = re.compile(r"[^\s@<>()\[\],;:\"]+@[\w-]+(?:\.[\w-]+)+")
# +44 7700 900123, +44 (0)20 7946 0958, (020) 7946 0958, 01632 960001, 07700-900-123.
PHONE_RE = re.compile(r"(?<![\w+])(?:\+\s?44\s?(?:\(0\)\s?)?|\(?0)(?:\d[\s.\-)]{0,2}){8,9}\d(?!\d)")
# Two letters, six digits, a suffix A-D; any prefix letters, so a mistyped number is masked too.
NI_NUMBER_RE = re.compile(r"\b[A-Z]{2}(?:\s?\d{2}){3}\s?[A-D]\b", re.IGNORECASE)
POSTCODE = r"[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}"
# A house number (12, 12a, Flat 3) followed on the same line, within a few words, by a full postcode.
ADDRESS_RE = re.compile(rf"\b\d{{1,4}}[A-Z]?\b[^\n\d]{{0,80}}?\b{POSTCODE}\b", re.IGNORECASE)

MASKS: tuple[tuple[re.Pattern[str], str], ...] = (
    (EMAIL_RE, "[email]"),
    (NI_NUMBER_RE, "[NI number]"),
    (ADDRESS_RE, "[address]"),
    (PHONE_RE, "[phone]"),
)


def mask_personal_data(text: str) -> str:
    """The text with email addresses, phone numbers, NI numbers and house-number addresses masked."""
    for pattern, label in MASKS:
        text = pattern.sub(label, text)
    return text


def mask_optional(text: str | None) -> str | None:
    """mask_personal_data for a value that may be absent."""
    return None if text is None else mask_personal_data(text)
