"""Loading series for the viewer: first image at once, the rest in the background.

Opening a series (one of its stacks: the largest unless asked otherwise) starts two
worker tasks: one decodes the single slice the viewer opens on
(``ImagingService.first_slice``), the other the whole stack (``load_series_volume``).
The preview reaches the screen in tens of milliseconds; the full volume replaces it, at
the same anatomical position, when it is ready. Both run on the shared
:class:`~clinic_app.ui.workers.WorkerPool` and only return data: the display snapshots
are built on the worker (pure numpy, no Qt) and handed to the GUI thread through the
task's signals, so no widget is ever touched off the GUI thread.

Decoded volumes are kept in a small LRU cache (by bytes), so flipping between the
series of a study does not decode them again; the cache is dropped when the study
closes or the screen locks.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from clinic_app.core.tasks import CancelToken, ProgressCallback
from clinic_app.errors import ClinicAppError
from clinic_app.services import Services, Session
from clinic_app.services.imaging import SeriesDetail, StudyDetail
from clinic_app.ui.dialogs import show_error, user_message
from clinic_app.ui.radiology.display import (
    CornerText,
    SeriesDisplay,
    StackRef,
    display_from_slice,
    display_from_volume,
    first_display_index,
    study_corners,
)
from clinic_app.ui.workers import Task, WorkerPool

#: Decoded volumes kept for quick switching between the series of the open study.
CACHE_BYTES = 1_500 * 1024**2


@dataclass
class _Loading:
    preview: Task | None
    volume: Task


class SeriesLoader(QObject):
    """Fetches :class:`SeriesDisplay` snapshots for the series of one open study."""

    display_ready = Signal(object)  # SeriesDisplay, a preview (complete=False) or the full one
    failed = Signal(object, str)  # StackRef, message for the user
    progress = Signal(object, int, int)  # StackRef, slices decoded, total

    def __init__(self, services: Services, session: Session, pool: WorkerPool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.session = session
        self.pool = pool
        self._parent = parent
        self.study: StudyDetail | None = None
        self._series: dict[str, SeriesDetail] = {}
        self._cache: OrderedDict[StackRef, SeriesDisplay] = OrderedDict()
        self._loading: dict[StackRef, _Loading] = {}

    def set_study(self, detail: StudyDetail | None) -> None:
        """Switch to another study: cancels loads of the previous one and drops its cache."""
        self.cancel_all()
        self._cache.clear()
        self.study = detail
        self._series = {s.series_uid: s for s in detail.series} if detail else {}

    def series(self, series_uid: str) -> SeriesDetail | None:
        return self._series.get(series_uid)

    def corners(self, series_uid: str) -> CornerText:
        if self.study is None:
            return CornerText()
        return study_corners(self.study.study, self._series.get(series_uid))

    def cached(self, ref: StackRef) -> SeriesDisplay | None:
        display = self._cache.get(ref)
        if display is not None:
            self._cache.move_to_end(ref)
        return display

    def is_loading(self, ref: StackRef) -> bool:
        return ref in self._loading

    def request(self, series_uid: str, stack_index: int = 0) -> None:
        """Emit ``display_ready`` for a stack of a series: at once if cached, else preview
        then volume."""
        ref = StackRef(series_uid, stack_index)
        cached = self.cached(ref)
        if cached is not None:
            self.display_ready.emit(cached)
            return
        if ref in self._loading:
            return
        detail = self._series.get(series_uid)
        if detail is None or not detail.stacks:
            self.failed.emit(ref, "This series has no images that can be shown.")
            return
        if not 0 <= stack_index < len(detail.stacks):
            self.failed.emit(ref, f"This series has {len(detail.stacks)} stack(s); stack "
                                  f"{stack_index + 1} does not exist.")
            return
        stack = detail.stacks[stack_index]
        corners = self.corners(series_uid)
        services, session = self.services, self.session
        preview: Task | None = None
        if stack.dimensions[0] > 1:
            first = first_display_index(stack)

            def load_preview(progress: ProgressCallback, cancel: CancelToken) -> SeriesDisplay:
                image = services.imaging.first_slice(session, series_uid, stack=stack_index,
                                                     index_in_stack=first)
                return display_from_slice(image, stack, series_uid, corners)

            preview = self.pool.create(load_preview, name="series preview",
                                       on_result=self._preview_done,
                                       on_error=lambda exc: None)  # the volume task reports
            self.pool.start(preview)

        def load_volume(progress: ProgressCallback, cancel: CancelToken) -> SeriesDisplay:
            volume = services.imaging.load_series_volume(session, series_uid, stack=stack_index,
                                                         progress=progress, cancel=cancel)
            return display_from_volume(volume, corners)

        task = self.pool.create(
            load_volume, name="series volume", on_result=self._volume_done,
            on_error=lambda exc, r=ref: self._volume_failed(r, exc),
            on_cancelled=lambda r=ref: self._loading.pop(r, None),
            on_progress=lambda done, total, _msg, r=ref: self.progress.emit(r, done, total))
        self._loading[ref] = _Loading(preview, task)
        self.pool.start(task)

    def _preview_done(self, display: SeriesDisplay) -> None:
        if display.ref in self._loading and display.ref not in self._cache:
            self.display_ready.emit(display)

    def _volume_done(self, display: SeriesDisplay) -> None:
        self._loading.pop(display.ref, None)
        if display.series_uid not in self._series:
            return  # the study was closed while this loaded
        self._cache[display.ref] = display
        self._trim()
        self.display_ready.emit(display)

    def _volume_failed(self, ref: StackRef, exc: BaseException) -> None:
        self._loading.pop(ref, None)
        message = user_message(exc) if isinstance(exc, ClinicAppError) else "The images could not be loaded."
        self.failed.emit(ref, message)
        show_error(self._parent, exc)

    def _trim(self) -> None:
        total = sum(d.voxels.nbytes for d in self._cache.values())
        while total > CACHE_BYTES and len(self._cache) > 1:
            _, dropped = self._cache.popitem(last=False)
            total -= dropped.voxels.nbytes

    def cancel_all(self) -> None:
        for loading in self._loading.values():
            loading.volume.cancel()
            if loading.preview is not None:
                loading.preview.cancel()
        self._loading.clear()

    def clear(self) -> None:
        """Forget everything (screen locked, study closed, sign-out)."""
        self.set_study(None)
