"""A chunk's quotable sentences and their vectors, computed once at ingestion and kept with the chunk.

Ingestion splits each chunk into sentences with `split_chunk`, embeds them with the same model as the
chunks, and stores both in the chunk's metadata (the texts as JSON, the vectors as base64 float16). The
answer composer reads them back with `sentence_vectors`, so answering costs one query embedding plus dot
products; an index written before sentence vectors existed is handled by embedding on the fly.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from assistant.text import LIST_ITEM_RE, SENTENCE_SPLIT, plain, units

# A bold run-in heading ("**Channel shift.** Residents went online...") labels its sentence: it is read as
# "Channel shift: Residents went online...", never as a sentence of its own.
RUN_IN_RE = re.compile(r"^(\s*(?:[-*+]|\d+[.)])?\s*)\*\*([^*\n]+?)[.:]\*\*\s+")
# A list item up to this many words is one point (see `assistant.sentence_rules.quotable`).
LONG_ITEM_WORDS = 70
SENTENCES_KEY = "sentences"
SENTENCE_VECTORS_KEY = "sentence_vectors"
HEADING_VECTOR_KEY = "heading_vector"
ASKED_VECTORS_KEY = "also_asked_vectors"


def within_quotes(parts: list[str]) -> list[str]:
    """Sentences rejoined where a split fell inside a quotation ('"Learn, Adapt. Lead: Digital fluency"')."""
    joined: list[str] = []
    for part in parts:
        if joined and open_quote(joined[-1]):
            joined[-1] = f"{joined[-1]} {part}"
        else:
            joined.append(part)
    return joined


def open_quote(text: str) -> bool:
    """True when a quotation opened in the text has not been closed."""
    return text.count('"') % 2 == 1 or text.count("“") > text.count("”")


# A list item that carries on its introduction ("...it pledged to get online:" then "- all young people under
# 25"): it starts in lower case and says nothing alone.
CARRIED_ITEM_RE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\*\*)?[a-z£0-9]")


# A short item of a list of names ("- Cornwall;", "- Stevenage."), which says nothing alone either.
NAME_ITEM_WORDS = 8


def carries_on(unit: str, carrying: bool) -> bool:
    """Whether a list item carries on the list's introduction: it starts in lower case, or it is a short item
    ending as a list goes on ("- Broadland and South Norfolk, taking part together;"), or the short last item of
    such a list."""
    if CARRIED_ITEM_RE.match(unit):
        return True
    if not LIST_ITEM_RE.match(unit):
        return False
    item = LIST_ITEM_RE.sub("", unit, count=1).strip()
    short = len(item.split()) <= NAME_ITEM_WORDS
    return short and (item.endswith((";", ",")) or carrying)


def reading_units(text: str) -> list[str]:
    """Paragraphs and list items, with a list that carries on its introduction read with it as one sentence
    ("Figures reported in 2024: the assistants handled 1 million queries; the first phase saved £200,000.")."""
    joined: list[str] = []
    carrying = False
    for unit in units(text):
        # "**The council's side included:**" introduces its list as "The council's side included:" does
        if (
            joined
            and carries_on(unit, carrying)
            and (carrying or joined[-1].rstrip().rstrip("*_").endswith(":"))
        ):
            # A bold item ends "...technology.**": its full stop goes too, or the list ends "technology.."
            item = LIST_ITEM_RE.sub("", unit, count=1).strip().rstrip("*_").rstrip(";,.")
            joined[-1] = f"{joined[-1].rstrip().rstrip(';,.')}{' ' if not carrying else '; '}{item}"
            carrying = True
            continue
        if carrying:
            joined[-1] += "."
        carrying = False
        joined.append(unit)
    if carrying:
        joined[-1] += "."
    return joined


def split_chunk(text: str) -> list[str]:
    """The sentences of a chunk, in order, as plain text; list items and paragraphs are boundaries."""
    found: list[str] = []
    for unit in reading_units(text):
        line = plain(RUN_IN_RE.sub(r"\1\2: ", unit, count=1))
        if not line:
            continue
        parts = within_quotes([p.strip() for p in SENTENCE_SPLIT.split(line) if p.strip()])
        if LIST_ITEM_RE.match(unit) and len(line.split()) <= LONG_ITEM_WORDS:
            # A list item is one point even when it runs to two sentences; one that tells a whole story
            # ("**Ealing** replaced... Rather than scrap the old machines, it passed them to...") is read
            # sentence by sentence, or it would be too long to quote at all.
            parts = [" ".join(parts)] if parts else []
        found.extend(parts)
    return found


def last_heading(metadata: dict[str, Any]) -> str:
    """The heading a chunk sits directly under ("" for a summary)."""
    path = str(metadata.get("heading_path") or "")
    return path.split(" > ")[-1] if path else ""


def encode_vectors(vectors: Sequence[Sequence[float]]) -> str:
    """Vectors packed as base64 float16 (Chroma metadata holds only scalars)."""
    array = np.asarray(vectors, dtype=np.float16)
    return base64.b64encode(array.tobytes()).decode("ascii")


def decode_vectors(packed: str, dim: int | None = None) -> np.ndarray:
    """The float32 matrix packed by encode_vectors."""
    array = np.frombuffer(base64.b64decode(packed), dtype=np.float16).astype(np.float32)
    if dim:
        return array.reshape(-1, dim)
    return array.reshape(1, -1) if array.size else array.reshape(0, 0)


def attach_sentence_vectors(
    metadata: dict[str, Any],
    sentences: list[str],
    vectors: Sequence[Sequence[float]],
    heading_vector: Sequence[float] | None,
    asked_vectors: Sequence[Sequence[float]] = (),
) -> None:
    """Store a chunk's sentences and their vectors in its metadata, with the vectors of its heading and of the
    other ways its question is asked."""
    metadata[SENTENCES_KEY] = json.dumps(sentences, ensure_ascii=False)
    metadata[SENTENCE_VECTORS_KEY] = encode_vectors(vectors) if sentences else ""
    metadata[HEADING_VECTOR_KEY] = encode_vectors([heading_vector]) if heading_vector is not None else ""
    if asked_vectors:
        metadata[ASKED_VECTORS_KEY] = encode_vectors(asked_vectors)


def stored_sentences(metadata: dict[str, Any], dim: int) -> tuple[list[str], np.ndarray] | None:
    """A chunk's stored sentences and vectors, or None when the index predates them."""
    raw = metadata.get(SENTENCES_KEY)
    if not isinstance(raw, str) or not raw:
        return None
    sentences = json.loads(raw)
    packed = str(metadata.get(SENTENCE_VECTORS_KEY) or "")
    vectors = decode_vectors(packed, dim) if packed else np.zeros((0, dim), dtype=np.float32)
    if len(sentences) != len(vectors):
        return None
    return sentences, vectors


def stored_asked_vectors(metadata: dict[str, Any], dim: int) -> np.ndarray:
    """The vectors of the other ways a common question is asked (none when the guide gives none)."""
    packed = str(metadata.get(ASKED_VECTORS_KEY) or "")
    return decode_vectors(packed, dim) if packed else np.zeros((0, dim), dtype=np.float32)


def stored_heading_vector(metadata: dict[str, Any], dim: int) -> np.ndarray | None:
    """The vector of the heading a chunk sits under, if ingestion stored one."""
    packed = str(metadata.get(HEADING_VECTOR_KEY) or "")
    return decode_vectors(packed, dim)[0] if packed else None


@lru_cache(maxsize=2048)
def paragraphs_of(chunk_text: str) -> tuple[int, ...]:
    """For each sentence `split_chunk` finds in a chunk, the paragraph or list item it sits in."""
    found: list[int] = []
    for index, unit in enumerate(reading_units(chunk_text)):
        found += [index] * len(split_chunk(unit))
    return tuple(found)


@lru_cache(maxsize=2048)
def unit_kinds_of(chunk_text: str) -> tuple[str, ...]:
    """For each sentence `split_chunk` finds in a chunk, the kind of unit it sits in: "item" (a list item),
    "run-in" (a paragraph headed in bold, "**Quick wins.** ...") or "prose"."""
    found: list[str] = []
    for unit in reading_units(chunk_text):
        kind = "item" if LIST_ITEM_RE.match(unit) else "run-in" if RUN_IN_RE.match(unit) else "prose"
        found += [kind] * len(split_chunk(unit))
    return tuple(found)


@lru_cache(maxsize=2048)
def list_items_of(chunk_text: str) -> tuple[bool, ...]:
    """For each sentence `split_chunk` finds in a chunk, whether it sits in a list item or a run-in headed
    paragraph ("**Joined early.** In September...") rather than prose."""
    found: list[bool] = []
    for unit in reading_units(chunk_text):
        found += [bool(LIST_ITEM_RE.match(unit) or RUN_IN_RE.match(unit))] * len(split_chunk(unit))
    return tuple(found)
