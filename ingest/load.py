"""Load and validate the corpus: Markdown files with YAML front matter."""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml
from pydantic import ValidationError

from assistant.documents import Document, FrontMatter
from assistant.errors import CorpusError

FENCE = "---"


def _split_front_matter(text: str, rel: str) -> tuple[str, str, int]:
    """Return (yaml_text, body, body_start_line) or raise ValueError with a readable message."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != FENCE:
        raise ValueError(
            f"{rel}: line 1: the file must start with a '---' line opening the YAML front matter"
        )
    for index in range(1, len(lines)):
        if lines[index].strip() == FENCE:
            return "".join(lines[1:index]), "".join(lines[index + 1 :]), index + 2
    raise ValueError(f"{rel}: the front matter opened on line 1 is never closed with a '---' line")


def _describe_validation_error(rel: str, error: ValidationError) -> list[str]:
    problems = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "front matter"
        message = item["msg"].removeprefix("Value error, ")  # pydantic's prefix says nothing to an editor
        if item["type"] == "missing":
            message = "is missing; add it to the front matter"
        elif item["type"] == "extra_forbidden":
            message = (
                "is not a known field; check its spelling (see assistant/docs/corpus-format-and-editing.md)"
            )
        problems.append(f"{rel}: field '{where}': {message}")
    return problems


def parse_document(path: Path, root: Path) -> Document:
    """Parse one file.

    Raises:
        CorpusError: the file is not UTF-8, its YAML is malformed or a field is invalid.
    """
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError(
            [f"{rel}: is not UTF-8 (bad byte at offset {exc.start}); save the file as UTF-8"]
        ) from None
    try:
        head, body, _ = _split_front_matter(text, rel)
    except ValueError as exc:
        raise CorpusError([str(exc)]) from None
    try:
        data = yaml.safe_load(head)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 2}: " if mark is not None else ""
        reason = getattr(exc, "problem", None) or str(exc)
        raise CorpusError(
            [f"{rel}: {line}malformed YAML front matter ({reason}); quote values that contain a colon"]
        ) from None
    if not isinstance(data, dict):
        raise CorpusError(
            [f"{rel}: the front matter must be a YAML mapping of fields (id, title, type, ...)"]
        )
    try:
        meta = FrontMatter.model_validate(data)
    except ValidationError as exc:
        raise CorpusError(_describe_validation_error(rel, exc)) from None
    if not body.strip():
        raise CorpusError([f"{rel}: the document has no text after its front matter"])
    return Document(
        meta=meta, body=body, path=path, rel_path=rel, content_hash=hashlib.sha256(raw).hexdigest()
    )


def corpus_files(root: Path) -> list[Path]:
    """Every Markdown file under root, in a stable order."""
    if not root.is_dir():
        raise CorpusError(
            [f"{root}: the corpus folder does not exist; pass --corpus or set ALMANAC_CORPUS_DIR"]
        )
    return sorted(p for p in root.rglob("*.md") if p.is_file() and not p.name.startswith("."))


def load_corpus(root: Path) -> list[Document]:
    """Load and validate every document; all problems are reported together.

    Raises:
        CorpusError: one or more files are invalid, or two files share an id.
    """
    problems: list[str] = []
    documents: list[Document] = []
    seen: dict[str, str] = {}
    for path in corpus_files(root):
        try:
            document = parse_document(path, root)
        except CorpusError as exc:
            problems.extend(exc.problems)
            continue
        if document.id in seen:
            problems.append(
                f"{document.rel_path}: field 'id': {document.id!r} is already used by {seen[document.id]}; "
                "ids must be unique"
            )
            continue
        seen[document.id] = document.rel_path
        documents.append(document)
    if not documents and not problems:
        problems.append(f"{root}: no Markdown (.md) documents found")
    if problems:
        raise CorpusError(problems)
    return documents
