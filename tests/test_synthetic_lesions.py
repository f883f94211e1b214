"""The CT lesion generator's lung-only option (training recipes E and H)."""

from __future__ import annotations

import numpy as np

from clinic_app.synthetic.lesions import ct_volume, random_ct_lesions

SPACING = (2.5, 0.8, 0.8)


def _volume() -> np.ndarray:
    # 250 mm up the 375 mm phantom: lungs and soft tissue both present.
    return ct_volume(12, 320, 320, pixel_mm=0.8, spacing_mm=2.5, z0_mm=240.0, seed=4)


def test_lung_only_places_only_lung_nodules_in_lung():
    """Every lesion is a nodule, centred where the phantom is lung (about -845 HU)."""
    hu = _volume()
    lesions = random_ct_lesions(hu, SPACING, np.random.default_rng(7), 6, lung_only=True,
                                keep_apart_mm=20.0)
    assert lesions and all(les.kind == "nodule" for les in lesions)
    for les in lesions:
        k, j, i = (round(v) for v in les.centre)
        assert hu[k, j, i] < -600


def test_without_the_option_the_same_seed_gives_the_same_lesions_as_before():
    """The option draws nothing extra: default and lung_only=False agree, and mix both kinds."""
    hu = _volume()
    plain = random_ct_lesions(hu, SPACING, np.random.default_rng(7), 6, keep_apart_mm=20.0)
    off = random_ct_lesions(hu, SPACING, np.random.default_rng(7), 6, lung_only=False,
                            keep_apart_mm=20.0)
    assert plain == off
    assert {les.kind for les in plain} == {"nodule", "hyperdense"}
