"""Ground truth from DICOM SEG objects, for ``clinic-app models evaluate``.

Readers annotate lesions as DICOM Segmentations far more often than they write our JSON
truth file, so a folder of series plus SEG objects is read as it is:

* every SEG (Segmentation Storage) in the folder is truth for the image series it
  references (ReferencedSeriesSequence, else the series of its source images);
* each 3D connected region of a segment (voxels at 0.5 or more, fractional SEGs rescaled
  to 0–1) is one lesion, so a segment may hold one lesion or several;
* every image series in the folder is a scan: one that no SEG references has no lesions
  (the usual way a reader-annotated set marks its negative scans). A SEG that references
  a series not in the folder is refused, naming the file.

Lesion geometry is computed in the frame findings use (eval_data's module docstring):
CT centre in patient LPS mm (the volume's affine at the region's centroid), volume from
the voxel count times the voxel size, diameter of the sphere of that volume; radiographs
centre in image-plane mm from the first pixel's centre, diameter of the circle of the
region's area, no volume. An image without pixel spacing cannot give sizes in mm and is
refused. SEG parsing runs behind the results reader's boundary (``dicom_out.foreign``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydicom import dcmread

from clinic_app.core.dicom_out.foreign import seg_stack
from clinic_app.core.imaging.header_types import InstanceHeader
from clinic_app.core.imaging.stack_kind import StackKind
from clinic_app.core.imaging.volume import Volume
from clinic_app.core.inference.components import Component, components
from clinic_app.core.inference.evaluation import Lesion
from clinic_app.errors import InvalidInput, ResultUnreadable

SEGMENTATION_STORAGE = "1.2.840.10008.5.1.4.1.1.66.4"
#: Voxels at or above this (fractional SEGs rescaled to 0–1) belong to the lesion.
MASK_LEVEL = 0.5

Members = list[tuple[Path, InstanceHeader]]


@dataclass(frozen=True)
class SegTruth:
    """Image series → the SEG files that annotate it (empty: a scan with no lesions)."""

    description: str
    scans: dict[str, tuple[Path, ...]]


def is_seg(members: Members) -> bool:
    return bool(members) and all(h.sop_class_uid == SEGMENTATION_STORAGE for _, h in members)


def seg_truth(series: dict[str, Members]) -> SegTruth | None:
    """The truth the folder's SEG objects give, or None when it holds no SEG."""
    segs = [path for members in series.values() if is_seg(members) for path, _ in members]
    if not segs:
        return None
    images = {uid: members for uid, members in series.items() if not is_seg(members)}
    owner = {h.sop_instance_uid: uid for uid, members in images.items() for _, h in members}
    scans: dict[str, list[Path]] = {uid: [] for uid in images}
    for path in segs:
        target = _referenced_series(path, owner)
        if target not in scans:
            raise InvalidInput(f"The segmentation {path.name} annotates a series that is not in "
                               "the folder; add the series or remove the segmentation.")
        scans[target].append(path)
    return SegTruth(f"DICOM SEG ground truth: {len(segs)} segmentation(s) on "
                    f"{sum(1 for s in scans.values() if s)} of {len(scans)} series",
                    {uid: tuple(paths) for uid, paths in scans.items()})


def _referenced_series(path: Path, owner: dict[str, str]) -> str:
    try:
        ds = dcmread(path, stop_before_pixels=True)
        ref = ds.get("ReferencedSeriesSequence")
        if ref:
            return str(ref[0].SeriesInstanceUID)
        for frame in ds.get("PerFrameFunctionalGroupsSequence", []):
            for derivation in frame.get("DerivationImageSequence", []):
                for source in derivation.get("SourceImageSequence", []):
                    uid = str(source.ReferencedSOPInstanceUID)
                    if uid in owner:
                        return owner[uid]
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:
        raise InvalidInput(f"The segmentation {path.name} cannot be read (its references to "
                           "the annotated images are damaged).") from None
    raise InvalidInput(f"The segmentation {path.name} names no annotated series.")


def seg_lesions(volume: Volume, seg_files: tuple[Path, ...]) -> tuple[Lesion, ...]:
    """The lesions the SEG files mark on ``volume`` (one per 3D region of each segment)."""
    if not seg_files:
        return ()
    if not volume.calibrated:
        raise InvalidInput("A series annotated by a segmentation has no pixel spacing, so its "
                           "lesions have no size in mm; it cannot be used for evaluation.")
    sources = [sop for sop, _frame in volume.slice_refs]
    if len(set(sources)) != len(sources):
        raise InvalidInput("Segmentations on multi-frame images are not read for evaluation "
                           "yet; convert the truth to the JSON file (docs/imaging-ai.md).")
    lesions: list[Lesion] = []
    for path in seg_files:
        try:
            masks = seg_stack(dcmread(path), sources)
        except ResultUnreadable as exc:
            raise InvalidInput(f"{path.name}: {exc}") from None
        for number, mask in sorted(masks.items()):
            if mask.shape != volume.voxels.shape[:3]:
                raise InvalidInput(f"{path.name}: segment {number} does not match the size of "
                                   "the images it annotates.")
            regions, _labels = components((mask >= MASK_LEVEL).astype(np.uint8), 1)
            for m, region in enumerate(regions, 1):
                lesions.append(_lesion(volume, region, f"{path.stem}-S{number}-L{m}"))
    return tuple(lesions)


def _lesion(volume: Volume, region: Component, lesion_id: str) -> Lesion:
    areas, sums = region.areas, region.sums
    voxels = float(sum(areas.values()))
    col = float(sum(s[0] for s in sums.values())) / voxels
    row = float(sum(s[1] for s in sums.values())) / voxels
    k = float(sum(kk * a for kk, a in areas.items())) / voxels
    d_slice, d_row, d_col = (float(v) for v in volume.spacing)
    if volume.kind == StackKind.VOLUME and volume.voxels.shape[0] > 1:
        centre = tuple(float(v) for v in (np.asarray(volume.affine) @ np.array([col, row, k, 1.0]))[:3])
        volume_mm3 = voxels * d_slice * d_row * d_col
        return Lesion(lesion_id, centre, (6.0 * volume_mm3 / math.pi) ** (1.0 / 3.0),
                      volume_mm3 / 1000.0)
    area = voxels * d_row * d_col
    return Lesion(lesion_id, (col * d_col, row * d_row), 2.0 * math.sqrt(area / math.pi))
