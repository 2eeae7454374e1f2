"""`almanac assess`: a self-assessment on a terminal, or from a JSON answers file, printed as a plan."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, cast

import typer

from assistant.assessment.engine import Assessor
from assistant.assessment.model import COUNCIL_TYPES, AssessmentInput, AssessmentInputError
from assistant.assessment.rubric import LEVEL_NAMES, LEVELS, Level, RubricError
from assistant.assessment.scoring import WEIGHTS, Weight
from assistant.config import get_settings
from assistant.documents import CouncilType
from assistant.outcomes import OUTCOME_SLUGS, get_outcome

ANSWERS_HELP = (
    'JSON file: {"answers": {"data": {"data-sharing": "developing", ...}}, "weights": {"data": "high"}, '
    '"council_type": "district"}.'
)


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(code)


def _ask(prompt: str, allowed: dict[str, str], default: str | None = None) -> str | None:
    """Ask until the reply is allowed; None at end of input."""
    while True:
        try:
            reply = input(prompt).strip().lower()
        except EOFError:
            return None
        if not reply and default is not None:
            return default
        if reply in allowed:
            return allowed[reply]
        typer.echo(f"Please type one of: {', '.join(allowed)}.")


def ask_interactively(
    assessor: Assessor, outcomes: list[str], council_type: CouncilType | None
) -> AssessmentInput:
    """Walk through each outcome's statements on the terminal; 's' skips a statement, 'q' finishes."""
    typer.echo(
        "For each statement, type the number of the option closest to what you would see in your council "
        "today (s to skip, q to finish).\n"
    )
    answers: dict[str, dict[str, Level]] = {}
    weights: dict[str, Weight] = {}
    choices = {str(i): level for i, level in enumerate(LEVELS, 1)} | {"s": "skip", "q": "quit"}
    for slug in outcomes:
        rubric = assessor.rubrics[slug]
        typer.echo(f"== {get_outcome(slug).name} ({len(rubric.statements)} statements)")
        for statement in rubric.statements:
            typer.echo(f"\n{statement.prompt}")
            for i, level in enumerate(LEVELS, 1):
                typer.echo(f"  {i}. {LEVEL_NAMES[level]}: {statement.options.text(level)}")
            reply = _ask("Your answer [1-4, s, q]: ", choices)
            if reply in (None, "quit"):
                return AssessmentInput(answers=answers, weights=weights, council_type=council_type)
            if reply != "skip":
                answers.setdefault(slug, {})[statement.id] = reply  # type: ignore[assignment]
        weight = _ask(
            "How much does this outcome matter to your plans? [l]ow, [m]edium, [h]igh (default m): ",
            {"l": "low", "m": "medium", "h": "high", **{w: w for w in WEIGHTS}},
            default="medium",
        )
        weights[slug] = weight or "medium"  # type: ignore[assignment]
        typer.echo("")
    return AssessmentInput(answers=answers, weights=weights, council_type=council_type)


def assess_command(
    outcome: Annotated[
        list[str] | None,
        typer.Option("--outcome", help="Outcome slug to assess (repeatable; default all 12)."),
    ] = None,
    council_type: Annotated[
        str | None, typer.Option("--council-type", help=f"One of {', '.join(COUNCIL_TYPES)}.")
    ] = None,
    answers: Annotated[Path | None, typer.Option("--answers", help=ANSWERS_HELP)] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the plan here (.md, or .csv for the answers table).")
    ] = None,
) -> None:
    """Assess your council against the outcomes and get a prioritised, cited plan."""
    unknown = [slug for slug in outcome or [] if slug not in OUTCOME_SLUGS]
    if unknown:
        raise _fail(f"--outcome {unknown[0]!r} is not an outcome; use one of {', '.join(OUTCOME_SLUGS)}")
    if council_type is not None and council_type not in COUNCIL_TYPES:
        raise _fail(f"--council-type {council_type!r} is not known; use one of {', '.join(COUNCIL_TYPES)}")
    try:
        assessor = Assessor.from_settings(get_settings())
    except RubricError as exc:
        raise _fail(str(exc), code=1) from None
    chosen = list(outcome or OUTCOME_SLUGS)
    if answers is not None:
        try:
            raw = json.loads(answers.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise _fail(f"{answers}: no such file; give the path of a JSON answers file") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise _fail(f"{answers}: is not valid JSON ({exc}); see --help for the format") from None
        try:
            data = assessor.parse(raw, where=str(answers))
        except AssessmentInputError as exc:
            raise _fail(str(exc)) from None
        if outcome:
            data.answers = {slug: a for slug, a in data.answers.items() if slug in chosen}
        if council_type:
            data.council_type = council_type  # type: ignore[assignment]
    elif sys.stdin.isatty():
        data = ask_interactively(assessor, chosen, cast(CouncilType | None, council_type))
    else:
        raise _fail("no answers: give --answers FILE.json, or run `almanac assess` on a terminal to be asked")
    if not data.answers:
        raise _fail("no statements were answered, so there is nothing to score", code=1)
    text = assessor.csv(data) if out is not None and out.suffix.lower() == ".csv" else assessor.markdown(data)
    if out is None:
        typer.echo(text)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        typer.echo(f"Wrote {out}")
