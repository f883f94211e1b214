"""Viewer geometry without Qt: reformats, orientation letters, mm measurements, ROI stats."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from clinic_app.core.imaging.planes import (
    Plane,
    acquisition_plane,
    length_mm,
    nice_scale_length,
    orientation_letters,
    plane_map,
    roi_stats,
)


@dataclass(frozen=True)
class Vol:
    voxels: np.ndarray
    affine: np.ndarray


def axial_volume(spacing=(0.7, 0.8, 2.5), shape_kji=(5, 6, 7), iop=((1, 0, 0), (0, 1, 0))) -> Vol:
    """A volume whose voxel value encodes its (i, j, k) index: v = 100*k + 10*j + i."""
    k, j, i = np.meshgrid(*(np.arange(n) for n in shape_kji), indexing="ij")
    voxels = (100 * k + 10 * j + i).astype(np.float32)
    row, col = (np.asarray(v, dtype=float) for v in iop)
    normal = np.cross(row, col)
    affine = np.eye(4)
    affine[:3, 0] = row * spacing[0]
    affine[:3, 1] = col * spacing[1]
    affine[:3, 2] = normal * spacing[2]
    affine[:3, 3] = (-10.0, -20.0, -30.0)
    return Vol(voxels, affine)


def test_orientation_letters_name_dominant_direction_first():
    """+x is patient left, +y posterior, +z head; obliques list the dominant letter first."""
    assert orientation_letters(np.array([1, 0, 0])) == "L"
    assert orientation_letters(np.array([0, -1, 0])) == "A"
    assert orientation_letters(np.array([0, 0, -1])) == "F"
    assert orientation_letters(np.array([0.3, -0.9, 0.1])) == "AL"


def test_axial_of_standard_supine_ct_is_shown_as_stored_with_left_on_screen_right():
    """A standard axial CT keeps columns/rows; right marker L, top marker A, first slice most superior."""
    vol = axial_volume()
    pm = plane_map(vol, Plane.AXIAL)
    assert (pm.h_axis, pm.v_axis, pm.h_flip, pm.v_flip) == (0, 1, False, False)
    assert pm.markers() == {"right": "L", "left": "R", "top": "A", "bottom": "P"}
    # k increases towards the head, so display slice 0 is the last stored slice.
    assert pm.d_flip
    np.testing.assert_array_equal(pm.slice_array(vol.voxels, 0), vol.voxels[4])
    assert pm.spacing == pytest.approx((0.7, 0.8))


def test_prone_axial_is_flipped_so_anterior_stays_at_the_top():
    """A prone axial (IOP -1,0,0 / 0,-1,0) is flipped in both directions; letters still true."""
    vol = axial_volume(iop=((-1, 0, 0), (0, -1, 0)))
    pm = plane_map(vol, Plane.AXIAL)
    assert pm.h_flip and pm.v_flip
    assert pm.markers()["right"] == "L" and pm.markers()["top"] == "A"
    shown = pm.slice_array(vol.voxels, 0)
    stored = vol.voxels[pm.depth - 1 if pm.d_flip else 0]
    np.testing.assert_array_equal(shown, stored[::-1, ::-1])


def test_coronal_and_sagittal_reformats_put_the_head_at_the_top():
    """Coronal: left on right, head on top; sagittal: anterior on left, head on top; pixels exact."""
    vol = axial_volume()
    cor = plane_map(vol, Plane.CORONAL)
    assert cor.markers() == {"right": "L", "left": "R", "top": "H", "bottom": "F"}
    assert (cor.width, cor.height, cor.depth) == (7, 5, 6)
    img = cor.slice_array(vol.voxels, 2)
    # row 0 is the most superior stored slice (k = 4), column = i
    assert img[0, 3] == 100 * 4 + 10 * 2 + 3
    assert img[4, 0] == 100 * 0 + 10 * 2 + 0
    sag = plane_map(vol, Plane.SAGITTAL)
    assert sag.markers() == {"right": "P", "left": "A", "top": "H", "bottom": "F"}
    img = sag.slice_array(vol.voxels, 1)
    assert img.shape == (5, 6)
    assert img[0, 5] == 100 * 4 + 10 * 5 + 1
    assert cor.spacing == pytest.approx((0.7, 2.5))
    assert sag.spacing == pytest.approx((0.8, 2.5))


def test_display_and_voxel_coordinates_round_trip():
    """display_of inverts voxel_of for every plane."""
    vol = axial_volume()
    for plane in (Plane.AXIAL, Plane.CORONAL, Plane.SAGITTAL):
        pm = plane_map(vol, plane)
        ijk = pm.voxel_of(3.5, 2.5, 1)
        assert pm.display_of(ijk) == pytest.approx((3.5, 2.5, 1))


def test_length_in_mm_uses_non_unit_spacing():
    """A line of 10 columns and 10 rows on 0.7 x 0.8 mm pixels is hypot(7, 8) mm long."""
    vol = axial_volume(shape_kji=(3, 20, 20))
    pm = plane_map(vol, Plane.AXIAL)
    assert length_mm(pm, (2, 3), (12, 13), 0) == pytest.approx(np.hypot(7, 8))
    cor = plane_map(vol, Plane.CORONAL)
    # two slices apart vertically in a coronal reformat = 2 x 2.5 mm
    assert length_mm(cor, (4, 0.5), (4, 2.5), 3) == pytest.approx(5.0)


def test_roi_statistics_are_in_modality_units_over_pixels_inside_the_ellipse():
    """Mean/SD come from the original values inside the ellipse; area uses pixel spacing."""
    vol = axial_volume(shape_kji=(2, 10, 10))
    pm = plane_map(vol, Plane.AXIAL)
    pixels = np.zeros((10, 10), dtype=np.float32)
    pixels[:, 5:] = 100.0
    stats = roi_stats(pm, pixels, (0, 0, 10, 10))
    assert stats is not None
    inside = np.array([[((x + 0.5 - 5) / 5) ** 2 + ((y + 0.5 - 5) / 5) ** 2 <= 1 for x in range(10)]
                       for y in range(10)])
    assert stats.pixels == inside.sum()
    assert stats.mean == pytest.approx(pixels[inside].mean())
    assert stats.sd == pytest.approx(pixels[inside].std())
    assert stats.area_mm2 == pytest.approx(inside.sum() * 0.7 * 0.8)
    assert roi_stats(pm, pixels, (20, 20, 30, 30)) is None


def test_acquisition_plane_and_scale_bar_lengths():
    """The acquisition plane follows the slice normal; scale bars use 1-2-5 steps."""
    assert acquisition_plane(axial_volume()) is Plane.AXIAL
    assert acquisition_plane(axial_volume(iop=((0, 1, 0), (0, 0, -1)))) is Plane.SAGITTAL
    assert acquisition_plane(axial_volume(shape_kji=(1, 4, 4))) is Plane.NATIVE
    assert nice_scale_length(0.5, 100) == 50
    assert nice_scale_length(0.5, 90) == 20
    assert nice_scale_length(0.1, 35) == 2


def test_heat_colours_are_transparent_where_the_model_saw_nothing_and_never_white():
    """Below ~0.1 the overlay is fully transparent; at 1.0 it is opaque yellow, not white."""
    from clinic_app.core.imaging.plane_overlays import heat_colors

    bgra = heat_colors(np.array([0, 20, 128, 255], dtype=np.uint8))
    assert bgra[0, 3] == 0 and bgra[1, 3] == 0
    assert 0 < bgra[2, 3] < bgra[3, 3] == 255
    b, g, r, _a = bgra[3]
    assert r == 255 and g > 200 and b == 0
