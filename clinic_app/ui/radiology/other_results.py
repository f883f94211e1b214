"""Results from other systems in the open study: SR measurements, SEG segments, key images.

One list under the AI findings. Choosing a line moves the viewer to the image it is on:
an SR measurement draws its region's box, a SEG segment is blended over its image like a
heat map (its mask loaded on a worker), a key image just opens. A reference to an image
this store does not hold stays in the list with a note; an object that could not be read
is listed with its reason. Patient-derived text is shown as plain text.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QGroupBox, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from clinic_app.core.tasks import CancelToken, ProgressCallback
from clinic_app.services import Services, Session
from clinic_app.services.imaging_types import StudyDetail
from clinic_app.services.study_results import ImageRef, StudyResults
from clinic_app.ui.radiology.display import StackRef, image_number
from clinic_app.ui.radiology.findings_view import FindingOverlay

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 2
Submit = Callable[..., Any]


@dataclass(frozen=True)
class Entry:
    text: str
    ref: ImageRef | None = None
    box: tuple[int, int, int, int] | None = None  # col0, row0, col1, row1
    seg: tuple[str, int, str] | None = None  # (SEG SOP UID, segment number, label)


def entries(results: StudyResults,
            number: Callable[[ImageRef], int] = lambda r: r.slice_index + 1) -> list[Entry]:
    """The list's lines, in reading order: measurements, segments, key images, skipped.

    ``number`` gives the "Im" number the viewer shows for an image (display order)."""
    out: list[Entry] = []

    def _where(ref: ImageRef | None) -> str:
        if ref is None:
            return ""
        return (
            f" — {ref.note}"
            if not ref.found
            else QCoreApplication.translate("radiology.other_results", " — image {number}").format(number=number(ref))
        )

    for sr, refs in results.reports:
        for group, images in zip(sr.groups, refs, strict=True):
            values = ", ".join(f"{m.name} {m.value:g} {_unit(m.unit)}".strip()
                               for m in group.measurements)
            decision = f" [{group.decision}]" if group.decision else ""
            ref = images[0] if images else None
            where = _where(ref)
            box = None
            if group.region:
                cols = [c for c, _ in group.region]
                rows = [r for _, r in group.region]
                box = (math.floor(min(cols)), math.floor(min(rows)),
                       math.ceil(max(cols)) - 1, math.ceil(max(rows)) - 1)
            out.append(
                Entry(
                    QCoreApplication.translate("radiology.other_results", "Report: {finding}{decision}").format(
                        finding=group.finding, decision=decision
                    )
                    + (f" — {values}" if values else "")
                    + where,
                    ref,
                    box,
                )
            )
    for seg, seg_refs in results.segs:
        by_uid = {r.sop_instance_uid: r for r in seg_refs}
        for segment in seg.segments:
            uids = dict(seg.segment_images).get(segment.number, ())
            on = [by_uid[u] for u in uids if u in by_uid]
            found = sorted((r for r in on if r.found), key=lambda r: r.slice_index)
            middle = found[len(found) // 2] if found else (on[0] if on else None)
            out.append(Entry(QCoreApplication.translate("radiology.other_results", "Segmentation: {label} "
                                                                                   "({property_type})").format(
                                 label=segment.label, property_type=segment.property_type)
                             + _where(middle), middle,
                             seg=(seg.sop_instance_uid, segment.number, segment.label)))
    for ko, ko_refs in results.key_images:
        for key in ko_refs:
            out.append(Entry(QCoreApplication.translate("radiology.other_results", "Key image ({title})").format(
                                 title=ko.title) + _where(key), key))
    for skipped in results.skipped:
        out.append(Entry(QCoreApplication.translate("radiology.other_results", "Not shown ({kind}): {reason}").format(
                             kind=skipped.kind, reason=skipped.reason)))
    return out


def _unit(code: str) -> str:
    return {"1": "", "mL": "mL", "mm": "mm"}.get(code, code)


class OtherResults(QGroupBox):
    """The list; ``jump`` carries (StackRef, FindingOverlay) like the findings panel."""

    jump = Signal(object, object)

    def __init__(self, services: Services, session: Session, submit: Submit,
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Results from other systems"), parent)
        self.setObjectName("otherResults")
        self.services, self.session, self.submit = services, session, submit
        self.study: StudyDetail | None = None
        self.study_uid: str | None = None
        self.items: list[Entry] = []
        self.list = QListWidget(self)
        self.list.setObjectName("otherResultsList")
        self.list.setAccessibleName(self.tr("Results from other systems"))
        self.list.setWordWrap(True)
        self.list.setMaximumHeight(140)
        self.list.currentRowChanged.connect(self._chosen)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list)
        self.setVisible(False)

    def set_study(self, study: StudyDetail | None) -> Any:
        self.study = study
        self.study_uid = study.study.study_uid if study is not None else None
        self.items = []
        self.list.clear()
        self.setVisible(False)
        if self.study_uid is None:
            return None
        uid, services, session = self.study_uid, self.services, self.session

        def load(progress: ProgressCallback, cancel: CancelToken) -> StudyResults:
            return services.study_results.study_results(session, uid)

        return self.submit(load, name="other results",
                           on_result=lambda r, u=uid: self._loaded(u, r))

    def _loaded(self, study_uid: str, results: StudyResults) -> None:
        if study_uid != self.study_uid:
            return
        self.items = entries(results, self._image_number)
        self.list.clear()
        for entry in self.items:
            item = QListWidgetItem(entry.text)  # plain text, never rich text
            item.setToolTip(entry.text)
            if entry.ref is None or not entry.ref.found:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            self.list.addItem(item)
        self.setVisible(bool(self.items))

    def _image_number(self, ref: ImageRef) -> int:
        """The viewer's "Im" number for the image (display order, as the findings list)."""
        series = next((s for s in self.study.series if s.series_uid == ref.series_uid), None) \
            if self.study is not None else None
        if series is None or not 0 <= ref.stack < len(series.stacks):
            return ref.slice_index + 1
        return image_number(series.stacks[ref.stack], ref.slice_index)

    def _chosen(self, row: int) -> None:
        if not 0 <= row < len(self.items):
            return
        entry = self.items[row]
        ref = entry.ref
        if ref is None or not ref.found:
            return
        stack = StackRef(ref.series_uid, ref.stack)
        if entry.seg is None:
            lo = hi = None
            if entry.box is not None:
                lo = (entry.box[0], entry.box[1], ref.slice_index)
                hi = (entry.box[2], entry.box[3], ref.slice_index)
            self.jump.emit(stack, FindingOverlay(entry.text, ref.slice_index, lo, hi,
                                                 flagged=False))
            return
        seg_uid, number, label = entry.seg
        services, session, image = self.services, self.session, ref.sop_instance_uid

        def load(progress: ProgressCallback, cancel: CancelToken) -> dict[int, np.ndarray]:
            return services.study_results.seg_overlay(session, seg_uid, image)

        def show(masks: dict[int, np.ndarray]) -> None:
            mask = masks.get(number)
            heat = None if mask is None else np.rint(mask * 255).astype(np.uint8)[None]
            extent = (1, *heat.shape[1:]) if heat is not None else (0, 0, 0)
            self.jump.emit(stack, FindingOverlay(label, ref.slice_index, heat=heat,
                                                 heat_origin=(ref.slice_index, 0, 0),
                                                 heat_extent=extent, flagged=False))

        self.submit(load, name="segmentation overlay", on_result=show)
