"""Keeps the viewports' measurements and the store in step for the open study.

On opening a study the reader's saved measurements are fetched (worker); each stack's
are drawn, with values measured again, as soon as its full volume is on screen. A
change in one viewport is copied to the other viewports showing the same stack, and
saved shortly after (one save per burst of edits, on a worker), so they are there
when the study opens again, tomorrow or on another workstation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from clinic_app.core.imaging.measurement_store import SavedMeasurement
from clinic_app.core.imaging.viewport import Measurement
from clinic_app.core.tasks import CancelToken, ProgressCallback
from clinic_app.services import Services, Session
from clinic_app.ui.radiology.canvas import SliceCanvas
from clinic_app.ui.radiology.display import StackRef
from clinic_app.ui.radiology.viewer import ViewerPanel

#: Edits closer together than this are saved once.
SAVE_DELAY_MS = 400

Submit = Callable[..., Any]


class MeasurementSync(QObject):
    #: The saved measurements of the open study arrived (count).
    loaded = Signal(int)
    #: A stack's measurements were saved (StackRef, how many).
    saved = Signal(object, int)

    def __init__(self, services: Services, session: Session, viewer: ViewerPanel, submit: Submit,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services, self.session, self.viewer, self._submit = services, session, viewer, submit
        self.study_uid: str | None = None
        #: Studies whose measurements are shown: the open one and any prior beside it.
        self.studies: set[str] = set()
        #: The study a shown series belongs to (a prior's series save under the prior).
        self.study_of: Callable[[str], str | None] = lambda _uid: None
        self._saved: dict[StackRef, list[Measurement]] = {}
        self._dirty: dict[StackRef, list[Measurement]] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        for vp in viewer.viewports:
            vp.canvas.measurements_changed.connect(lambda c=vp.canvas: self._changed(c))

    def set_study(self, study_uid: str | None) -> None:
        """Forget the previous study (saving what is pending) and fetch this one's."""
        self.flush()
        self.study_uid = study_uid
        self.studies = set()
        self._saved = {}
        if study_uid is not None:
            self.add_study(study_uid)

    def add_study(self, study_uid: str) -> None:
        """Fetch and show the reader's measurements of another study (a prior) too."""
        if study_uid in self.studies:
            return
        self.studies.add(study_uid)
        services, session = self.services, self.session

        def load(progress: ProgressCallback, cancel: CancelToken) -> list[SavedMeasurement]:
            return services.measurements.for_study(session, study_uid)

        # Queued after the study's first images (submitted in the same turn of the event
        # loop): a reader waits for the image, not for the list of what they drew on it.
        QTimer.singleShot(0, lambda: self._submit(load, name="measurements",
                                                  on_result=lambda r, u=study_uid: self._loaded(u, r))
                          if study_uid in self.studies else None)

    def _loaded(self, study_uid: str, found: list[SavedMeasurement]) -> None:
        if study_uid not in self.studies:
            return
        for s in found:
            self._saved.setdefault(StackRef(s.series_uid, s.stack_index), []).append(s.measurement)
        for vp in self.viewer.viewports:
            if vp.canvas.display is not None and vp.canvas.display.complete:
                self.stack_shown(vp.canvas.display.ref)
        self.loaded.emit(len(found))

    def stack_shown(self, ref: StackRef) -> None:
        """A stack's full volume is on screen: draw its saved measurements there."""
        items = self._dirty.get(ref, self._saved.get(ref))
        if not items:
            return
        for canvas in self._canvases(ref):
            if not canvas.measurements:
                canvas.restore_measurements(items)

    def _canvases(self, ref: StackRef) -> list[SliceCanvas]:
        return [vp.canvas for vp in self.viewer.viewports
                if vp.canvas.display is not None and vp.canvas.display.ref == ref]

    def _changed(self, source: SliceCanvas) -> None:
        if source.display is None or self.study_uid is None:
            return
        ref = source.display.ref
        for canvas in self._canvases(ref):
            if canvas is not source:
                canvas.set_measurements(source.measurements)
        self._dirty[ref] = list(source.measurements)
        self._saved[ref] = list(source.measurements)
        self._timer.start()

    def flush(self) -> None:
        """Save every stack changed since the last save (on a worker)."""
        self._timer.stop()
        dirty, self._dirty = self._dirty, {}
        if self.study_uid is None:
            return
        services, session = self.services, self.session
        for ref, items in dirty.items():
            study_uid = self.study_of(ref.series_uid) or self.study_uid

            def save(progress: ProgressCallback, cancel: CancelToken, study_uid: str = study_uid,
                     ref: StackRef = ref, items: list[Measurement] = items) -> int:
                return services.measurements.save(session, study_uid, ref.series_uid, ref.stack, items)

            self._submit(save, name="save measurements", on_result=lambda n, r=ref: self.saved.emit(r, n))
