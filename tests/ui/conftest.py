"""GUI test helpers: real stores (the ``store`` fixture), real workers, no sleeps.

Modal dialogs opened with ``exec()`` block inside a slot, so a test that must answer one
schedules the answer first with :func:`on_modal`; a zero-delay timer chain looks for the
dialog from inside the dialog's own event loop.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from clinic_app.services import Services
from clinic_app.ui.workers import WorkerPool
from tests.conftest import StoreFixture

#: How long any modal dialog may stay open in a GUI test before it is closed and the test fails.
MODAL_DEADLINE_S = float(os.environ.get("CLINIC_TEST_MODAL_DEADLINE_S", "120"))


def on_modal(kind: type[QWidget], action: Callable[[QWidget], None], *, deadline_s: float = 60.0,
             name: str | None = None) -> None:
    """Run ``action(dialog)`` as soon as a modal ``kind`` is showing (polled until a deadline).

    The deadline is wall-clock time, not a number of polls: under load a timer fires less
    often, and a fixed count could run out before the dialog opens, leaving it modal forever.
    With ``name``, only a dialog of that object name counts: a progress dialog shown first
    (a QDialog too, once the work outlasts its minimum duration) is waited past.
    """
    end = time.monotonic() + deadline_s

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if (isinstance(widget, kind) and widget.isVisible()
                and (name is None or widget.objectName() == name)):
            action(widget)
        elif time.monotonic() < end:
            QTimer.singleShot(5, poll)
    QTimer.singleShot(0, poll)


def settle(qtbot, pool: WorkerPool, timeout: int = 20_000) -> None:
    """Wait until every task of ``pool`` has been delivered (no-op if none is running)."""
    if pool.active_count:
        with qtbot.waitSignal(pool.all_finished, timeout=timeout):
            pass


@pytest.fixture(autouse=True)
def error_dialogs(qapp) -> Iterator[list[str]]:
    """Close any error dialog as it appears and fail the test if one did.

    An unexpected error dialog would otherwise wait forever in exec(). A test that expects
    one takes this fixture, checks the texts, and clears the list.
    """
    seen: list[str] = []
    stuck: list[str] = []
    # A modal left open past this deadline would block exec() until the whole run's
    # timeout kills every test; closing it here fails this test alone, with its name.
    give_up = time.monotonic() + MODAL_DEADLINE_S

    def sweep() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.objectName() == "errorDialog" \
                    and widget.isVisible():
                seen.append(widget.text())
                widget.done(0)
        modal = QApplication.activeModalWidget()
        if modal is not None and time.monotonic() > give_up:
            stuck.append(f"{type(modal).__name__} {modal.objectName()!r} {modal.windowTitle()!r}")
            if isinstance(modal, QDialog):
                modal.reject()
            else:
                modal.close()
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(sweep)
    timer.start()
    yield seen
    timer.stop()
    assert stuck == [], f"modal dialog(s) still open after {MODAL_DEADLINE_S:.0f} s, closed: {stuck}"
    assert seen == [], f"unexpected error dialog(s): {seen}"


def owned_pool() -> WorkerPool:
    """A pool the application object owns, as the app's own pools have a parent.

    Unparented, a test's pool belonged to its Python wrapper, which the test's widgets
    hold in reference cycles; the cycle collector then destroyed the pool (and its thread
    pool) at an arbitrary later moment, on whichever thread it ran, while other tests'
    workers were running. Owned by the application it is destroyed with it, on the GUI
    thread, after the last test.
    """
    return WorkerPool(QCoreApplication.instance())


@pytest.fixture
def pool(qtbot) -> Iterator[WorkerPool]:
    p = owned_pool()
    yield p
    p.cancel_all()
    p.wait(10_000)
    # Deliver what the finished threads queued while this test's widgets still exist; left
    # over, it ran in the next test against freed objects.
    QCoreApplication.processEvents()


@pytest.fixture
def services_with(store: StoreFixture) -> Iterator[Callable[..., Services]]:
    """Services over the same store copy with changed settings (and the same clock)."""
    made: list[Services] = []

    def make(**changes: object) -> Services:
        s = Services(store.settings(**changes), clock=store.clock)
        made.append(s)
        return s
    yield make
    for s in made:
        s.close()
