"""The radiology workspace's own keys, listed in Help (the viewer's keys come from its key map).

Kept apart from the workspace so the table is read (and translated) in one place.
"""

from __future__ import annotations

from clinic_app.i18n import translate

WORKSPACE_SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Ctrl+I", translate("radiology.workspace", "Import DICOM (folder, DICOMDIR or zip)")),
    ("F5", translate("radiology.workspace", "Refresh the worklist")),
    ("Ctrl+F", translate("radiology.workspace", "Search the worklist")),
    (
        translate("radiology.workspace", "Enter / double-click"),
        translate("radiology.workspace", "Open the selected study"),
    ),
    ("Ctrl+W", translate("radiology.workspace", "Back to the worklist")),
)
