"""A real Orthanc per test on loopback (free ports), and helpers to load data into it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pacs.orthanc import Orthanc, available, free_port, start_orthanc

if not available():  # pragma: no cover - CI installs orthanc (see .ci/run)
    pytest.skip("Orthanc is not installed (apt-get install orthanc orthanc-dicomweb)",
                allow_module_level=True)


@pytest.fixture
def orthanc(tmp_path: Path) -> Iterator[Orthanc]:
    """A fresh Orthanc with the DICOMweb plugin, stopped and deleted after the test."""
    server = start_orthanc(tmp_path / "orthanc")
    yield server
    server.cleanup()


@pytest.fixture
def listen_port() -> int:
    """A free loopback port for our storage listener."""
    return free_port()
