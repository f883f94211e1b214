"""Helpers for the imaging-AI tests: hand-built ONNX models and packages, synthetic stacks.

The hand-built models are exact and tiny (a sigmoid of the windowed intensity), so a
test knows precisely which pixels a model will flag and can check geometry to the
voxel; the trained demo models are tested separately for detection quality.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import numpy as np
import onnx
import pydicom
from onnx import TensorProto, helper, numpy_helper

from clinic_app.core.inference.imaging_run import ModelRunner
from clinic_app.core.inference.imaging_spec import ImagingSpec, parse_imaging_spec
from clinic_app.core.inference.package import PackageContents, TrustPolicy, TrustStore, read_package
from clinic_app.core.inference.packaging import write_package
from clinic_app.core.inference.runtime import RuntimeOptions, create_session
from clinic_app.synthetic.dicom_series import write_ct_series
from clinic_app.synthetic.lesions import CtLesion, plant_ct_lesions

BASE_MANIFEST: dict[str, Any] = {
    "manifest_version": 1,
    "id": "test-threshold-seg",
    "name": "Test threshold segmenter",
    "version": "1.0.0",
    "task": "image-segmentation",
    "description": "Sigmoid of windowed intensity; exact behaviour for tests.",
    "authors": ["tests"],
    "license": "test",
    "changelog": [{"version": "1.0.0", "date": "2026-01-01", "changes": "test"}],
    "demo": True,
    "intended_use": {"population": "tests", "references": [{"citation": "none"}]},
    "runtime": {"model_file": "model.onnx", "opset": 17, "max_batch": 8, "warmup": False},
    "inputs": {
        "tensors": [{"name": "image", "dtype": "float32", "shape": ["N", 1, "H", "W"]}],
        "image": {
            "series_selection": {"modality": ["CT"], "orientation": "any", "min_slices": 1},
            "preprocessing": {
                "intensity": "hu", "window": {"center": 100, "width": 400},
                "normalisation": {"method": "none"}, "channel_layout": "NCHW", "channels": 1,
            },
        },
    },
    "outputs": {
        "tensors": [{"name": "prob", "dtype": "float32", "shape": ["N", 1, "H", "W"]}],
        "primary": "prob",
        "labels": ["bright blob"],
        "thresholds": {"bright blob": 0.5},
        "mask_threshold": 0.5,
    },
    "test_vectors": [{"name": "none", "inputs": {}, "expected": {"x": 0}, "tolerance": 0,
                      "source": "tests"}],
}


def _model(nodes: list[Any], inputs: list[Any], outputs: list[Any],
           inits: list[Any] | None = None) -> bytes:
    graph = helper.make_graph(nodes, "g", inputs, outputs, initializer=inits or [])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 9
    onnx.checker.check_model(model)
    return model.SerializeToString()


def _consts(**values: float) -> list[Any]:
    return [numpy_helper.from_array(np.array(v, dtype=np.float32), k) for k, v in values.items()]


def threshold_model(*, rank: int = 4, downsample: bool = False, nan: bool = False,
                    level: float = 0.5, gain: float = 40.0) -> bytes:
    """prob = sigmoid((x - level) * gain), same shape as x (or halved, or NaN)."""
    dims = ["N", 1, "D", "H", "W"][: 2] + (["D", "H", "W"] if rank == 5 else ["H", "W"])
    x = helper.make_tensor_value_info("image", TensorProto.FLOAT, dims)
    out_dims = [d + "2" if downsample and d in ("D", "H", "W") else d for d in dims]
    y = helper.make_tensor_value_info("prob", TensorProto.FLOAT, out_dims)
    nodes = [helper.make_node("Sub", ["image", "level"], ["d"]),
             helper.make_node("Mul", ["d", "gain"], ["z"]),
             helper.make_node("Sigmoid", ["z"], ["s"])]
    last = "s"
    if downsample:
        nodes.append(helper.make_node("MaxPool", ["s"], ["p"], kernel_shape=[2] * (rank - 2),
                                      strides=[2] * (rank - 2)))
        last = "p"
    if nan:
        nodes.append(helper.make_node("Div", [last, "zero"], ["q"]))
        nodes.append(helper.make_node("Sub", ["q", "q"], ["r"]))
        last = "r"
    nodes.append(helper.make_node("Identity", [last], ["prob"]))
    return _model(nodes, [x], [y], _consts(level=level, gain=gain, zero=0.0))


def classifier_model(*, cam: bool = True) -> bytes:
    """A 'classifier': map = sigmoid((x-0.5)*40); prob = max of the map per image."""
    x = helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", 1, 64, 64])
    outs = [helper.make_tensor_value_info("prob", TensorProto.FLOAT, ["N", 1])]
    nodes = [helper.make_node("Sub", ["image", "level"], ["d"]),
             helper.make_node("Mul", ["d", "gain"], ["z"]),
             helper.make_node("Sigmoid", ["z"], ["map"]),
             helper.make_node("ReduceMax", ["map"], ["prob"], axes=[2, 3], keepdims=0)]
    if cam:
        outs.append(helper.make_tensor_value_info("cam", TensorProto.FLOAT, ["N", 1, 64, 64]))
        nodes.append(helper.make_node("Identity", ["map"], ["cam"]))
    return _model(nodes, [x], outs, _consts(level=0.5, gain=40.0))


def manifest(**changes: Any) -> dict[str, Any]:
    """BASE_MANIFEST with dotted-path changes, e.g. ``{"outputs.labels": [...]}``."""
    doc = copy.deepcopy(BASE_MANIFEST)
    for path, value in changes.items():
        node = doc
        keys = path.split("__")
        for key in keys[:-1]:
            node = node.setdefault(key, {})
        if value is None:
            node.pop(keys[-1], None)
        else:
            node[keys[-1]] = value
    return doc


def package(folder: Path, model: bytes, doc: dict[str, Any]) -> PackageContents:
    write_package(folder, doc, {"model.onnx": (model, "model")})
    return read_package(folder, TrustStore(), TrustPolicy(allow_unsigned=True))


def runner(folder: Path, model: bytes, doc: dict[str, Any]) -> tuple[ImagingSpec, ModelRunner]:
    contents = package(folder, model, doc)
    session = create_session(contents, RuntimeOptions(gpu_preference="cpu", warmup=False,
                                                      intra_op_threads=1))
    spec = parse_imaging_spec(contents.manifest)
    return spec, ModelRunner(session, spec)


# -- synthetic stacks ------------------------------------------------------------------------
def affine(orientation: tuple[float, ...], position: tuple[float, float, float],
           row_spacing: float, col_spacing: float, slice_spacing: float) -> np.ndarray:
    """The DICOM affine: i (column) steps along the row cosine by the column spacing, j (row)
    along the column cosine by the row spacing, k along the normal by the slice spacing."""
    row = np.array(orientation[:3], dtype=float)
    col = np.array(orientation[3:], dtype=float)
    normal = np.cross(row, col)
    a = np.eye(4)
    a[:3, 0] = row * col_spacing
    a[:3, 1] = col * row_spacing
    a[:3, 2] = normal * slice_spacing
    a[:3, 3] = position
    return a


def blob_stack(shape: tuple[int, int, int], spacing: tuple[float, float, float],
               centres: list[tuple[float, float, float]], radius_mm: float,
               background: float = 40.0, value: float = 400.0, seed: int = 0) -> np.ndarray:
    """HU stack with spheres (radius in mm, centres as voxel (k, j, i)) on noisy tissue."""
    rng = np.random.default_rng(seed)
    vox = rng.normal(background, 10.0, shape).astype(np.float32)
    k, j, i = np.meshgrid(*(np.arange(n) for n in shape), indexing="ij")
    for ck, cj, ci in centres:
        d2 = (((k - ck) * spacing[0]) ** 2 + ((j - cj) * spacing[1]) ** 2
              + ((i - ci) * spacing[2]) ** 2)
        vox[d2 <= radius_mm ** 2] = value
    return vox


def half_input_model() -> bytes:
    """The threshold model taking a float16 input (as an fp16-exported model would)."""
    x = helper.make_tensor_value_info("image", TensorProto.FLOAT16, ["N", 1, "H", "W"])
    y = helper.make_tensor_value_info("prob", TensorProto.FLOAT, ["N", 1, "H", "W"])
    nodes = [helper.make_node("Cast", ["image"], ["x"], to=TensorProto.FLOAT),
             helper.make_node("Sub", ["x", "level"], ["d"]),
             helper.make_node("Mul", ["d", "gain"], ["z"]),
             helper.make_node("Sigmoid", ["z"], ["prob"])]
    return _model(nodes, [x], [y], _consts(level=0.5, gain=40.0))


#: The lesion of :func:`two_stack_series`: voxel (k, j, i) of its lesion stack, 4 mm radius.
STACK_LESION = CtLesion((6.0, 60.0, 70.0), (4.0, 4.0, 4.0), 2000.0)


def two_stack_series(folder: Path, *, pixel_mm: float = 1.5, spacing_mm: float = 2.5,
                     origin: tuple[float, float, float] = (-120.0, -110.0, -300.0),
                     ) -> tuple[str, str, tuple[str, ...]]:
    """One CT series holding two stacks: 24 slices of 2 mm pixels (stack index 0, the
    larger) and 16 slices of ``pixel_mm`` pixels with one bright lesion (stack index 1).

    Returns the study and series UIDs and the lesion stack's SOP UIDs in position order.
    """
    big = write_ct_series(folder / "a", slices=24, rows=96, cols=96, pixel_mm=2.0,
                          spacing_mm=spacing_mm, origin=origin, seed=21, acquisition=1)
    small = write_ct_series(folder / "b", slices=16, rows=160, cols=160, pixel_mm=pixel_mm,
                            spacing_mm=spacing_mm, origin=origin, seed=22, acquisition=2,
                            study_uid=big.study_uid, series_uid=big.series_uid)
    plant_ct_lesions(small.paths, [STACK_LESION], np.random.default_rng(3))
    by_z = sorted(small.paths, key=lambda p: float(pydicom.dcmread(p).ImagePositionPatient[2]))
    sops = tuple(str(pydicom.dcmread(p).SOPInstanceUID) for p in by_z)
    return big.study_uid, big.series_uid, sops



def cam_classifier_manifest() -> dict[str, Any]:
    """A CR classifier manifest for ``classifier_model()`` with its map as the heatmap."""
    return manifest(task="image-classification",
                    inputs__tensors=[{"name": "image", "dtype": "float32",
                                      "shape": ["N", 1, 64, 64]}],
                    inputs__image__series_selection={"modality": ["CR"]},
                    inputs__image__preprocessing__size=[64, 64],
                    outputs__tensors=[{"name": "prob", "dtype": "float32", "shape": ["N", 1]},
                                      {"name": "cam", "dtype": "float32",
                                       "shape": ["N", 1, 64, 64]}],
                    outputs__heatmap="cam", outputs__mask_threshold=None)


def shipped_ct_runner(transform: Any = None) -> tuple[ImagingSpec, ModelRunner]:
    """The shipped CT demo model on one CPU thread, its spec passed through ``transform``
    (e.g. ``second_look.magnified``) before the runner is built."""
    contents = read_package(Path(__file__).resolve().parents[1] / "models"
                            / "ct-hyperdense-lesion-demo", TrustStore(),
                            TrustPolicy(allow_unsigned=True))
    spec = parse_imaging_spec(contents.manifest)
    if transform is not None:
        spec = transform(spec)
    return spec, ModelRunner(create_session(contents, RuntimeOptions(
        gpu_preference="cpu", warmup=False, intra_op_threads=1)), spec)


def small_lung_nodule_phantom() -> tuple[np.ndarray, tuple[float, float, float], CtLesion]:
    """32 slices of phantom chest, 1.25 mm apart, 0.8 mm pixels, lung vessels, and one
    lung nodule of 5.0-5.5 mm that the CT demo's first pass scores under its flag."""
    from clinic_app.synthetic.lesions import (
        add_lung_vessels,
        ct_volume,
        insert_ct_lesions,
        random_ct_lesions,
    )

    step, px, seed = 1.25, 0.8, 1
    rng = np.random.default_rng(seed)
    hu = ct_volume(32, 384, 384, pixel_mm=px, spacing_mm=step, z0_mm=160.0, seed=seed)
    add_lung_vessels(hu, (step, px, px), rng, 40)
    (nodule,) = random_ct_lesions(hu, (step, px, px), rng, 1, diameter_mm=(5.0, 5.5),
                                  lung_only=True)
    insert_ct_lesions(hu, (step, px, px), [nodule], rng)
    return hu, (step, px, px), nodule
