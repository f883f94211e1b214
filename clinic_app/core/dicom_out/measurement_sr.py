"""A reader's measurements as a DICOM SR measurement report (TID 1500).

One TID 1410 planar group per measurement. Its region is a 3D spatial coordinate
(SCOORD3D, patient mm in the series' frame of reference): a line is a two-point
polyline, an angle a three-point polyline through its vertex, an ROI the ellipse's four
axis ends, an arrow its tail and head. A coordinate in patient space is right whatever
plane (axial, or a coronal or sagittal reformat) the reader measured on. Values carry
UCUM units: length mm, area mm², angle degrees, mean and SD in the modality's unit
(HU for CT). The reader is the observer (person); the image the measurement lies on is
the evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import highdicom as hd
import numpy as np
from highdicom.sr import CodedConcept
from pydicom.dataset import Dataset
from pydicom.sr.codedict import codes
from pydicom.uid import generate_uid

from clinic_app.core.dicom_out import codes as c
from clinic_app.core.dicom_out.seg import MANUFACTURER

LENGTH = CodedConcept("410668003", "SCT", "Length")
AREA = CodedConcept("42798000", "SCT", "Area")
MEAN = CodedConcept("373098007", "SCT", "Mean")
SD = CodedConcept("386136009", "SCT", "Standard Deviation")
ANGLE = CodedConcept("1483009", "SCT", "Angle")
SQUARE_MM = CodedConcept("mm2", "UCUM", "square millimeter")
DEGREE = CodedConcept("deg", "UCUM", "degree")
HOUNSFIELD = CodedConcept("[hnsf'U]", "UCUM", "Hounsfield unit")
#: What an arrow or a measurement points at: a finding the reader marked.
FINDING = CodedConcept("404684003", "SCT", "Clinical finding")


@dataclass(frozen=True)
class MeasuredItem:
    """One measurement, its geometry in patient mm and its values (recomputed from pixels)."""

    kind: str  # length / roi / angle / arrow
    number: int  # 1-based, in the order the reader made them
    frame_of_reference_uid: str
    points_mm: tuple[tuple[float, float, float], ...]
    source_sop_uid: str  # the image the measured slice is (nearest to)
    length_mm: float | None = None
    angle_deg: float | None = None
    area_mm2: float | None = None
    mean: float | None = None
    sd: float | None = None
    value_unit: str = ""  # the modality's unit for mean/SD ("HU", …); "" = no unit


def _unit(value_unit: str) -> CodedConcept:
    if value_unit.upper() == "HU":
        return HOUNSFIELD
    return c.NO_UNITS if not value_unit else CodedConcept("1", "UCUM", value_unit[:64])


def _values(item: MeasuredItem) -> list[hd.sr.Measurement]:
    out = []
    if item.length_mm is not None:
        out.append(hd.sr.Measurement(LENGTH, float(item.length_mm), c.MILLIMETER))
    if item.angle_deg is not None:
        out.append(hd.sr.Measurement(ANGLE, float(item.angle_deg), DEGREE))
    if item.area_mm2 is not None:
        out.append(hd.sr.Measurement(AREA, float(item.area_mm2), SQUARE_MM))
    if item.mean is not None:
        out.append(hd.sr.Measurement(MEAN, float(item.mean), _unit(item.value_unit)))
    if item.sd is not None:
        out.append(hd.sr.Measurement(SD, float(item.sd), _unit(item.value_unit)))
    return out


def _group(item: MeasuredItem, report_uid: str) -> hd.sr.PlanarROIMeasurementsAndQualitativeEvaluations:
    graphic = hd.sr.GraphicTypeValues3D.ELLIPSE if item.kind == "roi" \
        else hd.sr.GraphicTypeValues3D.POLYLINE
    region = hd.sr.ImageRegion3D(graphic, np.array(item.points_mm, dtype=np.float64),
                                 item.frame_of_reference_uid)
    # A tracking UID of its own (derived from the report's, which may already be 64 long).
    tracking = hd.sr.TrackingIdentifier(uid=generate_uid(entropy_srcs=[report_uid, str(item.number)]),
                                        identifier=f"{item.kind} {item.number}")
    return hd.sr.PlanarROIMeasurementsAndQualitativeEvaluations(
        tracking_identifier=tracking, referenced_region=region, finding_type=FINDING,
        measurements=_values(item) or None)


def build_measurement_sr(items: Sequence[MeasuredItem], evidence: Sequence[Dataset], *,
                         reader: str, series_uid: str, sop_uid: str,
                         series_number: int = 903) -> hd.sr.Comprehensive3DSR:
    """``evidence``: the headers of every image in ``source_sop_uid`` (one study)."""
    if not items:
        raise ValueError("a measurement report needs at least one measurement")
    observer = hd.sr.ObserverContext(
        observer_type=codes.DCM.Person,
        observer_identifying_attributes=hd.sr.PersonObserverIdentifyingAttributes(
            name=reader if "^" in reader else reader + "^"))
    report = hd.sr.MeasurementReport(
        observation_context=hd.sr.ObservationContext(observer_person_context=observer),
        procedure_reported=c.IMAGING_PROCEDURE,
        imaging_measurements=[_group(i, sop_uid) for i in items])
    return hd.sr.Comprehensive3DSR(
        evidence=list(evidence), content=report[0], series_instance_uid=series_uid,
        series_number=series_number, sop_instance_uid=sop_uid, instance_number=1,
        manufacturer=MANUFACTURER, is_complete=True, series_description="Measurements")
