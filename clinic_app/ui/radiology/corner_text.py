"""The texts a viewport writes on the image: its four corners and the orientation markers.

Computed apart from the painting so that tests and screenshots read exactly what is
drawn, and so the painters in :mod:`clinic_app.ui.radiology.overlays` stay geometry only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from clinic_app.core.imaging.planes import Plane
from clinic_app.core.imaging.viewport import Magnification

if TYPE_CHECKING:
    from clinic_app.ui.radiology.canvas import SliceCanvas


def corner_lines(canvas: SliceCanvas) -> dict[str, list[str]]:
    """The text in each corner, as drawn."""
    d, pm = canvas.display, canvas.plane_map
    if d is None or pm is None:
        return {}
    tl = list(d.corners.top_left)
    tr = list(d.corners.top_right)
    if d.series_label:
        tr.append(d.series_label)
    plane_name = "" if pm.plane is Plane.NATIVE else QCoreApplication.translate(
        "radiology.planes", pm.plane.value).capitalize()
    bl = []
    total = pm.depth
    here = canvas.slice_index
    if d.loaded is not None:
        lo, hi = canvas.slice_limits()
        bl.append(QCoreApplication.translate("radiology.corner_text", "Im {value}/{total}  (loading: Im "
                                                                      "{value2}–{value3} ready)").format(
                      value=here + 1, total=total, value2=lo + 1, value3=hi + 1))
    elif not d.complete:
        bl.append(QCoreApplication.translate("radiology.corner_text", "Im {value}/{total}  (loading "
                                                                      "{slices}/{expected_slices})").format(
                      value=here + 1, total=total, slices=d.slices, expected_slices=d.expected_slices))
    else:
        bl.append(QCoreApplication.translate("radiology.corner_text", "Im {value}/{total}").format(
                      value=here + 1, total=total) + (f"  {plane_name}" if plane_name else ""))
    if d.patient_frame and pm.depth > 1:
        bl.append(QCoreApplication.translate("radiology.corner_text", "Loc {slice_location:.1f} mm  Thk "
                                                                      "{slice_spacing:.2f} mm").format(
                      slice_location=pm.slice_location(here), slice_spacing=pm.slice_spacing))
    pixels = "  pixels" if canvas.magnification is Magnification.NEAREST else ""
    bl.append(QCoreApplication.translate("radiology.corner_text", "Zoom {value:.2f}×{pixels}").format(
                  value=canvas.base_scale() * canvas.zoom * min(pm.spacing), pixels=pixels))
    c, w = canvas.linear_window()
    name = getattr(canvas.voi_window, "name", "")
    name = "" if name in ("", "custom") else f" ({name})"
    br = [f"W {w:.0f}  L {c:.0f}{name}" + ("  inverted" if canvas.inverted else "")]
    if canvas.status_text:
        br.insert(0, canvas.status_text)
    return {"top_left": tl, "top_right": tr, "bottom_left": bl, "bottom_right": br}


def projection_codes(canvas: SliceCanvas) -> tuple[str, str] | None:
    """PatientOrientation of the projection image on screen (each image of a projection
    series has its own: a PA and a lateral may share one series)."""
    d, pm = canvas.display, canvas.plane_map
    if d is None or pm is None or not d.projection_orientations:
        return None
    k = round(float(pm.voxel_of(0.5, 0.5, canvas.slice_index)[2]))
    return d.projection_orientations[k] if 0 <= k < len(d.projection_orientations) else None


def marker_texts(canvas: SliceCanvas) -> dict[str, str]:
    """The orientation letter at each edge; none where the image has no patient frame."""
    d, pm = canvas.display, canvas.plane_map
    if d is None or pm is None:
        return {}
    if d.patient_frame:
        return pm.markers()
    codes = projection_codes(canvas)
    if codes is not None:
        row, col = codes
        opposite = str.maketrans("LRAPHF", "RLPAFH")
        return {"right": row, "left": row.translate(opposite),
                "bottom": col, "top": col.translate(opposite)}
    return {}
