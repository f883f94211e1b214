"""The radiologist's workspace: worklist → viewer with the study's AI findings.

Two tabs. **Worklist**: the studies table with its filters, Import, Refresh; double-click
(or Enter) opens a study. **Viewer**: the study's series as thumbnails (drag one into a
viewport), the image grid, and the findings panel where AI results are reviewed.

Every service call runs on a worker; the widgets only show what comes back. The
workspace is registered for :data:`Permission.FINDINGS_REVIEW`, the radiologist's signed
act, so a physician (who may view images read-only) never gets it; the services refuse
such a user on every call anyway.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_app.core.imaging.planes import Plane
from clinic_app.core.security.roles import Permission
from clinic_app.core.tasks import CancelToken, ProgressCallback
from clinic_app.errors import ClinicAppError
from clinic_app.i18n import QT_TRANSLATE_NOOP
from clinic_app.services import Services, Session
from clinic_app.services.imaging_types import StudyDetail, StudySummary
from clinic_app.ui.radiology.compare import ComparePanel, newest_prior, other_studies
from clinic_app.ui.radiology.display import SeriesDisplay, StackRef, person_name
from clinic_app.ui.radiology.findings import FindingsPanel
from clinic_app.ui.radiology.import_dialog import DicomImportDialog
from clinic_app.ui.radiology.keymap import KeyMap
from clinic_app.ui.radiology.keys_dialog import show_key_file
from clinic_app.ui.radiology.loader import SeriesLoader
from clinic_app.ui.radiology.measurement_sync import MeasurementSync
from clinic_app.ui.radiology.measurements_panel import MeasurementsPanel
from clinic_app.ui.radiology.pacs_panel import PacsPanel
from clinic_app.ui.radiology.review_keys import ReviewKeys
from clinic_app.ui.radiology.status import study_rows
from clinic_app.ui.radiology.thumbnails import SeriesStrip, Thumbnail, make_thumbnails
from clinic_app.ui.radiology.viewer import ViewerPanel
from clinic_app.ui.radiology.viewer_page import build_viewer_page
from clinic_app.ui.radiology.worklist import AiStatus, WorklistRow, WorklistView
from clinic_app.ui.radiology.worklist_preview import PreviewMixin
from clinic_app.ui.radiology.workspace_shortcuts import WORKSPACE_SHORTCUTS
from clinic_app.ui.shell.registry import WorkspaceContext, WorkspaceSpec
from clinic_app.ui.workers import Task, WorkerPool

#: Wait this long after the selection settles before loading its thumbnails.
PREVIEW_DELAY_MS = 150
# An opened study: its detail, the prior shown beside it and the patient's other studies.
_Opened = tuple[StudyDetail, StudyDetail | None, list[StudySummary] | None]
# Tasks that belong to one opened study, cancelled when another is opened.
_STUDY_TASKS = frozenset({"open study", "thumbnails", "priors", "open prior"})

class RadiologyWorkspace(PreviewMixin):
    #: The worklist was (re)loaded; carries the number of studies.
    worklist_loaded = Signal(int)

    # Built by viewer_page.build_viewer_page:
    study_label: QLabel
    back_button: QPushButton
    compare_host: QWidget
    keys_button: QPushButton
    measurements: MeasurementsPanel
    side_tabs: QTabWidget

    def __init__(self, services: Services, session: Session, pool: WorkerPool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("radiologyWorkspace")
        self.services = services
        self.session = session
        self.pool = pool
        self.study: StudyDetail | None = None
        self._tasks: list[Task] = []
        self._import_dialog: DicomImportDialog | None = None
        self._first_series: str | None = None
        self._closed = False

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("radiologyTabs")
        self.tabs.setDocumentMode(True)

        # -- worklist page ------------------------------------------------------------------
        self.worklist = WorklistView(self)
        self.import_button = QPushButton(self.tr("Import DICOM…"), self)
        self.import_button.setObjectName("importDicom")
        self.import_button.setToolTip(self.tr("Import a folder, DICOMDIR or zip (Ctrl+I)"))
        self.import_button.clicked.connect(self.open_import)
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.refresh_button.setObjectName("refreshWorklist")
        self.refresh_button.setToolTip(self.tr("Reload the studies (F5)"))
        self.refresh_button.clicked.connect(self.refresh)
        self.open_button = QPushButton(self.tr("Open study"), self)
        self.open_button.setObjectName("openStudy")
        self.open_button.clicked.connect(lambda: self._open_selected())
        self.prior_button = QPushButton(self.tr("Open with prior"), self)
        self.prior_button.setObjectName("openWithPrior")
        self.prior_button.setToolTip(self.tr("Open the study beside the patient's previous one, "
                                             "scrolling linked"))
        self.prior_button.clicked.connect(lambda: self._open_selected(with_prior=True))
        self.worklist_status = QLabel("", self)
        self.worklist_status.setProperty("hint", "true")
        top = QHBoxLayout()
        top.addWidget(self.import_button)
        top.addWidget(self.refresh_button)
        top.addWidget(self.open_button)
        top.addWidget(self.prior_button)
        top.addStretch(1)
        top.addWidget(self.worklist_status)
        self.preview = SeriesStrip(self, horizontal=True)
        self.preview.setObjectName("worklistPreview")
        self.preview.setAccessibleName(self.tr("Series of the selected study"))
        self.preview.setToolTip(self.tr("Series of the selected study; double-click one to open it"))
        self.preview_label = QLabel(self.tr("Select a study to see its series."), self)
        self.preview_label.setProperty("hint", "true")
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self._load_preview)
        self._preview_task: Task | None = None
        self._preview_uid: str | None = None
        page = QWidget(self)
        page.setObjectName("worklistPage")
        pl = QVBoxLayout(page)
        pl.addLayout(top)
        pl.addWidget(self.worklist, 1)
        pl.addWidget(self.preview_label)
        pl.addWidget(self.preview)
        self.tabs.addTab(page, self.tr("Worklist"))
        self.worklist.study_opened.connect(self.open_study)
        self.worklist.study_selected.connect(lambda _uid: self._preview_timer.start())
        self.preview.series_chosen.connect(self._open_preview_series)

        # -- viewer page --------------------------------------------------------------------
        self.viewer = ViewerPanel(self)
        self.strip = SeriesStrip(self)
        self.findings = FindingsPanel(services, session, pool, self)
        self.tabs.addTab(build_viewer_page(self), self.tr("Viewer"))
        self.tabs.setTabEnabled(1, False)

        # -- PACS query/retrieve page (docs/pacs.md) --------------------------------------------
        self.pacs = PacsPanel(services, session, pool, self)
        self.tabs.addTab(self.pacs, self.tr("PACS"))
        self.pacs.retrieve_finished.connect(lambda _report: self.refresh())
        self.pacs.study_arriving.connect(self.refresh)
        self.pacs.open_requested.connect(self.open_study)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        # -- wiring -------------------------------------------------------------------------
        self.loader = SeriesLoader(services, session, pool, self)
        self.loader.display_ready.connect(self._display_ready)
        self.loader.failed.connect(self.viewer.loading_failed)
        self.loader.progress.connect(self._load_progress)
        self.viewer.series_requested.connect(lambda ref, _n: self.loader.request(*ref))
        self.compare = ComparePanel(services, session, self.viewer, self.loader, self._submit, self)
        host_layout = self.compare_host.layout()
        assert host_layout is not None  # viewer_page gives the host its layout
        host_layout.addWidget(self.compare)
        self.keys_button.clicked.connect(lambda: show_key_file(self, self.compare.files, self._load_keys))
        self._load_keys()
        self.strip.series_chosen.connect(lambda uid: self.viewer.assign(self.viewer.active_index, uid))
        self.findings.finding_selected.connect(self._show_finding)
        self.findings.opacity_changed.connect(self.viewer.set_heat_opacity)
        self.findings.status_changed.connect(self._status_changed)
        self.review_keys = ReviewKeys(self.findings, lambda: self.viewer.active_canvas)
        self.measurement_sync = MeasurementSync(services, session, self.viewer, self._submit, self)
        self.measurement_sync.study_of = lambda uid: (
            study.study_uid if (study := self.loader.study_of(uid)) is not None else None)
        self.compare.prior_opened.connect(self.measurement_sync.add_study)
        self.measurement_sync.saved.connect(lambda _ref, _n: self.measurements.refresh())
        self.measurements.show_requested.connect(self._show_measurement)
        self.viewer.review_requested.connect(self.review_keys.handle)
        for key, slot in (("Ctrl+I", self.open_import), ("F5", self.refresh),
                          ("Ctrl+F", self._focus_search),
                          ("Ctrl+W", lambda: self.tabs.setCurrentIndex(0))):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.refresh()

    # -- worklist ------------------------------------------------------------------------
    def _submit(self, fn: Any, *, name: str, on_result: Any, on_error: Any = None) -> Task | None:
        if self._closed:  # a timer or late signal after shutdown starts nothing
            return None
        task = self.pool.submit(fn, name=name, on_result=on_result, on_error=on_error,
                                error_parent=self)
        self._tasks.append(task)
        task.finished.connect(lambda t=task: self._tasks.remove(t) if t in self._tasks else None)
        return task

    def refresh(self) -> Task | None:
        """Reload the worklist (studies and their AI status) on a worker."""
        services, session = self.services, self.session
        self.worklist_status.setText(self.tr("Loading studies…"))

        def load(progress: ProgressCallback, cancel: CancelToken) -> list[WorklistRow]:
            return study_rows(services, session)

        return self._submit(load, name="worklist", on_result=self._rows_loaded)

    def _rows_loaded(self, rows: list[WorklistRow]) -> None:
        running = self.findings.running_study
        if running is not None:
            rows = [WorklistRow(r.study, AiStatus.RUNNING, r.ai_detail) if r.uid == running else r
                    for r in rows]
        self.worklist.set_rows(rows)
        self.worklist_status.setText("")
        self.worklist_loaded.emit(len(rows))

    def _focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.worklist.search.setFocus()
        self.worklist.search.selectAll()

    def _open_selected(self, *, with_prior: bool = False) -> None:
        uid = self.worklist.current_uid()
        if uid:
            self.open_study(uid, with_prior=with_prior)

    def _load_keys(self) -> None:
        """The reader's own key map (a bad file is named, and the shipped keys apply)."""
        try:
            self.viewer.set_keymap(self.compare.files.keymap())
        except ClinicAppError as exc:
            self.viewer.set_keymap(KeyMap())
            self.worklist_status.setText(str(exc))

    def open_import(self) -> DicomImportDialog:
        if self._import_dialog is None:
            dialog = DicomImportDialog(self.services, self.session, self.pool, self)
            dialog.imported.connect(lambda _report: self.refresh())
            dialog.finished.connect(lambda _r: setattr(self, "_import_dialog", None))
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
            self._import_dialog = dialog
        self._import_dialog.show()
        self._import_dialog.raise_()
        return self._import_dialog

    # -- opening a study -----------------------------------------------------------------
    def open_study(self, study_uid: str, *, with_prior: bool = False) -> Task | None:
        """Show the study: header + series first, then the first image, then the rest;
        ``with_prior``: the patient's previous study beside it."""
        services, session = self.services, self.session
        for task in self._tasks:  # the last study's side work would queue ahead of this one
            if task.name in _STUDY_TASKS:
                task.cancel()

        def load(progress: ProgressCallback, cancel: CancelToken) -> _Opened:
            # The prior comes in the same task, so both studies' first images load together.
            cancel.raise_if_cancelled()
            detail = services.imaging.show_study(session, study_uid)
            cancel.raise_if_cancelled()
            others = other_studies(services, session, detail.study) if with_prior else None
            return detail, newest_prior(services, session, detail, others) if with_prior else None, others

        return self._submit(load, name="open study", on_result=self._study_loaded)

    def _study_loaded(self, loaded: _Opened) -> None:
        detail, prior, others = loaded
        self.study = detail
        self.viewer.clear()
        self.loader.set_study(detail)
        self.strip.set_study(detail)
        s = detail.study
        # Patient-derived text is escaped: the header is rich text only for the bold name.
        self.study_label.setText(self.tr("<b>{escape}</b><br>{escape2}<br>{escape3}<br>{escape4}").format(
                                     escape=escape(person_name(s.patient_name)),
                                     escape2=escape(s.patient_id), escape3=escape(s.study_date or ''),
                                     escape4=escape(s.description)))
        self.tabs.setTabEnabled(1, True)
        self.tabs.setTabText(1, self.tr("Viewer: {person_name}").format(person_name=person_name(s.patient_name)))
        self.tabs.setCurrentIndex(1)
        wanted = self._first_series
        self._first_series = None
        if wanted is not None and not any(x.series_uid == wanted and x.stacks for x in detail.series):
            wanted = None
        # The hanging protocol places the series (the largest volume first by default:
        # that is what a reader, and the AI, reads), then lists the priors.
        self.measurement_sync.set_study(s.study_uid)  # before the prior joins it
        self.compare.set_study(detail, wanted_series=wanted, prior=prior, others=others)
        self.measurements.set_study(s.study_uid)  # its values are recomputed: after the images
        self.findings.set_study(detail)
        self.pacs.show_priors(s.patient_id, s.study_uid)
        self.viewer.active_canvas.setFocus()
        services, session = self.services, self.session

        def thumbs(progress: ProgressCallback, cancel: CancelToken) -> list[Thumbnail]:
            return make_thumbnails(services, session, detail, progress, cancel)

        uid = s.study_uid
        self._submit(thumbs, name="thumbnails",
                     on_result=lambda t: self.strip.set_thumbnails(t)
                     if self.study is not None and self.study.study.study_uid == uid else None)

    def _display_ready(self, display: SeriesDisplay) -> None:
        self.viewer.show_series(display)
        if display.complete:
            self.findings.series_loaded(display.ref)
            self.measurement_sync.stack_shown(display.ref)

    def _load_progress(self, ref: StackRef, done: int, total: int) -> None:
        for vp in self.viewer.viewports:
            canvas = vp.canvas
            if canvas.display is not None and canvas.display.ref == ref \
                    and not canvas.display.complete:
                canvas.status_text = self.tr("Loading {done}/{total}").format(done=done, total=total)
                canvas.update()

    # -- findings ------------------------------------------------------------------------
    def _show_finding(self, ref: StackRef, overlay: object) -> None:
        """Show the finding's own stack (open it in the active viewport if no visible one
        shows it), then draw the finding there and move to its slice."""
        if ref not in (self.viewer.stack_in(vp.index) for vp in self.viewer.visible_viewports()):
            self.viewer.assign(self.viewer.active_index, ref.series_uid, ref.stack)
        self.viewer.show_finding(ref, overlay)  # type: ignore[arg-type]

    def _show_measurement(self, series_uid: str, plane: str, slice_index: int) -> None:
        """A row of the measurement list: its image in the viewport showing its series."""
        shown = next((vp.canvas for vp in self.viewer.visible_viewports()
                      if self.viewer.series_in(vp.index) == series_uid), None)
        if shown is None:
            self.viewer.assign(self.viewer.active_index, series_uid)
            return
        if shown.plane is not None and shown.plane.value != plane:
            shown.set_plane(Plane(plane))
        shown.set_slice(slice_index)
        shown.setFocus()

    def _status_changed(self, study_uid: str, status: str, detail: str) -> None:
        self.worklist.set_status(study_uid, AiStatus(status), detail)

    def shortcuts(self) -> list[tuple[str, str]]:
        """The viewer's keys for Help, from the same table that handles them."""
        return self.viewer.keymap.help_rows()

    # -- shell hooks ---------------------------------------------------------------------
    def session_locked(self) -> None:
        """Drop every pixel and name of the open study: the lock screen hides nothing else."""
        self.measurement_sync.set_study(None)
        self.measurements.set_study(None)
        self.compare.set_study(None)
        self.loader.clear()
        self.viewer.clear()
        self.strip.set_study(None)
        self.findings.set_study(None)
        self.study = None
        self.study_label.setText("")
        self.tabs.setTabText(1, self.tr("Viewer"))
        self.tabs.setTabEnabled(1, False)
        self.tabs.setCurrentIndex(0)
        self.worklist.set_rows([])
        self.preview.set_study(None)
        self._preview_uid = None
        self.preview_label.setText(self.tr("Select a study to see its series."))

    def session_unlocked(self) -> None:
        self.refresh()

    def shutdown(self) -> None:
        self.measurement_sync.flush()
        self._closed = True
        self._preview_timer.stop()
        self.loader.cancel_all()
        self.findings.shutdown()
        for task in list(self._tasks):
            task.cancel()


def _factory(ctx: WorkspaceContext) -> QWidget:
    ws = RadiologyWorkspace(ctx.services, ctx.session, ctx.pool)
    refresh_status = getattr(ctx.window, "refresh_status", None)
    if callable(refresh_status):
        # An analysis (or listing the findings' models) builds model sessions: the status
        # bar must then name the provider they got, not "no models loaded".
        ws.findings.status_changed.connect(lambda _uid, _status, _detail: refresh_status())
    return ws


WORKSPACE = WorkspaceSpec(
    key="radiology",
    title=QT_TRANSLATE_NOOP("radiology.workspace", "Radiology"),
    permission=Permission.FINDINGS_REVIEW,
    factory=_factory,
    patient_data=True,
    order=10,
    shortcuts=WORKSPACE_SHORTCUTS,
)
