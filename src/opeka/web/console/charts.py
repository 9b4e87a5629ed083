"""Charts drawn on the server: SVG bars with geometry in attributes, HTML bars by width class.

The console's CSP allows no inline styles and no scripts of ours on these pages, so a chart is
either an SVG whose rectangles carry ``x``/``y``/``width``/``height`` attributes, or an HTML bar
whose width is one of :data:`STEPS` + 1 classes (``w0`` … ``w20``) in ``console.css``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["STEPS", "Bar", "BarChart", "bar_chart", "width_step"]

STEPS = 20


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar of an SVG chart (user units of the chart's viewBox)."""

    x: float
    y: float
    width: float
    height: float
    label: str
    value: int


@dataclass(frozen=True, slots=True)
class BarChart:
    """An SVG bar chart: its viewBox size, bars and the value the full height stands for."""

    width: int
    height: int
    bars: tuple[Bar, ...]
    maximum: int


def bar_chart(
    points: Sequence[tuple[str, int]], *, width: int = 720, height: int = 160, gap: float = 2
) -> BarChart:
    """Bars for ``(label, value)`` points, left to right, scaled to the largest value."""
    maximum = max((v for _, v in points), default=0)
    if not points:
        return BarChart(width, height, (), 0)
    slot = width / len(points)
    bar_width = max(slot - gap, 1)
    bars = []
    for index, (label, value) in enumerate(points):
        tall = 0.0 if maximum == 0 else round(height * max(value, 0) / maximum, 2)
        bars.append(
            Bar(
                round(index * slot, 2),
                round(height - tall, 2),
                round(bar_width, 2),
                tall,
                label,
                value,
            )
        )
    return BarChart(width, height, tuple(bars), maximum)


def width_step(value: int, maximum: int) -> int:
    """The width class (0 … :data:`STEPS`) of an HTML bar; a non-zero value shows at least 1."""
    if maximum <= 0 or value <= 0:
        return 0
    return max(1, min(STEPS, math.ceil(STEPS * value / maximum)))
