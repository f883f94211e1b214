"""Which diameter the minimum-size rule judges: the growth-level extent, or the size reported."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from clinic_app.core.inference.findings import Geometry, segmentation_findings
from clinic_app.core.inference.imaging_spec import MinSizeBasis, parse_imaging_spec
from clinic_app.core.inference.manifest import parse_manifest
from clinic_app.errors import ModelError
from tests.ai_support import affine

MODELS = Path(__file__).resolve().parents[1] / "models"
AXIAL = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)
SPACING = (1.0, 0.5, 0.5)  # slice, row, column mm
CENTRE = (10.0, 20.0, 20.0)  # mm


def _ball(shape: tuple[int, int, int], radius_mm: float) -> np.ndarray:
    k, j, i = np.meshgrid(*(np.arange(n) * s for n, s in zip(shape, SPACING, strict=True)),
                          indexing="ij")
    return (k - CENTRE[0]) ** 2 + (j - CENTRE[1]) ** 2 + (i - CENTRE[2]) ** 2 <= radius_mm ** 2


def _findings(image_radius_mm: float, marked_radius_mm: float, basis: MinSizeBasis) -> list:
    """A nodule the image shows at ``image_radius_mm``, of which the model marked a core."""
    shape = (21, 80, 80)
    image = np.where(_ball(shape, image_radius_mm), 100.0, -800.0).astype(np.float32)
    image += np.random.default_rng(5).normal(0.0, 5.0, shape).astype(np.float32)
    prob = np.where(_ball(shape, marked_radius_mm), 0.9, 0.0).astype(np.float32)
    geo = Geometry(affine(AXIAL, (0.0, 0.0, 0.0), SPACING[1], SPACING[2], SPACING[0]), shape)
    return segmentation_findings(prob[None], ("nodule",), {"nodule": 0.4}, 0.3, 4.0, geo,
                                 image=image, min_size_of=basis)


def test_a_nodule_whose_core_alone_was_marked_is_kept_when_judged_on_its_reported_size():
    """6.4 mm in the image, a 3.4 mm core marked: the extent rule drops what it would report at 6.4 mm."""
    assert _findings(3.2, 1.7, MinSizeBasis.EXTENT) == []
    (finding,) = _findings(3.2, 1.7, MinSizeBasis.REPORTED)
    assert finding.diameter_mm == pytest.approx(6.4, rel=0.15)


def test_a_speck_is_still_dropped_when_judged_on_its_reported_size():
    """A 3 mm speck, marked whole, is reported under 4 mm and so dropped by either rule."""
    assert _findings(1.5, 1.5, MinSizeBasis.REPORTED) == []
    assert _findings(1.5, 1.5, MinSizeBasis.EXTENT) == []
    (kept,) = _findings(3.5, 3.5, MinSizeBasis.REPORTED)
    assert kept.diameter_mm == pytest.approx(7.0, rel=0.15)


def _ct_manifest(**outputs: object) -> dict:
    doc = json.loads((MODELS / "ct-hyperdense-lesion-demo" / "manifest.json").read_text())
    doc["outputs"].update(outputs)
    return doc


def test_the_manifest_names_the_rule_and_an_unknown_one_is_refused():
    """Absent means the extent (every package before the field); a value outside the two is refused."""
    def parse(doc: dict):
        return parse_imaging_spec(parse_manifest(json.dumps(doc).encode())).output

    plain = _ct_manifest()
    plain["outputs"].pop("min_size_of", None)
    assert parse(plain).min_size_of is MinSizeBasis.EXTENT
    assert parse(_ct_manifest(min_size_of="reported")).min_size_of is MinSizeBasis.REPORTED
    with pytest.raises(ModelError, match="min_size_of"):
        parse(_ct_manifest(min_size_of="largest"))
