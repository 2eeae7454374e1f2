"""Small inline SVG charts for the HTML report: no plotting library, readable in any browser."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape

PALETTE = ("#1d70b8", "#00703c", "#d4351c", "#4c2c92", "#f47738", "#505a5f")
FONT = "font-family='Arial, sans-serif' font-size='12'"


def colour(index: int) -> str:
    """A distinct, high-contrast colour for the index-th series."""
    return PALETTE[index % len(PALETTE)]


def _legend(names: Sequence[str], x: float, y: float) -> list[str]:
    parts = []
    for i, name in enumerate(names):
        left = x + i * 110
        parts.append(f"<rect x='{left}' y='{y - 10}' width='12' height='12' fill='{colour(i)}'/>")
        parts.append(f"<text x='{left + 17}' y='{y}' {FONT}>{escape(name)}</text>")
    return parts


def _svg(width: float, height: float, title: str, body: list[str]) -> str:
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width:.0f} {height:.0f}' width='{width:.0f}' "
        f"height='{height:.0f}' role='img' aria-label='{escape(title, quote=True)}'>"
        f"<title>{escape(title)}</title>"
        f"<text x='0' y='16' {FONT} font-size='15' font-weight='bold'>{escape(title)}</text>"
        + "".join(body)
        + "</svg>"
    )


def bar_chart(
    title: str,
    categories: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    max_value: float = 1.0,
    percent: bool = True,
) -> str:
    """Horizontal grouped bars: one row per category, one bar per series; None draws as 'n/a'."""
    label_width, plot_width, bar_height, gap = 210, 380, 12, 10
    names = list(series)
    row_height = bar_height * max(1, len(names)) + gap
    top = 48
    height = top + row_height * len(categories) + 24
    body = _legend(names, label_width, 38)
    scale = plot_width / max_value if max_value > 0 else 0.0
    for row, category in enumerate(categories):
        y0 = top + row * row_height
        body.append(
            f"<text x='{label_width - 8}' y='{y0 + row_height / 2}' text-anchor='end' {FONT}>"
            f"{escape(category)}</text>"
        )
        for i, name in enumerate(names):
            value = series[name][row]
            y = y0 + i * bar_height
            if value is None:
                body.append(
                    f"<text x='{label_width + 4}' y='{y + bar_height - 2}' {FONT} fill='#505a5f'>n/a</text>"
                )
                continue
            width = max(0.0, min(value, max_value) * scale)
            text = f"{value:.0%}" if percent else f"{value:,.0f}"
            body.append(
                f"<rect x='{label_width}' y='{y}' width='{width:.1f}' height='{bar_height - 2}' "
                f"fill='{colour(i)}'>"
                f"<title>{escape(name)}: {text}</title></rect>"
            )
            body.append(
                f"<text x='{label_width + width + 4:.1f}' y='{y + bar_height - 3}' {FONT}>{text}</text>"
            )
    axis_y = top + row_height * len(categories)
    body.append(
        f"<line x1='{label_width}' y1='{top - 4}' x2='{label_width}' y2='{axis_y}' stroke='#0b0c0c'/>"
    )
    return _svg(label_width + plot_width + 60, height, title, body)


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = span / ticks if span > 0 else 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)


def histogram(title: str, series: Mapping[str, Sequence[float]], *, bins: int = 12, unit: str = "ms") -> str:
    """Grouped histogram of values per series over shared bins (the top 1% folded into the last bin)."""
    values = sorted(v for vs in series.values() for v in vs)
    names = list(series)
    left, plot_width, plot_height, top = 50, 560, 200, 48
    body = _legend(names, left, 38)
    if not values:
        body.append(f"<text x='{left}' y='{top + 20}' {FONT}>No data</text>")
        return _svg(left + plot_width + 20, top + 60, title, body)
    high = values[min(len(values) - 1, int(len(values) * 0.99))] or 1.0
    step = _nice_step(high / bins, 1)
    edges = [step * i for i in range(math.ceil(high / step) + 1)]
    counts = {name: [0] * (len(edges) - 1) for name in names}
    for name in names:
        for value in series[name]:
            counts[name][min(int(value // step), len(edges) - 2)] += 1
    peak = max(max(c) for c in counts.values()) or 1
    slot = plot_width / (len(edges) - 1)
    bar = max(1.0, (slot - 4) / max(1, len(names)))
    base = top + plot_height
    for b in range(len(edges) - 1):
        for i, name in enumerate(names):
            h = plot_height * counts[name][b] / peak
            x = left + b * slot + 2 + i * bar
            body.append(
                f"<rect x='{x:.1f}' y='{base - h:.1f}' width='{bar:.1f}' height='{h:.1f}' fill='{colour(i)}'>"
                f"<title>{escape(name)}: {counts[name][b]} between {edges[b]:g} and {edges[b + 1]:g} {unit}"
                "</title></rect>"
            )
    body.append(f"<line x1='{left}' y1='{base}' x2='{left + plot_width}' y2='{base}' stroke='#0b0c0c'/>")
    label_every = max(1, math.ceil((len(edges) - 1) / 8))
    for b in range(0, len(edges), label_every):
        x = left + b * slot
        body.append(f"<text x='{x:.1f}' y='{base + 16}' text-anchor='middle' {FONT}>{edges[b]:g}</text>")
    body.append(
        f"<text x='{left + plot_width / 2}' y='{base + 34}' text-anchor='middle' {FONT}>"
        f"latency ({unit})</text>"
    )
    body.append(f"<text x='{left - 6}' y='{top + 10}' text-anchor='end' {FONT}>{peak}</text>")
    body.append(f"<text x='{left - 6}' y='{base}' text-anchor='end' {FONT}>0</text>")
    return _svg(left + plot_width + 20, base + 44, title, body)
