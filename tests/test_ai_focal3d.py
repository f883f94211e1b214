"""Focal or running on: a finding whose bright structure the image still shows beyond it is dropped."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from clinic_app.core.inference.findings import Geometry, segmentation_findings
from clinic_app.core.inference.imaging_spec import parse_imaging_spec
from clinic_app.core.inference.manifest import parse_manifest
from clinic_app.errors import ModelError
from tests.ai_support import affine

MODELS = Path(__file__).resolve().parents[1] / "models"

AXIAL = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)
BACKGROUND_HU = 40.0
BRIGHT_HU = 200.0


def _grid(shape: tuple[int, int, int], spacing: tuple[float, float, float]) -> tuple[np.ndarray, ...]:
    k, j, i = np.meshgrid(*(np.arange(n) * s for n, s in zip(shape, spacing, strict=True)),
                          indexing="ij")
    return k, j, i


def _findings(image_mask: np.ndarray, model_mask: np.ndarray,
              spacing: tuple[float, float, float], max_continuation: float | None,
              contrast: float = BRIGHT_HU - BACKGROUND_HU) -> list:
    """The findings of a model that marked ``model_mask`` on an image bright in ``image_mask``."""
    geo = Geometry(affine(AXIAL, (0.0, 0.0, 0.0), spacing[1], spacing[2], spacing[0]),
                   model_mask.shape)
    image = np.where(image_mask, BACKGROUND_HU + contrast, BACKGROUND_HU).astype(np.float32)
    image += np.random.default_rng(3).normal(0.0, 5.0, image.shape).astype(np.float32)
    return segmentation_findings(model_mask.astype(np.float32)[None], ("x",), {"x": 0.5}, 0.4,
                                 0.0, geo, None, None, image=image,
                                 max_continuation=max_continuation)


def test_a_vessel_the_model_caught_on_three_slices_is_dropped():
    """A 6 mm vessel through every slice, marked by the model on 3 slices only, is not focal."""
    spacing = (2.5, 0.7, 0.7)
    k, j, i = _grid((24, 80, 80), spacing)
    vessel = (j - 28.0) ** 2 + (i - 28.0) ** 2 <= 3.0 ** 2
    marked = vessel & (k >= 10 * 2.5) & (k <= 12 * 2.5)
    assert len(_findings(vessel, marked, spacing, None)) == 1
    assert _findings(vessel, marked, spacing, 0.5) == []


@pytest.mark.parametrize(("diameter", "step"), [(5.0, 5.0), (6.0, 3.0), (8.0, 0.6),
                                                (20.0, 2.5), (30.0, 1.0)])
def test_lesions_of_every_size_and_slice_step_are_kept(diameter: float, step: float):
    """A 5–30 mm lesion on 0.6–5 mm slices ends within one diameter: kept, at its centre."""
    spacing = (step, 0.7, 0.7)
    n = int(80.0 / step)
    k, j, i = _grid((n, 90, 90), spacing)
    r = diameter / 2.0
    lesion = (((k - 40.2) / (1.15 * r)) ** 2 + ((j - 31.0) / (0.9 * r)) ** 2
              + ((i - 31.0) / r) ** 2) <= 1.0
    found = _findings(lesion, lesion, spacing, 0.5)
    assert len(found) == 1
    assert found[0].center_mm[:2] == pytest.approx([31.0, 31.0], abs=1.0)


def test_a_lesion_on_a_vessel_that_leaves_on_one_side_is_kept():
    """A 12 mm lesion with a vessel leaving it caudally only: one side ends, so it is focal."""
    spacing = (2.5, 0.7, 0.7)
    k, j, i = _grid((32, 80, 80), spacing)
    lesion = (k - 40.0) ** 2 + (j - 28.0) ** 2 + (i - 28.0) ** 2 <= 6.0 ** 2
    vessel = ((j - 28.0) ** 2 + (i - 28.0) ** 2 <= 3.0 ** 2) & (k >= 40.0)
    assert len(_findings(lesion | vessel, lesion, spacing, 0.5)) == 1


def test_continuation_is_the_share_of_the_section_still_there():
    """A structure whose section halves beyond the marked slices measures about one half."""
    spacing = (2.5, 0.7, 0.7)
    k, j, i = _grid((24, 80, 80), spacing)
    marked = ((j - 28.0) ** 2 + (i - 28.0) ** 2 <= 4.0 ** 2) & (k >= 25.0) & (k <= 30.0)
    # Beyond the marked slices the bright structure keeps only a half disc.
    half = ((j - 28.0) ** 2 + (i - 28.0) ** 2 <= 4.0 ** 2) & (i <= 28.0)
    image = marked | half
    assert len(_findings(image, marked, spacing, 0.6)) == 1
    assert _findings(image, marked, spacing, 0.4) == []


def test_without_contrast_or_room_beyond_the_finding_is_kept():
    """Under 40 HU of contrast, or no slice one reach away inside the series: no judgement, kept."""
    spacing = (2.5, 0.7, 0.7)
    k, j, i = _grid((24, 80, 80), spacing)
    vessel = (j - 28.0) ** 2 + (i - 28.0) ** 2 <= 3.0 ** 2
    marked = vessel & (k >= 10 * 2.5) & (k <= 12 * 2.5)
    assert len(_findings(vessel, marked, spacing, 0.5, contrast=25.0)) == 1
    k, j, i = _grid((3, 80, 80), spacing)
    vessel = (j - 28.0) ** 2 + (i - 28.0) ** 2 <= 3.0 ** 2
    assert len(_findings(vessel, vessel, spacing, 0.5)) == 1


def test_the_manifest_field_needs_half_maximum_sizes():
    """max_continuation without size_method half_maximum is refused naming the field."""
    doc = json.loads((MODELS / "ct-hyperdense-lesion-demo" / "manifest.json").read_text())
    doc["outputs"]["max_continuation"] = 0.5
    assert parse_imaging_spec(parse_manifest(json.dumps(doc).encode())).output.max_continuation == 0.5
    doc["outputs"]["size_method"] = "map"
    with pytest.raises(ModelError, match="max_continuation"):
        parse_imaging_spec(parse_manifest(json.dumps(doc).encode()))


def _shipped_ct_findings(hu: np.ndarray, pixel_mm: float, step: float,
                         levels: tuple[float | None, ...],
                         flag_grow: tuple[float, float] | None = None) -> list[list]:
    """The shipped CT demo's findings on ``hu`` (S, R, C), one list per ``max_continuation``
    in ``levels`` (its outputs as shipped otherwise, or flagged and grown at ``flag_grow``);
    the network runs once."""
    from dataclasses import replace

    from clinic_app.core.inference.imaging_run import ModelRunner, StageTimes, run_slices
    from clinic_app.core.inference.package import TrustPolicy, TrustStore, read_package
    from clinic_app.core.inference.runtime import RuntimeOptions, create_session
    from clinic_app.core.tasks import NEVER_CANCELLED, no_progress

    contents = read_package(MODELS / "ct-hyperdense-lesion-demo", TrustStore(),
                            TrustPolicy(allow_unsigned=True))
    spec = parse_imaging_spec(contents.manifest)
    assert spec.output.max_continuation == 0.5
    runner = ModelRunner(create_session(contents, RuntimeOptions(
        gpu_preference="cpu", warmup=False, intra_op_threads=1)), spec)
    maps = run_slices(hu, (step, pixel_mm, pixel_mm), spec, runner, StageTimes(), no_progress,
                      NEVER_CANCELLED)
    geo = Geometry(affine(AXIAL, (0.0, 0.0, 0.0), pixel_mm, pixel_mm, step), hu.shape)
    found = []
    for level in levels:
        out = replace(spec.output, max_continuation=level)
        thresholds = dict(out.thresholds)
        mask_threshold = out.mask_threshold
        if flag_grow is not None:
            thresholds = dict.fromkeys(thresholds, flag_grow[0])
            mask_threshold = flag_grow[1]
        found.append(segmentation_findings(
            maps, out.labels, thresholds, mask_threshold, out.min_size_mm, geo,
            out.size_threshold, out.max_elongation, image=hu,
            max_continuation=out.max_continuation))
    return found


def test_shipped_ct_model_on_real_enhanced_abdomen_keeps_the_lesion_drops_the_mimics():
    """pydicom-data's contrast-enhanced abdomen: the test removes most responses, never the lesion."""
    import pydicom
    from pydicom.data import get_testdata_file

    from clinic_app.synthetic.lesions import insert_ct_lesions, random_ct_lesions

    ds = pydicom.dcmread(get_testdata_file("explicit_VR-UN.dcm"))
    hu = ds.pixel_array.astype(np.float32) * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
    step, pixel_mm = 2.5, float(ds.PixelSpacing[0])
    rng = np.random.default_rng(5)
    stack = np.repeat(hu[None], 12, axis=0) + rng.normal(0.0, 6.0, (12, *hu.shape)).astype(
        np.float32)
    (as_shipped,) = _shipped_ct_findings(stack, pixel_mm, step, (0.5,))
    before, after = _shipped_ct_findings(stack, pixel_mm, step, (None, 0.5), (0.2, 0.1))
    # The 1.4.0 network responded to 5 or more enhancing structures here; the 2.5D network
    # of 1.5.0 to fewer, since each runs on through its 4 mm neighbours; 1.6.0, trained
    # on its own false positives, to none at its levels. Flagged from 0.2 and grown to
    # 0.1 it still responds to some, so the test has mimics to drop, and drops every one.
    assert as_shipped == []
    assert len(before) >= 2 and after == [], (len(before), len(after))
    # A 12 mm lesion placed by the evaluation sets' own rule is still one flagged finding.
    (lesion,) = [les for les in random_ct_lesions(stack, (step, pixel_mm, pixel_mm), rng, 4,
                                                  diameter_mm=(12.0, 12.0))
                 if 3 <= les.centre[0] <= 8][:1]
    insert_ct_lesions(stack, (step, pixel_mm, pixel_mm), [lesion], rng)
    k, j, i = lesion.centre
    centre = np.array([i * pixel_mm, j * pixel_mm, k * step])
    (with_lesion,) = _shipped_ct_findings(stack, pixel_mm, step, (0.5,))
    hits = [f for f in with_lesion if np.linalg.norm(np.array(f.center_mm) - centre) < 5.0]
    assert len(hits) == 1 and hits[0].flagged
