"""GUI test helpers: real stores (the ``store`` fixture), real workers, no sleeps.

Modal dialogs opened with ``exec()`` block inside a slot, so a test that must answer one
schedules the answer first with :func:`on_modal`; a zero-delay timer chain looks for the
dialog from inside the dialog's own event loop.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from clinic_app.services import Services
from clinic_app.ui.workers import WorkerPool
from tests.conftest import StoreFixture


def on_modal(kind: type[QWidget], action: Callable[[QWidget], None], *, tries: int = 2000) -> None:
    """Run ``action(dialog)`` as soon as a modal ``kind`` is showing (polled by timer)."""
    def poll(left: int) -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, kind) and widget.isVisible():
            action(widget)
        elif left > 0:
            QTimer.singleShot(5, lambda: poll(left - 1))
    QTimer.singleShot(0, lambda: poll(tries))


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

    def sweep() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.objectName() == "errorDialog" \
                    and widget.isVisible():
                seen.append(widget.text())
                widget.done(0)
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(sweep)
    timer.start()
    yield seen
    timer.stop()
    assert seen == [], f"unexpected error dialog(s): {seen}"


@pytest.fixture
def pool(qtbot) -> Iterator[WorkerPool]:
    p = WorkerPool()
    yield p
    p.cancel_all()
    p.wait(10_000)


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
