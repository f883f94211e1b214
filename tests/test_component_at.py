"""The single-region labelling a classifier's map uses equals the general 3D labelling."""

from __future__ import annotations

import numpy as np
import pytest

from clinic_app.core.inference.components import component_at, components


@pytest.mark.parametrize("seed", range(40))
def test_component_at_matches_components_for_the_region_holding_the_pixel(seed: int) -> None:
    """Every statistic of the region holding a pixel is what components() reports for it."""
    rng = np.random.default_rng(seed)
    rows, cols = (int(v) for v in rng.integers(5, 60, size=2))
    mask = rng.random((rows, cols)) < rng.uniform(0.2, 0.7)
    r, c = np.argwhere(mask)[int(rng.integers(0, mask.sum()))]
    got, got_labels = component_at(mask, int(r), int(c))
    comps, labels = components(mask[None].astype(np.float32), 0.5)
    want = next(comp for comp in comps if labels[0][r, c] in comp.parts[0])
    assert np.array_equal(got_labels[0], labels[0])
    assert got.voxels == want.voxels and got.parts == want.parts and got.areas == want.areas
    assert got.boxes == want.boxes and got.peak == want.peak == 1.0
    assert np.array_equal(got.lo, want.lo) and np.array_equal(got.hi, want.hi)
    assert np.array_equal(got.weighted, want.weighted) and np.array_equal(got.sums[0], want.sums[0])


def test_component_at_refuses_a_pixel_outside_the_mask() -> None:
    """Asking for the region of a background pixel is a programming error, not an empty region."""
    mask = np.zeros((4, 4), dtype=bool)
    mask[1, 1] = True
    with pytest.raises(ValueError):
        component_at(mask, 3, 3)
