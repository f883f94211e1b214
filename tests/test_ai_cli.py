"""clinic-app analyze / findings / review on generated studies with the shipped demo models."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from clinic_app.cli.main import main
from clinic_app.synthetic.dicom_series import write_cr, write_ct_series
from clinic_app.synthetic.lesions import CtLesion, plant_ct_lesions
from clinic_app.synthetic.radiograph_nodules import CrNodule, plant_cr_nodules
from tests.conftest import PASSWORDS, StoreFixture

ORIGIN = (-179.0, -179.0, -400.0)  # write_ct_series' default
NODULE = CtLesion((25.0, 165.0, 95.0), (5.0, 5.0, 5.0), 40.0)  # solid nodule, left lung
LIVER = CtLesion((5.0, 150.0, 100.0), (6.0, 6.0, 6.0), 210.0)  # hyperdense liver lesion


def run(argv: list[str], monkeypatch: pytest.MonkeyPatch, user: str = "rad") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORDS[user] + "\n"))
    code = main([*argv, "--user", user, "--password-stdin"], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def ct_study(store: StoreFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A 30-slice phantom CT (1 mm pixels, 2.5 mm slices) with two lesions, imported."""
    written = write_ct_series(tmp_path / "ct", slices=30, rows=320, cols=320, pixel_mm=1.0,
                              spacing_mm=2.5, seed=3)
    plant_ct_lesions(written.paths, [NODULE, LIVER], np.random.default_rng(0), vessels=40)
    code, _out, err = run(["--store", str(store.root), "import", "dicom", str(tmp_path / "ct")],
                          monkeypatch)
    assert code == 0, err
    return written.study_uid


def test_analyze_ct_reports_flagged_lesions_with_model_provider_and_geometry(
        store: StoreFixture, ct_study: str, monkeypatch: pytest.MonkeyPatch):
    """analyze --json: both lesions flagged on their slices, at their DICOM positions, with provenance."""
    s = ["--store", str(store.root)]
    code, out, err = run([*s, "analyze", ct_study, "--model", "ct-hyperdense-lesion-demo", "--json"],
                         monkeypatch)
    assert code == 0, err
    (run_,) = json.loads(out)["runs"]
    assert run_["model"] == "ct-hyperdense-lesion-demo" and run_["version"] == "1.7.2"
    assert run_["provider"] == "CPUExecutionProvider" and run_["demo"] is True
    flagged = [f for f in run_["findings"] if f["flagged"]]
    assert len(flagged) == 2
    for lesion in (NODULE, LIVER):
        k, j, i = lesion.centre
        f = next(f for f in flagged if f["slice_index"] == k)
        expected = np.array(ORIGIN) + np.array([i * 1.0, j * 1.0, k * 2.5])
        assert np.linalg.norm(np.array(f["center_mm"]) - expected) < 1.5
        assert f["bbox_px"]["row"][0] < j < f["bbox_px"]["row"][1]
        assert f["bbox_mm"]["min"][2] <= expected[2] <= f["bbox_mm"]["max"][2]
        assert f["volume_ml"] > 0.1 and f["label"] == "hyperdense focal lesion"
        assert f["review_status"] == "unreviewed" and f["heatmap"] == "segmentation-probability"
        # 10 and 12 mm on 2.5 mm slices: the spacing is kept, the size is not marked.
        assert f["slice_mm"] == 2.5 and f["size_approximate"] is False

    code, out, err = run([*s, "review", str(flagged[0]["id"]), "accepted", "--comment", "agree"],
                         monkeypatch)
    assert code == 0 and "accepted by rad" in out, err
    code, out, err = run([*s, "findings", ct_study, "--json"], monkeypatch, user="phys")
    assert code == 0, err
    listed = {f["id"]: f for f in json.loads(out)["findings"]}
    assert listed[flagged[0]["id"]]["review_status"] == "accepted"
    assert listed[flagged[0]["id"]]["review"]["user"] == "rad"
    code, out, _err = run([*s, "findings", ct_study], monkeypatch)
    assert "DEMO MODEL: NOT FOR CLINICAL USE" in out and "accepted by rad" in out


def _analysed(store: StoreFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
              lesions: list[CtLesion]) -> tuple[str, list[dict]]:
    """A 30-slice phantom CT (1 mm pixels, 2.5 mm slices) with ``lesions``, imported and
    analysed by the CT demo: its study UID and its flagged findings as JSON."""
    written = write_ct_series(tmp_path / "ct", slices=30, rows=320, cols=320, pixel_mm=1.0,
                              spacing_mm=2.5, seed=3)
    plant_ct_lesions(written.paths, lesions, np.random.default_rng(0), vessels=40)
    s = ["--store", str(store.root)]
    code, _out, err = run([*s, "import", "dicom", str(tmp_path / "ct")], monkeypatch)
    assert code == 0, err
    code, out, err = run([*s, "analyze", written.study_uid, "--model", "ct-hyperdense-lesion-demo",
                          "--json"], monkeypatch)
    assert code == 0, err
    return written.study_uid, [f for f in json.loads(out)["runs"][0]["findings"] if f["flagged"]]


def test_a_small_nodule_on_thick_slices_has_its_size_marked_approximate(
        store: StoreFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A 6.4 mm nodule on 2.5 mm slices: measured, and marked approximate with the slices'
    spacing and the thin-slice advice (core/inference/size_caveat.py), in the table and
    the JSON; the 12 mm lesion beside it is not marked."""
    small = CtLesion((25.0, 165.0, 95.0), (3.2, 3.2, 3.2), 40.0)
    study, found = _analysed(store, tmp_path, monkeypatch, [small, LIVER])
    flagged = {f["slice_index"]: f for f in found}
    assert flagged[25]["diameter_mm"] == pytest.approx(6.4, rel=0.15)
    assert flagged[25]["size_approximate"] is True and flagged[25]["slice_mm"] == 2.5
    assert flagged[5]["size_approximate"] is False
    code, out, err = run(["--store", str(store.root), "findings", study], monkeypatch)
    assert code == 0, err
    assert "(approximate: slices 2.5 mm apart)" in out
    assert out.count("Approximate size: measured on slices 2.5 mm apart.") == 1
    assert "1.5 mm or thinner (Fleischner Society)" in out


def test_a_nodule_cut_off_by_the_end_of_the_series_says_it_may_be_larger(
        store: StoreFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A 10 mm nodule centred half a slice inside the last image: its size is only what the
    series shows, and the table, the note under it and the JSON say so; the liver lesion
    well inside the series does not."""
    cut = CtLesion((28.6, 165.0, 95.0), (5.0, 5.0, 5.0), 40.0)
    study, flagged = _analysed(store, tmp_path, monkeypatch, [cut, LIVER])
    edge = [f for f in flagged if f["slice_range"][1] == 29]
    inner = [f for f in flagged if f["slice_range"][1] < 29]
    assert len(edge) == 1 and edge[0]["at_series_edge"] is True
    assert inner and all(f["at_series_edge"] is False for f in inner)
    code, out, err = run(["--store", str(store.root), "findings", study], monkeypatch)
    assert code == 0, err
    assert out.count("(at the edge of the series)") == 1
    assert "may extend beyond it: its size may be larger." in out


def test_cli_refusals_exit_non_zero_with_one_line(store: StoreFixture, ct_study: str,
                                                 monkeypatch: pytest.MonkeyPatch):
    """A physician may not analyse (exit 4); an unknown model is a one-line failure (exit 1)."""
    s = ["--store", str(store.root)]
    code, _out, err = run([*s, "analyze", ct_study], monkeypatch, user="phys")
    assert code == 4 and "analysis.run" in err
    code, _out, err = run([*s, "analyze", ct_study, "--model", "nope"], monkeypatch)
    assert code == 1 and len(err.strip().splitlines()) == 1 and "nope" in err


def test_analyze_cr_flags_a_nodule_with_its_class_activation_map(
        store: StoreFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A 2000² MONOCHROME1 chest CR with a planted nodule: flagged, located near it by the CAM."""
    written = write_cr(tmp_path / "cr" / "cr.dcm", rows=2000, cols=2000, seed=4)
    plant_cr_nodules(written.paths[0], [CrNodule((900.0, 640.0), 9.0, 0.3)],
                     np.random.default_rng(2))
    s = ["--store", str(store.root)]
    code, _out, err = run([*s, "import", "dicom", str(tmp_path / "cr")], monkeypatch)
    assert code == 0, err
    code, out, err = run([*s, "analyze", written.study_uid, "--json"], monkeypatch)
    assert code == 0, err
    (run_,) = json.loads(out)["runs"]  # the CT model does not apply to a CR
    assert run_["model"] == "cr-nodule-demo" and run_["heatmap"] == "class-activation-map"
    (finding,) = run_["findings"]
    assert finding["flagged"] and finding["label"] == "pulmonary nodule"
    col, row = finding["center_px"][:2]
    assert abs(col - 640) < 120 and abs(row - 900) < 120
    assert finding["frame"] == "image" and finding["volume_ml"] is None
