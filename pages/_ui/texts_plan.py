"""Texts of the measurement plan: the editor, and the words of every suggestion's key
(:mod:`roi_model.plan` suggests keys; the user edits the words). key -> (English, Spanish).
"""

from __future__ import annotations

PLAN_TEXTS: dict[str, tuple[str, str]] = {
    "plan.title": ("Measurement plan", "Plan de medición"),
    "plan.caption": (
        "Objective → KPI per channel → at least two tactics per KPI → the metrics that feed "
        "it → the tool that measures them and how often it is reported. Saved with the scenario.",
        "Objetivo → KPI por canal → al menos dos tácticas por KPI → las métricas que lo "
        "alimentan → la herramienta que las mide y cada cuánto se informa. Se guarda con el "
        "escenario.",
    ),
    "plan.suggest": ("Suggest from the goals", "Sugerir a partir de los objetivos"),
    "plan.suggest_help": (
        "Adds a row per goal and active channel that the plan lacks; edit the words freely.",
        "Añade una fila por objetivo y canal activo que falte en el plan; cambia el texto "
        "libremente.",
    ),
    "plan.suggested": ("{count} rows added to the plan.", "{count} filas añadidas al plan."),
    "plan.download": ("Download the plan (CSV)", "Descargar el plan (CSV)"),
    "plan.file": ("measurement plan", "plan de medición"),
    "plan.col.objective": ("Objective", "Objetivo"),
    "plan.col.kpi": ("KPI", "KPI"),
    "plan.col.tactics": ("Tactics", "Tácticas"),
    "plan.col.metrics": ("Metrics", "Métricas"),
    "plan.col.tool": ("Tool", "Herramienta"),
    "plan.col.cadence": ("Reporting", "Informe"),
    "plan.list_help": ("Separate several with “;”.", "Separa varias con «;»."),
    "plan.refused": (
        "That change to the plan was not kept: {reason}",
        "No se ha guardado ese cambio del plan: {reason}",
    ),
    "plan.cadence.daily": ("Daily", "Diario"),
    "plan.cadence.weekly": ("Weekly", "Semanal"),
    "plan.cadence.biweekly": ("Every two weeks", "Quincenal"),
    "plan.cadence.monthly": ("Monthly", "Mensual"),
    "plan.cadence.quarterly": ("Quarterly", "Trimestral"),
    "plan.problem.few_tactics": (
        "Row {row} ({channel}): give the KPI at least two tactics.",
        "Fila {row} ({channel}): da al KPI al menos dos tácticas.",
    ),
    "plan.problem.no_metric": (
        "Row {row} ({channel}): name the metrics that feed the KPI.",
        "Fila {row} ({channel}): indica las métricas que alimentan el KPI.",
    ),
    "plan.problem.no_tool": (
        "Row {row} ({channel}): say which tool measures it.",
        "Fila {row} ({channel}): indica qué herramienta lo mide.",
    ),
    "plan.problem.unknown_channel": (
        "Row {row}: {channel} is not one of this scenario's channels.",
        "Fila {row}: {channel} no es uno de los canales de este escenario.",
    ),
    # KPIs
    "plan.kpi.reach": ("Reach (impressions)", "Alcance (impresiones)"),
    "plan.kpi.engagement_rate": ("Engagement rate", "Tasa de interacción"),
    "plan.kpi.view_rate": ("Video view rate", "Tasa de visualización"),
    "plan.kpi.click_through_rate": ("Click-through rate", "Tasa de clics (CTR)"),
    "plan.kpi.cost_per_lead": ("Cost per lead", "Coste por lead"),
    "plan.kpi.cost_per_sale": ("Cost per sale", "Coste por venta"),
    "plan.kpi.roas": ("ROAS", "ROAS"),
    "plan.kpi.queries_answered": ("Queries answered in public", "Consultas atendidas en público"),
    "plan.kpi.return": ("Return", "Retorno"),
    "plan.kpi.roi": ("ROI", "ROI"),
    # Tactics
    "plan.tactic.boosted_posts": ("Boost the best posts", "Promocionar las mejores publicaciones"),
    "plan.tactic.audience_targeting": (
        "Target the client's audiences",
        "Segmentar por los públicos del cliente",
    ),
    "plan.tactic.posting_calendar": (
        "Keep a posting calendar",
        "Seguir un calendario de publicación",
    ),
    "plan.tactic.trending_formats": ("Use trending formats", "Usar formatos en tendencia"),
    "plan.tactic.engagement_ads": ("Engagement ads", "Anuncios de interacción"),
    "plan.tactic.contests_and_giveaways": ("Contests and giveaways", "Concursos y sorteos"),
    "plan.tactic.questions_and_polls": ("Questions and polls", "Preguntas y encuestas"),
    "plan.tactic.reply_to_comments": (
        "Reply to every comment",
        "Responder a todos los comentarios",
    ),
    "plan.tactic.video_ads": ("Video ads", "Anuncios en vídeo"),
    "plan.tactic.short_video": ("Short vertical videos", "Vídeos cortos verticales"),
    "plan.tactic.strong_first_seconds": (
        "Hook in the first seconds",
        "Enganchar en los primeros segundos",
    ),
    "plan.tactic.ad_creative_tests": ("Test ad creatives", "Probar creatividades de anuncios"),
    "plan.tactic.clear_call_to_action": ("A clear call to action", "Una llamada a la acción clara"),
    "plan.tactic.link_in_bio": ("Link in the profile", "Enlace en el perfil"),
    "plan.tactic.lead_form_ads": ("Lead form ads", "Anuncios con formulario"),
    "plan.tactic.landing_page_tests": ("Test the landing page", "Probar la página de destino"),
    "plan.tactic.gated_content": (
        "Downloadable content for contact details",
        "Contenido descargable a cambio de datos",
    ),
    "plan.tactic.retargeting": ("Retarget visitors", "Retargeting de visitantes"),
    "plan.tactic.limited_offers": ("Limited-time offers", "Ofertas por tiempo limitado"),
    "plan.tactic.lead_follow_up": (
        "Follow leads up within a day",
        "Seguir los leads en menos de un día",
    ),
    "plan.tactic.catalog_ads": ("Catalogue ads", "Anuncios de catálogo"),
    "plan.tactic.shoppable_posts": ("Shoppable posts", "Publicaciones comprables"),
    "plan.tactic.public_replies": ("Answer queries in public", "Responder consultas en público"),
    "plan.tactic.faq_posts": (
        "Posts answering frequent questions",
        "Publicaciones con preguntas frecuentes",
    ),
    "plan.tactic.response_time_target": (
        "A response-time target",
        "Un objetivo de tiempo de respuesta",
    ),
    "plan.tactic.budget_to_best_channels": (
        "Move budget to the best channels",
        "Llevar presupuesto a los mejores canales",
    ),
    "plan.tactic.content_reuse": (
        "Reuse content across channels",
        "Reutilizar contenido entre canales",
    ),
    "plan.tactic.referral_incentives": ("Referral incentives", "Incentivos por recomendación"),
    "plan.tactic.cut_low_fit_spend": (
        "Cut spend on channels that fit poorly",
        "Recortar gasto en canales que encajan mal",
    ),
    "plan.tactic.batch_content_production": (
        "Produce content in batches",
        "Producir contenido por lotes",
    ),
    # Metrics
    "plan.metric.impressions": ("Impressions", "Impresiones"),
    "plan.metric.likes": ("Likes", "Me gusta"),
    "plan.metric.comments": ("Comments", "Comentarios"),
    "plan.metric.shares": ("Shares", "Compartidos"),
    "plan.metric.video_views": ("Video views", "Visualizaciones"),
    "plan.metric.visits": ("Visits", "Visitas"),
    "plan.metric.leads": ("Leads", "Leads"),
    "plan.metric.sales": ("Sales", "Ventas"),
    "plan.metric.revenue": ("Revenue", "Ingresos"),
    "plan.metric.support_queries": ("Queries answered", "Consultas atendidas"),
    "plan.metric.spend": ("Ad spend", "Gasto en anuncios"),
    "plan.metric.staff_hours": ("Staff hours", "Horas del equipo"),
    # Tools
    "plan.tool.meta_business_suite": ("Meta Business Suite", "Meta Business Suite"),
    "plan.tool.linkedin_campaign_manager": (
        "LinkedIn Campaign Manager",
        "LinkedIn Campaign Manager",
    ),
    "plan.tool.tiktok_ads_manager": ("TikTok Ads Manager", "TikTok Ads Manager"),
    "plan.tool.x_analytics": ("X Analytics", "X Analytics"),
    "plan.tool.pinterest_analytics": ("Pinterest Analytics", "Pinterest Analytics"),
    "plan.tool.youtube_studio": ("YouTube Studio", "YouTube Studio"),
    "plan.tool.ga4": ("Google Analytics 4", "Google Analytics 4"),
}
