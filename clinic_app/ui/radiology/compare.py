"""Priors beside the open study, and the hanging protocol that lays the study out.

The viewer's left column gets a "Compare" box: the patient's other studies in the store
(newest first), linked scrolling and window, the offset of the active viewport, and
"Save layout as mine". Opening a study applies the first hanging protocol that fits it
(the reader's own rules before the shipped ones); choosing a prior (or "Open with
prior" on the worklist) loads the prior's series beside it and applies the rule again
with one prior, so a CT chest with its prior opens side by side with scrolling linked.

Everything that reads the store runs on a worker through the workspace's submit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.core.imaging import hanging
from clinic_app.core.tasks import CancelToken, ProgressCallback
from clinic_app.errors import ClinicAppError
from clinic_app.services import Services, Session
from clinic_app.services.imaging_types import StudyDetail, StudyFilter, StudySummary
from clinic_app.ui.radiology.loader import SeriesLoader
from clinic_app.ui.radiology.reader_files import ReaderFiles
from clinic_app.ui.radiology.viewer import ViewerPanel
from clinic_app.ui.radiology.viewer_toolbar import Layout
from clinic_app.ui.radiology.viewport_link import ViewportLink

_TO_LAYOUT = {hanging.GridLayout.ONE: Layout.ONE, hanging.GridLayout.ONE_BY_TWO: Layout.ONE_BY_TWO,
              hanging.GridLayout.TWO_BY_TWO: Layout.TWO_BY_TWO, hanging.GridLayout.MPR: Layout.MPR}
_FROM_LAYOUT = {v: k for k, v in _TO_LAYOUT.items()}


def study_facts(detail: StudyDetail) -> hanging.StudyFacts:
    return hanging.StudyFacts(detail.study.description, tuple(
        hanging.SeriesFacts(s.series_uid, s.modality, s.body_part, s.description,
                            s.stacks[0].dimensions[0], s.stacks[0].kind == "volume")
        for s in detail.series if s.stacks))


def other_studies(services: Services, session: Session, study: StudySummary) -> list[StudySummary]:
    """The patient's other studies (same issuer), newest first, as the store lists them.
    Worker thread."""
    found = services.imaging.list_studies(session, StudyFilter(patient_id=study.patient_id))
    return [x for x in found if x.study_uid != study.study_uid and x.issuer == study.issuer]


def newest_prior(services: Services, session: Session, detail: StudyDetail,
                 others: list[StudySummary] | None = None) -> StudyDetail | None:
    """The patient's most recent other study on or before this one's date (else the
    newest other), of the same modality when there is one (a CT is compared with a CT,
    not with last week's radiograph), with its series; None when the store has no other.
    ``others``: :func:`other_studies`, when already listed. Worker thread."""
    s = detail.study
    others = other_studies(services, session, s) if others is None else others
    alike = [x for x in others if set(x.modalities) & set(s.modalities)] or others
    earlier = [x for x in alike if (x.study_date or "") <= (s.study_date or "")]
    chosen = (earlier or alike)[:1]  # the store lists newest first
    return services.imaging.show_study(session, chosen[0].study_uid) if chosen else None


class ComparePanel(QGroupBox):
    #: The prior's series are loaded beside the open study (its study UID).
    prior_opened = Signal(str)
    #: A hanging protocol was applied (its name; "" when none fitted).
    hung = Signal(str)
    #: The patient's other studies were listed (how many).
    priors_listed = Signal(int)

    def __init__(self, services: Services, session: Session, viewer: ViewerPanel,
                 loader: SeriesLoader, submit: Callable[..., Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Compare"))
        self.setObjectName("comparePanel")
        self.services, self.session, self.viewer, self.loader = services, session, viewer, loader
        self._submit = submit
        self.files = ReaderFiles.for_user(session.username)
        self.current: StudyDetail | None = None
        self.prior: StudyDetail | None = None
        self._wanted: str | None = None
        self.rule: hanging.Rule | None = None
        self.link = ViewportLink(viewer, self._frame_of, self)

        self.prior_box = QComboBox(self)
        self.prior_box.setObjectName("priorBox")
        self.prior_box.setAccessibleName(self.tr("Prior study"))
        self.prior_box.setToolTip(self.tr("An earlier study of this patient, shown beside this one"))
        self.prior_box.activated.connect(self._prior_chosen)
        self.scroll_box = QCheckBox(self.tr("Link scroll"), self)
        self.scroll_box.setObjectName("linkScroll")
        self.scroll_box.setToolTip(self.tr("Scroll the viewports together by patient position"))
        self.scroll_box.toggled.connect(self.link.set_scroll_linked)
        self.window_box = QCheckBox(self.tr("Link window"), self)
        self.window_box.setObjectName("linkWindow")
        self.window_box.setToolTip(self.tr("Give every viewport of the same modality the same window"))
        self.window_box.toggled.connect(self.link.set_window_linked)
        self.offset = QDoubleSpinBox(self)
        self.offset.setObjectName("linkOffset")
        self.offset.setRange(-2000.0, 2000.0)
        self.offset.setDecimals(1)
        self.offset.setSuffix(self.tr(" mm"))
        self.offset.setAccessibleName(self.tr("Offset of the active viewport"))
        self.offset.setToolTip(self.tr("Shift of the active viewport against the others "
                                       "(set when linking studies of different frames)"))
        self.offset.valueChanged.connect(
            lambda mm: self.link.set_offset(self.viewer.active_index, mm)
            if abs(mm - self.link.offset(self.viewer.active_index)) > 1e-6 else None)
        self.save_button = QPushButton(self.tr("Save layout as mine"), self)
        self.save_button.setObjectName("saveProtocol")
        self.save_button.setToolTip(self.tr("Open studies like this one in this layout from now on"))
        self.save_button.clicked.connect(self.save_protocol)
        self.note = QLabel("", self)
        self.note.setWordWrap(True)
        self.note.setProperty("hint", "true")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        for w in (QLabel(self.tr("Prior:"), self), self.prior_box, self.scroll_box, self.window_box,
                  self.offset, self.save_button, self.note):
            layout.addWidget(w)
        viewer.active_changed.connect(lambda _n: self._show_offset())
        self.link.changed.connect(self._show_offset)
        self.set_study(None)

    # -- state -----------------------------------------------------------------------------
    def _frame_of(self, series_uid: str) -> str:
        detail = self.loader.series(series_uid)
        return detail.frame_of_reference if detail is not None else ""

    def _show_offset(self) -> None:
        self.offset.blockSignals(True)
        self.offset.setValue(self.link.offset(self.viewer.active_index))
        self.offset.blockSignals(False)
        self.offset.setEnabled(self.link.scroll_linked)

    def set_study(self, detail: StudyDetail | None, *, wanted_series: str | None = None,
                  prior: StudyDetail | None = None, others: list[StudySummary] | None = None) -> None:
        """A study was opened (or closed, None), with a prior beside it or not: lay it
        out, then list the patient's other studies (``others``: already listed with the
        prior, so no second listing competes with the images for the workers)."""
        self.current, self.prior, self._wanted = detail, None, wanted_series
        self.scroll_box.setChecked(False)
        self.window_box.setChecked(False)
        self.prior_box.clear()
        self.prior_box.addItem(self.tr("(none)"), None)
        self.setEnabled(detail is not None)
        self.note.setText("")
        if detail is None:
            return
        if prior is not None:
            self._prior_loaded(detail.study.study_uid, prior)
        else:
            self.hang()
        services, session, s = self.services, self.session, detail.study
        if others is not None:
            self._priors_listed(s.study_uid, others)
            return

        def listing(progress: ProgressCallback, cancel: CancelToken) -> list[StudySummary]:
            cancel.raise_if_cancelled()  # another study was opened while this one queued
            return other_studies(services, session, s)

        self._submit(listing, name="priors", on_result=lambda rows, uid=s.study_uid:
                     self._priors_listed(uid, rows))

    def _priors_listed(self, study_uid: str, rows: list[StudySummary]) -> None:
        if self.current is None or self.current.study.study_uid != study_uid:
            return
        for row in rows:  # newest first, as the store lists them
            # Date and modality fit the narrow column; the description is the tooltip.
            self.prior_box.addItem(f"{row.study_date or '?'}  {'/'.join(row.modalities)}", row.study_uid)
            self.prior_box.setItemData(self.prior_box.count() - 1, row.description,
                                       Qt.ItemDataRole.ToolTipRole)
        if self.prior is not None:
            self.prior_box.setCurrentIndex(max(self.prior_box.findData(self.prior.study.study_uid), 0))
        self.priors_listed.emit(len(rows))

    def _prior_chosen(self, row: int) -> None:
        uid = self.prior_box.itemData(row)
        if uid:
            self.open_prior(uid)

    def open_prior(self, study_uid: str) -> None:
        """Load an earlier study beside the open one (series detail on a worker)."""
        services, session = self.services, self.session
        current = self.current.study.study_uid if self.current else None

        def load(progress: ProgressCallback, cancel: CancelToken) -> StudyDetail:
            cancel.raise_if_cancelled()
            return services.imaging.show_study(session, study_uid)

        self._submit(load, name="open prior", on_result=lambda d: self._prior_loaded(current, d))

    def _prior_loaded(self, current_uid: str | None, detail: StudyDetail) -> None:
        if self.current is None or self.current.study.study_uid != current_uid:
            return
        self.prior = detail
        self.loader.add_prior(detail)
        for display in self.loader.retagged():
            self.viewer.show_series(display)
        index = self.prior_box.findData(detail.study.study_uid)
        if index >= 0:
            self.prior_box.setCurrentIndex(index)
        self.hang()
        self.scroll_box.setChecked(False)
        self.scroll_box.setChecked(True)
        self.prior_opened.emit(detail.study.study_uid)

    # -- hanging protocols -------------------------------------------------------------------
    def hang(self) -> None:
        """Apply the first rule that fits: layout, then a series in each viewport."""
        if self.current is None:
            return
        try:
            rules = self.files.rules()
        except ClinicAppError as exc:
            self.note.setText(str(exc))
            rules = hanging.default_rules()
        current = study_facts(self.current)
        prior = study_facts(self.prior) if self.prior is not None else None
        self.rule = hanging.choose(rules, current, 1 if prior is not None else 0)
        if self.rule is None:
            placed: list[str | None] = [self._largest()]
            layout = Layout.ONE_BY_TWO if prior is not None else Layout.ONE
            if prior is not None:
                placed.append(max(prior.series, key=lambda x: (x.volume, x.slices)).series_uid
                              if prior.series else None)
        else:
            placed = hanging.place(self.rule, current, prior)
            layout = _TO_LAYOUT[self.rule.layout]
        if self._wanted is not None and placed:
            placed[0] = self._wanted
        self.viewer.set_layout(layout)
        for index, uid in enumerate(placed):
            if uid is not None and self.viewer.series_in(index) != uid:
                self.viewer.assign(index, uid)
        name = self.rule.name if self.rule is not None else ""
        self.note.setText(self.tr("Layout: {name}").format(name=hanging.shown_name(self.rule))
                          if self.rule is not None and name else "")
        self.hung.emit(name)

    def _largest(self) -> str | None:
        assert self.current is not None
        series = [x for x in self.current.series if x.stacks]
        if not series:
            return None
        return max(series, key=lambda x: (x.stacks[0].kind == "volume", x.stacks[0].dimensions[0])).series_uid

    def save_protocol(self) -> None:
        """Keep the current layout for studies of this modality and body part, for this reader."""
        if self.current is None:
            return
        facts = study_facts(self.current)
        modality = next((s.modality for s in facts.series), "")
        body = next((s.body_part.upper() for s in facts.series if s.body_part), "")
        prior_uids = {s.series_uid for s in self.prior.series} if self.prior else set()
        picks = []
        for vp in self.viewer.visible_viewports()[:hanging.CELLS[_FROM_LAYOUT[self.viewer.layout_mode]]]:
            uid = self.viewer.series_in(vp.index)
            detail = self.loader.series(uid) if uid else None
            role = hanging.StudyRole.PRIOR if uid in prior_uids else hanging.StudyRole.CURRENT
            words = tuple(detail.description.upper().split()[:3]) if detail and detail.description else ()
            picks.append(hanging.ViewportPick(role, words))
        name = (self.tr("My {modality} {body} with prior") if self.prior
                else self.tr("My {modality} {body}")).format(modality=modality, body=body.lower())
        name = " ".join(name.split())
        rule = hanging.Rule(name, modality, (body,) if body else (), (), 1 if self.prior else 0,
                            _FROM_LAYOUT[self.viewer.layout_mode], tuple(picks) or
                            (hanging.ViewportPick(hanging.StudyRole.CURRENT),))
        try:
            path = self.files.save_rule(rule)
        except (OSError, ClinicAppError) as exc:
            self.note.setText(self.tr("The layout could not be saved: {reason}").format(
                reason=getattr(exc, "strerror", None) or str(exc)))
            return
        self.note.setText(self.tr("Saved as “{name}” in {path}").format(name=name, path=path))
