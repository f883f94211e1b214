"""DICOM SEG of a run's segmentation findings: one fractional (probability) segment each.

The model's output is a probability map, so the SEG is FRACTIONAL / PROBABILITY with
255 steps, which is exactly the 8-bit quantisation the store already keeps (no second
rounding). Only the source images a finding covers are referenced and encoded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import highdicom as hd
import numpy as np
from pydicom.dataset import Dataset
from pydicom.uid import ExplicitVRLittleEndian

from clinic_app import __version__
from clinic_app.core.dicom_out.codes import ABNORMAL_STRUCTURE, ARTIFICIAL_INTELLIGENCE, finding_type
from clinic_app.core.dicom_out.content import Algorithm

MANUFACTURER = "clinic-app"


@dataclass(frozen=True)
class SegmentMap:
    """One finding's probability map on the source stack: ``data[k]`` is on slice ``k0 + k``."""

    label: str
    tracking_uid: str
    tracking_id: str
    first_slice: int
    row0: int
    col0: int
    data: np.ndarray  # uint8 (slices, rows, cols), value / 255 = probability


def slices_covered(segments: Sequence[SegmentMap]) -> list[int]:
    return sorted({s.first_slice + k for s in segments for k in range(s.data.shape[0])})


def build_seg(sources: Mapping[int, Dataset], segments: Sequence[SegmentMap], algorithm: Algorithm,
              *, series_uid: str, sop_uid: str, series_number: int = 901) -> hd.seg.Segmentation:
    """``sources[k]`` is the header of slice ``k`` of the stack, for every slice covered."""
    used = slices_covered(segments)
    where = {k: n for n, k in enumerate(used)}
    rows, cols = int(sources[used[0]].Rows), int(sources[used[0]].Columns)
    stack = np.zeros((len(used), rows, cols, len(segments)), dtype=np.float32)
    for number, seg in enumerate(segments):
        depth, h, w = seg.data.shape
        h, w = min(h, rows - seg.row0), min(w, cols - seg.col0)
        for k in range(depth):
            plane = seg.data[k, :h, :w].astype(np.float32) / 255.0
            stack[where[seg.first_slice + k], seg.row0:seg.row0 + h,
                  seg.col0:seg.col0 + w, number] = plane
    family = hd.AlgorithmIdentificationSequence(
        name=algorithm.model_id, family=ARTIFICIAL_INTELLIGENCE, version=algorithm.version,
        parameters={"manifest_sha256": algorithm.manifest_sha256})
    descriptions = [hd.seg.SegmentDescription(
        segment_number=n + 1, segment_label=s.label[:64],
        segmented_property_category=ABNORMAL_STRUCTURE,
        segmented_property_type=finding_type(s.label),
        algorithm_type=hd.seg.SegmentAlgorithmTypeValues.AUTOMATIC,
        algorithm_identification=family, tracking_uid=s.tracking_uid,
        tracking_id=s.tracking_id) for n, s in enumerate(segments)]
    return hd.seg.Segmentation(
        source_images=[sources[k] for k in used], pixel_array=stack,
        segmentation_type=hd.seg.SegmentationTypeValues.FRACTIONAL,
        segment_descriptions=descriptions, series_instance_uid=series_uid,
        series_number=series_number, sop_instance_uid=sop_uid, instance_number=1,
        manufacturer=MANUFACTURER, manufacturer_model_name=algorithm.model_id[:64],
        software_versions=f"clinic-app {__version__}; {algorithm.model_id} {algorithm.version}"[:64],
        device_serial_number="none",
        fractional_type=hd.seg.SegmentationFractionalTypeValues.PROBABILITY,
        max_fractional_value=255, content_description="AI segmentation",
        content_label="AI_SEG", transfer_syntax_uid=ExplicitVRLittleEndian)
