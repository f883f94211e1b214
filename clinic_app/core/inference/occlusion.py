"""Occlusion sensitivity: where a classifier looked, when it gives no map of its own.

A square of the input is replaced by the image's mean value and the drop in each
label's probability is credited to the occluded pixels (Zeiler & Fergus, 2014). The
occluded copies go through the network in batches, so a 256² input with a 32-pixel
patch and 16-pixel stride costs 225 images in ~30 runs, not 225 runs. The result is
labelled "occlusion-sensitivity" wherever it is stored or shown: it is computed by us,
not output by the model.
"""

from __future__ import annotations

import numpy as np

from clinic_app.core.inference.imaging_run import (
    ModelRunner,
    StageTimes,
    normalise_heatmap,
    to_probabilities,
)
from clinic_app.core.inference.imaging_spec import ImagingSpec
from clinic_app.core.tasks import CancelToken


def _starts(length: int, patch: int, stride: int) -> list[int]:
    starts = list(range(0, max(1, length - patch + 1), stride))
    if starts[-1] + patch < length:
        starts.append(length - patch)
    return starts


def occlusion_maps(network_input: np.ndarray, spec: ImagingSpec, runner: ModelRunner,
                   times: StageTimes, cancel: CancelToken, *,
                   patch: int | None = None, stride: int | None = None) -> np.ndarray:
    """``(labels, h, w)`` maps in [0, 1] on the network input grid of a ``(1, ...)`` input."""
    last = spec.preprocess.channels_last
    x = network_input if not last else np.moveaxis(network_input, -1, 1)
    _, _, height, width = x.shape
    patch = patch or max(4, min(height, width) // 8)
    stride = stride or max(1, patch // 2)
    fill = float(x.mean())
    probs_name = spec.output.probabilities.name

    def scores(batch: np.ndarray) -> np.ndarray:
        feed = np.ascontiguousarray(np.moveaxis(batch, 1, -1)) if last else batch
        return to_probabilities(runner.run_timed(feed, times)[probs_name], spec.output)

    base = scores(x)[0]
    positions = [(r, c) for r in _starts(height, patch, stride) for c in _starts(width, patch, stride)]
    n_labels = base.shape[0]
    heat = np.zeros((n_labels, height, width), dtype=np.float32)
    count = np.zeros((height, width), dtype=np.float32)
    step = spec.inference.batch_size
    for b0 in range(0, len(positions), step):
        cancel.raise_if_cancelled()
        group = positions[b0:b0 + step]
        batch = np.repeat(x, len(group), axis=0)
        for i, (r, c) in enumerate(group):
            batch[i, :, r:r + patch, c:c + patch] = fill
        drop = base[None, :] - scores(batch)
        for i, (r, c) in enumerate(group):
            heat[:, r:r + patch, c:c + patch] += drop[i][:, None, None]
            count[r:r + patch, c:c + patch] += 1.0
    heat /= np.maximum(count, 1.0)
    return normalise_heatmap(heat)
