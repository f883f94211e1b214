"""Reading other systems' results: SEG segments, SR TID 1500 measurements, KO key images.

Every object is parsed behind one boundary: highdicom and pydicom raise freely on
objects that bend the standard, and a malformed object must become a skip reason the
reader can act on, never a traceback or a crash. Reasons name what is wrong, not
patient data. References are kept as SOP Instance UIDs; the service decides which of
them are in the store.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import highdicom as hd
import numpy as np
from pydicom.dataset import Dataset

from clinic_app.core.dicom_out.codes import PRIVATE_SCHEME, REVIEW, decision_of
from clinic_app.errors import ResultUnreadable as Unreadable

T = TypeVar("T")


@dataclass(frozen=True)
class Segment:
    number: int
    label: str
    category: str
    property_type: str
    algorithm: str  # "" for a manual segment


@dataclass(frozen=True)
class SegInfo:
    sop_instance_uid: str
    source_series_uid: str
    segments: tuple[Segment, ...]
    source_images: tuple[str, ...]  # SOP Instance UIDs the encoded frames are on
    fractional: bool
    #: Segment number → the source images it has a frame on.
    segment_images: tuple[tuple[int, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class Measurement:
    name: str
    value: float
    unit: str  # UCUM code, e.g. "mm"


@dataclass(frozen=True)
class MeasurementGroup:
    tracking_id: str
    tracking_uid: str
    finding: str  # the finding type's meaning
    measurements: tuple[Measurement, ...]
    images: tuple[str, ...]  # SOP Instance UIDs the group's region is on
    segment: tuple[str, int] | None  # (SEG SOP UID, segment number)
    decision: str = ""  # our review decision when the SR carries one
    evaluations: tuple[tuple[str, str], ...] = ()
    #: The region's SCOORD points (column, row), for drawing its box on the image.
    region: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True)
class SrInfo:
    sop_instance_uid: str
    title: str
    groups: tuple[MeasurementGroup, ...]


@dataclass(frozen=True)
class KoInfo:
    sop_instance_uid: str
    title: str
    images: tuple[str, ...]


def _guard(what: str, fn: Callable[[], T]) -> T:
    """The parser boundary: anything the libraries raise becomes an Unreadable reason."""
    try:
        return fn()
    except Unreadable:
        raise
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:
        raise Unreadable(f"{what} could not be read ({type(exc).__name__})") from None


def read_seg(ds: Dataset) -> SegInfo:
    def parse() -> SegInfo:
        seg = hd.seg.Segmentation.from_dataset(ds, copy=False)
        segments = []
        for number in seg.segment_numbers:
            d = seg.get_segment_description(number)
            algorithm = ""
            family = getattr(d, "algorithm_identification", None)
            if family:
                algorithm = str(family[0].AlgorithmName)
            segments.append(Segment(int(number), str(d.segment_label),
                                    d.segmented_property_category.meaning,
                                    d.segmented_property_type.meaning, algorithm))
        series = ds.ReferencedSeriesSequence[0].SeriesInstanceUID \
            if "ReferencedSeriesSequence" in ds else ""
        by_segment = _frame_sources(ds)
        sources = tuple(dict.fromkeys(u for uids in by_segment.values() for u in uids))
        return SegInfo(str(ds.SOPInstanceUID), str(series), tuple(segments), sources,
                       str(ds.SegmentationType) == "FRACTIONAL",
                       tuple((n, tuple(dict.fromkeys(u))) for n, u in sorted(by_segment.items())))

    return _guard("The segmentation", parse)


def _frame_sources(ds: Dataset) -> dict[int, list[str]]:
    """Segment number → source SOP UIDs of its frames (per-frame derivation references)."""
    out: dict[int, list[str]] = {}
    for frame in ds.PerFrameFunctionalGroupsSequence:
        number = int(frame.SegmentIdentificationSequence[0].ReferencedSegmentNumber)
        for derivation in getattr(frame, "DerivationImageSequence", []):
            for source in getattr(derivation, "SourceImageSequence", []):
                out.setdefault(number, []).append(str(source.ReferencedSOPInstanceUID))
    return out


def seg_masks(ds: Dataset, source_sop_uid: str) -> dict[int, np.ndarray]:
    """Segment number → float mask in [0, 1] on one source image (absent: not on it)."""
    def parse() -> dict[int, np.ndarray]:
        seg = hd.seg.Segmentation.from_dataset(ds, copy=False)
        out: dict[int, np.ndarray] = {}
        for number in seg.segment_numbers:
            try:
                arr = seg.get_pixels_by_source_instance(
                    [source_sop_uid], segment_numbers=[number], rescale_fractional=True,
                    assert_missing_frames_are_empty=True)
            except ValueError:
                continue
            plane = np.asarray(arr, dtype=np.float32)[0, :, :, 0]
            if plane.any():
                out[int(number)] = plane
        return out

    return _guard("The segmentation", parse)


def seg_stack(ds: Dataset, source_sop_uids: Sequence[str]) -> dict[int, np.ndarray]:
    """Segment number → float mask in [0, 1] of shape (images, rows, cols) over the given
    single-frame source images, in their order (zeros where the SEG has no frame)."""
    def parse() -> dict[int, np.ndarray]:
        seg = hd.seg.Segmentation.from_dataset(ds, copy=False)
        out: dict[int, np.ndarray] = {}
        for number in seg.segment_numbers:
            arr = seg.get_pixels_by_source_instance(
                list(source_sop_uids), segment_numbers=[number], rescale_fractional=True,
                assert_missing_frames_are_empty=True)
            out[int(number)] = np.asarray(arr, dtype=np.float32)[..., 0]
        return out

    return _guard("The segmentation", parse)


def _region_images(group: Any) -> tuple[str, ...]:
    roi = getattr(group, "roi", None)
    if roi is None:
        return ()
    refs = []
    for item in getattr(roi, "ContentSequence", []):
        for ref in getattr(item, "ReferencedSOPSequence", []):
            refs.append(str(ref.ReferencedSOPInstanceUID))
    return tuple(refs)


def _group(group: Any) -> MeasurementGroup:
    measurements = tuple(Measurement(m.name.meaning, float(m.value), str(m.unit.value))
                         for m in group.get_measurements())
    decision = ""
    evaluations = []
    for q in group.get_qualitative_evaluations():
        if q.name.value == REVIEW.value and q.name.scheme_designator == PRIVATE_SCHEME:
            found = decision_of(q.value.value)
            decision = found.value if found else ""
        else:
            evaluations.append((q.name.meaning, q.value.meaning))
    segment = None
    ref = getattr(group, "referenced_segment", None)
    if ref is not None:
        segment = (str(ref.referenced_sop_instance_uid), int(ref.referenced_segment_numbers[0]))
    finding = group.finding_type.meaning if group.finding_type is not None else "finding"
    roi = getattr(group, "roi", None)
    points: tuple[tuple[float, float], ...] = ()
    if roi is not None and getattr(roi, "value", None) is not None:
        value = np.asarray(roi.value, dtype=float)
        if value.ndim == 2 and value.shape[1] == 2:
            points = tuple((float(c), float(r)) for c, r in value)
    return MeasurementGroup(str(group.tracking_identifier or ""), str(group.tracking_uid or ""),
                            finding, measurements, _region_images(group), segment, decision,
                            tuple(evaluations), points)


def read_sr(ds: Dataset) -> SrInfo:
    """The TID 1500 measurement groups of an SR; anything else is Unreadable with why."""
    if "ContentSequence" not in ds or "ConceptNameCodeSequence" not in ds:
        raise Unreadable("The structured report has no content tree")
    title = str(ds.ConceptNameCodeSequence[0].get("CodeMeaning", ""))
    if str(ds.ConceptNameCodeSequence[0].get("CodeValue", "")) != "126000":
        raise Unreadable(f"The structured report is not a measurement report (TID 1500); its "
                         f"title is '{title[:64]}'")

    def parse() -> SrInfo:
        report = hd.sr.MeasurementReport.from_sequence([ds], copy=False)
        groups = [*report.get_planar_roi_measurement_groups(),
                  *report.get_volumetric_roi_measurement_groups()]
        return SrInfo(str(ds.SOPInstanceUID), title, tuple(_group(g) for g in groups))

    return _guard("The structured report", parse)


def read_ko(ds: Dataset) -> KoInfo:
    if "ContentSequence" not in ds:
        raise Unreadable("The key object selection has no content")

    def parse() -> KoInfo:
        title = str(ds.ConceptNameCodeSequence[0].CodeMeaning) \
            if "ConceptNameCodeSequence" in ds else "Key images"
        images = [str(item.ReferencedSOPSequence[0].ReferencedSOPInstanceUID)
                  for item in ds.ContentSequence
                  if item.ValueType == "IMAGE" and "ReferencedSOPSequence" in item]
        return KoInfo(str(ds.SOPInstanceUID), title, tuple(images))

    return _guard("The key object selection", parse)
