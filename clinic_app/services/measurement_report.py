"""A reader's measurements on a study: listed with their values, and exported as SR.

Values are never stored: each call decodes the measured series and computes every
length, angle and ROI statistic again from the pixels (as the viewer does when the study
opens), so the list, the screen and the exported report agree. That takes seconds on a
large CT, so the UI calls this on a worker. Listing is ``images.view`` and audited as a
view; the SR export is a ``results.export`` act, audited once as an export naming the
study and how many measurements, never their positions or values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pydicom.uid import generate_uid

from clinic_app.core.dicom_out.boundary import build_object
from clinic_app.core.dicom_out.measurement_sr import MeasuredItem, build_measurement_sr
from clinic_app.core.dicom_out.sources import instance_blob, read_header
from clinic_app.core.imaging import index
from clinic_app.core.imaging import measurement_store as store
from clinic_app.core.imaging.planes import PlaneMap, plane_map
from clinic_app.core.imaging.stack_kind import StackKind
from clinic_app.core.imaging.viewport import MeasureKind, Measurement, remeasure
from clinic_app.core.imaging.volume import Volume
from clinic_app.core.security.audit import EventCode, Outcome
from clinic_app.core.security.roles import Permission
from clinic_app.core.tasks import NEVER_CANCELLED, CancelToken
from clinic_app.errors import ClinicAppError, InvalidInput
from clinic_app.i18n import translate
from clinic_app.services.context import ServiceContext
from clinic_app.services.imaging import ImagingService
from clinic_app.services.results import WrittenFile
from clinic_app.services.session import Session


@dataclass(frozen=True)
class MeasurementRow:
    """One measurement as the list shows it (values with units, plain text)."""

    number: int
    series_uid: str
    series: str  # "Se 2: Axial 2.5mm"
    kind: MeasureKind
    image: int  # 1-based display slice in the plane measured on
    plane: str
    value: str  # "12.3 mm", "mean 40.1 HU  SD 3.2, 154 mm²", "87.0°", "arrow"
    item: MeasuredItem | None  # None when the series has no patient frame


def _ellipse_points(pm: PlaneMap, m: Measurement) -> list[tuple[float, float]]:
    (x0, y0), (x1, y1) = m.start, m.end
    cx, cy, rx, ry = (x0 + x1) / 2, (y0 + y1) / 2, abs(x1 - x0) / 2, abs(y1 - y0) / 2
    across, down = [(cx - rx, cy), (cx + rx, cy)], [(cx, cy - ry), (cx, cy + ry)]
    sx, sy = pm.spacing
    return across + down if rx * sx >= ry * sy else down + across  # major axis first


def _xyz(p: object) -> tuple[float, float, float]:
    x, y, z = (float(v) for v in p)  # type: ignore[attr-defined]
    return x, y, z


def _value_text(m: Measurement, units: str, modality: str) -> str:
    if m.kind is MeasureKind.ARROW:
        return translate("measurements", "arrow")
    # The screen's two-line ROI label as one line: "mean 40.1 HU, SD 3.2, 154 mm²".
    parts = re.split(r" {2,}|\n", m.text(True, modality, units))
    return ", ".join(p.strip() for p in parts if p.strip())


class MeasurementReportService:
    def __init__(self, ctx: ServiceContext, imaging: ImagingService) -> None:
        self.ctx = ctx
        self.imaging = imaging

    def _rows(self, session: Session, study_uid: str, cancel: CancelToken) -> tuple[str, list[MeasurementRow]]:
        assert session.clinical is not None
        db = session.clinical
        found = index.study_rows(db, study_uid=study_uid)
        if not found:
            raise InvalidInput(translate("measurements", "No such study in the store."))
        saved = store.for_user(db, session.username, study_uid)
        series = {r["series_uid"]: r for r in index.series_rows(db, study_uid)}
        rows: list[MeasurementRow] = []
        volumes: dict[tuple[str, int], Volume] = {}
        for n, s in enumerate(saved, start=1):
            cancel.raise_if_cancelled()
            key = (s.series_uid, s.stack_index)
            if key not in volumes:
                volumes[key] = self.imaging.ungated_series_volume(session, s.series_uid, stack=s.stack_index,
                                                                  cancel=cancel)
            volume = volumes[key]
            pm = plane_map(volume, s.measurement.plane)
            m = remeasure(pm, s.measurement, volume.voxels, color=volume.voxels.ndim == 4)
            if m is None:
                continue
            row = series.get(s.series_uid)
            modality = str(row["modality"]) if row is not None else ""
            units = volume.units or ("HU" if modality.upper() == "CT" else "")
            label = translate("measurements", "Se {number}: {description}").format(
                number=row["number"], description=row["description"]) if row is not None else s.series_uid
            frame = str(row["frame_of_reference_uid"] or "") if row is not None else ""
            item = None
            if frame and volume.kind in (StackKind.VOLUME, StackKind.SINGLE):
                pts = _ellipse_points(pm, m) if m.kind is MeasureKind.ROI else list(m.points())
                mm = tuple(_xyz(pm.patient_of(x, y, m.slice_index)) for x, y in pts)
                k = round(float(pm.voxel_of(*pts[0], m.slice_index)[2]))
                k = min(max(k, 0), len(volume.slice_refs) - 1)
                stats = m.stats
                item = MeasuredItem(m.kind.value, n, frame, mm, volume.slice_refs[k][0],
                                    length_mm=m.length_mm, angle_deg=m.angle_deg,
                                    area_mm2=stats.area_mm2 if stats else None,
                                    mean=stats.mean if stats else None, sd=stats.sd if stats else None,
                                    value_unit=units)
            rows.append(MeasurementRow(n, s.series_uid, label, m.kind, m.slice_index + 1, m.plane.value,
                                       _value_text(m, units, modality), item))
        return str(found[0]["patient_id"]), rows

    def rows(self, session: Session, study_uid: str, cancel: CancelToken = NEVER_CANCELLED
             ) -> list[MeasurementRow]:
        """This reader's measurements on a study with values recomputed from the pixels."""
        self.ctx.begin(session, Permission.IMAGES_VIEW)
        patient, rows = self._rows(session, study_uid, cancel)
        self.ctx.audit(session, EventCode.PATIENT_RECORD, "measurements.list", patient_id=patient,
                       study_uid=study_uid, detail={"measurements": len(rows)})
        return rows

    def export_sr(self, session: Session, study_uid: str, path: Path,
                  cancel: CancelToken = NEVER_CANCELLED) -> WrittenFile:
        """Write this reader's measurements as one SR (TID 1500) file; never overwrites."""
        self.ctx.begin(session, Permission.RESULTS_EXPORT)
        patient = ""
        try:
            patient, rows = self._rows(session, study_uid, cancel)
            items = [r.item for r in rows if r.item is not None]
            if not items:
                raise InvalidInput(translate(
                    "measurements", "There are no measurements in patient space to export on this study."))
            assert session.clinical is not None and session.blobs is not None
            evidence = []
            for uid in dict.fromkeys(i.source_sop_uid for i in items):
                blob = instance_blob(session.clinical, uid)
                if blob is None:
                    raise InvalidInput(translate("measurements", "A measured image is no longer in the store."))
                evidence.append(read_header(session.blobs.get(index.BLOB_KIND, blob)))
            sr = build_object("measurement report", build_measurement_sr, items, evidence,
                              reader=session.username, series_uid=generate_uid(), sop_uid=generate_uid())
            try:
                with open(path, "xb") as fh:
                    sr.save_as(fh, enforce_file_format=True)
            except FileExistsError:
                raise InvalidInput(translate("measurements", "{name} already exists; choose another name.")
                                   .format(name=Path(path).name)) from None
            except OSError as exc:
                raise InvalidInput(translate("measurements", "The report could not be written ({reason}).")
                                   .format(reason=exc.strerror)) from None
        except ClinicAppError as exc:
            self.ctx.audit(session, EventCode.EXPORT, "measurements.export_sr", outcome=Outcome.MINOR_FAILURE,
                           patient_id=patient, study_uid=study_uid,
                           detail={"error": type(exc).__name__})
            raise
        self.ctx.audit(session, EventCode.EXPORT, "measurements.export_sr", patient_id=patient,
                       study_uid=study_uid, detail={"measurements": len(items)})
        return WrittenFile(Path(path), "SR", str(sr.SOPClassUID), str(sr.SOPInstanceUID))
