"""Heading anchors: one slug function shared by the almanac pages and the citations that link to them."""

from __future__ import annotations

import re
import unicodedata

NON_WORD_RE = re.compile(r"[^a-z0-9]+")
MARKUP_RE = re.compile(r"[`*_]")
SUMMARY_ANCHOR = "summary"


def slugify(text: str) -> str:
    """A heading's anchor: ASCII lowercase words joined by hyphens ("First 90 days" -> "first-90-days")."""
    plain = unicodedata.normalize("NFKD", MARKUP_RE.sub("", text)).encode("ascii", "ignore").decode()
    return NON_WORD_RE.sub("-", plain.lower()).strip("-") or "section"


class AnchorBook:
    """Hands out unique anchors in page order: a repeated heading gets "-2", "-3" and so on."""

    def __init__(self, taken: set[str] | None = None) -> None:
        self.taken: set[str] = set(taken or ())

    def anchor(self, text: str) -> str:
        base = slugify(text)
        anchor, n = base, 1
        while anchor in self.taken:
            n += 1
            anchor = f"{base}-{n}"
        self.taken.add(anchor)
        return anchor


def section_anchor(heading_path: str) -> str | None:
    """The anchor of a cited section: the slug of its heading path's last heading; None for no heading."""
    last = heading_path.split(" > ")[-1].strip()
    if not last or last == "Introduction":
        return None
    return SUMMARY_ANCHOR if last == "Summary" else slugify(last)


def page_link(doc_id: str, heading_path: str = "") -> str:
    """The almanac page of a document, at the cited section when there is one."""
    anchor = section_anchor(heading_path)
    return f"/almanac/{doc_id}" + (f"#{anchor}" if anchor else "")
