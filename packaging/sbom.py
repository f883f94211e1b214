"""CycloneDX 1.5 SBOM of a built bundle: Python packages and shared libraries alike.

Hospitals' security reviews ask what is inside a deliverable. A list of the build
environment's packages would overstate it (build tools are not shipped) and miss what
PyInstaller copied from the OS (libpython, libz, ...). So the SBOM is made from the bundle
itself: a Python distribution is listed when a file its RECORD names is in the bundle, and
every ELF shared library in the bundle is listed with its SHA-256, nested under the Python
distribution that shipped it, or attributed to the Debian package that owns the system file
it was copied from, or listed on its own when neither is known.

    python packaging/sbom.py BUNDLE_DIR OUT.cdx.json [--version V] [--variant cpu|gpu]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import importlib.metadata as md
import json
import re
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Names PyInstaller gives the bundle's library folder (one-folder mode).
INTERNAL = "_internal"
_SO = re.compile(r"\.so(\.\d+)*$")


@dataclass
class _Dist:
    name: str
    version: str
    license: str
    files: set[str] = field(default_factory=set)
    libraries: list[dict[str, Any]] = field(default_factory=list)
    present: bool = False


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _is_elf(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(4) == b"\x7fELF"
    except OSError:
        return False


def _distributions() -> list[_Dist]:
    """The build environment's distributions with the site-relative paths of their files."""
    found: dict[str, _Dist] = {}
    for dist in md.distributions():
        name = dist.metadata["Name"]
        if not name or name.lower() in found:
            continue
        licence = dist.metadata.get("License-Expression") or dist.metadata.get("License") or ""
        entry = _Dist(name, dist.version, licence.splitlines()[0][:200] if licence else "")
        for f in dist.files or ():
            path = str(f)
            if not path.startswith("..") and ".dist-info/" not in path and "__pycache__" not in path:
                entry.files.add(path)
        found[name.lower()] = entry
    return list(found.values())


def _debian_owner(library_name: str) -> tuple[str, str] | None:
    """(package, version) of the Debian package that ships a library of this name, if any."""
    try:
        owner = subprocess.run(["dpkg", "-S", f"*/{library_name}"], capture_output=True, text=True,
                               timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if owner.returncode or ":" not in owner.stdout:
        return None
    package = owner.stdout.splitlines()[0].split(":")[0].strip()
    shown = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], capture_output=True,
                           text=True, timeout=30, check=False)
    return (package, shown.stdout.strip()) if shown.returncode == 0 else None


def _library(path: Path, bundle: Path) -> dict[str, Any]:
    return {"type": "file", "bom-ref": f"file:{path.relative_to(bundle).as_posix()}",
            "name": path.relative_to(bundle).as_posix(),
            "hashes": [{"alg": "SHA-256", "content": _sha256(path)}]}


def build_sbom(bundle: Path, *, app_version: str, variant: str,
               timestamp: dt.datetime | None = None) -> dict[str, Any]:
    """The SBOM as a CycloneDX 1.5 JSON document (a dict)."""
    internal = bundle / INTERNAL if (bundle / INTERNAL).is_dir() else bundle
    dists = _distributions()
    owner_of = {path: d for d in dists for path in d.files}
    debian: dict[tuple[str, str], list[dict[str, Any]]] = {}
    loose: list[dict[str, Any]] = []
    for path in sorted(p for p in internal.rglob("*") if p.is_file()):
        relative = path.relative_to(internal).as_posix()
        dist = owner_of.get(relative)
        if dist is not None:
            dist.present = True
        if not (_SO.search(path.name) and _is_elf(path)):
            continue
        entry = _library(path, bundle)
        if dist is not None:
            dist.libraries.append(entry)
        elif (deb := _debian_owner(path.name)) is not None:
            debian.setdefault(deb, []).append(entry)
        else:
            loose.append(entry)

    components: list[dict[str, Any]] = []
    for dist in sorted((d for d in dists if d.present), key=lambda d: d.name.lower()):
        purl = f"pkg:pypi/{dist.name.lower().replace('_', '-')}@{dist.version}"
        item: dict[str, Any] = {"type": "library", "bom-ref": purl, "name": dist.name,
                                "version": dist.version, "purl": purl}
        if dist.license:
            item["licenses"] = [{"license": {"name": dist.license}}]
        if dist.libraries:
            item["components"] = dist.libraries
        components.append(item)
    for (package, version), libraries in sorted(debian.items()):
        purl = f"pkg:deb/debian/{package}@{version}?arch=amd64"
        components.append({"type": "library", "bom-ref": purl, "name": package, "version": version,
                           "purl": purl, "components": libraries})
    components.extend(loose)

    when = (timestamp or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
        "serialNumber": f"urn:uuid:{uuid.uuid4()}",
        "metadata": {
            "timestamp": when,
            "tools": [{"name": "clinic-app packaging/sbom.py"}],
            "component": {"type": "application", "bom-ref": f"clinic-app-{variant}@{app_version}",
                          "name": "clinic-app" if variant == "gpu" else "clinic-app-cpu",
                          "version": app_version},
        },
        "components": components,
    }


def write_sbom(bundle: Path, target: Path, *, app_version: str, variant: str) -> Path:
    target.write_text(json.dumps(build_sbom(bundle, app_version=app_version, variant=variant),
                                 indent=1) + "\n", encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("bundle", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--version", default="0")
    parser.add_argument("--variant", choices=("gpu", "cpu"), default="gpu")
    args = parser.parse_args(argv)
    write_sbom(args.bundle, args.out, app_version=args.version, variant=args.variant)
    return 0


if __name__ == "__main__":
    sys.exit(main())
