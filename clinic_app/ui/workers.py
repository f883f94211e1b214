"""Background work for the GUI: a pool of tasks with progress, cooperative cancel and errors.

The pattern every screen follows (see docs/ui.md):

1. On the GUI thread, ``pool.submit(fn, on_result=..., error_parent=widget)``. ``fn`` is a
   plain callable ``fn(progress, cancel) -> result`` that calls services only, the same
   ``Progress`` / ``CancelToken`` pair the core takes (``clinic_app.core.tasks``).
2. ``fn`` runs on a ``QThreadPool`` thread. It never touches a widget: everything it has to
   say travels back through the task's Qt signals, which are delivered (queued) on the
   GUI thread because the :class:`Task` object lives there.
3. The result arrives in ``returned``; ``clinic_app.errors.Cancelled`` in ``cancelled``; any
   other exception in ``errored``. Errors are never swallowed: without an ``on_error`` the
   pool shows them with :func:`clinic_app.ui.dialogs.show_error`.
4. Cancel is cooperative: ``task.cancel()`` (or the progress dialog's Cancel button) sets
   the token, and ``fn`` stops at its next ``cancel.raise_if_cancelled()``, where stopping
   leaves the store consistent. The shell cancels every task before the idle lock drops
   the session's keys, and waits for them to finish.

Lifetimes: a worker thread touches exactly one Qt object, the pool's relay, which lives
as long as the pool (and the pool's thread pool, a child created before it, waits for
every thread when the pool is destroyed). The :class:`Task` handles a screen holds are
GUI-thread objects the worker never sees, so deleting one after its ``finished`` can
never race a thread that is still emitting.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from functools import partial
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from clinic_app.core.tasks import CancelToken, ProgressCallback
from clinic_app.errors import Cancelled
from clinic_app.ui.dialogs import show_error

#: At most one progress signal per this many seconds (plus the last): a loop over ten
#: thousand files must not flood the GUI thread's event queue.
PROGRESS_INTERVAL_S = 0.05

TaskFn = Callable[[ProgressCallback, CancelToken], Any]


class Task(QObject):
    """The GUI-side handle of one background call. Signals arrive on the GUI thread."""

    progress = Signal(int, int, str)
    returned = Signal(object)
    errored = Signal(object)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, name: str, pool: WorkerPool) -> None:
        super().__init__(pool)
        self.setObjectName(name)
        self.name = name
        self.token = CancelToken()
        self.progress_dialog: QProgressDialog | None = None

    def cancel(self) -> None:
        """Ask the task to stop at its next cancel point (safe from any thread)."""
        self.token.cancel()


class _Relay(QObject):
    """The one object worker threads emit on; signals carry the task's number."""

    progress = Signal(int, int, int, str)
    returned = Signal(int, object)
    errored = Signal(int, object)
    cancelled = Signal(int)
    finished = Signal(int)


def _execute(relay: _Relay, number: int, fn: TaskFn, token: CancelToken) -> None:
    """Runs on a pool thread: call ``fn`` and report everything through ``relay``."""
    last = [0.0]

    def report(done: int, total: int, message: str = "") -> None:
        now = time.monotonic()
        if done >= total or now - last[0] >= PROGRESS_INTERVAL_S:
            last[0] = now
            relay.progress.emit(number, int(done), int(total), message)

    try:
        result = fn(report, token)
    except Cancelled:
        relay.cancelled.emit(number)
    except BaseException as exc:  # every failure travels to the GUI thread
        relay.errored.emit(number, exc)
    else:
        relay.returned.emit(number, result)
    finally:
        relay.finished.emit(number)


class WorkerPool(QObject):
    """Runs tasks off the GUI thread and tracks them so they can be cancelled together."""

    all_finished = Signal()

    def __init__(self, parent: QObject | None = None, *, max_threads: int | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        if max_threads:
            self._pool.setMaxThreadCount(max_threads)
        self._relay = _Relay(self)
        # Bound methods of this GUI-thread object: delivery is queued onto the GUI thread.
        self._relay.progress.connect(self._on_progress)
        self._relay.returned.connect(self._on_returned)
        self._relay.errored.connect(self._on_errored)
        self._relay.cancelled.connect(self._on_cancelled)
        self._relay.finished.connect(self._finish)
        self._tasks: dict[int, Task] = {}
        self._pending: dict[int, TaskFn] = {}
        self._numbers = itertools.count(1)

    @property
    def active_count(self) -> int:
        return len(self._tasks)

    def _on_progress(self, number: int, done: int, total: int, message: str) -> None:
        self._tasks[number].progress.emit(done, total, message)

    def _on_returned(self, number: int, result: object) -> None:
        self._tasks[number].returned.emit(result)

    def _on_errored(self, number: int, exc: BaseException) -> None:
        self._tasks[number].errored.emit(exc)

    def _on_cancelled(self, number: int) -> None:
        self._tasks[number].cancelled.emit()

    def submit(self, fn: TaskFn, *, name: str = "task",
               on_result: Callable[[Any], object] | None = None,
               on_error: Callable[[BaseException], None] | None = None,
               on_cancelled: Callable[[], None] | None = None,
               on_progress: Callable[[int, int, str], None] | None = None,
               error_parent: QWidget | None = None) -> Task:
        """Start ``fn(progress, cancel)`` on a pool thread and return its handle.

        Pass the ``on_*`` callbacks; without ``on_error`` an error is shown in a dialog
        over ``error_parent``. To connect anything else to the handle, use
        :meth:`create`, connect, then :meth:`start`.
        """
        task = self.create(fn, name=name, on_result=on_result, on_error=on_error,
                           on_cancelled=on_cancelled, on_progress=on_progress,
                           error_parent=error_parent)
        self.start(task)
        return task

    def create(self, fn: TaskFn, *, name: str = "task",
               on_result: Callable[[Any], object] | None = None,
               on_error: Callable[[BaseException], None] | None = None,
               on_cancelled: Callable[[], None] | None = None,
               on_progress: Callable[[int, int, str], None] | None = None,
               error_parent: QWidget | None = None) -> Task:
        """Build a task with its connections but do not start it yet."""
        task = Task(name, self)
        if on_result is not None:
            task.returned.connect(on_result)
        task.errored.connect(on_error if on_error is not None
                             else partial(self._show_error, error_parent))
        if on_cancelled is not None:
            task.cancelled.connect(on_cancelled)
        if on_progress is not None:
            task.progress.connect(on_progress)
        number = next(self._numbers)
        task.setProperty("taskNumber", number)
        self._pending[number] = fn
        return task

    def start(self, task: Task) -> None:
        number = int(task.property("taskNumber"))
        fn = self._pending.pop(number)
        self._tasks[number] = task
        self._pool.start(partial(_execute, self._relay, number, fn, task.token))

    def cancel_all(self) -> None:
        for task in list(self._tasks.values()):
            task.cancel()

    def wait(self, msecs: int) -> bool:
        """Block until every thread is done (only for shutdown); True if they all are."""
        return self._pool.waitForDone(msecs)

    @staticmethod
    def _show_error(parent: QWidget | None, exc: BaseException) -> None:
        if parent is not None and not shiboken6.isValid(parent):
            parent = None
        show_error(parent, exc)

    def _finish(self, number: int) -> None:
        task = self._tasks.pop(number)
        task.finished.emit()
        task.deleteLater()
        if not self._tasks:
            self.all_finished.emit()


class TaskProgressDialog(QProgressDialog):
    """A window-modal progress dialog bound to one task; Cancel sets the task's token.

    It appears only if the task takes longer than ``minimum_ms``, so quick calls do not
    flash a window, and it shows a busy bar until the task reports a total.
    """

    def __init__(self, task: Task, parent: QWidget | None, title: str, label: str, *,
                 cancellable: bool = True, minimum_ms: int = 400) -> None:
        super().__init__(label, self.tr("Cancel") if cancellable else "", 0, 0, parent)
        self.setObjectName("taskProgress")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumDuration(minimum_ms)
        self.setAutoReset(False)
        self.setAutoClose(False)
        if not cancellable:
            self.setCancelButton(None)
        self._base_label = label
        task.progress.connect(self._on_progress)
        task.finished.connect(self._on_finished)
        self.canceled.connect(task.cancel)

    def _on_progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.setMaximum(total)
            self.setValue(min(done, total))
        if message:
            self.setLabelText(message)

    def _on_finished(self) -> None:
        self.close()
        self.deleteLater()


def run_with_progress(pool: WorkerPool, parent: QWidget | None, title: str, fn: TaskFn, *,
                      on_result: Callable[[Any], object] | None = None,
                      on_error: Callable[[BaseException], None] | None = None,
                      label: str = "", cancellable: bool = True) -> Task:
    """Submit ``fn`` and show a progress dialog for it over ``parent``."""
    task = pool.create(fn, name=title, on_result=on_result, on_error=on_error,
                       error_parent=parent)
    # Held by the task: without a parent widget nothing else would keep the dialog alive.
    task.progress_dialog = TaskProgressDialog(
        task, parent, title, label or QCoreApplication.translate("workers", "Working…"), cancellable=cancellable)
    pool.start(task)
    return task
