"""App state: the session's state, its start, the shared store, notices and the cached model
calls that several views share. Imports fmt and i18n only, never widgets, charts or views."""
