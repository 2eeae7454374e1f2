"""Citation numbering: sources numbered in order of first use, one number per document section."""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.anchors import page_link
from assistant.answer import Citation
from assistant.retrieval import Hit


class CitationBook:
    """Numbers sources in order of first use; one number per document section."""

    def __init__(self) -> None:
        self.citations: list[Citation] = []
        self._numbers: dict[tuple[str, str], int] = {}

    @classmethod
    def continuing(cls, citations: list[Citation]) -> CitationBook:
        """A book that goes on numbering after the citations an answer already has."""
        book = cls()
        book.citations = list(citations)
        book._numbers = {(c.doc_id, c.section): c.n for c in citations}
        return book

    def number_for(self, hit: Hit, snippet: str) -> int:
        meta = hit.chunk.metadata
        key = (hit.chunk.doc_id, str(meta.get("heading_path") or meta.get("section") or ""))
        if key not in self._numbers:
            n = len(self.citations) + 1
            self._numbers[key] = n
            self.citations.append(citation_for(hit, n, snippet))
        return self._numbers[key]


def citation_for(hit: Hit, n: int, snippet: str) -> Citation:
    """A Citation built from a retrieved chunk's metadata."""
    meta = hit.chunk.metadata
    outcomes = [s for s in str(meta.get("outcomes", "")).split(",") if s]
    section = str(meta.get("heading_path") or meta.get("section") or "")
    return Citation(
        n=n,
        doc_id=hit.chunk.doc_id,
        title=str(meta.get("title", hit.chunk.doc_id)),
        section=section,
        snippet=snippet,
        path=f"corpus/{meta.get('source_path', '')}",
        url=str(meta.get("url") or "") or None,
        outcomes=outcomes,
        council=str(meta.get("council")) or None,
        doc_type=str(meta.get("type", "")),
        reviewed=str(meta.get("reviewed") or "") or None,
        page=page_link(hit.chunk.doc_id, section),
    )


MARKER_RE = re.compile(r"\[(\d+)\]")


def in_reading_order(text: str, citations: list[Citation]) -> tuple[str, list[Citation]]:
    """The text and its citations renumbered so that numbers run from 1 in the order a reader meets them,
    after a passage was added ahead of points that were numbered first; sources no longer cited go."""
    order: dict[int, int] = {}
    for match in MARKER_RE.finditer(text):
        order.setdefault(int(match.group(1)), len(order) + 1)
    if all(old == new for old, new in order.items()):
        return text, [c for c in citations if c.n in order]  # a source whose points went is not listed
    text = MARKER_RE.sub(lambda m: f"[{order.get(int(m.group(1)), int(m.group(1)))}]", text)
    renumbered = [replace(c, n=order[c.n]) for c in citations if c.n in order]
    return text, sorted(renumbered, key=lambda c: c.n)
