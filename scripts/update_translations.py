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
import json
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


#: Manifest fields whose text a clinician reads (labels, flags, categories, advice).
TERM_FIELDS = (
    ("name",), ("advice", "not_applicable"), ("applicability", "*", "otherwise"),
    ("applicability", "*", "when_missing"), ("explanation", "terms", "*", "label"),
    ("explanation", "reference", "players", "*", "label"), ("inputs", "features", "*", "label"),
    ("inputs", "features", "*", "category_flags", "*"), ("inputs", "features", "*", "clamp", "note"),
    ("outputs", "bounds", "note"), ("outputs", "categories", "bands", "*", "label"),
    ("outputs", "labels", "*"), ("outputs", "horizon"), ("intended_use", "contraindications", "*"),
    ("intended_use", "population",), ("explanation", "reference", "name"),
    ("explanation", "reference", "source"),
    ("inputs", "features", "*", "range_source"),
)
TERMS_MODULE = ROOT / "clinic_app" / "i18n" / "model_terms.py"
RECORD_TERMS_MODULE = ROOT / "clinic_app" / "i18n" / "record_terms.py"
TERMINOLOGY = ROOT / "resources" / "terminology" / "terminology.json"


def _pick(node: object, path: tuple[str, ...]) -> list[str]:
    if not path:
        return [node] if isinstance(node, str) and node.strip() else []
    head, rest = path[0], path[1:]
    if head == "*":
        items = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
        return [t for item in items for t in _pick(item, rest)]
    return _pick(node.get(head), rest) if isinstance(node, dict) else []


def model_terms_source() -> str:
    """A Python module listing every clinician-facing manifest text for lupdate.

    Signed manifests cannot carry translations, and lupdate reads only source code, so
    the texts are listed as ``QT_TRANSLATE_NOOP("model_terms", ...)`` and translated where
    they are shown with ``translate("model_terms", text)``.
    """
    from clinic_app.core.reports.wording import secondary_outputs

    terms: set[str] = set()
    labels: dict[str, str] = {}
    for manifest in sorted((ROOT / "models").glob("*/manifest.json")):
        data = json.loads(manifest.read_text(encoding="utf-8"))
        for feature in data.get("inputs", {}).get("features", []):
            if feature.get("label"):
                labels.setdefault(feature["name"], feature["label"])
            terms.update(feature.get("categories") or ())  # the choices' names (dict keys)
        for path in TERM_FIELDS:
            terms.update(_pick(data, path))
        # the PDF names the reference person without ", optimal risk factors"
        terms.update(n.split(", optimal")[0] for n in _pick(data, ("explanation", "reference", "name")))
        tensors = data.get("outputs", {}).get("tensors", [])
        primary = tensors[0]["name"] if tensors else ""
        terms.update(name for _, name in secondary_outputs(tensors, primary))
    lines = ["# ruff: noqa: E501", *_terms_lines(
        "models/*/manifest.json", "model_terms", terms,
        "The clinician-facing texts of the shipped model manifests, listed so that lupdate puts",
        'them in the catalogue (context "model_terms"). A test fails when this list is stale.')]
    lines += ["", "#: Input name -> its label in the first manifest that has it (for text that names",
              "#: inputs without its model's labels at hand, e.g. a stored 'missing ...' reason).",
              "FEATURE_LABELS = {"]
    lines += [f"    {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}," for k, v in sorted(labels.items())]
    lines.append("}")
    return "\n".join(lines) + "\n"


def record_terms_source() -> str:
    """A Python module listing the names our terminology gives record facts, for lupdate.

    Lab and vital names (the shipped terminology's LOINC displays), drug classes, condition
    groups, smoking categories and the FHIR status codes are our words for what a record
    holds, not text its author wrote, so they are shown in the reader's language with
    ``translate("record_terms", text)``. A source's own display text is never looked up.
    """
    from clinic_app.core.records import codes, fhir_elements

    data = json.loads(TERMINOLOGY.read_text(encoding="utf-8"))
    terms: set[str] = {str(v["display"]).split(" (")[0] for v in data["loinc"].values()}
    terms |= set(codes.FACT_LABELS.values())
    terms.add("Tobacco smoking status")  # LOINC 72166-2, which codes.py adds to every package
    terms |= {c.replace("_", " ") for _, classes in data["atc_classes"] for c in classes}
    terms |= {name.replace("_", " ") for name in data["snomed"]}
    terms |= set(codes.SMOKING_ANSWERS.values())
    for name in dir(fhir_elements):
        value = getattr(fhir_elements, name)
        if name.endswith("_STATUS") or name.startswith("ALLERGY_") or name == "GENDERS":
            terms |= {v for v in value if isinstance(v, str) and v}
    lines = _terms_lines(
        "the shipped terminology", "record_terms", terms,
        "Names our terminology gives record facts (labs, vitals, drug classes, condition",
        "groups, statuses), listed so that lupdate puts them in the catalogue (context",
        '"record_terms"). A test fails when this list is stale.')
    return "\n".join(lines) + "\n"


def _terms_lines(origin: str, context: str, terms: set[str], *doc: str) -> list[str]:
    """A generated module's docstring, import and ``TERMS`` tuple, one text a line."""
    lines = [f'"""Generated by scripts/update_translations.py from {origin}: do not edit.', "", *doc,
             '"""', "", "from clinic_app.i18n import QT_TRANSLATE_NOOP", "", "TERMS = ("]
    lines += [f'    QT_TRANSLATE_NOOP("{context}", {json.dumps(t, ensure_ascii=False)}),'
              for t in sorted(terms)]
    return [*lines, ")"]


def extract(language: str, ts: Path | None = None) -> Path:
    """Merge the strings of clinic_app/ into ``ts`` (default: the shipped source catalogue)."""
    ts = ts or SOURCE_DIR / f"clinic_app_{language}.ts"
    sources = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "clinic_app").rglob("*.py"))
    listing = ts.parent / ".sources.lst"
    listing.write_text("\n".join(sources) + "\n", encoding="utf-8")
    try:
        subprocess.run([tool("pyside6-lupdate"), f"@{listing}", "-no-obsolete",
                        "-locations", "none", "-source-language", "en",
                        "-target-language", language, "-ts", str(ts)],
                       cwd=ROOT, check=True)
    finally:
        listing.unlink()
    return ts


def with_mixin_context(ts_text: str) -> str:
    """The catalogue with its empty context named ``WorkspaceWidget``.

    lupdate files the ``self.tr`` text of a workspace mixin (a class deriving from
    ``WorkspaceWidget``, whose Qt base it cannot see in another module) under an empty
    context, which no run-time lookup uses: PySide6 looks ``self.tr`` text up under each
    class of the object's inheritance chain, and every such mixin has ``WorkspaceWidget``
    in it. Only the compiled .qm gets the name; the .ts stays as lupdate writes it.
    """
    return ts_text.replace("<context>\n    <name></name>", "<context>\n    <name>WorkspaceWidget</name>", 1)


def compile_language(language: str, out_dir: Path = COMPILED_DIR) -> tuple[Path, Path]:
    """Write ``clinic_app_<lang>.qm`` (Qt) and ``.json`` (Qt-free side) into ``out_dir``."""
    ts = SOURCE_DIR / f"clinic_app_{language}.ts"
    out_dir.mkdir(parents=True, exist_ok=True)
    qm = out_dir / f"clinic_app_{language}.qm"
    for_qt = out_dir / f".clinic_app_{language}.for-qt.ts"
    for_qt.write_text(with_mixin_context(ts.read_text(encoding="utf-8")), encoding="utf-8")
    try:
        subprocess.run([tool("pyside6-lrelease"), "-silent", str(for_qt), "-qm", str(qm)],
                       check=True)
    finally:
        for_qt.unlink(missing_ok=True)
    js = out_dir / f"clinic_app_{language}.json"
    js.write_text(compile_json(ts.read_bytes(), language), encoding="utf-8")
    return qm, js


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--compile", action="store_true", help="compile only, no extraction")
    args = parser.parse_args()
    if not args.compile:
        TERMS_MODULE.write_text(model_terms_source(), encoding="utf-8")
        RECORD_TERMS_MODULE.write_text(record_terms_source(), encoding="utf-8")
    for language in LANGUAGES:
        if not args.compile:
            extract(language)
        compile_language(language)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
