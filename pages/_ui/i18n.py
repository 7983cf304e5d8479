"""The translation layer: every string a user reads, in English and Spanish.

``t(key, **values)`` looks a key up in the session's language; the catalog holds both languages
side by side so a missing translation is a test failure, not a blank on the page.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from pages._ui.texts_channels import CHANNEL_TEXTS
from pages._ui.texts_history import HISTORY_TEXTS
from pages._ui.texts_kept import KEPT_TEXTS
from pages._ui.texts_plan import PLAN_TEXTS
from pages._ui.texts_scenarios import SCENARIO_TEXTS
from roi_model import Rule, ScenarioError

LANGUAGES: dict[str, str] = {"en": "English", "es": "Español"}
DEFAULT_LANGUAGE = "en"
LANGUAGE_KEY = "lang"

#: key -> (English, Spanish)
CATALOG: dict[str, tuple[str, str]] = {
    # Sidebar
    "sidebar.language": ("Language", "Idioma"),
    "sidebar.currency": ("Currency", "Moneda"),
    "sidebar.currency_help": (
        "Amounts are shown in this currency; nothing is converted.",
        "Los importes se muestran en esta moneda; no se convierte nada.",
    ),
    "sidebar.preset": ("Start from a preset", "Partir de un escenario tipo"),
    "sidebar.preset_help": (
        "Loads a ready-made scenario for a typical business; your current inputs are replaced.",
        "Carga un escenario ya hecho para un negocio típico; sustituye los datos actuales.",
    ),
    "sidebar.load_preset": ("Load preset", "Cargar escenario"),
    "sidebar.scenario_name": ("Scenario name", "Nombre del escenario"),
    "cockpit.download": ("Download scenario (JSON)", "Descargar escenario (JSON)"),
    "sidebar.upload": ("Open a scenario file", "Abrir un archivo de escenario"),
    "sidebar.upload_help": (
        "A scenario file (JSON) saved from ROI Explorer or written by a script.",
        "Un archivo de escenario (JSON) guardado desde ROI Explorer o escrito por un script.",
    ),
    "sidebar.loaded": ("Loaded “{name}”.", "Cargado «{name}»."),
    "sidebar.file_refused": (
        "This file was not loaded, your scenario is unchanged: {reason}",
        "No se ha cargado el archivo; tu escenario no ha cambiado: {reason}",
    ),
    "nav.cockpit": ("What-if cockpit", "Panel ¿y si…?"),
    "nav.assumptions": ("Assumptions and break-even", "Supuestos y equilibrio"),
    # Cockpit
    "cockpit.title": ("Social media ROI: what if…?", "ROI en redes sociales: ¿y si…?"),
    "cockpit.intro": (
        "Move the inputs and watch the month's return, ROI and goals change at once.",
        "Mueve los datos y mira cómo cambian al instante el retorno del mes, el ROI y los "
        "objetivos.",
    ),
    "cockpit.investment": ("Investment per month", "Inversión al mes"),
    "cockpit.values": ("What each action is worth", "Cuánto vale cada acción"),
    "cockpit.values_caption": (
        "Your assumptions for this client: edit them freely.",
        "Son supuestos para este cliente: cámbialos libremente.",
    ),
    "cockpit.lenses": ("Which returns count", "Qué retornos cuentan"),
    "cockpit.lenses_caption": (
        "Sales and support savings always count (financial ROI); the lenses below add to the "
        "full-value ROI.",
        "Las ventas y el ahorro en atención siempre cuentan (ROI financiero); estas lentes se "
        "suman al ROI de valor total.",
    ),
    "cockpit.channels": ("Channel mix", "Mezcla de canales"),
    "cockpit.channels_caption": (
        "Shares are weights: they are normalised to 100 %. Fit scales engagement and clicks "
        "for how well a network suits this industry.",
        "Los repartos son pesos: se normalizan al 100 %. El encaje escala la interacción y los "
        "clics según lo bien que la red encaja con el sector.",
    ),
    "cockpit.pick_channels": ("Channels", "Canales"),
    "cockpit.channel_assumptions": ("Channel assumptions", "Supuestos por canal"),
    "cockpit.results": ("Results", "Resultados"),
    "cockpit.waterfall": ("From investment to net return", "De la inversión al retorno neto"),
    "cockpit.funnel": ("Funnel per channel", "Embudo por canal"),
    "cockpit.goals": ("Goals", "Objetivos"),
    "cockpit.goals_caption": (
        "One primary goal and any secondary ones; ROI targets in %.",
        "Un objetivo principal y los secundarios que quieras; metas de ROI en %.",
    ),
    "cockpit.no_goals": ("No goals yet: add one in the table.", "Aún no hay objetivos: añade uno."),
    "cockpit.channel_table": ("Per channel", "Por canal"),
    "cockpit.invalid": (
        "The results below are for your last valid inputs. To fix: {reason}",
        "Los resultados son los de tus últimos datos válidos. Para corregirlo: {reason}",
    ),
    "cockpit.sources": ("Where the assumptions come from", "De dónde salen los supuestos"),
    # Headline figures
    "kpi.investment": ("Investment", "Inversión"),
    "kpi.return": ("Full-value return", "Retorno de valor total"),
    "kpi.financial_roi": ("Financial ROI", "ROI financiero"),
    "kpi.full_roi": ("Full-value ROI", "ROI de valor total"),
    "kpi.roas": ("ROAS", "ROAS"),
    "kpi.cost_per_lead": ("Cost per lead", "Coste por lead"),
    "kpi.cost_per_sale": ("Cost per sale", "Coste por venta"),
    "kpi.investment_help": (
        "Ad budget + staff hours × hourly rate + fixed costs.",
        "Presupuesto en anuncios + horas del equipo × coste por hora + costes fijos.",
    ),
    "kpi.return_help": (
        "Sales margin + support savings + the lenses you enabled.",
        "Margen de ventas + ahorro en atención + las lentes activadas.",
    ),
    "kpi.financial_roi_help": (
        "(Sales margin + support savings − investment) / investment.",
        "(Margen de ventas + ahorro en atención − inversión) / inversión.",
    ),
    "kpi.full_roi_help": (
        "(Full-value return − investment) / investment.",
        "(Retorno de valor total − inversión) / inversión.",
    ),
    "kpi.roas_help": ("Revenue / ad spend.", "Ingresos / gasto en anuncios."),
    "kpi.cost_per_lead_help": ("Whole investment / leads.", "Inversión total / leads."),
    "kpi.cost_per_sale_help": ("Whole investment / sales.", "Inversión total / ventas."),
    "kpi.net": ("net {amount}", "neto {amount}"),
    # Inputs
    "input.ad_budget": ("Ad budget", "Presupuesto en anuncios"),
    "input.staff_hours": ("Staff hours", "Horas del equipo"),
    "input.hourly_rate": ("Hourly cost of staff", "Coste por hora del equipo"),
    "input.fixed_costs": (
        "Fixed costs (tools, content, agency)",
        "Costes fijos (herramientas, contenido, agencia)",
    ),
    "input.ad_budget_help": (
        "Paid media per month, split by the budget shares.",
        "Inversión en anuncios al mes, repartida según los pesos.",
    ),
    "input.staff_hours_help": (
        "Hours spent posting, answering and managing the community each month.",
        "Horas al mes dedicadas a publicar, responder y gestionar la comunidad.",
    ),
    "input.hourly_rate_help": ("Loaded cost of one staff hour.", "Coste total de una hora."),
    "input.fixed_costs_help": (
        "Shared costs, not allocated to channels.",
        "Costes compartidos, no se reparten entre canales.",
    ),
    "value.like": ("A like", "Un me gusta"),
    "value.comment": ("A comment", "Un comentario"),
    "value.share": ("A share", "Un compartido"),
    "value.video_view": ("A video view", "Una visualización de vídeo"),
    "value.organic_visit": (
        "An organic visit (paid-equivalent CPC)",
        "Una visita orgánica (CPC equivalente)",
    ),
    "value.lead": ("A lead not yet closed", "Un lead aún no cerrado"),
    "value.order_value": ("Average order value", "Valor medio del pedido"),
    "value.gross_margin": ("Gross margin (%)", "Margen bruto (%)"),
    "value.support_query": (
        "A support query answered (cost avoided)",
        "Una consulta atendida (coste evitado)",
    ),
    "lens.sales": ("Sales (margin)", "Ventas (margen)"),
    "lens.support": ("Support savings", "Ahorro en atención"),
    "lens.leads": ("Open leads", "Leads abiertos"),
    "lens.engagement": ("Engagement", "Interacción"),
    "lens.organic_traffic": ("Organic traffic", "Tráfico orgánico"),
    "lens.investment": ("Investment", "Inversión"),
    "lens.net": ("Net return", "Retorno neto"),
    # Channel columns
    "col.channel": ("Channel", "Canal"),
    "col.budget_share": ("Budget weight (%)", "Peso presupuesto (%)"),
    "col.hours_share": ("Hours weight (%)", "Peso horas (%)"),
    "col.spend_share": ("Share of spend", "Parte del gasto"),
    "col.hours_share_norm": ("Share of hours", "Parte de las horas"),
    "col.fit": ("Fit for the industry (%)", "Encaje con el sector (%)"),
    "col.cpm": ("CPM", "CPM"),
    "col.saturation_spend": ("Spend at which CPM doubles", "Gasto al que el CPM se duplica"),
    "col.organic_impressions_per_hour": (
        "Organic impressions per hour",
        "Impresiones orgánicas por hora",
    ),
    "col.like_rate": ("Likes (% of impressions)", "Me gusta (% de impresiones)"),
    "col.comment_rate": ("Comments (%)", "Comentarios (%)"),
    "col.share_rate": ("Shares (%)", "Compartidos (%)"),
    "col.video_view_rate": ("Video views (%)", "Visualizaciones (%)"),
    "col.ctr": ("CTR (%)", "CTR (%)"),
    "col.lead_rate": ("Visit → lead (%)", "Visita → lead (%)"),
    "col.close_rate": ("Lead → sale (%)", "Lead → venta (%)"),
    "col.support_queries_per_hour": ("Queries answered per hour", "Consultas atendidas por hora"),
    "col.spend": ("Spend", "Gasto"),
    "col.hours": ("Hours", "Horas"),
    "col.investment": ("Investment", "Inversión"),
    "col.financial_return": ("Financial return", "Retorno financiero"),
    "col.full_return": ("Full-value return", "Retorno de valor total"),
    "col.financial_roi": ("Financial ROI", "ROI financiero"),
    "col.full_roi": ("Full-value ROI", "ROI de valor total"),
    "col.marginal_roi": ("Marginal ROI", "ROI marginal"),
    "col.marginal_roi_help": (
        "Return of the next unit of money spent on this channel, minus that unit.",
        "Retorno de la siguiente unidad de dinero en este canal, menos esa unidad.",
    ),
    "col.tier": ("Tier", "Tipo"),
    "col.metric": ("Metric", "Métrica"),
    "col.target": ("Target", "Meta"),
    "col.value": ("Value", "Valor"),
    "col.attainment": ("Attainment", "Cumplimiento"),
    "col.status": ("Status", "Estado"),
    "col.field": ("Assumption", "Supuesto"),
    "col.origin": ("Comes from", "Procede de"),
    "col.detail": ("Source", "Fuente"),
    "col.stage": ("Stage", "Etapa"),
    "col.unit": ("Unit", "Unidad"),
    "col.year": ("Year", "Año"),
    "col.note": ("Note", "Nota"),
    "col.engagement_rate": ("Engagement rate", "Tasa de interacción"),
    "col.amount": ("Amount", "Importe"),
    "col.count": ("Count", "Cantidad"),
    "tier.primary": ("Primary", "Principal"),
    "tier.secondary": ("Secondary", "Secundario"),
    "goal.met": ("Reached", "Alcanzado"),
    "goal.not_met": ("Not yet", "Aún no"),
    "origin.benchmark": ("Benchmark", "Referencia del sector"),
    "origin.default": (
        "Default (assumption, no published source)",
        "Por defecto (supuesto, sin fuente publicada)",
    ),
    "origin.preset": ("Preset", "Escenario tipo"),
    "origin.user": ("You", "Tú"),
    "ui.choose": ("Choose", "Elige"),
    "origin.history": ("Your history", "Tu historial"),
    "origin.history_months": ("{months} months", "{months} meses"),
    # order value is one figure across channels: its months are counted per channel
    "origin.history_channel_months": ("{months} channel-months", "{months} meses-canal"),
    "origin.history_help": (
        "Comes from: your history, {months} ({source})",
        "Procede de: tu historial, {months} ({source})",
    ),
    "metric.impressions": ("Impressions", "Impresiones"),
    "metric.likes": ("Likes", "Me gusta"),
    "metric.comments": ("Comments", "Comentarios"),
    "metric.shares": ("Shares", "Compartidos"),
    "metric.video_views": ("Video views", "Visualizaciones de vídeo"),
    "metric.engagements": ("Engagements", "Interacciones"),
    "metric.visits": ("Visits", "Visitas"),
    "metric.leads": ("Leads", "Leads"),
    "metric.sales": ("Sales", "Ventas"),
    "metric.revenue": ("Revenue", "Ingresos"),
    "metric.support_queries": ("Support queries answered", "Consultas atendidas"),
    "metric.financial_return": ("Financial return", "Retorno financiero"),
    "metric.full_return": ("Full-value return", "Retorno de valor total"),
    "metric.financial_roi": ("Financial ROI", "ROI financiero"),
    "metric.full_roi": ("Full-value ROI", "ROI de valor total"),
    # Assumptions page
    "assumptions.title": ("Assumptions and break-even", "Supuestos y punto de equilibrio"),
    "assumptions.intro": (
        "Every figure the cockpit uses, where it comes from, and how far it can move before "
        "the ROI turns negative.",
        "Cada dato que usa el panel, de dónde sale y cuánto puede moverse antes de que el ROI "
        "sea negativo.",
    ),
    "assumptions.break_even": ("Break-even", "Punto de equilibrio"),
    "assumptions.break_even_input": ("Input", "Dato"),
    "assumptions.objective": ("ROI", "ROI"),
    "assumptions.break_even_result": (
        "{input}: today {current}; the {roi} is 0 at {value}.",
        "{input}: hoy {current}; el {roi} es 0 con {value}.",
    ),
    "assumptions.break_even_none": (
        "{input}: today {current}; no value in range brings the {roi} to 0.",
        "{input}: hoy {current}; ningún valor posible lleva el {roi} a 0.",
    ),
    "assumptions.exact": (
        "Solved exactly (the return is linear in this input).",
        "Resuelto exactamente (el retorno es lineal en este dato).",
    ),
    "assumptions.numeric": (
        "Found numerically (diminishing returns).",
        "Hallado numéricamente (rendimientos decrecientes).",
    ),
    "assumptions.benchmarks": ("Published benchmarks", "Referencias publicadas"),
    "assumptions.all_channels": ("all channels", "todos los canales"),
    "assumptions.key_inputs": ("Break-even of the key inputs", "Equilibrio de los datos clave"),
    "assumptions.key_inputs_caption": (
        "The value each input would need, all else equal, for the ROI to be exactly 0.",
        "El valor que necesitaría cada dato, con todo lo demás igual, para que el ROI sea 0.",
    ),
    "assumptions.today": ("Today", "Hoy"),
    "assumptions.break_even_at": ("Break-even at", "Equilibrio en"),
    "assumptions.unreachable": ("not reachable", "no alcanzable"),
    "assumptions.sources_caption": (
        "Benchmark: a published figure (source and year); default: our assumption where no "
        "source is known; preset: the scenario you started from; you: changed by you.",
        "Referencia: una cifra publicada (fuente y año); por defecto: supuesto nuestro donde no "
        "hay fuente; escenario tipo: el escenario de partida; tú: cambiado por ti.",
    ),
    # Validation messages (model rules)
    "rule.not_negative": (
        "{field} must be 0 or more (got {value}).",
        "{field} debe ser 0 o más (hay {value}).",
    ),
    "rule.fraction": (
        "{field} must be between 0 and 100 % (got {value}).",
        "{field} debe estar entre 0 y 100 % (hay {value}).",
    ),
    "rule.positive": (
        "{field} must be more than 0 (got {value}).",
        "{field} debe ser mayor que 0 (hay {value}).",
    ),
    "rule.positive_or_null": (
        "{field} must be more than 0, or empty for no saturation.",
        "{field} debe ser mayor que 0, o quedar vacío (sin saturación).",
    ),
    "rule.finite": (
        "{field} must be a finite number (got {value}).",
        "{field} debe ser un número finito (hay {value}).",
    ),
    "rule.cpm_with_spend": (
        "{field}: a channel that gets ad spend needs a CPM above 0.",
        "{field}: un canal con gasto en anuncios necesita un CPM mayor que 0.",
    ),
    "rule.budget_without_share": (
        "The ad budget has nowhere to go: give at least one channel a budget weight above 0, "
        "or set the budget to 0.",
        "El presupuesto no tiene destino: da a algún canal un peso de presupuesto mayor que 0, "
        "o pon el presupuesto a 0.",
    ),
    "rule.hours_without_share": (
        "The staff hours have nowhere to go: give at least one channel an hours weight above 0, "
        "or set the hours to 0.",
        "Las horas no tienen destino: da a algún canal un peso de horas mayor que 0, o pon las "
        "horas a 0.",
    ),
    "rule.non_empty": ("{field} cannot be empty.", "{field} no puede estar vacío."),
    "rule.unique": (
        "Two channels are called “{value}”: names must differ.",
        "Hay dos canales llamados «{value}»: los nombres deben ser distintos.",
    ),
    "rule.one_of": (
        "{field} must be one of: {options} (got {value}).",
        "{field} debe ser uno de: {options} (hay {value}).",
    ),
    "rule.currency": (
        "{field} must be a three-letter currency code such as EUR (got {value}).",
        "{field} debe ser un código de moneda de tres letras como EUR (hay {value}).",
    ),
    "rule.at_least_one": ("Keep at least one channel.", "Deja al menos un canal."),
    "rule.malformed_json": (
        "the file is not valid JSON ({value}).",
        "el archivo no es JSON válido ({value}).",
    ),
    "rule.unknown_field": (
        "unknown field “{field}” (allowed: {options}).",
        "campo desconocido «{field}» (se admiten: {options}).",
    ),
    "rule.missing_field": ("the field “{field}” is missing.", "falta el campo «{field}»."),
    "rule.wrong_type": (
        "{field} should be {options} (got {value}).",
        "{field} debería ser {options} (hay {value}).",
    ),
    "rule.schema_version": (
        "this file has schema version {value}; this version of ROI Explorer reads version "
        "{options}.",
        "el archivo tiene la versión de esquema {value}; esta versión de ROI Explorer lee la "
        "versión {options}.",
    ),
    "rule.unreadable": (
        "the file could not be read as UTF-8 text.",
        "no se ha podido leer el archivo como texto UTF-8.",
    ),
    "error.unexpected": (
        "Something went wrong while computing; your inputs are kept. Details: {detail}",
        "Algo ha fallado al calcular; tus datos se conservan. Detalle: {detail}",
    ),
}

CATALOG |= SCENARIO_TEXTS | CHANNEL_TEXTS | PLAN_TEXTS | HISTORY_TEXTS | KEPT_TEXTS


def language() -> str:
    """The session's language code (``en`` or ``es``)."""
    code = st.session_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, **values: Any) -> str:
    """The text for ``key`` in the session's language, with ``{placeholders}`` filled."""
    english, spanish = CATALOG[key]
    text = spanish if language() == "es" else english
    return text.format(**values) if values else text


def browser_language(locale: str | None) -> str:
    """Spanish for any ``es-*`` browser locale, else English."""
    return "es" if locale and locale.lower().startswith("es") else DEFAULT_LANGUAGE


def field_label(path: str) -> str:
    """A readable, translated name for a model field path such as ``channels[1].cpm``."""
    leaf = path.rsplit(".", 1)[-1]
    for prefix in ("input.", "value.", "col."):
        if prefix + leaf in CATALOG:
            return t(prefix + leaf)
    return path


def error_message(error: ScenarioError, channel_names: tuple[str, ...] = ()) -> str:
    """A model error in the user's language, naming the field as the user knows it."""
    label = field_label(error.field)
    if error.field.startswith("channels[") and "]" in error.field:
        index = error.field[len("channels[") : error.field.index("]")]
        if index.isdigit() and int(index) < len(channel_names):
            label = f"{channel_names[int(index)]} · {label}"
    field = error.field if error.rule in (Rule.UNKNOWN_FIELD, Rule.MISSING_FIELD) else label
    return t(f"rule.{error.rule.value}", field=field, value=error.value, options=error.options)
