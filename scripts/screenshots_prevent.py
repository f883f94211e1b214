"""Screens of the PREVENT add-on models for scripts/screenshots.py (``--only prevent``).

A synthetic woman with a urine albumin-to-creatinine ratio and an HbA1c on record: the risk
panel lists the full PREVENT model beside the base one and says that the Social Deprivation
Index is counted as missing.
"""

from __future__ import annotations

import json
from pathlib import Path

from screen_capture import THEME, Demo, save, settle, wait_until

from clinic_app.ui.workers import WorkerPool

MRN = "US-PREVENT-1"


def _patient(root: Path) -> Path:
    pid = "us1"

    def obs(code: str, value: float, unit: str) -> dict:
        return {"resourceType": "Observation", "id": f"{pid}-{code}", "status": "final",
                "code": {"coding": [{"system": "http://loinc.org", "code": code}]},
                "subject": {"reference": f"Patient/{pid}"}, "effectiveDateTime": "2026-11-20",
                "valueQuantity": {"value": value, "unit": unit,
                                  "system": "http://unitsofmeasure.org", "code": unit}}

    entries = [
        {"resourceType": "Patient", "id": pid,
         "identifier": [{"system": "urn:mrn", "value": MRN}],
         "name": [{"family": "Rivera", "given": ["Ana"]}], "gender": "female",
         "birthDate": "1968-06-02"},
        obs("2093-3", 214, "mg/dL"), obs("2085-9", 47, "mg/dL"), obs("8480-6", 142, "mm[Hg]"),
        obs("2160-0", 0.9, "mg/dL"), obs("39156-5", 31.2, "kg/m2"),
        obs("9318-7", 48, "mg/g"), obs("4548-4", 6.1, "%"),
        {"resourceType": "Observation", "id": f"{pid}-smk", "status": "final",
         "code": {"coding": [{"system": "http://loinc.org", "code": "72166-2"}]},
         "subject": {"reference": f"Patient/{pid}"}, "effectiveDateTime": "2026-11-20",
         "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct",
                                              "code": "8517006"}]}},
    ]
    path = root / "prevent-patient.json"
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection",
                                "entry": [{"resource": r} for r in entries]}))
    return path


def prevent_screens(demo: Demo, pool: WorkerPool, out: Path) -> list[Path]:
    from screenshots import _demo_user

    from clinic_app.ui.physician.workspace import PhysicianWorkspace

    name, password = _demo_user("physician")
    services = demo.services
    session = services.auth.login(name, password)
    assert services.records.import_files(session, [_patient(demo.root)]).ok
    services.risk.score_patient(session, MRN)
    ws = PhysicianWorkspace(services, session, pool)
    ws.resize(1500, 900)
    ws.show()
    wait_until(lambda: not pool.active_count and ws.table_model.rowCount() > 0)
    ws.select_patient(next(p.key for p in ws.patients if p.mrn == MRN))
    wait_until(lambda: not pool.active_count and ws.current is not None)
    ws.tabs.setCurrentIndex(1)
    ws.risk_panel.select_model("prevent-full-10y")
    saved = []
    for width, height in ((1280, 800), (1920, 1080)):
        ws.resize(width, height)
        settle()
        saved.append(save(ws, out, f"physician-prevent-full-{width}x{height}-{THEME[0]}"))
    ws.shutdown()
    return saved
