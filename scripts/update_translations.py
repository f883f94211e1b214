"""Regenerate the translation catalogues: extract (.ts), compile (.qm + .json).

Run from the repository root after changing user-facing text::

    python scripts/update_translations.py           # lupdate, then compile
    python scripts/update_translations.py --compile # compile only (after translating)

``pyside6-lupdate`` scans clinic_app/ for ``self.tr``, ``QCoreApplication.translate`` and
the Qt-free ``translate("context", "text")``, and merges new strings into
``resources/i18n/clinic_app_<lang>.ts`` as unfinished; a translator fills them in (Qt
Linguist or any editor) and runs ``--compile``. Line numbers are left out of the .ts so two
branches that touch the same module do not conflict on every message.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from clinic_app.i18n.compile import compile_json  # noqa: E402

SOURCE_DIR = ROOT / "resources" / "i18n"
COMPILED_DIR = ROOT / "clinic_app" / "resources" / "i18n"
LANGUAGES = ("zh_CN",)


def tool(name: str) -> str:
    """The PySide6 tool beside this interpreter (the venv), else the one on PATH."""
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found: install PySide6 (it ships {name}).")
    return found


def extract(language: str) -> Path:
    ts = SOURCE_DIR / f"clinic_app_{language}.ts"
    sources = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "clinic_app").rglob("*.py"))
    listing = SOURCE_DIR / ".sources.lst"
    listing.write_text("\n".join(sources) + "\n", encoding="utf-8")
    try:
        subprocess.run([tool("pyside6-lupdate"), f"@{listing}", "-no-obsolete",
                        "-locations", "none", "-source-language", "en",
                        "-target-language", language, "-ts", str(ts)],
                       cwd=ROOT, check=True)
    finally:
        listing.unlink()
    return ts


def compile_language(language: str, out_dir: Path = COMPILED_DIR) -> tuple[Path, Path]:
    """Write ``clinic_app_<lang>.qm`` (Qt) and ``.json`` (Qt-free side) into ``out_dir``."""
    ts = SOURCE_DIR / f"clinic_app_{language}.ts"
    out_dir.mkdir(parents=True, exist_ok=True)
    qm = out_dir / f"clinic_app_{language}.qm"
    subprocess.run([tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)],
                   check=True)
    js = out_dir / f"clinic_app_{language}.json"
    js.write_text(compile_json(ts.read_bytes(), language), encoding="utf-8")
    return qm, js


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--compile", action="store_true", help="compile only, no extraction")
    args = parser.parse_args()
    for language in LANGUAGES:
        if not args.compile:
            extract(language)
        compile_language(language)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
