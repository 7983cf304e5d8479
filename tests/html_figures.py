"""The headline figures a page draws as one HTML element of cards
(``pages/_ui/widgets/figure_cards.py``), read back as a person reads them (entities decoded)."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

from streamlit.testing.v1 import AppTest

_PARTS = ("label", "value", "detail")


@dataclass
class ShownFigure:
    """One card's texts; ``help`` is its tooltip, ``tone`` how its detail is coloured
    (``good``, ``bad`` or none)."""

    label: str = ""
    value: str = ""
    detail: str = ""
    help: str = ""
    tone: str = ""


class _Cards(HTMLParser):
    """Each card (``data-figure``) and the texts of its label, value and detail."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.figures: dict[str, ShownFigure] = {}
        self._figure: ShownFigure | None = None
        self._part: str | None = None
        self._depth = 0  # open divs inside the part being read

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "div" and found.get("data-figure"):
            self._figure = ShownFigure(help=found.get("title") or "")
            self.figures[str(found["data-figure"])] = self._figure
        elif tag == "div" and self._figure is not None and found.get("class") in _PARTS:
            self._part, self._depth = found["class"], 0
        elif tag == "div" and self._part is not None:
            self._depth += 1
        elif tag == "span" and self._part == "label":
            self._part = None  # the tooltip's "?" mark, not the label's text
        elif tag == "span" and self._part == "detail" and self._figure is not None:
            self._figure.tone = found.get("class") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag != "div" or self._part is None:
            return
        if self._depth:
            self._depth -= 1
        else:
            self._part = None

    def handle_data(self, data: str) -> None:
        if self._figure is not None and self._part is not None:
            setattr(self._figure, self._part, getattr(self._figure, self._part) + data)


def shown_figures(at: AppTest) -> dict[str, ShownFigure]:
    """The page's headline cards by name (``data-figure``), in their order."""
    parser = _Cards()
    for element in at.html:
        if "figure-cards" in element.proto.body:
            parser.feed(element.proto.body)
    assert parser.figures, "no headline cards on the page"
    return parser.figures


def figure_value(at: AppTest, name: str) -> str:
    """The shown value of the headline figure ``name``."""
    return shown_figures(at)[name].value
