"""Heading-aware chunking: every chunk keeps its heading path and its document's metadata."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from assistant.documents import Chunk, Document
from assistant.outcomes import OUTCOME_SLUGS

HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
LIST_ITEM_RE = re.compile(r"^\s{0,3}([-*+]|\d+[.)])\s+")
SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(\[])")
WORD_RE = re.compile(r"\S+")
# Reference lists are kept in each chunk's metadata; their text only adds noise to retrieval.
SKIPPED_SECTIONS = frozenset({"Sources", "Key sources"})
# WordPiece splits English into roughly 1.3 tokens a word; exact counts would cost a tokenizer pass.
TOKENS_PER_WORD = 1.3


def estimate_tokens(text: str) -> int:
    """Approximate model tokens in text."""
    return int(len(WORD_RE.findall(text)) * TOKENS_PER_WORD + 0.5)


@dataclass
class Section:
    path: list[str]
    blocks: list[str]


def split_sections(body: str) -> list[Section]:
    """Split Markdown into sections by heading, keeping the heading path; code fences are opaque."""
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    blocks: list[str] = []
    current: list[str] = []
    in_fence = False

    def flush_block() -> None:
        if current:
            text = "\n".join(current).strip()
            if text:
                blocks.append(text)
            current.clear()

    def flush_section() -> None:
        flush_block()
        if blocks:
            sections.append(Section([title for _, title in stack], list(blocks)))
            blocks.clear()

    for line in body.splitlines():
        if line.strip().startswith("```"):
            in_fence = not in_fence
        match = None if in_fence else HEADING_RE.match(line)
        if match:
            flush_section()
            level = len(match.group(1))
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, match.group(2).strip()))
        elif not line.strip() and not in_fence:
            flush_block()
        else:
            if not in_fence and LIST_ITEM_RE.match(line):
                flush_block()  # each list item is a block, so long lists split between items
            current.append(line)
    flush_section()
    return sections


def _pieces(block: str, limit: int) -> list[str]:
    """Split a block that is too long into sentences, and sentences into word runs."""
    if estimate_tokens(block) <= limit:
        return [block]
    pieces: list[str] = []
    for sentence in SENTENCE_RE.split(block):
        if estimate_tokens(sentence) <= limit:
            pieces.append(sentence)
            continue
        words = sentence.split()
        step = max(1, int(limit / TOKENS_PER_WORD))
        pieces.extend(" ".join(words[i : i + step]) for i in range(0, len(words), step))
    return pieces


def _tail(text: str, overlap: int) -> str:
    """The last sentences of text that fit within overlap tokens."""
    if overlap <= 0:
        return ""
    kept: list[str] = []
    for sentence in reversed(SENTENCE_RE.split(text)):
        if estimate_tokens(" ".join([sentence, *kept])) > overlap:
            break
        kept.insert(0, sentence)
    return " ".join(kept)


def pack_section(blocks: list[str], *, target: int, overlap: int) -> list[str]:
    """Pack a section's blocks into chunks of about target tokens, overlapping by about overlap."""
    pieces = [piece for block in blocks for piece in _pieces(block, target)]
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for piece in pieces:
        piece_size = estimate_tokens(piece)
        if current and size + piece_size > target:
            chunks.append("\n\n".join(current))
            carry = _tail(current[-1], overlap)
            current = [carry] if carry and carry != piece else []
            size = estimate_tokens(carry) if current else 0
        current.append(piece)
        size += piece_size
    if current:
        chunks.append("\n\n".join(current))
    return chunks


def document_metadata(document: Document) -> dict[str, Any]:
    """Metadata every chunk of a document carries (Chroma accepts str, int, float and bool values)."""
    meta = document.meta
    data: dict[str, Any] = {
        "doc_id": meta.id,
        "title": meta.title,
        "type": meta.type,
        "outcomes": ",".join(meta.outcomes),
        "source_path": document.rel_path,
        "doc_hash": document.content_hash,
        # The day the document was last checked against its sources, shown beside every citation.
        "reviewed": meta.updated.isoformat(),
        # The almanac's documents have no web address of their own; a deployment may add one.
        "url": "",
    }
    for slug in OUTCOME_SLUGS:
        data[f"outcome_{slug}"] = slug in meta.outcomes
    for name in ("council", "council_type", "region", "years"):
        value = getattr(meta, name)
        data[name] = value or ""
    return data


def chunk_document(document: Document, *, target: int = 200, overlap: int = 40) -> list[Chunk]:
    """Chunk a document: a summary chunk first, then its sections in order."""
    base = document_metadata(document)
    texts: list[tuple[str, str, str]] = [("Summary", "Summary", document.meta.summary.strip())]
    for section in split_sections(document.body):
        path = [p for p in section.path if p != document.meta.title]
        heading_path = " > ".join(path)
        top = path[0] if path else "Introduction"
        if top in SKIPPED_SECTIONS:
            continue
        for text in pack_section(section.blocks, target=target, overlap=overlap):
            texts.append((top, heading_path, text))
    chunks = []
    for index, (section_name, heading_path, text) in enumerate(texts):
        metadata = dict(base, section=section_name, heading_path=heading_path, chunk_index=index)
        chunks.append(
            Chunk(id=f"{document.id}#{index:03d}", doc_id=document.id, text=text, metadata=metadata)
        )
    return chunks
