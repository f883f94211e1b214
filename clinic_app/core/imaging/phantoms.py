"""Anatomy-like numerical phantoms for tests, benchmarks, demos and the model test vectors.

``ct_body_slice`` gives one axial slice of a torso in Hounsfield units at height ``z``:
skin and subcutaneous fat, muscle, lungs (upper half), heart and aorta, liver and
kidneys (lower half), a vertebral body with cortex and marrow, and ribs, plus
deterministic noise. Values follow textbook HU (air -1000, lung ≈ -850, fat ≈ -100,
soft tissue 40–60, contrast-enhanced blood ≈ 200, cancellous bone ≈ 300, cortex ≈ 1000),
so windows and presets look right and tests can reason about tissue classes.

``chest_radiograph`` gives a PA chest projection as *attenuation* in [0, 1] (1 = most
attenuating): bright bones and mediastinum, dark lungs, once the writer maps it to
MONOCHROME2 (``a``) or MONOCHROME1 (``1 - a``).

It lives in the core, not in ``clinic_app.synthetic``, because the imaging models' test
vectors (``core/inference/imaging_vectors.py``) draw these images when a model package is
verified; the core must not import the test-data generators.
"""

from __future__ import annotations

import numpy as np

AIR, LUNG, FAT, MUSCLE, BLOOD, LIVER, KIDNEY = -1000, -850, -100, 45, 200, 60, 35
MARROW, CORTEX, HEART = 300, 1000, 40


def _ellipse(yy: np.ndarray, xx: np.ndarray, cy: float, cx: float, ry: float, rx: float) -> np.ndarray:
    return ((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2 <= 1.0


def ct_body_slice(z_mm: float, rows: int = 512, cols: int = 512, pixel_mm: float = 0.7,
                  z_extent_mm: float = 375.0, noise_hu: float = 12.0, seed: int = 0) -> np.ndarray:
    """One axial torso slice in HU (int16), ``z_mm`` from the bottom of the scanned range.

    Geometry is defined in millimetres, so a finer pixel size shows the same anatomy at
    higher resolution. ``z_extent_mm`` is the length of torso the phantom spans: lungs and
    heart in the upper half, liver and kidneys in the lower.
    """
    cy, cx = (rows - 1) / 2, (cols - 1) / 2
    yy, xx = np.mgrid[0:rows, 0:cols].astype(np.float32)
    yy = (yy - cy) * pixel_mm  # mm, + posterior (LPS y)
    xx = (xx - cx) * pixel_mm  # mm, + patient left (LPS x)
    t = float(np.clip(z_mm / z_extent_mm, 0.0, 1.0))  # 0 = abdomen bottom, 1 = upper chest
    img = np.full((rows, cols), AIR, dtype=np.float32)
    body_rx, body_ry = 165 - 15 * abs(t - 0.5), 110 + 10 * t
    img[_ellipse(yy, xx, 0, 0, body_ry, body_rx)] = FAT
    img[_ellipse(yy, xx, 0, 0, body_ry - 12, body_rx - 14)] = MUSCLE
    spine_y = body_ry - 45
    if t > 0.45:  # thorax: lungs, heart, aorta, ribs
        lung_scale = min(1.0, (t - 0.45) / 0.15)
        for side in (-1, 1):
            img[_ellipse(yy, xx, 5, side * 70, 80 * lung_scale + 1, 55 * lung_scale + 1)] = LUNG
        img[_ellipse(yy, xx, -25, 15, 45, 50)] = HEART
        img[_ellipse(yy, xx, spine_y - 40, 20, 14, 14)] = BLOOD
        angle = np.arctan2(yy, xx)
        radius = np.hypot(yy / (body_ry - 18), xx / (body_rx - 20))
        rib_band = (np.abs(radius - 1.0) < 0.035) & (np.cos(angle * 9) > 0.55)
        img[rib_band] = CORTEX * 0.8
    else:  # abdomen: liver, kidneys, aorta
        img[_ellipse(yy, xx, -10, -60, 70, 75)] = LIVER
        for side in (-1, 1):
            img[_ellipse(yy, xx, spine_y - 15, side * 60, 28, 18)] = KIDNEY
        img[_ellipse(yy, xx, spine_y - 38, 15, 11, 11)] = BLOOD
    img[_ellipse(yy, xx, spine_y, 0, 22, 22)] = CORTEX
    img[_ellipse(yy, xx, spine_y, 0, 18, 18)] = MARROW
    img[_ellipse(yy, xx, spine_y + 30, 0, 12, 8)] = CORTEX
    rng = np.random.default_rng([seed, abs(round(z_mm * 1000))])
    body = img > AIR
    img[body] += rng.normal(0.0, noise_hu, int(body.sum())).astype(np.float32)
    return np.rint(img).astype(np.int16)


def chest_radiograph(rows: int = 512, cols: int = 512, seed: int = 0) -> np.ndarray:
    """A PA chest projection as attenuation in [0, 1] (float32); 1 = most attenuating."""
    yy, xx = np.mgrid[0:rows, 0:cols].astype(np.float32)
    yy = (yy - rows / 2) / (rows / 2)
    xx = (xx - cols / 2) / (cols / 2)
    a = np.full((rows, cols), 0.05, dtype=np.float32)
    a[_ellipse(yy, xx, 0.05, 0, 0.95, 0.8)] = 0.55  # soft tissue of the trunk
    for side in (-1, 1):
        a[_ellipse(yy, xx, -0.05, side * 0.38, 0.62, 0.28)] = 0.2  # lungs
    a[_ellipse(yy, xx, 0.2, 0.08, 0.32, 0.26)] = 0.65  # heart
    a[np.abs(xx) < 0.06] = np.maximum(a[np.abs(xx) < 0.06], 0.8)  # spine
    for k in range(9):  # ribs: arcs over the lungs
        y0 = -0.6 + k * 0.13
        arc = np.abs(yy - (y0 + 0.25 * xx**2)) < 0.018
        a[arc & (np.abs(xx) < 0.75)] = np.maximum(a[arc & (np.abs(xx) < 0.75)], 0.7)
    for side in (-1, 1):  # clavicles
        clav = np.abs(yy - (-0.72 + 0.15 * np.abs(xx))) < 0.025
        a[clav & (side * xx > 0.05) & (side * xx < 0.55)] = 0.75
    rng = np.random.default_rng(seed)
    a += rng.normal(0.0, 0.01, a.shape).astype(np.float32)
    return np.clip(a, 0.0, 1.0)
