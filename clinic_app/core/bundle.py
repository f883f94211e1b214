"""What a packaged build says about itself (variant, build time, glibc floor).

``packaging/build.py`` writes ``bundle-info.json`` into the bundle's internal folder
(``sys._MEIPASS``); a source install has none. Several parts of the app need it: the
self-test reports it, and the inference runtime asks onnxruntime for the CPU provider
only in the CPU-only variant, whose CUDA and TensorRT provider libraries were left out.
It lives in core, beside nothing it depends on, so the runtime never imports the
self-test to learn what it is running in.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

BUNDLE_INFO = "bundle-info.json"
CPU_VARIANT = "cpu"


def bundle_root() -> Path | None:
    """The bundle's internal folder when running from a PyInstaller build, else None."""
    root = getattr(sys, "_MEIPASS", None)
    return Path(root) if root else None


def bundle_info() -> dict[str, Any] | None:
    """The build's description when running from a bundle, else None."""
    root = bundle_root()
    if root is None:
        return None
    try:
        data = json.loads((root / BUNDLE_INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"variant": "unknown", "error": f"{BUNDLE_INFO} missing or unreadable"}
    return data if isinstance(data, dict) else None


def cpu_only_build() -> bool:
    """True in the CPU-only bundle (no GPU provider libraries were shipped)."""
    info = bundle_info()
    return bool(info) and info.get("variant") == CPU_VARIANT  # type: ignore[union-attr]
