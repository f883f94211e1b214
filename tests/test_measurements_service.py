"""Saved measurements in a real encrypted store: per user, per stack, audited, validated."""

from __future__ import annotations

import math

import pytest

from clinic_app.core.imaging.planes import Plane
from clinic_app.core.imaging.viewport import MeasureKind, Measurement
from clinic_app.core.security.audit import AuditFilter
from clinic_app.errors import InvalidInput, PermissionDenied
from tests.ui.radiology_support import import_ct


def _items() -> list[Measurement]:
    return [Measurement(MeasureKind.LENGTH, Plane.AXIAL, 3, (10.0, 10.0), (40.0, 50.0), length_mm=40.0),
            Measurement(MeasureKind.ROI, Plane.CORONAL, 5, (1.0, 2.0), (30.0, 20.0)),
            Measurement(MeasureKind.ANGLE, Plane.AXIAL, 3, (60.0, 20.0), (20.0, 70.0), vertex=(20.0, 20.0)),
            Measurement(MeasureKind.ARROW, Plane.SAGITTAL, 0, (5.0, 5.0), (9.0, 9.0))]


def _actions(store, action: str) -> list:
    admin = store.login("admin")
    return [e for e in store.services.audit.entries(admin, AuditFilter()) if e.action == action]


def test_measurements_come_back_for_their_reader_only_with_geometry_not_values(store, tmp_path):
    """Saved geometry returns exactly for the same user; values are not stored; another user sees none."""
    rad, written = import_ct(store, tmp_path / "ct", slices=8, size=64)
    svc = store.services.measurements
    assert svc.save(rad, written.study_uid, written.series_uid, 0, _items()) == 4
    back = svc.for_study(rad, written.study_uid)
    assert [(b.series_uid, b.stack_index) for b in back] == [(written.series_uid, 0)] * 4
    assert [b.measurement.points() for b in back] == [m.points() for m in _items()]
    assert [b.measurement.kind for b in back] == [m.kind for m in _items()]
    assert back[0].measurement.length_mm is None  # recomputed from the pixels on opening
    assert store.services.measurements.for_study(store.login("phys"), written.study_uid) == []
    # Saving again replaces the set (the reader deleted two).
    svc.save(rad, written.study_uid, written.series_uid, 0, _items()[:2])
    assert len(svc.for_study(rad, written.study_uid)) == 2
    assert len(_actions(store, "measurements.save")) == 2
    assert len(_actions(store, "measurements.view")) == 3  # rad, phys, rad: one per call
    assert all(set(e.detail) == {"stack", "kept"} for e in _actions(store, "measurements.save"))


@pytest.mark.parametrize("bad", [
    Measurement(MeasureKind.LENGTH, Plane.AXIAL, 0, (math.nan, 1.0), (2.0, 2.0)),
    Measurement(MeasureKind.ANGLE, Plane.AXIAL, 0, (1.0, 1.0), (2.0, 2.0)),  # no vertex
])
def test_an_impossible_measurement_is_refused_and_nothing_changes(store, tmp_path, bad):
    """A NaN point or an angle without a vertex is refused; the saved set stays as it was."""
    rad, written = import_ct(store, tmp_path / "ct", slices=8, size=64)
    svc = store.services.measurements
    svc.save(rad, written.study_uid, written.series_uid, 0, _items())
    with pytest.raises(InvalidInput):
        svc.save(rad, written.study_uid, written.series_uid, 0, [_items()[0], bad])
    assert len(svc.for_study(rad, written.study_uid)) == 4


def test_unknown_study_or_series_is_a_clear_error_and_a_physician_cannot_save(store, tmp_path):
    """No such study/series → InvalidInput naming it; a physician's save is refused."""
    rad, written = import_ct(store, tmp_path / "ct", slices=8, size=64)
    svc = store.services.measurements
    with pytest.raises(InvalidInput, match="No study"):
        svc.save(rad, "9.9.9", written.series_uid, 0, [])
    with pytest.raises(InvalidInput, match="No series"):
        svc.save(rad, written.study_uid, "9.9.9", 0, [])
    with pytest.raises(PermissionDenied):
        svc.save(store.login("phys"), written.study_uid, written.series_uid, 0, _items())
