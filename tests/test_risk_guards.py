"""Advice only where a score applies: AF scores without AF, models by sex, demo models."""

from __future__ import annotations

from functools import cache

import pytest

from clinic_app.core.inference.registry import ModelRegistry
from clinic_app.core.inference.risk import RiskModel, as_input_values
from clinic_app.core.inference.runtime import RuntimeOptions, create_session
from tests.test_risk_service import clinic  # noqa: F401  (the fixture)

ITEMS = {"age": 78, "chf": False, "hypertension": True, "diabetes": True, "stroke_tia": False,
         "vascular_disease": False}


@cache
def model(pid: str) -> RiskModel:
    registry = ModelRegistry.default(None)
    return RiskModel(create_session(registry.load(pid), RuntimeOptions(gpu_preference="cpu")))


@pytest.mark.parametrize(("pid", "extra"), [("cha2ds2-vasc", {"sex": "female"}),
                                           ("cha2ds2-va", {})])
def test_af_scores_give_no_advice_without_af(pid, extra):
    """Without AF the category (the anticoagulation advice) reads 'not applicable: no AF recorded'."""
    m = model(pid)
    no_af = m.score(as_input_values({**ITEMS, **extra, "atrial_fibrillation": False}))
    with_af = m.score(as_input_values({**ITEMS, **extra, "atrial_fibrillation": True}))
    assert no_af.category == "not applicable: no AF recorded"
    assert no_af.value == with_af.value  # the points are still shown
    assert "anticoagulation recommended" in with_af.category
    assert any("applies only to patients with AF" in f for f in no_af.flags)


def test_af_guard_holds_in_batch_scoring():
    """score_many applies the same guard, row by row."""
    rows = [as_input_values({**ITEMS, "atrial_fibrillation": af}) for af in (True, False)]
    with_af, without = model("cha2ds2-va").score_many(rows)
    assert "recommended" in with_af.category
    assert without.category == "not applicable: no AF recorded"


def test_demo_model_never_has_a_category():
    """A demo model's result carries no category (no advice), only the demo flag."""
    r = model("pima-diabetes-demo").score(as_input_values(
        {"npreg": 2, "glu": 150, "bmi": 33, "ped": 0.5, "age": 40}))
    assert r.category is None and r.flags[0].startswith("DEMO MODEL")


def test_pregnancy_model_is_hidden_for_men(clinic):  # noqa: F811
    """The Pima demo asks for pregnancies: men never see it, not even as 'cannot compute'."""
    store, phys = clinic
    man = store.services.risk.score_patient(phys, "MRN-2", store=False)
    woman = store.services.risk.score_patient(phys, "MRN-1", store=False)
    ids = lambda s: {r.model_id for r in s.results} | {n.model_id for n in s.not_computed}  # noqa: E731
    assert "pima-diabetes-demo" not in ids(man)
    assert "pima-diabetes-demo" in ids(woman)
    report = store.services.risk.score_all(phys, model_ids=["pima-diabetes-demo"])
    assert report.by_model["pima-diabetes-demo"]["scored"] == 0
    assert report.by_model["pima-diabetes-demo"]["not_computed"] == 1  # only the woman
