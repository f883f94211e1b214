"""VOI windows, VOI tables, MONOCHROME1, padding and presets against hand-computed values."""

from __future__ import annotations

import numpy as np
import pytest
from pydicom.dataset import Dataset
from pydicom.pixels import apply_voi_lut

from clinic_app.core.imaging.lut import Window, voi_tables_from_dataset, window_values
from clinic_app.core.imaging.presets import CT_PRESETS, default_window, preset, presets_for
from clinic_app.core.imaging.render import render


def _px(*values: float) -> np.ndarray:
    return np.array([values], dtype=np.float32)


def test_linear_window_by_hand() -> None:
    """LINEAR c=40 w=400 (PS3.3 C.11.2.1.2): ramp from -160 to 239, with its -0.5 and w-1."""
    w = Window(40, 400)
    # x <= 40 - 0.5 - 399/2 = -160 → 0;  x > 40 - 0.5 + 399/2 = 239 → 255
    # x = 40:  ((40 - 39.5)/399 + 0.5)·255 = 127.8195… → 128
    # x = 100: ((100 - 39.5)/399 + 0.5)·255 = 166.165… → 166
    assert render(_px(-1000, -160, 40, 100, 239, 240), w).tolist() == [[0, 0, 128, 166, 255, 255]]
    assert window_values(np.array([40.0]), w)[0] == pytest.approx(127.8195, abs=1e-4)


def test_linear_exact_window_by_hand() -> None:
    """LINEAR_EXACT c=0 w=100: y = ((x - c)/w + 0.5)·255, no -0.5 terms."""
    w = Window(0, 100, "LINEAR_EXACT")
    # x = -50 → 0; x = 0 → 127.5 → 128; x = 25 → 191.25 → 191; x = 50 → 255
    assert render(_px(-60, -50, 0, 25, 50, 60), w).tolist() == [[0, 0, 128, 191, 255, 255]]


def test_sigmoid_window_by_hand() -> None:
    """SIGMOID c=0 w=100: y = 255 / (1 + exp(-4x/w))."""
    w = Window(0, 100, "SIGMOID")
    # x = 0 → 127.5 → 128; x = 25 → 255/(1+e^-1) = 186.41… → 186; x = -25 → 68.58… → 69
    assert render(_px(0, 25, -25), w).tolist() == [[128, 186, 69]]


def test_fast_render_agrees_with_the_reference_formula() -> None:
    """The vectorised render equals the piecewise PS3.3 formula, rounded, on random HU."""
    rng = np.random.default_rng(0)
    x = rng.uniform(-1200, 2000, (64, 64)).astype(np.float32)
    for w in (Window(40, 400), Window(-600, 1500, "LINEAR_EXACT"), Window(300, 700, "SIGMOID"),
              Window(10, 1)):
        expected = np.floor(window_values(x, w) + 0.5).astype(np.uint8)
        diff = np.abs(render(x, w).astype(int) - expected.astype(int))
        assert diff.max() <= 1 and (diff == 0).mean() > 0.999


def test_window_width_rules() -> None:
    """LINEAR needs width ≥ 1, the others width > 0; unknown functions are refused."""
    with pytest.raises(ValueError, match=">= 1"):
        Window(0, 0.5)
    assert Window(0, 0.5, "LINEAR_EXACT").width == 0.5
    with pytest.raises(ValueError, match="VOI LUT function"):
        Window(0, 10, "GAMMA")


def test_monochrome1_is_inverted() -> None:
    """MONOCHROME1: the lowest values display white (255 - windowed value)."""
    w = Window(2048, 4096)
    x = _px(0, 1024, 4095)
    assert render(x, w, invert=True).tolist() == (255 - render(x, w)).tolist()
    assert render(_px(0), w, invert=True)[0, 0] == 255


def test_padding_is_black_even_when_inverted() -> None:
    """Padding voxels render 0 whatever the window and inversion."""
    x = _px(-3024, 0, 100)
    out = render(x, Window(40, 400), invert=True, padding_value=-3024.0)
    assert out[0, 0] == 0 and out[0, 1] > 0


def test_voi_table_by_hand() -> None:
    """A VOI LUT Sequence table: first mapped value, clamping at both ends, 8-bit output."""
    ds = Dataset()
    ds.PixelRepresentation = 1
    item = Dataset()
    item.LUTDescriptor = [4, 65526, 8]  # 4 entries, first mapped -10 (signed), 8 bits
    item.LUTData = [0, 50, 200, 255]
    item.LUTExplanation = "TEST"
    ds.VOILUTSequence = [item]
    (table,) = voi_tables_from_dataset(ds)
    assert table.first_mapped == -10 and table.bits == 8 and table.name == "TEST"
    # -20 → clamps to entry 0; -10 → 0; -9 → 50; -8 → 200; -7 → 255; 100 → clamps to 255
    assert render(_px(-20, -10, -9, -8, -7, 100), table).tolist() == [[0, 0, 50, 200, 255, 255]]


def test_voi_table_matches_pydicom_for_16_bit_output() -> None:
    """A 16-bit VOI table, scaled to 8 bits, agrees with pydicom's apply_voi_lut."""
    ds = Dataset()
    ds.PixelRepresentation = 0
    ds.BitsStored = 12
    item = Dataset()
    item.LUTDescriptor = [256, 0, 16]
    item.LUTData = [int(v) for v in np.linspace(0, 65535, 256)]
    ds.VOILUTSequence = [item]
    (table,) = voi_tables_from_dataset(ds)
    x = np.arange(0, 300, dtype=np.uint16)[None]
    ours = render(x.astype(np.float32), table)
    theirs = apply_voi_lut(x, ds).astype(np.float64) * 255 / 65535
    assert np.abs(ours.astype(int) - np.rint(theirs).astype(int)).max() == 0


def test_colour_passes_through() -> None:
    """RGB slices are returned as RGB uint8 (windows apply to grey images only)."""
    rgb = np.zeros((2, 3, 3), dtype=np.uint8)
    rgb[0, 0] = (10, 20, 30)
    out = render(rgb, Window(0, 10))
    assert out.shape == (2, 3, 3) and out[0, 0].tolist() == [10, 20, 30]


def test_no_window_shows_the_full_range() -> None:
    """Without a window the slice's own min..max maps to 0..255."""
    out = render(_px(-100, 0, 100))
    assert out.tolist() == [[0, 128, 255]]


def test_ct_presets_cover_the_issue_list() -> None:
    """CT presets: brain, subdural, stroke, lung, mediastinum, abdomen, liver, bone."""
    assert list(CT_PRESETS) == ["brain", "subdural", "stroke", "lung", "mediastinum", "abdomen",
                                "liver", "bone"]
    assert (preset("ct", "LUNG").center, preset("CT", "lung").width) == (-600, 1500)
    assert (preset("CT", "brain").center, preset("CT", "brain").width) == (40, 80)
    assert presets_for("MR") == {}
    with pytest.raises(KeyError, match="choose one of: brain, subdural"):
        preset("CT", "heart")


def test_default_window_prefers_the_header() -> None:
    """The header's window opens first; CT without one opens soft tissue; others full range."""
    header = (Window(300, 1500, name="header 1"),)
    x = np.array([[0.0, 10.0]], dtype=np.float32)
    assert default_window(header, x, "CT") is header[0]
    assert default_window((), x, "CT").name == "abdomen"
    assert default_window((), x, "MR").name == "full range"
