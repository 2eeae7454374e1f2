"""The /admin page: gaps, disliked answers and documents to review, as server-rendered HTML with inline SVG."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape

from bots.editors.view import EditorsView

STYLE = """
body { margin: 0; font: 17px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #0b0c0c; }
header { background: #0b0c0c; color: #fff; padding: 16px 24px; }
header p { margin: 0; font-size: 22px; font-weight: 700; }
main { max-width: 1000px; margin: 0 auto; padding: 24px 24px 80px; }
h1 { font-size: 32px; line-height: 1.2; margin: 0 0 16px; }
h2 { font-size: 24px; margin: 40px 0 8px; border-top: 4px solid #1d70b8; padding-top: 12px; }
h3 { font-size: 19px; margin: 20px 0 4px; }
table { border-collapse: collapse; width: 100%; font-size: 15px; margin: 8px 0 16px; }
th, td { text-align: left; border-bottom: 1px solid #b1b4b6; padding: 6px 8px 6px 0; vertical-align: top; }
caption { text-align: left; font-weight: 700; padding: 4px 0; }
a { color: #1d4e89; }
a:focus-visible, summary:focus-visible { outline: 3px solid #0b0c0c; outline-offset: 2px; background: #ffdd00; }
.lede { color: #484949; }
.tag { display: inline-block; padding: 0 6px; margin-right: 4px; background: #f3f2f1; border: 1px solid #b1b4b6; }
.overdue { color: #942514; font-weight: 700; }
.answer { border-left: 4px solid #b1b4b6; padding-left: 8px; white-space: pre-wrap; font-size: 15px; }
svg text { font: 13px system-ui, Arial, sans-serif; fill: #0b0c0c; }
.downloads a { margin-right: 16px; }
"""


def when(timestamp: float) -> str:
    return dt.datetime.fromtimestamp(timestamp, tz=dt.UTC).strftime("%Y-%m-%d")


def bar_chart(title: str, bars: Sequence[tuple[str, float]], *, unit: str = "") -> str:
    """A horizontal bar chart as inline SVG; the same figures are in the table beside it."""
    if not bars:
        return ""
    top = max(value for _, value in bars) or 1
    height = 24 * len(bars) + 8
    rows = []
    for i, (label, value) in enumerate(bars):
        y = 4 + 24 * i
        width = max(2, int(420 * value / top))
        short = label if len(label) <= 44 else label[:43] + "…"
        rows.append(
            f'<text x="0" y="{y + 15}">{escape(short)}</text>'
            f'<rect x="330" y="{y + 2}" width="{width}" height="16" fill="#1d70b8"></rect>'
            f'<text x="{336 + width}" y="{y + 15}">{value:g}{unit}</text>'
        )
    return (
        f'<svg role="img" aria-label="{escape(title)}" viewBox="0 0 820 {height}" width="100%" '
        f'height="{height}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        + "".join(rows)
        + "</svg>"
    )


def table(caption: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A table whose cells are already escaped HTML."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def text_or_expired(text: str | None) -> str:
    return escape(text) if text else "<em>(text past the retention period)</em>"


def gaps_section(view: EditorsView, since: str) -> str:
    report = view.gaps
    parts = [
        '<h2 id="gaps">1. Topics the almanac does not cover</h2>',
        f'<p class="lede">{report.short} of {report.asked} questions in the last {escape(since)} were refused '
        "for lack of evidence, answered from weak matches, or rated unhelpful; grouped by meaning, the biggest "
        "and newest first.</p>",
        f'<p class="downloads"><a href="/admin/gaps.csv?since={escape(since)}" download>Download gaps (CSV)</a>'
        f'<a href="/admin/drafts.jsonl?since={escape(since)}" download>Draft test questions (JSONL)</a></p>',
    ]
    if not report.gaps:
        return "".join([*parts, "<p>No gaps in this period.</p>"])
    parts.append(bar_chart("Questions per gap topic", [(g.name, g.count) for g in report.gaps[:12]]))
    rows = []
    for g in report.gaps:
        trend = " ".join(f"{escape(w)}: {g.weeks.get(w, 0)}" for w in report.weeks)
        why = "".join(f'<span class="tag">{escape(r)} {n}</span>' for r, n in g.reasons.items())
        rows.append(
            [
                str(g.id),
                escape(g.name),
                escape(g.outcome_name or ""),
                str(g.count),
                when(g.newest),
                why,
                trend,
            ]
        )
    headers = [
        "Gap",
        "Topic (most central question)",
        "Nearest outcome",
        "Questions",
        "Newest",
        "Why",
        "By week",
    ]
    parts.append(table("Gap topics", headers, rows))
    for g in report.gaps[:10]:
        examples = "".join(
            f'<li><p>{text_or_expired(a.question)} <span class="tag">{escape(a.status)}</span></p>'
            f'<p class="answer">{text_or_expired(a.answer_text)}</p></li>'
            for a in g.examples
        )
        parts.append(
            f"<details><summary>Gap {g.id}: {escape(g.name)} ({g.count})</summary><ul>{examples}</ul>"
            f'<p><a href="/admin/drafts.jsonl?since={escape(since)}&amp;gap={g.id}" download>'
            f"Export gap {g.id} as draft test questions (JSONL)</a></p></details>"
        )
    return "".join(parts)


def feedback_section(view: EditorsView, since: str) -> str:
    report = view.feedback
    parts = [
        '<h2 id="feedback">2. Answers users disliked</h2>',
        f'<p class="lede">{report.helpful} helpful and {report.unhelpful} unhelpful ratings.</p>',
        f'<p class="downloads"><a href="/admin/feedback.csv?since={escape(since)}" download>'
        "Download feedback (CSV)</a></p>",
    ]
    rated = [t for t in report.by_outcome if t.helpful_rate is not None]
    parts.append(
        bar_chart(
            "Helpful rate by outcome", [(t.key, round(100 * (t.helpful_rate or 0))) for t in rated], unit="%"
        )
    )

    def tally_rows(tallies: Sequence[object]) -> list[list[str]]:
        out = []
        for t in tallies:
            d = t.as_dict()  # type: ignore[attr-defined]
            rate = "" if d["helpful_rate"] is None else f"{float(d['helpful_rate']):.0%}"
            comments = "<br>".join(escape(str(c)) for c in list(d["comments"])[:3])
            out.append([escape(str(d["key"])), str(d["helpful"]), str(d["unhelpful"]), rate, comments])
        return out

    headers = ["", "Helpful", "Unhelpful", "Helpful rate", "Comments"]
    parts.append(table("Feedback by outcome", ["Outcome", *headers[1:]], tally_rows(report.by_outcome)))
    cited = [t for t in report.by_document if t.unhelpful]
    parts.append(
        table("Documents most cited in unhelpful answers", ["Document", *headers[1:]], tally_rows(cited))
    )
    disliked = [
        [
            text_or_expired(a.question),
            text_or_expired(a.answer_text),
            escape(", ".join(a.doc_ids)),
            when(a.created_at),
        ]
        for a in report.disliked[:20]
    ]
    parts.append(table("Disliked answers, newest first", ["Question", "Answer", "Cited", "Asked"], disliked))
    return "".join(parts)


def reviews_section(view: EditorsView) -> str:
    overdue = sum(t.review.overdue for t in view.reviews)
    rows = [
        [
            escape(t.review.title),
            escape(t.review.doc_id),
            t.review.reviewed.isoformat(),
            '<span class="overdue">overdue</span>' if t.review.overdue else "",
            str(t.cited),
        ]
        for t in view.reviews
    ]
    return (
        '<h2 id="reviews">3. Documents to review</h2>'
        f'<p class="lede">{overdue} of {len(view.reviews)} documents are past the review age; overdue and most '
        "cited first.</p>"
        '<p class="downloads"><a href="/admin/reviews.csv" download>Download documents to review (CSV)</a></p>'
        + table(
            "Documents by review date", ["Document", "Id", "Last reviewed", "Status", "Times cited"], rows
        )
    )


def admin_page(view: EditorsView, *, since: str, nonce: str) -> str:
    """The editors' page: gaps, disliked answers, documents to review, in that order."""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>Editors\' view - Almanac Assistant</title><style nonce="{nonce}">{STYLE}</style></head><body>'
        "<header><p>Almanac Assistant: editors' view</p></header><main>"
        f"<h1>What to fix first</h1><p>Questions asked since {when(view.since)} ({escape(since)}). "
        'Jump to <a href="#gaps">gaps</a>, <a href="#feedback">disliked answers</a> or '
        '<a href="#reviews">documents to review</a>.</p>'
        + gaps_section(view, since)
        + feedback_section(view, since)
        + reviews_section(view)
        + "</main></body></html>"
    )
