"""No English left on the main screens in Chinese (issue 21's leftovers cannot come back)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from clinic_app.synthetic.cohort import generate_cohort
from tests.conftest import PASSWORDS, StoreFixture
from tests.i18n_walk import leftovers

ROOT = Path(__file__).resolve().parents[2]


def test_the_walker_finds_english_and_allows_names(qtbot):
    """An English clinical word is reported; units, abbreviations and allowed names are not."""
    top = QWidget()
    qtbot.addWidget(top)
    layout = QVBoxLayout(top)
    for text in ("收缩压 120 mmHg", "HDL 1.2 mmol/L", "WANG, Wei", "Systolic blood pressure"):
        layout.addWidget(QLabel(text))
    top.show()
    found = leftovers(top, allowed={"WANG", "Wei"})
    assert found == ["QLabel: Systolic blood pressure [Systolic blood pressure]"]


def test_physician_and_admin_screens_have_no_english_in_chinese(store: StoreFixture, tmp_path):
    """Patient list, summary, risk, trends, what-if and the admin tabs, walked in zh_CN:
    every text is Chinese but units, abbreviations, names and what the record wrote."""
    session = store.login("phys")
    bundle = generate_cohort(6, seed=3).write_bundle(tmp_path / "cohort.json")
    assert store.services.records.import_files(session, [bundle]).ok
    store.services.risk.score_all(session)
    store.services.close()
    env = {**os.environ, "CLINIC_APP_LANG": "zh_CN", "QT_QPA_PLATFORM": "offscreen",
           "CLINIC_APP_SITE_CONFIG": os.devnull, "CLINIC_APP_USER_CONFIG": os.devnull,
           "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-m", "tests.i18n_screens_probe", str(store.root), str(bundle),
                          PASSWORDS["phys"], PASSWORDS["admin"]],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    screens = json.loads(run.stdout.strip().splitlines()[-1])
    assert len(screens) >= 8, screens.keys()  # list, 3 patients x 4 tabs, admin tabs
    english = {name: texts for name, texts in screens.items() if texts}
    assert not english, json.dumps(english, ensure_ascii=False, indent=1)
