"""Heading-aware chunking: every chunk keeps its heading path and its document's metadata."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from assistant.documents import ALSO_ASKED_KEY, ALSO_ASKED_RE, KNOWN_AS_KEY, Chunk, Document
from assistant.errors import CorpusError
from assistant.outcomes import OUTCOME_SLUGS
from ingest.tokens import TokenCounter, token_counter

HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
LIST_ITEM_RE = re.compile(r"^\s{0,3}([-*+]|\d+[.)])\s+")
SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(\[])")
# Reference lists are kept in each chunk's metadata; their text only adds noise to retrieval.
SKIPPED_SECTIONS = frozenset({"Sources", "Key sources"})
# A section whose title and headings leave less room than this for text is a mistake in the document.
MIN_TEXT_TOKENS = 64


MAX_ASKED_WORDS = 30


@dataclass
class Section:
    path: list[str]
    blocks: list[str]
    also_asked: list[str] = field(default_factory=list)


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

    asked: list[str] = []

    def flush_section() -> None:
        flush_block()
        if blocks:
            sections.append(Section([title for _, title in stack], list(blocks), list(asked)))
            blocks.clear()
        asked.clear()

    for line in body.splitlines():
        if line.strip().startswith("```"):
            in_fence = not in_fence
        match = None if in_fence else HEADING_RE.match(line)
        also = None if in_fence else ALSO_ASKED_RE.match(line)
        if also:
            flush_block()
            asked.extend(q.strip() for q in also["asked"].split("|") if q.strip())
        elif match:
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


def _pieces(block: str, limit: int, counter: TokenCounter) -> list[str]:
    """Split a block that is too long into sentences, and sentences into word runs."""
    if counter.count(block) <= limit:
        return [block]
    pieces: list[str] = []
    for sentence in SENTENCE_RE.split(block):
        if counter.count(sentence) <= limit:
            pieces.append(sentence)
        else:
            pieces.extend(counter.split(sentence, limit))
    return pieces


def _tail(text: str, overlap: int, counter: TokenCounter) -> str:
    """The last sentences of text that fit within overlap tokens."""
    kept: list[str] = []
    size = 0
    for sentence in reversed(SENTENCE_RE.split(text) if overlap > 0 else []):
        size += counter.count(sentence)
        if size > overlap:
            break
        kept.insert(0, sentence)
    return " ".join(kept)


def joined(pieces: list[tuple[str, int]]) -> str:
    """Pieces as one chunk's text: sentences of one paragraph run on, paragraphs and list items stay apart."""
    text = ""
    for number, (piece, block) in enumerate(pieces):
        if number:
            text += " " if block == pieces[number - 1][1] else "\n\n"
        text += piece
    return text


def pack_section(
    blocks: list[str],
    *,
    target: int,
    overlap: int,
    counter: TokenCounter | None = None,
    limit: int | None = None,
) -> list[str]:
    """Pack a section's blocks into chunks of about target tokens, overlapping by about overlap.

    Args:
        blocks: the section's paragraphs and list items, in order.
        target: the size a chunk grows to before the next one starts.
        overlap: tokens of a chunk's last sentences repeated at the start of the next.
        counter: counts tokens with the embedding model's tokenizer; default the bundled model's.
        limit: no chunk is longer than this (the room the model's window leaves); default target + overlap.

    Returns:
        The chunks' texts.
    """
    counter = counter or token_counter()
    limit = target + overlap if limit is None else limit
    target = min(target, limit)
    # Whitespace separates tokens, so a joined text has the sum of its pieces' tokens.
    pieces = [
        (piece, index) for index, block in enumerate(blocks) for piece in _pieces(block, target, counter)
    ]
    sizes = counter.count_many([piece for piece, _ in pieces])
    chunks: list[str] = []
    current: list[tuple[str, int]] = []
    size = 0
    for (piece, block), piece_size in zip(pieces, sizes, strict=True):
        if current and size + piece_size > target:
            chunks.append(joined(current))
            last, last_block = current[-1]
            carry = _tail(last, overlap, counter)
            carry_size = counter.count(carry) if carry and carry != piece else 0
            # The overlap gives way when it would push the chunk past the limit.
            current = [(carry, last_block)] if carry_size and carry_size + piece_size <= limit else []
            size = carry_size if current else 0
        current.append((piece, block))
        size += piece_size
    if current:
        chunks.append(joined(current))
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
    if meta.known_as:
        data[KNOWN_AS_KEY] = "; ".join(meta.known_as)
    return data


def _heading_tokens(base: dict[str, Any], heading_path: str, counter: TokenCounter) -> int:
    """Tokens the title and heading path add to every chunk of a section when it is embedded."""
    bare = Chunk(id="", doc_id="", text="", metadata=dict(base, heading_path=heading_path))
    return counter.count(bare.embedding_text())


def check_also_asked(rel_path: str, path: list[str], asked: list[str]) -> None:
    """An "also asked" line belongs under a common question and holds whole questions."""
    heading = " > ".join(path) or "(no heading)"
    if len(path) < 2 or path[0] != "Common questions":
        raise CorpusError(
            [
                f"{rel_path}: an 'also asked' line sits under '{heading}'; put it under a common question's heading"
            ]
        )
    for question in asked:
        if not question.endswith("?") or len(question.split()) > MAX_ASKED_WORDS:
            raise CorpusError(
                [
                    f"{rel_path}: under '{heading}', the 'also asked' entry '{question[:60]}' should be one "
                    f"question ending with '?' of at most {MAX_ASKED_WORDS} words, entries separated by ' | '"
                ]
            )


def chunk_document(
    document: Document, *, target: int = 200, overlap: int = 40, counter: TokenCounter | None = None
) -> list[Chunk]:
    """Chunk a document: a summary chunk first, then its sections in order.

    Sizes are counted with the embedding model's tokenizer (the bundled model's unless counter is
    given), and no chunk's embedded text (title and heading path included) exceeds the model's window.
    """
    counter = counter or token_counter()
    base = document_metadata(document)
    sections: list[tuple[str, str, list[str]]] = [("Summary", "Summary", [document.meta.summary.strip()])]
    also_asked: dict[str, list[str]] = {}
    for section in split_sections(document.body):
        path = [p for p in section.path if p != document.meta.title]
        top = path[0] if path else "Introduction"
        if section.also_asked:
            check_also_asked(document.rel_path, path, section.also_asked)
            also_asked[" > ".join(path)] = section.also_asked
        if top not in SKIPPED_SECTIONS:
            sections.append((top, " > ".join(path), section.blocks))
    # One tokenizer call counts every block and sentence the packing may ask about.
    counter.count_many([s for _, _, blocks in sections for b in blocks for s in (b, *SENTENCE_RE.split(b))])
    texts: list[tuple[str, str, str]] = []
    for section_name, heading_path, blocks in sections:
        room = counter.window - _heading_tokens(base, heading_path, counter)
        if room < MIN_TEXT_TOKENS:
            raise CorpusError(
                [
                    f"{document.rel_path}: the title and heading '{heading_path}' leave {max(room, 0)} of the "
                    f"embedding model's {counter.max_seq_length} tokens for text; shorten them"
                ]
            )
        for text in pack_section(blocks, target=target, overlap=overlap, counter=counter, limit=room):
            texts.append((section_name, heading_path, text))
    chunks = []
    for index, (section_name, heading_path, text) in enumerate(texts):
        metadata = dict(base, section=section_name, heading_path=heading_path, chunk_index=index)
        if heading_path in also_asked:
            metadata[ALSO_ASKED_KEY] = json.dumps(also_asked[heading_path], ensure_ascii=False)
        chunks.append(
            Chunk(id=f"{document.id}#{index:03d}", doc_id=document.id, text=text, metadata=metadata)
        )
    return chunks
