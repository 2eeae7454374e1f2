"""Refusals: a plain reply that says why the almanac can't answer and points at what it does cover."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.answer import OutcomeScore


def refusal_text(status: str, nearest: Sequence[OutcomeScore], *, rule: str | None = None) -> str:
    """A plain refusal that points at what the almanac does cover."""
    names = ", ".join(o.name for o in nearest)
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
    return f"{lead}\n\nThe nearest outcomes it does cover are: {names}. Try asking about one of those."
