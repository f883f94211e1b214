"""The findings panel: what the AI flagged in this study, and the radiologist's sign-off.

One line per finding: label, score against its threshold and whether it is flagged; the
model's name and version (with a DEMO tag for demo models) and where the finding is;
and, once reviewed, "Accepted by X at T". Selecting a finding moves the viewer to its
slice and draws its box/contour at once; the heat map follows from a worker and is
blended with the opacity slider. Accept/Reject (with an optional comment) is stored and
audited by the analysis service; the line shows who decided and when.

"Analyse" runs a chosen applicable model on a worker with inline progress and Cancel;
the worklist shows the study as "running" meanwhile.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from clinic_app.core.inference.heatmaps import Heatmap
from clinic_app.core.tasks import CancelToken, ProgressCallback
from clinic_app.i18n import translate
from clinic_app.services import Services, Session
from clinic_app.services.imaging_types import StackSummary, StudyDetail
from clinic_app.ui.radiology import status as ai
from clinic_app.ui.radiology.display import StackRef, image_number
from clinic_app.ui.radiology.findings_analysis import AnalysisMixin
from clinic_app.ui.radiology.findings_view import FindingView, overlay_for
from clinic_app.ui.radiology.other_results import OtherResults
from clinic_app.ui.radiology.results_actions import ResultsActions
from clinic_app.ui.radiology.review_marks import mark_review
from clinic_app.ui.theme import set_banner
from clinic_app.ui.workers import Task, WorkerPool

ID_ROLE = Qt.ItemDataRole.UserRole + 1

def demo_banner() -> str:
    """The demo-model warning, translated when the panel is built (not at import)."""
    return translate("radiology.findings", "DEMO model: trained on synthetic images to exercise the pipeline. "
                     "Not for clinical use.")


class FindingsPanel(AnalysisMixin):
    finding_selected = Signal(object, object)  # StackRef, FindingOverlay (or None)
    opacity_changed = Signal(float)
    status_changed = Signal(str, str, str)  # study UID, AiStatus value, detail

    def __init__(self, services: Services, session: Session, pool: WorkerPool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findingsPanel")
        self.setMinimumWidth(300)
        self.services = services
        self.session = session
        self.pool = pool
        self.study: StudyDetail | None = None
        self.items: list[FindingView] = []
        self.models: list[ai.ModelChoice] = []
        self.current: FindingView | None = None
        self._heatmaps: dict[int, Heatmap | None] = {}
        self.analysis_task: Task | None = None
        self.running_study: str | None = None
        self._tasks: list[Task] = []
        self._closed = False

        title = QLabel(self.tr("AI findings"), self)
        title.setProperty("heading", "true")
        self.model_box = QComboBox(self)
        self.model_box.setObjectName("modelChoice")
        self.model_box.setAccessibleName(self.tr("Model to run"))
        self.model_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.model_box.setMinimumContentsLength(16)
        self.analyse_button = QPushButton(self.tr("Analyse"), self)
        self.analyse_button.setObjectName("analyse")
        self.analyse_button.setToolTip(self.tr("Run the chosen model on this study in the background"))
        self.analyse_button.clicked.connect(self.analyse)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("analysisProgress")
        self.progress.setAccessibleName(self.tr("Analysis progress"))
        self.progress.setVisible(False)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("cancelAnalysis")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel_analysis)
        self.demo_banner = QLabel(demo_banner(), self)
        self.demo_banner.setObjectName("demoBanner")
        self.demo_banner.setWordWrap(True)
        set_banner(self.demo_banner, "warn")
        self.demo_banner.setVisible(False)
        self.message = QLabel("", self)
        self.message.setObjectName("findingsMessage")
        self.message.setWordWrap(True)
        self.message.setProperty("hint", "true")

        self.list = QListWidget(self)
        self.list.setObjectName("findingsList")
        self.list.setAccessibleName(self.tr("AI findings of this study"))
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(2)
        self.list.currentItemChanged.connect(self._current_changed)

        detail = QGroupBox(self.tr("Selected finding"), self)
        self.detail_text = QLabel(self.tr("Select a finding to see it on the image."), detail)
        self.detail_text.setObjectName("findingDetail")
        self.detail_text.setWordWrap(True)
        self.detail_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.heat_check = QCheckBox(self.tr("Heat map"), detail)
        self.heat_check.setObjectName("showHeatmap")
        self.heat_check.setChecked(True)
        self.heat_check.toggled.connect(self._opacity)
        self.opacity = QSlider(Qt.Orientation.Horizontal, detail)
        self.opacity.setObjectName("heatOpacity")
        self.opacity.setAccessibleName(self.tr("Heat map opacity"))
        self.opacity.setRange(0, 100)
        self.opacity.setValue(50)
        self.opacity.valueChanged.connect(self._opacity)
        self.comment = QLineEdit(detail)
        self.comment.setObjectName("reviewComment")
        self.comment.setPlaceholderText(self.tr("Comment (optional)"))
        self.comment.setAccessibleName(self.tr("Review comment"))
        self.accept_button = QPushButton(self.tr("Accept"), detail)
        self.accept_button.setObjectName("acceptFinding")
        self.accept_button.setToolTip(self.tr("Agree with this finding (signed with your name)"))
        self.reject_button = QPushButton(self.tr("Reject"), detail)
        self.reject_button.setObjectName("rejectFinding")
        self.reject_button.setToolTip(self.tr("Disagree with this finding (signed with your name)"))
        self.accept_button.clicked.connect(lambda: self.review("accepted"))
        self.reject_button.clicked.connect(lambda: self.review("rejected"))
        self.review_label = QLabel("", detail)
        self.review_label.setObjectName("reviewStatus")
        self.review_label.setWordWrap(True)
        heat_row = QHBoxLayout()
        heat_row.addWidget(self.heat_check)
        heat_row.addWidget(self.opacity, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.reject_button)
        dl = QVBoxLayout(detail)
        dl.addWidget(self.detail_text)
        dl.addLayout(heat_row)
        dl.addWidget(self.comment)
        dl.addLayout(buttons)
        self.results_actions = ResultsActions(services, session, self._submit, detail)
        self.results_actions.changed.connect(self.reload)
        self.results_actions.exported.connect(self.message.setText)
        dl.addWidget(self.results_actions)
        dl.addWidget(self.review_label)

        run_row = QHBoxLayout()
        run_row.addWidget(self.model_box, 1)
        run_row.addWidget(self.analyse_button)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(title)
        layout.addLayout(run_row)
        layout.addLayout(progress_row)
        layout.addWidget(self.demo_banner)
        layout.addWidget(self.message)
        layout.addWidget(self.list, 1)
        layout.addWidget(detail)
        self.other = OtherResults(services, session, self._submit, self)
        self.other.jump.connect(self.finding_selected.emit)
        layout.addWidget(self.other)
        self._update_controls()

    # -- helpers -------------------------------------------------------------------------
    def _submit(self, fn: Any, *, name: str, on_result: Any, on_error: Any = None,
                on_progress: Any = None, on_cancelled: Any = None) -> Task | None:
        if self._closed:  # nothing starts after the workspace shut down
            return None
        task = self.pool.submit(fn, name=name, on_result=on_result, on_error=on_error,
                                on_progress=on_progress, on_cancelled=on_cancelled,
                                error_parent=self)
        self._tasks.append(task)
        task.finished.connect(lambda t=task: self._tasks.remove(t) if t in self._tasks else None)
        return task

    def _stack_of(self, finding: FindingView) -> StackSummary | None:
        series = next((s for s in self.study.series if s.series_uid == finding.series_uid), None) \
            if self.study is not None else None
        if series is None or not 0 <= finding.stack_index < len(series.stacks):
            return None
        return series.stacks[finding.stack_index]

    def _image_of(self, finding: FindingView) -> Callable[[int], int]:
        """Stored slice index → the image number the viewer shows for the finding's stack."""
        stack = self._stack_of(finding)
        if stack is None:
            return lambda k: k + 1
        return lambda k: image_number(stack, k)

    def _study_uid(self) -> str | None:
        return self.study.study.study_uid if self.study is not None else None

    # -- loading -------------------------------------------------------------------------
    def modify_finding(self) -> None:
        """Correct the selected finding's box (the M key; the same dialog as Modify…)."""
        if self.results_actions.modify_button.isEnabled():
            self.results_actions.modify()
        else:
            self.message.setText(self.tr("This finding has no box on an image to correct; reject it and say "
                                 "why in the comment."))

    def set_study(self, study: StudyDetail | None) -> None:
        self.study = study
        self.items = []
        self.current = None
        self._heatmaps.clear()
        self.list.clear()
        self.model_box.clear()
        self.models = []
        self.demo_banner.setVisible(False)
        self.message.setText("")
        self._show_detail(None)
        if study is not None:
            self.reload()
        self.other.set_study(study)
        self._update_controls()

    def reload(self) -> Task | None:
        """Fetch this study's findings and applicable models (worker)."""
        uid = self._study_uid()
        if uid is None:
            return None
        services, session = self.services, self.session
        self.message.setText(self.tr("Loading findings…"))

        def load(progress: ProgressCallback, cancel: CancelToken) -> ai.StudyFindings:
            return ai.study_findings(services, session, uid)

        return self._submit(load, name="findings",
                            on_result=lambda r, u=uid: self._loaded(u, r))

    def _loaded(self, study_uid: str, result: ai.StudyFindings) -> None:
        if study_uid != self._study_uid():
            return
        selected = self.current.finding_id if self.current is not None else None
        self.items = list(result.findings)
        self.models = list(result.models)
        self.model_box.clear()
        for m in self.models:
            self.model_box.addItem(m.title, m.model_id)
        self.list.clear()
        for f in self.items:
            item = QListWidgetItem(f.line(self._image_of(f)))
            item.setData(ID_ROLE, f.finding_id)
            if f.flagged:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
                item.setForeground(QColor("#e0a030"))
            item.setToolTip(f.line(self._image_of(f)))
            mark_review(item, f)
            self.list.addItem(item)
        self.demo_banner.setVisible(any(f.demo for f in self.items)
                                    or any(m.demo for m in self.models if m.model_id == self.model_box.currentData()))
        if result.note:
            self.message.setText(result.note)
        elif not self.items:
            self.message.setText(self.tr("No AI results for this study yet.") if self.models else
                                 self.tr("No installed model applies to this study."))
        else:
            flagged = sum(f.flagged for f in self.items)
            self.message.setText(self.tr("{len} finding(s), {flagged} flagged.").format(
                                     len=len(self.items), flagged=flagged))
        if selected is not None:
            self.select(selected)
        self.status_changed.emit(study_uid, result.status.value, result.status_detail)
        self._update_controls()

    def series_loaded(self, ref: StackRef) -> None:
        """The viewer finished loading a stack: re-apply the selected finding to it."""
        if self.current is not None and _ref(self.current) == ref:
            self._emit_overlay(self.current)

    # -- selection -----------------------------------------------------------------------
    def select(self, finding_id: int) -> bool:
        for row in range(self.list.count()):
            if self.list.item(row).data(ID_ROLE) == finding_id:
                self.list.setCurrentRow(row)
                return True
        return False

    def finding(self, finding_id: int) -> FindingView | None:
        return next((f for f in self.items if f.finding_id == finding_id), None)

    def _current_changed(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        finding = self.finding(item.data(ID_ROLE)) if item is not None else None
        self.current = finding
        self._show_detail(finding)
        if finding is None:
            return
        self._emit_overlay(finding)
        if finding.finding_id not in self._heatmaps and finding.has_heatmap:
            services, session, fid = self.services, self.session, finding.finding_id

            def load(progress: ProgressCallback, cancel: CancelToken) -> Heatmap | None:
                return ai.finding_heatmap(services, session, fid)

            self._submit(load, name="heatmap", on_result=lambda h, f=fid: self._heatmap_loaded(f, h))

    def _heatmap_loaded(self, finding_id: int, heatmap: Heatmap | None) -> None:
        self._heatmaps[finding_id] = heatmap
        if self.current is not None and self.current.finding_id == finding_id:
            self._emit_overlay(self.current)

    def _emit_overlay(self, finding: FindingView) -> None:
        heat = self._heatmaps.get(finding.finding_id) if self.heat_check.isChecked() else None
        self.finding_selected.emit(_ref(finding), overlay_for(finding, heat))

    def _opacity(self) -> None:
        self.opacity_changed.emit(self.opacity.value() / 100.0 if self.heat_check.isChecked() else 0.0)

    @property
    def heatmap_loaded(self) -> bool:
        return self.current is not None and self._heatmaps.get(self.current.finding_id) is not None

    def _show_detail(self, f: FindingView | None) -> None:
        if f is None:
            self.detail_text.setText(self.tr("Select a finding to see it on the image."))
            self.review_label.setText("")
            set_banner(self.review_label, None)  # no stale "rejected" colour after a study change
            self.comment.clear()
        else:
            method = {"segmentation": self.tr("segmentation probability map"),
                      "class-activation-map": self.tr("class activation map (where the classifier looked)"),
                      "occlusion-sensitivity": self.tr("occlusion sensitivity (computed: the model has no map)"),
                      }.get(f.location_method, f.location_method)
            lines = [self.tr("<b>{label}</b>: score {score:.3f}, threshold {threshold:.2f} — ").format(
                         label=translate("model_terms", f.label), score=f.score, threshold=f.threshold)
                     + (self.tr("<b>flagged</b>") if f.flagged else self.tr("not flagged")),
                     self.tr("Model: {model_text} ({model_id})").format(
                         model_text=f.model_text(), model_id=f.model_id),
                     self.tr("Where: {where_text}").format(where_text=f.where_text(self._image_of(f))),
                     self.tr("Map: {method}").format(method=method)]
            stack = self._stack_of(f)
            if stack is not None and stack.label:
                lines.insert(3, self.tr("On: {label}").format(label=stack.label))
            if f.size_note:  # small on thick slices, or cut off (core/inference/size_caveat.py)
                lines.insert(len(lines) - 1, html.escape(f.size_note))
            if f.location_note:
                lines.append(self.tr("<b>Note:</b> {location_note}").format(location_note=f.location_note))
            lines.append(self.tr("Analysed: {run_text}").format(run_text=f.run_text()))
            if f.provider:
                lines.append(self.tr("Ran on: {provider}").format(provider=f.provider))
            self.detail_text.setText("<br>".join(lines))
            self.review_label.setText(f.review.text() if f.review else self.tr("Not reviewed yet."))
            set_banner(self.review_label, "ok" if f.review and f.review.decision in (
                "accepted", "modified") else "error" if f.review else None)
            self.comment.setText(f.review.comment if f.review else "")
        self._update_controls()

    def _update_controls(self) -> None:
        running = self.analysis_task is not None
        has_study = self.study is not None
        self.analyse_button.setEnabled(has_study and not running and self.model_box.count() > 0)
        self.model_box.setEnabled(not running)
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        can_review = self.current is not None
        self.results_actions.set_context(self.study, self.current)
        for w in (self.accept_button, self.reject_button, self.comment):
            w.setEnabled(can_review)

    def shutdown(self) -> None:
        self._closed = True
        for task in list(self._tasks):
            task.cancel()


def _ref(finding: FindingView) -> StackRef:
    return StackRef(finding.series_uid, finding.stack_index)
