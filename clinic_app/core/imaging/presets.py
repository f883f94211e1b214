"""Window presets per modality, in modality units (CT: Hounsfield units).

Values are the common teaching values (centre / width), e.g. as tabulated by Radiopaedia
("Windowing (CT)"); a site may prefer others, so the viewer should let users add theirs.
Projection and MR images have no universal units, so their default is the window stored
in the header, then the image's own range (see :func:`default_window`).
"""

from __future__ import annotations

import numpy as np

from clinic_app.core.imaging.lut import Window, full_range_window

CT_PRESETS: dict[str, Window] = {
    "brain": Window(40, 80, name="brain"),
    "subdural": Window(75, 215, name="subdural"),
    "stroke": Window(40, 40, name="stroke"),
    "lung": Window(-600, 1500, name="lung"),
    "mediastinum": Window(50, 350, name="mediastinum"),
    "abdomen": Window(50, 400, name="abdomen"),
    "liver": Window(30, 150, name="liver"),
    "bone": Window(400, 1800, name="bone"),
}

PRESETS: dict[str, dict[str, Window]] = {"CT": CT_PRESETS}


def presets_for(modality: str) -> dict[str, Window]:
    """Named presets for a modality (empty when the modality has no standard units)."""
    return dict(PRESETS.get(modality.upper(), {}))


def preset(modality: str, name: str) -> Window:
    """A named preset; the error lists the names that exist for this modality."""
    table = presets_for(modality)
    try:
        return table[name.lower()]
    except KeyError:
        names = ", ".join(table) or "none"
        raise KeyError(f"no window preset {name!r} for {modality}; choose one of: {names}") from None


def default_window(header_windows: tuple[Window, ...], pixels: np.ndarray, modality: str,
                   padding_value: float | None = None) -> Window:
    """The window to open with: the header's first, else a CT soft-tissue preset, else the
    slice's full range (so an image is never shown blank for lack of a window)."""
    if header_windows:
        return header_windows[0]
    if modality.upper() == "CT":
        return CT_PRESETS["abdomen"]
    return full_range_window(pixels, padding_value)
