"""Comprehensive 3D SR following TID 1500: one measurement group per finding.

Each group (TID 1410 planar or TID 1411 volumetric) carries the tracking identifier and
UID, the coded finding type, the location (an image-region SCOORD on the source image,
or the finding's segment in the run's SEG), diameter and volume in UCUM units, the model
score as a numeric evaluation, and the algorithm (model id, version, manifest SHA-256 as
its parameter). The radiologist's review is a qualitative evaluation of the group (code
``99CLINICAPP REVIEW``) whose children say who (name, role), when (the item's Observation
DateTime), why (comment) and, for a modified or added finding, the reviewer's region. The
size remarks the app shows (approximate on thick slices, may extend beyond the series:
``core/inference/size_caveat.py``) are qualitative evaluations ``99CLINICAPP SIZEREMARK``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import highdicom as hd
import numpy as np
from highdicom.sr import (
    CodeContentItem,
    ContentSequence,
    PnameContentItem,
    RelationshipTypeValues,
    TextContentItem,
)
from pydicom.dataset import Dataset
from pydicom.sr.codedict import codes
from pydicom.uid import SegmentationStorage

from clinic_app.core.dicom_out import codes as c
from clinic_app.core.dicom_out.content import Region, ResultFinding, ReviewContent
from clinic_app.core.dicom_out.seg import MANUFACTURER

MAX_TEXT = 1024


def _source_for_region(region: Region, images: dict[str, Dataset]) -> hd.sr.SourceImageForRegion:
    ds = images[region.sop_instance_uid]
    frames = [region.frame] if int(getattr(ds, "NumberOfFrames", 1) or 1) > 1 else None
    return hd.sr.SourceImageForRegion(ds.SOPClassUID, ds.SOPInstanceUID, frames)


def _image_region(region: Region, images: dict[str, Dataset]) -> hd.sr.ImageRegion:
    return hd.sr.ImageRegion(hd.sr.GraphicTypeValues.POLYLINE,
                             np.array(region.polygon, dtype=np.float64),
                             _source_for_region(region, images))


def _review_item(review: ReviewContent, images: dict[str, Dataset]) -> hd.sr.QualitativeEvaluation:
    evaluation = hd.sr.QualitativeEvaluation(c.REVIEW, review.decision.code)
    item = evaluation[0]
    item.ObservationDateTime = datetime.fromisoformat(review.at).strftime("%Y%m%d%H%M%S.%f%z")
    children: list[hd.sr.ContentItem] = [
        PnameContentItem(c.PERSON_NAME, review.reviewer if "^" in review.reviewer
                         else review.reviewer + "^",
                         relationship_type=RelationshipTypeValues.HAS_OBS_CONTEXT)]
    role = c.ROLES.get(review.role)
    if role is not None:
        children.append(CodeContentItem(c.ORGANIZATION_ROLE, role,
                                        relationship_type=RelationshipTypeValues.HAS_OBS_CONTEXT))
    if review.comment:
        children.append(TextContentItem(c.COMMENT, review.comment[:MAX_TEXT],
                                        relationship_type=RelationshipTypeValues.HAS_PROPERTIES))
    if review.revised is not None:
        region = hd.sr.ScoordContentItem(
            c.REVISED_REGION, hd.sr.GraphicTypeValues.POLYLINE,
            np.array(review.revised.polygon, dtype=np.float64),
            relationship_type=RelationshipTypeValues.HAS_PROPERTIES)
        region.ContentSequence = ContentSequence([_source_for_region(review.revised, images)])
        children.append(region)
    item.ContentSequence = ContentSequence(children)
    return evaluation


def _measurements(f: ResultFinding) -> list[hd.sr.Measurement]:
    out: list[hd.sr.Measurement] = []
    if f.diameter_mm is not None:
        out.append(hd.sr.Measurement(c.DIAMETER, float(f.diameter_mm), c.MILLIMETER))
    if f.volume_ml is not None:
        out.append(hd.sr.Measurement(c.VOLUME, float(f.volume_ml), c.MILLILITER))
    if f.score is not None:
        out.append(hd.sr.Measurement(c.SCORE, float(f.score), c.NO_UNITS))
    return out


def measurement_group(f: ResultFinding, images: dict[str, Dataset], segs: dict[str, Dataset]
                      ) -> hd.sr.PlanarROIMeasurementsAndQualitativeEvaluations | \
        hd.sr.VolumetricROIMeasurementsAndQualitativeEvaluations | \
        hd.sr.MeasurementsAndQualitativeEvaluations:
    tracking = hd.sr.TrackingIdentifier(uid=f.tracking_uid, identifier=f.tracking_id[:64])
    algorithm = None
    if f.algorithm is not None:
        algorithm = hd.sr.AlgorithmIdentification(
            f.algorithm.model_id[:64], f.algorithm.version[:16],
            parameters=[f"manifest_sha256={f.algorithm.manifest_sha256}"])
    evaluations = [_review_item(f.review, images)] if f.review is not None else []
    if f.size_approximate:
        evaluations.append(hd.sr.QualitativeEvaluation(c.SIZE_REMARK, c.THICK_SLICES))
    if f.at_series_edge:
        evaluations.append(hd.sr.QualitativeEvaluation(c.SIZE_REMARK, c.SERIES_EDGE))
    common: dict[str, Any] = {"tracking_identifier": tracking, "finding_type": c.finding_type(f.label),
              "algorithm_id": algorithm, "measurements": _measurements(f) or None,
              "qualitative_evaluations": evaluations or None, "finding_category": c.ABNORMAL_STRUCTURE}
    if f.segment is not None and f.segment[0] in segs:
        seg = segs[f.segment[0]]
        segment = hd.sr.ReferencedSegment(
            sop_class_uid=SegmentationStorage, sop_instance_uid=seg.SOPInstanceUID,
            segment_number=f.segment[1],
            source_series=hd.sr.SourceSeriesForSegmentation(
                seg.ReferencedSeriesSequence[0].SeriesInstanceUID))
        return hd.sr.VolumetricROIMeasurementsAndQualitativeEvaluations(
            referenced_segment=segment, **common)
    region = f.region
    if region is None and f.review is not None:
        region = f.review.revised
    if region is None:  # scored but not located (an unflagged classifier label): TID 1501
        return hd.sr.MeasurementsAndQualitativeEvaluations(**common)
    return hd.sr.PlanarROIMeasurementsAndQualitativeEvaluations(
        referenced_region=_image_region(region, images), **common)


def build_sr(findings: Sequence[ResultFinding], evidence: Sequence[Dataset],
             segs: Sequence[Dataset] = (), *, series_uid: str, sop_uid: str, device_uid: str,
             series_number: int = 902, title: str = "AI results") -> hd.sr.Comprehensive3DSR:
    """``evidence``: headers of every image a region or review refers to; ``segs``: the
    SEGs that findings' ``segment`` references point into."""
    images = {str(ds.SOPInstanceUID): ds for ds in evidence}
    by_uid = {str(ds.SOPInstanceUID): ds for ds in segs}
    observer = hd.sr.ObserverContext(
        observer_type=codes.DCM.Device,
        observer_identifying_attributes=hd.sr.DeviceObserverIdentifyingAttributes(
            uid=device_uid, name=MANUFACTURER, manufacturer_name=MANUFACTURER))
    report = hd.sr.MeasurementReport(
        observation_context=hd.sr.ObservationContext(observer_device_context=observer),
        procedure_reported=c.IMAGING_PROCEDURE,
        imaging_measurements=[measurement_group(f, images, by_uid) for f in findings])
    refs = list(evidence) + list(segs)
    sr = hd.sr.Comprehensive3DSR(
        evidence=refs, content=report[0], series_instance_uid=series_uid,
        series_number=series_number, sop_instance_uid=sop_uid, instance_number=1,
        manufacturer=MANUFACTURER, is_complete=True, series_description=title)
    scheme = Dataset()  # declare the private scheme, as PS3.3 C.12.1.1.2.1 asks
    scheme.CodingSchemeDesignator = c.PRIVATE_SCHEME
    scheme.CodingSchemeName = "clinic-app AI result concepts"
    scheme.CodingSchemeResponsibleOrganization = MANUFACTURER
    sr.CodingSchemeIdentificationSequence = [scheme]
    return sr
