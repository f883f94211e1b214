"""Slice ordering, spacing, stacks, tilt and the affine, checked against hand-computed values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from clinic_app.core.imaging.geometry import frame_refs, plan_series, plan_stacks
from clinic_app.core.imaging.header_types import FrameGeometry, PixelLayout
from clinic_app.core.imaging.stack_types import normal, orientation_name
from tests.imaging_support import instance, stack_at


def _plans(instances: list, modality: str = "CT") -> list:
    return plan_stacks(frame_refs(instances), modality)


def test_affine_by_hand() -> None:
    """Axial slices at z = 4, 0, 2 (given unordered): affine columns and origin by hand."""
    (plan,) = _plans(stack_at([4.0, 0.0, 2.0]))
    # PixelSpacing = (row 0.5, col 0.7): i (column) steps 0.7 mm along x, j (row) 0.5 mm along y.
    expected = np.array([[0.7, 0.0, 0.0, -10.0],
                         [0.0, 0.5, 0.0, -20.0],
                         [0.0, 0.0, 2.0, 0.0],
                         [0.0, 0.0, 0.0, 1.0]])
    assert np.allclose(plan.affine, expected)
    assert plan.spacing == pytest.approx((2.0, 0.5, 0.7))
    # voxel (i=10, j=20, k=2) → x = -10 + 7, y = -20 + 10, z = 0 + 4
    assert np.allclose(plan.affine @ [10, 20, 2, 1], [-3.0, -10.0, 4.0, 1.0])
    assert [fr.position[2] for fr in plan.frames] == [0.0, 2.0, 4.0]
    assert plan.kind == "volume" and plan.regular and plan.warnings == ()


def test_order_is_by_position_not_instance_number() -> None:
    """InstanceNumber running against the positions does not change the order."""
    insts = [instance(n, position=(0.0, 0.0, float(10 - n))) for n in range(1, 6)]
    (plan,) = _plans(insts)
    assert [fr.instance.instance_number for fr in plan.frames] == [5, 4, 3, 2, 1]


def test_spacing_comes_from_positions_not_slice_thickness() -> None:
    """SliceThickness 5 mm with positions 1.25 mm apart gives a 1.25 mm spacing."""
    (plan,) = _plans(stack_at([0, 1.25, 2.5, 3.75], slice_thickness=5.0))
    assert plan.spacing[0] == pytest.approx(1.25)


def test_oblique_normal_and_affine_by_hand() -> None:
    """A 30° oblique: normal = row × col, slices ordered along it, affine by hand."""
    c, s = math.cos(math.radians(30)), math.sin(math.radians(30))
    ori = (1.0, 0.0, 0.0, 0.0, c, s)  # rows tilted 30° from y towards z
    n = np.array([0.0, -s, c])  # (1,0,0) × (0,c,s)
    assert np.allclose(normal(ori), n)
    insts = [instance(k + 1, orientation=ori, position=tuple(float(v) for v in k * 3.0 * n))
             for k in (2, 0, 1)]
    (plan,) = _plans(insts)
    assert np.allclose(plan.affine[:3, 0], [0.7, 0, 0])
    assert np.allclose(plan.affine[:3, 1], [0, 0.5 * c, 0.5 * s])
    assert np.allclose(plan.affine[:3, 2], 3.0 * n)
    assert plan.spacing[0] == pytest.approx(3.0) and orientation_name(ori) == "oblique"


def test_missing_slice_is_reported_and_affine_keeps_true_spacing() -> None:
    """A gap of two spacings is one missing slice; spacing stays 2 mm, positions stay exact."""
    (plan,) = _plans(stack_at([0, 2, 4, 8, 10]))
    assert plan.missing_slices == 1 and not plan.regular
    assert plan.spacing[0] == pytest.approx(2.0)
    assert any("missing slices: 1 slice(s) absent (gaps after slice 3 of 5" in w for w in plan.warnings)
    assert plan.positions is not None and plan.positions[3][2] == 8.0


def test_irregular_spacing_is_reported() -> None:
    """Gaps of 2, 2, 2.5, 2 mm are irregular (not a whole missing slice)."""
    (plan,) = _plans(stack_at([0, 2, 4, 6.5, 8.5]))
    assert not plan.regular and plan.missing_slices == 0
    assert any(w.startswith("irregular slice spacing: 2–2.5 mm") for w in plan.warnings)


def test_gantry_tilt_is_measured_from_positions() -> None:
    """Positions stepping (0, tan 20°, 1)·2 mm with axial orientation: 20° tilt, sheared affine."""
    t = math.tan(math.radians(20))
    insts = [instance(k + 1, position=(0.0, 2.0 * k * t, 2.0 * k), gantry_tilt=20.0)
             for k in range(6)]
    (plan,) = _plans(insts)
    assert plan.tilt_deg == pytest.approx(20.0, abs=1e-6)
    assert plan.spacing[0] == pytest.approx(2.0)
    assert np.allclose(plan.affine[:3, 2], [0.0, 2.0 * t, 2.0])
    for k in range(6):  # every slice lands on its own ImagePositionPatient
        assert np.allclose((plan.affine @ [0, 0, k, 1])[:3], insts[k].position)
    assert any("gantry tilt of 20.00°" in w and "GantryDetectorTilt says 20°" in w
               for w in plan.warnings)


def test_two_orientations_are_two_stacks() -> None:
    """Axial and sagittal images in one series split into two stacks, largest first."""
    sag = (0.0, 1.0, 0.0, 0.0, 0.0, -1.0)
    insts = stack_at([0, 2, 4, 6]) + [instance(10 + k, orientation=sag, position=(2.0 * k, 0, 0))
                                      for k in range(3)]
    plans = _plans(insts)
    assert [len(p.frames) for p in plans] == [4, 3]
    assert plans[0].label == "stack 1 of 2 (axial)" and plans[1].label == "stack 2 of 2 (sagittal)"
    assert plans[0].warnings[0].startswith("mixed stacks: this series holds 2 stacks")


def test_repeated_positions_split_by_acquisition() -> None:
    """Two acquisitions over the same positions become two stacks, not interleaved slices."""
    a1 = [instance(k + 1, position=(0, 0, 2.0 * k), acquisition_number=1) for k in range(4)]
    a2 = [instance(k + 11, position=(0, 0, 2.0 * k), acquisition_number=2) for k in range(4)]
    plans = _plans(a1 + a2)
    assert len(plans) == 2 and all(p.regular and len(p.frames) == 4 for p in plans)
    assert {p.label for p in plans} == {"stack 1 of 2 (acquisition 1)",
                                        "stack 2 of 2 (acquisition 2)"}


def test_stacks_at_different_in_plane_positions_split() -> None:
    """Same orientation, two lines of positions 100 mm apart: two stacks by position."""
    left = [instance(k + 1, position=(-100.0, 0.0, 3.0 * k)) for k in range(4)]
    right = [instance(k + 11, position=(100.0, 0.0, 3.0 * k + 1.0)) for k in range(4)]
    plans = _plans(left + right)
    assert sorted(len(p.frames) for p in plans) == [4, 4]
    assert all(p.regular for p in plans)


def test_single_slice_uses_thickness_and_says_so() -> None:
    """One slice has no measured spacing: SliceThickness is used and a warning says so."""
    (plan,) = _plans(stack_at([5.0], slice_thickness=3.0))
    assert plan.kind == "single" and plan.spacing[0] == 3.0
    assert "not a measured spacing" in plan.warnings[0]


def test_projection_image_without_position() -> None:
    """A CR without patient position is a projection; the affine holds pixel size only."""
    cr = instance(1, position=None, orientation=None, pixel_spacing=(0.139, 0.139),
                  spacing_source="ImagerPixelSpacing")
    (plan,) = _plans([cr], modality="CR")
    assert plan.kind == "projection" and plan.positions is None
    assert np.allclose(plan.affine, np.diag([0.139, 0.139, 1.0, 1.0]))
    assert any("ImagerPixelSpacing" in w for w in plan.warnings)


def test_no_pixel_spacing_is_uncalibrated() -> None:
    """Without any pixel spacing, distances are in pixels and the plan says so."""
    (plan,) = _plans(stack_at([0, 1, 2], pixel_spacing=None))
    assert not plan.calibrated and plan.spacing[1:] == (1.0, 1.0)
    assert any("distances are in pixels" in w for w in plan.warnings)


def test_cine_multiframe_has_no_geometry() -> None:
    """A multi-frame without per-frame positions is a cine loop (third axis is time)."""
    px = PixelLayout(4, 6, 8, 3, 8, 8, 0, "RGB", 0, False, 0, 576)
    us = instance(1, pixels=px, position=None, orientation=None, frame_time_ms=33.3)
    (plan,) = _plans([us], modality="US")
    assert plan.kind == "cine" and len(plan.frames) == 8
    assert "33.3 ms per frame" in plan.warnings[0]


def test_enhanced_frames_use_functional_groups() -> None:
    """Per-frame positions (stored in reverse) order an enhanced instance's frames."""
    px = PixelLayout(4, 6, 3, 1, 16, 16, 1, "MONOCHROME2", 0, False, 0, 144)
    frames = tuple(FrameGeometry(position=(0.0, 0.0, 3.0 * k), orientation=(1, 0, 0, 0, 1, 0),
                                 pixel_spacing=(1.0, 1.0), rescale=(1.0, -1024.0))
                   for k in (2, 1, 0))
    enh = instance(1, pixels=px, position=None, frame_geometry=frames)
    (plan,) = _plans([enh])
    assert [fr.frame for fr in plan.frames] == [2, 1, 0]
    assert plan.spacing == pytest.approx((3.0, 1.0, 1.0))
    assert plan.frames[0].rescale == (1.0, -1024.0)


def test_undecodable_slice_is_a_missing_slice() -> None:
    """An undecodable middle slice is left out and reported missing, never closed over."""
    insts = stack_at([0, 2, 4])
    insts[1] = instance(2, position=(-10.0, -20.0, 2.0), decodable=False,
                        status="pixel data not decodable: X")
    (plan,) = plan_series(insts, "CT")
    assert len(plan.frames) == 2 and plan.missing_slices == 1 and not plan.regular
    assert plan.warnings[-1] == ("1 slice(s) of this stack cannot be decoded (pixel data not "
                                 "decodable: X) and are missing from it")
