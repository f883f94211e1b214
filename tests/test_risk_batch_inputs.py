"""score_all reads each patient's record once per input (a memo shared by the models), and
what it stores is still exactly each patient's own score_patient answer (which reads the
record afresh for every model): refusals, missing inputs, unit slips and PREVENT variants."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from clinic_app.core.inference.features import FeatureSource, resolve_once
from clinic_app.core.inference.risk import InputValue
from clinic_app.core.inference.risk_variants import VARIANTS
from clinic_app.errors import ImpossibleValue
from clinic_app.synthetic.cohort import generate_cohort
from tests.test_risk_batch import _close
from tests.test_risk_service import _obs, _patient_entries


def _mixed_entries() -> list[dict]:
    """PREVENT variants (UACR, UACR + HbA1c), an SBP a model refuses, and a patient with
    no labs."""
    def woman(pid: str, mrn: str, extra: list[dict]) -> list[dict]:
        return [*_patient_entries(pid, mrn, "female", "1968-03-01"),
                _obs(f"{pid}-cr", pid, "2160-0", 0.9, "mg/dL", "2025-11-01"),
                _obs(f"{pid}-bmi", pid, "39156-5", 29, "kg/m2", "2025-12-01"), *extra]

    no_labs = [e for e in _patient_entries("m5", "M-NOLABS", "male", "1960-01-01")
               if e["resourceType"] == "Patient" or "sbp" in e["id"]]
    return [*woman("m1", "M-BASE", []),
            *woman("m2", "M-UACR", [_obs("m2-acr", "m2", "9318-7", 45, "mg/g", "2025-10-01")]),
            *woman("m3", "M-FULL", [_obs("m3-acr", "m3", "9318-7", 12, "mg/g", "2025-10-01"),
                                    _obs("m3-a1c", "m3", "4548-4", 7.1, "%", "2025-10-01")]),
            *_patient_entries("m4", "M-SBP", "male", "1955-06-01"),
            _obs("m4-sbp-high", "m4", "8480-6", 212, "mm[Hg]", "2025-12-15"),
            *no_labs]


@pytest.fixture
def mixed_clinic(store, tmp_path):
    """The patients above, 30 synthetic ones, and a file whose cholesterol is a unit slip."""
    def bundle(name: str, entries: list[dict]):
        path = tmp_path / name
        path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection",
                                    "entry": [{"resource": r} for r in entries]}))
        return path

    cohort = generate_cohort(30, seed=5).write_bundle(tmp_path / "cohort.json")
    store.clock.now = datetime(2026, 1, 5, 9, tzinfo=UTC)
    phys = store.login("phys")
    assert store.services.records.import_files(phys, [bundle("mixed.json", _mixed_entries()),
                                                      cohort]).ok
    # TC 5.5 "mg/dL" (mmol/L typed): refused at import, so batch scoring never sees it.
    slip = _patient_entries("m6", "M-SLIP", "male", "1958-02-01", tc=5.5)
    assert not store.services.records.import_files(phys, [bundle("slip.json", slip)]).ok
    return store, phys


def test_batch_with_shared_inputs_stores_each_patients_own_answer(mixed_clinic):
    """Every stored outcome of score_all equals score_patient's, value, detail and reason."""
    store, phys = mixed_clinic
    mrns = {p.mrn for p in store.services.records.list_patients(phys)}
    assert {"M-BASE", "M-UACR", "M-FULL", "M-SBP", "M-NOLABS"} <= mrns and "M-SLIP" not in mrns
    store.services.risk.score_all(phys)
    stored = {(o.patient_key, o.model_id): o
              for o in store.services.risk_overview.latest_results(phys)}
    refused = missing = variants = 0
    for patient in store.services.records.list_patients(phys):
        single = store.services.risk.score_patient(phys, patient.mrn, store=False)
        keys = {k for k in stored if k[0] == patient.key}
        assert keys == {(patient.key, r.model_id) for r in single.results} | \
            {(patient.key, n.model_id) for n in single.not_computed}
        for result in single.results:
            got = stored[(patient.key, result.model_id)]
            assert got.computed and _close(got.value, result.value)  # batch vs one-row: ulps
            assert got.category == result.category and got.flags == tuple(result.flags)
            assert _close(dict(got.detail), result.to_json())
            variants += result.model_id in VARIANTS
        for failed in single.not_computed:
            got = stored[(patient.key, failed.model_id)]
            assert not got.computed and got.reason == failed.reason
            assert got.missing == failed.missing
            refused += not failed.missing
            missing += bool(failed.missing)
    assert refused and missing and variants  # the cohort exercised each case


def test_memo_answers_each_input_once_and_repeats_refusals():
    """A memo resolves an input once; a stored value outside hard bounds is refused again."""
    calls: list[str] = []

    def value(ctx):
        calls.append("value")
        return InputValue("age", 61)

    def impossible(ctx):
        calls.append("impossible")
        raise ImpossibleValue("systolic blood pressure 900 mmHg is not physiologically possible")

    memo: dict = {}
    ctx = object()
    ok = FeatureSource(value, lambda lb: "age")
    bad = FeatureSource(impossible, lambda lb: "sbp")
    assert resolve_once(ok, ctx, "age", memo) == resolve_once(ok, ctx, "age", memo)  # type: ignore[arg-type]
    for _ in range(2):
        with pytest.raises(ImpossibleValue, match="not physiologically possible"):
            resolve_once(bad, ctx, "systolic_bp", memo)  # type: ignore[arg-type]
    assert calls == ["value", "impossible"]
    assert resolve_once(ok, ctx, "age", None) == InputValue("age", 61)  # type: ignore[arg-type]
    assert calls[-1] == "value" and len(calls) == 3


def test_memo_gives_every_model_the_inputs_a_fresh_read_gives(mixed_clinic):
    """For every patient and model (in scoring order, one memo per patient), the record's
    inputs read through the memo equal a fresh read: values, missing, hints and states."""
    from clinic_app.core.inference.derived_inputs import supplement
    from clinic_app.core.inference.features import Lookbacks, record_inputs
    from clinic_app.core.inference.risk_variants import in_scoring_order
    from clinic_app.core.records.repository import RecordRepository

    store, phys = mixed_clinic
    repo = RecordRepository(phys.clinical)
    models = in_scoring_order(store.services.risk.risk_models(phys))
    lookbacks = Lookbacks.from_settings(store.services.risk.ctx.settings)
    when = store.clock.now
    compared = 0
    for patient in repo.patients():
        memo: dict = {}
        for model in models:
            specs = model.manifest.features
            fresh = supplement(repo, patient, specs, when, lookbacks,
                               record_inputs(repo, patient, specs, when, lookbacks))
            shared = supplement(repo, patient, specs, when, lookbacks,
                                record_inputs(repo, patient, specs, when, lookbacks, memo=memo),
                                memo=memo)
            assert shared == fresh, (patient.mrn, model.manifest.id)
            compared += 1
    assert compared >= 35 * 10 and memo  # every patient, every shipped model
