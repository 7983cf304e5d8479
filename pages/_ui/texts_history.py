"""Texts of the What happened page: import, figures, calibration. key -> (English, Spanish)."""

from __future__ import annotations

_FIELDS = {
    "date": ("Date", "Fecha"),
    "channel": ("Channel", "Canal"),
    "campaign": ("Campaign", "Campaña"),
    "spend": ("Spend", "Gasto"),
    "staff_hours": ("Staff hours", "Horas del equipo"),
    "impressions": ("Impressions", "Impresiones"),
    "reach": ("Reach", "Alcance"),
    "clicks": ("Clicks / visits", "Clics / visitas"),
    "likes": ("Likes", "Me gusta"),
    "comments": ("Comments", "Comentarios"),
    "shares": ("Shares", "Compartidos"),
    "saves": ("Saves", "Guardados"),
    "video_views": ("Video views", "Visualizaciones"),
    "leads": ("Leads", "Leads"),
    "sales": ("Sales", "Ventas"),
    "revenue": ("Revenue", "Ingresos"),
    "support_queries": ("Support queries", "Consultas atendidas"),
}
_ESTIMATES = {
    "cpm": ("CPM", "CPM"),
    "saturation_spend": ("Spend at which CPM doubles", "Gasto al que el CPM se duplica"),
    "ctr": ("CTR", "CTR"),
    "lead_rate": ("Visit → lead", "Visita → lead"),
    "close_rate": ("Lead → sale", "Lead → venta"),
    "like_rate": ("Likes per impression", "Me gusta por impresión"),
    "comment_rate": ("Comments per impression", "Comentarios por impresión"),
    "share_rate": ("Shares per impression", "Compartidos por impresión"),
    "video_view_rate": ("Video views per impression", "Visualizaciones por impresión"),
    "order_value": ("Order value", "Valor del pedido"),
}

#: How an estimate was made, or why there is none (the calibration's notes).
_BASES = {
    "fit": ("line of CPM against spend", "recta del CPM frente al gasto"),
    "ratio": ("ratio of the monthly sums", "cociente de las sumas mensuales"),
    "clipped": ("ratio of the sums, capped at 100 %", "cociente de las sumas, limitado al 100 %"),
    "no_column": ("the file has no column for it", "el archivo no trae esa columna"),
    "no_spend": ("no month with spend and impressions", "ningún mes con gasto e impresiones"),
    "no_data": ("no month with both figures", "ningún mes con las dos cifras"),
    "too_few_periods": ("too few months", "muy pocos meses"),
    "slope_not_positive": (
        "the CPM does not rise with spend: no saturation",
        "el CPM no sube con el gasto: sin saturación",
    ),
    "intercept_not_positive": (
        "the line's CPM at zero spend is not above 0",
        "el CPM de la recta con gasto cero no es mayor que 0",
    ),
    "spend_constant": (
        "the same spend every month: no line can be drawn",
        "el mismo gasto todos los meses: no se puede trazar la recta",
    ),
    "negative": ("below zero", "por debajo de cero"),
    "not_positive": ("zero", "cero"),
    "not_finite": ("the sums are too large", "las sumas son demasiado grandes"),
}

HISTORY_TEXTS: dict[str, tuple[str, str]] = {
    "nav.history": ("What happened", "Qué pasó"),
    "history.title": ("What did past campaigns return?", "¿Qué rindieron las campañas pasadas?"),
    "history.intro": (
        "Drop in an export from Meta, Google Ads, LinkedIn, TikTok, X, GA4, Instagram or your "
        "own spreadsheet: see what it returned, and turn it into this scenario's assumptions.",
        "Suelta una exportación de Meta, Google Ads, LinkedIn, TikTok, X, GA4, Instagram o tu "
        "propia hoja de cálculo: mira qué rindió y conviértela en los supuestos del escenario.",
    ),
    "history.upload": ("Campaign export (CSV or Excel)", "Exportación de campañas (CSV o Excel)"),
    "history.upload_help": (
        "Any encoding, separator or decimal mark; title lines and total rows are skipped.",
        "Cualquier codificación, separador o marca decimal; se saltan títulos y filas de total.",
    ),
    "history.sample": ("Use the sample history", "Usar el historial de ejemplo"),
    "history.start": (
        "Upload an export, or try the sample history of an online shop.",
        "Sube una exportación o prueba el historial de ejemplo de una tienda online.",
    ),
    "history.looking_at": ("Open: {name} ({size})", "Abierto: {name} ({size})"),
    "history.reading": ("Reading {name}…", "Leyendo {name}…"),
    "history.refused.empty": ("{name} is empty.", "{name} está vacío."),
    "history.refused.unreadable": (
        "{name} cannot be read as a CSV or Excel file.",
        "{name} no se puede leer como CSV ni como Excel.",
    ),
    "history.refused.no_header": (
        "{name} has no header line that names its columns.",
        "{name} no tiene una línea de cabecera que nombre sus columnas.",
    ),
    "history.refused.nothing_usable": (
        "Nothing in {name} can be used: its columns are {columns}. It needs at least one of "
        "spend, impressions, clicks, likes, comments, shares, leads, sales or revenue.",
        "No se puede usar nada de {name}: sus columnas son {columns}. Necesita al menos una de "
        "gasto, impresiones, clics, me gusta, comentarios, compartidos, leads, ventas o ingresos.",
    ),
    "history.refused.too_large": (
        "{name} is larger than 500 MB.",
        "{name} ocupa más de 500 MB.",
    ),
    "history.refused.bad_mapping": (
        "A correction names a field that does not exist ({columns}).",
        "Una corrección nombra un campo que no existe ({columns}).",
    ),
    "history.rows": ("Rows imported", "Filas importadas"),
    "history.skipped": ("Lines skipped", "Líneas saltadas"),
    "history.span": (
        "Dates: {dates} · channels: {channels}",
        "Fechas: {dates} · canales: {channels}",
    ),
    "history.assign_channel": (
        "This file has no channel column: which channel is it?",
        "Este archivo no tiene columna de canal: ¿de qué canal es?",
    ),
    "history.assign_placeholder": ("Choose a channel", "Elige un canal"),
    "history.how_read": ("How the file was read", "Cómo se ha leído el archivo"),
    "history.detected": (
        "Encoding {encoding} · separator {delimiter} · decimal mark {decimal} · dates {order} "
        "· currency {currency}",
        "Codificación {encoding} · separador {delimiter} · marca decimal {decimal} · fechas "
        "{order} · moneda {currency}",
    ),
    "history.warnings": (
        "What was assumed or looked odd:",
        "Lo que se ha supuesto o parecía raro:",
    ),
    "history.line": ("Line", "Línea"),
    "history.reason": ("Why it was skipped", "Por qué se saltó"),
    "history.ignore": ("(ignore)", "(ignorar)"),
    "history.skip.before_header": ("before the header", "antes de la cabecera"),
    "history.skip.empty": ("empty line", "línea vacía"),
    "history.skip.total": ("a total row", "una fila de total"),
    "history.skip.stray": (
        "not a data row (a single value outside the table)",
        "no es una fila de datos (un valor suelto fuera de la tabla)",
    ),
    "history.skip.no_numbers": ("no numbers in the measure columns", "sin números en las medidas"),
    "history.skip.duplicate": ("repeats an earlier row", "repite una fila anterior"),
    "history.source_column": ("Column in the file", "Columna del archivo"),
    "history.our_field": ("Read as", "Se lee como"),
    "history.no_rows": ("No rows match these filters.", "Ninguna fila cumple estos filtros."),
    "history.group": ("Per", "Por"),
    "history.by.channel": ("Channel", "Canal"),
    "history.by.campaign": ("Campaign", "Campaña"),
    "history.by.month": ("Month", "Mes"),
    "history.filter_dates": ("Dates", "Fechas"),
    "history.trend": ("Month by month", "Mes a mes"),
    "history.compared.channel": ("ROI by channel", "ROI por canal"),
    "history.compared.campaign": ("ROI by campaign", "ROI por campaña"),
    "history.hours_title": (
        "Staff hours per month (the file has none)",
        "Horas del equipo por mes (el archivo no las trae)",
    ),
    "history.hours_caption": (
        "Enter the hours the team worked each month; they start at this scenario's {hours} h "
        "a month and are spread over the month's rows by spend.",
        "Escribe las horas que trabajó el equipo cada mes; empiezan con las {hours} h al mes de "
        "este escenario y se reparten entre las filas del mes según el gasto.",
    ),
    "history.month": ("Month", "Mes"),
    "history.hours": ("Hours", "Horas"),
    "history.filter_channels": ("Channels", "Canales"),
    "history.all": ("All", "Todos"),
    "history.date_order": (
        "How should dates like {example} be read?",
        "¿Cómo se leen fechas como {example}?",
    ),
    "history.date_order_help": (
        "The file's dates could be day-first or month-first; nothing in them settles it.",
        "Las fechas del archivo pueden ser día/mes o mes/día; nada en ellas lo decide.",
    ),
    "history.order.dmy": ("day/month/year", "día/mes/año"),
    "history.order.mdy": ("month/day/year", "mes/día/año"),
    "history.filter_campaigns": ("Campaigns", "Campañas"),
    "history.valued": (
        "Returns use this scenario's per-action values and lenses; staff hours cost {rate} an "
        "hour.",
        "Los retornos usan los valores por acción y las lentes de este escenario; la hora del "
        "equipo cuesta {rate}.",
    ),
    "history.col.spend": ("Spend", "Gasto"),
    "history.col.staff_cost": ("Staff cost", "Coste del equipo"),
    "history.col.investment": ("Investment", "Inversión"),
    "history.col.revenue": ("Revenue", "Ingresos"),
    "history.col.financial_return": ("Financial return", "Retorno financiero"),
    "history.col.full_return": ("Full-value return", "Retorno de valor total"),
    "history.col.cost_per_lead": ("Cost per lead", "Coste por lead"),
    "history.col.cost_per_sale": ("Cost per sale", "Coste por venta"),
    "history.col.cpm": ("CPM", "CPM"),
    "history.col.ctr": ("CTR", "CTR"),
    "history.col.roas": ("ROAS", "ROAS"),
    "history.col.financial_roi": ("Financial ROI", "ROI financiero"),
    "history.col.full_roi": ("Full-value ROI", "ROI de valor total"),
    "history.calibrate": ("Your history as assumptions", "Tu historial como supuestos"),
    "history.calibrate_caption": (
        "Each channel's CPM and saturation (a straight line of the monthly CPM against spend), "
        "its rates and the order value, beside today's assumption, with the months behind them.",
        "El CPM y la saturación de cada canal (una recta del CPM mensual frente al gasto), sus "
        "tasas y el valor del pedido, junto al supuesto de hoy, con los meses que los respaldan.",
    ),
    "history.nothing_to_calibrate": (
        "The history says nothing about this scenario's channels (or too few months).",
        "El historial no dice nada de los canales de este escenario (o hay pocos meses).",
    ),
    "history.all_channels": ("All channels", "Todos los canales"),
    "history.assumption": ("Assumption", "Supuesto"),
    "history.from_history": ("From your history", "De tu historial"),
    "history.today": ("Today", "Hoy"),
    "history.months": ("Months", "Meses"),
    "history.use": ("Use these numbers", "Usar estas cifras"),
    "history.take": ("Take", "Tomar"),
    "history.take_help": (
        "Untick the figures to leave as they are.",
        "Desmarca las cifras que quieras dejar como están.",
    ),
    "history.calibrated_name": ("{name} (from history)", "{name} (según historial)"),
    "history.used": (
        "{count} assumptions taken from your history: “{name}” is now the scenario being edited "
        "(not saved yet).",
        "{count} supuestos tomados de tu historial: «{name}» es ahora el escenario en edición "
        "(aún sin guardar).",
    ),
    **{f"history.field.{key}": words for key, words in _FIELDS.items()},
    **{f"history.estimate.{key}": words for key, words in _ESTIMATES.items()},
    **{f"history.basis.{key}": words for key, words in _BASES.items()},
    "history.range": ("Likely between", "Probablemente entre"),
    "history.basis": ("How", "Cómo"),
    "history.between": ("{low} to {high}", "{low} a {high}"),
    "history.kept_as_is": (
        "Not in your history: {count} assumptions stay as they are",
        "No están en tu historial: {count} supuestos se quedan como están",
    ),
}

# What the importer assumed or found odd: history.note.<NoteCode>, with the note's values
# (numbers formatted and fields named by the page).
HISTORY_TEXTS |= {
    "history.note.duplicates_kept": (
        "{count} row(s) repeat an earlier row exactly (lines {lines}); they were kept.",
        "{count} fila(s) repiten exactamente una fila anterior (líneas {lines}); se han "
        "conservado.",
    ),
    "history.note.duplicates_dropped": (
        "{count} row(s) repeat an earlier row exactly (lines {lines}); they were dropped.",
        "{count} fila(s) repiten exactamente una fila anterior (líneas {lines}); se han "
        "descartado.",
    ),
    "history.note.no_channel": (
        "The file has no channel column and no channel was given; the channel is empty.",
        "El archivo no tiene columna de canal y no se ha indicado ninguno; el canal queda vacío.",
    ),
    "history.note.channel_not_used": (
        "The file has a channel column; the channel “{channel}” was not used.",
        "El archivo tiene columna de canal; no se ha usado el canal «{channel}».",
    ),
    "history.note.no_date_column": (
        "The file has no date column; the rows have no dates.",
        "El archivo no tiene columna de fecha; las filas quedan sin fecha.",
    ),
    "history.note.total_mismatch": (
        "The total row on line {line} says {field} = {stated}, but the detail rows add up to "
        "{summed}.",
        "La fila de total de la línea {line} dice {field} = {stated}, pero las filas de detalle "
        "suman {summed}.",
    ),
    "history.note.decimal_assumed": (
        "The decimal mark could not be decided from the numbers; “{mark}” was assumed.",
        "Los números no permiten decidir la marca decimal; se ha supuesto «{mark}».",
    ),
    "history.note.day_first_assumed": (
        "Dates like {example} could be day-first or month-first; day/month/year was assumed "
        "because the file looks European (semicolons, Spanish headers).",
        "Fechas como {example} pueden ser día/mes o mes/día; se ha supuesto día/mes/año porque "
        "el archivo parece europeo (punto y coma, cabeceras en español).",
    ),
    "history.note.month_first_assumed": (
        "Dates like {example} could be day-first or month-first; month/day/year was assumed "
        "because the file does not look European.",
        "Fechas como {example} pueden ser día/mes o mes/día; se ha supuesto mes/día/año porque "
        "el archivo no parece europeo.",
    ),
    "history.note.two_columns": (
        'Columns "{used}" and {others} both give {field}; "{used}" was used.',
        'Las columnas "{used}" y {others} dan ambas {field}; se ha usado "{used}".',
    ),
    "history.note.mapped_column_missing": (
        "A correction names the column “{column}”, which the file does not have.",
        "Una corrección nombra la columna «{column}», que el archivo no tiene.",
    ),
    "history.note.day_first_chosen": (
        "Dates like {example} could be day-first or month-first; they were read as "
        "day/month/year, as you chose.",
        "Fechas como {example} pueden ser día/mes o mes/día; se han leído como día/mes/año, "
        "como elegiste.",
    ),
    "history.note.month_first_chosen": (
        "Dates like {example} could be day-first or month-first; they were read as "
        "month/day/year, as you chose.",
        "Fechas como {example} pueden ser día/mes o mes/día; se han leído como mes/día/año, "
        "como elegiste.",
    ),
    "history.note.wide_by_channel": (
        "The file has a column per channel and measure; each row was read as one row per "
        "channel ({channels}).",
        "El archivo tiene una columna por canal y medida; cada fila se ha leído como una fila "
        "por canal ({channels}).",
    ),
    "history.note.year_assumed": (
        "The dates have a month and a day but no year; {year} was assumed (the latest year that "
        "puts none of them in the future).",
        "Las fechas tienen mes y día pero no año; se ha supuesto {year} (el último año que no "
        "deja ninguna en el futuro).",
    ),
    "history.note.visits_as_clicks": (
        "“{column}” (visits) is counted as clicks.",
        "«{column}» (visitas) se cuenta como clics.",
    ),
    "history.note.no_spend": (
        "The file has impressions or clicks but no spend column: what they cost is not in the "
        "history (expected for organic posts). If a column holds the spend, read it as Spend "
        "below.",
        "El archivo tiene impresiones o clics pero ninguna columna de gasto: lo que costaron no "
        "está en el historial (normal en publicaciones orgánicas). Si alguna columna es el "
        "gasto, léela como Gasto aquí debajo.",
    ),
    "history.note.unused_numbers": (
        "Not used: {columns} (numbers). If one is a campaign measure, say which below.",
        "Sin usar: {columns} (números). Si alguna es una medida de la campaña, indica cuál "
        "aquí debajo.",
    ),
    "history.note.result_type_used": (
        "“{column}”: {rows} row(s) of type “{type}” were read as {field}.",
        "«{column}»: {rows} fila(s) del tipo «{type}» se han leído como {field}.",
    ),
    "history.note.result_type_taken": (
        "“{column}”: {rows} row(s) of type “{type}” were not used: the column “{other}” gives "
        "them already.",
        "«{column}»: {rows} fila(s) del tipo «{type}» no se han usado: ya las da la columna "
        "«{other}».",
    ),
    "history.note.result_type_not_used": (
        "“{column}”: {rows} row(s) of type “{type}” were not used: none of our fields is that "
        "result.",
        "«{column}»: {rows} fila(s) del tipo «{type}» no se han usado: ninguno de nuestros "
        "campos es ese resultado.",
    ),
    "history.holds": ("Holds", "Contiene"),
    "history.unused_mark": ("Numbers, not used", "Números, sin usar"),
    "history.check_reading": (
        "Check how the file was read:",
        "Revisa cómo se ha leído el archivo:",
    ),
}
