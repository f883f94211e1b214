"""Start-up (issue 16): a calculator call loads only what it uses, and the lazy service
facade still behaves as the eager one did."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from clinic_app.cli.main import COMMAND_HOMES, COMMAND_MODULES, _modules_for, build_parser
from clinic_app.core.inference.manifest import SCHEMA_PATH
from clinic_app.services import Services
from tests.conftest import StoreFixture

ROOT = Path(__file__).resolve().parents[1]
PCE = {"age": 55, "sex": "male", "race": "white", "total_cholesterol": 213,
       "hdl_cholesterol": 50, "systolic_bp": 120, "bp_treated": False, "smoker": False,
       "diabetes": False}
HEAVY = ("pydicom", "highdicom", "pynetdicom", "cv2", "onnx", "rfc3987_syntax", "PySide6",
         # issue 16 round 3: no schema library, store, audit log or patient scoring either
         "jsonschema", "sqlcipher3", "clinic_app.core.security.audit", "clinic_app.services.risk",
         "clinic_app.core.records.files", "clinic_app.core.inference.features")
CALL = f"HEAVY = {HEAVY!r}\n" + """
import io, json, sys
from clinic_app.cli.main import main
out = io.StringIO()
rc = main(["score", "--model", "pce-ascvd-10y", "--inputs", sys.argv[1], "--json"], stdout=out)
print(json.dumps({"rc": rc, "risk": json.loads(out.getvalue())["value"],
                  "loaded": sorted(m for m in HEAVY if m in sys.modules)}))
"""


def test_calculator_call_loads_no_imaging_onnx_or_qt(tmp_path: Path) -> None:
    """A calculator call scores without DICOM, imaging, onnx, Qt, jsonschema, the store or audit."""
    inputs = tmp_path / "in.json"
    inputs.write_text(json.dumps(PCE))
    env = {"PYTHONPATH": str(ROOT), "CLINIC_APP_STORE": str(tmp_path / "store"),
           "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", CALL, str(inputs)], env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["rc"] == 0
    assert report["risk"] == pytest.approx(0.0538, abs=5e-4)  # ACC/AHA example, white man of 55
    assert report["loaded"] == []


def test_shipped_manifest_schema_is_a_valid_json_schema() -> None:
    """The manifest schema passes its meta-schema (checked here, no longer on every load)."""
    import jsonschema.validators

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema).check_schema(schema)


def test_services_are_built_once_and_imaging_brings_its_import_hook(store: StoreFixture) -> None:
    """Each service is built on first use, once; imaging comes with analysis's after-import hook."""
    services = Services(store.settings())
    try:
        assert not set(Services.SERVICE_NAMES) & set(vars(services))
        imaging = services.imaging
        assert services.imaging is imaging
        assert len(imaging.after_import) == 1  # auto-analysis: imports still trigger it
        assert services.analysis.imaging is imaging
        assert len(services.pacs.result_sources) == 1 and services.pacs.imaging is imaging
        with pytest.raises(AttributeError):
            services.no_such_service  # noqa: B018 - the access is the test
    finally:
        services.close()


def test_every_command_has_a_home_with_its_parser() -> None:
    """COMMAND_HOMES names, for every command, modules whose parsers include it."""
    full = build_parser()
    sub = next(a for a in full._actions if isinstance(a, argparse._SubParsersAction))
    assert set(sub.choices) == set(COMMAND_HOMES)
    for command, homes in COMMAND_HOMES.items():
        assert _modules_for([command]) == homes
        part = build_parser(homes)
        part_sub = next(a for a in part._actions if isinstance(a, argparse._SubParsersAction))
        assert command in part_sub.choices


@pytest.mark.parametrize("argv", [[], ["--help"], ["no-such-command"], ["--sto", "x", "score"]])
def test_help_unknown_commands_and_abbreviations_get_every_command(argv: list[str]) -> None:
    """Anything not plainly one known command is parsed with every command module."""
    assert _modules_for(argv) == COMMAND_MODULES
