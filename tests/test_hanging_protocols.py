"""Hanging protocols: shipped rules, rule choice, series placement and refused files."""

from __future__ import annotations

import pytest

from clinic_app.core.imaging.hanging import (
    GridLayout,
    SeriesFacts,
    StudyFacts,
    choose,
    default_rules,
    parse_rules,
    place,
    rule_to_json,
)
from clinic_app.errors import InvalidInput


def _ct(uid: str, slices: int, description: str = "Axial 2.5mm", body: str = "CHEST") -> SeriesFacts:
    return SeriesFacts(uid, "CT", body, description, slices, True)


TODAY = StudyFacts("CT CHEST", (_ct("t-scout", 1, "Scout"), _ct("t-axial", 200)))
PRIOR = StudyFacts("CT CHEST", (_ct("p-axial", 120), _ct("p-thin", 300, "Lung 1mm")))
CR = StudyFacts("XR CHEST", (SeriesFacts("cr-lat", "CR", "CHEST", "Lateral", 1, False),
                            SeriesFacts("cr-pa", "CR", "CHEST", "Chest PA", 1, False)))


def test_shipped_rules_cover_ct_chest_ct_abdomen_and_cr_chest():
    """Each named default exists, and a CT chest with a prior opens side by side."""
    names = {r.name for r in default_rules()}
    assert {"CT chest", "CT abdomen", "CR chest", "CT chest with prior"} <= names
    rule = choose(default_rules(), TODAY, priors=1)
    assert rule is not None and rule.name == "CT chest with prior"
    assert rule.layout is GridLayout.ONE_BY_TWO
    assert place(rule, TODAY, PRIOR) == ["t-axial", "p-thin"]


def test_without_a_prior_the_single_viewport_rule_applies():
    """No prior open: the CT chest rule, one viewport with today's largest volume."""
    rule = choose(default_rules(), TODAY, priors=0)
    assert rule is not None and rule.name == "CT chest"
    assert place(rule, TODAY, None) == ["t-axial"]


def test_series_words_pick_a_series_before_the_largest():
    """The CR chest rule asks for the PA view, not the first or largest image."""
    rule = choose(default_rules(), CR, priors=0)
    assert rule is not None and place(rule, CR, None) == ["cr-pa"]


def test_a_users_rule_is_tried_first_and_round_trips():
    """A saved rule (2×2, prior's lung series) beats the defaults and survives JSON."""
    mine = parse_rules({"rules": [{"name": "mine", "modality": "CT", "layout": "2x2",
                                   "viewports": [{"study": "current"},
                                                 {"study": "prior", "series": ["lung"]}]}]})
    rule = choose(mine + default_rules(), TODAY, priors=1)
    assert rule is not None and rule.name == "mine" and rule.min_priors == 1
    assert place(rule, TODAY, PRIOR) == ["t-axial", "p-thin"]
    assert parse_rules({"rules": [rule_to_json(rule)]}) == (rule,)


@pytest.mark.parametrize("bad", [
    [], {"rules": "x"}, {"rules": [{"layout": "3x3"}]},
    {"rules": [{"layout": "1x1", "viewports": [{"study": "current"}, {"study": "prior"}]}]},
    {"rules": [{"layout": "1x2", "viewports": [{"study": "yesterday"}]}]},
    {"rules": [{"layout": "1x1", "min_priors": -1}]},
    {"rules": [{"layout": "1x1", "body_part": [3]}]},
])
def test_a_bad_file_is_refused_with_a_reason(bad):
    """Each malformed document raises InvalidInput, never a partial rule set."""
    with pytest.raises(InvalidInput):
        parse_rules(bad)
