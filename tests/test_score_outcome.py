"""One score outcome type: a score computed now and the same score read back agree."""

from __future__ import annotations

from tests.test_risk_service import clinic  # noqa: F401  (the fixture: three imported patients)


def _shown(o):
    return (o.model_id, o.model_name, o.model_version, o.value, o.value_text, o.category,
            o.flags, o.provider, o.as_of, dict(o.detail))


def test_a_stored_score_reads_back_as_the_outcome_that_was_computed(clinic):  # noqa: F811
    """score_patient's outcomes and risk.stored() give the same value, text, inputs and date."""
    store, phys = clinic
    scores = store.services.risk.score_patient(phys, "MRN-1")
    live = {o.model_id: o for o in scores.outcomes() if o.computed}
    stored = {o.model_id: o for o in store.services.risk.stored(phys, "MRN-1")}
    assert live and set(live) == set(stored)
    for model_id, now in live.items():
        assert _shown(stored[model_id]) == _shown(now), model_id
        assert now.value_text and now.reason == "" and now.missing == ()
        assert stored[model_id].computed_by == "phys" and stored[model_id].computed_at is not None


def test_cannot_compute_reads_back_with_the_same_reason_and_missing_inputs(clinic):  # noqa: F811
    """A model that could not be scored says the same thing live and from the patient list."""
    store, phys = clinic
    scores = store.services.risk.score_patient(phys, "MRN-3")
    key = scores.patient_key
    live = {o.model_id: o for o in scores.outcomes() if not o.computed}
    listed = {o.model_id: o for o in store.services.risk_overview.latest_results(phys)
              if o.patient_key == key}
    assert live and set(live) <= set(listed)
    for model_id, now in live.items():
        back = listed[model_id]
        assert not back.computed and back.value is None and back.value_text == ""
        assert (back.reason, back.missing, back.model_version) == \
            (now.reason, now.missing, now.model_version)
    assert any(o.missing for o in live.values())  # MRN-3 has no measurements at all
