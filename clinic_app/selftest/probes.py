"""Checks that run in a child process, because they can kill the process that runs them.

Qt aborts the whole process (qFatal) when its platform plugin cannot load, which is
exactly the failure a broken bundle or a workstation missing ``libxcb-cursor0`` shows;
onnxruntime's CUDA provider can crash inside a mismatched driver and prints its reasons on
the C++ stderr, not through Python. The parent side (start the child, read its answer,
turn a crash or hang into a failure) is :mod:`clinic_app.core.child_probe`; this module is
the child side: ``clinic-app --self-test-probe NAME`` runs one probe and prints one marked
JSON line.

The admin workspace's System tab uses the same way (``services/system_info.py``, probe
``providers``), so a provider that takes its process down takes down a child, and the GUI
only ever sees a result or a clear failure.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from clinic_app.core.child_probe import MARKER

# -- inside the child -------------------------------------------------------------------

def probe_main(name: str) -> int:
    """Entry point of ``clinic-app --self-test-probe NAME``; prints one marked JSON line."""
    probe = PROBES.get(name)
    if probe is None:
        _answer({"ok": False, "error": f"unknown probe {name!r}"})
        return 2
    try:
        data = probe()
    except Exception as exc:
        data = {"ok": False, "error": f"{type(exc).__name__}: {str(exc)[:300]}"}
    _answer(data)
    return 0


def _answer(data: dict[str, Any]) -> None:
    sys.stdout.write(MARKER + json.dumps(data) + "\n")
    sys.stdout.flush()


def _qt_probe() -> dict[str, Any]:
    """Start a QApplication on the platform chosen by the environment and draw a widget."""
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import QSize, qVersion
    from PySide6.QtGui import QColor, QFontDatabase
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance() or QApplication(["clinic-app-selftest"])
    label = QLabel("clinic-app self-test")
    label.setStyleSheet("background: rgb(10, 200, 30); color: white;")
    label.resize(QSize(160, 40))
    image = label.grab().toImage()
    sampled = QColor(image.pixel(2, 2))
    drew = (sampled.red(), sampled.green(), sampled.blue()) == (10, 200, 30)
    platform = QApplication.platformName()
    svg = _svg_ok()
    workspaces, missing = _workspaces()
    label.deleteLater()
    app.processEvents()
    result: dict[str, Any] = {
        "ok": drew and svg is not False and not missing,
        "platform": platform,
        "qt": qVersion(),
        "pyside": pyside_version,
        "drew": drew,
        "svg": svg,
        "workspaces": workspaces,
        # Chinese interface (issue 21): fonts Qt can draw Simplified Chinese with.
        "cjk_fonts": len(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)),
    }
    if not drew:
        result["error"] = f"a widget rendered as {sampled.name()} instead of #0ac81e"
    elif svg is False:
        result["error"] = "the SVG image plugin could not draw the application icon"
    elif missing:
        result["error"] = f"the desktop app cannot load its workspaces: {missing}"
    return result


def _workspaces() -> tuple[list[str], str]:
    """Import every workspace the desktop shell loads by name at sign-in.

    Modules imported by name are what a bundle most easily leaves out, and the failure
    would otherwise only show when a clinician signs in. Returns (titles, error text).
    """
    try:
        from clinic_app.ui.shell.registry import WORKSPACE_MODULES, load_specs
    except ImportError as exc:
        return [], f"the desktop shell is missing ({exc.name})"
    try:
        return [spec.title for spec in load_specs()], ""
    except ImportError as exc:
        return [], f"{exc.name or 'a module'} cannot be imported (of {', '.join(WORKSPACE_MODULES)})"


def _svg_ok() -> bool | None:
    """Whether Qt's SVG plugin draws the bundled icon (None when there is no icon)."""
    from importlib import resources

    from PySide6.QtGui import QImage

    icon = resources.files("clinic_app").joinpath("resources", "icons", "clinic-app.svg")
    if not icon.is_file():
        return None
    image = QImage()
    return bool(image.loadFromData(icon.read_bytes(), "SVG")) and not image.isNull()


def _onnxruntime_probe(gpu_preference: str) -> dict[str, Any]:
    """Create a session for the built-in model as the app would, and run it once."""
    from importlib import resources

    import numpy as np
    import onnxruntime as ort

    ort.set_default_logger_severity(3)
    model = resources.files("clinic_app").joinpath("resources", "selftest", "add_one.onnx")
    available = list(ort.get_available_providers())
    requested = _requested(available, gpu_preference)
    options = ort.SessionOptions()
    options.log_severity_level = 3
    session = ort.InferenceSession(model.read_bytes(), sess_options=options, providers=requested)
    x = np.array([[0.0, 1.0, -2.5, 1000.0]], dtype=np.float32)
    (y,) = session.run(["y"], {"x": x})
    expected = x * 2 + 1
    correct = bool(np.array_equal(y, expected))
    got = list(session.get_providers())
    result: dict[str, Any] = {
        "ok": correct,
        "version": ort.__version__,
        "available": available,
        "requested": requested,
        "providers": got,
        "device": ort.get_device(),
    }
    if not correct:
        result["error"] = f"the test model computed {y.tolist()}, expected {expected.tolist()}"
    return result


def _requested(available: list[str], gpu_preference: str) -> list[str]:
    """The app's provider request (core/inference/providers.py when present), names only:
    only providers whose libraries this build holds, as the runtime asks."""
    try:
        from clinic_app.core.inference.providers import requested_providers, usable_providers
    except ImportError:
        order = ["CUDAExecutionProvider", "CPUExecutionProvider"]
        return [p for p in order if p in available and (gpu_preference != "cpu" or "CPU" in p)]
    return [name for name, _ in requested_providers(usable_providers(available), gpu_preference,
                                                    fp16_allowed=False)]


def _providers_probe() -> dict[str, Any]:
    """Every listed execution provider tried with a real session (the System tab's check)."""
    from clinic_app.core.inference.provider_check import probe_providers

    return {"ok": True, "checks": [asdict(c) for c in probe_providers()]}


PROBES: dict[str, Callable[[], dict[str, Any]]] = {
    "qt": _qt_probe,
    "onnxruntime-auto": lambda: _onnxruntime_probe("auto"),
    "onnxruntime-cpu": lambda: _onnxruntime_probe("cpu"),
    "providers": _providers_probe,
}
