"""Batch scoring (column-wise checks, encoding, flags, explanations) equals the one-row path."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from clinic_app.core.inference.registry import ModelRegistry
from clinic_app.core.inference.risk import CannotCompute, InputValue, RiskModel, RiskResult
from clinic_app.core.inference.runtime import RuntimeOptions, create_session
from clinic_app.synthetic.cohort import generate_cohort

MODELS = ["pce-ascvd-10y", "framingham-cvd-10y", "cha2ds2-vasc", "meld-unos",
          "pima-diabetes-demo"]
DAY0 = datetime(2024, 1, 1, tzinfo=UTC)


class Text(str):
    """A str subclass: the column checks hand it to the one-row path, which accepts it."""


@pytest.fixture(scope="module")
def models() -> dict[str, RiskModel]:
    reg = ModelRegistry.default(None)
    return {m: RiskModel(create_session(reg.load(m), RuntimeOptions(gpu_preference="cpu")))
            for m in MODELS}


def _number(rng: random.Random, spec) -> object:
    lo, hi = spec.valid_range or (0.5, 100.0)
    draw = rng.random()
    if draw < 0.06 and lo > 0:
        return lo * rng.uniform(0.3, 0.95)  # below the range: refused or flagged
    if draw < 0.12:
        return hi * rng.uniform(1.05, 1.5)  # above it
    value = rng.uniform(lo, hi)
    if draw < 0.16:
        return int(math.ceil(lo) + rng.randrange(max(1, int(hi - lo))))
    if draw < 0.17:
        return np.float64(value)  # a numpy scalar: accepted by the one-row path
    if draw < 0.18:
        return rng.choice([True, "55", math.nan, math.inf, None])  # unusable
    return value


def _value(rng: random.Random, spec) -> object:
    if spec.kind == "number":
        return _number(rng, spec)
    if spec.kind == "boolean":
        return rng.random() < 0.4 if rng.random() > 0.02 else rng.choice([1, "yes"])
    draw = rng.random()
    if draw < 0.02:
        return "asian"  # not a category the manifest lists
    choice = rng.choice(list(spec.categories))
    return Text(choice) if draw < 0.04 else choice


def _rows(model: RiskModel, n: int, seed: int) -> list[dict[str, InputValue]]:
    """Inputs as records and the calculator give them, with every kind of oddity mixed in."""
    rng = random.Random(f"batch:{model.manifest.id}:{seed}")
    rows = []
    for _ in range(n):
        row: dict[str, InputValue] = {}
        for spec in model.manifest.features:
            if rng.random() < (0.25 if spec.role == "context" else 0.03):
                continue  # missing
            value = _value(rng, spec)
            if value is None:
                continue
            unit = (spec.unit if spec.unit != "1" else "") if rng.random() < 0.7 else ""
            date = DAY0 - timedelta(days=rng.randrange(900)) if rng.random() < 0.6 else None
            absent = spec.kind == "boolean" and value is False and rng.random() < 0.5
            row[spec.name] = InputValue(spec.name, value, unit, date,
                                        rng.choice(["entered", "record: bundle.json Observation/1"]),
                                        absent)
        if rng.random() < 0.03:
            row["statin"] = InputValue("statin", True)  # not an input of any shipped model
        rows.append(row)
    return rows


@pytest.mark.parametrize("model_id", MODELS)
def test_batch_results_equal_the_one_row_path_exactly(models, model_id):
    """On 3,000 mixed rows every result, flag (text and order), input, contribution and refusal is identical."""
    model = models[model_id]
    rows = _rows(model, 3000, seed=1)
    as_of = [DAY0 + timedelta(days=i % 5) if i % 3 else None for i in range(len(rows))]
    batch = model.score_many(rows, as_of=as_of)
    reference = model.score_one_by_one(rows, as_of=as_of)
    kinds = {"scored": 0, "refused": 0, "flagged": 0}
    for got, want in zip(batch, reference, strict=True):
        assert type(got) is type(want)
        if isinstance(want, CannotCompute):
            assert str(got) == str(want)
            kinds["refused"] += 1
        else:
            assert got == want  # every field, floats bit for bit
            assert got.to_json() == want.to_json()
            kinds["scored"] += 1
            kinds["flagged"] += bool(want.flags)
    assert kinds["scored"] > 1000 and kinds["refused"] > 50 and kinds["flagged"] > 100


def _close(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    return a == b


@pytest.mark.parametrize("model_id", MODELS)
def test_batch_equals_scoring_each_row_alone(models, model_id):
    """score_many equals score() row by row: all text exactly, numbers to 1e-12 (onnxruntime's SIMD/GEMM paths)."""
    model = models[model_id]
    rows = _rows(model, 400, seed=2)
    for row, got in zip(rows, model.score_many(rows, reference=True), strict=True):
        try:
            want = model.score(row)
        except CannotCompute as exc:
            assert isinstance(got, CannotCompute) and str(got) == str(exc)
            continue
        assert isinstance(got, RiskResult)
        assert (got.flags, got.category, got.inputs, got.unused_inputs) == \
            (want.flags, want.category, want.inputs, want.unused_inputs)
        assert _close(got.to_json(), want.to_json())


def test_empty_and_all_refused_batches():
    """No rows gives no results; a batch where nothing is computable runs no session and says why per row."""
    reg = ModelRegistry.default(None)
    model = RiskModel(create_session(reg.load("meld-unos"), RuntimeOptions(gpu_preference="cpu")))
    assert model.score_many([]) == []
    [refusal] = model.score_many([{"creatinine": InputValue("creatinine", 1.0)}])
    assert isinstance(refusal, CannotCompute) and "missing bilirubin" in str(refusal)


def test_stored_batch_equals_scoring_each_patient(store, tmp_path: Path):
    """On the synthetic cohort, score_all stores what score_patient gives each patient, model by model."""
    phys = store.login("phys")
    store.clock.now = datetime(2026, 1, 5, 9, tzinfo=UTC)
    bundle = generate_cohort(60, seed=11).write_bundle(tmp_path / "cohort.json")
    assert store.services.records.import_files(phys, [bundle]).ok
    report = store.services.risk.score_all(phys)
    assert report.scored > 60 and report.not_computed > 20
    outcomes = {(r.patient_key, r.model_id): r for r in store.services.risk_overview.latest_results(phys)}
    for patient in store.services.records.list_patients(phys):
        single = store.services.risk.score_patient(phys, patient.mrn, store=False)
        for result in single.results:
            stored = outcomes[(patient.key, result.model_id)]
            assert stored.computed and _close(stored.detail, result.to_json())
        for failed in single.not_computed:
            stored = outcomes[(patient.key, failed.model_id)]
            assert not stored.computed
            assert (stored.reason, stored.missing) == (failed.reason, failed.missing)
