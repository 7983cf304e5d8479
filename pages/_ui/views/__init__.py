"""One module per page's content. A view imports widgets, charts, app, fmt, i18n and the
model, never another view: what two views share moves down a layer."""
