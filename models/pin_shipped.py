"""Recompute resources/trust/shipped-packages.json from the packages under models/.

Run after building or changing a shipped package, and review the diff: the pin file is
what makes the app trust its own packages (see models/SIGNING.md).
"""

from __future__ import annotations

from pathlib import Path

from clinic_app.core.inference.manifest import MANIFEST_NAME, parse_manifest
from clinic_app.core.inference.packaging import write_pins

HERE = Path(__file__).resolve().parent
PIN_FILE = HERE.parent / "resources" / "trust" / "shipped-packages.json"


def shipped_manifests(models_dir: Path = HERE) -> list:
    return [parse_manifest((d / MANIFEST_NAME).read_bytes(), where=d.name)
            for d in sorted(models_dir.iterdir()) if (d / MANIFEST_NAME).is_file()]


if __name__ == "__main__":
    manifests = shipped_manifests()
    write_pins(PIN_FILE, manifests)
    for m in manifests:
        print(f"pinned {m.id} {m.version} {m.sha256}")
