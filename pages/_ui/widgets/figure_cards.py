"""Headline figures as cards drawn in one element: a slider move redraws one thing instead of
two or three per figure, in the look of Streamlit's bordered metrics. Each card's explanation
is its tooltip. The cockpit's headline, the months page's and the best mix's."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import streamlit as st

#: How a detail reads: plain, or a gain (green) or a loss (red) as ``st.metric``'s delta.
Tone = Literal["", "good", "bad"]


@dataclass(frozen=True)
class Figure:
    """One card. ``name`` marks it (``data-figure``) for tests and benchmarks; ``detail`` is
    a smaller line under the value (a net, a band of the draws); a card without ``help`` has
    no tooltip and no mark promising one."""

    name: str
    label: str
    value: str
    help: str
    detail: str = ""
    tone: Tone = ""


def figure_cards(figures: Sequence[Figure], key: str, min_width: int) -> None:
    """The figures in one row of cards that wraps, each card at least ``min_width`` pixels
    wide and wider only when its value would not fit; ``key`` names them (``data-cards``)."""
    theme = "dark" if st.context.theme.type == "dark" else "light"
    cards = "".join(_card(figure) for figure in figures)
    # no container around it: a press's answer waits in the browser behind every message
    # that comes before it; ``data-cards`` names the cards for tests and benchmarks
    st.html(
        f'<div class="figure-cards {theme}" data-cards="{html.escape(key)}"'
        f' style="--card-width: {min_width}px">{cards}</div>'
    )


def _card(figure: Figure) -> str:
    tooltip = f' title="{html.escape(figure.help)}"' if figure.help else ""
    mark = '<span aria-hidden="true">?</span>' if figure.help else ""
    return (
        f'<div data-figure="{html.escape(figure.name)}"{tooltip}>'
        f'<div class="label">{html.escape(figure.label)}{mark}</div>'
        f'<div class="value">{html.escape(figure.value)}</div>{_detail(figure)}</div>'
    )


def _detail(figure: Figure) -> str:
    if not figure.detail:
        return ""
    text = html.escape(figure.detail)
    shown = f'<span class="{figure.tone}">{text}</span>' if figure.tone else text
    return f'<div class="detail">{shown}</div>'


# The label and the detail are given no width of their own (width 0, at least the card's):
# they wrap inside the card instead of widening it; only a long value widens its card, so
# that no figure is ever cut short. Text takes the theme's colour; the border and the
# tones read on a light and on a dark page. Drawn once per page (`sidebar.start_page`), not
# with the cards: a style element redrawn by a press makes the browser work out the page's
# styles again.
STYLE = """<style>
.figure-cards { display: flex; flex-wrap: wrap; gap: 1rem; }
.figure-cards > div { flex: 0 0 auto; min-width: var(--card-width); box-sizing: border-box;
  padding: 0.75rem 1rem; border: 1px solid rgba(128, 128, 128, 0.3); border-radius: 0.5rem; }
.figure-cards .label, .figure-cards .detail { width: 0; min-width: 100%; }
.figure-cards .label { font-size: 0.875rem; }
.figure-cards .label span { display: inline-flex; align-items: center; justify-content: center;
  width: 0.95rem; height: 0.95rem; margin-left: 0.35rem; border: 1px solid currentColor;
  border-radius: 50%; font-size: 0.65rem; opacity: 0.55; cursor: help; vertical-align: 0.1rem; }
.figure-cards .value { font-size: 2.25rem; line-height: 1.3; white-space: nowrap; }
.figure-cards .detail { font-size: 0.875rem; opacity: 0.75; margin-top: 0.15rem; }
.figure-cards .detail:has(span) { opacity: 1; }
.figure-cards .detail span { padding: 0.05rem 0.4rem; border-radius: 0.75rem; }
.figure-cards.light .good { color: #177233; background: rgba(33, 195, 84, 0.12); }
.figure-cards.light .bad { color: #a3282b; background: rgba(255, 43, 43, 0.1); }
.figure-cards.dark .good { color: #5ce488; background: rgba(61, 213, 109, 0.18); }
.figure-cards.dark .bad { color: #ff8c8c; background: rgba(255, 108, 108, 0.18); }
</style>"""
