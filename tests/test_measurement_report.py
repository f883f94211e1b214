"""A reader's measurements listed with units and exported as SR TID 1500 (dciodvfy-valid)."""

from __future__ import annotations

import highdicom as hd
import pydicom
import pytest

from clinic_app.core.imaging.planes import Plane
from clinic_app.core.imaging.viewport import MeasureKind, Measurement
from clinic_app.core.security.audit import AuditFilter
from clinic_app.errors import InvalidInput, PermissionDenied
from tests.results_support import dciodvfy_errors
from tests.ui.radiology_support import import_ct

# On the 0.8 mm pixels of the test CT: a 30 × 40 px line is 24 × 32 mm, so 40 mm long;
# arms along +x and +y from the vertex make a right angle.
ITEMS = [Measurement(MeasureKind.LENGTH, Plane.AXIAL, 3, (10.0, 10.0), (40.0, 50.0)),
         Measurement(MeasureKind.ANGLE, Plane.AXIAL, 3, (60.0, 20.0), (20.0, 70.0), vertex=(20.0, 20.0)),
         Measurement(MeasureKind.ROI, Plane.CORONAL, 30, (10.0, 2.0), (40.0, 6.0)),
         Measurement(MeasureKind.ARROW, Plane.AXIAL, 1, (5.0, 5.0), (9.0, 9.0))]


@pytest.fixture
def measured(store, tmp_path):
    rad, written = import_ct(store, tmp_path / "ct", slices=8, size=64)
    store.services.measurements.save(rad, written.study_uid, written.series_uid, 0, ITEMS)
    return rad, written


def _numbers(ds: pydicom.Dataset) -> dict[str, tuple[float, str]]:
    """Concept name -> (value, unit code) of every NUM item in the SR tree."""
    out: dict[str, tuple[float, str]] = {}
    for item in ds.get("ContentSequence", []):
        if item.ValueType == "NUM":
            mv = item.MeasuredValueSequence[0]
            out[item.ConceptNameCodeSequence[0].CodeMeaning] = (
                float(mv.NumericValue), mv.MeasurementUnitsCodeSequence[0].CodeValue)
        out.update(_numbers(item))
    return out


def test_rows_give_values_with_units_recomputed_from_pixels(store, measured):
    """The list says 40.0 mm and 90.0°, an ROI with HU and mm², and an arrow, in order."""
    rad, written = measured
    rows = store.services.measurement_report.rows(rad, written.study_uid)
    assert [r.kind for r in rows] == [m.kind for m in ITEMS]
    assert rows[0].value == "40.0 mm" and rows[0].image == 4
    assert rows[1].value == "90.0°"
    assert "HU" in rows[2].value and "mm²" in rows[2].value
    assert rows[3].value == "arrow"
    assert all(r.item is not None for r in rows)


def test_export_writes_a_tid1500_sr_that_passes_dciodvfy_and_reads_back(store, measured, tmp_path):
    """One SR file: no dciodvfy Error lines, highdicom reads it, the values and units are there."""
    rad, written = measured
    out = store.services.measurement_report.export_sr(rad, written.study_uid, tmp_path / "m.dcm")
    assert dciodvfy_errors(out.path) == []
    ds = pydicom.dcmread(out.path)
    sr = hd.sr.Comprehensive3DSR.from_dataset(ds)
    groups = sr.content.get_planar_roi_measurement_groups()
    assert len(groups) == 4
    numbers = _numbers(ds)
    assert numbers["Length"] == pytest.approx((40.0, "mm"))
    assert numbers["Angle"][1] == "deg" and numbers["Angle"][0] == pytest.approx(90.0)
    assert numbers["Mean"][1] == "[hnsf'U]" and numbers["Area"][1] == "mm2"
    assert ds.StudyInstanceUID == written.study_uid
    admin = store.login("admin")
    entries = [e for e in store.services.audit.entries(admin, AuditFilter())
               if e.action == "measurements.export_sr"]
    assert len(entries) == 1 and entries[0].detail == {"measurements": 4}


def test_export_never_overwrites_and_a_physician_cannot_export(store, measured, tmp_path):
    """An existing file is refused by name; a physician is refused by permission."""
    rad, written = measured
    target = tmp_path / "taken.dcm"
    target.write_bytes(b"keep")
    with pytest.raises(InvalidInput, match=r"taken\.dcm"):
        store.services.measurement_report.export_sr(rad, written.study_uid, target)
    assert target.read_bytes() == b"keep"
    with pytest.raises(PermissionDenied):
        store.services.measurement_report.export_sr(store.login("phys"), written.study_uid,
                                                    tmp_path / "x.dcm")
