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
    dialog.progress.valueChanged.connect(lambda _v: formats.append(dialog.progress.format()))
    with qtbot.waitSignal(dialog.imported, timeout=60_000):
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    report = dialog.report
    assert report is not None and report.ok
    rows = {dialog.per_file.item(r, 0).text(): [dialog.per_file.item(r, c).text()
                                                 for c in range(dialog.per_file.columnCount())]
            for r in range(dialog.per_file.rowCount())}
    assert rows["Observation.ndjson.gz"][1] == "Observation"
    assert rows["Observation.ndjson.gz"][2] == "imported"
    assert int(rows["Observation.ndjson.gz"][8]) >= 1  # the times stamped ahead are flagged
    assert any(f.startswith("Observation.ndjson.gz: ") and "items" in f for f in formats)
    if os.environ.get("CLINIC_SCREENSHOTS"):
        out = Path(os.environ["CLINIC_SCREENSHOTS"])
        for w, h in ((1280, 800), (1920, 1080)):
            dialog.resize(w, h)
            dialog.show()
            qtbot.waitExposed(dialog)
            dialog.grab().save(str(out / f"records_import_{w}x{h}.png"))
