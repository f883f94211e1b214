"""Start-up with the Chinese catalogue loaded, against English, in one run.

    .venv/bin/python benchmarks/startup_i18n.py [--repeat 7]

Each case is a fresh interpreter (what a user pays), alternating English and Chinese so
load on the shared machine hits both alike; best and median of ``--repeat``, CPU time of
the child (user + system) beside wall time:

* GUI to the sign-in window: QApplication, ``install_language`` (QTranslator for our .qm
  and Qt's qtbase_zh_CN, plus the Qt-free JSON table), the LoginDialog built and shown;
* CLI: ``clinic-app --lang L score`` up to its usage message (settings, the JSON catalogue
  and the parser of the ``score`` command; no store);
* in one process, the loading step alone, which whole-process times on a busy machine
  hide in their noise: ``install_language`` (both QTranslators and the JSON table, caches
  cleared each time) against installing English (nothing to load).

The English case runs the same code with ``language="en"``, which installs no translator:
the difference is the cost of translations.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUI = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from pathlib import Path
from clinic_app.config import Settings
from clinic_app.ui.app import create_application
from clinic_app.services import Services
from clinic_app.ui.login.dialog import LoginDialog
from clinic_app.ui.workers import WorkerPool
app = create_application(language=sys.argv[2])
dialog = LoginDialog(Services(Settings(store_dir=Path(sys.argv[1]))), WorkerPool())
dialog.show()
app.processEvents()
assert (dialog.windowTitle() != "clinic-app — Sign in") == (sys.argv[2] != "en")
"""


def run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(CPU seconds of the child, wall seconds)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime), wall


LOAD = """
import os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication
from clinic_app.i18n.catalogue import load_catalogue
from clinic_app.ui.translators import install_language
app = QApplication([])
n = int(sys.argv[1])
for lang in ("en", "zh_CN"):
    best = 1e9
    for _ in range(n):
        load_catalogue.cache_clear()
        install_language(app, "en")
        t = time.perf_counter()
        install_language(app, lang)
        best = min(best, time.perf_counter() - t)
    print(lang, best)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CLINIC_APP_SITE_CONFIG": os.devnull,
           "CLINIC_APP_USER_CONFIG": os.devnull}
    env.pop("CLINIC_APP_LANG", None)
    with tempfile.TemporaryDirectory() as tmp:
        cases = {
            "GUI to sign-in": lambda lang: [sys.executable, "-c", GUI, str(Path(tmp) / "store"), lang],
            "CLI usage message": lambda lang: [sys.executable, "-m", "clinic_app", "--lang", lang, "score"],
        }
        print(f"load average {os.getloadavg()[0]:.1f}; best / median of {args.repeat}, CPU s (wall s)")
        for name, argv in cases.items():
            times: dict[str, list[tuple[float, float]]] = {"en": [], "zh_CN": []}
            run(argv("en"), env)  # warm the file cache
            for _ in range(args.repeat):
                for lang in ("en", "zh_CN"):
                    times[lang].append(run(argv(lang), env))
            summary = {}
            for lang, samples in times.items():
                cpu = sorted(c for c, _ in samples)
                wall = sorted(w for _, w in samples)
                summary[lang] = (cpu[0], statistics.median(cpu), wall[0], statistics.median(wall))
                print(f"  {name:18} {lang:6} best {cpu[0]:.3f} ({wall[0]:.3f})  "
                      f"median {summary[lang][1]:.3f} ({summary[lang][3]:.3f})")
            en, zh = summary["en"], summary["zh_CN"]
            print(f"  {name:18} zh_CN / en: best CPU {zh[0] / en[0]:.2f}x, median CPU "
                  f"{zh[1] / en[1]:.2f}x, median wall {zh[3] / en[3]:.2f}x "
                  f"(+{(zh[1] - en[1]) * 1000:.0f} ms median CPU)")
    out = subprocess.run([sys.executable, "-c", LOAD, str(max(args.repeat, 5) * 4)], env=env, cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.split()
    en_s, zh_s = float(out[1]), float(out[3])
    print(f"  install_language   en {en_s * 1000:.2f} ms, zh_CN {zh_s * 1000:.2f} ms (best of "
          f"{max(args.repeat, 5) * 4}): {zh_s / en_s:.0f}x, +{(zh_s - en_s) * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
