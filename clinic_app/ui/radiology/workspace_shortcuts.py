"""The radiology workspace's own keys, listed in Help (the viewer's keys come from its key map).

Kept apart from the workspace so the table is read (and translated) in one place. The text
stays English here; the shell translates it when Help lists it, in the signed-in account's
language.
"""

from __future__ import annotations

from clinic_app.i18n import QT_TRANSLATE_NOOP

WORKSPACE_SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Ctrl+I", QT_TRANSLATE_NOOP("radiology.workspace", "Import DICOM (folder, DICOMDIR or zip)")),
    ("F5", QT_TRANSLATE_NOOP("radiology.workspace", "Refresh the worklist")),
    ("Ctrl+F", QT_TRANSLATE_NOOP("radiology.workspace", "Search the worklist")),
    (
        QT_TRANSLATE_NOOP("radiology.workspace", "Enter / double-click"),
        QT_TRANSLATE_NOOP("radiology.workspace", "Open the selected study"),
    ),
    ("Ctrl+W", QT_TRANSLATE_NOOP("radiology.workspace", "Back to the worklist")),
)
