"""Is a 3D finding focal or tubular? Elongation from the segmentation's second moments.

A per-slice model trained on focal lesions also answers on an enhancing vessel: on each
slice its section is a bright disc, as a lesion's is. Slice by slice the two cannot be
told apart; in 3D they can. A focal lesion is roughly an ellipsoid, a vessel a tube much
longer than it is wide.

The measure: the covariance of the component's voxel positions in patient mm (the
series affine, so anisotropic pixels and thick slices count in physical units). An
ellipsoid with semi-axes ``a ≥ b ≥ c`` has variances ``a²/5, b²/5, c²/5`` along its
axes; a tube of length ``L`` and diameter ``d`` has ``L²/12`` along it and ``d²/16``
across. ``elongation = √(λ₁/λ₂)`` of the two largest eigenvalues is then ``a/b`` for an
ellipsoid (1 for a sphere) and ``2L/(d√3)`` for a tube (a vessel three diameters long:
3.5).

Thick slices sample a small lesion at only one to three positions along the slice
normal, so the spread of its slice centres can exceed the lesion's own (two slices 5 mm
apart give a 2.5 mm standard deviation to a 5 mm lesion). Before the eigenvalues are
taken, the largest variance that sampling alone can add, ``(s/2)²`` for slice step ``s``,
is removed along the slice normal (never below zero). The test therefore errs towards
keeping a finding: a short vessel segment may pass as focal; a small lesion on thick
slices is not called a tube.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from clinic_app.core.inference.components import Component


def second_moments(comp: Component, slice_labels: dict[int, np.ndarray],
                   to_mm: Callable[[np.ndarray], np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Centroid ``(3,)`` and covariance ``(3, 3)`` of the component's voxels, in mm.

    ``to_mm`` maps ``(n, 3)`` voxel indices ``(col, row, slice)`` to patient mm.
    """
    count = 0
    total = np.zeros(3)
    outer = np.zeros((3, 3))
    for k, parts in comp.parts.items():
        left, top, right, bottom = comp.boxes[k]
        inside = np.isin(slice_labels[k][top:bottom + 1, left:right + 1], parts)
        rows, cols = np.nonzero(inside)
        if not len(rows):
            continue
        ijk = np.column_stack([cols + left, rows + top, np.full(len(rows), k)])
        pts = to_mm(ijk)
        count += len(pts)
        total += pts.sum(axis=0)
        outer += pts.T @ pts
    if count == 0:
        return np.zeros(3), np.zeros((3, 3))
    mean = total / count
    return mean, outer / count - np.outer(mean, mean)


def elongation(covariance: np.ndarray, normal: np.ndarray, slice_step_mm: float) -> float:
    """``√(λ₁/λ₂)`` after removing the slice-sampling allowance (module doc); 1.0 for a
    component too small to have a second axis."""
    unit = np.asarray(normal, dtype=np.float64)
    length = float(np.linalg.norm(unit))
    cov = np.array(covariance, dtype=np.float64)
    if length > 0 and slice_step_mm > 0:
        unit = unit / length
        along = float(unit @ cov @ unit)
        cov -= np.outer(unit, unit) * min(along, (slice_step_mm / 2.0) ** 2)
    eigen = np.sort(np.clip(np.linalg.eigvalsh(0.5 * (cov + cov.T)), 0.0, None))[::-1]
    if eigen[1] <= 0.0:
        return 1.0 if eigen[0] <= 0.0 else math.inf
    return math.sqrt(eigen[0] / eigen[1])
