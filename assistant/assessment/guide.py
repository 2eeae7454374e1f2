"""What the plan draws on from the corpus: each outcome guide's levels and "Where to start" steps, and the
case studies, read straight from their Markdown so every step can be cited like an answer."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from assistant.anchors import page_link
from assistant.answer import Citation
from assistant.assessment.rubric import LEVELS, RubricError
from assistant.documents import FrontMatter

HEADING_RE = re.compile(r"^(#{2,3})\s+(.+?)\s*$")
ITEM_RE = re.compile(r"^\s*(?:[-*+]|(\d+)[.)])\s+(.+)$")
WHERE_TO_START = "Where to start"
SELF_ASSESSMENT = "Self-assessment"


@dataclass(frozen=True)
class Source:
    """A corpus document as the plan cites it."""

    doc_id: str
    title: str
    rel_path: str
    outcomes: tuple[str, ...]
    doc_type: str
    reviewed: str
    summary: str = ""
    council: str | None = None
    council_type: str | None = None

    def citation(self, n: int, *, section: str, snippet: str) -> Citation:
        """A numbered Citation of one section of this document."""
        return Citation(
            n=n,
            doc_id=self.doc_id,
            title=self.title,
            section=section,
            snippet=snippet,
            path=f"corpus/{self.rel_path}",
            outcomes=list(self.outcomes),
            council=self.council,
            doc_type=self.doc_type,
            reviewed=self.reviewed,
            page=page_link(self.doc_id, section),
        )


@dataclass(frozen=True)
class Step:
    """One numbered step of a guide's "Where to start", e.g. in "First 90 days"."""

    section: str  # e.g. "Where to start > First 90 days"
    number: int
    text: str


@dataclass
class Guide:
    """An outcome guide's self-assessment levels and first steps."""

    source: Source
    levels: dict[str, list[str]] = field(default_factory=dict)  # level -> bullet signs
    steps: list[Step] = field(default_factory=list)


def _read(path: Path, corpus_dir: Path) -> tuple[Source, str]:
    rel = path.relative_to(corpus_dir).as_posix()
    text = path.read_text(encoding="utf-8")
    parts = text.split("\n---", 1)
    if not text.startswith("---") or len(parts) < 2:
        raise RubricError([f"{rel}: has no YAML front matter between '---' lines"])
    try:
        meta = FrontMatter.model_validate(yaml.safe_load(parts[0].removeprefix("---")))
    except (yaml.YAMLError, ValidationError) as exc:
        raise RubricError(
            [f"{rel}: invalid front matter ({exc.__class__.__name__}); run `almanac ingest`"]
        ) from None
    source = Source(
        doc_id=meta.id,
        title=meta.title,
        rel_path=rel,
        outcomes=tuple(meta.outcomes),
        doc_type=meta.type,
        reviewed=meta.updated.isoformat(),
        summary=" ".join(meta.summary.split()),
        council=meta.council,
        council_type=meta.council_type,
    )
    return source, parts[1].split("\n", 1)[1] if "\n" in parts[1] else ""


def _plain(text: str) -> str:
    return re.sub(r"\*\*|`", "", text).strip()


def parse_guide(path: Path, corpus_dir: Path) -> Guide:
    """The levels and "Where to start" steps of one outcome guide.

    Raises:
        RubricError: the guide has no front matter or lacks a level or its "Where to start" steps.
    """
    source, body = _read(path, corpus_dir)
    guide = Guide(source=source)
    h2 = h3 = ""
    for line in body.splitlines():
        heading = HEADING_RE.match(line)
        if heading:
            if len(heading.group(1)) == 2:
                h2, h3 = heading.group(2), ""
            else:
                h3 = heading.group(2)
            continue
        item = ITEM_RE.match(line)
        if not item:
            continue
        if h2 == SELF_ASSESSMENT and h3.lower() in LEVELS:
            guide.levels.setdefault(h3.lower(), []).append(_plain(item.group(2)))
        elif h2 == WHERE_TO_START and h3 and item.group(1):
            guide.steps.append(Step(f"{WHERE_TO_START} > {h3}", int(item.group(1)), _plain(item.group(2))))
    missing = [level for level in LEVELS if not guide.levels.get(level)]
    if missing:
        raise RubricError(
            [
                f"{source.rel_path}: section 'Self-assessment' has no bullets under ### {missing[0].capitalize()}"
            ]
        )
    if not guide.steps:
        raise RubricError([f"{source.rel_path}: section 'Where to start' has no numbered steps"])
    return guide


def load_guides(corpus_dir: Path) -> dict[str, Guide]:
    """Every outcome guide (corpus/outcomes/<slug>.md), keyed by outcome slug."""
    folder = Path(corpus_dir) / "outcomes"
    signature = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.md")))
    return dict(_guides_cached(str(corpus_dir), signature))


@lru_cache(maxsize=4)
def _guides_cached(corpus_dir: str, signature: tuple[tuple[str, int], ...]) -> tuple[tuple[str, Guide], ...]:
    root = Path(corpus_dir)
    return tuple((Path(name).stem, parse_guide(root / "outcomes" / name, root)) for name, _ in signature)


def load_case_studies(corpus_dir: Path) -> list[Source]:
    """Every case study's front matter, in file order."""
    folder = Path(corpus_dir) / "case-studies"
    signature = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.md")))
    return list(_cases_cached(str(corpus_dir), signature))


@lru_cache(maxsize=4)
def _cases_cached(corpus_dir: str, signature: tuple[tuple[str, int], ...]) -> tuple[Source, ...]:
    root = Path(corpus_dir)
    return tuple(_read(root / "case-studies" / name, root)[0] for name, _ in signature)
