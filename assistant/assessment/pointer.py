"""A short pointer to the self-assessment, for chat questions about maturity or where to focus."""

from __future__ import annotations

from assistant.assessment.rubric import RubricError, load_rubrics
from assistant.config import Settings
from assistant.outcomes import get_outcome


def assess_url(settings: Settings, outcome_slug: str | None = None) -> str | None:
    """The web assessment's address when ALMANAC_PUBLIC_URL is set, else None."""
    if not settings.public_url:
        return None
    url = settings.public_url.rstrip("/") + "/assess"
    return f"{url}?outcome={outcome_slug}" if outcome_slug else url


def assessment_pointer(outcome_slug: str | None, settings: Settings) -> str:
    """A paragraph explaining the four levels and how to run the self-assessment.

    Args:
        outcome_slug: an outcome the question is about, or None for all 12.
        settings: gives the public web address (ALMANAC_PUBLIC_URL) and the corpus folder.

    Raises:
        KeyError: outcome_slug is not one of the 12 outcomes.
    """
    name = get_outcome(outcome_slug).name if outcome_slug else None
    try:
        rubrics = load_rubrics(settings.corpus_dir)
        count = (
            len(rubrics[outcome_slug].statements)
            if outcome_slug
            else sum(len(r.statements) for r in rubrics.values())
        )
        size = f"{count} short statements"
    except (RubricError, OSError, KeyError):
        size = "a few short statements"
    scope = f"{name}" if name else "each of the 12 outcomes"
    where = f"the {name} guide" if name else "each outcome guide"
    url = assess_url(settings, outcome_slug)
    web = f"on the web at {url}" if url else "on the web page /assess"
    slack = f"`/almanac assess {outcome_slug}`" if outcome_slug else "`/almanac assess`"
    cli = f"`almanac assess --outcome {outcome_slug}`" if outcome_slug else "`almanac assess`"
    return (
        f"To place your council on the four levels (Starting, Developing, Established and Leading) for {scope}, "
        f"run the self-assessment from {where}: {size}, giving your level, what holds you back and a cited "
        f"plan for the next level. Run it {web}, in Slack with {slack}, or with {cli}."
    )
