"""Helpers for the radiology GUI tests: generated studies imported into a real store."""

from __future__ import annotations

from pathlib import Path

from clinic_app.services import Services, Session
from clinic_app.synthetic.dicom_series import Demographics, WrittenSeries, write_cr, write_ct_series
from tests.conftest import PASSWORDS, StoreFixture

#: A small CT with non-unit, anisotropic spacing: 0.8 mm pixels, 2.5 mm between slices.
CT_PIXEL_MM = 0.8
CT_SPACING_MM = 2.5


def import_ct(store: StoreFixture, folder: Path, *, slices: int = 24, size: int = 128,
              demographics: Demographics | None = None, seed: int | None = None,
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
              demographics: Demographics | None = None, seed: int | None = None) -> WrittenSeries:
    folder.mkdir(parents=True, exist_ok=True)
    written = write_cr(folder / "cr.dcm", demographics=demographics or Demographics(), seed=seed)
    store.services.imaging.import_dicom(session, [folder])
    return written


BRIGHT_WINDOW = {"inputs__image__preprocessing__window": {"center": 1000, "width": 1000}}
#: One bright nodule (2000 HU) at voxel (k=8, j=60, i=80), 4 mm radius.
NODULE = (8.0, 60.0, 80.0)


def analysed_ct(store: StoreFixture, tmp_path: Path, radius_mm: float = 4.0,
                centre: tuple[float, float, float] = NODULE) -> tuple[Services, Session, WrittenSeries]:
    """Services with an exact test model installed, and a CT (20 slices 2.5 mm apart) with
    a planted nodule (``radius_mm`` at voxel ``centre``) analysed."""
    import numpy as np

    from clinic_app.synthetic.lesions import CtLesion, plant_ct_lesions
    from tests.ai_support import manifest, package, threshold_model

    site = tmp_path / "site-models"
    site.mkdir()
    package(site / "bright", threshold_model(level=0.85),
            manifest(id="bright", name="Bright nodule test model", **BRIGHT_WINDOW))
    services = Services(store.settings(models_dir=site, allow_unsigned_models=True), clock=store.clock)
    folder = tmp_path / "ct"
    folder.mkdir()
    written = write_ct_series(folder, slices=20, rows=128, cols=128, pixel_mm=CT_PIXEL_MM,
                              spacing_mm=CT_SPACING_MM, seed=5)
    plant_ct_lesions(written.paths, [CtLesion(centre, (radius_mm,) * 3, 2000.0)], np.random.default_rng(5))
    session = services.auth.login("rad", PASSWORDS["rad"])
    services.imaging.import_dicom(session, [folder])
    (run,) = services.analysis.analyze(session, written.study_uid, "bright")
    assert any(f.flagged for f in run.findings)
    return services, session, written
