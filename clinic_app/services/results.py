"""AI results and the radiologist's decisions as DICOM SEG, SR (TID 1500) and KO.

``build`` returns the objects as pydicom datasets (for the PACS send, which audits its
own transfer); ``export`` writes them to a folder and is audited as one export. A
finding whose source image is no longer in the store is refused with its id, never
exported pointing at nothing; the whole build is refused, not a partial set.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydicom.dataset import Dataset
from pydicom.uid import UID, generate_uid

from clinic_app.core.dicom_out import assemble
from clinic_app.core.dicom_out.boundary import build_object
from clinic_app.core.dicom_out.content import Algorithm, ResultFinding, tracking_uid
from clinic_app.core.dicom_out.ko import build_ko
from clinic_app.core.dicom_out.seg import SegmentMap, build_seg, slices_covered
from clinic_app.core.dicom_out.sources import instance_blob, read_header
from clinic_app.core.dicom_out.sr import build_sr
from clinic_app.core.imaging import geometry, index
from clinic_app.core.inference import finding_store as store
from clinic_app.core.inference import review_edits as edits
from clinic_app.core.inference.heatmaps import decode_from_bundle
from clinic_app.core.security.audit import EventCode, Outcome
from clinic_app.core.security.roles import Permission
from clinic_app.core.store.database import Database
from clinic_app.errors import ClinicAppError, InvalidInput
from clinic_app.i18n import translate
from clinic_app.services.analysis import AnalysisService
from clinic_app.services.context import ServiceContext
from clinic_app.services.session import Session


@dataclass(frozen=True)
class ResultObject:
    kind: str  # "SEG" / "SR" / "KO"
    dataset: Dataset
    source_series_uid: str = ""


@dataclass(frozen=True)
class ResultSet:
    study_uid: str
    objects: tuple[ResultObject, ...]
    notes: tuple[str, ...] = ()

    @property
    def datasets(self) -> list[Dataset]:
        return [o.dataset for o in self.objects]


@dataclass(frozen=True)
class WrittenFile:
    path: Path
    kind: str
    sop_class_uid: str
    sop_instance_uid: str

    def as_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "kind": self.kind, "sop_class_uid": self.sop_class_uid,
                "sop_class": UID(self.sop_class_uid).name,
                "sop_instance_uid": self.sop_instance_uid}


@dataclass(frozen=True)
class ResultsExport:
    study_uid: str
    files: tuple[WrittenFile, ...]
    notes: tuple[str, ...] = field(default=())

    def as_json(self) -> dict[str, Any]:
        return {"study_uid": self.study_uid, "files": [f.as_json() for f in self.files],
                "notes": list(self.notes)}


class _Headers:
    """Source headers read once each from the store."""

    def __init__(self, session: Session, db: Database) -> None:
        self.session, self.db = session, db
        self.cache: dict[str, Dataset] = {}

    def __call__(self, sop_uid: str) -> Dataset:
        if sop_uid not in self.cache:
            blob = instance_blob(self.db, sop_uid)
            if blob is None:
                raise InvalidInput(translate("services", "An image the results refer to is no longer in the "
                                                         "store."))
            assert self.session.blobs is not None
            self.cache[sop_uid] = read_header(self.session.blobs.get(index.BLOB_KIND, blob))
        return self.cache[sop_uid]


class ResultsService:
    def __init__(self, ctx: ServiceContext, analysis: AnalysisService) -> None:
        self.ctx = ctx
        self.analysis = analysis

    def build(self, session: Session, study_uid: str) -> ResultSet:
        """SEG per AI run with segmentation findings, SR per series, one KO; not audited
        (the caller's send or export is the user's action and writes the entry)."""
        self.ctx.begin(session, Permission.RESULTS_EXPORT)
        db = self.analysis._db(session)
        raw = store.current_findings(db, study_uid)
        placed = self.analysis._placed(db, raw)
        shifts = {f.id: p.slice_index - f.slice_index for f, p in zip(raw, placed, strict=True)}
        chosen = [f for f in placed if assemble.exported(f)]
        added = edits.added_findings(db, study_uid)
        if not chosen and not added:
            raise InvalidInput(translate("services", "This study has no flagged, reviewed or added findings to export; "
                               "analyse it first ('clinic-app analyze STUDY_UID')."))
        headers = _Headers(session, db)
        self._check_sources(db, chosen, added)
        objects: list[ResultObject] = []
        notes: list[str] = []
        everything: list[ResultFinding] = []
        for series_uid in dict.fromkeys([f.series_uid for f in chosen]
                                        + [a.placement.series_uid for a in added]):
            mine = [f for f in chosen if f.series_uid == series_uid]
            segs, numbers = self._segs(session, db, mine, shifts, headers, notes)
            objects.extend(ResultObject("SEG", s, series_uid) for s in segs)
            results = [assemble.ai_finding(f, store.run_manifest_sha256(db, f.run_uid),
                                           numbers.get(f.id)) for f in mine]
            results += [assemble.added_finding(a) for a in added
                        if a.placement.series_uid == series_uid]
            everything += results
            evidence = self._evidence(results, headers)
            if not evidence and not segs:  # nothing located: the analysed series is the evidence
                images = [i for i in index.series_instances(db, series_uid) if i.decodable]
                evidence = [headers(images[0].sop_instance_uid)] if images else []
            sr = build_object("structured report", build_sr, results, evidence, segs,
                              series_uid=generate_uid(),
                              sop_uid=generate_uid(), device_uid=self._device_uid())
            objects.append(ResultObject("SR", sr, series_uid))
        keys = assemble.key_images(everything)
        if keys:
            ko = build_object("key image note", build_ko, [headers(uid) for uid in keys],
                              series_uid=generate_uid(), sop_uid=generate_uid())
            objects.append(ResultObject("KO", ko))
        return ResultSet(study_uid, tuple(objects), tuple(notes))

    def _device_uid(self) -> str:
        return tracking_uid("device", self.ctx.keyring.get_meta("store_id") or "")

    @staticmethod
    def _check_sources(db: Database, chosen: Sequence[store.StoredFinding],
                       added: Sequence[edits.AddedFinding]) -> None:
        gone = [f"finding {f.id} ({f.label})" for f in chosen
                if f.source_sop_uid and (f.location_note == store.MISSING_NOTE
                                         or instance_blob(db, f.source_sop_uid) is None)]
        gone += [f"added finding {a.id} ({a.label})" for a in added
                 if instance_blob(db, a.placement.source_sop_uid) is None]
        if gone:
            raise InvalidInput(translate("services", "Results cannot be exported: the image(s) of ") + ", ".join(gone)
                               + translate("services", " are no longer in the store. Import the study again or "
                               "review without these findings."))

    def _segs(self, session: Session, db: Database, mine: Sequence[store.StoredFinding],
              shifts: dict[int, int], headers: _Headers,
              notes: list[str]) -> tuple[list[Dataset], dict[int, tuple[str, int]]]:
        """One SEG per run with segmentation maps; finding id → (SEG SOP UID, segment)."""
        out: list[Dataset] = []
        numbers: dict[int, tuple[str, int]] = {}
        for run_uid in dict.fromkeys(f.run_uid for f in mine):
            found = [f for f in mine if f.run_uid == run_uid and f.has_heatmap
                     and f.location_method == "segmentation"]
            maps: list[tuple[store.StoredFinding, SegmentMap]] = []
            for f in found:
                location = store.heatmap_location(db, f.id)
                if location is None:
                    continue
                assert session.blobs is not None
                heatmap = decode_from_bundle(session.blobs.get(store.HEATMAP_BLOB, location[0]),
                                             location[1])
                segment = assemble.segment_map(f, heatmap, shifts.get(f.id, 0))
                if segment is not None:
                    maps.append((f, segment))
            if not maps:
                continue
            first = maps[0][0]
            owner = index.series_context(db, first.series_uid)
            plans = geometry.plan_series(index.series_instances(db, first.series_uid),
                                         owner["modality"] if owner else "")
            plan = plans[first.stack_index] if first.stack_index < len(plans) else None
            covered = slices_covered([m for _f, m in maps])
            if plan is None or covered[-1] >= len(plan.frames) or any(
                    plan.frames[k].instance.frames != 1 for k in covered):
                notes.append(f"{first.model_id}: no SEG written (its maps are on multi-frame "
                             "images or slices no longer in the series); regions are in the SR")
                continue
            sources = {k: headers(plan.frames[k].instance.sop_instance_uid) for k in covered}
            if len({str(getattr(ds, "FrameOfReferenceUID", "")) for ds in sources.values()}) > 1:
                notes.append(f"{first.model_id}: no SEG written (the images disagree on their "
                             "frame of reference, so a segmentation cannot be placed on them); "
                             "regions are in the SR")
                continue
            algorithm = Algorithm(first.model_id, first.model_version,
                                  store.run_manifest_sha256(db, run_uid))
            seg = build_object("segmentation", build_seg, sources, [m for _f, m in maps],
                               algorithm, series_uid=generate_uid(), sop_uid=generate_uid())
            out.append(seg)
            numbers.update({f.id: (str(seg.SOPInstanceUID), n + 1)
                            for n, (f, _m) in enumerate(maps)})
        return out, numbers

    @staticmethod
    def _evidence(results: Sequence[ResultFinding], headers: _Headers) -> list[Dataset]:
        uids: list[str] = []
        for r in results:
            for region in (r.region, r.review.revised if r.review else None):
                if region is not None and region.sop_instance_uid not in uids:
                    uids.append(region.sop_instance_uid)
        return [headers(u) for u in uids]

    def export(self, session: Session, study_uid: str, to_dir: Path) -> ResultsExport:
        """Write the result objects into ``to_dir`` (created if needed; nothing overwritten)."""
        self.ctx.begin(session, Permission.RESULTS_EXPORT)
        patient = self.analysis._patient_of(session, study_uid)
        try:
            result = self.build(session, study_uid)
            files = write_objects(result.objects, Path(to_dir))
        except ClinicAppError as exc:
            self.ctx.audit(session, EventCode.EXPORT, "results.export",
                           outcome=Outcome.MINOR_FAILURE, patient_id=patient,
                           study_uid=study_uid, detail={"error": type(exc).__name__})
            raise
        self.ctx.audit(session, EventCode.EXPORT, "results.export", patient_id=patient,
                       study_uid=study_uid,
                       detail={"files": len(files),
                               "kinds": sorted({f.kind for f in files})})
        return ResultsExport(study_uid, tuple(files), result.notes)


def write_objects(objects: Sequence[ResultObject], folder: Path) -> list[WrittenFile]:
    """Write each object as ``KIND_n.dcm``; all or nothing, never over an existing file."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(translate("services", "The folder cannot be created ({strerror}).").format(
                               strerror=exc.strerror)) from None
    written: list[WrittenFile] = []
    counts: dict[str, int] = {}
    try:
        for obj in objects:
            counts[obj.kind] = counts.get(obj.kind, 0) + 1
            path = folder / f"{obj.kind}_{counts[obj.kind]}.dcm"
            with open(path, "xb") as fh:
                written.append(WrittenFile(path, obj.kind, str(obj.dataset.SOPClassUID),
                                           str(obj.dataset.SOPInstanceUID)))
                obj.dataset.save_as(fh, enforce_file_format=True)
                fh.flush()
                os.fsync(fh.fileno())
    except FileExistsError as exc:
        _remove(written)
        raise InvalidInput(translate("services", "{name} already exists in the folder; choose an empty "
                                                 "folder.").format(name=Path(str(exc.filename)).name)) from None
    except OSError as exc:
        _remove(written)
        raise InvalidInput(translate("services", "The results could not be written ({strerror}).").format(
                               strerror=exc.strerror)) from None
    return written


def _remove(files: Sequence[WrittenFile]) -> None:
    for f in files:
        f.path.unlink(missing_ok=True)
