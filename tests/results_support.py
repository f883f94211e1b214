"""Shared set-up for the DICOM output tests: an analysed phantom CT in a real store.

The synthetic series writer gives each slice its own FrameOfReferenceUID (its ``uid``
helper is not deterministic under pydicom 3), which no scanner does and which highdicom
rightly refuses for a SEG; the phantom here is written with one frame of reference.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pydicom
import pytest

from clinic_app.services import Services, Session
from clinic_app.synthetic.dicom_series import Demographics, write_ct_series
from clinic_app.synthetic.lesions import CtLesion, plant_ct_lesions
from tests.ai_support import manifest, threshold_model
from tests.ai_support import package as write_test_package
from tests.conftest import PASSWORDS, StoreFixture

BRIGHT = {"inputs__image__preprocessing__window": {"center": 1000, "width": 1000}}
LESIONS = [CtLesion((6.0, 40.0, 50.0), (4.0, 4.0, 4.0), 2000.0),
           CtLesion((15.0, 100.0, 110.0), (5.0, 5.0, 5.0), 2000.0)]
PATIENT = Demographics(name="Quixote^Dulcinea", patient_id="MRN-778899",
                       birth_date="1961-04-12", sex="F")
DCIODVFY = shutil.which("dciodvfy")


@dataclass
class Analysed:
    services: Services
    study_uid: str
    series_uid: str
    folder: Path

    def login(self, name: str = "rad") -> Session:
        return self.services.auth.login(name, PASSWORDS[name])


def write_phantom(folder: Path, *, slices: int = 20) -> tuple[str, str]:
    written = write_ct_series(folder, slices=slices, rows=160, cols=160, pixel_mm=1.5,
                              spacing_mm=2.5, origin=(-120.0, -110.0, -300.0), seed=7,
                              demographics=PATIENT)
    plant_ct_lesions(written.paths, LESIONS, np.random.default_rng(7))
    frame_of_reference = pydicom.uid.generate_uid()
    for path in written.paths:
        ds = pydicom.dcmread(path)
        ds.FrameOfReferenceUID = frame_of_reference
        ds.save_as(path, enforce_file_format=True)
    return written.study_uid, written.series_uid


def analysed(services: Services, site: Path, tmp: Path) -> Analysed:
    write_test_package(site / "bright", threshold_model(level=0.85),
                       manifest(id="bright", **BRIGHT))
    study, series = write_phantom(tmp / "ct")
    sess = services.auth.login("rad", PASSWORDS["rad"])
    services.imaging.import_dicom(sess, [tmp / "ct"])
    services.analysis.analyze(sess, study, "bright")
    return Analysed(services, study, series, tmp / "ct")


@pytest.fixture(name="study")
def analysed_study(store: StoreFixture, tmp_path: Path) -> Iterator[Analysed]:
    """A phantom CT with two bright lesions, imported and analysed by the threshold model."""
    site = tmp_path / "site-models"
    site.mkdir()
    services = Services(store.settings(models_dir=site, allow_unsigned_models=True),
                        clock=store.clock)
    yield analysed(services, site, tmp_path)
    services.close()


def dciodvfy_errors(path: Path) -> list[str]:
    """The Error lines dciodvfy prints for a file (dicom3tools, the independent checker)."""
    assert DCIODVFY, "dciodvfy (Debian package dicom3tools) is needed"
    out = subprocess.run([DCIODVFY, str(path)], capture_output=True, text=True, timeout=120)
    return [line for line in (out.stdout + out.stderr).splitlines() if line.startswith("Error")]
