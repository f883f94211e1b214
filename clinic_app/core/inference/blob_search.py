"""Where the second look reads: the compact bright blobs of a series, found from the image.

Why. The second look (``second_look``) magnifies a series twice and runs the network again.
Over every slice that read four times the pixels of the first pass: 5.2 times the whole
analysis on a 120-slice CT. But it only ever keeps a finding where the image shows an
isolated, round blob of a small nodule's size, and the first pass's map gives no hint of
where those are (it scores the small nodules it misses under 1/255). So the image is
searched for such blobs first, and the network reads small crops around them
(``second_look_crops``).

The search is the classic one for nodule candidates: a blob is a point where the smoothed
image is brighter than everything near it and curves down in every direction, while a
vessel curves down across its axis only (the dot filter of Li, Sone and Doi, Med Phys
2003, thresholded on the curvature ratio). On a copy of the series at
``GRID_MM`` in-plane pixels (a 4 mm nodule is four of them):

1. smooth with a Gaussian of ``SMOOTH_MM`` in all three axes (in mm, so thin and thick
   slices are smoothed alike);
2. keep the points that are the brightest within ``PEAK_MM`` of themselves;
3. which stand at least ``halfmax.MIN_CONTRAST`` above the darkest point within
   ``SURROUND_MM`` (the sizes' and the blob test's own contrast floor);
4. whose principal curvatures (Hessian eigenvalues, by central differences in mm) are all
   negative, the weakest at least ``MIN_ROUNDNESS`` of the strongest (a tube's weakest is
   near zero), and whose weakest, scaled by ``SMOOTH_MM``², is at least ``MIN_CURVATURE``
   HU (flat noise curves little).

The tests run cheapest first and the costly ones only where they can still matter: peaks
slice by slice (about 12,000 in a 120-slice phantom chest), curvature at those, the
surround at the few left. The smoothed series is made and judged ``CHUNK_SLICES`` at a
time, each block with the slices its tests reach along the series, so memory holds two
blocks, not the series: a 120-slice CT of 512² takes 0.2 s and 30 MiB (holding the
series: 63 MiB; filtering it whole for each test: 0.37 s and 143 MiB; the same
candidates each time).

The thresholds were chosen on the tuning sets so that a candidate lies within 3 mm of
every lesion under 9 mm on slices up to 3 mm (58 of 58 across the three sets), at about
16 candidates a scan: ``docs/imaging-ai.md``, "After 1.7.0: the second look on
crops".
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import cv2
import numpy as np

from clinic_app.core.inference.halfmax import MIN_CONTRAST
from clinic_app.core.inference.preprocess import inplane_shape, resize_slices

GRID_MM = 1.0
SMOOTH_MM = 1.5
PEAK_MM = 2.0
SURROUND_MM = 6.0
#: Slices whose candidates are decided together (``_SmoothedSlices``).
CHUNK_SLICES = 16
MIN_ROUNDNESS = 0.3
MIN_CURVATURE = 10.0


def blob_centres(image: np.ndarray, spacing: tuple[float, float, float]) -> np.ndarray:
    """``(n, 3)`` float voxel indices ``(slice, row, col)`` of the series' candidate blobs."""
    slices, rows, cols = image.shape
    if slices < 3 or rows < 3 or cols < 3:
        return np.zeros((0, 3))
    shape = inplane_shape(rows, cols, (spacing[1], spacing[2]), (GRID_MM, GRID_MM))
    if min(shape) < 3:
        return np.zeros((0, 3))
    grid = (float(spacing[0]), rows * spacing[1] / shape[0], cols * spacing[2] / shape[1])
    reach = max(_steps(PEAK_MM, grid), _steps(SURROUND_MM, grid))
    series = _SmoothedSlices(image, shape, grid)
    found = [np.zeros((0, 3), dtype=np.intp)]
    for c0 in range(1, slices - 1, CHUNK_SLICES):  # the end slices are never candidates
        c1 = min(slices - 1, c0 + CHUNK_SLICES)
        lo, hi = max(0, c0 - reach), min(slices, c1 + reach)
        block = series.block(lo, hi)
        points = _judged(block, _peaks(block, grid, range(c0 - lo, c1 - lo)), grid)
        points[:, 0] += lo
        found.append(points)
    centres = np.concatenate(found).astype(np.float64)
    # Grid pixel centre j lies at (j + ½)·(n / n') − ½ on the source (pixel centres aligned).
    centres[:, 1] = (centres[:, 1] + 0.5) * rows / shape[0] - 0.5
    centres[:, 2] = (centres[:, 2] + 0.5) * cols / shape[1] - 0.5
    return centres


def _judged(smooth: np.ndarray, points: np.ndarray,
            grid: tuple[float, float, float]) -> np.ndarray:
    """The ``points`` (peaks) that curve down like a blob and stand out from their
    surround (module doc, tests 3 and 4)."""
    if len(points) == 0:
        return points
    lam = np.linalg.eigvalsh(_hessians(smooth, points, grid))
    weakest, strongest = lam[:, 2], lam[:, 0]
    keep = ((weakest < 0.0) & (weakest <= MIN_ROUNDNESS * strongest)
            & (-weakest * SMOOTH_MM ** 2 >= MIN_CURVATURE))
    points = points[keep]
    return points[smooth[tuple(points.T)] - _darkest(smooth, points, grid) >= MIN_CONTRAST]


class _SmoothedSlices:
    """The series resized to the grid and smoothed (step 1 of the module doc: in-plane,
    then along the slices), made a block of slices at a time, in order, so that memory
    holds two blocks and the in-plane slices the smoothing along the series still reaches,
    never the whole series (61 MiB for 120 slices of 512²)."""

    def __init__(self, image: np.ndarray, shape: tuple[int, int],
                 grid: tuple[float, float, float]) -> None:
        self._image, self._shape, self._grid = image, shape, grid
        sigma = SMOOTH_MM / grid[0] if math.isfinite(grid[0]) and grid[0] > 0.0 else 0.0
        self._half = math.ceil(3.0 * sigma) if sigma >= 0.3 else 0  # else: in-plane only
        self._weights = np.ones(1)
        if self._half:
            weights = np.exp(-0.5 * (np.arange(-self._half, self._half + 1) / sigma) ** 2)
            self._weights = weights / weights.sum()
        self._inplane: dict[int, np.ndarray] = {}
        self._last: tuple[int, np.ndarray] | None = None

    def block(self, lo: int, hi: int) -> np.ndarray:
        """Smoothed slices ``lo:hi``; ``lo`` never below the previous block's."""
        out = np.empty((hi - lo, *self._shape), dtype=np.float32)
        for k in range(lo, hi):
            if self._last is not None and 0 <= k - self._last[0] < len(self._last[1]):
                out[k - lo] = self._last[1][k - self._last[0]]
            else:
                self._smooth(k, out[k - lo])
        self._last = (lo, out)
        return out

    def _smooth(self, k: int, dst: np.ndarray) -> None:
        for j in [j for j in self._inplane if j < k - self._half]:
            del self._inplane[j]
        if not self._half:
            dst[...] = self._plane(k)
            return
        last = self._image.shape[0] - 1
        dst[...] = 0.0
        for j, w in enumerate(self._weights):
            cv2.scaleAdd(self._plane(min(last, max(0, k + j - self._half))), float(w), dst,
                         dst=dst)

    def _plane(self, j: int) -> np.ndarray:
        """Slice ``j`` resized and smoothed in-plane (kept while the smoothing reaches it)."""
        if j not in self._inplane:
            # A fresh array even at 1 mm pixels: never smooth the caller's series in place.
            plane = resize_slices(self._image[j:j + 1], self._shape,
                                  out=np.empty((1, *self._shape), dtype=np.float32))[0]
            cv2.GaussianBlur(plane, (0, 0), sigmaX=SMOOTH_MM / self._grid[2],
                             sigmaY=SMOOTH_MM / self._grid[1], dst=plane)
            self._inplane[j] = plane
        return self._inplane[j]


def _peaks(smooth: np.ndarray, grid: tuple[float, float, float],
           ks: range | None = None) -> np.ndarray:
    """``(n, 3)`` interior voxels that are the brightest within ``PEAK_MM`` (a disc in-plane,
    as many mm along the slices) and not on a plateau, in index order; on slices ``ks``
    (default: all but the first and last).

    A plateau point (no neighbour in its slice lower) can never pass the curvature test,
    whose row and column second differences must both be negative, so it is dropped here:
    the padding outside a scanner's field of view would otherwise be millions of peaks."""
    disc = _disc(PEAK_MM, grid)
    steps = _steps(PEAK_MM, grid)
    n = len(smooth)
    square = np.ones((3, 3), np.uint8)
    window: dict[int, np.ndarray] = {}
    brightest = np.empty_like(smooth[0])
    found = [np.zeros((0, 3), dtype=np.intp)]
    for k in range(1, n - 1) if ks is None else ks:
        lo, hi = max(0, k - steps), min(n, k + steps + 1)
        for j in [j for j in window if j < lo]:
            del window[j]
        for j in range(lo, hi):
            if j not in window:
                window[j] = cv2.dilate(smooth[j], disc)
        brightest[...] = window[lo]
        for j in range(lo + 1, hi):
            np.maximum(brightest, window[j], out=brightest)
        peak = smooth[k] >= brightest
        peak &= smooth[k] > cv2.erode(smooth[k], square)
        peak[[0, -1], :] = False
        peak[:, [0, -1]] = False
        flat = np.flatnonzero(peak)
        found.append(np.column_stack([np.full(len(flat), k), *np.divmod(flat, peak.shape[1])]))
    return np.concatenate(found)


def _darkest(smooth: np.ndarray, points: np.ndarray,
             grid: tuple[float, float, float]) -> np.ndarray:
    """Each point's darkest voxel within ``SURROUND_MM``: a disc in-plane, as many mm along
    the slices. Read at the points only (a few thousand), not filtered over the series.

    Offsets that leave the series are clipped to its edge; for a disc that lands on a
    voxel nearer the point, so still inside the neighbourhood."""
    disc = _disc(SURROUND_MM, grid)
    steps = _steps(SURROUND_MM, grid)
    dr, dc = (np.nonzero(disc)[0] - disc.shape[0] // 2, np.nonzero(disc)[1] - disc.shape[1] // 2)
    dz = np.arange(-steps, steps + 1)
    limit = np.array(smooth.shape) - 1
    out = np.empty(len(points), dtype=smooth.dtype)
    for start in range(0, len(points), 512):
        p = points[start:start + 512]
        z = np.clip(p[:, 0, None, None] + dz[None, :, None], 0, limit[0])
        r = np.clip(p[:, 1, None, None] + dr[None, None, :], 0, limit[1])
        c = np.clip(p[:, 2, None, None] + dc[None, None, :], 0, limit[2])
        out[start:start + 512] = smooth[z, r, c].min(axis=(1, 2))
    return out


def _disc(reach_mm: float, grid: tuple[float, float, float]) -> np.ndarray:
    radius = max(1, round(reach_mm / min(grid[1], grid[2])))
    return cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))


def _steps(reach_mm: float, grid: tuple[float, float, float]) -> int:
    """Slices either side within ``reach_mm`` (at least one; one when the spacing is
    unknown)."""
    return max(1, round(reach_mm / grid[0]) if math.isfinite(grid[0]) and grid[0] > 0.0 else 1)


def _hessians(smooth: np.ndarray, points: np.ndarray,
              grid: tuple[float, float, float]) -> np.ndarray:
    """``(n, 3, 3)`` second derivatives in HU/mm² at interior ``points`` (central
    differences)."""
    def at(offset: Sequence[int]) -> np.ndarray:
        p = points + np.asarray(offset)
        return smooth[p[:, 0], p[:, 1], p[:, 2]].astype(np.float64)

    centre = at((0, 0, 0))
    out = np.empty((len(points), 3, 3))
    for a in range(3):
        ea = tuple(int(i == a) for i in range(3))
        minus_a = tuple(-i for i in ea)
        out[:, a, a] = (at(ea) + at(minus_a) - 2.0 * centre) / grid[a] ** 2
        for b in range(a + 1, 3):
            eb = tuple(int(i == b) for i in range(3))
            diag = [tuple(sa * x + sb * y for x, y in zip(ea, eb, strict=True))
                    for sa, sb in ((1, 1), (1, -1), (-1, 1), (-1, -1))]
            pp, pm, mp, mm = (at(d) for d in diag)
            out[:, a, b] = out[:, b, a] = (pp - pm - mp + mm) / (4.0 * grid[a] * grid[b])
    return out
