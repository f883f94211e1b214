"""The application log: where it goes, that it rotates, and that it never carries patient data."""

from __future__ import annotations

import logging
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from clinic_app import logging_setup
from clinic_app.cli.main import main

PATIENT_NAME = "DOE^JANE"


@pytest.fixture
def app_log(tmp_path: Path) -> Iterator[Path]:
    """Configure logging into tmp_path and detach it afterwards."""
    yield tmp_path / "logs"
    logging_setup.configure(tmp_path / "detached-logs")
    root = logging.getLogger("clinic_app")
    for h in list(root.handlers):
        if getattr(h, "_clinic_app", False):
            root.removeHandler(h)
            h.close()


def _flush() -> None:
    for h in logging.getLogger("clinic_app").handlers:
        h.flush()


def test_log_file_is_created_owner_only_with_utc_times(app_log):
    """The log lands in the configured folder, readable by its owner only, stamped in UTC."""
    path = logging_setup.configure(app_log)
    assert path == app_log / logging_setup.LOG_FILE
    logging.getLogger("clinic_app.test").info("import finished: %d instances", 3)
    _flush()
    text = path.read_text(encoding="utf-8")
    assert re.search(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO clinic_app.test: import finished: 3",
                     text, re.M)
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(app_log.stat().st_mode) == 0o700


def test_log_rotates_and_keeps_a_bounded_number_of_files(app_log):
    """Past max_bytes the file rotates; only backup_count old files are kept."""
    logging_setup.configure(app_log, max_bytes=2000, backup_count=2)
    log = logging.getLogger("clinic_app.test")
    for i in range(200):
        log.info("line %04d %s", i, "x" * 40)
    _flush()
    names = sorted(p.name for p in app_log.iterdir())
    assert names == ["clinic-app.log", "clinic-app.log.1", "clinic-app.log.2"]
    assert all(p.stat().st_size <= 2000 for p in app_log.iterdir())


def test_default_rotation_is_documented_size():
    """The defaults are the documented 5 MiB x 5 backups."""
    assert logging_setup.MAX_BYTES == 5 * 1024 * 1024
    assert logging_setup.BACKUP_COUNT == 5


def test_reconfiguring_does_not_duplicate_lines(app_log):
    """Configuring twice (second login, CLI then GUI) writes each message once."""
    logging_setup.configure(app_log)
    path = logging_setup.configure(app_log)
    logging.getLogger("clinic_app").warning("once")
    _flush()
    assert path.read_text(encoding="utf-8").count("once") == 1


def test_unusable_log_folder_is_not_fatal(tmp_path, app_log):
    """A log folder that cannot be created returns None instead of stopping the app."""
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert logging_setup.configure(blocker / "logs") is None


def test_unexpected_exception_logs_type_and_frames_but_not_message(app_log):
    """An unexpected error's message (which may quote a header) is never written to the log."""
    path = logging_setup.configure(app_log)
    try:
        raise ValueError(f"bad header for {PATIENT_NAME}")
    except ValueError as exc:
        logging_setup.log_unexpected(exc)
    _flush()
    text = path.read_text(encoding="utf-8")
    assert "unexpected ValueError" in text
    assert "test_logging.py" in text
    assert PATIENT_NAME not in text


def test_third_party_dicom_loggers_do_not_reach_the_log(app_log):
    """pydicom's warnings, which quote header values, are kept out of our log."""
    path = logging_setup.configure(app_log)
    logging.getLogger("pydicom").warning("Invalid value for PatientName: %s", PATIENT_NAME)
    logging.getLogger("pydicom").error("Invalid value for PatientName: %s", PATIENT_NAME)
    logging.getLogger("clinic_app").info("marker")
    _flush()
    text = path.read_text(encoding="utf-8")
    assert "marker" in text
    assert PATIENT_NAME not in text


def test_cli_logs_to_the_site_log_dir(tmp_path, app_log, monkeypatch, capsys):
    """A CLI command writes its log into the log_dir set in the site config."""
    site = tmp_path / "site.toml"
    site.write_text(f'log_dir = "{app_log}"\n', encoding="utf-8")
    monkeypatch.setenv("CLINIC_APP_SITE_CONFIG", str(site))
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO(""))
    code = main(["--store", str(tmp_path / "store"), "passwd", "--user", "nobody",
                 "--password-stdin"])
    capsys.readouterr()
    assert code != 0
    assert (app_log / logging_setup.LOG_FILE).exists()
