"""What a packaged build says about itself (variant, build time, glibc floor).

``packaging/build.py`` writes ``bundle-info.json`` into the bundle's internal folder
(``sys._MEIPASS``); a source install has none. The self-test reports it, and the CPU-only
variant uses it to skip asking onnxruntime for GPU providers whose libraries were left out.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

BUNDLE_INFO = "bundle-info.json"


def bundle_info() -> dict[str, Any] | None:
    """The build's description when running from a bundle, else None."""
    root = getattr(sys, "_MEIPASS", None)
    if not root:
        return None
    try:
        data = json.loads((Path(root) / BUNDLE_INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"variant": "unknown", "error": f"{BUNDLE_INFO} missing or unreadable"}
    return data if isinstance(data, dict) else None
