"""The imaging part of a model manifest, read once into frozen dataclasses.

The manifest schema (``clinic_app/schemas/model-manifest.schema.json``) says *where* an
imaging model's settings live: ``inputs.image`` (series selection, preprocessing, limits,
inference) and ``outputs`` (labels, thresholds, heatmap, activation). This module says
what they *mean* to the pipeline, and refuses a package that states something the
pipeline cannot honour, naming the field, before any patient's study is touched.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from clinic_app.core.inference.manifest import Manifest, TensorSpec
from clinic_app.errors import ModelError

Orientation = Literal["axial", "coronal", "sagittal", "any"]
Mode = Literal["slice", "image", "patch3d"]
Kind = Literal["segmentation", "classification"]
Activation = Literal["none", "sigmoid", "softmax"]


class MinSizeBasis(StrEnum):
    """Which diameter ``min_size_mm`` is judged on.

    EXTENT: the voxels at the growth level (``mask_threshold``), the rule since 1.0.
    REPORTED: the size the finding would be reported with. With ``size_method``
    half_maximum the two differ: a network that marks only a small nodule's core grows a
    3.6 mm extent for a nodule the image measures at 6.4 mm, and EXTENT drops it.
    """

    EXTENT = "extent"
    REPORTED = "reported"


TASK_KIND: dict[str, Kind] = {"image-segmentation": "segmentation",
                              "image-classification": "classification"}


@dataclass(frozen=True)
class SelectionRules:
    """Which series a model accepts; anything else is refused before pixels are decoded."""

    modalities: tuple[str, ...]
    body_parts: tuple[str, ...] = ()
    orientation: Orientation = "any"
    min_slices: int = 1
    max_slices: int = 4000
    pixel_spacing_mm: tuple[float, float] | None = None
    slice_thickness_mm: tuple[float, float] | None = None
    max_slice_pixels: int = 4096 * 4096
    max_voxels: int = 2000 * 1024 * 1024


@dataclass(frozen=True)
class PreprocessSpec:
    """How modality values become the network input.

    ``window`` (low, high) clips and scales to [0, 1]; then ``normalize``: ``minmax``
    scales each image's ``percentiles`` to ``out_range``, ``zscore`` uses the image's own
    mean and std, ``fixed`` subtracts ``mean`` and divides by ``std``.
    """

    window: tuple[float, float] | None = None
    target_spacing_mm: tuple[float, ...] | None = None
    target_size: tuple[int, ...] | None = None
    normalize: str = "none"
    percentiles: tuple[float, float] = (0.0, 100.0)
    out_range: tuple[float, float] = (0.0, 1.0)
    mean: float = 0.0
    std: float = 1.0
    channels: int = 1
    channels_last: bool = False
    pad_to_multiple: int = 1
    #: 2.5D input: channels are the image this many mm below, at and above each slice
    #: (``preprocess.prepare_slice_batch``); None: one slice per item.
    neighbour_mm: float | None = None


@dataclass(frozen=True)
class InferenceSpec:
    """How the network is called: per slice, per whole image, or on 3D patches."""

    mode: Mode
    input: TensorSpec
    batch_size: int
    patch_size: tuple[int, int, int] | None = None
    overlap: float = 0.25
    fp16: bool = False


@dataclass(frozen=True)
class SecondLookSpec:
    """The second look for small lesions (``second_look``: why, and the rule).

    ``scale``: how much larger the network sees the series the second time (pixels and
    neighbour distance divided by it). Only series whose slices are at most
    ``max_slice_mm`` apart get it; only its findings under ``max_diameter_mm`` are added,
    and only where the image shows an isolated blob no more elongated than
    ``max_elongation`` (3D principal-axis ratio, largest to smallest).
    """

    scale: float
    max_slice_mm: float
    max_diameter_mm: float
    max_elongation: float


@dataclass(frozen=True)
class OutputSpec:
    """What the outputs mean and when a result is flagged."""

    kind: Kind
    probabilities: TensorSpec
    labels: tuple[str, ...]
    thresholds: Mapping[str, float]
    heatmap: TensorSpec | None = None
    activation: Activation = "none"
    background_channel: bool = False
    mask_threshold: float = 0.5
    min_size_mm: float = 0.0
    #: Level at which sections are measured for sizes (a model trained with a weighted
    #: loss puts the true boundary above the detection level); None: mask_threshold.
    size_threshold: float | None = None
    #: Findings more elongated than this (``shape3d``: √(λ₁/λ₂) of the segmentation's
    #: second moments in mm) are tubes, not focal lesions, and are dropped; None: no test.
    max_elongation: float | None = None
    #: How findings are sized: "map" (the sections at ``size_threshold``) or
    #: "half_maximum" (the image's half-maximum boundary per lesion, ``halfmax``).
    size_method: str = "map"
    #: Findings whose bright structure the image still shows one lesion diameter beyond
    #: them, by more than this share of their own section, are not focal and are dropped
    #: (``focal3d``); None: no test.
    max_continuation: float | None = None
    min_size_of: MinSizeBasis = MinSizeBasis.EXTENT
    second_look: SecondLookSpec | None = None

    @property
    def tensors(self) -> tuple[TensorSpec, ...]:
        return (self.probabilities,) + ((self.heatmap,) if self.heatmap else ())


@dataclass(frozen=True)
class ImagingSpec:
    model_id: str
    version: str
    demo: bool
    selection: SelectionRules
    preprocess: PreprocessSpec
    inference: InferenceSpec
    output: OutputSpec

    @property
    def heatmap_kind(self) -> str:
        """What the stored heatmap is, so a reader never mistakes one kind for another."""
        if self.output.kind == "segmentation":
            return "segmentation-probability"
        return "class-activation-map" if self.output.heatmap else "occlusion-sensitivity"

    @property
    def label(self) -> str:
        return f"{self.model_id} {self.version}"


def is_imaging(manifest: Manifest) -> bool:
    return manifest.task in TASK_KIND


def parse_imaging_spec(manifest: Manifest) -> ImagingSpec:
    """The imaging settings of a validated manifest; ModelError names any unusable field."""
    where = f"Model {manifest.label}"
    kind = TASK_KIND.get(manifest.task)
    if kind is None:
        raise ModelError(f"{where} is a {manifest.task} model; the imaging pipeline runs only "
                         f"{' and '.join(TASK_KIND)} models.")
    image = manifest.section("inputs", "image")
    sel = image.get("series_selection", {})
    pre = image.get("preprocessing", {})
    limits = image.get("limits", {})
    inf = image.get("inference", {})
    outputs = manifest.section("outputs")
    problems: list[str] = []

    selection = SelectionRules(
        modalities=tuple(str(m).upper() for m in sel.get("modality", ())),
        body_parts=tuple(str(b).upper() for b in sel.get("body_part", ())),
        orientation=sel.get("orientation", "any"),
        min_slices=int(sel.get("min_slices", 1)),
        max_slices=int(limits.get("max_slices", sel.get("max_slices", 4000))),
        pixel_spacing_mm=_pair(sel.get("pixel_spacing_mm")),
        slice_thickness_mm=_pair(sel.get("slice_thickness_mm")),
        max_slice_pixels=int(limits.get("max_slice_pixels", 4096 * 4096)),
        max_voxels=int(limits.get("max_voxels", 2000 * 1024 * 1024)),
    )

    layout = str(pre.get("channel_layout", "NCHW"))
    window = pre.get("window")
    norm = pre.get("normalisation", {"method": "none"})
    intensity = pre.get("intensity", "modality-lut")
    if intensity == "raw":
        problems.append("inputs.image.preprocessing.intensity 'raw' is not supported (the "
                        "pipeline feeds modality values: HU for CT)")
    preprocess = PreprocessSpec(
        window=(float(window["center"]) - float(window["width"]) / 2,
                float(window["center"]) + float(window["width"]) / 2) if window else None,
        target_spacing_mm=tuple(float(v) for v in pre["spacing_mm"]) if "spacing_mm" in pre
        else None,
        target_size=tuple(int(v) for v in pre["size"]) if "size" in pre else None,
        normalize=str(norm.get("method", "none")),
        percentiles=_pair(norm.get("percentiles")) or (0.0, 100.0),
        out_range=_pair(norm.get("range")) or (0.0, 1.0),
        mean=float(norm.get("mean", 0.0)),
        std=float(norm.get("std", 1.0)),
        channels=int(pre.get("channels", 1)),
        channels_last=layout in ("NHWC", "NDHWC"),
        pad_to_multiple=int(pre.get("pad_to_multiple", 1)),
        neighbour_mm=(float(pre["neighbour_slices_mm"]) if "neighbour_slices_mm" in pre
                      else None),
    )

    volumetric = layout in ("NCDHW", "NDHWC")
    default_mode: Mode = "image" if kind == "classification" else (
        "patch3d" if volumetric else "slice")
    mode: Mode = inf.get("mode", default_mode)
    patch = inf.get("patch_size")
    if patch is None and mode == "patch3d" and preprocess.target_size is not None:
        patch = preprocess.target_size
    if len(manifest.inputs) != 1:
        problems.append("an imaging model must take exactly one input tensor")
    inference = InferenceSpec(
        mode=mode,
        input=manifest.inputs[0],
        batch_size=manifest.max_batch or (2 if mode == "patch3d" else 8),
        patch_size=tuple(int(p) for p in patch) if patch else None,  # type: ignore[arg-type]
        overlap=float(inf.get("overlap", 0.25)),
        fp16=manifest.fp16_allowed,
    )

    labels = tuple(str(v) for v in outputs.get("labels", ()))
    thresholds = {str(k): float(v) for k, v in outputs.get("thresholds", {}).items()}
    primary_name = outputs.get("primary") or manifest.outputs[0].name
    heatmap_name = outputs.get("heatmap")
    output = OutputSpec(
        kind=kind,
        probabilities=manifest.output(primary_name),
        labels=labels,
        thresholds=thresholds,
        # A segmentation's map is its probability output; only classifiers have a separate one.
        heatmap=manifest.output(heatmap_name)
        if heatmap_name and kind == "classification" else None,
        activation=outputs.get("activation", "none"),
        background_channel=bool(outputs.get("background_channel", False)),
        mask_threshold=float(outputs.get("mask_threshold", 0.5)),
        min_size_mm=float(outputs.get("min_size_mm", 0.0)),
        size_threshold=(float(outputs["size_threshold"]) if "size_threshold" in outputs
                        else None),
        max_elongation=(float(outputs["max_elongation"]) if "max_elongation" in outputs
                        else None),
        size_method=str(outputs.get("size_method", "map")),
        max_continuation=(float(outputs["max_continuation"]) if "max_continuation" in outputs
                          else None),
        min_size_of=MinSizeBasis(outputs.get("min_size_of", MinSizeBasis.EXTENT)),
        second_look=_second_look(outputs.get("second_look")),
    )
    spec = ImagingSpec(manifest.id, manifest.version, manifest.demo, selection, preprocess,
                       inference, output)
    problems.extend(_inconsistencies(spec, volumetric))
    if problems:
        raise ModelError(f"{where}: its imaging settings cannot be used: " + "; ".join(problems)
                         + ". Ask the model's supplier for a corrected package.")
    return spec


def _second_look(doc: Mapping[str, Any] | None) -> SecondLookSpec | None:
    if doc is None:
        return None
    return SecondLookSpec(float(doc["scale"]), float(doc["max_slice_mm"]),
                          float(doc["max_diameter_mm"]), float(doc["max_elongation"]))


def _pair(value: Any) -> tuple[float, float] | None:
    if value is None:
        return None
    return (float(value[0]), float(value[1]))


def _inconsistencies(spec: ImagingSpec, volumetric: bool) -> list[str]:
    """Combinations the pipeline cannot honour, each naming its field."""
    problems: list[str] = []
    sel, pre, inf, out = spec.selection, spec.preprocess, spec.inference, spec.output
    if not sel.modalities:
        problems.append("inputs.image.series_selection.modality is empty")
    if not out.labels:
        problems.append("outputs.labels is empty")
    missing = [label for label in out.labels if label not in out.thresholds]
    if missing:
        problems.append(f"outputs.thresholds has no value for {', '.join(missing)}")
    for label, value in out.thresholds.items():
        if not 0.0 < value <= 1.0:
            problems.append(f"outputs.thresholds[{label}] must be in (0, 1]")
    if pre.normalize not in ("none", "minmax", "zscore", "fixed"):
        problems.append("inputs.image.preprocessing.normalisation.method is unknown")
    if pre.percentiles[0] >= pre.percentiles[1]:
        problems.append("normalisation.percentiles must be [low, high] with low < high")
    if inf.mode == "image":
        if out.kind != "classification":
            problems.append("inference.mode 'image' needs task image-classification")
        if pre.target_size is None or len(pre.target_size) != 2:
            problems.append("inputs.image.preprocessing.size must give [height, width] for "
                            "whole-image models")
        elif any(s % pre.pad_to_multiple for s in pre.target_size):
            problems.append("preprocessing.size must be a multiple of pad_to_multiple")
    elif out.kind != "segmentation":
        problems.append(f"inference.mode '{inf.mode}' needs task image-segmentation")
    if inf.mode == "patch3d":
        if not volumetric:
            problems.append("inference.mode 'patch3d' needs channel_layout NCDHW or NDHWC")
        if inf.patch_size is None:
            problems.append("inference.patch_size (or preprocessing.size) must give the 3D "
                            "patch for mode patch3d")
        if pre.target_spacing_mm is not None and len(pre.target_spacing_mm) != 3:
            problems.append("preprocessing.spacing_mm must give 3 values for mode patch3d")
    elif volumetric:
        problems.append(f"channel_layout {'NDHWC' if pre.channels_last else 'NCDHW'} needs "
                        "inference.mode patch3d")
    elif pre.target_spacing_mm is not None and len(pre.target_spacing_mm) != 2:
        problems.append("preprocessing.spacing_mm must give 2 values (row, column) for 2D models")
    if pre.neighbour_mm is not None and (inf.mode != "slice" or pre.channels != 3
                                         or pre.channels_last):
        problems.append("preprocessing.neighbour_slices_mm needs inference.mode slice, "
                        "channels 3 and channel_layout NCHW")
    rank = 5 if inf.mode == "patch3d" else 4
    if len(inf.input.shape) != rank:
        problems.append(f"input tensor {inf.input.name} must have rank {rank} for mode {inf.mode}")
    if inf.input.dtype not in ("float32", "float16"):
        problems.append(f"input tensor {inf.input.name} must be float32 or float16")
    if inf.input.dtype == "float16" and not inf.fp16:
        problems.append("the input is float16 but runtime.fp16_allowed is false")
    if out.kind == "classification" and len(out.probabilities.shape) != 2:
        problems.append("a classifier's primary output must be [batch, labels]")
    if out.kind == "segmentation" and len(out.probabilities.shape) != rank:
        problems.append(f"a segmentation output must have rank {rank}")
    if out.heatmap is not None and len(out.heatmap.shape) != 4:
        problems.append("a heatmap output must be [batch, labels, height, width]")
    if out.max_continuation is not None and out.size_method != "half_maximum":
        problems.append("outputs.max_continuation needs size_method half_maximum (both "
                        "read the finding's half-maximum in the image)")
    if out.max_continuation is not None and not 0.0 < out.max_continuation <= 1.0:
        problems.append("outputs.max_continuation must be in (0, 1]")
    look = out.second_look
    if look is not None and (inf.mode != "slice" or out.size_method != "half_maximum"
                             or pre.target_spacing_mm is None):
        problems.append("outputs.second_look needs inference.mode slice, size_method "
                        "half_maximum and preprocessing.spacing_mm (it re-runs the slices "
                        "at a finer spacing and measures in the image)")
    return problems
