"""Inline SVG charts (no script, no network): bars per pattern, stacked bars per project or
team, and lines over time for --history."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from evlint.report.classify import PATTERN_TITLES, PATTERNS
from evlint.report.inventory import Summary

BAR_HEIGHT, GAP, LABEL_WIDTH, BAR_WIDTH, VALUE_WIDTH = 18, 6, 250, 420, 60
SERIES = ("production", "test", "docs")
PALETTE = ("#c0392b", "#e6a23c", "#5b8def", "#2e8b57", "#8e44ad", "#16a085", "#7f8c8d", "#d35400", "#2c3e50")


def _svg(name: str, label: str, width: int, height: int) -> str:
    return (
        f"<svg class='chart' id='chart-{escape(name)}' xmlns='http://www.w3.org/2000/svg'"
        f" width='{width}' height='{height}' viewBox='0 0 {width} {height}' role='img'"
        f" aria-label='{escape(label)}'>"
    )


def stacked_bars(bars: Sequence[tuple[str, Sequence[int]]], name: str) -> str:
    """A horizontal bar per label, its production, test and docs counts stacked."""
    biggest = max((sum(values) for _, values in bars), default=0) or 1
    height = len(bars) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    parts = [_svg(name, f"Occurrences: {name}", width, height)]
    for row, (label, values) in enumerate(bars):
        y = GAP + row * (BAR_HEIGHT + GAP)
        text_y = y + BAR_HEIGHT - 4
        parts.append(f"<text x='0' y='{text_y}'>{escape(label[:36])}</text>")
        x = LABEL_WIDTH
        for css, value in zip(SERIES, values, strict=False):
            if value:
                bar = max(1, round(BAR_WIDTH * value / biggest))
                parts.append(
                    f"<rect class='{css}' x='{x}' y='{y}' width='{bar}' height='{BAR_HEIGHT}'>"
                    f"<title>{escape(f'{label}: {value} in {css}')}</title></rect>"
                )
                x += bar
        parts.append(f"<text x='{x + 6}' y='{text_y}'>{sum(values)}</text>")
    parts.append("</svg>")
    return "".join(parts)


def pattern_chart(summary: Summary, name: str, *, skip_empty: bool = False) -> str:
    """A bar per pattern, production and test stacked (docs in their own colour)."""
    bars = []
    for pattern in PATTERNS:
        counts = summary.by_pattern[pattern]
        if skip_empty and not counts.total:
            continue
        values = (0, 0, counts.total) if pattern == "docs" else (counts.production, counts.test, 0)
        bars.append((PATTERN_TITLES[pattern], values))
    return stacked_bars(bars, name)


def line_chart(labels: Sequence[str], series: Sequence[tuple[str, Sequence[int]]], name: str) -> str:
    """One line per series over the labels (revisions), with the values marked."""
    width, height, left, bottom, top = 760, 320, 50, 40, 20
    biggest = max((max(values, default=0) for _, values in series), default=0) or 1
    step = (width - left - 20) / max(len(labels) - 1, 1)

    def point(index: int, value: int) -> tuple[float, float]:
        return (left + index * step, top + (height - top - bottom) * (1 - value / biggest))

    parts = [_svg(name, f"Remaining over time: {name}", width, height)]
    parts.append(
        f"<line x1='{left}' y1='{height - bottom}' x2='{width - 10}' y2='{height - bottom}'"
        " style='stroke:#888'/>"
    )
    parts.append(f"<text x='4' y='{top + 4}'>{biggest}</text><text x='4' y='{height - bottom}'>0</text>")
    for index, label in enumerate(labels):
        x, _ = point(index, 0)
        parts.append(
            f"<text x='{x:.1f}' y='{height - bottom + 18}' text-anchor='middle'>{escape(label)}</text>"
        )
    for number, (label, values) in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, v) for i, v in enumerate(values)))
        parts.append(f"<polyline points='{points}' style='fill:none;stroke:{colour};stroke-width:2.5'/>")
        for index, value in enumerate(values):
            x, y = point(index, value)
            parts.append(
                f"<circle cx='{x:.1f}' cy='{y:.1f}' r='3.5' style='fill:{colour}'>"
                f"<title>{escape(f'{labels[index]}: {value} {label}')}</title></circle>"
            )
        legend_y = top + 14 * number
        parts.append(f"<rect x='{width - 170}' y='{legend_y}' width='10' height='10' style='fill:{colour}'/>")
        parts.append(f"<text x='{width - 155}' y='{legend_y + 9}'>{escape(label)}</text>")
    parts.append("</svg>")
    return "".join(parts)
