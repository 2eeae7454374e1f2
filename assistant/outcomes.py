"""The 12 strategic outcomes of the LGA, Socitm and Solace digitalisation framework (2022).

This module is the single source of truth for outcome slugs, names and descriptions.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    """One strategic outcome: a stable slug, a display name and a one-line description."""

    slug: str
    name: str
    description: str
    aliases: tuple[str, ...] = ()


OUTCOMES: tuple[Outcome, ...] = (
    Outcome(
        "connectivity",
        "Connectivity",
        "Residents, businesses and council staff can get online, with gigabit broadband and good mobile "
        "coverage, wherever they live and work.",
        ("broadband", "gigabit", "mobile coverage", "full fibre"),
    ),
    Outcome(
        "data",
        "Data",
        "The council manages, shares and uses data to recognised standards, securely and lawfully, to "
        "improve services, policy and innovation.",
        ("data sharing", "open data", "data standards"),
    ),
    Outcome(
        "democracy",
        "Democracy and participation",
        "Digital tools widen participation in local democracy: meetings, webcasting, consultation and "
        "councillors' own digital skills.",
        ("participation", "councillors", "consultation", "webcasting"),
    ),
    Outcome(
        "ethics",
        "Ethics and sustainability",
        "The council uses data, algorithms and AI fairly, transparently and sustainably, with residents' "
        "trust and rights protected.",
        ("ethical", "ai ethics", "algorithmic transparency", "sustainability"),
    ),
    Outcome(
        "inclusion",
        "Inclusion",
        "Everyone has the skills, devices, connection and confidence to get online, and services stay "
        "accessible to those who cannot.",
        ("digital inclusion", "digital exclusion", "accessibility", "data poverty"),
    ),
    Outcome(
        "leadership",
        "Leadership",
        "Political and executive leaders set a clear digital direction, build a digital culture and own "
        "the strategy that delivers it.",
        ("digital strategy", "digital culture", "leaders"),
    ),
    Outcome(
        "local-productivity",
        "Local productivity",
        "Digital and data help the local economy grow: businesses, skills, smart places and economic "
        "productivity.",
        ("productivity", "economic growth", "local economy", "smart places"),
    ),
    Outcome(
        "organisational-capability",
        "Organisational capability",
        "The council has the skills, people, ways of working and technology to deliver digital change "
        "and keep improving.",
        ("capability", "skills", "workforce", "recruitment"),
    ),
    Outcome(
        "partnership",
        "Partnership",
        "The council works with other councils, the NHS, the voluntary sector, suppliers and central "
        "government to share, reuse and deliver together.",
        ("partnerships", "shared services", "collaboration"),
    ),
    Outcome(
        "security-and-resilience",
        "Security and resilience",
        "The council protects its systems and data from cyber threats and can keep critical services "
        "running and recover when incidents happen.",
        ("security", "resilience", "cyber", "cyber security", "ransomware"),
    ),
    Outcome(
        "services",
        "Services",
        "Services are designed around residents' needs, accessible, joined up and available online first, "
        "with support for those who need it.",
        ("service design", "digital services", "customer service"),
    ),
    Outcome(
        "value",
        "Value",
        "Digital investment delivers measurable value for money: sound business cases, realised benefits "
        "and lower costs over time.",
        ("value for money", "business case", "benefits realisation", "savings"),
    ),
)

OUTCOME_SLUGS: tuple[str, ...] = tuple(o.slug for o in OUTCOMES)
_BY_SLUG = {o.slug: o for o in OUTCOMES}


def get_outcome(slug: str) -> Outcome:
    """Return the outcome for a slug.

    Raises:
        KeyError: the slug is not one of the 12; the message lists the allowed slugs.
    """
    try:
        return _BY_SLUG[slug]
    except KeyError:
        raise KeyError(f"unknown outcome {slug!r}; allowed: {', '.join(OUTCOME_SLUGS)}") from None


def is_outcome(slug: str) -> bool:
    """True when slug is one of the 12 outcome slugs."""
    return slug in _BY_SLUG


def check_outcome_slugs(slugs: list[str]) -> list[str]:
    """Return slugs unchanged, or raise ValueError naming the unknown ones and the allowed slugs."""
    unknown = [slug for slug in slugs if slug not in _BY_SLUG]
    if unknown:
        raise ValueError(
            f"unknown outcome {', '.join(map(repr, unknown))}; allowed: {', '.join(OUTCOME_SLUGS)}"
        )
    return slugs
