"""The editors' reports as rows, and those rows as a text table, Markdown, CSV or JSON."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Sequence

from assistant.editors.gaps import GapReport
from assistant.editors.ratings import FeedbackReport

FORMATS = ("table", "md", "csv", "json")
Row = dict[str, object]


def when(timestamp: float) -> str:
    return dt.datetime.fromtimestamp(timestamp, tz=dt.UTC).strftime("%Y-%m-%d")


def gap_rows(report: GapReport) -> list[Row]:
    """One row per gap, biggest and newest first."""
    return [
        {
            "gap": gap.id,
            "questions": gap.count,
            "newest": when(gap.newest),
            "outcome": gap.outcome or "",
            "why": ", ".join(f"{reason} {n}" for reason, n in gap.reasons.items()),
            "by_week": " ".join(str(gap.weeks.get(week, 0)) for week in report.weeks),
            "topic": gap.name,
        }
        for gap in report.gaps
    ]


def feedback_rows(report: FeedbackReport) -> list[Row]:
    """One row per outcome, then one per cited document, most unhelpful first."""
    rows: list[Row] = []
    for by, tallies in (("outcome", report.by_outcome), ("document", report.by_document)):
        for t in tallies:
            rate = t.helpful_rate
            rows.append(
                {
                    "by": by,
                    "key": t.key,
                    "helpful": t.helpful,
                    "unhelpful": t.unhelpful,
                    "helpful_rate": "" if rate is None else f"{rate:.0%}",
                    "comments": " | ".join(t.comments[:3]),
                }
            )
    return rows


def render(rows: Sequence[Row], fmt: str) -> str:
    """Rows in one of FORMATS; ValueError naming the allowed formats otherwise."""
    if fmt not in FORMATS:
        raise ValueError(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}.")
    if fmt == "json":
        return json.dumps(list(rows), indent=2, ensure_ascii=False) + "\n"
    if not rows:
        return "" if fmt == "csv" else "Nothing in this period.\n"
    columns = list(rows[0])
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()
    cells = [[str(row[c]).replace("|", "/").replace("\n", " ") for c in columns] for row in rows]
    if fmt == "md":
        lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in cells]) + "\n"
    widths = [max(len(c), *(min(len(r[i]), 70) for r in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    for r in cells:
        lines.append("  ".join(v[:70].ljust(w) for v, w in zip(r, widths, strict=True)).rstrip())
    return "\n".join(lines) + "\n"
