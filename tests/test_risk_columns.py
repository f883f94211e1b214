"""Columnar batch scoring: the value and category columns equal the one-row path's."""

from __future__ import annotations

import random

import numpy as np
import pytest

from clinic_app.core.inference.risk import CannotCompute, RiskModel
from clinic_app.core.inference.risk_columns import score_columns
from tests.test_risk_batch import MODELS, _value, models  # noqa: F401 - the fixture

N = 400


def _columns(model: RiskModel, seed: int) -> dict[str, list[object]]:
    rng = random.Random(seed)
    cols: dict[str, list[object]] = {}
    for spec in model.manifest.features:
        cols[spec.name] = [None if rng.random() < 0.03 else _value(rng, spec) for _ in range(N)]
    return cols


@pytest.mark.parametrize("model_id", MODELS)
def test_columns_equal_the_one_row_path(models, model_id):  # noqa: F811
    """Every row: same value (1e-12), category and advice, or the same refusal text."""
    model = models[model_id]
    scores = score_columns(model, _columns(model, seed=len(model_id)))
    assert len(scores) == N
    refused = 0
    for i in range(N):
        if i in scores.refused:
            with pytest.raises(CannotCompute) as one_row:
                model.score(scores.row(i))
            assert str(scores.refused[i]) == str(one_row.value)
            assert not scores.computed[i] and np.isnan(scores.values[i])
            refused += 1
            continue
        expected = model.score(scores.row(i))
        assert scores.computed[i]
        assert scores.values[i] == pytest.approx(expected.value, abs=1e-12)
        assert scores.categories[i] == expected.category
    assert 0 < refused < N


def test_typed_numpy_columns_and_the_af_guard(models):  # noqa: F811
    """numpy columns go through without per-value checks; no AF gives no advice."""
    model = models["cha2ds2-vasc"]
    cols = {"age": np.array([50.0, 78.0, 80.0]), "sex": ["male", "female", "female"],
            "chf": np.array([False, False, True]), "hypertension": np.array([False, True, True]),
            "diabetes": np.array([False, False, True]), "stroke_tia": np.array([False, False, True]),
            "vascular_disease": np.array([False, False, True]),
            "atrial_fibrillation": np.array([True, False, True])}
    cols = {k: v for k, v in cols.items() if k in {f.name for f in model.manifest.features}}
    scores = score_columns(model, cols)
    for i in range(3):
        one = model.score(scores.row(i))
        assert scores.values[i] == one.value and scores.categories[i] == one.category
    assert scores.categories[1] is not None and scores.categories[1].startswith("not applicable")


def test_a_patient_opened_is_the_one_row_result_with_its_explanation(models):  # noqa: F811
    """result(i) is score() for that row, explanation included; explanations() match it."""
    model = models["pce-ascvd-10y"]
    cols = {"age": np.array([55.0, 65.0]), "sex": ["male", "female"], "race": ["white", "white"],
            "total_cholesterol": np.array([213.0, 240.0]), "hdl_cholesterol": np.array([50.0, 35.0]),
            "systolic_bp": np.array([120.0, 150.0]), "bp_treated": np.array([False, True]),
            "smoker": np.array([False, True]), "diabetes": np.array([False, True])}
    scores = score_columns(model, cols)
    opened = scores.result(0)
    assert opened == model.score(scores.row(0))
    assert opened.value == pytest.approx(0.0538, abs=5e-4)  # the guideline's worked example
    everyone = scores.explanations()
    assert everyone is not None and everyone.shares.shape == (2, 5)
    for i in range(2):
        one = scores.result(i).explanation
        assert everyone.risk[i] == pytest.approx(one.risk, abs=1e-12)
        assert everyone.reference_risk[i] == pytest.approx(one.reference_risk, abs=1e-12)
        assert everyone.shares[i].tolist() == pytest.approx([s.amount for s in one.shares],
                                                            abs=1e-12)
        assert everyone.labels == tuple(s.label for s in one.shares)
    assert score_columns(models["meld-unos"], {}).explanations() is None


def test_columns_of_different_lengths_are_refused(models):  # noqa: F811
    """A ragged input is a programming error, not a silent truncation."""
    with pytest.raises(ValueError, match="differ in length"):
        score_columns(models["meld-unos"], {"creatinine": [1.0, 2.0], "bilirubin": [1.0]})
