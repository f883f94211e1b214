"""Every shipped package's changelog: one entry per version, oldest first, ending at the
version the manifest states (a reader looks up what changed by the version they run)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

MODELS = Path(__file__).resolve().parents[1] / "models"
PACKAGES = sorted(p.parent for p in MODELS.glob("*/manifest.json"))


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


@pytest.mark.parametrize("package", PACKAGES, ids=[p.name for p in PACKAGES])
def test_changelog_versions_are_unique_ascending_and_end_at_the_manifests(package: Path):
    doc = json.loads((package / "manifest.json").read_text())
    versions = [entry["version"] for entry in doc["changelog"]]
    assert versions == sorted(set(versions), key=_key), versions
    assert versions[-1] == doc["version"]


def test_there_are_packages_to_check():
    assert len(PACKAGES) >= 10
