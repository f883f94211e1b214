"""Walk the physician and admin screens of a prepared store in Chinese; print what is English.

Run by tests/ui/test_i18n_screens.py in a child process started with
``CLINIC_APP_LANG=zh_CN``: the language must be installed before any workspace module is
imported (some build translated tables on import), which a test process that has already
imported them in English cannot undo. Prints one JSON object: screen name -> the texts
that still hold English words (see tests/i18n_walk.py), after the allowed words.

    python -m tests.i18n_screens_probe STORE_DIR BUNDLE.json PASSWORD_PHYS PASSWORD_ADMIN
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QWidget

from clinic_app.config import Settings
from clinic_app.i18n.choice import chosen_language
from clinic_app.services import Services
from clinic_app.ui.app import create_application
from clinic_app.ui.workers import WorkerPool
from tests.i18n_walk import leftovers

#: Record keys whose string values are the source's own words (shown as sent).
SOURCE_KEYS = frozenset({"display", "text", "family", "given", "valueString", "description", "id",
                         "resourceType", "reference"})
#: Words of our own screens that are the same in Chinese text: the engine's runtime name,
#: site-setting keys and values shown as "from site settings (key = value)".
ALLOWED = frozenset({"CPUExecutionProvider", "china_par_region", "china_par_urbanisation",
                     "north", "south", "urban", "rural", "json", "Observation", "Condition",
                     "MedicationStatement", "Patient", "Encounter", "obs", "cond", "meds", "syn",
                     "smoking", "urn", "oid", "Risk", "Lloyd", "Jones", "init"})


def source_words(node: object) -> Iterator[str]:
    """Every word the source record wrote in a display or name field."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "code" and node.get("resourceType") == "Observation":
                continue  # a lab or vital is shown under our terminology's name, translated
            if key in SOURCE_KEYS:
                yield from _strings(value)
            else:
                yield from source_words(value)
    elif isinstance(node, list):
        for item in node:
            yield from source_words(item)


def _strings(node: object) -> Iterator[str]:
    if isinstance(node, str):
        yield from re.findall(r"[A-Za-zµ]+", node)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)


def citation_words() -> Iterator[str]:
    """Words of the shipped models' ids and cited papers (a model card lists them as
    published, in English)."""
    root = Path(__file__).resolve().parent.parent / "models"
    for manifest in root.glob("*/manifest.json"):
        data = json.loads(manifest.read_text(encoding="utf-8"))
        yield from re.findall(r"[A-Za-zµ]+", data.get("id", ""))
        for ref in data.get("intended_use", {}).get("references", ()):
            yield from re.findall(r"[A-Za-zµ]+", str(ref.get("citation", "")))


def wait_until(app: QApplication, ready: Callable[[], bool], timeout_s: float = 120) -> None:
    end = time.monotonic() + timeout_s
    while not ready():
        if time.monotonic() > end:
            raise TimeoutError("the screen did not get ready")
        app.processEvents()
        time.sleep(0.01)


def main(store: str, bundle: str, physician_password: str, admin_password: str) -> int:
    language = chosen_language("en")
    app = create_application(language=language.value)
    allowed = set(ALLOWED) | set(source_words(json.loads(Path(bundle).read_text(encoding="utf-8"))))
    allowed |= {Path(bundle).name, Path(bundle).stem}
    allowed |= set(citation_words())
    services = Services(Settings(store_dir=Path(store), log_dir=Path(store).parent / "probe-logs"))
    pool = WorkerPool()
    found: dict[str, list[str]] = {}

    def walk(name: str, widget: QWidget) -> None:
        app.processEvents()
        found[name] = leftovers(widget, allowed)

    from clinic_app.ui.physician.workspace import PhysicianWorkspace

    session = services.auth.login("phys", physician_password)
    ws = PhysicianWorkspace(services, session, pool)
    ws.resize(1500, 900)
    ws.show()
    wait_until(app, lambda: not pool.active_count and ws.table_model.rowCount() > 0)
    walk("patient list", ws)
    for key in [p.key for p in ws.patients][:3]:
        ws.select_patient(key)
        wait_until(app, lambda: not pool.active_count and ws.current is not None)
        for tab in range(ws.tabs.count()):
            ws.tabs.setCurrentIndex(tab)
            wait_until(app, lambda: not pool.active_count)
            walk(f"patient {key} tab {tab}", ws)
    ws.shutdown()
    from clinic_app.ui.shell.registry import load_specs
    from clinic_app.ui.shell.window import MainWindow

    admin_session = services.auth.login("admin", admin_password)
    allowed |= {u.username for u in services.accounts.list(admin_session)}  # names, as chosen
    win = MainWindow(services, admin_session, load_specs())
    win.resize(1500, 900)
    win.show()
    admin = win.workspaces[0]
    for tab_name in ("users", "models", "settings"):  # not System: versions, files, packages
        admin.tabs.setCurrentWidget(getattr(admin, tab_name))
        wait_until(app, lambda: not win.pool.active_count, timeout_s=300)
        walk(f"admin {tab_name}", win)
    win.shutdown()
    pool.cancel_all()
    pool.wait(30_000)
    services.close()
    print(json.dumps(found, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
