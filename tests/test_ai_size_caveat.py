"""Which sizes are marked approximate: small findings measured on thick slices, no others."""

from __future__ import annotations

import math

import pytest

from clinic_app.core.inference.size_caveat import (
    SMALL_FINDING_MM,
    THIN_SECTION_MM,
    approximate_note,
    approximate_size,
    edge_note,
    remarks,
    stored_spacing,
)


@pytest.mark.parametrize(("diameter", "slice_mm", "marked"), [
    (5.0, 5.0, True),            # a small nodule on 5 mm slices
    (7.9, 2.5, True),
    (SMALL_FINDING_MM, 5.0, False),   # 8 mm and over: the size holds on thick slices
    (20.0, 5.0, False),
    (5.0, THIN_SECTION_MM, False),    # 1.5 mm is thin enough (Fleischner)
    (5.0, 1.0, False),
    (5.0, None, False),          # a radiograph, or a finding stored before the spacing was kept
    (None, 5.0, False),          # no size at all (no pixel spacing)
    (math.nan, 5.0, False),
    (5.0, math.inf, False),
])
def test_only_small_findings_on_thick_slices_are_marked(diameter, slice_mm, marked):
    assert approximate_size(diameter, slice_mm) is marked


def test_the_note_names_the_spacing_and_the_thin_slice_advice_in_clinical_words():
    note = approximate_note(2.5)
    assert note.startswith("Approximate size: measured on slices 2.5 mm apart.")
    assert "1.5 mm or thinner (Fleischner Society)" in note
    assert "slice_mm" not in note and "THIN" not in note
    assert "5 mm apart" in approximate_note(5.0) and "3.75 mm apart" in approximate_note(3.75)


@pytest.mark.parametrize(("stored", "read"), [
    (2.5, 2.5), (5, 5.0), (None, None), (0.0, None), (-1.0, None), (True, None), ("2.5", None),
])
def test_a_stored_spacing_is_read_only_when_it_is_a_positive_number(stored, read):
    assert stored_spacing(stored) == read


def test_a_cut_off_finding_says_its_size_may_be_larger():
    note = edge_note()
    assert "first or last image of the series" in note and "may be larger" in note


@pytest.mark.parametrize(("diameter", "frame", "edge", "expected"), [
    (5.0, "LPS", False, (True, False)),
    (5.0, "LPS", True, (True, True)),
    (20.0, "LPS", True, (False, True)),
    (5.0, "uncalibrated", True, (False, False)),  # no size in mm: nothing to qualify
    (None, "LPS", True, (False, False)),
])
def test_the_remarks_follow_the_size_the_reader_is_shown(diameter, frame, edge, expected):
    assert remarks(diameter, frame, 5.0, edge) == expected
