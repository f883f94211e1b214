"""AI results as DICOM SEG / SR TID 1500 / KO: written, valid (dciodvfy), read back, audited."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import highdicom as hd
import numpy as np
import pydicom
import pytest
from pydicom.uid import Comprehensive3DSRStorage, KeyObjectSelectionDocumentStorage, SegmentationStorage

from clinic_app.core.security.audit import AuditFilter
from clinic_app.errors import InvalidInput, PermissionDenied
from tests.conftest import PASSWORDS
from tests.results_support import (
    LESIONS,
    Analysed,
    analysed_study,  # noqa: F401 - the "study" fixture
    dciodvfy_errors,
)


def _review_all(study: Analysed) -> dict[str, int]:
    """Accept, modify and reject the flagged findings, add one: returns ids by decision."""
    sess = study.login()
    found = [f for f in study.services.analysis.findings(sess, study.study_uid) if f.flagged]
    assert len(found) == 2
    first, second = sorted(found, key=lambda f: f.slice_index)
    study.services.analysis.review(sess, first.id, "accepted", "agree")
    study.services.review_edits.modify(sess, second.id, (100, 118), (92, 110),
                                       comment="tighter box")
    added = study.services.review_edits.add_finding(
        sess, study.study_uid, study.series_uid, "pulmonary nodule", 3, (20, 30), (20, 30),
        comment="missed by the model")
    return {"accepted": first.id, "modified": second.id, "added": added.id}


def _values(ds: pydicom.Dataset) -> Iterator[str]:
    """Every element value of a dataset, nested sequences included, as text."""
    for elem in ds:
        if elem.VR == "SQ":
            for item in elem.value:
                yield from _values(item)
        else:
            yield str(elem.value)


def test_export_writes_seg_sr_ko_that_pass_dciodvfy_and_read_back(study: Analysed, tmp_path: Path):
    """SEG, SR and KO are written, have no dciodvfy Error lines, and parse with pydicom and highdicom."""
    _review_all(study)
    report = study.services.results.export(study.login(), study.study_uid, tmp_path / "out")
    kinds = {f.kind: f for f in report.files}
    assert set(kinds) == {"SEG", "SR", "KO"}
    assert kinds["SEG"].sop_class_uid == SegmentationStorage
    assert kinds["SR"].sop_class_uid == Comprehensive3DSRStorage
    assert kinds["KO"].sop_class_uid == KeyObjectSelectionDocumentStorage
    for f in report.files:
        assert dciodvfy_errors(f.path) == [], f.kind
        ds = pydicom.dcmread(f.path)
        assert ds.StudyInstanceUID == study.study_uid
    seg = hd.seg.segread(kinds["SEG"].path)
    assert seg.SegmentationType == "FRACTIONAL" and seg.number_of_segments == 2
    assert hd.sr.srread(kinds["SR"].path).SOPClassUID == Comprehensive3DSRStorage
    ko = hd.ko.KeyObjectSelectionDocument.from_dataset(pydicom.dcmread(kinds["KO"].path))
    images = [i for i in ko.ContentSequence if i.ValueType == "IMAGE"]
    assert images and ko.resolve_reference(
        images[0].ReferencedSOPSequence[0].ReferencedSOPInstanceUID)[0] == study.study_uid


def test_sr_groups_carry_type_measurements_algorithm_and_each_review(study: Analysed, tmp_path: Path):
    """Each group has tracking ids, a coded type, UCUM measurements, the model and its review."""
    ids = _review_all(study)
    report = study.services.results.export(study.login(), study.study_uid, tmp_path / "out")
    text = " ".join(_values(pydicom.dcmread(next(f.path for f in report.files if f.kind == "SR"))))
    for decision in ("ACCEPTED", "MODIFIED", "ADDED"):
        assert decision in text
    assert "manifest_sha256=" in text and "tighter box" in text and "missed by the model" in text
    assert "rad" in text and "Radiologist" in text
    assert str(ids["modified"]) in text


def test_sr_measurements_match_the_stored_findings(study: Analysed, tmp_path: Path):
    """Diameter (mm), volume (mL) and score in the SR equal the stored findings' values."""
    sess = study.login()
    found = [f for f in study.services.analysis.findings(sess, study.study_uid) if f.flagged]
    report = study.services.results.export(sess, study.study_uid, tmp_path / "out")
    path = next(f.path for f in report.files if f.kind == "SR")
    report_content = hd.sr.srread(path).content
    groups = report_content.get_volumetric_roi_measurement_groups()
    assert len(groups) == len(found)
    by_uid = {g.tracking_uid: g for g in groups}
    from clinic_app.core.dicom_out.content import tracking_uid
    for f in found:
        group = by_uid[tracking_uid(f.run_uid, str(f.id))]
        values = {m.name.meaning: (m.value, m.unit.value) for m in group.get_measurements()}
        assert values["Diameter"] == (pytest.approx(f.diameter_mm), "mm")
        assert values["Volume"] == (pytest.approx(f.volume_ml), "mL")
        assert values["AI model score"][0] == pytest.approx(f.score)
        assert group.finding_type.value == "52988006"
        assert group.referenced_segment is not None


def test_seg_segments_sit_on_the_lesion_slices(study: Analysed, tmp_path: Path):
    """Each SEG segment's probability peaks on the source image of its planted lesion."""
    sess = study.login()
    found = [f for f in study.services.analysis.findings(sess, study.study_uid) if f.flagged]
    report = study.services.results.export(sess, study.study_uid, tmp_path / "out")
    seg = hd.seg.segread(next(f.path for f in report.files if f.kind == "SEG"))
    sources = {f.source_sop_uid for f in found}
    peak_sops = set()
    for number in seg.segment_numbers:
        desc = seg.get_segment_description(number)
        assert desc.segment_label == "bright blob"
        arrays = {}
        for uid in seg.get_source_image_uids():
            sop = uid[2]
            arr = seg.get_pixels_by_source_instance([sop], segment_numbers=[number],
                                                    rescale_fractional=True,
                                                    assert_missing_frames_are_empty=True)
            arrays[sop] = float(np.asarray(arr).sum())
        peak_sops.add(max(arrays, key=arrays.get))
    assert peak_sops == sources
    assert len(LESIONS) == 2


def test_ko_lists_images_of_accepted_modified_and_added_findings(study: Analysed, tmp_path: Path):
    """The KO references exactly the source images of the accepted, modified and added findings."""
    _review_all(study)
    sess = study.login()
    found = {f.id: f for f in study.services.analysis.findings(sess, study.study_uid)}
    added = study.services.review_edits.added_findings(sess, study.study_uid)
    report = study.services.results.export(sess, study.study_uid, tmp_path / "out")
    ko = pydicom.dcmread(next(f.path for f in report.files if f.kind == "KO"))
    refs = {item.ReferencedSOPSequence[0].ReferencedSOPInstanceUID
            for item in ko.ContentSequence if item.ValueType == "IMAGE"}
    modified = next(f for f in found.values() if f.review_status == "modified")
    expected = {f.source_sop_uid for f in found.values() if f.review_status == "accepted"}
    expected |= {modified.review.revised.source_sop_uid, added[0].placement.source_sop_uid}
    assert refs == expected


def test_export_is_radiologist_only_and_audited(study: Analysed, tmp_path: Path):
    """A physician is refused; a radiologist's export is one audit entry."""
    with pytest.raises(PermissionDenied):
        study.services.results.export(study.login("phys"), study.study_uid, tmp_path / "x")
    study.services.results.export(study.login(), study.study_uid, tmp_path / "out")
    admin = study.services.auth.login("admin", PASSWORDS["admin"])
    entries = [e for e in study.services.audit.entries(admin, AuditFilter())
               if e.action == "results.export"]
    assert len(entries) == 1 and entries[0].detail["files"] == 3 - 1  # no KO without reviews


def test_finding_whose_image_is_gone_is_refused_by_id(study: Analysed, tmp_path: Path):
    """Deleting a finding's source instance makes the export refuse, naming the finding."""
    sess = study.login()
    found = [f for f in study.services.analysis.findings(sess, study.study_uid) if f.flagged]
    assert sess.clinical is not None
    sess.clinical.execute("DELETE FROM dicom_instances WHERE sop_instance_uid = ?",
                          (found[0].source_sop_uid,))
    with pytest.raises(InvalidInput, match=f"finding {found[0].id} .*no longer in the store"):
        study.services.results.export(sess, study.study_uid, tmp_path / "out")
    assert not list((tmp_path / "out").glob("*.dcm")) if (tmp_path / "out").exists() else True


def test_export_never_overwrites(study: Analysed, tmp_path: Path):
    """Exporting twice into one folder refuses the second time and leaves the first intact."""
    sess = study.login()
    first = study.services.results.export(sess, study.study_uid, tmp_path / "out")
    before = {f.path: f.path.read_bytes() for f in first.files}
    with pytest.raises(InvalidInput, match="already exists"):
        study.services.results.export(sess, study.study_uid, tmp_path / "out")
    assert {p: p.read_bytes() for p in before} == before


def test_exported_results_import_and_show_decisions_overlays_and_key_images(study: Analysed,
                                                                          tmp_path: Path):
    """Our SEG/SR/KO imported back (as a second workstation would) show segments, decisions, key images."""
    _review_all(study)
    sess = study.login()
    study.services.results.export(sess, study.study_uid, tmp_path / "out")
    report = study.services.imaging.import_dicom(sess, [tmp_path / "out"])
    assert report.imported == 3, report.skipped
    shown = study.services.study_results.study_results(sess, study.study_uid)
    ((seg, seg_refs),) = shown.segs
    assert [s.label for s in seg.segments] == ["bright blob", "bright blob"] and seg.fractional
    assert all(r.found for r in seg_refs)
    ((sr, _refs),) = shown.reports
    assert sorted(g.decision for g in sr.groups) == ["accepted", "added", "modified"]
    modified = next(g for g in sr.groups if g.decision == "modified")
    assert modified.segment is not None and modified.segment[0] == seg.sop_instance_uid
    ((_ko, ko_refs),) = shown.key_images
    assert len(ko_refs) == 3 and all(r.found for r in ko_refs)
    assert shown.skipped == ()


def test_unlocated_finding_becomes_a_tid1501_group_that_passes_dciodvfy(tmp_path: Path):
    """A scored but unlocated result (no region, no segment) is written without an ROI, valid."""
    from pydicom.uid import generate_uid

    from clinic_app.core.dicom_out.content import Algorithm, ResultFinding
    from clinic_app.core.dicom_out.sr import build_sr
    from tests.results_support import write_phantom

    write_phantom(tmp_path / "ct", slices=2)
    header = pydicom.dcmread(next((tmp_path / "ct").glob("*.dcm")), stop_before_pixels=True)
    finding = ResultFinding("2.25.42", "label 1", "pulmonary nodule", None,
                            Algorithm("cr-nodule-demo", "1.0.0", "cd" * 32), score=0.12)
    sr = build_sr([finding], [header], series_uid=generate_uid(), sop_uid=generate_uid(),
                  device_uid="2.25.7")
    sr.save_as(tmp_path / "sr.dcm")
    assert dciodvfy_errors(tmp_path / "sr.dcm") == []
    text = list(_values(pydicom.dcmread(tmp_path / "sr.dcm")))
    assert "label 1" in text and "Measurement Group" in text and "0.12" in " ".join(text)


@pytest.mark.parametrize(("approximate", "cut_off"), [(True, True), (False, False)])
def test_size_remarks_travel_in_the_sr_and_read_back(tmp_path: Path, approximate: bool,
                                                      cut_off: bool):
    """A located AI finding whose size the app marks approximate and cut off by the series
    carries both remarks as qualitative evaluations of its group: valid for dciodvfy, and
    read back by the results import; a finding without them carries none."""
    from pydicom.uid import generate_uid

    from clinic_app.core.dicom_out.content import Algorithm, Region, ResultFinding
    from clinic_app.core.dicom_out.foreign import read_sr
    from clinic_app.core.dicom_out.sr import build_sr
    from tests.results_support import write_phantom

    write_phantom(tmp_path / "ct", slices=2)
    header = pydicom.dcmread(next((tmp_path / "ct").glob("*.dcm")), stop_before_pixels=True)
    region = Region(str(header.SOPInstanceUID), 1,
                    ((40.0, 40.0), (50.0, 40.0), (50.0, 50.0), (40.0, 50.0), (40.0, 40.0)))
    finding = ResultFinding("2.25.43", "ct finding 1", "pulmonary nodule", region,
                            Algorithm("ct-hyperdense-lesion-demo", "1.7.2", "ab" * 32), score=0.9,
                            diameter_mm=5.2, volume_ml=0.07, size_approximate=approximate,
                            at_series_edge=cut_off)
    sr = build_sr([finding], [header], series_uid=generate_uid(), sop_uid=generate_uid(),
                  device_uid="2.25.7")
    sr.save_as(tmp_path / "sr.dcm")
    assert dciodvfy_errors(tmp_path / "sr.dcm") == []
    (group,) = read_sr(pydicom.dcmread(tmp_path / "sr.dcm")).groups
    remarks = {value for name, value in group.evaluations if name == "Size measurement"}
    expected = {"Approximate: under 8 mm on slices over 1.5 mm apart",
                "May be larger: reaches the first or last image"} if approximate else set()
    assert remarks == expected
