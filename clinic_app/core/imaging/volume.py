"""Volumes: decoded stacks in modality units with their patient geometry.

:class:`Volume` is the contract the viewer and the imaging-AI pipelines build on:

* ``voxels`` — grey: ``(slices, rows, cols)`` float32 in modality units (CT: Hounsfield
  units, after RescaleSlope/Intercept or the Modality LUT); colour: ``(frames, rows,
  cols, 3)`` uint8 RGB (YBR converted, palette applied). Read-only: copy before editing.
* ``affine`` — 4×4 float64 mapping ``(i = column, j = row, k = slice, 1)`` to patient
  LPS millimetres (see :mod:`geometry`); ``spacing`` is ``(slice, row, col)`` mm.
* ``positions`` — each slice's ImagePositionPatient in stack order (exact even when the
  spacing is irregular and the affine is only the mean step); None without geometry.
* ``kind`` — "volume", "single", "projection" (CR/DX/MG: no patient position, the
  affine gives pixel size only) or "cine" (the third axis is time).
* ``display`` — how to show it: header windows, VOI tables, MONOCHROME1 inversion,
  the padding value. :func:`render.render` takes these.
* ``warnings`` — everything a reader must know first (missing slices, tilt, mixed
  stacks, no spacing). ``regular``/``tilt_deg``/``calibrated`` say the same for code.
* ``slice_refs`` — (SOPInstanceUID, frame number from 1) of every slice, so a finding
  on slice k can reference its source image.
* ``patient_orientations`` — for projection images (CR/DX/MG…), each image's
  PatientOrientation (row, column direction codes) or None; empty for other kinds, whose
  orientation comes from the affine.
* ``gaps`` — slices that could not be decoded (:class:`Gap`: slice index, instance,
  frame, reason). One damaged slice never hides a series: its voxels hold NaN (grey; black
  for colour) and it is listed here. ``missing_instances`` names them for people.

The builder writes each decoded slice straight into one preallocated array, so peak
memory is the volume plus a few slices, never a list of slices plus their stack.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from typing import BinaryIO

import numpy as np

from clinic_app.core.imaging import ultrasound
from clinic_app.core.imaging.boundary import decoder_wall
from clinic_app.core.imaging.decode import decode_frame, header_dataset, instance_ref
from clinic_app.core.imaging.decode_order import decode_order
from clinic_app.core.imaging.geometry import FrameRef, StackPlan
from clinic_app.core.imaging.index import StoredInstance
from clinic_app.core.imaging.lut import (
    VoiTable,
    Window,
    modality_table,
    voi_tables_from_dataset,
)
from clinic_app.core.imaging.palette import palette_rgb
from clinic_app.core.imaging.stack_kind import StackKind
from clinic_app.core.imaging.ultrasound import UltrasoundRegion
from clinic_app.core.tasks import NEVER_CANCELLED, CancelToken, Progress, no_progress
from clinic_app.errors import DecodeError, InvalidInput

log = logging.getLogger("clinic_app.imaging.volume")

#: Opens a stored instance's blob as a seekable file (``BlobStore.open``): frames are read
#: from it a part at a time, so a large instance is never held whole while it decodes.
ReadBlob = Callable[[str], BinaryIO]


@dataclass(frozen=True)
class Display:
    """Presentation state from the header: what the modality and the sender intended."""

    windows: tuple[Window, ...]
    voi_tables: tuple[VoiTable, ...]
    invert: bool  # MONOCHROME1, or PresentationLUTShape INVERSE
    padding_value: float | None  # voxels equal to this are padding: rendered black
    photometric: str

    @property
    def default(self) -> Window | VoiTable | None:
        if self.windows:
            return self.windows[0]
        return self.voi_tables[0] if self.voi_tables else None


@dataclass(frozen=True)
class Gap:
    """A slice of a stack that could not be decoded: shown as missing, never guessed."""

    slice_index: int  # in stack order, from 0
    sop_instance_uid: str
    frame: int  # from 1
    instance_number: int | None
    reason: str  # the DecodeError's one-line message (names the instance and frame)


@dataclass(frozen=True, eq=False)
class Volume:
    voxels: np.ndarray
    affine: np.ndarray
    spacing: tuple[float, float, float]
    series_uid: str
    modality: str
    warnings: tuple[str, ...]
    positions: np.ndarray | None
    orientation: tuple[float, ...] | None
    kind: StackKind
    units: str  # "HU" for CT, RescaleType when given, else "" (unspecified)
    display: Display
    slice_refs: tuple[tuple[str, int], ...]
    regular: bool
    tilt_deg: float
    calibrated: bool
    stack_index: int
    stack_count: int
    label: str
    patient_orientations: tuple[tuple[str, str] | None, ...] = ()
    #: Filled by the builder while it loads (a list so the same frozen Volume can be
    #: handed out during loading); read it through :attr:`gaps`.
    _gaps: list[Gap] = field(default_factory=list, repr=False)
    #: Ultrasound: every region with its own bounds and scale; () for other modalities.
    us_regions: tuple[UltrasoundRegion, ...] = ()

    def measure_mm(self, p0: tuple[float, float], p1: tuple[float, float]) -> float:
        """Distance in mm between two (col, row) points of one slice.

        Ultrasound: only inside one calibrated region (else InvalidInput saying why);
        other images: by the pixel spacing, refused when the image is not calibrated.
        """
        if self.us_regions:
            return ultrasound.measure_mm(self.us_regions, p0, p1)
        if not self.calibrated:
            raise InvalidInput("This image has no pixel spacing; distances are in pixels only.")
        return float(np.hypot((p1[0] - p0[0]) * self.spacing[2], (p1[1] - p0[1]) * self.spacing[1]))

    @property
    def gaps(self) -> tuple[Gap, ...]:
        """Slices that could not be decoded, in stack order (empty when all decoded)."""
        return tuple(sorted(self._gaps, key=lambda g: g.slice_index))

    def is_gap(self, k: int) -> bool:
        return any(g.slice_index == k for g in self._gaps)

    @property
    def missing_instances(self) -> tuple[str, ...]:
        """SOP Instance UIDs with at least one undecodable frame (stack order, once each)."""
        return tuple(dict.fromkeys(g.sop_instance_uid for g in self.gaps))

    def gap_summary(self) -> str:
        """One line for people: how many slices are missing and which instances, or ""."""
        gaps = self.gaps
        if not gaps:
            return ""
        named = ", ".join(
            (f"instance {g.instance_number}" if g.instance_number is not None else "instance")
            + f" ({g.sop_instance_uid}, frame {g.frame})" for g in gaps[:5])
        more = f" and {len(gaps) - 5} more" if len(gaps) > 5 else ""
        return (f"{len(gaps)} of {len(self.slice_refs)} slices could not be decoded and are "
                f"shown as missing: {named}{more}")

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.voxels.shape)

    @property
    def is_color(self) -> bool:
        return self.voxels.ndim == 4

    def padding_mask(self, k: int) -> np.ndarray | None:
        """Boolean mask of padding voxels in slice k (outside the scanned field)."""
        if self.display.padding_value is None or self.is_color:
            return None
        return self.voxels[k] == np.float32(self.display.padding_value)


@dataclass(frozen=True, eq=False)
class SliceImage:
    """One decoded slice, for time-to-first-image before the whole volume is loaded."""

    pixels: np.ndarray  # (rows, cols) float32 modality units, or (rows, cols, 3) uint8 RGB
    index: int
    count: int
    position: tuple[float, float, float] | None
    sop_instance_uid: str
    frame: int  # from 1
    display: Display
    modality: str
    spacing_rc: tuple[float, float]
    patient_orientation: tuple[str, str] | None = None  # projection images only


def units_for(modality: str, instance: StoredInstance) -> str:
    if instance.rescale_type:
        return instance.rescale_type
    return "HU" if modality == "CT" else ""


class _Converter:
    """Stored values → modality values (or RGB) for the frames of one stack."""

    def __init__(self, plan: StackPlan, read_blob: ReadBlob) -> None:
        first = plan.frames[0].instance
        px = first.pixels
        assert px is not None
        self.read_blob = read_blob
        self.color = px.samples == 3 or px.photometric == "PALETTE COLOR"
        self.padding_raw = first.padding_value
        self.padding_limit = first.padding_limit
        self._cache_id: int | None = None
        self._cache: BinaryIO | None = None
        self._ds_cache: dict[int, object] = {}
        self._mlut_cache: dict[int, tuple[int, np.ndarray] | None] = {}
        slope, intercept = plan.frames[0].rescale
        self.padding_value = (None if self.padding_raw is None or self.color else
                              float(np.float32(self.padding_raw * slope + intercept)))

    def blob(self, inst: StoredInstance) -> BinaryIO:
        """The open blob of ``inst`` (one open at a time; the previous one is closed)."""
        if self._cache is None or self._cache_id != inst.id:
            self.close()
            self._cache = self.read_blob(inst.blob_id)
            self._cache_id = inst.id
        return self._cache

    def close(self) -> None:
        if self._cache is not None:
            self._cache.close()
            self._cache, self._cache_id = None, None

    def header(self, inst: StoredInstance) -> object:
        if inst.id not in self._ds_cache:
            self._ds_cache[inst.id] = header_dataset(self.blob(inst), instance_ref(inst))
        return self._ds_cache[inst.id]

    def modality_lut(self, inst: StoredInstance) -> tuple[int, np.ndarray] | None:
        if inst.id not in self._mlut_cache:
            with decoder_wall(instance_ref(inst), None, "Modality LUT"):
                self._mlut_cache[inst.id] = modality_table(self.header(inst))
        return self._mlut_cache[inst.id]

    def frame_into(self, fr: FrameRef, out: np.ndarray) -> None:
        """Decode one frame and write its modality values (or RGB) into ``out``."""
        raw = decode_frame(self.blob(fr.instance), fr.instance, fr.frame)
        if self.color:
            out[...] = self._to_rgb(raw, fr.instance)
            return
        table = self.modality_lut(fr.instance) if fr.instance.has_modality_lut else None
        if table is not None:
            first, values = table
            idx = np.clip(raw.astype(np.int64) - first, 0, len(values) - 1)
            out[...] = values[idx]
        else:
            slope, intercept = fr.rescale
            if slope == 1.0:
                np.add(raw, np.float32(intercept), out=out, casting="unsafe")
            else:
                np.multiply(raw, np.float32(slope), out=out, casting="unsafe")
                if intercept:
                    out += np.float32(intercept)
        if self.padding_raw is not None and self.padding_value is not None:
            lo = hi = self.padding_raw
            if self.padding_limit is not None:
                lo, hi = min(lo, self.padding_limit), max(hi, self.padding_limit)
            mask = (raw >= lo) & (raw <= hi)
            out[mask] = np.float32(self.padding_value)

    def _to_rgb(self, raw: np.ndarray, inst: StoredInstance) -> np.ndarray:
        px = inst.pixels
        assert px is not None
        if px.photometric == "PALETTE COLOR":
            ds = self.header(inst)
            with decoder_wall(instance_ref(inst), None, "palette colour table", "is unusable"):
                return palette_rgb(raw, ds)
        else:
            rgb, bits = raw, px.bits_stored
        if rgb.dtype == np.uint8:
            return rgb
        shift = max(bits - 8, 0)
        return (rgb.astype(np.uint32) >> shift).clip(0, 255).astype(np.uint8)


def display_for(plan: StackPlan, conv: _Converter, warnings: list[str] | None = None) -> Display:
    """How to show the stack; an unusable VOI LUT is a warning appended to ``warnings``."""
    warnings = warnings if warnings is not None else []
    inst = plan.frames[0].instance
    px = inst.pixels
    assert px is not None
    windows: list[Window] = []
    fn = inst.voi_function if inst.voi_function in ("LINEAR", "LINEAR_EXACT", "SIGMOID") else "LINEAR"
    pairs = list(zip(inst.window_centers, inst.window_widths, strict=False))
    if not pairs and plan.frames[0].window is not None:
        pairs = [plan.frames[0].window]
    for n, (c, w) in enumerate(pairs):
        name = inst.window_names[n] if n < len(inst.window_names) else f"header {n + 1}"
        try:
            windows.append(Window(float(c), float(w), fn, name))
        except ValueError:
            continue  # an impossible width is not a window; the image range is used instead
    tables: tuple[VoiTable, ...] = ()
    if inst.has_voi_lut:
        try:
            with decoder_wall(instance_ref(inst), None, "VOI LUT Sequence"):
                tables = voi_tables_from_dataset(conv.header(inst))
        except DecodeError as exc:  # display only: the header windows or full range serve
            log.warning("VOI LUT unusable; header windows or the image range are used")
            warnings.append(f"{exc} The VOI LUT is not used.")
    invert = px.photometric == "MONOCHROME1" or inst.presentation_lut_shape == "INVERSE"
    return Display(tuple(windows), tables, invert and not conv.color, conv.padding_value,
                   px.photometric)


#: Told while a volume loads: ``(volume, lo, hi)`` — slices ``lo..hi`` (stack order,
#: inclusive) are decoded and final; the others are not decoded yet and must not be read.
SlicesReady = Callable[["Volume", int, int], None]


def build_volume(plan: StackPlan, read_blob: ReadBlob, *, series_uid: str, modality: str,
                 stack_index: int = 0, stack_count: int = 1, progress: Progress = no_progress,
                 cancel: CancelToken = NEVER_CANCELLED, first: int = 0,
                 on_slices: SlicesReady | None = None) -> Volume:
    """Decode every frame of ``plan`` into one preallocated array (see module docstring).

    Slices are decoded outward from ``first`` (:func:`decode_order`). With ``on_slices``,
    the volume is handed out while it loads, after every slice, with the contiguous range
    of slices around ``first`` that are final: a viewer can scroll there at once. The
    returned volume is that same object, complete.
    """
    with closing(_Converter(plan, read_blob)) as conv:
        n = len(plan.frames)
        shape: tuple[int, ...] = (n, plan.rows, plan.cols, 3) if conv.color else (n, plan.rows, plan.cols)
        voxels = np.empty(shape, dtype=np.uint8 if conv.color else np.float32)
        readonly = voxels.view()
        readonly.flags.writeable = False
        head = plan.frames[0].instance
        notes: list[str] = []
        display = display_for(plan, conv, notes)
        volume = Volume(
            voxels=readonly, affine=plan.affine.copy(), spacing=plan.spacing, series_uid=series_uid,
            modality=modality, warnings=plan.warnings + tuple(notes), positions=plan.positions,
            orientation=plan.orientation, kind=plan.kind, units=units_for(modality, head),
            display=display,
            slice_refs=tuple((fr.instance.sop_instance_uid, fr.frame + 1) for fr in plan.frames),
            regular=plan.regular, tilt_deg=plan.tilt_deg, calibrated=plan.calibrated,
            stack_index=stack_index, stack_count=stack_count, label=plan.label,
            patient_orientations=tuple(fr.instance.patient_orientation for fr in plan.frames)
            if plan.kind == StackKind.PROJECTION else (),
            us_regions=head.us_regions)
        order = decode_order(plan, first)
        decoded = np.zeros(n, dtype=bool)
        lo = hi = order[0]
        first_error: DecodeError | None = None
        for done, k in enumerate(order):
            cancel.raise_if_cancelled()
            fr = plan.frames[k]
            try:
                conv.frame_into(fr, voxels[k])
            except DecodeError as exc:  # one bad slice is a gap, never the whole series
                first_error = first_error or exc
                voxels[k] = 0 if conv.color else np.nan
                volume._gaps.append(Gap(k, fr.instance.sop_instance_uid, fr.frame + 1,
                                        fr.instance.instance_number, str(exc)))
            decoded[k] = True
            if on_slices is not None and decoded[lo]:
                while lo > 0 and decoded[lo - 1]:
                    lo -= 1
                while hi < n - 1 and decoded[hi + 1]:
                    hi += 1
                on_slices(volume, lo, hi)
            progress(done + 1, n, "Loading images")
        voxels.flags.writeable = False
        if first_error is not None and len(volume._gaps) == n:
            raise DecodeError(f"No slice of this stack could be decoded; the first: {first_error}",
                              sop_instance_uid=first_error.sop_instance_uid, frame=first_error.frame)
        return volume


def build_slice(plan: StackPlan, k: int, read_blob: ReadBlob, *, modality: str) -> SliceImage:
    """Decode slice ``k`` of ``plan`` alone (time to first image)."""
    if not 0 <= k < len(plan.frames):
        raise IndexError(f"slice {k} out of range 0..{len(plan.frames) - 1}")
    with closing(_Converter(plan, read_blob)) as conv:
        fr = plan.frames[k]
        shape: tuple[int, ...] = (plan.rows, plan.cols, 3) if conv.color else (plan.rows, plan.cols)
        pixels = np.empty(shape, dtype=np.uint8 if conv.color else np.float32)
        conv.frame_into(fr, pixels)
        pos = tuple(float(v) for v in plan.positions[k]) if plan.positions is not None else None
        return SliceImage(
            pixels=pixels, index=k, count=len(plan.frames), position=pos,  # type: ignore[arg-type]
            sop_instance_uid=fr.instance.sop_instance_uid, frame=fr.frame + 1,
            display=display_for(plan, conv), modality=modality,
            spacing_rc=(plan.spacing[1], plan.spacing[2]),
            patient_orientation=fr.instance.patient_orientation if plan.kind == StackKind.PROJECTION else None)
