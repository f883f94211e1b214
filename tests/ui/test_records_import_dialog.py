"""The physician's records import dialog with a Bulk Data export folder."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt

from clinic_app.core.clock import ManualClock
from clinic_app.synthetic.bulk_export import write_export
from clinic_app.ui.physician.import_dialog import ImportDialog


def test_export_folder_imports_with_per_file_progress_and_report(store, tmp_path, qtbot, pool):
    """An export folder imports file by file; the report lists each file's type, counts,
    flags and unclassified drugs; progress names the file being imported."""
    folder = tmp_path / "export"
    write_export(folder, 6, 30, as_of=ManualClock().now)
    dialog = ImportDialog(store.services, store.login("phys"), pool)
    qtbot.addWidget(dialog)
    dialog.add_paths([folder])
    formats: list[str] = []
    with qtbot.waitSignal(dialog.imported, timeout=60_000):
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
        # after the dialog's own slot: the bar's text as each report left it
        dialog.task.progress.connect(lambda *_: formats.append(dialog.progress.format()))
    report = dialog.report
    assert report is not None and report.ok
    rows = {dialog.per_file.item(r, 0).text(): [dialog.per_file.item(r, c).text()
                                                 for c in range(dialog.per_file.columnCount())]
            for r in range(dialog.per_file.rowCount())}
    assert rows["Observation.ndjson.gz"][1] == "Observation"
    assert rows["Observation.ndjson.gz"][2] == "imported"
    assert int(rows["Observation.ndjson.gz"][8]) >= 1  # the times stamped ahead are flagged
    assert any(f.startswith("file ") and " — Observation.ndjson.gz: " in f and "items" in f
               for f in formats), formats  # which file of how many, then its count
    if os.environ.get("CLINIC_SCREENSHOTS"):
        out = Path(os.environ["CLINIC_SCREENSHOTS"])
        for w, h in ((1280, 800), (1920, 1080)):
            dialog.resize(w, h)
            dialog.show()
            qtbot.waitExposed(dialog)
            dialog.grab().save(str(out / f"records_import_{w}x{h}.png"))


def _rows(table) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]


def test_refused_and_flagged_are_told_apart_and_repeats_grouped(store, tmp_path, qtbot, pool):
    """A file with an invalid line is reported refused with its line; flags repeated on
    many items are one row with a count; the summary gives both numbers separately."""
    import gzip
    import json

    folder = tmp_path / "export"
    write_export(folder, 6, 30, as_of=ManualClock().now)
    path = folder / "Observation.ndjson.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        lines = fh.readlines()
    bad = json.loads(lines[4])
    bad["status"] = 7
    lines[4] = json.dumps(bad) + "\n"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.writelines(lines)
    dialog = ImportDialog(store.services, store.login("phys"), pool)
    qtbot.addWidget(dialog)
    dialog.add_paths([folder])
    with qtbot.waitSignal(dialog.imported, timeout=60_000):
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert "1 of" in dialog.outcome.text() and "refused" in dialog.outcome.text()
    assert "kept but flagged" in dialog.outcome.text()
    problems = _rows(dialog.problems)
    refused = [r for r in problems if r[1] == "refused (invalid)"]
    assert refused == [["Observation.ndjson.gz", "refused (invalid)",
                        refused[0][2], refused[0][3]]] and refused[0][2].startswith("line 5")
    grouped = [r for r in problems if r[1] == "kept, flagged" and " more" in r[2]]
    assert grouped, problems
    reasons = [(r[0], r[3]) for r in problems if r[1] == "kept, flagged"]
    assert len(reasons) == len(set(reasons))  # one row per file and reason


def test_cancel_mid_file_reports_cancelled_and_keeps_nothing_of_it(store, tmp_path, qtbot,
                                                                   pool, monkeypatch):
    """Cancel pressed while the observations stream: the dialog says cancelled and that
    the file in progress was rolled back, files not imported left no rows, the buttons
    come back."""
    from clinic_app.core.records import fhir
    from clinic_app.core.records.repository import RecordRepository

    monkeypatch.setattr(fhir, "BATCH_LINES", 20)
    folder = tmp_path / "export"
    write_export(folder, 6, 30, as_of=ManualClock().now)
    phys = store.login("phys")
    dialog = ImportDialog(store.services, phys, pool)
    qtbot.addWidget(dialog)
    dialog.add_paths([folder])

    def on_progress(*_args: object) -> None:
        if "Observation.ndjson.gz" in dialog.progress.format() and \
                dialog.cancel_button.isEnabled():
            dialog.cancel_button.click()

    with qtbot.waitSignal(dialog.imported, timeout=60_000):
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
        dialog.task.progress.connect(on_progress)
    assert dialog.report is not None and dialog.report.cancelled
    assert dialog.outcome.text().startswith("Import cancelled")
    assert "rolled back" in dialog.outcome.text()
    assert dialog.start_button.isEnabled() and not dialog.cancel_button.isVisible()
    # (progress reaches the GUI queued, so the cancel may land in a later file than the
    # one that showed it; whichever it was, the files not imported left nothing behind)
    stored = {i.source_file for i in RecordRepository(phys.clinical).imports()}
    skipped = {f.file for f in dialog.report.files if not f.imported}
    assert skipped and not skipped & stored
