"""The header vocabulary of campaign exports: which column of a platform's file is which field.

Headers are matched case-, accent- and punctuation-insensitively, after a bracketed currency
code such as "(EUR)" is taken off (and remembered). Meta, Google Ads, LinkedIn, TikTok, X, GA4,
Instagram/Facebook insights and home-made spreadsheets are covered, in English and Spanish.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

HISTORY_FIELDS: tuple[str, ...] = (
    "spend", "staff_hours", "impressions", "reach", "clicks", "likes", "comments", "shares",
    "saves", "video_views", "leads", "sales", "revenue", "support_queries",
)  # fmt: skip
KEY_FIELDS: tuple[str, ...] = ("date", "channel", "campaign")

# Earlier names win when two columns of one file name the same field ("Link clicks" beats
# "Clicks (all)"; real clicks beat sessions).
_VOCABULARY: dict[str, tuple[str, ...]] = {
    "date": ("day", "dia", "date", "fecha", "by day", "start date", "reporting starts",
             "inicio del informe", "fecha de inicio", "publish time", "hora de publicacion",
             "fecha de publicacion", "time", "date time", "fecha y hora"),
    "channel": ("channel", "canal", "default channel group", "session default channel group",
                "grupo de canales predeterminado",
                "grupo de canales predeterminado de la sesion", "platform", "plataforma",
                "red social", "network", "red"),
    "campaign": ("campaign name", "nombre de la campana", "campaign", "campana", "campaign group",
                 "grupo de campanas"),
    "spend": ("amount spent", "importe gastado", "cost", "coste", "costo", "total spent", "spend",
              "gasto", "inversion", "gasto total", "importe"),
    "staff_hours": ("staff hours", "horas", "hours", "horas de personal", "horas equipo"),
    "impressions": ("impressions", "impresiones", "impr", "impression", "impresion"),
    "reach": ("reach", "alcance"),
    "clicks": ("link clicks", "clics en el enlace", "clicks destination", "clics destino",
               "url clicks", "clics en la url", "clicks", "clics", "clicks all", "clics todos",
               "sessions", "sesiones", "visits", "visitas"),
    "likes": ("likes", "me gusta", "post reactions", "reacciones a la publicacion", "reactions",
              "reacciones"),
    "comments": ("comments", "comentarios", "post comments", "comentarios de la publicacion",
                 "replies", "respuestas"),
    "shares": ("shares", "veces compartido", "post shares", "veces que se compartio",
               "compartidos", "retweets", "reposts"),
    "saves": ("saves", "veces guardado", "guardados", "guardado"),
    "video_views": ("thruplays", "thruplay", "video views", "reproducciones de video",
                    "visualizaciones de video", "reproducciones", "views"),
    "leads": ("leads", "clientes potenciales", "lead", "contactos"),
    "sales": ("purchases", "compras", "conversions", "conversiones", "key events",
              "eventos clave", "sales", "ventas", "orders", "pedidos"),
    "revenue": ("purchases conversion value", "valor de conversion de compras", "conv value",
                "valor de conv", "conversion value", "valor de conversion", "total revenue",
                "ingresos totales", "revenue", "ingresos", "purchase revenue", "facturacion"),
    "support_queries": ("support queries", "consultas", "consultas de soporte", "queries"),
}  # fmt: skip

_RANK: dict[str, tuple[str, int]] = {
    name: (field, rank) for field, names in _VOCABULARY.items() for rank, name in enumerate(names)
}
# Visits stand in for clicks: the model's visits are the clicks that reach the site.
VISIT_NAMES = frozenset({"sessions", "sesiones", "visits", "visitas"})
_CONVERTED = re.compile(r"convert|convertid")
_BRACKETS = re.compile(r"\(([^)]*)\)|\[([^\]]*)\]")
_CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class HeaderMatch:
    """One source column recognised as a field, and how strongly."""

    column: str
    field: str
    rank: int
    converted: bool
    currency: str | None


def normalise(header: str) -> str:
    """Lower case, no accents, no brackets, punctuation as single spaces: "Impr." -> "impr"."""
    text = _BRACKETS.sub(" ", header)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def header_currency(header: str) -> str | None:
    """The currency code in brackets after a header, e.g. "Amount spent (USD)" -> "USD"."""
    for match in _BRACKETS.finditer(header):
        inner = (match.group(1) or match.group(2) or "").strip()
        if _CURRENCY_CODE.match(inner):
            return inner
    return None


def match_header(column: str) -> HeaderMatch | None:
    """The field one header names, or None when the vocabulary does not know it."""
    key = normalise(column)
    converted = bool(_CONVERTED.search(column.lower()))
    found = _RANK.get(key)
    if found is None and key.startswith(("total ", "sum of ", "suma de ")):
        # Re-saved pivot tables prefix the measure: "Total impressions", "Suma de gasto".
        found = _RANK.get(key.split(" ", 2)[-1] if key.startswith("sum") else key[6:])
    if found is None:
        return None
    return HeaderMatch(column, found[0], found[1], converted, header_currency(column))


def match_columns(columns: Sequence[str]) -> list[HeaderMatch]:
    """Every recognised column, in file order (one field may appear more than once)."""
    matches = (match_header(str(column)) for column in columns)
    return [match for match in matches if match is not None]


def resolve(matches: Sequence[HeaderMatch]) -> tuple[dict[str, str], list[str]]:
    """One column per field (unconverted first, then the vocabulary's order), and why."""
    by_field: dict[str, list[HeaderMatch]] = {}
    for match in matches:
        by_field.setdefault(match.field, []).append(match)
    mapping: dict[str, str] = {}
    warnings: list[str] = []
    for field, candidates in by_field.items():
        best = min(candidates, key=lambda m: (m.converted, m.rank))
        mapping[best.column] = field
        others = [m.column for m in candidates if m is not best]
        if others:
            names = ", ".join(f'"{name}"' for name in others)
            warnings.append(
                f'Columns "{best.column}" and {names} both give {field}; "{best.column}" was used.'
            )
    ordered = {m.column: m.field for m in matches if mapping.get(m.column) == m.field}
    return ordered, warnings


def detect_mapping(columns: Sequence[str]) -> dict[str, str]:
    """Source header -> field (date, channel, campaign or one of ``HISTORY_FIELDS``).

    Parameters
    ----------
    columns
        The file's header cells, as written.

    Returns
    -------
    dict[str, str]
        One entry per recognised column; when two columns name one field only the preferred
        one (account currency before converted currency, the more specific name first) is kept.
    """
    return resolve(match_columns(columns))[0]
