"""The desktop GUI (PySide6). Calls ``clinic_app.services`` only; never the store.

See docs/ui.md for the shell, the workspace registry and the worker pattern.
"""
