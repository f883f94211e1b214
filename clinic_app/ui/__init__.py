"""The desktop GUI (PySide6). Calls ``clinic_app.services`` only; never the store.

See docs/ui.md for the shell, the workspace registry and the worker pattern.
"""

from clinic_app.ui.qt_compat import protect_singletons

# Before any widget exists: PySide6 6.12.0 leaks references to None/True (see qt_compat).
SINGLETONS_PROTECTED = protect_singletons()
