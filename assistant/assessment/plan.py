"""The prioritised plan: for each focus outcome, the next level's signs, first steps and case studies, cited.

How steps are chosen: the candidates are the numbered steps under the guide's "Where to start > First 90
days" and "First year". Each is scored by the words it shares (stemmed, without stop words) with what the
council has not yet reached: the next level's options for the statements still below it and the guide's
signs of that level. Steps from the period that suits the level get a bonus (First 90 days for Starting and
Developing, First year for Established). The best four are kept (never fewer than three), in the guide's order.

Steps that apply only in some circumstances (opening "If", "When", "Where" or "In reorganisation") come last.

How case studies are chosen: among case studies tagged with the outcome, each scores 1.5 when the council is
of the user's type, 1 when the outcome is the case's main (first) outcome, and up to 2 for the words it shares
with the gaps (0.2 a word); the best three are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.answer import Citation
from assistant.assessment.guide import WHERE_TO_START, Guide, Source, Step
from assistant.assessment.rubric import LEVEL_NAMES, LEVELS, Level, Rubric
from assistant.assessment.scoring import OutcomeResult, focus
from assistant.text import analyze

FIRST_90_DAYS = f"{WHERE_TO_START} > First 90 days"
FIRST_YEAR = f"{WHERE_TO_START} > First year"
MAX_STEPS, MIN_STEPS, MAX_CASES = 4, 3, 3
# Steps that apply only in some circumstances come last.
CONDITIONAL_OPENINGS = ("If ", "When ", "In reorganisation", "Where ")


@dataclass
class Gap:
    """A statement still below the next level: where the council is and what it would see next."""

    statement_id: str
    prompt: str
    current: Level
    target: str  # the option text of the next level


@dataclass
class PlanStep:
    text: str
    n: int  # the citation number


@dataclass
class PlanCase:
    source: Source
    n: int


@dataclass
class PlanItem:
    """One focus outcome in the plan."""

    result: OutcomeResult
    next_level: Level
    signs: list[str]
    signs_n: int
    gaps: list[Gap] = field(default_factory=list)
    steps: list[PlanStep] = field(default_factory=list)
    cases: list[PlanCase] = field(default_factory=list)


@dataclass
class Plan:
    """A scored assessment and its plan, with numbered citations like an answer."""

    results: list[OutcomeResult]
    items: list[PlanItem]
    citations: list[Citation]
    council_type: str | None = None
    label: str | None = None

    @property
    def assessed(self) -> list[OutcomeResult]:
        return [r for r in self.results if r.assessed]


class _Citations:
    def __init__(self) -> None:
        self.items: list[Citation] = []
        self._keys: dict[tuple[str, str], int] = {}

    def number(self, source: Source, section: str, snippet: str) -> int:
        key = (source.doc_id, section)
        if key not in self._keys:
            self._keys[key] = len(self.items) + 1
            self.items.append(source.citation(self._keys[key], section=section, snippet=snippet[:400]))
        return self._keys[key]


def _words(text: str) -> set[str]:
    return set(analyze(text))


def choose_steps(guide: Guide, result: OutcomeResult, target_words: set[str]) -> list[Step]:
    """3-4 first steps from the guide's "Where to start" that best meet the gaps (see the module docstring)."""
    preferred = FIRST_YEAR if result.level == "established" else FIRST_90_DAYS
    candidates = [s for s in guide.steps if s.section in (FIRST_90_DAYS, FIRST_YEAR)]
    order = {id(s): i for i, s in enumerate(candidates)}

    def score(step: Step) -> float:
        overlap = len(_words(step.text) & target_words)
        conditional = step.text.startswith(CONDITIONAL_OPENINGS)
        return overlap + (1.5 if step.section == preferred else 0) - (3 if conditional else 0)

    ranked = sorted(candidates, key=lambda s: (-score(s), order[id(s)]))
    chosen = [s for s in ranked[:MAX_STEPS] if score(s) > 1.5] or []
    for step in ranked:
        if len(chosen) >= MIN_STEPS:
            break
        if step not in chosen:
            chosen.append(step)
    return sorted(chosen, key=lambda s: (s.section != preferred, s.section, s.number))


def choose_cases(
    cases: list[Source], slug: str, council_type: str | None, target_words: set[str]
) -> list[Source]:
    """Up to three case studies for an outcome, preferring the user's council type."""
    tagged = [c for c in cases if slug in c.outcomes]

    def key(case: Source) -> tuple[float, str]:
        same_type = 1.5 if council_type and case.council_type == council_type else 0.0
        main = 1.0 if case.outcomes[0] == slug else 0.0
        overlap = min(len(_words(f"{case.title} {case.summary}") & target_words), 10) / 5
        return (-(same_type + main + overlap), case.doc_id)

    return sorted(tagged, key=key)[:MAX_CASES]


def build_plan(
    results: list[OutcomeResult],
    *,
    rubrics: dict[str, Rubric],
    guides: dict[str, Guide],
    cases: list[Source],
    council_type: str | None = None,
    label: str | None = None,
) -> Plan:
    """The plan for the focus outcomes (see scoring.focus), with every step and case cited [n]."""
    numbers = _Citations()
    items: list[PlanItem] = []
    for result in focus(results):
        target = result.next_level
        guide = guides.get(result.slug)
        if target is None or guide is None:
            continue
        rubric = rubrics[result.slug]
        gaps = [
            Gap(sid, rubric.statement(sid).prompt, level, rubric.statement(sid).options.text(target))
            for sid, level in result.answers.items()
            if LEVELS.index(level) < LEVELS.index(target)
        ]
        signs = guide.levels[target]
        target_words = _words(" ".join([*(g.target for g in gaps), *signs]))
        signs_section = f"Self-assessment > {LEVEL_NAMES[target]}"
        item = PlanItem(
            result, target, signs, numbers.number(guide.source, signs_section, " ".join(signs)), gaps
        )
        for step in choose_steps(guide, result, target_words):
            section_steps = " ".join(s.text for s in guide.steps if s.section == step.section)
            item.steps.append(PlanStep(step.text, numbers.number(guide.source, step.section, section_steps)))
        for case in choose_cases(cases, result.slug, council_type, target_words):
            item.cases.append(PlanCase(case, numbers.number(case, "Summary", case.summary)))
        items.append(item)
    return Plan(results, items, numbers.items, council_type=council_type, label=label)
