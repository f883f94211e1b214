"""Measurements without Qt: angles through anisotropic pixels, area units, window arithmetic."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_app.core.imaging.lut import Window
from clinic_app.core.imaging.planes import Plane, RoiStats, plane_map
from clinic_app.core.imaging.viewport import (
    MeasureKind,
    Measurement,
    angle_deg,
    area_text,
    clamp_zoom,
    custom_window,
    measure_angle,
    nearest_slice,
)
from tests.test_imaging_planes import axial_volume


def test_a_right_angle_stays_right_on_anisotropic_pixels():
    """Arms along x and y are 90° whatever the pixel spacing (0.7 × 0.8 mm)."""
    pm = plane_map(axial_volume(), Plane.AXIAL)
    assert angle_deg(pm, (5, 1), (1, 1), (1, 4), 0) == pytest.approx(90.0)


def test_a_diagonal_angle_is_measured_in_mm_not_pixels():
    """The display diagonal (3 px, 3 px) on 0.7 × 0.8 mm pixels is atan(0.8/0.7) from x, by hand."""
    pm = plane_map(axial_volume(spacing=(0.7, 0.8, 2.5)), Plane.AXIAL)
    expected = math.degrees(math.atan2(3 * 0.8, 3 * 0.7))
    assert angle_deg(pm, (4, 1), (1, 1), (4, 4), 0) == pytest.approx(expected)
    assert expected != pytest.approx(45.0, abs=1.0)  # pixels would have said 45°


def test_an_angle_with_a_zero_length_arm_is_undefined_not_zero():
    """A degenerate arm gives no angle, and the text says nothing rather than 0°."""
    pm = plane_map(axial_volume(), Plane.AXIAL)
    m = measure_angle(pm, 0, (1, 1), (1, 1), (3, 3))
    assert m.angle_deg is None and m.text(True, "CT") == ""


@given(st.floats(min_value=-170, max_value=170), st.floats(min_value=1, max_value=50))
def test_angles_on_square_pixels_match_the_rotation_that_made_them(turn, arm):
    """On 1 mm square pixels the measured angle equals |turn| (an independent trig oracle)."""
    pm = plane_map(axial_volume(spacing=(1.0, 1.0, 1.0)), Plane.AXIAL)
    c = (arm * math.cos(math.radians(turn)), arm * math.sin(math.radians(turn)))
    assert angle_deg(pm, (arm, 0.0), (0.0, 0.0), c, 0) == pytest.approx(abs(turn), abs=1e-6)


def test_large_areas_are_written_in_square_centimetres_not_cmm():
    """12 345 mm² is 123.5 cm²; the old text said "cmm²"."""
    assert area_text(12_345.0, True) == "123.5 cm²"
    assert area_text(450.0, True) == "450 mm²"
    assert area_text(12_345.0, False) == "12345 px²"
    stats = RoiStats(mean=40.0, sd=5.0, minimum=0.0, maximum=80.0, pixels=10, area_mm2=20_000.0)
    text = Measurement(MeasureKind.ROI, Plane.AXIAL, 0, (0, 0), (1, 1), stats=stats).text(True, "CT")
    assert text == "mean 40.0 HU  SD 5.0\n200.0 cm²"
    assert "cmm" not in text


def test_zoom_is_clamped_and_a_custom_window_keeps_its_function():
    """Zoom stays within 0.1–40; a sigmoid window dragged stays sigmoid with a positive width."""
    assert clamp_zoom(0.001) == 0.1 and clamp_zoom(1e6) == 40.0
    w = custom_window(Window(40.0, 400.0, "SIGMOID", "brain"), 50.0, -5.0)
    assert (w.function, w.center, w.name) == ("SIGMOID", 50.0, "custom") and w.width > 0
    assert custom_window(None, 0.0, 0.2).width == 1.0


def test_nearest_slice_finds_the_slice_through_a_patient_point():
    """A point 2 slices (5 mm) above the origin lies on axial slice 2."""
    vol = axial_volume()
    pm = plane_map(vol, Plane.AXIAL)
    patient = (vol.affine @ np.array([1.0, 1.0, 2.0, 1.0]))[:3]
    s = nearest_slice(pm, patient)
    assert round(float(pm.voxel_of(0.5, 0.5, s)[2])) == 2
