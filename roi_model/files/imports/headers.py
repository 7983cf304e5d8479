"""The header vocabulary of campaign exports: which column of a platform's file is which field.

Headers are matched case-, accent- and punctuation-insensitively, after a bracketed currency
code such as "(EUR)" is taken off (and remembered). Meta, Google Ads, LinkedIn, TikTok, X, GA4,
Instagram/Facebook insights and home-made spreadsheets are covered, in English, Spanish and
Portuguese (Meta and Google Ads export in Portuguese too). A person's corrections to the
detected mapping are applied here too (:func:`corrected_mapping`).

What an import assumes or finds odd (this module's choice between two columns included) is an
``ImportNote``: a code the app translates and raw values it formats for the user's locale.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from roi_model.files.imports.problems import ImportProblem, ImportRefused
from roi_model.model.vocabulary import HISTORY_FIELDS, KEY_FIELDS

# The tables of this module keep their layout (fmt: skip): a field's names on as few lines as
# they fit, so that the vocabulary reads as the table it is.

# Earlier names win when two columns of one file name the same field ("Link clicks" beats
# "Clicks (all)"; real clicks beat sessions; a post's publish time beats the "Date" column of
# Meta Business Suite's posts export, which says "Lifetime").
_VOCABULARY: dict[str, tuple[str, ...]] = {
    "date": ("day", "dia", "publish time", "hora de publicacion", "fecha de publicacion",
             "data de publicacao", "date", "fecha", "by day", "start date", "reporting starts",
             "inicio del informe", "fecha de inicio", "time", "date time", "fecha y hora", "data",
             "inicio dos relatorios", "data de inicio"),
    "channel": ("channel", "canal", "default channel group", "session default channel group",
                "grupo de canales predeterminado",
                "grupo de canales predeterminado de la sesion", "platform", "plataforma",
                "red social", "network", "red", "grupo de canais padrao da sessao",
                "grupo de canais padrao", "rede social", "rede"),
    "campaign": ("campaign name", "nombre de la campana", "campaign", "campana", "campaign group",
                 "grupo de campanas", "campaign number", "campaign id", "id de campana",
                 "id de la campana", "nome da campanha", "campanha"),
    "spend": ("amount spent", "importe gastado", "cost", "coste", "costo", "total spent", "spend",
              "spent", "gasto", "inversion", "gasto total", "importe", "valor usado", "custo",
              "valor gasto", "investimento"),
    "staff_hours": ("staff hours", "horas", "hours", "horas de personal", "horas equipo"),
    "impressions": ("impressions", "impresiones", "impr", "impression", "impresion", "displays",
                    "impressoes", "daily total impressions"),
    "reach": ("reach", "alcance", "daily total reach"),
    "clicks": ("link clicks", "clics en el enlace", "clicks destination", "clics destino",
               "url clicks", "clics en la url", "clicks", "clics", "clicks all", "clics todos",
               "sessions", "sesiones", "visits", "visitas", "cliques no link", "cliques",
               "cliques todos", "sessoes"),
    "likes": ("likes", "me gusta", "post reactions", "reacciones a la publicacion", "reactions",
              "reacciones", "curtidas", "reacoes a publicacao", "reacoes"),
    "comments": ("comments", "comentarios", "post comments", "comentarios de la publicacion",
                 "replies", "respuestas", "comentarios na publicacao"),
    "shares": ("shares", "veces compartido", "post shares", "veces que se compartio",
               "compartidos", "retweets", "reposts", "compartilhamentos",
               "compartilhamentos da publicacao"),
    "saves": ("saves", "veces guardado", "guardados", "guardado", "salvamentos"),
    "video_views": ("thruplays", "thruplay", "video views", "reproducciones de video",
                    "visualizaciones de video", "reproducciones", "views",
                    "reproducoes de video", "visualizacoes de video", "visualizacoes"),
    # "Total_Conversion" beside "Approved_Conversion" (the public Facebook ads dataset): the
    # people who enquired, of whom the approved ones bought.
    "leads": ("leads", "clientes potenciales", "lead", "contactos", "total conversion"),
    "sales": ("purchases", "compras", "conversions", "conversiones", "key events",
              "eventos clave", "sales", "ventas", "orders", "pedidos", "approved conversion",
              "approved conversions", "post click conversions", "conversoes", "vendas",
              "eventos principais"),
    "revenue": ("purchases conversion value", "valor de conversion de compras", "conv value",
                "valor de conv", "conversion value", "valor de conversion", "total revenue",
                "ingresos totales", "revenue", "ingresos", "purchase revenue", "facturacion",
                "valor de conversao de compras", "valor conv", "valor de conversao",
                "receita total", "receita", "faturamento"),
    "support_queries": ("support queries", "consultas", "consultas de soporte", "queries"),
    # A flow: the followers gained in the row's period. X's "New follows", Instagram's posts
    # export (Meta Business Suite) "Follows", Facebook's Page export "Daily New Likes" (a Page's
    # likes were its followers) and "Daily New Follows", Meta Ads' "Page likes" result; last,
    # the parts of LinkedIn's new-followers sheet (see _NEW_FOLLOWER_PARTS).
    "new_followers": ("new followers", "nuevos seguidores", "novos seguidores",
                      "seguidores nuevos", "seguidores novos", "new follows", "daily new follows",
                      "daily new likes", "follows", "seguimientos", "seguimentos", "page likes",
                      "me gusta de la pagina", "curtidas na pagina", "curtidas da pagina",
                      "organic followers", "sponsored followers", "auto invited followers"),
    # A stock: the audience at the end of the row's period (TikTok's follower history
    # "Followers", Facebook's Page export "Lifetime Total Likes"). Net growth ("Net growth",
    # TikTok's "Difference in followers from previous day") is neither: it is left unread.
    "followers": ("followers", "seguidores", "total followers", "total de seguidores",
                  "seguidores totales", "seguidores totais", "lifetime total likes",
                  "lifetime total follows", "page followers", "seguidores de la pagina",
                  "seguidores da pagina"),
}  # fmt: skip

_RANK: dict[str, tuple[str, int]] = {
    name: (field, rank) for field, names in _VOCABULARY.items() for rank, name in enumerate(names)
}
# Visits stand in for clicks: the model's visits are the clicks that reach the site.
VISIT_NAMES = frozenset({"sessions", "sesiones", "visits", "visitas"})
# LinkedIn's followers export ("New followers": Date, Sponsored followers, Organic followers,
# Auto-invited followers, Total followers): beside these parts, "Total followers" is the day's
# new followers, their sum, not the audience it names elsewhere.
_NEW_FOLLOWER_PARTS = frozenset(
    {"sponsored followers", "organic followers", "auto invited followers"}
)
_TOTAL_FOLLOWERS = "total followers"
_CONVERTED = re.compile(r"convert|convertid")
_BRACKETS = re.compile(r"\(([^)]*)\)|\[([^\]]*)\]")
_CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")


class NoteCode(StrEnum):
    """What an import note says: one member per sentence the app translates."""

    DUPLICATES_KEPT = "duplicates_kept"
    DUPLICATES_DROPPED = "duplicates_dropped"
    NO_CHANNEL = "no_channel"
    CHANNEL_NOT_USED = "channel_not_used"
    NO_DATE_COLUMN = "no_date_column"
    TOTAL_MISMATCH = "total_mismatch"
    DECIMAL_ASSUMED = "decimal_assumed"
    DAY_FIRST_ASSUMED = "day_first_assumed"
    MONTH_FIRST_ASSUMED = "month_first_assumed"
    TWO_COLUMNS = "two_columns"
    MAPPED_COLUMN_MISSING = "mapped_column_missing"
    VISITS_AS_CLICKS = "visits_as_clicks"
    DAY_FIRST_CHOSEN = "day_first_chosen"
    MONTH_FIRST_CHOSEN = "month_first_chosen"
    WIDE_BY_CHANNEL = "wide_by_channel"
    YEAR_ASSUMED = "year_assumed"
    NO_SPEND = "no_spend"
    UNUSED_NUMBERS = "unused_numbers"
    RESULT_TYPE_USED = "result_type_used"
    RESULT_TYPE_TAKEN = "result_type_taken"
    RESULT_TYPE_NOT_USED = "result_type_not_used"


# The English sentences, which the command line prints; the app has its own texts per language.
_SENTENCES: dict[NoteCode, str] = {
    NoteCode.DUPLICATES_KEPT:
        "{count} row(s) repeat an earlier row exactly (lines {lines}); they were kept.",
    NoteCode.DUPLICATES_DROPPED:
        "{count} row(s) repeat an earlier row exactly (lines {lines}); they were dropped.",
    NoteCode.NO_CHANNEL:
        'The file has no channel column and no channel was given; channel is "".',
    NoteCode.CHANNEL_NOT_USED:
        'The file has a channel column; the channel "{channel}" was not used.',
    NoteCode.NO_DATE_COLUMN: "The file has no date column; the rows have no dates.",
    NoteCode.TOTAL_MISMATCH:
        "The total row on line {line} gives {field} {stated:,.2f} but the detail rows add up to "
        "{summed:,.2f}.",
    NoteCode.DECIMAL_ASSUMED:
        'The decimal mark could not be decided from the numbers; "{mark}" was assumed.',
    NoteCode.DAY_FIRST_ASSUMED:
        "Dates like {example} could be day-first or month-first; day/month/year was assumed "
        "because the file looks European (semicolons, Spanish headers).",
    NoteCode.MONTH_FIRST_ASSUMED:
        "Dates like {example} could be day-first or month-first; month/day/year was assumed "
        "because the file looks not European.",
    NoteCode.TWO_COLUMNS: 'Columns "{used}" and {others} both give {field}; "{used}" was used.',
    NoteCode.MAPPED_COLUMN_MISSING:
        'The mapping names column "{column}", which the file does not have.',
    NoteCode.VISITS_AS_CLICKS: '"{column}" (visits) is counted as clicks.',
    NoteCode.DAY_FIRST_CHOSEN:
        "Dates like {example} could be day-first or month-first; day/month/year was used, as "
        "chosen.",
    NoteCode.MONTH_FIRST_CHOSEN:
        "Dates like {example} could be day-first or month-first; month/day/year was used, as "
        "chosen.",
    NoteCode.WIDE_BY_CHANNEL:
        "The file has a column per channel and measure; each row was read as one row per "
        "channel ({channels}).",
    NoteCode.YEAR_ASSUMED:
        "The dates have a month and a day but no year; {year} was assumed (the latest year that "
        "puts none of them in the future).",
    NoteCode.NO_SPEND:
        "The file has impressions or clicks but no spend column: what they cost is not in the "
        "history (expected for organic posts). If a column holds the spend, map it to spend.",
    NoteCode.UNUSED_NUMBERS:
        "Not used: {columns} (numbers). If one is a campaign measure, map it to its field.",
    NoteCode.RESULT_TYPE_USED:
        '"{column}": {rows} row(s) of type "{type}" were read as {field}.',
    NoteCode.RESULT_TYPE_TAKEN:
        '"{column}": {rows} row(s) of type "{type}" were not used: column "{other}" gives '
        "them already.",
    NoteCode.RESULT_TYPE_NOT_USED:
        '"{column}": {rows} row(s) of type "{type}" were not used: no field of ours is that '
        "result.",
}  # fmt: skip

NoteValue = str | int | float


@dataclass(frozen=True)
class ImportNote:
    """An assumption made or an oddity met while importing: what it says and its values, raw
    (numbers as numbers, field names as ``HISTORY_FIELDS`` spell them); ``str()`` is the
    English sentence."""

    code: NoteCode
    params: tuple[tuple[str, NoteValue], ...] = ()

    @classmethod
    def of(cls, code: NoteCode, **params: NoteValue) -> ImportNote:
        return cls(code, tuple(params.items()))

    def params_dict(self) -> dict[str, NoteValue]:
        return dict(self.params)

    def __str__(self) -> str:
        return _SENTENCES[self.code].format(**self.params_dict())


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
    if found is None and key.endswith(" campaign id"):  # "xyz_campaign_id", "fb_campaign_id"
        found = _RANK["campaign id"]
    if found is None and key.startswith(("total ", "sum of ", "suma de ")):
        # Re-saved pivot tables prefix the measure: "Total impressions", "Suma de gasto".
        found = _RANK.get(key.split(" ", 2)[-1] if key.startswith("sum") else key[6:])
    if found is None:
        return None
    return HeaderMatch(column, found[0], found[1], converted, header_currency(column))


def match_columns(columns: Sequence[str]) -> list[HeaderMatch]:
    """Every recognised column, in file order (one field may appear more than once)."""
    matches = (match_header(str(column)) for column in columns)
    return _in_context([match for match in matches if match is not None])


def _in_context(matches: list[HeaderMatch]) -> list[HeaderMatch]:
    """The matches a header's neighbours change: LinkedIn's "Total followers" beside the parts
    of its new followers is their total, new followers first of all."""
    names = {normalise(m.column) for m in matches}
    if not names & _NEW_FOLLOWER_PARTS:
        return matches
    return [
        replace(m, field="new_followers", rank=-1) if normalise(m.column) == _TOTAL_FOLLOWERS else m
        for m in matches
    ]


def resolve(matches: Sequence[HeaderMatch]) -> tuple[dict[str, str], list[ImportNote]]:
    """One column per field (unconverted first, then the vocabulary's order), and why."""
    by_field: dict[str, list[HeaderMatch]] = {}
    for match in matches:
        by_field.setdefault(match.field, []).append(match)
    mapping: dict[str, str] = {}
    notes: list[ImportNote] = []
    for field, candidates in by_field.items():
        best = min(candidates, key=lambda m: (m.converted, m.rank))
        mapping[best.column] = field
        others = [m.column for m in candidates if m is not best]
        if others:
            names = ", ".join(f'"{name}"' for name in others)
            notes.append(
                ImportNote.of(NoteCode.TWO_COLUMNS, used=best.column, others=names, field=field)
            )
    ordered = {m.column: m.field for m in matches if mapping.get(m.column) == m.field}
    return ordered, notes


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


def corrected_mapping(
    header: Sequence[str], overrides: Mapping[str, str]
) -> tuple[dict[str, str], list[ImportNote]]:
    """The detected mapping with the user's corrections applied, and the notes on it."""
    known = set(KEY_FIELDS) | set(HISTORY_FIELDS) | {""}
    for column, field_name in overrides.items():
        if field_name not in known:
            raise ImportRefused(
                ImportProblem.BAD_MAPPING,
                f'Column "{column}" cannot be mapped to "{field_name}"; the fields are: '
                + ", ".join((*KEY_FIELDS, *HISTORY_FIELDS))
                + ".",
                header,
            )
    matches = [m for m in match_columns(header) if m.column not in overrides]
    matches += [
        HeaderMatch(column, field_name, -1, False, header_currency(column))
        for column, field_name in overrides.items()
        if field_name and column in header
    ]
    mapping, notes = resolve(matches)
    notes += [
        ImportNote.of(NoteCode.MAPPED_COLUMN_MISSING, column=column)
        for column in overrides
        if column not in header
    ]
    notes += [
        ImportNote.of(NoteCode.VISITS_AS_CLICKS, column=column)
        for column, field_name in mapping.items()
        if field_name == "clicks" and normalise(column) in VISIT_NAMES
    ]
    return mapping, notes
