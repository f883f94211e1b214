"""Loading series for the viewer: first image at once, the rest in the background.

Opening a series (one of its stacks: the largest unless asked otherwise) starts one worker
task that decodes the stack outward from the slice the viewer opens on
(``load_series_volume(first=…, on_slices=…)``). Every progress report (at most 20 a
second) hands the GUI thread a new display snapshot naming the slices decoded so far: the
first image appears after one slice is decoded, and the reader can scroll through the
images around it while the rest loads; the snapshot with every slice replaces it at the
same anatomical position. The task only returns data: the snapshots are plain numpy
(built on the worker or in the progress slot, no Qt), so no widget is ever touched off
the GUI thread. The array is shared by the snapshots and filled in place, but a snapshot
shows only the slices it names, which are final before they are named.

Decoded volumes are kept in a small LRU cache (by bytes), so flipping between the
series of a study does not decode them again; the cache is dropped when the study
closes or the screen locks.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from clinic_app.core.imaging.volume import Volume
from clinic_app.core.tasks import CancelToken, ProgressCallback
from clinic_app.errors import ClinicAppError
from clinic_app.services import Services, Session
from clinic_app.services.imaging_types import SeriesDetail, StudyDetail, StudySummary
from clinic_app.ui.dialogs import show_error, user_message
from clinic_app.ui.radiology.display import (
    CornerText,
    SeriesDisplay,
    StackRef,
    display_from_volume,
    first_display_index,
    study_corners,
)
from clinic_app.ui.workers import Task, WorkerPool

#: Decoded volumes kept for quick switching between the series of the open study.
CACHE_BYTES = 1_500 * 1024**2


@dataclass
class _Loading:
    """One stack being loaded: its task and the slices decoded so far."""

    task: Task | None = None
    #: (volume, lo, hi), replaced whole by the loading thread (one attribute store, atomic
    #: under the GIL) and read by the GUI thread in the progress slot.
    latest: tuple[Volume, int, int] | None = None
    shown: tuple[int, int] | None = None  # the range of the last snapshot emitted


class SeriesLoader(QObject):
    """Fetches :class:`SeriesDisplay` snapshots for the series of one open study."""

    display_ready = Signal(object)  # SeriesDisplay: while loading (complete=False), then full
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
        self._study_of: dict[str, StudySummary] = {}
        self.priors: list[StudyDetail] = []
        self._cache: OrderedDict[StackRef, SeriesDisplay] = OrderedDict()
        self._loading: dict[StackRef, _Loading] = {}

    def set_study(self, detail: StudyDetail | None) -> None:
        """Switch to another study: cancels loads of the previous one and drops its cache."""
        self.cancel_all()
        self._cache.clear()
        self.study = detail
        self.priors = []
        self._series = {s.series_uid: s for s in detail.series} if detail else {}
        self._study_of = {uid: detail.study for uid in self._series} if detail else {}

    def add_prior(self, detail: StudyDetail) -> None:
        """Load the series of an earlier study of the patient beside the open one."""
        if self.study is None or detail.study.study_uid == self.study.study.study_uid:
            return
        if all(p.study.study_uid != detail.study.study_uid for p in self.priors):
            self.priors.append(detail)
        for s in detail.series:
            self._series.setdefault(s.series_uid, s)
            self._study_of.setdefault(s.series_uid, detail.study)

    def retagged(self) -> list[SeriesDisplay]:
        """The cached displays with corners naming their visit (after a prior joined)."""
        for ref, display in list(self._cache.items()):
            self._cache[ref] = replace(display, corners=self.corners(display.series_uid))
        return list(self._cache.values())

    def series(self, series_uid: str) -> SeriesDetail | None:
        return self._series.get(series_uid)

    def study_of(self, series_uid: str) -> StudySummary | None:
        """The study a loaded series belongs to (the open one, or a prior)."""
        return self._study_of.get(series_uid)

    def corners(self, series_uid: str) -> CornerText:
        study = self._study_of.get(series_uid)
        if self.study is None or study is None:
            return CornerText()
        corners = study_corners(study, self._series.get(series_uid))
        if not self.priors:
            return corners
        # Side by side, each viewport says which visit it shows, first line top right
        # (the study's date is the line under it; short, so a 1×2 corner never elides it).
        tag = self.tr("CURRENT") if study is self.study.study else self.tr("PRIOR")
        return CornerText(corners.top_left, (tag, *corners.top_right))

    def cached(self, ref: StackRef) -> SeriesDisplay | None:
        display = self._cache.get(ref)
        if display is not None:
            self._cache.move_to_end(ref)
        return display

    def is_loading(self, ref: StackRef) -> bool:
        return ref in self._loading

    def request(self, series_uid: str, stack_index: int = 0) -> None:
        """Emit ``display_ready`` for a stack of a series: at once if cached, else as its
        slices are decoded (around the first image first), then complete."""
        ref = StackRef(series_uid, stack_index)
        cached = self.cached(ref)
        if cached is not None:
            self.display_ready.emit(cached)
            return
        if ref in self._loading:
            return
        detail = self._series.get(series_uid)
        if detail is None or not detail.stacks:
            self.failed.emit(ref, self.tr("This series has no images that can be shown."))
            return
        if not 0 <= stack_index < len(detail.stacks):
            self.failed.emit(ref, self.tr("This series has {len} stack(s); stack {value} does not exist.").format(
                                      len=len(detail.stacks), value=stack_index + 1))
            return
        stack = detail.stacks[stack_index]
        corners = self.corners(series_uid)
        services, session = self.services, self.session
        first = first_display_index(stack)
        state = _Loading()

        def ready(volume: Volume, lo: int, hi: int) -> None:
            state.latest = (volume, lo, hi)  # loading thread

        def load_volume(progress: ProgressCallback, cancel: CancelToken) -> SeriesDisplay:
            volume = services.imaging.load_series_volume(session, series_uid, stack=stack_index,
                                                         progress=progress, cancel=cancel,
                                                         first=first, on_slices=ready)
            return display_from_volume(volume, corners)

        def failed(exc: BaseException, r: StackRef = ref) -> None:
            self._volume_failed(r, exc)

        def cancelled(r: StackRef = ref) -> None:
            self._loading.pop(r, None)

        def progressed(done: int, total: int, _msg: str, r: StackRef = ref) -> None:
            self._progressed(r, done, total)

        task = self.pool.create(load_volume, name="series volume", on_result=self._volume_done,
                                on_error=failed, on_cancelled=cancelled, on_progress=progressed)
        state.task = task
        self._loading[ref] = state
        self.pool.start(task)

    def _progressed(self, ref: StackRef, done: int, total: int) -> None:
        """GUI thread: report progress and show the slices decoded since the last report."""
        self.progress.emit(ref, done, total)
        loading = self._loading.get(ref)
        latest = loading.latest if loading is not None else None
        if loading is None or latest is None or ref in self._cache:
            return
        volume, lo, hi = latest
        if (lo, hi) == loading.shown or (lo, hi) == (0, total - 1):
            return  # nothing new, or complete: the finished task delivers the full display
        loading.shown = (lo, hi)
        self.display_ready.emit(display_from_volume(volume, self.corners(ref.series_uid),
                                                    loaded=(lo, hi)))

    def _volume_done(self, display: SeriesDisplay) -> None:
        self._loading.pop(display.ref, None)
        if display.series_uid not in self._series:
            return  # the study was closed while this loaded
        if self.priors:  # a prior joined while this loaded: the corners name the visit
            display = replace(display, corners=self.corners(display.series_uid))
        self._cache[display.ref] = display
        self._trim()
        self.display_ready.emit(display)

    def _volume_failed(self, ref: StackRef, exc: BaseException) -> None:
        self._loading.pop(ref, None)
        message = user_message(exc) if isinstance(exc, ClinicAppError) else self.tr("The images could not be loaded.")
        self.failed.emit(ref, message)
        show_error(self._parent, exc)

    def _trim(self) -> None:
        total = sum(d.voxels.nbytes for d in self._cache.values())
        while total > CACHE_BYTES and len(self._cache) > 1:
            _, dropped = self._cache.popitem(last=False)
            total -= dropped.voxels.nbytes

    def cancel_all(self) -> None:
        for loading in self._loading.values():
            if loading.task is not None:
                loading.task.cancel()
        self._loading.clear()

    def clear(self) -> None:
        """Forget everything (screen locked, study closed, sign-out)."""
        self.set_study(None)
