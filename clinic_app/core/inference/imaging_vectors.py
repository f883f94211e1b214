"""Test vectors of imaging models: synthetic images with known answers (``models verify``).

A vector's ``inputs`` describe an image rather than hold one (manifests stay small and
reviewable): ``rows`` × ``cols`` pixels of ``pixel_mm``, filled with a constant ``fill``
in modality units (HU for CT) or with a ``phantom`` (``{"kind": "ct_body_slice",
"z_mm": …, "seed": …}`` or ``{"kind": "chest_radiograph", "seed": …}`` scaled by
``scale``, from ``clinic_app.core.imaging.phantoms``), optionally with a ``disc``
(``centre`` [row, col], ``radius_mm``, ``value`` added to what is there, its boundary
blurred over ``edge_mm``, 0 = sharp). ``slices`` (odd, default 1) stacks that many
slices ``slice_mm`` apart (the phantom at its own height for each), so a model that reads
neighbouring slices (2.5D) sees a volume: a ``disc`` is then on every slice (a tube), and
a ``ball`` (same keys as a disc) is a sphere centred on the middle slice. The image
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


def vector_image(inputs: Mapping[str, Any]) -> tuple[np.ndarray, float, float]:
    """The ``(slices, rows, cols)`` float32 image a vector describes, its pixel size and
    its slice spacing (mm)."""
    rows, cols = int(inputs.get("rows", 64)), int(inputs.get("cols", 64))
    pixel_mm = float(inputs.get("pixel_mm", 1.0))
    slices, slice_mm = int(inputs.get("slices", 1)), float(inputs.get("slice_mm", 1.0))
    if not (0 < rows <= 4096 and 0 < cols <= 4096 and pixel_mm > 0):
        raise ValueError("rows/cols must be in 1..4096 and pixel_mm positive")
    if not (0 < slices <= 63 and slices % 2 == 1 and slice_mm > 0):
        raise ValueError("slices must be odd, 1..63, and slice_mm positive")
    offsets = (np.arange(slices) - slices // 2) * slice_mm
    phantom = inputs.get("phantom")
    if phantom is None:
        image = np.full((slices, rows, cols), float(inputs.get("fill", 0.0)), dtype=np.float32)
    elif phantom.get("kind") == "ct_body_slice":
        from clinic_app.core.imaging.phantoms import ct_body_slice

        image = np.stack([ct_body_slice(float(phantom["z_mm"]) + dz, rows, cols, pixel_mm,
                                        seed=int(phantom.get("seed", 0)))
                          for dz in offsets]).astype(np.float32)
    elif phantom.get("kind") == "chest_radiograph":
        from clinic_app.core.imaging.phantoms import chest_radiograph

        image = np.repeat(chest_radiograph(rows, cols, int(phantom.get("seed", 0)))[None],
                          slices, axis=0)
        image = image * float(phantom.get("scale", 4095.0))
    else:
        raise ValueError(f"unknown phantom {phantom.get('kind')!r}")
    yy, xx = np.mgrid[0:rows, 0:cols]
    for key, depth in (("disc", np.zeros_like(offsets)), ("ball", offsets)):
        shape = inputs.get(key)
        if not shape:
            continue
        r0, c0 = (float(v) for v in shape["centre"])
        radius = float(shape["radius_mm"])
        edge = max(float(shape.get("edge_mm", 0.0)), 1e-3)
        in_plane = np.hypot(yy - r0, xx - c0) * pixel_mm
        for k, dz in enumerate(depth):
            distance = np.hypot(in_plane, dz)
            image[k] += float(shape["value"]) * 0.5 * (1.0 - np.tanh((distance - radius) / edge))
    return image.astype(np.float32), pixel_mm, slice_mm


def _outputs(spec: ImagingSpec, runner: ModelRunner, image: np.ndarray,
             pixel_mm: float, slice_mm: float) -> dict[str, float]:
    times = StageTimes()
    if spec.inference.mode == "image":
        if len(image) != 1:
            raise ValueError("an image model's vector describes one image (slices 1)")
        result = run_image(image[0], (pixel_mm, pixel_mm), spec, runner, times)
        return {"probability": float(result.scores[0])}
    if spec.inference.mode == "slice":
        maps = run_slices(image, (slice_mm, pixel_mm, pixel_mm), spec, runner, times,
                          no_progress, NEVER_CANCELLED)
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
            image, pixel_mm, slice_mm = vector_image(vector["inputs"])
            got = _outputs(spec, runner, image, pixel_mm, slice_mm)
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
