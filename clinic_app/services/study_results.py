"""Other systems' results in a study: SEG overlays, SR measurements, KO key images.

Objects are parsed when asked for (they are small, and parsing at import would tie the
importer to highdicom). Each reference is resolved against the store: an image we hold
becomes (series, stack, slice) for the viewer to jump to; one we do not hold stays
listed with a note. An object that cannot be read is listed with its skip reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pydicom.dataset import Dataset

from clinic_app.core.dicom_out import foreign
from clinic_app.core.dicom_out.sources import read_full, read_header
from clinic_app.core.imaging import geometry, index
from clinic_app.core.imaging.result_objects import ResultKind, result_kind, study_result_instances
from clinic_app.core.security.audit import EventCode
from clinic_app.core.security.roles import Permission
from clinic_app.errors import InvalidInput
from clinic_app.i18n import translate
from clinic_app.services.analysis import AnalysisService
from clinic_app.services.context import ServiceContext
from clinic_app.services.session import Session

NOT_HERE = "image not in this store"


@dataclass(frozen=True)
class ImageRef:
    sop_instance_uid: str
    series_uid: str = ""
    stack: int = 0
    slice_index: int = -1
    note: str = ""  # NOT_HERE when the image is not in the store

    @property
    def found(self) -> bool:
        return not self.note


@dataclass(frozen=True)
class Skipped:
    sop_instance_uid: str
    kind: str
    reason: str


@dataclass(frozen=True)
class StudyResults:
    segs: tuple[tuple[foreign.SegInfo, tuple[ImageRef, ...]], ...]
    reports: tuple[tuple[foreign.SrInfo, tuple[tuple[ImageRef, ...], ...]], ...]
    key_images: tuple[tuple[foreign.KoInfo, tuple[ImageRef, ...]], ...]
    skipped: tuple[Skipped, ...]


class StudyResultsService:
    def __init__(self, ctx: ServiceContext, analysis: AnalysisService) -> None:
        self.ctx = ctx
        self.analysis = analysis

    def _locations(self, session: Session, study_uid: str) -> dict[str, ImageRef]:
        db = self.analysis._db(session)
        out: dict[str, ImageRef] = {}
        for row in index.series_rows(db, study_uid):
            plans = geometry.plan_series(index.series_instances(db, row["series_uid"]),
                                         row["modality"])
            for (sop, frame), (stack, k) in geometry.frame_locations(plans).items():
                if frame == 1:
                    out[sop] = ImageRef(sop, row["series_uid"], stack, k)
        return out

    def study_results(self, session: Session, study_uid: str) -> StudyResults:
        """Every SEG, TID 1500 SR and KO in the study, with references resolved."""
        self.ctx.begin(session, Permission.FINDINGS_VIEW)
        db = self.analysis._db(session)
        where = self._locations(session, study_uid)

        def ref(uid: str) -> ImageRef:
            return where.get(uid) or ImageRef(uid, note=NOT_HERE)

        segs, reports, kos, skipped = [], [], [], []
        assert session.blobs is not None
        for row in study_result_instances(db, study_uid):
            kind = result_kind(row["sop_class_uid"])
            data = session.blobs.get(index.BLOB_KIND, row["blob_id"])
            try:
                if kind is ResultKind.SEG:
                    seg = foreign.read_seg(read_full(data))
                    segs.append((seg, tuple(ref(u) for u in seg.source_images)))
                elif kind is ResultKind.SR:
                    sr = foreign.read_sr(read_header(data))
                    reports.append((sr, tuple(tuple(ref(u) for u in g.images)
                                              for g in sr.groups)))
                elif kind is ResultKind.KO:
                    ko = foreign.read_ko(read_header(data))
                    kos.append((ko, tuple(ref(u) for u in ko.images)))
                else:
                    skipped.append(Skipped(row["sop_instance_uid"], str(kind),
                                           "presentation states are not applied yet"))
            except foreign.Unreadable as exc:
                skipped.append(Skipped(row["sop_instance_uid"], str(kind), str(exc)))
        self.ctx.audit(session, EventCode.DICOM_INSTANCES_ACCESSED, "results.view",
                       patient_id=self.analysis._patient_of(session, study_uid),
                       study_uid=study_uid,
                       detail={"seg": len(segs), "sr": len(reports), "ko": len(kos),
                               "skipped": len(skipped)})
        return StudyResults(tuple(segs), tuple(reports), tuple(kos), tuple(skipped))

    def seg_overlay(self, session: Session, seg_sop_uid: str,
                    source_sop_uid: str) -> dict[int, np.ndarray]:
        """Segment number → mask in [0, 1] on one source image, for the viewer's overlay."""
        self.ctx.begin(session, Permission.IMAGES_VIEW)
        db = self.analysis._db(session)
        row = db.query_one("SELECT blob_id FROM dicom_instances WHERE sop_instance_uid = ?",
                           (seg_sop_uid,))
        if row is None:
            raise InvalidInput(translate("services", "No segmentation with this UID in the store."))
        assert session.blobs is not None
        ds: Dataset = read_full(session.blobs.get(index.BLOB_KIND, row["blob_id"]))
        try:
            masks = foreign.seg_masks(ds, source_sop_uid)
        except foreign.Unreadable as exc:
            raise InvalidInput(str(exc)) from None
        self.ctx.audit(session, EventCode.DICOM_INSTANCES_ACCESSED, "results.overlay",
                       study_uid=str(ds.get("StudyInstanceUID", "")),
                       detail={"segments": len(masks)})
        return masks
