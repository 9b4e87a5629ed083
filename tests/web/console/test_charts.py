"""Server-drawn charts: bars scaled to the largest value, width classes in 5 % steps."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from opeka.web.console.charts import STEPS, bar_chart, width_step


def test_bars_fill_the_chart_left_to_right() -> None:
    chart = bar_chart([("a", 0), ("b", 5), ("c", 10)], width=300, height=100, gap=0)
    assert chart.maximum == 10
    assert [(b.x, b.width) for b in chart.bars] == [(0, 100), (100, 100), (200, 100)]
    assert [(b.y, b.height) for b in chart.bars] == [(100, 0), (50, 50), (0, 100)]


def test_an_empty_or_zero_chart_has_no_height() -> None:
    assert bar_chart([]).bars == ()
    assert all(b.height == 0 for b in bar_chart([("a", 0), ("b", 0)]).bars)


@given(st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=400))
def test_bars_stay_inside_the_view_box(values: list[int]) -> None:
    chart = bar_chart([(str(i), v) for i, v in enumerate(values)])
    for bar in chart.bars:
        assert 0 <= bar.y <= chart.height
        assert 0 <= bar.height <= chart.height
        assert abs(bar.y + bar.height - chart.height) < 0.02
        assert 0 <= bar.x < chart.width


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=10**6))
def test_width_steps(value: int, maximum: int) -> None:
    step = width_step(value, maximum)
    assert 0 <= step <= STEPS
    if value > 0 and maximum > 0:
        assert step >= 1
    if value >= maximum > 0:
        assert step == STEPS
