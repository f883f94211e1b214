"""The demo store: users for each role, a synthetic cohort with records, CT and CR studies
for those patients, and the shipped demo models already run on them.

``clinic-app demo`` builds it (Qt-free, here) and opens the desktop app on it. Nothing in
it is real: patients come from :mod:`clinic_app.synthetic.cohort`, images from
:mod:`clinic_app.synthetic.dicom_series` with lesions planted by
:mod:`clinic_app.synthetic.lesions` and :mod:`clinic_app.synthetic.radiograph_nodules`,
so the demo models have something to find. The studies carry the cohort's MRNs and
issuer, so imaging and records link to the same patients.

Safety: the demo lives in its own folder (never the configured clinical store unless
``--store`` names it), is marked by a ``demo-store.json`` file, and ``--reset`` deletes
only a folder that carries that mark. The demo passwords are printed and documented;
they are not secrets, and a demo store must never hold real patient data.

The build is kept short (well under a minute on two cores): modest CT series (48 slices
of 352² at 1 mm), 1024² radiographs, and a dozen patients.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from clinic_app.config import Settings, default_store_dir
from clinic_app.core.security.roles import Role
from clinic_app.errors import ClinicAppError, InvalidInput
from clinic_app.services import Services, Session
from clinic_app.services.store_init import NewAccount
from clinic_app.synthetic.cohort import generate_cohort
from clinic_app.synthetic.dicom_series import Demographics, write_cr, write_ct_series
from clinic_app.synthetic.lesions import CtLesion, plant_ct_lesions
from clinic_app.synthetic.patients import Demographics as CohortPerson
from clinic_app.synthetic.radiograph_nodules import CrNodule, plant_cr_nodules

MARKER = "demo-store.json"
COHORT_SIZE = 12
#: The cohort keeps a real clinic's gaps (no HDL on file, race not recorded, no visit this
#: year), drawn at random; with seed 7, 7 of the 12 demo patients had no ASCVD score. Seed
#: 17 leaves two such patients, so "cannot compute: missing …" is still shown, and most
#: patients get every score (tests/test_demo.py counts them).
COHORT_SEED = 17


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    password: str

    @property
    def title(self) -> str:
        return {Role.ADMIN: "IT administrator", Role.RADIOLOGIST: "Radiologist",
                Role.PHYSICIAN: "Physician"}[self.role]


#: Published demo credentials (README, terminal). Not secrets: the demo holds no real data.
DEMO_USERS = (
    DemoUser("radiologist", Role.RADIOLOGIST, "demo-radiologist-1"),
    DemoUser("physician", Role.PHYSICIAN, "demo-physician-1"),
    DemoUser("admin", Role.ADMIN, "demo-admin-pass-1"),
)


@dataclass(frozen=True)
class DemoStudy:
    """One generated study: whose, what, and which lesions were planted (the truth)."""

    patient: int  # index in the cohort
    modality: str  # "CT" | "CR"
    #: How many days before the demo is built the study was made: dates follow today, so
    #: the studies sit beside the records (also dated from today) and in the worklist's
    #: default date range.
    days_ago: int
    lesions: int
    analyse: bool = True

    def study_date(self, today: date) -> str:
        return (today - timedelta(days=self.days_ago)).isoformat()


#: Four CTs (two with lesions), four CRs (two with a nodule); the last CR is left for the
#: user to analyse with the "Analyse" button. The first patient's CT has a prior from ten
#: months before (one lesion then, two now), so "Open with prior" has something to show.
DEMO_STUDIES = (
    DemoStudy(0, "CT", 2, lesions=2),
    DemoStudy(1, "CT", 5, lesions=0),
    DemoStudy(2, "CT", 8, lesions=1),
    DemoStudy(3, "CT", 27, lesions=0),
    DemoStudy(0, "CR", 6, lesions=1),
    DemoStudy(4, "CR", 7, lesions=0),
    DemoStudy(5, "CR", 14, lesions=1),
    DemoStudy(6, "CR", 23, lesions=1, analyse=False),
    DemoStudy(0, "CT", 300, lesions=1, analyse=False),
)

CT_SIZE, CT_PIXEL_MM, CT_SPACING_MM = 352, 1.0, 2.5
CR_SIZE, CR_FOV_MM = 1024, 360.0

#: Lesions planted in the CTs (voxel centre k, j, i; radii mm; peak HU), placed in the
#: phantom's anatomy (lungs in the upper half of the 12 cm stack, liver in the lower): a
#: solid nodule in the right lung and a hyperdense lesion in the liver, the kinds the demo
#: model was trained to find. At 1 mm pixels the data match the model's training range.
CT_LESIONS = (
    CtLesion((36.0, 165.0, 105.0), (6.0, 6.0, 6.0), 100.0),
    CtLesion((12.0, 175.0, 125.0), (6.0, 6.0, 6.0), 210.0),
)
#: Radiograph nodules: centre (row, col) px on the 1024² film, radius mm, attenuation.
CR_NODULES = (CrNodule((430.0, 330.0), 9.0, 0.3), CrNodule((520.0, 700.0), 8.0, 0.28))

Report = Callable[[str], None]


@dataclass(frozen=True)
class DemoPlan:
    """What to generate: the README's demo by default; tests use a smaller one."""

    patients: int = COHORT_SIZE
    studies: tuple[DemoStudy, ...] = DEMO_STUDIES
    ct_slices: int = 48


SMALL_PLAN = DemoPlan(patients=2, studies=(DemoStudy(0, "CT", 2, lesions=2),
                                           DemoStudy(1, "CR", 6, lesions=1)), ct_slices=40)


@dataclass(frozen=True)
class DemoResult:
    store_dir: Path
    built: bool  # False: an existing demo store was reused
    seconds: float = 0.0
    studies: int = 0
    flagged: int = 0
    patients: int = 0


def default_demo_dir() -> Path:
    """Beside the platform's default store, never inside it."""
    return default_store_dir().parent / "demo-store"


def is_demo_store(store_dir: Path) -> bool:
    return (store_dir / MARKER).is_file()


def login_text(store_dir: Path) -> str:
    """How to sign in, for the terminal (the demo passwords are meant to be printed)."""
    width = max(len(u.username) for u in DEMO_USERS)
    lines = [f"Demo store: {store_dir}", "Sign in as:"]
    for u in DEMO_USERS:
        lines.append(f"  {u.username.ljust(width)}  password: {u.password:<20}  ({u.title})")
    lines.append("These accounts and every patient in this store are synthetic demo data.")
    return "\n".join(lines)


def prepare(settings: Settings, *, reset: bool, report: Report) -> bool:
    """Decide whether to build: False when a demo store is already there (and kept).

    Refuses to touch a folder that holds anything but a demo store.
    """
    root = settings.store_dir
    if root.exists() and any(root.iterdir()):
        if not is_demo_store(root):
            raise InvalidInput(f"{root} holds something that is not a demo store; it is left "
                               "alone. Choose another folder with --store.")
        if not reset:
            report(f"A demo store already exists at {root}; using it (--reset rebuilds it).")
            return False
        report(f"Deleting the demo store at {root} (--reset).")
        shutil.rmtree(root)
    return True


def build_demo(settings: Settings, plan: DemoPlan = DemoPlan(), *, report: Report = print) -> DemoResult:
    """Create the demo store at ``settings.store_dir`` (which must be empty or absent)."""
    start = time.perf_counter()
    root = settings.store_dir
    if root.exists() and any(root.iterdir()):
        raise InvalidInput(f"{root} is not empty; the demo is only built into a new folder.")
    # The demo analyses explicitly below; an auto-analysis on import would run them twice.
    settings = replace(settings, auto_analyze_on_import=False)
    services = Services(settings)
    try:
        root.mkdir(parents=True, exist_ok=True)
        (root / MARKER).write_text(json.dumps({"demo": True, "format": 1}) + "\n", encoding="utf-8")
        sessions = _accounts(services, report)
        # Records dated up to yesterday, so the scores a physician sees use current values
        # (the look-back windows are 12-24 months; a fixed past date would age out of them).
        as_of = (services.clock() - timedelta(days=1)).replace(hour=12, minute=0, second=0,
                                                                  microsecond=0)
        cohort = generate_cohort(plan.patients, COHORT_SEED, as_of=as_of)
        with tempfile.TemporaryDirectory(prefix="clinic-demo-") as tmp:
            work = Path(tmp)
            report(f"Importing records of {plan.patients} synthetic patients…")
            bundle = cohort.write_bundle(work / "cohort.json")
            records = services.records.import_files(sessions[Role.PHYSICIAN], [bundle])
            if not records.ok:
                raise ClinicAppError("The demo records did not import; see the log.")
            report(f"Writing {len(plan.studies)} CT and CR studies…")
            today = services.clock().date()
            written = [_write_study(work / f"study{n}", n, s, cohort.patients[s.patient].demographics,
                                    plan.ct_slices, s.study_date(today)) for n, s in enumerate(plan.studies)]
            rad = sessions[Role.RADIOLOGIST]
            imported = services.imaging.import_dicom(rad, [folder for folder, _uid in written])
            if imported.skipped or len(imported.studies) != len(plan.studies):
                raise ClinicAppError("Some demo images did not import; see the log.")
        flagged = 0
        for study, (_folder, study_uid) in zip(plan.studies, written, strict=True):
            if not study.analyse:
                continue
            report(f"Running the demo {study.modality} model on the study of {study.study_date(today)}…")
            for run in services.analysis.analyze(rad, study_uid, trigger="demo"):
                flagged += run.flagged
        report("Scoring risk for every patient…")
        services.risk.score_all(sessions[Role.PHYSICIAN])
        for session in sessions.values():
            services.auth.logout(session)
    except BaseException:
        services.close()
        shutil.rmtree(root, ignore_errors=True)  # a half-built demo is never left behind
        raise
    services.close()
    return DemoResult(root, True, time.perf_counter() - start, len(plan.studies), flagged,
                      plan.patients)


def _accounts(services: Services, report: Report) -> dict[Role, Session]:
    """Create the demo users through the real custody flow: each clinician signs in once
    and sets their password (making their own keys); the first creates the clinical key,
    and approves the second's grant request, so the demo never asks for anything at
    sign-in."""
    report("Creating the store and the demo users…")
    admin = next(u for u in DEMO_USERS if u.role is Role.ADMIN)
    clinicians = [u for u in DEMO_USERS if u.role is not Role.ADMIN]
    initial = {u.username: f"{u.password}-initial" for u in clinicians}
    services.auth.init_store(NewAccount(admin.username, Role.ADMIN, admin.password),
                             [NewAccount(u.username, u.role, initial[u.username]) for u in clinicians])
    for u in clinicians:
        session = services.auth.login(u.username, initial[u.username])
        services.auth.change_password(session, initial[u.username], u.password)
        services.auth.logout(session)
    holder = services.auth.login(clinicians[0].username, clinicians[0].password)
    for u in clinicians[1:]:
        services.grants.approve(holder, u.username)
    services.auth.logout(holder)
    return {u.role: services.auth.login(u.username, u.password) for u in clinicians}


def _dicom_person(p: CohortPerson) -> Demographics:
    return Demographics(patient_id=p.mrn, name=p.dicom_name, birth_date=p.birth_date.isoformat(),
                        sex="F" if p.sex == "female" else "M", issuer=p.issuer)


def _write_study(folder: Path, n: int, study: DemoStudy, person: CohortPerson,
                 slices: int, study_date: str) -> tuple[Path, str]:
    """Write one study's files; returns the folder and the study UID."""
    folder.mkdir(parents=True)
    rng = np.random.default_rng(1000 + n)
    seed = 500 + n
    if study.modality == "CT":
        half = CT_SIZE * CT_PIXEL_MM / 2
        written = write_ct_series(folder, demographics=_dicom_person(person), slices=slices,
                                  rows=CT_SIZE, cols=CT_SIZE, pixel_mm=CT_PIXEL_MM,
                                  spacing_mm=CT_SPACING_MM, slice_thickness_mm=CT_SPACING_MM,
                                  origin=(-half, -half, -60.0 - 12 * n), seed=seed,
                                  study_date=study_date, description="CT CHEST")
        plant_ct_lesions(written.paths, CT_LESIONS[:study.lesions], rng, vessels=40)
        return folder, written.study_uid
    path = folder / "cr.dcm"
    cr = write_cr(path, demographics=_dicom_person(person), rows=CR_SIZE, cols=CR_SIZE, seed=seed,
                  study_date=study_date)
    _set_detector_geometry(path, CR_FOV_MM / CR_SIZE)
    plant_cr_nodules(path, [CR_NODULES[(n // 2 + k) % 2] for k in range(study.lesions)], rng)
    return folder, cr.study_uid


def _set_detector_geometry(path: Path, pixel_mm: float) -> None:
    """A 36 cm field on the detector, as the demo classifier saw in training, and the PA
    view's PatientOrientation (rows run to the patient's left, columns to the feet: the
    phantom's heart is on the image's right), so the viewer shows its letters."""
    import pydicom

    ds = pydicom.dcmread(path)
    ds.ImagerPixelSpacing = [f"{pixel_mm:.6g}", f"{pixel_mm:.6g}"]
    ds.PatientOrientation = ["L", "F"]
    ds.save_as(path, enforce_file_format=True)
