"""The CT detector's training data: recipes that rebuild the same crops, and hard examples
that are exactly what a network gets wrong (models/ct_training_data.py, ct_hard_examples.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from clinic_app.core.inference.imaging_spec import ImagingSpec, parse_imaging_spec
from clinic_app.core.inference.package import TrustPolicy, TrustStore, read_package
from tests.eval_data_support import MODELS, models_script

data = models_script("ct_training_data")
hard = models_script("ct_hard_examples")


@pytest.fixture(scope="module")
def spec() -> ImagingSpec:
    """The shipped CT package's own spec: training prepares crops with exactly it."""
    contents = read_package(Path(MODELS / "ct-hyperdense-lesion-demo"), TrustStore(),
                            TrustPolicy(allow_unsigned=True))
    return parse_imaging_spec(contents.manifest)


def _ball(shape: tuple[int, int, int], centre: tuple[int, int, int], radius: float) -> np.ndarray:
    z, r, c = np.indices(shape)
    return (z - centre[0]) ** 2 + (r - centre[1]) ** 2 + (c - centre[2]) ** 2 <= radius ** 2


def test_a_response_away_from_every_lesion_is_a_false_positive_at_its_peak():
    truth = np.zeros((60, 60), bool)
    truth[10:16, 10:16] = True
    prob = np.zeros((60, 60), np.float32)
    prob[40:46, 30:37] = 0.6
    prob[43, 34] = 0.9  # the far response's peak
    prob[18:21, 18:21] = 0.8  # 2 px beyond the lesion: its margin, not a false positive
    prob[5, 50] = 0.49  # below the level
    assert hard.false_positives(prob, truth, 0.5) == [(43, 34)]


def test_a_response_just_beyond_the_margin_counts():
    truth = np.zeros((40, 40), bool)
    truth[10:14, 10:14] = True
    prob = np.zeros((40, 40), np.float32)
    prob[10:14, 13 + hard.MARGIN_PX + 1] = 0.7  # one column past the dilated lesion
    assert hard.false_positives(prob, truth, 0.5) == [(10, 13 + hard.MARGIN_PX + 1)]
    prob[10:14, 13 + hard.MARGIN_PX] = 0.7  # now it touches the margin
    assert hard.false_positives(prob, truth, 0.5) == []


def test_only_lesions_missed_on_every_slice_give_missed_sections():
    shape = (7, 50, 50)
    found = _ball(shape, (3, 12, 12), 2.5)
    missed = _ball(shape, (3, 35, 30), 2.5)
    prob = np.zeros(shape, np.float32)
    prob[3][found[3]] = 0.9  # the found lesion is flagged on its centre slice only
    prob[missed] = 0.45  # the missed one stays under the level everywhere
    sections = hard.missed_sections(prob, found | missed, 0.5)
    slices = sorted({k for k, _ in sections})
    assert slices == [k for k in range(7) if missed[k].any()] == [1, 2, 3, 4, 5]
    assert all(centre == (35, 30) for _, centre in sections)


def test_predict_pads_to_the_model_grid_and_cuts_back():
    seen: list[tuple[int, ...]] = []

    def net(batch: np.ndarray) -> np.ndarray:
        seen.append(batch.shape)
        return batch.mean(axis=1)

    channels = np.random.default_rng(1).random((5, 3, 37, 50)).astype(np.float32)
    out = hard.predict(net, channels, batch=2)
    assert seen == [(2, 3, 40, 56), (2, 3, 40, 56), (1, 3, 40, 56)]
    np.testing.assert_allclose(out, channels.mean(axis=1), rtol=1e-6)


def test_a_network_that_sees_nothing_gets_every_lesion_section_back(spec):
    """Every crop is one of the lesion's sections, centred closely enough that the
    lesion is inside it; no false positive where nothing was flagged."""
    found = hard.hard_examples(lambda b: np.zeros((len(b), *b.shape[2:]), np.float32),
                               np.random.default_rng(3), spec, 3, 4.0)
    assert found.false_positive_sections == 0
    assert found.missed_sections == len(found.x) > 0
    assert (found.y.reshape(len(found.y), -1).max(axis=1) == 1).all()


def test_a_network_that_flags_everything_gets_false_positives_only_where_no_lesion_is(spec):
    found = hard.hard_examples(lambda b: np.ones((len(b), *b.shape[2:]), np.float32),
                               np.random.default_rng(3), spec, 3, 4.0)
    assert found.missed_sections == 0 and found.false_positive_sections == len(found.x) > 0
    assert found.y.max() == 0  # each came from a slice with no lesion section


def test_the_hard_example_recipes_draw_recipe_h_s_volumes_and_c_is_unchanged(spec):
    """K and L differ from H only after training; their first crops must be H's, draw for
    draw."""
    h = data.candidate_crops(np.random.default_rng(5), spec, 3, data.Recipe.H, 4.0)
    c = data.candidate_crops(np.random.default_rng(5), spec, 3, data.Recipe.C, 4.0)
    for recipe in (data.Recipe.K, data.Recipe.L):
        other = data.candidate_crops(np.random.default_rng(5), spec, 3, recipe, 4.0)
        assert all(np.array_equal(a, b) for a, b in zip(h, other, strict=True))
    assert h[0].shape[1:] == (3, data.CROP, data.CROP) and h[1].shape[1] == 1
    assert h[0].shape != c[0].shape or not np.array_equal(h[0], c[0])
