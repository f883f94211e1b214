"""One formatter from a score to text: the CLI, the physician's screen (live and stored
results) and the PDF report show the same words for the same score."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic_app.core.reports.wording import percent_text, score_text
from clinic_app.synthetic.cohort import generate_cohort
from tests.conftest import StoreFixture


@pytest.mark.parametrize("value, unit, decimals, text", [
    (0.0213, "probability", 3, "2.1 %"),
    (0.1048, "probability", 4, "10.48 %"),
    (0.2, "probability", 2, "20.0 %"),
    (3.0, "points", 0, "3 points"),
    (1.0, "points", 0, "1 point"),
    (0.4567, "", 2, "0.46"),
])
def test_score_text_hand_values(value: float, unit: str, decimals: int, text: str) -> None:
    """Probabilities as percentages with a space before the sign, points with the word."""
    assert score_text(value, unit, decimals) == text


def test_percent_text_of_a_fraction() -> None:
    """A fraction becomes a percentage with the asked decimals."""
    assert percent_text(0.0746) == "7.5 %" and percent_text(0.53, 0) == "53 %"


def test_live_and_stored_results_read_the_same_on_every_path(store: StoreFixture, tmp_path: Path) -> None:
    """A scored, stored result reads the same in the CLI (display_value), on the physician's
    screen from the live result, and from the stored snapshot the patient list shows."""
    from clinic_app.ui.physician import adapt

    phys = store.login("phys")
    bundle = generate_cohort(3, seed=11).write_bundle(tmp_path / "cohort.json")
    assert store.services.records.import_files(phys, [bundle]).ok
    patient = store.services.records.list_patients(phys)[0]
    scores = store.services.risk.score_patient(phys, patient.mrn, issuer=patient.issuer)
    assert scores.results
    cat = adapt.catalog(store.services, phys)
    live = {v.model_id: v.value_text for v in adapt.scores_view(scores, cat) if v.value is not None}
    stored = {v.model_id: v.value_text
              for v in adapt.latest_scores(store.services, phys, cat)[patient.key]
              if v.value is not None}
    cli = {r.model_id: r.display_value for r in scores.results}
    assert live == stored == cli
    assert any(text.endswith(" %") for text in cli.values())
