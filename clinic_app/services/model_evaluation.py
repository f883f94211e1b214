"""``models evaluate``: run an installed imaging model on a labelled folder and measure it.

Radiologists (who judge what a model's findings are worth) and admins (who install and
sign off models) may evaluate: the data are files the user points at, not the store, so
no clinical key is needed. One audit entry per evaluation, with the summary numbers and
no patient data (series UIDs stay out of the log).

The findings come from the app's own pipeline (``imaging_pipeline.analyse``) on volumes
built by the app's own volume builder, with the installed, verified package: the
metrics are those of what ships. ``record_in_package`` writes them into a package's
manifest so the model card, the manifest and docs/imaging-ai.md quote one command.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clinic_app.core.imaging.stack_kind import StackKind
from clinic_app.core.inference.eval_data import index_folder, load_series, read_truth
from clinic_app.core.inference.evaluation import (
    LesionRow,
    ScanResult,
    calibration,
    lesion_rows,
    scan_rows,
    summary,
)
from clinic_app.core.inference.imaging_pipeline import analyse, geometry_of
from clinic_app.core.inference.imaging_run import ModelRunner
from clinic_app.core.inference.imaging_spec import is_imaging, parse_imaging_spec
from clinic_app.core.inference.manifest import parse_manifest
from clinic_app.core.inference.packaging import write_package
from clinic_app.core.inference.seg_truth import is_seg, seg_lesions, seg_truth
from clinic_app.core.security.audit import EventCode
from clinic_app.core.security.roles import Permission
from clinic_app.core.tasks import NEVER_CANCELLED, CancelToken, Progress, no_progress
from clinic_app.errors import InvalidInput, ModelError
from clinic_app.i18n import translate
from clinic_app.services.context import ServiceContext
from clinic_app.services.models import ModelService
from clinic_app.services.session import Session

#: How the metrics written into a manifest were measured (the rules: core/inference/evaluation.py).
METHOD = ("clinic-app models evaluate: the installed package through the app's pipeline; a "
          "finding hits a lesion when its centre is within max(radius, 5 mm); per lesion its "
          "flagged hits are counted and the best one measured; FROC over all findings; size "
          "goal = one finding, centre <= 2 mm, diameter +-15 %, volume +-25 % "
          "(docs/imaging-ai.md)")


@dataclass(frozen=True)
class EvaluationReport:
    model_id: str
    version: str
    demo: bool
    provider: str
    description: str
    rows: tuple[LesionRow, ...]
    scans: tuple[dict[str, Any], ...]
    metrics: dict[str, Any]
    calibration: dict[str, Any]
    skipped_files: int
    unlabelled_series: int
    seconds: float

    def as_json(self) -> dict[str, Any]:
        return {"model": self.model_id, "version": self.version, "demo": self.demo,
                "provider": self.provider, "data": self.description, "metrics": self.metrics,
                "calibration": self.calibration, "lesions": [r.as_dict() for r in self.rows],
                "scans": list(self.scans),
                "skipped_files": self.skipped_files,
                "unlabelled_series": self.unlabelled_series, "seconds": round(self.seconds, 2)}


class ModelEvaluationService:
    def __init__(self, ctx: ServiceContext, models: ModelService) -> None:
        self.ctx = ctx
        self.models = models

    def evaluate(self, session: Session, model_id: str, data_dir: Path,
                 truth_file: Path | None = None, *, progress: Progress = no_progress,
                 cancel: CancelToken = NEVER_CANCELLED) -> EvaluationReport:
        """Evaluate ``model_id`` on the series under ``data_dir`` against the truth file."""
        self.ctx.begin(session, Permission.MODELS_EVALUATE, object=model_id)
        start = time.perf_counter()
        model = self.models.ungated_catalog(session).session(model_id)
        if not is_imaging(model.manifest):
            raise InvalidInput(translate("services", "Model {model_id} is not an imaging model; only imaging "
                                                     "models are evaluated on DICOM series.").format(
                                   model_id=model_id))
        spec = parse_imaging_spec(model.manifest)
        if not data_dir.is_dir():
            raise InvalidInput(translate("services", "{data_dir} is not a folder of DICOM series.").format(
                                   data_dir=data_dir))
        series, skipped = index_folder(data_dir)
        segs = seg_truth(series) if truth_file is None and not (
            data_dir / "truth.json").exists() else None
        truth = None if segs is not None else read_truth(truth_file or data_dir / "truth.json")
        scan_uids = list(segs.scans if segs is not None else truth.scans if truth else ())
        description = segs.description if segs is not None else truth.description if truth else ""
        missing = [uid for uid in scan_uids if uid not in series]
        if missing:
            raise InvalidInput(translate("services", "{len} series named in the truth file are not in "
                                                     "{data_dir} (first: {value}).").format(
                                   len=len(missing), data_dir=data_dir, value=missing[0]))
        runner = ModelRunner(model, spec)
        scans: list[ScanResult] = []
        for n, uid in enumerate(scan_uids):
            cancel.raise_if_cancelled()
            progress(n, len(scan_uids), f"evaluating series {n + 1} of {len(scan_uids)}")
            volume = load_series(series[uid])
            lesions = (seg_lesions(volume, segs.scans[uid]) if segs is not None
                       else truth.scans[uid] if truth else ())
            modality = volume.modality
            if modality not in spec.selection.modalities:
                raise InvalidInput(translate("services", "series {value} of the truth file is {modality}; "
                                                         "model {model_id} analyses {join}.").format(
                                       value=n + 1, modality=modality, model_id=model_id,
                                       join=', '.join(spec.selection.modalities)))
            result = analyse(volume.voxels, geometry_of(volume), spec, runner, no_progress,
                             cancel, invert=volume.display.invert)
            scans.append(ScanResult(f"scan {n + 1}", lesions, result.findings,
                                    volume.spacing[0] if volume.kind == StackKind.VOLUME else None))
        progress(len(scan_uids), len(scan_uids), "evaluated")
        rows = lesion_rows(scans)
        metrics = {**summary(scans, rows), "provider": model.provider}
        report = EvaluationReport(
            model_id, model.manifest.version, model.manifest.demo, model.provider,
            description, tuple(rows), tuple(scan_rows(scans)), metrics,
            calibration(scans), skipped,
            len({uid for uid in series if not is_seg(series[uid])} - set(scan_uids)),
            time.perf_counter() - start)
        self.ctx.audit(session, EventCode.APPLICATION_ACTIVITY, "models.evaluate",
                       object=model_id, detail={"version": report.version, "metrics": metrics})
        return report


def record_in_package(folder: Path, report: EvaluationReport, command: str) -> str:
    """Write ``report``'s metrics into the package's manifest (``evaluation``); returns
    the new manifest hash. The package must hold the very model that was evaluated."""
    manifest_path = folder / "manifest.json"
    try:
        manifest = parse_manifest(manifest_path.read_bytes())
    except OSError as exc:
        raise InvalidInput(translate("services", "{folder} is not a model package ({strerror}).").format(
                               folder=folder, strerror=exc.strerror)) from None
    if manifest.id != report.model_id or manifest.version != report.version:
        raise ModelError(translate("services", "{folder} holds {id} {version}, not the evaluated {model_id} "
                                               "{version2}; metrics not written.").format(
                             folder=folder, id=manifest.id, version=manifest.version,
                             model_id=report.model_id, version2=report.version))
    doc = json.loads(manifest_path.read_text(encoding="utf-8"))
    files = {name: ((folder / name).read_bytes(), entry["role"])
             for name, entry in doc.pop("files").items()}
    evaluation = dict(doc.get("evaluation", {}))
    evaluation.update({"data": report.description, "command": command,
                       "method": METHOD, "metrics": report.metrics})
    doc["evaluation"] = evaluation
    doc.pop("signature", None)
    return write_package(folder, doc, files).sha256
