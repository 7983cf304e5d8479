"""Texts of the histories kept per client (the What happened page): key -> (English, Spanish).

Merged into :data:`pages._ui.i18n.CATALOG`; kept apart only to keep each file readable.
"""

from __future__ import annotations

KEPT_TEXTS: dict[str, tuple[str, str]] = {
    "kept.client": ("Client", "Cliente"),
    "kept.client_name": ("Client's name", "Nombre del cliente"),
    "kept.client_help": (
        "Histories are kept per client: an export you upload is kept in the client chosen here, "
        "with your corrections, and is here next time.",
        "Los historiales se guardan por cliente: la exportación que subas se guarda en el "
        "cliente elegido aquí, con tus correcciones, y estará aquí la próxima vez.",
    ),
    "kept.no_client": (
        "To keep the exports you upload for next time, create a client (it is also where "
        "scenarios are saved).",
        "Para guardar las exportaciones que subas para la próxima vez, crea un cliente (es "
        "también donde se guardan los escenarios).",
    ),
    "kept.title": (
        "Histories kept for {client} ({count})",
        "Historiales guardados de {client} ({count})",
    ),
    "kept.none": (
        "Nothing kept for {client} yet: upload an export and it will be kept here.",
        "Aún no hay nada guardado de {client}: sube una exportación y se guardará aquí.",
    ),
    "kept.described": (
        "{rows} rows · {dates} · {size} MB · kept {when}",
        "{rows} filas · {dates} · {size} MB · guardado el {when}",
    ),
    "kept.open": ("Open", "Abrir"),
    "kept.open_now": ("on the page now", "en la página ahora"),
    "kept.deleted": (
        "The history “{name}” was deleted.",
        "Se ha eliminado el historial «{name}».",
    ),
    "kept.kept_in": (
        "Kept as “{name}” ({when}), with your corrections: it will be here next time.",
        "Guardado como «{name}» ({when}), con tus correcciones: estará aquí la próxima vez.",
    ),
    "kept.not_kept": (
        "Not kept: create or pick a client above to keep it for next time.",
        "No se ha guardado: crea o elige un cliente arriba para guardarlo para la próxima vez.",
    ),
    "kept.unavailable": (
        "Files are still read, but none can be kept for next time.",
        "Los archivos se leen igual, pero ninguno se puede guardar para la próxima vez.",
    ),
    "kept.sample_not_kept": (
        "The sample history is not kept; the exports you upload are.",
        "El historial de ejemplo no se guarda; las exportaciones que subas, sí.",
    ),
}
