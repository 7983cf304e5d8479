"""Texts of saving, sharing, the Scenarios page and the Compare page: key -> (English, Spanish).

Merged into :data:`pages._ui.i18n.CATALOG`; kept apart only to keep each file readable.
"""

from __future__ import annotations

SCENARIO_TEXTS: dict[str, tuple[str, str]] = {
    "nav.scenarios": ("Saved scenarios", "Escenarios guardados"),
    "nav.compare": ("Compare scenarios", "Comparar escenarios"),
    # The scenario bar above the cockpit
    "save.save": ("Save", "Guardar"),
    "save.save_help": (
        "Save your changes over the stored scenario.",
        "Guarda tus cambios sobre el escenario guardado.",
    ),
    "save.save_as": ("Save as…", "Guardar como…"),
    "save.client": ("Client", "Cliente"),
    "save.new_client": ("New client…", "Nuevo cliente…"),
    "save.new_client_name": (
        "New client's name (when “New client…” is chosen)",
        "Nombre del nuevo cliente (si eliges «Nuevo cliente…»)",
    ),
    "save.name": ("Name", "Nombre"),
    "save.not_saved": (
        "Not saved yet: your changes are kept in this browser tab; use “Save as…” to keep it "
        "with a client.",
        "Aún sin guardar: tus cambios se conservan en esta pestaña; usa «Guardar como…» para "
        "guardarlo con un cliente.",
    ),
    "save.saved": ("Saved", "Guardado"),
    "save.unsaved_changes": ("Unsaved changes", "Cambios sin guardar"),
    "save.changed_elsewhere": (
        "saved elsewhere since you opened it ({when})",
        "guardado en otro sitio desde que lo abriste ({when})",
    ),
    "save.off": ("Saving is off. {reason}", "No se puede guardar. {reason}"),
    "save.invalid": (
        "Fix the scenario first: {reason}",
        "Corrige antes el escenario: {reason}",
    ),
    "save.autosave_failed": (
        "⚠ The database was busy and the last change was not autosaved; it is kept in this tab "
        "and saved with the next change.",
        "⚠ La base de datos estaba ocupada y el último cambio no se ha guardado automáticamente; "
        "se conserva en esta pestaña y se guardará con el siguiente cambio.",
    ),
    "save.nothing_to_save": (
        "Nothing has changed since the last save.",
        "No ha cambiado nada desde la última vez que se guardó.",
    ),
    "save.done": ("Saved “{name}” (version {version}).", "Guardado «{name}» (versión {version})."),
    "save.conflict": (
        "“{name}” was saved elsewhere ({when}) after you opened it. Nothing has been "
        "overwritten. Overwrite it with yours (the other version stays in its history), or keep "
        "both?",
        "«{name}» se guardó en otro sitio ({when}) después de que lo abrieras. No se ha "
        "sobrescrito nada. ¿Lo sobrescribes con el tuyo (la otra versión queda en su "
        "historial) o conservas los dos?",
    ),
    "save.overwrite": ("Overwrite with mine", "Sobrescribir con el mío"),
    "save.keep_both": (
        "Keep both (save mine as a copy)",
        "Conservar los dos (guardar el mío aparte)",
    ),
    "save.my_copy": ("{name} (my version)", "{name} (mi versión)"),
    # The store
    "store.corrupt": (
        "The scenario database at {path} cannot be read (it is damaged or not a database). "
        "It has not been changed. Move it aside or point ROI_EXPLORER_DB to another file.",
        "No se puede leer la base de datos de escenarios en {path} (está dañada o no es una "
        "base de datos). No se ha modificado. Apártala o indica otro archivo en "
        "ROI_EXPLORER_DB.",
    ),
    "store.future_schema": (
        "The scenario database at {path} was written by a newer version of ROI Explorer. It "
        "has not been changed; update ROI Explorer to use it.",
        "La base de datos de escenarios en {path} la escribió una versión más reciente de ROI "
        "Explorer. No se ha modificado; actualiza ROI Explorer para usarla.",
    ),
    "store.unreadable": (
        "The scenario database at {path} cannot be opened ({detail}).",
        "No se puede abrir la base de datos de escenarios en {path} ({detail}).",
    ),
    "store.busy": (
        "The scenario database is busy; nothing was changed. Try again in a moment.",
        "La base de datos de escenarios está ocupada; no se ha cambiado nada. Inténtalo de "
        "nuevo en un momento.",
    ),
    "store.name_taken": (
        "The name “{detail}” is already used here; choose another.",
        "El nombre «{detail}» ya se usa aquí; elige otro.",
    ),
    "store.invalid_name": (
        "A name needs 1 to 120 characters.",
        "Un nombre necesita de 1 a 120 caracteres.",
    ),
    "store.not_found": (
        "That client or scenario no longer exists (deleted in another tab?).",
        "Ese cliente o escenario ya no existe (¿borrado en otra pestaña?).",
    ),
    "store.conflict": (
        "Saved elsewhere meanwhile; nothing was overwritten.",
        "Guardado en otro sitio mientras tanto; no se ha sobrescrito nada.",
    ),
    # Sharing
    "share.share": ("Share", "Compartir"),
    "share.caption": (
        "Copy this link: it opens ROI Explorer with this scenario, as an unsaved copy that "
        "changes nothing the recipient has saved.",
        "Copia este enlace: abre ROI Explorer con este escenario, como copia sin guardar que no "
        "cambia nada de lo que el destinatario tenga guardado.",
    ),
    "share.too_long_to_share": (
        "This scenario is too large for a link; download it as a file instead.",
        "Este escenario es demasiado grande para un enlace; descárgalo como archivo.",
    ),
    "share.opened": (
        "Opened the shared scenario “{name}”. It is not saved: use “Save as…” to keep it.",
        "Abierto el escenario compartido «{name}». No está guardado: usa «Guardar como…» para "
        "conservarlo.",
    ),
    "share.refused": (
        "The shared link was not opened: {reason}",
        "No se ha abierto el enlace compartido: {reason}",
    ),
    "share.problem.too_long": (
        "it is longer than any link ROI Explorer makes.",
        "es más largo que cualquier enlace que genere ROI Explorer.",
    ),
    "share.problem.malformed": (
        "it is incomplete or has been altered. Ask for the link again.",
        "está incompleto o ha sido alterado. Pide el enlace de nuevo.",
    ),
    "share.problem.version": (
        "it was made by a newer version of ROI Explorer.",
        "lo generó una versión más reciente de ROI Explorer.",
    ),
    "share.problem.invalid": (
        "the scenario in it is not valid.",
        "el escenario que contiene no es válido.",
    ),
    "session.restored": (
        "Restored your unsaved work from {when}.",
        "Recuperado tu trabajo sin guardar de {when}.",
    ),
    # The Scenarios page
    "scenarios.title": ("Saved scenarios", "Escenarios guardados"),
    "scenarios.intro": (
        "Your clients and their scenarios: open one in the cockpit, rename, duplicate, delete, "
        "import or export.",
        "Tus clientes y sus escenarios: abre uno en el panel, renómbralo, duplícalo, bórralo, "
        "impórtalo o expórtalo.",
    ),
    "scenarios.still_works": (
        "The cockpit still works, and you can download the scenario as a file from it.",
        "El panel sigue funcionando y desde él puedes descargar el escenario como archivo.",
    ),
    "scenarios.clients": ("Clients", "Clientes"),
    "scenarios.no_clients": (
        "No clients yet. Create one to save scenarios in it.",
        "Aún no hay clientes. Crea uno para guardar escenarios en él.",
    ),
    "scenarios.new_client": ("New client", "Nuevo cliente"),
    "scenarios.create": ("Create", "Crear"),
    "scenarios.rename": ("Rename", "Renombrar"),
    "scenarios.delete": ("Delete", "Borrar"),
    "scenarios.undo": ("Undo", "Deshacer"),
    "scenarios.deleted_client": (
        "Client “{name}” deleted, with its scenarios.",
        "Cliente «{name}» borrado, con sus escenarios.",
    ),
    "scenarios.deleted_scenario": ("Scenario “{name}” deleted.", "Escenario «{name}» borrado."),
    "scenarios.saved": ("Scenarios of {client}", "Escenarios de {client}"),
    "scenarios.none_saved": (
        "No scenarios saved for this client yet: save one from the cockpit (“Save as…”), or "
        "import files below.",
        "Aún no hay escenarios de este cliente: guarda uno desde el panel («Guardar como…») o "
        "importa archivos abajo.",
    ),
    "scenarios.unreadable": (
        "The saved scenario “{name}” cannot be read: {reason}",
        "No se puede leer el escenario guardado «{name}»: {reason}",
    ),
    "scenarios.pick": ("Scenario", "Escenario"),
    "scenarios.open": ("Open in the cockpit", "Abrir en el panel"),
    "scenarios.duplicate": ("Duplicate", "Duplicar"),
    "scenarios.download": ("Download (JSON)", "Descargar (JSON)"),
    "scenarios.export_all": (
        "Download all of {client} (zip)",
        "Descargar todos los de {client} (zip)",
    ),
    "scenarios.history": (
        "Versions of “{name}” ({count})",
        "Versiones de «{name}» ({count})",
    ),
    "scenarios.version_pick": ("Version", "Versión"),
    "scenarios.open_version": (
        "Open this version in the cockpit",
        "Abrir esta versión en el panel",
    ),
    "scenarios.open_version_help": (
        "It opens as unsaved changes to the scenario: Save makes it the newest version, and "
        "every version stays here.",
        "Se abre como cambios sin guardar del escenario: «Guardar» la convierte en la versión "
        "más reciente, y todas las versiones siguen aquí.",
    ),
    "scenarios.import": ("Import scenario files", "Importar archivos de escenario"),
    "scenarios.import_caption": (
        "Scenario files (JSON) or a zip of them, as exported here. They are added as new "
        "scenarios; nothing already saved is replaced.",
        "Archivos de escenario (JSON) o un zip con ellos, como los que se exportan aquí. Se "
        "añaden como escenarios nuevos; no se sustituye nada de lo guardado.",
    ),
    "scenarios.import_files": ("Files to import", "Archivos que importar"),
    "scenarios.import_button": (
        "Import {count} file(s) into {client}",
        "Importar {count} archivo(s) en {client}",
    ),
    "scenarios.imported": (
        "Imported {count} scenario(s): {names}.",
        "Importados {count} escenario(s): {names}.",
    ),
    "scenarios.refused_file": ("Not imported, {file}: {reason}", "No importado, {file}: {reason}"),
    "scenarios.nothing_imported": ("Nothing was imported.", "No se ha importado nada."),
    "col.scenario": ("Scenario", "Escenario"),
    "col.saved_at": ("Last saved", "Guardado por última vez"),
    "col.version": ("Version", "Versión"),
    # The Compare page
    "compare.title": ("Compare scenarios", "Comparar escenarios"),
    "compare.intro": (
        "Two to six scenarios side by side, each measured against the base you choose.",
        "De dos a seis escenarios lado a lado, cada uno frente a la base que elijas.",
    ),
    "compare.pick": ("Scenarios to compare", "Escenarios que comparar"),
    "compare.pick_help": (
        "The one you are editing, the presets, and every saved scenario of every client.",
        "El que estás editando, los escenarios tipo y todos los guardados de cada cliente.",
    ),
    "compare.pick_more": (
        "Pick at least two scenarios to compare.",
        "Elige al menos dos escenarios para comparar.",
    ),
    "compare.draft": ("Being edited: {name}", "En edición: {name}"),
    "compare.preset": ("Preset · {name}", "Tipo · {name}"),
    "compare.store_off": (
        "saved scenarios are unavailable.",
        "los escenarios guardados no están disponibles.",
    ),
    "compare.unreadable": (
        "“{name}” is left out: {reason}",
        "«{name}» queda fuera: {reason}",
    ),
    "compare.base": ("Base", "Base"),
    "compare.base_help": (
        "The others are compared with this one.",
        "Los demás se comparan con este.",
    ),
    "compare.side_by_side": ("Side by side", "Lado a lado"),
    "compare.mixed_currencies": (
        "These scenarios use different currencies; amounts are not converted, so money "
        "differences are not meaningful.",
        "Estos escenarios usan monedas distintas; los importes no se convierten, así que las "
        "diferencias en dinero no tienen sentido.",
    ),
    "compare.delta": ("Δ {name}", "Δ {name}"),
    "compare.points": ("{value} pp", "{value} p. p."),
    "compare.caption": (
        "★ marks the base. Δ is the difference to the base: green is better, red is worse; "
        "investment is neither.",
        "★ marca la base. Δ es la diferencia con la base: verde es mejor, rojo es peor; la "
        "inversión no es ni lo uno ni lo otro.",
    ),
    "compare.goal": ("Goal: {tier} · {metric}", "Objetivo: {tier} · {metric}"),
    "compare.metric.investment": ("Investment", "Inversión"),
    "compare.metric.ad_spend": ("· ad spend", "· gasto en anuncios"),
    "compare.metric.staff_cost": ("· staff time", "· tiempo del equipo"),
    "compare.metric.fixed_costs": ("· fixed costs", "· costes fijos"),
    "compare.metric.return_sales": ("Return: sales (margin)", "Retorno: ventas (margen)"),
    "compare.metric.return_support": ("Return: support savings", "Retorno: ahorro en atención"),
    "compare.metric.return_leads": ("Return: open leads", "Retorno: leads abiertos"),
    "compare.metric.return_engagement": ("Return: engagement", "Retorno: interacción"),
    "compare.metric.return_organic_traffic": (
        "Return: organic traffic",
        "Retorno: tráfico orgánico",
    ),
    "compare.metric.financial_return": ("Financial return", "Retorno financiero"),
    "compare.metric.full_return": ("Full-value return", "Retorno de valor total"),
    "compare.metric.financial_net": ("Net financial return", "Retorno financiero neto"),
    "compare.metric.full_net": ("Net full-value return", "Retorno de valor total neto"),
    "compare.metric.financial_roi": ("Financial ROI", "ROI financiero"),
    "compare.metric.full_roi": ("Full-value ROI", "ROI de valor total"),
    "compare.metric.roas": ("ROAS", "ROAS"),
    "compare.metric.cost_per_lead": ("Cost per lead", "Coste por lead"),
    "compare.metric.cost_per_sale": ("Cost per sale", "Coste por venta"),
    "compare.charts": ("Charts", "Gráficos"),
    "compare.chart.ratios": ("ROI and ROAS", "ROI y ROAS"),
    "compare.chart.money": ("Investment and return", "Inversión y retorno"),
    "compare.chart.lenses": ("Return by lens", "Retorno por tipo de valor"),
    "compare.chart.mix": ("Channel mix", "Reparto por canal"),
    "compare.mix.spend": ("Ad spend", "Gasto en anuncios"),
    "compare.mix.hours": ("Staff hours", "Horas del equipo"),
    "compare.share": ("Share", "Proporción"),
    "compare.what_changed": ("What changed", "Qué cambia"),
    "compare.changes_of": (
        "{name}: {count} input(s) differ from the base",
        "{name}: {count} dato(s) distintos de la base",
    ),
    "compare.no_changes": ("Same inputs as the base.", "Los mismos datos que la base."),
    "compare.base_value": ("Base", "Base"),
    "compare.this_value": ("This scenario", "Este escenario"),
    "compare.on": ("on", "sí"),
    "compare.off": ("off", "no"),
    "compare.marker.added": ("added", "añadido"),
    "compare.marker.removed": ("removed", "quitado"),
    "compare.field.currency": ("Currency", "Moneda"),
    "compare.edit": ("Edit one in the cockpit", "Editar uno en el panel"),
}
