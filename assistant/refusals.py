"""Refusals: a plain reply that says why the almanac can't answer and points at what it does cover."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.answer import OutcomeScore


def refusal_text(status: str, nearest: Sequence[OutcomeScore], *, rule: str | None = None) -> str:
    """A plain refusal that points at what the almanac does cover."""
    if rule == "injection":
        lead = (
            "I can only answer questions about council digitalisation from the almanac, and I can't change "
            "how I work or reveal my instructions."
        )
    elif rule == "personal-matter":
        lead = (
            "The almanac doesn't cover a resident's own account or circumstances: please contact the council "
            "directly. It is guidance and case studies on council digitalisation."
        )
    elif status == "out_of_scope":
        lead = (
            "The almanac doesn't cover that. It is guidance and case studies on council digitalisation, "
            "so it can't help with everyday requests or questions outside council digital work."
        )
    else:
        lead = "The almanac doesn't cover that: I found nothing in it close enough to your question to answer from."
        return f"{lead}{nearest_pointer(nearest)}"
    # A resident's own matter, an everyday request or an attempt to change the instructions is no question on
    # council digital work: no outcome of the almanac is "nearest" to it.
    return lead


def nearest_pointer(nearest: Sequence[OutcomeScore]) -> str:
    """A closing pointer to the one outcome nearest a question the almanac does not answer ("" when none)."""
    if not nearest:
        return ""
    return f"\n\nThe nearest part of the almanac is {nearest[0].name}, if that helps."
