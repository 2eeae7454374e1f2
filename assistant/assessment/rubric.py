"""The self-assessment rubric: for each outcome, 5-8 statements with four observable answer options.

The rubric lives in corpus/self-assessment/<outcome>.yaml, one file per outcome. Each option describes what
you would see at one level (starting, developing, established, leading), taken from that outcome guide's
"Self-assessment" levels. Statement ids are stable: saved assessments refer to them.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from assistant.documents import SLUG_RE
from assistant.errors import AlmanacError
from assistant.outcomes import OUTCOME_SLUGS, check_outcome_slugs

Level = Literal["starting", "developing", "established", "leading"]
LEVELS: tuple[Level, ...] = ("starting", "developing", "established", "leading")
LEVEL_NAMES: dict[str, str] = {level: level.capitalize() for level in LEVELS}
RUBRIC_DIR = "self-assessment"


class RubricError(AlmanacError):
    """The rubric files are invalid. `problems` lists one line per problem, each naming file and field."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        head = f"The self-assessment rubric has {len(problems)} problem{'s' if len(problems) != 1 else ''}:"
        super().__init__("\n".join([head, *(f"  - {p}" for p in problems)]))


class Options(BaseModel):
    """What you would see at each of the four levels, in the guide's own order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    starting: str = Field(min_length=10)
    developing: str = Field(min_length=10)
    established: str = Field(min_length=10)
    leading: str = Field(min_length=10)

    def text(self, level: str) -> str:
        """The option text for a level."""
        return str(getattr(self, level))


class Statement(BaseModel):
    """One thing to assess, with a question prompt and one option per level."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    prompt: str = Field(min_length=5)
    options: Options

    @field_validator("id")
    @classmethod
    def _check_id(cls, value: str) -> str:
        if not SLUG_RE.match(value):
            raise ValueError(
                "must be a slug: lowercase letters, digits and single hyphens, e.g. data-sharing"
            )
        return value


class Rubric(BaseModel):
    """The statements for one outcome."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    outcome: str
    guide: str = Field(description="Id of the outcome guide the options are taken from.")
    statements: list[Statement] = Field(min_length=5, max_length=8)

    @field_validator("outcome")
    @classmethod
    def _check_outcome(cls, value: str) -> str:
        check_outcome_slugs([value])
        return value

    @field_validator("statements")
    @classmethod
    def _unique_ids(cls, value: list[Statement]) -> list[Statement]:
        ids = [s.id for s in value]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"statement id {', '.join(map(repr, twice))} is used more than once")
        return value

    def statement(self, statement_id: str) -> Statement:
        """The statement with this id (KeyError when there is none)."""
        for statement in self.statements:
            if statement.id == statement_id:
                return statement
        raise KeyError(statement_id)

    @property
    def statement_ids(self) -> list[str]:
        return [s.id for s in self.statements]


def _describe(rel: str, error: ValidationError) -> list[str]:
    problems = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "file"
        message = str(item["msg"]).removeprefix("Value error, ")
        if item["type"] == "missing":
            message = "is missing; every statement needs starting, developing, established and leading"
            if not where.startswith("statements.") or where.count(".") < 3:
                message = "is missing; add it"
        elif item["type"] == "extra_forbidden":
            message = "is not a known field; options are starting, developing, established and leading"
        problems.append(f"{rel}: field '{where}': {message}")
    return problems


def load_rubric(path: Path, *, rel: str | None = None) -> Rubric:
    """Read and validate one rubric file.

    Raises:
        RubricError: the YAML is malformed or a field is invalid; each problem names the file and field.
    """
    rel = rel or path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark is not None else ""
        raise RubricError([f"{rel}: {line}malformed YAML; quote text that contains a colon"]) from None
    except UnicodeDecodeError:
        raise RubricError([f"{rel}: is not UTF-8; save the file as UTF-8"]) from None
    if not isinstance(data, dict):
        raise RubricError([f"{rel}: must be a YAML mapping with outcome, guide and statements"])
    try:
        rubric = Rubric.model_validate(data)
    except ValidationError as exc:
        raise RubricError(_describe(rel, exc)) from None
    if rubric.outcome != path.stem:
        raise RubricError(
            [f"{rel}: field 'outcome': is {rubric.outcome!r} but the file is named {path.name}"]
        )
    return rubric


def load_rubrics(corpus_dir: Path) -> dict[str, Rubric]:
    """Every outcome's rubric, in outcome order; all problems are reported together.

    Raises:
        RubricError: a file is invalid, an outcome has no rubric, or a statement id is used twice.
    """
    folder = Path(corpus_dir) / RUBRIC_DIR
    signature = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.glob("*.yaml")))
    return dict(_load_cached(str(folder), signature))


@lru_cache(maxsize=8)
def _load_cached(folder: str, signature: tuple[tuple[str, int, int], ...]) -> tuple[tuple[str, Rubric], ...]:
    root = Path(folder)
    problems: list[str] = []
    rubrics: dict[str, Rubric] = {}
    seen: dict[str, str] = {}
    for name, _, _ in signature:
        rel = f"{RUBRIC_DIR}/{name}"
        try:
            rubric = load_rubric(root / name, rel=rel)
        except RubricError as exc:
            problems.extend(exc.problems)
            continue
        for index, statement in enumerate(rubric.statements):
            if statement.id in seen:
                problems.append(
                    f"{rel}: field 'statements.{index}.id': {statement.id!r} is already used in "
                    f"{seen[statement.id]}; statement ids must be unique across outcomes"
                )
            seen[statement.id] = rel
        rubrics[rubric.outcome] = rubric
    for slug in OUTCOME_SLUGS:
        if slug not in rubrics and not any(f"/{slug}.yaml" in p for p in problems):
            problems.append(f"{RUBRIC_DIR}/{slug}.yaml: is missing; every outcome needs a rubric file")
    if problems:
        raise RubricError(problems)
    return tuple((slug, rubrics[slug]) for slug in OUTCOME_SLUGS)
