"""Test vectors of imaging models: synthetic images with known answers (``models verify``).

A vector's ``inputs`` describe an image rather than hold one (manifests stay small and
reviewable): ``rows`` × ``cols`` pixels of ``pixel_mm``, filled with a constant ``fill``
in modality units (HU for CT) or with a ``phantom`` (``{"kind": "ct_body_slice",
"z_mm": …, "seed": …}`` or ``{"kind": "chest_radiograph", "seed": …}`` scaled by
``scale``, from ``clinic_app.core.imaging.phantoms``), optionally with a ``disc``
(``centre`` [row, col], ``radius_mm``, ``value`` added to what is there, its boundary
blurred over ``edge_mm``, 0 = sharp). The image
goes through the same preparation and run as a patient's series; ``expected`` may name
``max_probability`` (segmentation: the highest pixel probability of the first label) or
``probability`` (classification: the first label's score).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from clinic_app.core.inference.imaging_run import ModelRunner, StageTimes, run_image, run_slices
from clinic_app.core.inference.imaging_spec import ImagingSpec, parse_imaging_spec
from clinic_app.core.inference.risk import VectorCheck
from clinic_app.core.inference.runtime import ModelSession
from clinic_app.core.tasks import NEVER_CANCELLED, no_progress
from clinic_app.errors import ClinicAppError


def vector_image(inputs: Mapping[str, Any]) -> tuple[np.ndarray, float]:
    """The ``(1, rows, cols)`` float32 image a vector describes, and its pixel size."""
    rows, cols = int(inputs.get("rows", 64)), int(inputs.get("cols", 64))
    pixel_mm = float(inputs.get("pixel_mm", 1.0))
    if not (0 < rows <= 4096 and 0 < cols <= 4096 and pixel_mm > 0):
        raise ValueError("rows/cols must be in 1..4096 and pixel_mm positive")
    phantom = inputs.get("phantom")
    if phantom is None:
        image = np.full((1, rows, cols), float(inputs.get("fill", 0.0)), dtype=np.float32)
    elif phantom.get("kind") == "ct_body_slice":
        from clinic_app.core.imaging.phantoms import ct_body_slice

        image = ct_body_slice(float(phantom["z_mm"]), rows, cols, pixel_mm,
                              seed=int(phantom.get("seed", 0)))[None].astype(np.float32)
    elif phantom.get("kind") == "chest_radiograph":
        from clinic_app.core.imaging.phantoms import chest_radiograph

        image = chest_radiograph(rows, cols, int(phantom.get("seed", 0)))[None]
        image = image * float(phantom.get("scale", 4095.0))
    else:
        raise ValueError(f"unknown phantom {phantom.get('kind')!r}")
    disc = inputs.get("disc")
    if disc:
        yy, xx = np.mgrid[0:rows, 0:cols]
        r0, c0 = (float(v) for v in disc["centre"])
        radius = float(disc["radius_mm"])
        edge = max(float(disc.get("edge_mm", 0.0)), 1e-3)
        distance = np.hypot(yy - r0, xx - c0) * pixel_mm
        image[0] += float(disc["value"]) * 0.5 * (1.0 - np.tanh((distance - radius) / edge))
    return image.astype(np.float32), pixel_mm


def _outputs(spec: ImagingSpec, runner: ModelRunner, image: np.ndarray,
             pixel_mm: float) -> dict[str, float]:
    times = StageTimes()
    if spec.inference.mode == "image":
        result = run_image(image[0], (pixel_mm, pixel_mm), spec, runner, times)
        return {"probability": float(result.scores[0])}
    if spec.inference.mode == "slice":
        maps = run_slices(image, (1.0, pixel_mm, pixel_mm), spec, runner, times, no_progress,
                          NEVER_CANCELLED)
        return {"max_probability": float(maps[0].max()) / 255.0}
    raise ValueError("vectors for 3D patch models are not supported")


def check_imaging_vectors(session: ModelSession) -> list[VectorCheck]:
    """Run every test vector of an imaging model; each gives a pass/fail with the numbers."""
    manifest = session.manifest
    checks: list[VectorCheck] = []
    try:
        spec = parse_imaging_spec(manifest)
        runner = ModelRunner(session, spec)
    except ClinicAppError as exc:
        return [VectorCheck("imaging settings", False, str(exc), manifest.id)]
    for vector in manifest.entries("test_vectors"):
        name, tol = str(vector["name"]), float(vector["tolerance"])
        try:
            image, pixel_mm = vector_image(vector["inputs"])
            got = _outputs(spec, runner, image, pixel_mm)
        except (ClinicAppError, ValueError, KeyError, TypeError) as exc:
            checks.append(VectorCheck(name, False, f"refused: {exc}", str(vector["source"])))
            continue
        bad = []
        for key, want in vector["expected"].items():
            if key not in got:
                bad.append(f"{key}: not an imaging vector output (use {', '.join(got)})")
            elif abs(got[key] - float(want)) > tol:
                bad.append(f"{key}: got {got[key]:.4g}, expected {want} ± {tol:g}")
        checks.append(VectorCheck(name, not bad, "; ".join(bad) or "ok", str(vector["source"])))
    return checks
