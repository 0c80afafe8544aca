"""Bar charts drawn on the server as SVG: no JavaScript, no CDN, a few kilobytes.

Each bar is one or more stacked segments (day and night of a two-tariff meter) or a group of
side-by-side bars (the main meter against the members' sum). The figures are in the SVG's own
text alternative (<title>, <desc>) as well as in the table beside it. Colours come from CSS
classes (the CSP allows no inline styles).
"""

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from markupsafe import Markup

from snt.money import format_quantity

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 8, 12, 36


@dataclass(frozen=True)
class Series:
    name: str  # «День (Т1)», shown in the legend
    css: str  # the class that colours it: chart-day, chart-night, chart-total, chart-main…


@dataclass(frozen=True)
class Bar:
    label: str  # under the bar: «05.22»
    title: str  # the full label for the text alternative: «01 мая 2022 – 01 июня 2022»
    values: tuple[Decimal | None, ...]  # one per series; None where that series has no figure


def _nice_top(value: Decimal) -> Decimal:
    """A round axis maximum at or above `value`: 1, 2 or 5 × 10ⁿ."""
    if value <= 0:
        return Decimal(1)
    exponent = len(str(int(value))) - 1
    for step in (1, 2, 5, 10):
        top = Decimal(step) * Decimal(10) ** exponent
        if top >= value:
            return top
    return Decimal(10) ** (exponent + 1)


def bar_chart(
    chart_id: str, title: str, series: list[Series], bars: list[Bar], *, stacked: bool, unit: str = "кВт·ч"
) -> Markup:
    """An SVG of `bars`; `stacked` piles the series up (day + night), else sets them side by side.
    `chart_id` (unique on the page) ties the text alternative to the image."""
    if not bars:
        return Markup("")
    totals = (
        [sum((v for v in bar.values if v is not None), Decimal(0)) for bar in bars]
        if stacked
        else [max((v for v in bar.values if v is not None), default=Decimal(0)) for bar in bars]
    )
    top = _nice_top(max(totals))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(bars)
    width = max(slot * 0.7, 1.0)
    every = max(1, round(len(bars) / 12))  # at most a dozen labels under the axis

    def y(value: Decimal) -> float:
        return TOP + plot_h - float(value / top) * plot_h

    parts = [
        f'<line class="chart-axis" x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}"/>',
    ]
    for fraction in (Decimal(0), Decimal("0.5"), Decimal(1)):
        value = top * fraction
        parts.append(
            f'<text class="chart-tick" x="{LEFT - 4}" y="{y(value) + 4:.1f}" text-anchor="end">'
            f"{escape(format_quantity(value.normalize()))}</text>"
        )
        if fraction:
            parts.append(
                f'<line class="chart-grid" x1="{LEFT}" y1="{y(value):.1f}" x2="{WIDTH - RIGHT}" y2="{y(value):.1f}"/>'
            )
    for i, bar in enumerate(bars):
        x = LEFT + i * slot + (slot - width) / 2
        parts += _bar(bar, series, x, width, y, stacked, unit)
        if i % every == 0:
            parts.append(
                f'<text class="chart-label" x="{x + width / 2:.1f}" y="{HEIGHT - BOTTOM + 14}" '
                f'text-anchor="middle">{escape(bar.label)}</text>'
            )
    legend_x = LEFT
    for s in series:
        parts.append(f'<rect class="{s.css}" x="{legend_x}" y="{HEIGHT - 14}" width="10" height="10"/>')
        parts.append(
            f'<text class="chart-legend" x="{legend_x + 14}" y="{HEIGHT - 5}">{escape(s.name)}</text>'
        )
        legend_x += 24 + 8 * len(s.name)
    desc = ". ".join(
        f"{bar.title}: "
        + ", ".join(
            f"{s.name} {format_quantity(v)}" for s, v in zip(series, bar.values, strict=True) if v is not None
        )
        for bar in bars
    )
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-t">{escape(title)}, {unit}</title><desc id="{chart_id}-d">{escape(desc)}.</desc>'
        + "".join(parts)
        + "</svg>"
    )


def _bar(bar: Bar, series: list[Series], x: float, width: float, y, stacked: bool, unit: str) -> list[str]:
    """One bar (or group of bars) with its figures as a tooltip: stacked segments or side by side."""
    figures = "; ".join(
        f"{s.name}: {format_quantity(v)} {unit}"
        for s, v in zip(series, bar.values, strict=True)
        if v is not None
    )
    parts = [f"<g><title>{escape(bar.title)}: {escape(figures)}</title>"]
    base = Decimal(0)
    for n, (s, value) in enumerate(zip(series, bar.values, strict=True)):
        if value is None or value <= 0:
            continue
        if stacked:
            y0, y1, bx, bw = y(base + value), y(base), x, width
            base += value
        else:
            bw = width / len(series)
            y0, y1, bx = y(value), y(Decimal(0)), x + n * bw
        parts.append(
            f'<rect class="{s.css}" x="{bx:.1f}" y="{y0:.1f}" width="{bw:.1f}" height="{max(y1 - y0, 0.5):.1f}"/>'
        )
    parts.append("</g>")
    return parts
