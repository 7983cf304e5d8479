"""Texts of the Channels page, the best mix and the Goals page: key -> (English, Spanish).

Merged into :data:`pages._ui.i18n.CATALOG`; kept apart only to keep each file readable.
"""

from __future__ import annotations

CHANNEL_TEXTS: dict[str, tuple[str, str]] = {
    "nav.channels": ("Channels and best mix", "Canales y mejor reparto"),
    "nav.goals": ("Goals and measurement plan", "Objetivos y plan de medición"),
    # Channels page
    "channels.title": ("Which networks are worth it?", "¿Qué redes compensan?"),
    "channels.intro": (
        "Every channel on the same footing: what it costs, what it brings, where its returns "
        "start to fall, and the mix that would bring the most.",
        "Todos los canales con la misma vara: lo que cuestan, lo que aportan, dónde empiezan "
        "a rendir menos y el reparto que más aportaría.",
    ),
    "channels.objective": ("Return counted", "Retorno que se cuenta"),
    "channels.objective.financial": ("Financial", "Financiero"),
    "channels.objective.full": ("Full value", "Valor total"),
    "channels.objective_help": (
        "Financial: sales margin and support savings only. Full value: also the open leads, "
        "engagement and organic traffic the scenario counts.",
        "Financiero: solo el margen de las ventas y el ahorro en atención. Valor total: también "
        "los leads abiertos, la interacción y el tráfico orgánico que cuenta el escenario.",
    ),
    "channels.chart.roi": ("ROI by channel", "ROI por canal"),
    "channels.roi": ("ROI", "ROI"),
    "channels.chart.shares": (
        "Share of spend against share of return",
        "Parte del gasto frente a parte del retorno",
    ),
    "channels.share": ("Share", "Parte"),
    "channels.share.spend": ("Share of ad spend", "Parte del gasto en anuncios"),
    "channels.share.return": ("Share of return", "Parte del retorno"),
    "channels.shares_caption": (
        "A channel whose return share is above its spend share earns more than its keep.",
        "Un canal cuya parte del retorno supera su parte del gasto rinde más de lo que cuesta.",
    ),
    "channels.tab.table": ("Channels on one footing", "Canales con la misma vara"),
    "channels.tab.curves": ("Response curves", "Curvas de respuesta"),
    "channels.tab.funnel_hours": ("Funnel and staff hours", "Embudo y horas del equipo"),
    "channels.table_caption": (
        "Click a column's title to sort. Green: the best figure of the column; red: the worst. "
        "⚠ marks a channel that suits the client's industry poorly (fit under 50 %).",
        "Pulsa el título de una columna para ordenar. Verde: la mejor cifra de la columna; "
        "rojo: la peor. ⚠ marca un canal que encaja mal con el sector del cliente (encaje "
        "menor del 50 %).",
    ),
    "channels.col.fit": ("Fit", "Encaje"),
    "channels.col.return_of": ("Return: {lens}", "Retorno: {lens}"),
    "channels.col.roas": ("ROAS", "ROAS"),
    "channels.col.cost_per_lead": ("Cost per lead", "Coste por lead"),
    "channels.col.cost_per_sale": ("Cost per sale", "Coste por venta"),
    "channels.col.return_share": ("Share of return", "Parte del retorno"),
    "channels.poor_fit": (
        "{channel} suits this industry poorly (fit {fit}): it costs {investment} a month and "
        "brings {brings} (net {net}). The same channel in an industry it suited would bring "
        "{full_fit}.",
        "{channel} encaja mal con este sector (encaje {fit}): cuesta {investment} al mes y "
        "aporta {brings} (neto {net}). El mismo canal en un sector afín aportaría {full_fit}.",
    ),
    "channels.curves_caption": (
        "What each channel would bring at every monthly spend, its hours unchanged. The square "
        "is today; the circle, where the CPM has doubled, shows where returns fall off.",
        "Lo que aportaría cada canal con cada gasto mensual, con las mismas horas. El cuadrado "
        "es hoy; el círculo, donde el CPM se ha duplicado, muestra dónde cae el rendimiento.",
    ),
    "channels.curves_show": ("Show", "Mostrar"),
    "channels.curves.return": ("Return", "Retorno"),
    "channels.curves.impressions": ("Impressions", "Impresiones"),
    "channels.curves.spend": (
        "Monthly ad spend ({symbol})",
        "Gasto mensual en anuncios ({symbol})",
    ),
    "channels.curves.marker": ("Point", "Punto"),
    "channels.marker.today": ("Today", "Hoy"),
    "channels.marker.doubling": ("CPM doubled", "CPM duplicado"),
    "channels.hours": (
        "Staff hours: where they go, what they bring",
        "Horas del equipo: adónde van, qué aportan",
    ),
    "channels.hours.cost": ("Cost of the hours", "Coste de las horas"),
    "channels.hours.brings": ("What the hours bring", "Lo que aportan las horas"),
    "channels.hours_caption": (
        "Hours per channel: {hours}. What they bring: organic reach and the queries answered.",
        "Horas por canal: {hours}. Lo que aportan: alcance orgánico y consultas atendidas.",
    ),
    # The best mix
    "mix.title": ("The best mix", "El mejor reparto"),
    "mix.caption": (
        "The split of the same ad budget across the channels that brings the most, worked out "
        "from each channel's response curve; it follows every change you make.",
        "El reparto del mismo presupuesto entre los canales que más aporta, calculado con la "
        "curva de respuesta de cada canal; sigue cada cambio que hagas.",
    ),
    "mix.hours": ("Also move the staff hours", "Mover también las horas del equipo"),
    "mix.hours_help": (
        "Off: only the ad budget is moved; the hours stay where they are.",
        "Desactivado: solo se mueve el presupuesto de anuncios; las horas se quedan como están.",
    ),
    "mix.limits": ("Limits per channel", "Límites por canal"),
    "mix.col.locked": ("Keep today's spend", "Mantener el gasto de hoy"),
    "mix.locked_help": (
        "The channel keeps today's spend; the rest is shared among the others.",
        "El canal mantiene el gasto de hoy; el resto se reparte entre los demás.",
    ),
    "mix.col.minimum": ("Minimum spend", "Gasto mínimo"),
    "mix.col.maximum": ("Maximum spend", "Gasto máximo"),
    "mix.maximum_help": ("Empty: no maximum.", "Vacío: sin máximo."),
    "mix.none": ("No mix can be suggested: {reason}", "No se puede sugerir un reparto: {reason}"),
    "mix.infeasible": (
        "the limits cannot all be met with this budget (the minimums add up to more than the "
        "budget, or the maximums to less). Loosen a limit or change the budget.",
        "no se pueden cumplir todos los límites con este presupuesto (los mínimos suman más "
        "que el presupuesto, o los máximos menos). Afloja un límite o cambia el presupuesto.",
    ),
    "mix.infeasible_range": (
        "with these limits the ad budget must be between {lowest} and {highest}. Loosen a "
        "limit or change the budget.",
        "con estos límites el presupuesto de anuncios debe estar entre {lowest} y {highest}. "
        "Afloja un límite o cambia el presupuesto.",
    ),
    "mix.return.financial": (
        "Financial return with the best mix",
        "Retorno financiero con el mejor reparto",
    ),
    "mix.return.full": (
        "Full-value return with the best mix",
        "Retorno de valor total con el mejor reparto",
    ),
    "mix.vs_today": ("{amount} on today's {today}", "{amount} sobre los {today} de hoy"),
    "mix.roi.financial": ("Financial ROI with the best mix", "ROI financiero con el mejor reparto"),
    "mix.roi.full": ("Full-value ROI with the best mix", "ROI de valor total con el mejor reparto"),
    "mix.roi_today": ("today {today}", "hoy {today}"),
    "mix.col.spend_before": ("Spend today", "Gasto hoy"),
    "mix.col.spend_after": ("Spend suggested", "Gasto sugerido"),
    "mix.col.hours_before": ("Hours today", "Horas hoy"),
    "mix.col.hours_after": ("Hours suggested", "Horas sugeridas"),
    "mix.col.return_before": ("Return today", "Retorno hoy"),
    "mix.col.return_after": ("Return suggested", "Retorno sugerido"),
    "mix.col.roi_before": ("ROI today", "ROI hoy"),
    "mix.col.roi_after": ("ROI suggested", "ROI sugerido"),
    "mix.apply": ("Apply to the scenario being edited", "Aplicar al escenario en edición"),
    "mix.applied": (
        "The suggested mix is now the scenario being edited's (not saved yet).",
        "El reparto sugerido es ahora el del escenario en edición (aún sin guardar).",
    ),
    "mix.save": ("Save as a new scenario…", "Guardar como escenario nuevo…"),
    "mix.default_name": ("{name} (best mix)", "{name} (mejor reparto)"),
    "mix.saved": (
        "Saved “{name}”. Open it from Saved scenarios, or compare it.",
        "Guardado «{name}». Ábrelo desde Escenarios guardados o compáralo.",
    ),
    "mix.reverse": ("How much budget is needed?", "¿Cuánto presupuesto hace falta?"),
    "mix.reverse_target": ("Target", "Meta"),
    "mix.reverse.roi.financial": ("A financial ROI", "Un ROI financiero"),
    "mix.reverse.roi.full": ("A full-value ROI", "Un ROI de valor total"),
    "mix.reverse.goal": ("The primary goal ({metric})", "El objetivo principal ({metric})"),
    "mix.reverse_roi": ("ROI to reach (%)", "ROI que alcanzar (%)"),
    "mix.reverse_found": (
        "At least {budget} of ad budget a month, split as the best mix (today {today}).",
        "Al menos {budget} de presupuesto de anuncios al mes, repartido como el mejor reparto "
        "(hoy {today}).",
    ),
    "mix.reverse_unreachable": (
        "Not reachable with any ad budget up to {cap}, however it is split.",
        "No se alcanza con ningún presupuesto de anuncios hasta {cap}, se reparta como se reparta.",
    ),
    # Goals page
    "goals.title": ("Will we reach what we set out to do?", "¿Alcanzaremos lo que nos propusimos?"),
    "goals.intro": (
        "The campaign's primary and secondary goals: how far each gets, who contributes, what "
        "would close the gap, and how it will be measured.",
        "Los objetivos principal y secundarios de la campaña: hasta dónde llega cada uno, quién "
        "contribuye, qué cerraría la diferencia y cómo se medirá.",
    ),
    "goals.none": (
        "This scenario has no goals yet: add them below.",
        "Este escenario aún no tiene objetivos: añádelos abajo.",
    ),
    "goals.glance.primary": ("Primary goal", "Objetivo principal"),
    "goals.glance.secondary": ("Secondary goals", "Objetivos secundarios"),
    "goals.met_of": ("{met} of {count} met", "{met} de {count} cumplidos"),
    "goals.mean_attainment": ("{value} attained on average", "{value} de cumplimiento medio"),
    "goals.label": ("{tier} · {metric}", "{tier} · {metric}"),
    "goals.progress": (
        "{value} of {target} ({attainment})",
        "{value} de {target} ({attainment})",
    ),
    "goals.contributions": ("Contributions: {parts}", "Aportaciones: {parts}"),
    "goals.contribution": ("{channel} {amount} ({share})", "{channel} {amount} ({share})"),
    "goals.shared": ("shared costs", "costes comunes"),
    "goals.needs": ("To reach it: {options}.", "Para alcanzarlo: {options}."),
    "goals.or": (", or ", ", o "),
    "goals.closer": (
        "{input} of {needed} instead of {current}",
        "{input} de {needed} en vez de {current}",
    ),
    "goals.closer.budget": (
        "{more} more ad budget at today's mix ({needed} instead of {current})",
        "{more} más de presupuesto con el reparto de hoy ({needed} en vez de {current})",
    ),
    "goals.no_closer": (
        "No single input closes this gap on its own within its range.",
        "Ningún dato por sí solo cierra esta diferencia dentro de su rango.",
    ),
    "goals.edit": ("Edit the goals", "Editar los objetivos"),
    "goals.edit_caption": (
        "Add, change or remove goals; ROI targets are in percent.",
        "Añade, cambia o quita objetivos; las metas de ROI van en porcentaje.",
    ),
    "goals.across": ("The goals across scenarios", "Los objetivos en varios escenarios"),
    "goals.across_pick": ("Scenarios", "Escenarios"),
    "goals.across_none": (
        "None of these scenarios has goals.",
        "Ninguno de estos escenarios tiene objetivos.",
    ),
    "goals.across_caption": (
        "Attainment of each goal in each scenario; empty where a scenario lacks that goal.",
        "Cumplimiento de cada objetivo en cada escenario; vacío donde un escenario no lo tiene.",
    ),
    "col.goal": ("Goal", "Objetivo"),
}
