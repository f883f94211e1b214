"""Loads the scripts in ``models/`` (build tools rather than package modules) for the tests."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

MODELS = Path(__file__).resolve().parents[1] / "models"


def models_script(name: str) -> ModuleType:
    """``models/<name>.py``, imported as the training scripts import each other: by name,
    with ``models/`` on the path (``ct_training_data`` imports ``ct_neighbours``)."""
    if str(MODELS) not in sys.path:
        sys.path.append(str(MODELS))
    return importlib.import_module(name)


def make_eval_data() -> ModuleType:
    return models_script("make_eval_data")
