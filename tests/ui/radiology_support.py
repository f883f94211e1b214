"""Helpers for the radiology GUI tests: generated studies imported into a real store."""

from __future__ import annotations

from pathlib import Path

from clinic_app.services import Session
from clinic_app.synthetic.dicom_series import Demographics, WrittenSeries, write_cr, write_ct_series
from tests.conftest import StoreFixture

#: A small CT with non-unit, anisotropic spacing: 0.8 mm pixels, 2.5 mm between slices.
CT_PIXEL_MM = 0.8
CT_SPACING_MM = 2.5


def import_ct(store: StoreFixture, folder: Path, *, slices: int = 24, size: int = 128,
              demographics: Demographics | None = None, seed: int = 0,
              description: str = "CT CHEST ABDOMEN", study_date: str = "2025-11-03") -> tuple[Session, WrittenSeries]:
    folder.mkdir(parents=True, exist_ok=True)
    written = write_ct_series(folder, demographics=demographics or Demographics(), slices=slices, rows=size, cols=size,
                              pixel_mm=CT_PIXEL_MM, spacing_mm=CT_SPACING_MM, seed=seed,
                              description=description, study_date=study_date,
                              origin=(-size * CT_PIXEL_MM / 2, -size * CT_PIXEL_MM / 2, -100.0))
    session = store.login("rad")
    report = store.services.imaging.import_dicom(session, [folder])
    assert report.imported == len(written.paths)
    return session, written


def import_cr(store: StoreFixture, session: Session, folder: Path, *,
              demographics: Demographics | None = None, seed: int = 2) -> WrittenSeries:
    folder.mkdir(parents=True, exist_ok=True)
    written = write_cr(folder / "cr.dcm", demographics=demographics or Demographics(), seed=seed)
    store.services.imaging.import_dicom(session, [folder])
    return written
