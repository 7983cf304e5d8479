"""The client report's charts, drawn by matplotlib as self-contained SVG strings.

Each builder takes plain numbers, labels already in the reader's language and the caller's
formatters (Babel, in the reader's locale): every number a chart shows goes through them, so
the charts read like the report's tables. The SVG can be inlined in HTML or embedded in the
PDF as it is: text drawn as paths (no font to fetch), no script, no link, no metadata, no
XML prolog, and the same input gives the same string.

Only the object-oriented API is used (a ``Figure`` on its own ``FigureCanvasSVG``), never
pyplot, so no figure is kept in global state. rcParams are global though, so each chart is
drawn under one lock, inside the ``rc_context`` that styles it.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import textwrap
import threading
from collections.abc import Callable, Sequence
from typing import Any, Literal

import matplotlib as mpl
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.typing import RcKeyType

Formatter = Callable[[float], str]

MM_PER_INCH = 25.4

# A calm palette: dark blue for money in, green for returns, red for losses, grey for the rest.
INVESTMENT = "#1f3b73"
RETURN = "#2e7d4f"
LOSS = "#b23a3a"
NEUTRAL = "#8a9099"
INK = "#333333"
GRID = "#e4e6ea"
LOW_END = "#c98a3c"
HIGH_END = "#3f6fa6"
# The months ahead: what is put in, and what comes back each way.
FINANCIAL = LOW_END
FULL = RETURN

_STYLE: dict[RcKeyType, Any] = {
    "svg.fonttype": "path",  # glyphs as paths: the reader needs no font
    "svg.hashsalt": "roi-explorer",  # ids from a fixed salt: the same chart, the same string
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 7.5,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7,
    "text.parse_math": False,  # "US$ 5 – US$ 9" is money, not mathtext
    "text.color": INK,
    "axes.edgecolor": NEUTRAL,
    "axes.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.axisbelow": True,
    "xtick.color": INK,
    "ytick.color": INK,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "xtick.major.size": 2.5,
    "ytick.major.size": 2.5,
    "grid.color": GRID,
    "grid.linewidth": 0.6,
    "figure.facecolor": "white",
    "savefig.bbox": "standard",  # never "tight": the chart keeps the size it was asked for
}
# Matplotlib's default metadata carries its version, a date and a link: none of them wanted.
_NO_METADATA: dict[str, Any] = {"Date": None, "Creator": None, "Format": None, "Type": None}

# rcParams are process-wide: two charts drawn at once must not restore each other's style.
_RENDER_LOCK = threading.Lock()

_COMMENT = re.compile(r"<!--.*?-->\s*", re.DOTALL)
_ID_OR_REFERENCE = re.compile(r'(\bid="|\bhref="#|url\(#)')

_INPUT_LABEL_CHARS = 30
_STEP_LABEL_CHARS = 14
_LEGEND_LABEL_CHARS = 40
_PAYBACK_LABEL_CHARS = 40
# The narrowest value axes: all-zero or flat data otherwise gets ticks so close that the
# caller's rounding prints the same number twice ("20 %, 20 %, 21 %").
_MIN_MONEY_SPAN = 10.0
_MIN_ROI_SPAN = 0.1


def tornado_height_mm(count: int) -> float:
    """The height that gives each of ``count`` inputs a thin bar (two A4 pages hold the
    report), a chart for none as tall as for one, at most 120 mm."""
    return min(12.0 + 5.5 * max(count, 1), 120.0)


def waterfall_svg(
    steps: Sequence[tuple[str, float]],
    total_label: str,
    money: Formatter,
    *,
    width_mm: float = 170,
    height_mm: float = 62,
) -> str:
    """Floating bars from the investment (a negative first step) through each return to
    the net, their sum, drawn last as ``total_label``: green if it is not a loss, else red."""
    return _render(width_mm, height_mm, lambda ax: _draw_waterfall(ax, steps, total_label, money))


def tornado_svg(
    inputs: Sequence[str],
    at_low: Sequence[float],
    at_high: Sequence[float],
    today: float,
    labels: tuple[str, str],
    percent: Formatter,
    *,
    width_mm: float = 170,
    height_mm: float | None = None,
) -> str:
    """One bar per input (largest swing first, drawn on top) from the ROI at its low end to
    the ROI at its high end, split at today's ROI; ``labels`` names the two ends. The height
    defaults to :func:`tornado_height_mm` of the inputs' count."""
    height = tornado_height_mm(len(inputs)) if height_mm is None else height_mm
    return _render(
        width_mm,
        height,
        lambda ax: _draw_tornado(ax, inputs, at_low, at_high, today, labels, percent),
    )


def cumulative_svg(
    months: Sequence[int],
    lines: tuple[Sequence[float], Sequence[float], Sequence[float]],
    labels: tuple[str, str, str],
    paybacks: tuple[tuple[int | None, str], tuple[int | None, str]],
    money: Formatter,
    month: Formatter,
    *,
    width_mm: float = 170,
    height_mm: float = 62,
) -> str:
    """The months ahead so far: the cumulative investment, financial return and full-value
    return (``lines``, named by ``labels``) month by month, and a dotted line at each payback
    month (financial, then full value: the month, or None, and its label). ``month`` writes
    a month's number (whole months only on the axis), ``money`` the amounts."""
    for values in lines:
        _check_length(values, months)
    return _render(
        width_mm,
        height_mm,
        lambda ax: _draw_cumulative(ax, months, lines, labels, paybacks, money, month, width_mm),
    )


# --- Drawing each chart -------------------------------------------------------------------


def _draw_waterfall(
    ax: Axes, steps: Sequence[tuple[str, float]], total_label: str, money: Formatter
) -> None:
    kept = [
        (index, label, amount) for index, (label, amount) in enumerate(steps) if _finite(amount)
    ]
    amounts = np.array([amount for _, _, amount in kept], dtype=float)
    ends = np.cumsum(amounts)
    net = float(ends[-1]) if kept else 0.0
    starts = [*(ends - amounts), 0.0]
    heights = [*amounts, net]
    colours = [_step_colour(index, amount) for index, _, amount in kept] + [_sign_colour(net)]
    names = [label for _, label, _ in kept] + [total_label]
    positions = np.arange(len(heights))

    ax.bar(positions, heights, bottom=starts, width=0.62, color=colours, zorder=2)
    _connect_steps(ax, positions, [*ends, net])
    for x, start, height in zip(positions, starts, heights, strict=True):
        _label_bar_end(ax, float(x), start, height, money(_clean(height)))
    ax.axhline(0, color=INK, linewidth=0.6, zorder=3)
    ax.use_sticky_edges = False  # a floating bar's base is no axis limit: keep the margins
    ax.margins(x=0.02, y=0.14)  # room for the labels above and below the bars
    _widen_to(ax, "y", _MIN_MONEY_SPAN)
    ax.set_xticks(positions, [_wrap(name, _STEP_LABEL_CHARS, 2) for name in names])
    ax.tick_params(axis="x", length=0)
    ax.spines["bottom"].set_visible(False)
    ax.yaxis.set_major_formatter(_axis_formatter(money))
    ax.grid(axis="y")


def _draw_tornado(
    ax: Axes,
    inputs: Sequence[str],
    at_low: Sequence[float],
    at_high: Sequence[float],
    today: float,
    labels: tuple[str, str],
    percent: Formatter,
) -> None:
    rows = np.arange(len(inputs))
    _check_length(at_low, inputs)
    _check_length(at_high, inputs)
    if _finite(today):
        for ends, colour in ((at_low, LOW_END), (at_high, HIGH_END)):
            finite = _finite_mask(ends)
            spans = np.asarray(ends, dtype=float)[finite] - today
            ax.barh(rows[finite], spans, left=today, height=0.6, color=colour, zorder=2)
        ax.axvline(today, color=INK, linewidth=0.9, zorder=3)
    _name_rows(ax, rows, [_wrap(name, _INPUT_LABEL_CHARS, 2) for name in inputs])
    _widen_to(ax, "x", _MIN_ROI_SPAN)
    ax.xaxis.set_major_formatter(_axis_formatter(percent))
    ax.grid(axis="x")
    _legend_above(ax, labels, [Patch(color=colour) for colour in (LOW_END, HIGH_END)])


def _draw_cumulative(
    ax: Axes,
    months: Sequence[int],
    lines: tuple[Sequence[float], Sequence[float], Sequence[float]],
    labels: tuple[str, str, str],
    paybacks: tuple[tuple[int | None, str], tuple[int | None, str]],
    money: Formatter,
    month: Formatter,
    width_mm: float,
) -> None:
    x = np.asarray(months, dtype=float)
    colours = (INVESTMENT, FINANCIAL, FULL)
    marker = "o" if len(x) == 1 else ""  # a single month is a point, not a line
    for values, colour, width in zip(lines, colours, (1.6, 1.3, 1.3), strict=True):
        ax.plot(
            x,
            np.asarray(values, dtype=float),
            color=colour,
            linewidth=width,
            marker=marker,
            markersize=2.5,
            zorder=3,
        )
    first, last = (float(x.min()), float(x.max())) if len(x) else (1.0, 1.0)
    stacked: dict[int, int] = {}
    for (paid_back, text), colour in zip(paybacks, (FINANCIAL, FULL), strict=True):
        if paid_back is None or not first <= paid_back <= last:
            continue
        ax.axvline(paid_back, color=colour, linewidth=0.9, linestyle=(0, (2, 1.5)), zorder=2)
        row = stacked[paid_back] = stacked.get(paid_back, -1) + 1
        # beside its line, on the side with room: a month in the second half labels leftwards
        left = paid_back > (first + last) / 2
        label = ax.annotate(
            _wrap(text, _PAYBACK_LABEL_CHARS, 1),
            xy=(paid_back, 1.0),
            xycoords=ax.get_xaxis_transform(),
            xytext=(-2 if left else 2, -2 - 9 * row),
            textcoords="offset points",
            ha="right" if left else "left",
            va="top",
            fontsize=6.5,
            color=colour,
            zorder=4,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6},
        )
        label.set_in_layout(False)  # inside the plot: no room to make for it
    ax.set_xlim(first - 0.5, max(last, first + 1.0) + 0.5)
    ax.axhline(0, color=INK, linewidth=0.6, zorder=1)
    ax.margins(y=0.08)
    _widen_to(ax, "y", _MIN_MONEY_SPAN)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=12, integer=True, min_n_ticks=1))
    ax.xaxis.set_major_formatter(_axis_formatter(month))
    ax.yaxis.set_major_formatter(_axis_formatter(money))
    ax.grid(axis="y")
    handles = [Line2D([], [], color=colour, linewidth=1.4) for colour in colours]
    # three names side by side, each as wide as a third of the chart allows
    chars = max(int(width_mm / len(labels) / 2.4), 8)
    _legend_above(ax, labels, handles, chars)


# --- Shared pieces ------------------------------------------------------------------------


def _render(width_mm: float, height_mm: float, draw: Callable[[Axes], None]) -> str:
    """Draw one chart of the given size with the report's style; return it as inline SVG."""
    with _RENDER_LOCK, mpl.rc_context(_STYLE):
        figure = Figure(figsize=(width_mm / MM_PER_INCH, height_mm / MM_PER_INCH))
        figure.set_layout_engine("constrained")  # fits long names and the legend inside
        FigureCanvasSVG(figure)
        draw(figure.add_subplot())
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata=_NO_METADATA)
    return _inline_ready(buffer.getvalue())


def _inline_ready(svg: str) -> str:
    """The SVG element alone, without the comments that repeat each text, its ids made
    unique to this chart so that several charts can share one HTML page."""
    svg = _COMMENT.sub("", svg[svg.index("<svg") :])
    # A word character after the hash, not "-": fpdf2 reads a clip path as url(#\w+).
    prefix = "c" + hashlib.sha256(svg.encode()).hexdigest()[:8] + "_"
    return _ID_OR_REFERENCE.sub(lambda found: found[1] + prefix, svg)


def _axis_formatter(formatter: Formatter) -> FuncFormatter:
    return FuncFormatter(lambda value, _position: formatter(_clean(value)))


def _name_rows(ax: Axes, rows: np.ndarray[Any, Any], names: Sequence[str]) -> None:
    """Names on the y axis, the first row on top (no row: an empty axes of one row's size)."""
    ax.set_yticks(rows, names)
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(max(len(names), 1) - 0.5, -0.5)


def _widen_to(ax: Axes, axis: Literal["x", "y"], minimum: float) -> None:
    """Widen the axis about its middle to at least ``minimum``, if the data is flatter."""
    low, high = ax.get_xlim() if axis == "x" else ax.get_ylim()
    if abs(high - low) >= minimum:
        return
    middle = (low + high) / 2
    limits = (middle - minimum / 2, middle + minimum / 2)
    if axis == "x":
        ax.set_xlim(limits)
    else:
        ax.set_ylim(limits)


def _legend_above(
    ax: Axes, labels: Sequence[str], handles: Sequence[Artist], chars: int = _LEGEND_LABEL_CHARS
) -> None:
    # Above the plot, out of the bars' way; the layout makes room for it.
    ax.legend(
        list(handles),
        [_wrap(label, chars, 2) for label in labels],
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncol=len(labels),
        frameon=False,
        borderaxespad=0.2,
        handlelength=1.2,
        columnspacing=1.5,
    )


def _connect_steps(ax: Axes, positions: np.ndarray[Any, Any], levels: Sequence[float]) -> None:
    """A thin line from each bar's end to the next bar's start, as a waterfall reads."""
    for x, level in zip(positions[:-1], levels[:-1], strict=True):
        ax.plot([x + 0.31, x + 0.69], [level, level], color=NEUTRAL, linewidth=0.5, zorder=1)


def _label_bar_end(ax: Axes, x: float, start: float, height: float, text: str) -> None:
    """The bar's value just above a rise, just below a fall."""
    rising = height >= 0
    ax.annotate(
        text,
        xy=(x, start + height),
        xytext=(0, 2 if rising else -2),
        textcoords="offset points",
        ha="center",
        va="bottom" if rising else "top",
        fontsize=7,
        zorder=4,
        # Over the step connectors and the grid, not through them.
        bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6},
    )


def _step_colour(index: int, amount: float) -> str:
    return INVESTMENT if index == 0 else _sign_colour(amount)


def _sign_colour(amount: float) -> str:
    return RETURN if amount >= 0 else LOSS


def _wrap(label: str, width: int, lines: int) -> str:
    """At most ``lines`` lines of about ``width`` characters, cut with an ellipsis."""
    wrapped = textwrap.wrap(label, width, max_lines=lines, placeholder="…")
    return "\n".join(wrapped)


def _finite(value: float) -> bool:
    return math.isfinite(value)


def _finite_mask(values: Sequence[float]) -> np.ndarray[Any, np.dtype[np.bool_]]:
    mask: np.ndarray[Any, np.dtype[np.bool_]] = np.isfinite(np.asarray(values, dtype=float))
    return mask


def _check_length(values: Sequence[float], names: Sequence[object]) -> None:
    if len(values) != len(names):
        raise ValueError(f"expected {len(names)} values, got {len(values)}")


def _clean(value: float) -> float:
    """A plain float, with no negative zero for the formatter to print as "-0"."""
    return float(value) + 0.0
