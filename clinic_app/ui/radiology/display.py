"""What one viewport shows of one series: pixels, geometry and the text around them.

A :class:`SeriesDisplay` is an immutable snapshot. While a series loads, the viewer gets
snapshots of the volume being filled (``complete=False``), each naming in ``loaded`` the
stored slices already decoded, outward from the first image; the canvas shows only
those (and no reformat), and swaps in the complete snapshot at the same position. A slice
is final before any snapshot names it, so a half-decoded slice is never drawn.
(Thumbnails use one-slice snapshots: ``display_from_slice``.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import NamedTuple

import numpy as np
from PySide6.QtCore import QCoreApplication

from clinic_app.core.imaging.lut import VoiTable, Window
from clinic_app.core.imaging.planes import PlaneMap, acquisition_plane, plane_map
from clinic_app.core.imaging.presets import presets_for
from clinic_app.core.imaging.volume import SliceImage, Volume
from clinic_app.services.imaging_types import SeriesDetail, StackSummary, StudySummary


class StackRef(NamedTuple):
    """Which stack of which series: what a viewport shows and what the loader caches.

    A series can split into several stacks (orientation, position, acquisition); the
    imaging service numbers them largest first, and a finding names the one it is on.
    """

    series_uid: str
    stack: int = 0


@dataclass(frozen=True)
class CornerText:
    """The four corners of text around an image (PHI: shown on screen only, never logged)."""

    top_left: tuple[str, ...] = ()
    top_right: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class SeriesDisplay:
    series_uid: str
    voxels: np.ndarray  # (slices, rows, cols) float32 modality units, or (..., 3) uint8 RGB
    affine: np.ndarray  # voxel (i, j, k, 1) -> patient LPS mm
    modality: str
    #: The core's stack kind: "volume", "single", "projection" or "cine" (time axis).
    kind: str = "volume"
    #: True when the affine is a patient (LPS) frame; projection images have none.
    patient_frame: bool = True
    #: False when the header has no pixel spacing: lengths are then in pixels.
    calibrated: bool = True
    #: The header's window (or VOI LUT), or None: then a preset or the data's range.
    default_window: Window | VoiTable | None = None
    #: Named windows for this modality, in number-key order.
    presets: tuple[Window, ...] = ()
    #: MONOCHROME1 / PresentationLUTShape INVERSE: shown inverted until the user toggles.
    inverted: bool = False
    padding_value: float | None = None
    corners: CornerText = field(default_factory=CornerText)
    series_label: str = ""
    #: Slices the full volume will have; >= voxels.shape[0] while loading.
    expected_slices: int = 0
    complete: bool = True
    #: For a preview: which display-independent voxel k of the final volume slice 0 is.
    preview_k: int = 0
    #: Per slice, the row / column direction letters of projection images
    #: (PatientOrientation), or None for an image without them; empty for other kinds.
    projection_orientations: tuple[tuple[str, str] | None, ...] = ()
    warnings: tuple[str, ...] = ()
    #: Which stack of the series this is (0 = the largest; see ``series_label``).
    stack_index: int = 0
    #: While the volume loads: the stored slices ``lo..hi`` (inclusive) that are decoded;
    #: the others hold nothing yet and are never shown. None when every slice is in.
    loaded: tuple[int, int] | None = None
    #: Slices that could not be decoded (drawn black), for the viewport's corner; "" if none.
    gap_note: str = ""
    #: Modality units of the voxels ("HU", "Gy", a RescaleType), "" when unspecified.
    units: str = ""

    @property
    def ref(self) -> StackRef:
        return StackRef(self.series_uid, self.stack_index)

    @property
    def is_color(self) -> bool:
        return self.voxels.ndim == 4

    @property
    def slices(self) -> int:
        return int(self.voxels.shape[0])

    def value_range(self) -> tuple[float, float]:
        """Robust range (1st-99th percentile of a subsample of the decoded slices),
        padding excluded."""
        lo, hi = self.loaded if self.loaded is not None else (0, self.slices - 1)
        sample = self.voxels[lo:hi + 1:max(1, (hi - lo + 1) // 8), ::4, ::4]
        keep = np.isfinite(sample)
        if self.padding_value is not None:
            keep &= sample != np.float32(self.padding_value)
        finite = sample[keep]
        if finite.size == 0:
            return 0.0, 1.0
        lo, hi = np.percentile(finite, [1, 99])
        if hi <= lo:
            hi = lo + 1.0
        return float(lo), float(hi)

    def initial_window(self) -> Window | VoiTable:
        """The DICOM default window (or VOI LUT), else the modality's first preset, else
        the data's robust range, so an image never opens blank for lack of a window."""
        if self.default_window is not None:
            return self.default_window
        if self.presets:
            return self.presets[0] if self.modality.upper() != "CT" else next(
                (p for p in self.presets if p.name == "abdomen"), self.presets[0])
        lo, hi = self.value_range()
        return Window((lo + hi) / 2.0, max(hi - lo, 1.0), "LINEAR_EXACT", "auto")


# -- builders from the imaging service's results ------------------------------------------
def person_name(dicom_name: str) -> str:
    """DICOM PN ``FAMILY^GIVEN^MIDDLE`` as people read it: ``FAMILY, Given Middle``."""
    parts = [p.strip() for p in (dicom_name or "").split("=")[0].split("^")]
    family = parts[0] if parts else ""
    given = " ".join(p for p in parts[1:3] if p)
    if family and given:
        return f"{family}, {given}"
    return family or given or QCoreApplication.translate("radiology.display", "(no name)")


def study_corners(study: StudySummary, series: SeriesDetail | None) -> CornerText:
    sex = {"female": "F", "male": "M", "other": "O"}.get(study.sex, "")
    born = " ".join(v for v in (QCoreApplication.translate("radiology.display", "DOB {date}").format(
        date=study.birth_date) if study.birth_date else "", sex) if v)
    left = [person_name(study.patient_name), QCoreApplication.translate("radiology.display", "MRN {patient_id}").format(
                                                 patient_id=study.patient_id) if study.patient_id else ""]
    if born:
        left.append(born)
    date = " ".join(v for v in (study.study_date or "", (study.study_time or "")[:5]) if v)
    right = [study.description or QCoreApplication.translate("radiology.display", "(no study description)"), date]
    if study.accession:
        right.append(QCoreApplication.translate("radiology.display", "Acc {accession}").format(
                         accession=study.accession))
    if series is not None:
        number = (
            QCoreApplication.translate("radiology.display", "Se {number}: ").format(number=series.number)
            if series.number is not None
            else ""
        )
        right.append(f"{number}{series.description or series.modality}")
    return CornerText(tuple(v for v in left if v), tuple(v for v in right if v))


def display_from_volume(volume: Volume, corners: CornerText = CornerText(), *,
                        loaded: tuple[int, int] | None = None) -> SeriesDisplay:
    """The series as loaded by ``ImagingService.load_series_volume``: complete, or while
    it loads with only the stored slices ``loaded`` (lo, hi inclusive) decoded."""
    n = int(volume.voxels.shape[0])
    if loaded is not None and loaded == (0, n - 1):
        loaded = None
    return SeriesDisplay(
        series_uid=volume.series_uid, voxels=volume.voxels, affine=volume.affine,
        modality=volume.modality, kind=volume.kind,
        patient_frame=volume.kind in ("volume", "single"),
        calibrated=volume.calibrated, default_window=volume.display.default,
        presets=tuple(presets_for(volume.modality).values()), inverted=volume.display.invert,
        padding_value=volume.display.padding_value, corners=corners,
        series_label=volume.label if volume.stack_count > 1 else "",
        expected_slices=n, complete=loaded is None, warnings=volume.warnings,
        stack_index=volume.stack_index, projection_orientations=volume.patient_orientations,
        loaded=loaded, gap_note=gap_note(volume), units=volume.units)


def gap_note(volume: Volume) -> str:
    """"2 slices missing (could not be decoded): instances 3, 7" — short, for a corner."""
    gaps = volume.gaps
    if not gaps:
        return ""
    numbers = list(dict.fromkeys(str(g.instance_number) if g.instance_number is not None
                                 else QCoreApplication.translate("radiology.display", "slice {value}").format(
                                          value=g.slice_index + 1) for g in gaps))
    shown = ", ".join(numbers[:4]) + (QCoreApplication.translate("radiology.display", " and {value} more").format(
                                          value=len(numbers) - 4) if len(numbers) > 4 else "")
    return (QCoreApplication.translate("radiology.display", "{len} slice{value} missing (could not be "
                                                            "decoded): instance{value2} {shown}").format(
                len=len(gaps), value='s' if len(gaps) > 1 else '', value2='s' if len(numbers) > 1 else '',
                shown=shown))


def preview_affine(image: SliceImage, stack: StackSummary) -> np.ndarray:
    """Affine of a lone preview slice: the stack's orientation, spacing and this position."""
    affine = np.eye(4)
    row_sp, col_sp = image.spacing_rc
    if stack.orientation_cosines is not None and len(stack.orientation_cosines) == 6:
        r = np.asarray(stack.orientation_cosines[:3], dtype=float)
        c = np.asarray(stack.orientation_cosines[3:], dtype=float)
        affine[:3, 0] = r * col_sp
        affine[:3, 1] = c * row_sp
        n = np.cross(r, c)
        affine[:3, 2] = n / (np.linalg.norm(n) or 1.0) * (stack.spacing[0] or 1.0)
    else:
        affine[0, 0], affine[1, 1] = col_sp, row_sp
    if image.position is not None:
        affine[:3, 3] = image.position
    return affine


def _acquisition_map(stack: StackSummary) -> PlaneMap | None:
    """How the viewer lays out a stack's acquired plane, from the index alone (no pixels)."""
    slices = stack.dimensions[0]
    if stack.kind != "volume" or slices < 2 or stack.orientation_cosines is None:
        return None
    r = np.asarray(stack.orientation_cosines[:3], dtype=float)
    c = np.asarray(stack.orientation_cosines[3:], dtype=float)
    n = np.cross(r, c)
    affine = np.eye(4)
    affine[:3, 0], affine[:3, 1], affine[:3, 2] = r, c, n  # stacks run along +normal
    shape = SimpleNamespace(voxels=np.empty((slices, 1, 1), dtype=np.uint8), affine=affine, kind="volume")
    return plane_map(shape, acquisition_plane(shape))


def first_display_index(stack: StackSummary) -> int:
    """Which stored slice the viewer shows first (display slice 0 of the acquisition plane),
    so the preview decoded before the volume is the image the full view opens on."""
    pm = _acquisition_map(stack)
    return 0 if pm is None else round(float(pm.voxel_of(0.5, 0.5, 0)[2]))


def image_number(stack: StackSummary, k: int) -> int:
    """The "Im" number (1-based, as the viewer's corner text shows it) of stored slice k.

    Findings are stored against the stack's slice index k; the viewer counts images in
    display order (head first for an axial CT). Every place that names a slice to the
    reader uses this number, so the list and the image never disagree.
    """
    pm = _acquisition_map(stack)
    if pm is None:
        return k + 1
    return round(pm.display_of(np.array([0.0, 0.0, float(k)]))[2]) + 1


def display_from_slice(image: SliceImage, stack: StackSummary, series_uid: str,
                       corners: CornerText = CornerText()) -> SeriesDisplay:
    """A one-slice preview shown while the rest of the series loads."""
    pixels = image.pixels[None]
    return SeriesDisplay(
        series_uid=series_uid, voxels=pixels, affine=preview_affine(image, stack),
        modality=image.modality, kind=stack.kind,
        patient_frame=stack.kind in ("volume", "single") and image.position is not None,
        calibrated=stack.calibrated, default_window=image.display.default,
        presets=tuple(presets_for(image.modality).values()), inverted=image.display.invert,
        padding_value=image.display.padding_value, corners=corners,
        series_label=stack.label if stack.label not in ("stack", "projection", "frames") else "",
        expected_slices=image.count, complete=image.count <= 1, preview_k=image.index,
        warnings=stack.warnings, stack_index=stack.index,
        projection_orientations=(image.patient_orientation,) if stack.kind == "projection" else ())
