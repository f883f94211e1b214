"""Physician screens for scripts/screenshots.py: the patient list, summary, risk, trends and
what-if tabs; a Chinese site (SI units, China-PAR); a value entered for a missing input."""

from __future__ import annotations

from pathlib import Path

from screen_capture import SIZES, THEME, Demo, demo_user, save, settle, wait_until
from screen_patients import china_patient, no_hdl_patient

from clinic_app.config import Settings
from clinic_app.services import Services
from clinic_app.ui.workers import WorkerPool


def physician_screens(demo: Demo, pool: WorkerPool, out: Path) -> list[Path]:
    from clinic_app.ui.physician.workspace import PhysicianWorkspace

    name, password = demo_user("physician")
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
def china_screens(demo: Demo, pool: WorkerPool, out: Path) -> list[Path]:
    """SI units and China-PAR at a site that marks its patients as China-PAR's population."""
    import subprocess

    from clinic_app.ui.physician import site_units
    from clinic_app.ui.physician.workspace import PhysicianWorkspace

    demo.services.close()
    services = Services(Settings(store_dir=demo.settings.store_dir, log_dir=demo.root / "logs",
                                 display_units="si", china_par_population=True,
                                 china_par_region="north", china_par_urbanisation="urban"))
    name, password = demo_user("physician")
    session = services.auth.login(name, password)
    assert services.records.import_files(session, [china_patient(demo.root)]).ok
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
    ws.tabs.setCurrentIndex(2)
    wait_until(lambda: not pool.active_count)
    for width, height in SIZES:  # the gap line ("could not be computed on …") must fit
        ws.resize(width, height)
        saved.append(save(ws, out, f"china-trends-si-{width}x{height}"))
    ws.resize(1500, 900)
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
def entered_screens(demo: Demo, pool: WorkerPool, out: Path) -> list[Path]:
    """HDL missing: entered in the what-if, "Save to the record…" and its dialog, then the
    risk panel using it with the source "entered by … on …", at both sizes."""
    from clinic_app.ui.physician.workspace import PhysicianWorkspace

    name, password = demo_user("physician")
    session = demo.services.auth.login(name, password)
    assert demo.services.records.import_files(session, [no_hdl_patient(demo.root)]).ok
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
    ws.what_if.controls["hdl_cholesterol"].setValue(48)
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

