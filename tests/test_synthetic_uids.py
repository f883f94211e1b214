"""Synthetic DICOM UIDs: reproducible from the generator's seed, fresh without one."""

from __future__ import annotations

from pathlib import Path

import pydicom

from clinic_app.core.imaging.dicom_values import is_valid_uid
from clinic_app.synthetic.dicom_series import uid, write_cr, write_ct_series


def _uids(written) -> tuple[str, ...]:
    return (written.study_uid, written.series_uid, *written.sop_uids)


def test_the_same_seed_writes_the_same_uids_run_after_run(tmp_path: Path) -> None:
    """Two writes with one seed give identical UIDs, frame of reference included."""
    a = write_ct_series(tmp_path / "a", slices=3, rows=8, cols=8, seed=42)
    b = write_ct_series(tmp_path / "b", slices=3, rows=8, cols=8, seed=42)
    assert _uids(a) == _uids(b)
    refs = {str(pydicom.dcmread(p).FrameOfReferenceUID) for p in (*a.paths, *b.paths)}
    assert len(refs) == 1


def test_another_seed_or_no_seed_gives_new_uids(tmp_path: Path) -> None:
    """Another seed changes every UID; without a seed, two calls never share one."""
    base = set(_uids(write_ct_series(tmp_path / "a", slices=3, rows=8, cols=8, seed=42)))
    other = set(_uids(write_ct_series(tmp_path / "b", slices=3, rows=8, cols=8, seed=43)))
    free1 = set(_uids(write_cr(tmp_path / "c.dcm", rows=8, cols=8)))
    free2 = set(_uids(write_cr(tmp_path / "d.dcm", rows=8, cols=8)))
    assert not base & other and not free1 & free2 and not base & free1


def test_seeded_uids_are_valid_and_depend_on_every_part() -> None:
    """A seeded UID is a valid 2.25 UID of at most 64 characters, different per purpose."""
    made = {uid(7, "study"), uid(7, "series", 1), uid(7, "series", 2), uid("7", "study", "")}
    assert len(made) == 4
    assert all(u.startswith("2.25.") and is_valid_uid(u) for u in made)
    assert uid(7, "study") == uid(7, "study")
