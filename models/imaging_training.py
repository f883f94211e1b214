"""Shared build-time pieces of the imaging demo models (train_ct_lesion.py, train_cr_classifier.py).

Training uses torch (the ``train`` extra); everything after export goes through the
app's own code: the package is written with ``write_package``, loaded through the
verified-package path, and evaluated with the same ``analyse`` pipeline the app runs, so
the metrics in a manifest are the metrics of what ships.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from clinic_app.core.inference.findings import Finding
from clinic_app.core.inference.imaging_run import ModelRunner
from clinic_app.core.inference.imaging_spec import ImagingSpec, parse_imaging_spec
from clinic_app.core.inference.manifest import parse_manifest
from clinic_app.core.inference.package import TrustPolicy, TrustStore, read_package
from clinic_app.core.inference.packaging import write_package
from clinic_app.core.inference.runtime import RuntimeOptions, create_session

OPSET = 17


def seed_everything(seed: int, threads: int = 1) -> np.random.Generator:
    """Fixed seeds and a polite thread count (the build machine is shared)."""
    random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True)
    return np.random.default_rng(seed)


def export_onnx(model: torch.nn.Module, example: torch.Tensor, output_names: Sequence[str],
                dynamic: dict[str, dict[int, str]]) -> bytes:
    """TorchScript-based export (deterministic bytes for a given model and torch version)."""
    model.eval()
    buffer = io.BytesIO()
    torch.onnx.export(model, (example,), buffer, dynamo=False, opset_version=OPSET,
                      input_names=["image"], output_names=list(output_names),
                      dynamic_axes=dynamic, do_constant_folding=True)
    return buffer.getvalue()


def runner_for(doc: dict, model_bytes: bytes) -> tuple[ImagingSpec, ModelRunner]:
    """Load the package exactly as the app does (from a scratch folder, unsigned allowed).

    The folder goes as soon as the package is read: reading keeps every file in memory, and
    each training run calls this again (dozens of folders had piled up in /tmp)."""
    with tempfile.TemporaryDirectory(prefix="clinic-model-eval-") as scratch:
        folder = Path(scratch) / doc["id"]
        write_package(folder, doc, {"model.onnx": (model_bytes, "model")})
        contents = read_package(folder, TrustStore(), TrustPolicy(allow_unsigned=True))
    session = create_session(contents, RuntimeOptions(gpu_preference="cpu", warmup=False))
    spec = parse_imaging_spec(contents.manifest)
    return spec, ModelRunner(session, spec)


@dataclass
class DetectionTally:
    """Lesion-level detection counts: a truth is found by a flagged finding near its centre."""

    truths: int = 0
    found: int = 0
    false_positives: int = 0
    cases: int = 0
    centre_errors_mm: list[float] | None = None
    volume_ratios: list[float] | None = None

    def add(self, findings: Sequence[Finding],
            truths_mm: Sequence[tuple[np.ndarray, float, float]]) -> None:
        """``truths_mm``: (centre in mm, radius in mm, true volume in mL) per lesion."""
        self.cases += 1
        self.truths += len(truths_mm)
        errors = self.centre_errors_mm if self.centre_errors_mm is not None else []
        ratios = self.volume_ratios if self.volume_ratios is not None else []
        used: set[int] = set()
        flagged = [f for f in findings if f.flagged]
        for centre, radius, volume in truths_mm:
            best = None
            for n, f in enumerate(flagged):
                d = float(np.linalg.norm(np.asarray(f.center_mm) - centre))
                if n not in used and d <= max(radius, 5.0) and (best is None or d < best[1]):
                    best = (n, d)
            if best is not None:
                used.add(best[0])
                self.found += 1
                errors.append(best[1])
                if flagged[best[0]].volume_ml is not None:
                    ratios.append(float(flagged[best[0]].volume_ml) / volume)
        self.false_positives += len(flagged) - len(used)
        self.centre_errors_mm = errors
        self.volume_ratios = ratios

    def metrics(self) -> dict[str, float]:
        errors = self.centre_errors_mm or [float("nan")]
        return {
            "sensitivity": round(self.found / max(1, self.truths), 3),
            "false_positives_per_case": round(self.false_positives / max(1, self.cases), 3),
            "median_centre_error_mm": round(float(np.median(errors)), 2),
            "median_volume_ratio": round(float(np.median(self.volume_ratios or [np.nan])), 2),
            "lesions": self.truths, "cases": self.cases,
        }


def spec_from(doc: dict) -> ImagingSpec:
    """The ImagingSpec of a manifest document before its files exist (placeholder hash),
    so training prepares data with exactly the preprocessing the package will declare."""
    placeholder = {**doc, "files": {"model.onnx": {"sha256": "0" * 64, "size": 0, "role": "model"}}}
    return parse_imaging_spec(parse_manifest(json.dumps(placeholder).encode()))


def shipped_model(folder: Path) -> tuple[bytes, dict]:
    """The model bytes and training record of an already built package (``--evaluate-only``)."""
    doc = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    training = {k: v for k, v in doc["evaluation"]["training"].items() if k != "torch"}
    return (folder / "model.onnx").read_bytes(), training


def write_shipped(folder: Path, doc: dict, model_bytes: bytes, *, data: str, method: str,
                  metrics: dict, training: dict) -> None:
    """Write the package with its held-out evaluation in the manifest."""
    doc = {**doc, "evaluation": {"data": data, "method": method, "metrics": metrics,
                                 "training": {**training, "torch": torch.__version__}}}
    manifest = write_package(folder, doc, {"model.onnx": (model_bytes, "model")})
    print(f"wrote {folder} ({len(model_bytes) / 1024:.0f} KiB model), manifest {manifest.sha256}")
    print("now run: .venv/bin/python models/pin_shipped.py   (and review the pin diff)")


def train_and_package(doc: dict, *, description: str, seed: int, steps: int,
                      data_option: tuple[str, int, str], eval_cases: int,
                      build: Callable[[argparse.Namespace, np.random.Generator], tuple[bytes, dict]],
                      evaluate: Callable[[dict, bytes, np.random.Generator, int], dict],
                      data: Callable[[argparse.Namespace], str], method: str,
                      out: Path) -> None:
    """The command line both training scripts share: train (or ``--evaluate-only``),
    evaluate on held-out data from ``seed + 1``, write the package with its metrics."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--steps", type=int, default=steps)
    name, default, help_text = data_option
    parser.add_argument(f"--{name}", type=int, default=default, help=help_text)
    parser.add_argument("--eval-cases", type=int, default=eval_cases)
    parser.add_argument("--out", type=Path, default=out)
    parser.add_argument("--evaluate-only", action="store_true",
                        help="re-evaluate the model already in --out and rewrite its manifest")
    args = parser.parse_args()
    rng = seed_everything(seed)
    model_bytes, training = shipped_model(args.out) if args.evaluate_only else build(args, rng)
    metrics = evaluate(doc, model_bytes, np.random.default_rng(seed + 1), args.eval_cases)
    print("held-out:", metrics, flush=True)
    write_shipped(args.out, doc, model_bytes, metrics=metrics, training=training,
                  data=data(args), method=method)
