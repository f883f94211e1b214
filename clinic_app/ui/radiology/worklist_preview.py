"""The worklist's preview: thumbnails of the selected study's series, debounced.

A base of :class:`~clinic_app.ui.radiology.workspace.RadiologyWorkspace`, kept apart so
the workspace module stays about opening and reading a study. Arrowing down the list
starts one load after the selection settles; a double-clicked series opens the study on
that series.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel

from clinic_app.core.tasks import CancelToken, ProgressCallback
from clinic_app.services import Services, Session
from clinic_app.services.imaging_types import StudyDetail
from clinic_app.ui.radiology.display import person_name
from clinic_app.ui.radiology.thumbnails import SeriesStrip, Thumbnail, make_thumbnails
from clinic_app.ui.radiology.worklist import WorklistView
from clinic_app.ui.shell.registry import WorkspaceWidget
from clinic_app.ui.workers import Task


class PreviewMixin(WorkspaceWidget):
    """The selected study's series under the worklist (a base of the workspace)."""

    #: The selected study's series thumbnails are shown; carries its UID.
    preview_loaded = Signal(str)

    services: Services
    session: Session
    worklist: WorklistView
    preview: SeriesStrip
    preview_label: QLabel
    _preview_task: Task | None
    _preview_uid: str | None
    _first_series: str | None

    if TYPE_CHECKING:
        def _submit(self, fn: Any, *, name: str, on_result: Any, on_error: Any = None) -> Task | None: ...
        def open_study(self, study_uid: str, *, with_prior: bool = False) -> Task | None: ...

    # -- worklist preview (selected study's series) ------------------------------------------
    def _load_preview(self) -> None:
        """Thumbnails of the selected study (debounced: arrowing down the list is cheap)."""
        uid = self.worklist.current_uid()
        if uid is None or uid == self._preview_uid:
            return
        self._preview_uid = uid
        if self._preview_task is not None:
            self._preview_task.cancel()
        services, session = self.services, self.session

        def load(progress: ProgressCallback, cancel: CancelToken) -> tuple[StudyDetail, list[Thumbnail]]:
            detail = services.imaging.show_study(session, uid)
            return detail, make_thumbnails(services, session, detail, progress, cancel)

        self._preview_task = self._submit(load, name="preview", on_result=self._preview_loaded)

    def _preview_loaded(self, result: tuple[StudyDetail, list[Thumbnail]]) -> None:
        detail, thumbs = result
        self._preview_task = None
        if detail.study.study_uid != self.worklist.current_uid():
            return
        self.preview.set_study(detail)
        self.preview.set_thumbnails(thumbs)
        n = len(detail.series)
        self.preview_label.setText(self.tr("{person_name}: {n} series (double-click a series or the study to "
                                           "open it)").format(
                                       person_name=person_name(detail.study.patient_name), n=n))
        self.preview_loaded.emit(detail.study.study_uid)

    def _open_preview_series(self, series_uid: str) -> None:
        uid = self.worklist.current_uid()
        if uid:
            self._first_series = series_uid
            self.open_study(uid)
