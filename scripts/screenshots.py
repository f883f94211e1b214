"""Save a PNG of each screen into docs/screenshots/ (for the README and for review).

Run offscreen (no display needed) or under Xvfb:

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [--only NAME ...] [--out DIR]

Screens come from a freshly built demo store in a temporary folder, so every picture
shows synthetic data only. Each screen is a function registered in ``SCREENS``; add
yours there. Look at the pictures after changing a screen: text must fit, nothing may
overlap, images must be the right way up.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CLINIC_APP_SITE_CONFIG", os.devnull)
os.environ.setdefault("CLINIC_APP_USER_CONFIG", os.devnull)

from PySide6.QtCore import QEventLoop, QTimer, SignalInstance
from PySide6.QtWidgets import QApplication, QWidget

from clinic_app.config import Settings
from clinic_app.demo import DemoPlan, build_demo
from clinic_app.services import Services
from clinic_app.ui.app import create_application
from clinic_app.ui.workers import WorkerPool

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"


def wait_for(signal: SignalInstance, accept: Callable[..., bool] = lambda *a: True,
             timeout_ms: int = 60_000) -> None:
    """Run the event loop until ``signal`` fires with arguments ``accept`` likes."""
    loop = QEventLoop()
    done = {"ok": False}

    def slot(*args: object) -> None:
        if accept(*args):
            done["ok"] = True
            loop.quit()

    signal.connect(slot)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    signal.disconnect(slot)
    if not done["ok"]:
        raise TimeoutError(f"no {signal} within {timeout_ms} ms")


def settle(ms: int = 150) -> None:
    """Let queued paints and layouts run (screenshots only; tests wait on signals)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


#: Set by --leftovers: the file each screen's remaining English texts are appended to.
LEFTOVERS: Path | None = None


def save(widget: QWidget, out: Path, name: str) -> Path:
    settle()
    if LEFTOVERS is not None:
        sys.path.insert(0, str(ROOT))
        from tests.i18n_walk import leftovers

        with LEFTOVERS.open("a", encoding="utf-8") as listing:
            listing.write(f"## {name}\n" + "".join(f"  {t}\n" for t in leftovers(widget)))
    path = out / f"{name}.png"
    widget.grab().save(str(path))
    print(f"saved {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return path


class Demo:
    """A demo store built once per run, shared by the screens that need one."""

    def __init__(self) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="clinic-shots-")
        self.root = Path(self._tmp.name)
        self.settings = Settings(store_dir=self.root / "store", log_dir=self.root / "logs")
        build_demo(self.settings, DemoPlan(), report=lambda _t: None)
        self.services = Services(self.settings)

    def close(self) -> None:
        self.services.close()
        self._tmp.cleanup()


# -- radiology ---------------------------------------------------------------------------------
def _radiology(demo: Demo, pool: WorkerPool) -> QWidget:
    from clinic_app.ui.radiology.workspace import RadiologyWorkspace

    session = demo.services.auth.login("radiologist", "demo-radiologist-1")
    ws = RadiologyWorkspace(demo.services, session, pool)
    ws.resize(1440, 900)
    ws.show()
    wait_for(ws.worklist_loaded)
    return ws


def wait_until(ready: Callable[[], bool], timeout_ms: int = 60_000) -> None:
    """Run the event loop until ``ready()`` (polled every 20 ms; screenshots only)."""
    clock = 0
    while not ready():
        settle(20)
        clock += 20
        if clock > timeout_ms:
            raise TimeoutError("the screen did not get ready")


def _open_study(ws: QWidget, modality: str) -> None:
    """Open the first flagged study of a modality; return when its image and findings are in."""
    rows = [r for r in ws.worklist.model.rows if r.study.modalities == (modality,) and r.ai_status.value == "flagged"]
    ws.open_study(rows[0].uid)
    canvas = ws.viewer.active_canvas
    wait_until(lambda: ws.study is not None and ws.study.study.study_uid == rows[0].uid
               and canvas.display is not None and canvas.display.complete
               and ws.findings.list.count() > 0)


def radiology_screens(demo: Demo, pool: WorkerPool, out: Path) -> list[Path]:
    from clinic_app.ui.radiology.import_dialog import DicomImportDialog
    from clinic_app.ui.radiology.viewer import Layout

    saved = []
    ws = _radiology(demo, pool)
    first = ws.worklist.visible_uids()[0]
    ws.worklist.select(first)
    wait_for(ws.preview_loaded, lambda uid: uid == first)
    saved.append(save(ws, out, "radiology-worklist"))
    _open_study(ws, "CT")
    panel = ws.findings
    panel.list.setCurrentRow(0)
    wait_for(panel.finding_selected, lambda _uid, ov: ov.heat is not None)
    panel.opacity.setValue(55)
    ws.viewer.active_canvas.set_zoom(1.0)
    saved.append(save(ws, out, "radiology-viewer-finding"))
    ws.viewer.set_layout(Layout.MPR)
    canvas = ws.viewer.viewports[0].canvas
    current = panel.current
    if current is not None and current.bbox_px:
        b = current.bbox_px
        import numpy as np

        centre = np.array([(b["col"][0] + b["col"][1]) / 2, (b["row"][0] + b["row"][1]) / 2,
                           current.slice_index], dtype=float)
        canvas.set_cursor(centre)
        canvas.cursor_moved.emit(centre)
    saved.append(save(ws, out, "radiology-mpr"))
    ws.viewer.set_layout(Layout.ONE)
    saved += reading_room_screens(ws, out)
    ws.tabs.setCurrentIndex(0)
    _open_study(ws, "CR")
    panel.list.setCurrentRow(0)
    wait_for(panel.finding_selected, lambda _uid, ov: ov.heat is not None)
    saved.append(save(ws, out, "radiology-cr-cam"))
    ws.shutdown()

    # import report: a folder with good images and two files that cannot be imported
    from clinic_app.synthetic.dicom_series import write_ct_series

    folder = demo.root / "incoming"
    written = write_ct_series(folder, slices=6, rows=64, cols=64, seed=99, description="CT IMPORT")
    (folder / "README.txt").write_text("not an image")
    data = written.paths[0].read_bytes()
    (folder / "IM_TRUNCATED.dcm").write_bytes(data[: len(data) // 3])
    session = demo.services.auth.login("radiologist", "demo-radiologist-1")
    dialog = DicomImportDialog(demo.services, session, pool)
    dialog.add_source(folder)
    dialog.show()
    dialog.start()
    wait_for(dialog.imported)
    saved.append(save(dialog, out, "radiology-import-report"))
    dialog.close()
    return saved


SIZES = ((1280, 800), (1920, 1080))


def reading_room_screens(ws: QWidget, out: Path) -> list[Path]:
    """Issue 20: the CT beside its prior (linked), the measurement list, the key file, at
    both screen sizes; then the window goes back to its usual size."""
    saved = []
    uid = ws.study.study.study_uid
    first, second = ws.viewer.viewports[0].canvas, ws.viewer.viewports[1].canvas
    ws.open_study(uid, with_prior=True)
    wait_until(lambda: ws.compare.prior is not None and all(
        c.display is not None and c.display.complete for c in (first, second))
        and not ws.pool.active_count)  # thumbnails and findings too (they queue behind the images)
    first.set_slice(20)
    first.add_length((120, 150), (200, 180))
    first.add_roi((220, 160), (260, 200))
    for width, height in SIZES:
        ws.resize(width, height)
        saved.append(save(ws, out, f"radiology-priors-{width}x{height}"))
    ws.side_tabs.setCurrentIndex(1)
    ws.measurement_sync.flush()
    wait_for(ws.measurements.listed, lambda n: n >= 2)
    for width, height in SIZES:
        ws.resize(width, height)
        saved.append(save(ws, out, f"radiology-measurements-{width}x{height}"))
    ws.side_tabs.setCurrentIndex(0)
    from clinic_app.ui.radiology.keys_dialog import show_key_file
    from clinic_app.ui.radiology.reader_files import ReaderFiles

    # The run's config is /dev/null; show where a reader's file lives on a Linux desktop.
    files = ReaderFiles(ws.session.username, Path.home() / ".config" / "clinic-app")
    box = show_key_file(ws, files, ws._load_keys)
    saved.append(save(box, out, "radiology-my-keys"))
    box.close()
    ws.tabs.setCurrentIndex(0)
    for width, height in SIZES:
        ws.resize(width, height)
        saved.append(save(ws, out, f"radiology-worklist-{width}x{height}"))
    ws.resize(1440, 900)
    return saved


# -- physician ---------------------------------------------------------------------------------
#: The theme of this run; physician screens carry it in their names (charts must read in both).
THEME = ["dark"]


def physician_screens(demo: Demo, pool: WorkerPool, out: Path) -> list[Path]:
    from clinic_app.ui.physician.workspace import PhysicianWorkspace

    name, password = _demo_user("physician")
    session = demo.services.auth.login(name, password)
    ws = PhysicianWorkspace(demo.services, session, pool)
    ws.resize(1500, 900)
    ws.show()
    wait_until(lambda: not pool.active_count and ws.table_model.rowCount() > 0)
    saved = [save(ws, out, f"physician-list-{THEME[0]}")]
    for width, height in SIZES:  # no patient open: the list has the whole width
        ws.resize(width, height)
        saved.append(save(ws, out, f"physician-list-{width}x{height}-{THEME[0]}"))
    ws.resize(1500, 900)
    results = [r for r in demo.services.risk_overview.latest_results(session) if r.computed]
    # The patient with the most computed scores, showing a continuous (percent) model.
    by_patient: dict[int, set[str]] = {}
    for r in results:
        by_patient.setdefault(r.patient_key, set()).add(r.model_id)
    key = max(by_patient, key=lambda k: (len(by_patient[k] & {"pce-ascvd-10y", "framingham-cvd-10y"}),
                                         len(by_patient[k])))
    model = next(m for m in ("prevent-10y", "pce-ascvd-10y", "framingham-cvd-10y", "cha2ds2-vasc")
                 if m in by_patient[key])
    ws.select_patient(key)
    wait_until(lambda: not pool.active_count and ws.current is not None)
    ws.tabs.setCurrentIndex(0)
    saved.append(save(ws, out, f"physician-summary-{THEME[0]}"))
    ws.tabs.setCurrentIndex(1)
    ws.risk_panel.select_model(model)
    saved.append(save(ws, out, f"physician-risk-{THEME[0]}"))
    for width, height in ((1280, 800), (1920, 1080)):  # the sizes physicians' screens have
        ws.resize(width, height)
        settle()
        saved.append(save(ws, out, f"physician-risk-{width}x{height}-{THEME[0]}"))
    ws.resize(1500, 900)
    for tab, name in ((0, "summary"), (2, "trends"), (3, "whatif")):
        ws.tabs.setCurrentIndex(tab)
        wait_until(lambda: not pool.active_count)
        for width, height in SIZES:
            ws.resize(width, height)
            saved.append(save(ws, out, f"physician-{name}-{width}x{height}-{THEME[0]}"))
    ws.resize(1500, 900)
    ws.tabs.setCurrentIndex(2)
    wait_until(lambda: not pool.active_count)
    saved.append(save(ws, out, f"physician-trends-{THEME[0]}"))
    ws.tabs.setCurrentIndex(3)
    panel = ws.what_if
    panel.select_model(model)
    panel._set_number("systolic_bp", 120.0)
    panel._set_choice("smoker", "no")
    panel.compute_button.click()
    wait_until(lambda: not pool.active_count and not panel.banner.isHidden())
    saved.append(save(ws, out, f"physician-whatif-{THEME[0]}"))
    if "pce-ascvd-10y" in by_patient[key]:  # the Estimator Plus therapy impact
        panel.select_model("pce-ascvd-10y")
        panel.statin_button.click()
        wait_until(lambda: not pool.active_count and "Estimator Plus" in panel.therapy.text())
        saved.append(save(ws, out, f"physician-therapy-{THEME[0]}"))
    ws.shutdown()
    return saved


# -- a Chinese site: SI units, China-PAR beside PCE and PREVENT --------------------------------
def _china_patient(root: Path) -> Path:
    """A synthetic patient with every input China-PAR, PCE and PREVENT need (SI lab units)."""
    import json

    pid = "cn1"

    def obs(code: str, value: float, unit: str, day: str = "2026-11-20") -> dict:
        return {"resourceType": "Observation", "id": f"{pid}-{code}-{day}", "status": "final",
                "code": {"coding": [{"system": "http://loinc.org", "code": code}]},
                "subject": {"reference": f"Patient/{pid}"}, "effectiveDateTime": day,
                "valueQuantity": {"value": value, "unit": unit,
                                  "system": "http://unitsofmeasure.org", "code": unit}}

    race = {"url": "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race",
            "extension": [{"url": "ombCategory", "valueCoding": {
                "system": "urn:oid:2.16.840.1.113883.6.238", "code": "2028-9"}}]}
    entries = [
        {"resourceType": "Patient", "id": pid, "extension": [race],
         "identifier": [{"system": "urn:mrn", "value": "CN-0001"}],
         "name": [{"family": "Wang", "given": ["Wei"]}], "gender": "male",
         "birthDate": "1966-04-12"},
        obs("14647-2", 5.6, "mmol/L"), obs("14646-4", 1.05, "mmol/L"),
        obs("14647-2", 6.1, "mmol/L", "2025-10-02"), obs("14646-4", 1.0, "mmol/L", "2025-10-02"),
        obs("8480-6", 146, "mm[Hg]"), obs("8462-4", 88, "mm[Hg]"),
        obs("8480-6", 152, "mm[Hg]", "2025-10-02"),
        obs("8280-0", 94, "cm"), obs("39156-5", 26.4, "kg/m2"), obs("38483-4", 84, "umol/L"),
        obs("15074-8", 6.2, "mmol/L"), obs("2571-8", 1.9, "mmol/L"),
        {"resourceType": "Observation", "id": f"{pid}-smk", "status": "final",
         "code": {"coding": [{"system": "http://loinc.org", "code": "72166-2"}]},
         "subject": {"reference": f"Patient/{pid}"}, "effectiveDateTime": "2026-11-20",
         "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct",
                                              "code": "449868002"}]}},
        {"resourceType": "Condition", "id": f"{pid}-fh",
         "clinicalStatus": {"coding": [{
             "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
             "code": "active"}]},
         "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10", "code": "Z82.4",
                              "display": "Family history of ischaemic heart disease"}]},
         "subject": {"reference": f"Patient/{pid}"}, "onsetDateTime": "2020-01-01"},
    ]
    path = root / "china-patient.json"
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection",
                                "entry": [{"resource": r} for r in entries]}))
    return path


def china_screens(demo: Demo, pool: WorkerPool, out: Path) -> list[Path]:
    """SI units and China-PAR at a site that marks its patients as China-PAR's population."""
    import subprocess

    from clinic_app.ui.physician import site_units
    from clinic_app.ui.physician.workspace import PhysicianWorkspace

    demo.services.close()
    services = Services(Settings(store_dir=demo.settings.store_dir, log_dir=demo.root / "logs",
                                 display_units="si", china_par_population=True,
                                 china_par_region="north", china_par_urbanisation="urban"))
    name, password = _demo_user("physician")
    session = services.auth.login(name, password)
    assert services.records.import_files(session, [_china_patient(demo.root)]).ok
    services.risk.score_patient(session, "CN-0001")
    ws = PhysicianWorkspace(services, session, pool)
    ws.resize(1500, 900)
    ws.show()
    wait_until(lambda: not pool.active_count and ws.table_model.rowCount() > 0)
    key = next(p.key for p in ws.patients if p.mrn == "CN-0001")
    ws.select_patient(key)
    wait_until(lambda: not pool.active_count and ws.current is not None)
    saved = []
    for width, height in ((1280, 800), (1920, 1080)):
        ws.resize(width, height)
        ws.tabs.setCurrentIndex(0)
        saved.append(save(ws, out, f"china-summary-si-{width}x{height}"))
        ws.tabs.setCurrentIndex(1)
        ws.risk_panel.select_model("china-par-ascvd-10y")
        saved.append(save(ws, out, f"china-risk-si-{width}x{height}"))
    from clinic_app.ui.physician.family_history import FamilyHistoryDialog

    dialog = FamilyHistoryDialog("WANG, Wei", ws)
    dialog.show()
    saved.append(save(dialog, out, "china-family-history-dialog"))
    dialog.close()
    ws.resize(1500, 900)
    ws.tabs.setCurrentIndex(2)
    wait_until(lambda: not pool.active_count)
    saved.append(save(ws, out, "china-trends-si"))
    ws.tabs.setCurrentIndex(3)
    ws.what_if.select_model("china-par-ascvd-10y")
    ws.what_if._set_choice("smoker", "no")
    ws.what_if.compute_button.click()
    wait_until(lambda: not pool.active_count and not ws.what_if.banner.isHidden())
    saved.append(save(ws, out, "china-whatif-si"))
    ws.shutdown()
    pdf = services.risk_report.export(session, "CN-0001", folder=demo.root).pdf
    (out / "china-report-si.pdf").write_bytes(pdf.read_bytes())  # synthetic patient only
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-l", "3", str(pdf),
                    str(out / "china-report-si")],
                   check=True)
    saved.extend(sorted(out.glob("china-report-si*.png")))
    services.close()
    site_units.use("us")
    demo.services = Services(demo.settings)
    return saved


# -- a value entered for a missing input, saved to the record (issue 20) ----------------------
def _no_hdl_patient(root: Path) -> Path:
    """A synthetic patient whose record has every PCE input but HDL cholesterol."""
    import json

    pid = "nh1"

    def obs(code: str, value: float, unit: str) -> dict:
        return {"resourceType": "Observation", "id": f"{pid}-{code}", "status": "final",
                "code": {"coding": [{"system": "http://loinc.org", "code": code}]},
                "subject": {"reference": f"Patient/{pid}"}, "effectiveDateTime": "2026-11-20",
                "valueQuantity": {"value": value, "unit": unit,
                                  "system": "http://unitsofmeasure.org", "code": unit}}

    race = {"url": "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race",
            "extension": [{"url": "ombCategory", "valueCoding": {
                "system": "urn:oid:2.16.840.1.113883.6.238", "code": "2106-3"}}]}
    entries = [
        {"resourceType": "Patient", "id": pid, "extension": [race],
         "identifier": [{"system": "urn:mrn", "value": "NH-0001"}],
         "name": [{"family": "Hall", "given": ["Nora"]}], "gender": "female",
         "birthDate": "1962-03-08"},
        obs("2093-3", 212, "mg/dL"), obs("8480-6", 138, "mm[Hg]"),
        {"resourceType": "Observation", "id": f"{pid}-smk", "status": "final",
         "code": {"coding": [{"system": "http://loinc.org", "code": "72166-2"}]},
         "subject": {"reference": f"Patient/{pid}"}, "effectiveDateTime": "2026-11-20",
         "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct",
                                              "code": "266919005"}]}},
    ]
    path = root / "no-hdl-patient.json"
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection",
                                "entry": [{"resource": r} for r in entries]}))
    return path


def entered_screens(demo: Demo, pool: WorkerPool, out: Path) -> list[Path]:
    """HDL missing: entered in the what-if, "Save to the record…" and its dialog, then the
    risk panel using it with the source "entered by … on …", at both sizes."""
    from clinic_app.ui.physician.workspace import PhysicianWorkspace

    name, password = _demo_user("physician")
    session = demo.services.auth.login(name, password)
    assert demo.services.records.import_files(session, [_no_hdl_patient(demo.root)]).ok
    ws = PhysicianWorkspace(demo.services, session, pool)
    ws.resize(1280, 800)
    ws.show()
    wait_until(lambda: not pool.active_count and ws.table_model.rowCount() > 0)
    key = next(p.key for p in ws.patients if p.mrn == "NH-0001")
    ws.select_patient(key)
    wait_until(lambda: not pool.active_count and ws.current is not None)
    ws.tabs.setCurrentIndex(1)
    ws.risk_panel.select_model("pce-ascvd-10y")
    ws.risk_panel.detail.enter_missing.click()
    ws.what_if.controls["hdl_cholesterol"].setValue(48)  # type: ignore[attr-defined]
    ws.what_if.compute_button.click()
    wait_until(lambda: not pool.active_count and not ws.what_if.banner.isHidden())
    saved = []
    for width, height in SIZES:
        ws.resize(width, height)
        saved.append(save(ws, out, f"physician-entered-whatif-{width}x{height}"))
    box = ws.what_if.save_entered
    box.button.click()
    assert box.dialog is not None
    box.dialog.reason.setText("measured in clinic today")
    saved.append(save(box.dialog, out, "physician-entered-save-dialog"))
    box.dialog.accept()
    wait_until(lambda: not pool.active_count and ws.current is not None)
    ws.tabs.setCurrentIndex(1)
    ws.risk_panel.select_model("pce-ascvd-10y")
    for width, height in SIZES:
        ws.resize(width, height)
        saved.append(save(ws, out, f"physician-entered-risk-{width}x{height}"))
    ws.shutdown()
    return saved


# -- shell: sign-in, setup, lock, help, about --------------------------------------------------
def _demo_user(role: str) -> tuple[str, str]:
    from clinic_app.demo import DEMO_USERS

    user = next(u for u in DEMO_USERS if u.role.value == role)
    return user.username, user.password


def _admin_window(demo: Demo, specs: list | None = None) -> QWidget:
    from clinic_app.ui.shell.registry import load_specs
    from clinic_app.ui.shell.window import MainWindow

    name, password = _demo_user("admin")
    win = MainWindow(demo.services, demo.services.auth.login(name, password),
                     specs if specs is not None else load_specs())
    win.resize(1280, 800)
    win.show()
    if win.pool.active_count:
        wait_for(win.pool.all_finished)
    return win


def shell_screens(demo: Demo, pool: WorkerPool, out: Path) -> list[Path]:
    from clinic_app.core.security.roles import Role
    from clinic_app.ui.login.dialog import LoginDialog
    from clinic_app.ui.login.password_change import ChangePasswordDialog
    from clinic_app.ui.setup.wizard import SetupWizard
    from clinic_app.ui.shell.info import about_dialog, help_dialog

    saved = []
    login = LoginDialog(demo.services, pool, username="radiologist")
    login.show()
    saved.append(save(login, out, "login"))
    login.password.edit.setText("wrong-password")
    login.submit()
    wait_for(pool.all_finished)
    login.password.caps_warning.setVisible(True)  # as after a letter typed with Caps Lock on
    saved.append(save(login, out, "login-failed-caps-lock"))
    login.close()

    admin_name, admin_password = _demo_user("admin")
    admin = demo.services.auth.login(admin_name, admin_password)
    demo.services.accounts.add(admin, "jsmith", Role.RADIOLOGIST, "temporary-pass-12")
    session = demo.services.auth.login("jsmith", "temporary-pass-12")
    change = ChangePasswordDialog(demo.services, session, pool, current="temporary-pass-12",
                                  forced=True)
    change.show()
    saved.append(save(change, out, "password-change-forced"))
    change.close()

    # First-run setup on an empty folder
    empty = Services(Settings(store_dir=demo.root / "first-run" / "store",
                              log_dir=demo.root / "first-run" / "logs"))
    wizard = SetupWizard(empty, pool)
    wizard.show()
    wizard.next()
    fields = wizard.admin_page.fields
    fields.name.setText("itadmin")
    fields.password.edit.setText("admin-password-123")
    fields.repeat.edit.setText("admin-password-123")
    saved.append(save(wizard, out, "setup-admin"))
    wizard.next()
    f = wizard.clinician_page.fields
    f.name.setText("drlee")
    f.password.edit.setText("clinician-temp-123")
    f.repeat.edit.setText("clinician-temp-123")
    wizard.next()
    wait_for(wizard.currentIdChanged, lambda _i: wizard.currentPage() is wizard.next_page)
    saved.append(save(wizard, out, "setup-next-steps"))
    wizard.accept()
    empty.close()

    win = _admin_window(demo)
    saved.append(save(help_dialog(win, win.shortcut_rows()), out, "help-shortcuts"))
    about = about_dialog(win, demo.services)
    about.show()
    saved.append(save(about, out, "about"))
    about.close()
    win.lock("idle")
    saved.append(save(win, out, "lock-screen"))
    win.lock_screen.show_other_user(True)
    saved.append(save(win, out, "lock-screen-other-user"))
    win.shutdown()
    return saved


def admin_screens(demo: Demo, pool: WorkerPool, out: Path) -> list[Path]:
    from clinic_app.ui.theme import apply_theme

    saved = []
    win = _admin_window(demo)
    ws = win.workspaces[0]
    saved.append(save(win, out, "admin-users"))
    ws.tabs.setCurrentWidget(ws.audit)
    wait_for(win.pool.all_finished)
    ws.audit.verify()
    wait_for(win.pool.all_finished)
    saved.append(save(win, out, "admin-audit-verified"))
    ws.tabs.setCurrentWidget(ws.models)
    wait_for(win.pool.all_finished, timeout_ms=300_000)
    saved.append(save(win, out, "admin-models"))
    ws.tabs.setCurrentWidget(ws.settings)
    saved.append(save(win, out, "admin-settings"))
    ws.tabs.setCurrentWidget(ws.system)
    wait_for(win.pool.all_finished)
    saved.append(save(win, out, "admin-system"))
    app = QApplication.instance()
    apply_theme(app, "light")
    ws.tabs.setCurrentWidget(ws.users)
    saved.append(save(win, out, "admin-users-light"))
    apply_theme(app, "dark")
    # A tampered audit chain, on a throw-away copy of the store's log
    ws.tabs.setCurrentWidget(ws.audit)
    win.session.system.execute("UPDATE audit SET user = 'mallory' WHERE seq = 7")
    ws.audit.refresh()
    wait_for(win.pool.all_finished)
    ws.audit.verify()
    wait_for(win.pool.all_finished)
    saved.append(save(win, out, "admin-audit-tampered"))
    win.shutdown()
    return saved


#: name → function(demo, pool, out) returning the PNGs it saved.
SCREENS: dict[str, Callable[[Demo, WorkerPool, Path], list[Path]]] = {
    "radiology": radiology_screens,
    "physician": physician_screens,
    "china": china_screens,
    "entered": entered_screens,
    "shell": shell_screens,
    "admin": admin_screens,  # last: it tampers with the demo store's audit log
}


def prevent_screens(demo: Demo, pool: WorkerPool, out: Path) -> list[Path]:
    """The PREVENT add-on models (scripts/screenshots_prevent.py)."""
    from screenshots_prevent import prevent_screens as screens

    return screens(demo, pool, out)


SCREENS = {"prevent": prevent_screens, **SCREENS}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=sorted(SCREENS), help="screens to save")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--theme", choices=("dark", "light"), default="dark")
    parser.add_argument("--lang", choices=("en", "zh_CN"), default="en",
                        help="interface language of the screens")
    parser.add_argument("--leftovers", type=Path,
                        help="write the English texts left on each screen to this file")
    args = parser.parse_args(argv)
    global LEFTOVERS
    LEFTOVERS = args.leftovers
    if LEFTOVERS is not None:
        LEFTOVERS.write_text("", encoding="utf-8")
    args.out.mkdir(parents=True, exist_ok=True)
    THEME[0] = args.theme
    app = create_application(theme=args.theme, language=args.lang)
    pool = WorkerPool()
    demo = Demo()
    try:
        for name in args.only or list(SCREENS):  # in order: "admin" tampers, so it runs last
            SCREENS[name](demo, pool, args.out)
    finally:
        pool.cancel_all()
        pool.wait(30_000)
        demo.close()
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
