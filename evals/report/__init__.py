"""Write an evaluation report as report.json, report.md and report.html (with inline SVG charts).

tables.py turns the report's figures into rows; markdown.py and page.py render them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from evals.report.markdown import to_markdown
from evals.report.page import to_html
from evals.report.tables import summary_rows

__all__ = ["print_summary", "to_html", "to_markdown", "write_reports"]


def write_reports(report: dict[str, Any], out: Path) -> list[Path]:
    """Write report.json, report.md and report.html into out (created if missing); return their paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "report.json", out / "report.md", out / "report.html"]
    paths[0].write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    paths[1].write_text(to_markdown(report), encoding="utf-8")
    paths[2].write_text(to_html(report), encoding="utf-8")
    return paths


def print_summary(report: dict[str, Any]) -> None:
    """The summary table on the console."""
    header, rows = summary_rows(report)
    widths = [
        max(len(str(x)) for x in column) for column in zip(header[:-1], *(r[:-1] for r in rows), strict=True)
    ]
    for row in [header[:-1], *(r[:-1] for r in rows)]:
        print("  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)))
