"""One model on one series: pixels in, findings with heatmaps out (nothing stored here).

The chain is the steps of the other modules, called in order: check the pixels,
prepare, run (per slice, per image or on 3D patches), turn maps into findings. Storing
and auditing belong to the service, which calls this inside its transaction only after
it returned, so a refusal or a cancel here leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from clinic_app.core.imaging.byteorder import native
from clinic_app.core.imaging.stack_kind import StackKind
from clinic_app.core.imaging.volume import Volume
from clinic_app.core.inference import blob_search, second_look, second_look_crops
from clinic_app.core.inference.findings import (
    Finding,
    Geometry,
    classification_findings,
    map_grid,
    segmentation_findings,
)
from clinic_app.core.inference.imaging_run import (
    ModelRunner,
    StageTimes,
    run_image,
    run_patches,
    run_slices,
    timed,
)
from clinic_app.core.inference.imaging_spec import ImagingSpec
from clinic_app.core.inference.occlusion import occlusion_maps
from clinic_app.core.inference.preprocess import restore_slices, spacing_from_affine
from clinic_app.core.tasks import CancelToken, Progress
from clinic_app.errors import InvalidInput


@dataclass(frozen=True)
class AnalysisResult:
    findings: tuple[Finding, ...]
    heatmap_kind: str
    provider: str
    times: StageTimes
    shape: tuple[int, int, int]
    #: Distance between the analysed slices (mm) of a calibrated 3D stack; None for one
    #: image or one without spacing. Kept with each finding (``size_caveat`` reads it).
    slice_mm: float | None = None

    @property
    def flagged(self) -> int:
        return sum(1 for f in self.findings if f.flagged)


def geometry_of(volume: Volume) -> Geometry:
    """The findings' frame of a decoded stack: LPS for CT/MR stacks with pixel spacing,
    the image plane for projection radiographs, ``uncalibrated`` without any spacing."""
    spatial = volume.kind in (StackKind.VOLUME, StackKind.SINGLE)
    frame = ("LPS" if spatial and volume.calibrated else
             "image" if volume.calibrated else "uncalibrated")
    return Geometry(volume.affine, volume.voxels.shape, frame,
                    volume.positions if spatial else None)


def check_pixels(voxels: np.ndarray) -> None:
    """Refuse pixels the model must never see: wrong rank, empty, NaN or infinite."""
    if voxels.ndim != 3 or 0 in voxels.shape:
        raise InvalidInput("The series did not produce an image stack; it cannot be analysed.")
    if np.issubdtype(voxels.dtype, np.floating):
        # Chunked so a 300-slice check allocates one slab of booleans, not the volume's.
        for k in range(0, voxels.shape[0], 32):
            if not np.isfinite(voxels[k:k + 32]).all():
                raise InvalidInput(
                    "The series contains NaN or infinite pixel values (damaged or unusual "
                    "float pixel data); it was not analysed. Re-export it from the modality.")


def _segment(maps: np.ndarray, voxels: np.ndarray, geometry: Geometry,
             spec: ImagingSpec) -> list[Finding]:
    out = spec.output
    return segmentation_findings(maps, out.labels, dict(out.thresholds), out.mask_threshold,
                                 out.min_size_mm, geometry, out.size_threshold,
                                 out.max_elongation,
                                 image=voxels if out.size_method == "half_maximum" else None,
                                 max_continuation=out.max_continuation,
                                 min_size_of=out.min_size_of)


def _share(progress: Progress, part: int, parts: int) -> Progress:
    """One of ``parts`` equal passes reported as a share of the whole, so a second pass
    moves the bar on instead of starting it again."""
    def report(done: int, total: int, message: str = "") -> None:
        progress(part * total + done, parts * total, message)
    return report


def analyse(voxels: np.ndarray, geometry: Geometry, spec: ImagingSpec, runner: ModelRunner,
            progress: Progress, cancel: CancelToken, *, invert: bool = False,
            times: StageTimes | None = None) -> AnalysisResult:
    """Run ``spec``'s model on ``voxels`` ``(S, R, C)`` in modality units.

    A non-native (big-endian) array is swapped first: OpenCV and onnxruntime read raw
    buffers as native and would analyse byte-swapped values without any error.
    """
    times = times or StageTimes()
    with timed(times, "preprocess"):
        voxels = native(voxels)
        check_pixels(voxels)
    spacing = spacing_from_affine(geometry.affine)
    out = spec.output
    thresholds = dict(out.thresholds)
    mode = spec.inference.mode
    if mode == "image":
        if voxels.shape[0] != 1:
            raise InvalidInput(f"Model {spec.label} analyses single images; this series has "
                               f"{voxels.shape[0]} frames.")
        progress(0, 1, "analysing image")
        result = run_image(voxels[0], (spacing[1], spacing[2]), spec, runner, times,
                           invert=invert)
        maps = result.cam
        if maps is None:
            net = occlusion_maps(result.network_input, spec, runner, times, cancel)
            with timed(times, "postprocess"):
                maps = restore_slices(net, net.shape[1:], map_grid(*voxels.shape[1:]))
        cancel.raise_if_cancelled()
        with timed(times, "postprocess"):
            findings = classification_findings(result.scores, maps, out.labels, thresholds,
                                               geometry, spec.heatmap_kind)
        progress(1, 1, "analysing image")
    else:
        look = out.second_look if second_look.applies(spec, geometry) else None
        first = progress if look is None else _share(progress, 0, 2)
        centres = np.zeros((0, 3))
        if look is not None:
            # Before the first pass, not after: the search's working blocks (30 MiB for a
            # 120-slice 512² CT) are then freed before the network's memory and the first
            # pass's maps are taken, instead of adding to them.
            with timed(times, "preprocess"):
                centres = blob_search.blob_centres(voxels, spacing)
        if mode == "patch3d":
            maps = run_patches(voxels, spacing, spec, runner, times, first, cancel)
        else:
            maps = run_slices(voxels, spacing, spec, runner, times, first, cancel,
                              invert=invert)
        cancel.raise_if_cancelled()
        with timed(times, "postprocess"):
            findings = _segment(maps, voxels, geometry, spec)
        if look is not None:
            del maps
            magnified = second_look.magnified(spec)
            with timed(times, "preprocess"):
                boxes = second_look_crops.boxes(centres, voxels.shape, spacing,
                                                magnified.preprocess.neighbour_mm)
            maps = second_look_crops.run_boxes(voxels, spacing, magnified, runner, times,
                                               _share(progress, 1, 2), cancel, boxes,
                                               invert=invert)
            cancel.raise_if_cancelled()
            with timed(times, "postprocess"):
                findings = second_look.combine(findings, _segment(maps, voxels, geometry, spec),
                                               voxels, geometry, look, out.min_size_mm)
    volumetric = voxels.shape[0] > 1 and geometry.frame == "LPS"
    return AnalysisResult(tuple(findings), spec.heatmap_kind, runner.provider, times,
                          voxels.shape, round(float(spacing[0]), 4) if volumetric else None)
