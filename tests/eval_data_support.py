"""Loads ``models/make_eval_data.py``, a script rather than a package module, for the tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

MODELS = Path(__file__).resolve().parents[1] / "models"


def make_eval_data() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_eval_data", MODELS / "make_eval_data.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses resolve their module while defined
    spec.loader.exec_module(module)
    return module
