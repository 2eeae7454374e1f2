"""Small corpora written on the fly, for ingestion tests."""

from __future__ import annotations

import textwrap
from pathlib import Path


def write_doc(
    root: Path, name: str, *, doc_id: str, title: str, body: str, outcomes: str = "[data]", extra: str = ""
) -> Path:
    """Write one valid guidance-style document (overridable) and return its path."""
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    head = textwrap.dedent(
        f"""\
        ---
        id: {doc_id}
        title: "{title}"
        type: guidance
        outcomes: {outcomes}
        summary: A short test document about {title.lower()}.
        sources:
          - title: "A source"
            publisher: Local Government Association
            year: 2023
        updated: 2026-11-27
        """
    )
    path.write_text(head + (extra + "\n" if extra else "") + "---\n" + body, encoding="utf-8")
    return path


def paragraph(topic: str, n: int = 6) -> str:
    """A paragraph of distinct sentences about a topic."""
    return " ".join(
        f"Sentence {i} explains how councils handle {topic} in practice, step {i}." for i in range(n)
    )


def small_corpus(root: Path) -> Path:
    """Three documents with several sections each."""
    topics = {
        "ransomware": ("doc-ransomware", "Ransomware recovery"),
        "open data": ("doc-open-data", "Open data standards"),
        "webcasting": ("doc-webcasting", "Webcasting meetings"),
    }
    for topic, (doc_id, title) in topics.items():
        body = "".join(
            f"\n## Part {p}\n\n{paragraph(topic)}\n\n{paragraph(topic + ' again')}\n" for p in range(3)
        )
        write_doc(root, f"{doc_id}.md", doc_id=doc_id, title=title, body=body)
    return root
