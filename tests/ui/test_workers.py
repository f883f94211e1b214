"""Worker pool: results on the GUI thread, progress, cooperative cancel, errors never lost."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QPushButton

from clinic_app.errors import InvalidInput
from clinic_app.ui.workers import TaskProgressDialog, run_with_progress


def test_result_arrives_on_the_gui_thread(qtbot, pool):
    """The function runs off the GUI thread; its result is delivered on it."""
    where: dict[str, bool] = {}

    def work(progress, cancel):
        where["worker_is_gui"] = QThread.currentThread() is QApplication.instance().thread()
        return 42

    def got(value):
        where["result_is_gui"] = QThread.currentThread() is QApplication.instance().thread()
        where["value"] = value
    with qtbot.waitSignal(pool.all_finished, timeout=10_000):
        pool.submit(work, on_result=got)
    assert where == {"worker_is_gui": False, "result_is_gui": True, "value": 42}


def test_progress_reports_reach_the_task_and_the_last_one_always_arrives(qtbot, pool):
    """Progress is throttled, but the final done == total report is never dropped."""
    seen: list[tuple[int, int, str]] = []

    def work(progress, cancel):
        for i in range(1, 2001):
            progress(i, 2000, "step")
    with qtbot.waitSignal(pool.all_finished, timeout=10_000):
        pool.submit(work, on_progress=lambda d, t, m: seen.append((d, t, m)))
    assert seen and seen[-1] == (2000, 2000, "step")
    assert len(seen) < 2000


def test_cancel_stops_at_the_next_cancel_point(qtbot, pool):
    """A cancelled task emits cancelled, not returned, and stops early."""
    started, release = threading.Event(), threading.Event()
    steps: list[int] = []

    def work(progress, cancel):
        started.set()
        release.wait(10)
        for i in range(100):
            cancel.raise_if_cancelled()
            steps.append(i)
        return "finished"
    results: list[object] = []
    task = pool.create(work, on_result=results.append)
    pool.start(task)
    assert started.wait(10)
    with qtbot.waitSignal(task.cancelled, timeout=10_000):
        task.cancel()
        release.set()
    assert steps == [] and results == []


def test_errors_go_to_the_handler_with_their_type(qtbot, pool):
    """An exception in the worker reaches on_error as the same exception object."""
    errors: list[BaseException] = []

    def work(progress, cancel):
        raise InvalidInput("That file is not a DICOM file.")
    with qtbot.waitSignal(pool.all_finished, timeout=10_000):
        pool.submit(work, on_error=errors.append)
    assert isinstance(errors[0], InvalidInput) and "DICOM" in str(errors[0])


def test_unhandled_errors_are_shown_in_a_dialog(qtbot, pool, error_dialogs):
    """Without on_error the error appears in a dialog with the service's own message."""
    def work(progress, cancel):
        raise InvalidInput("The folder holds no readable files.")
    pool.submit(work)
    qtbot.waitUntil(lambda: bool(error_dialogs), timeout=10_000)
    assert error_dialogs == ["The folder holds no readable files."]
    error_dialogs.clear()


def test_unexpected_errors_show_only_their_type(qtbot, pool, error_dialogs):
    """A bug's message (which may quote patient data) never reaches the dialog."""
    def work(progress, cancel):
        raise KeyError("DOE^JANE")
    pool.submit(work)
    qtbot.waitUntil(lambda: bool(error_dialogs), timeout=10_000)
    assert "KeyError" in error_dialogs[0] and "DOE" not in error_dialogs[0]
    error_dialogs.clear()


def test_progress_dialog_follows_the_task_and_cancel_sets_the_token(qtbot, pool):
    """The dialog's bar tracks progress; its Cancel button cancels the task."""
    started, release = threading.Event(), threading.Event()

    def work(progress, cancel):
        progress(1, 4, "Reading 1 of 4")
        started.set()
        release.wait(10)
        cancel.raise_if_cancelled()
    task = run_with_progress(pool, None, "Importing", work, label="Reading files…")
    dialog = task.progress_dialog
    assert isinstance(dialog, TaskProgressDialog)
    assert started.wait(10)
    qtbot.waitUntil(lambda: dialog.maximum() == 4, timeout=10_000)
    assert dialog.value() == 1 and dialog.labelText() == "Reading 1 of 4"
    with qtbot.waitSignal(task.cancelled, timeout=10_000):
        dialog.findChild(QPushButton).click()  # the dialog's Cancel button
        release.set()
    assert task.token.cancelled
