"""Other systems' SEG, SR TID 1500 and KO: recognised at import, read, resolved against the store.

The objects are built here with highdicom's own constructors (not our writer), plus
pydicom's bundled non-TID-1500 SR sample; malformed ones must give a skip reason.
"""

from __future__ import annotations

from pathlib import Path

import highdicom as hd
import numpy as np
import pydicom
import pytest
from pydicom.data import get_testdata_file
from pydicom.sr.codedict import codes
from pydicom.uid import generate_uid

from clinic_app.services.study_results import NOT_HERE
from tests.conftest import StoreFixture
from tests.results_support import write_phantom


def _sources(folder: Path) -> list[pydicom.Dataset]:
    return sorted((pydicom.dcmread(p) for p in folder.glob("*.dcm")),
                  key=lambda d: float(d.ImagePositionPatient[2]))


def _foreign_objects(ct: Path, out: Path) -> dict[str, str]:
    """A binary SEG, a TID 1500 SR (one region on an image we lack), a KO, and two bad SRs."""
    out.mkdir()
    src = _sources(ct)
    mask = np.zeros((len(src), 160, 160, 2), dtype=bool)
    mask[5:8, 40:60, 50:70, 0] = True
    mask[12, 90:100, 90:100, 1] = True
    algo = hd.AlgorithmIdentificationSequence("other-vendor-ai", codes.cid7162.ArtificialIntelligence, "2.1")
    descs = [hd.seg.SegmentDescription(1, "Liver lesion", codes.SCT.MorphologicallyAbnormalStructure,
                                       codes.SCT.Lesion, "AUTOMATIC", algo),
             hd.seg.SegmentDescription(2, "Cyst", codes.SCT.MorphologicallyAbnormalStructure,
                                       codes.SCT.Cyst, "MANUAL")]
    seg = hd.seg.Segmentation(src, mask, "BINARY", descs, generate_uid(), 50, generate_uid(), 1,
                              "Other", "AI", "2.1", "1")
    seg.save_as(out / "seg.dcm")
    elsewhere = pydicom.Dataset()
    elsewhere.update(src[0])
    elsewhere.SOPInstanceUID = generate_uid()
    groups = []
    for n, image in enumerate((src[6], elsewhere)):
        region = hd.sr.ImageRegion("POLYLINE", np.array([[40, 50], [60, 50], [60, 70], [40, 50]],
                                                        dtype=float),
                                   hd.sr.SourceImageForRegion(image.SOPClassUID, image.SOPInstanceUID))
        groups.append(hd.sr.PlanarROIMeasurementsAndQualitativeEvaluations(
            hd.sr.TrackingIdentifier(identifier=f"lesion {n}"), referenced_region=region,
            finding_type=codes.SCT.Nodule,
            measurements=[hd.sr.Measurement(codes.SCT.Diameter, 12.0 + n, codes.UCUM.Millimeter)]))
    person = hd.sr.ObserverContext(codes.DCM.Person,
                                   hd.sr.PersonObserverIdentifyingAttributes("Other^Reader"))
    report = hd.sr.MeasurementReport(hd.sr.ObservationContext(person),
                                     codes.LN.CTUnspecifiedBodyRegion, groups)
    sr = hd.sr.Comprehensive3DSR([src[6], elsewhere], report[0], generate_uid(), 51,
                                 generate_uid(), 1, "Other")
    sr.save_as(out / "sr.dcm")
    broken = pydicom.dcmread(out / "sr.dcm")
    del broken.ContentSequence
    broken.SOPInstanceUID = generate_uid()
    broken.save_as(out / "sr-broken.dcm")
    ko = hd.ko.KeyObjectSelectionDocument(
        [src[3], src[9]], hd.ko.KeyObjectSelection(codes.DCM.OfInterest, [src[3], src[9]]),
        generate_uid(), 52, generate_uid(), 1, "Other")
    ko.save_as(out / "ko.dcm")
    sample = pydicom.dcmread(get_testdata_file("test-SR.dcm"))  # pydicom's own, not TID 1500
    for key in ("StudyInstanceUID", "PatientID", "PatientName", "PatientBirthDate", "PatientSex"):
        setattr(sample, key, src[0].get(key))
    sample.save_as(out / "sample-sr.dcm")
    return {"seg": str(seg.SOPInstanceUID), "sr": str(sr.SOPInstanceUID),
            "broken": str(broken.SOPInstanceUID), "ko": str(ko.SOPInstanceUID),
            "sample": str(sample.SOPInstanceUID), "elsewhere": str(elsewhere.SOPInstanceUID),
            "slice6": str(src[6].SOPInstanceUID)}


@pytest.fixture
def imported(store: StoreFixture, tmp_path: Path):
    """The phantom CT and the foreign results objects imported into a real store."""
    study, series = write_phantom(tmp_path / "ct")
    uids = _foreign_objects(tmp_path / "ct", tmp_path / "results")
    sess = store.login("rad")
    report = store.services.imaging.import_dicom(sess, [tmp_path / "ct", tmp_path / "results"])
    assert report.imported == 20 + 5, report.skipped
    return store.services, sess, study, series, uids


def test_import_names_results_objects_instead_of_no_pixel_data(imported):
    """The SEG, SR and KO series say what they are; the CT stays one 20-slice stack."""
    services, sess, study, series, _ = imported
    detail = services.imaging.show_study(sess, study)
    reasons = {r for s in detail.series for r in s.not_decodable}
    assert any(r.startswith("segmentation: shown as an overlay") for r in reasons)
    assert any(r.startswith("structured report") for r in reasons)
    assert any(r.startswith("key object selection") for r in reasons)
    assert not any("no pixel data" in r for r in reasons)
    ct = next(s for s in detail.series if s.series_uid == series)
    assert [st.dimensions[0] for st in ct.stacks] == [20]
    assert all(not s.stacks for s in detail.series if s.series_uid != series)


def test_seg_segments_and_overlay_on_the_source_slices(imported):
    """SEG: both segment labels, sources resolved to their slices, and the mask on slice 6."""
    services, sess, study, series, uids = imported
    results = services.study_results.study_results(sess, study)
    ((seg, refs),) = results.segs
    assert [(s.number, s.label, s.property_type) for s in seg.segments] == [
        (1, "Liver lesion", "Lesion"), (2, "Cyst", "Cyst")]
    assert seg.segments[0].algorithm == "other-vendor-ai" and not seg.fractional
    assert sorted(r.slice_index for r in refs) == [5, 6, 7, 12]
    assert all(r.found and r.series_uid == series for r in refs)
    masks = services.study_results.seg_overlay(sess, uids["seg"], uids["slice6"])
    assert set(masks) == {1}
    rows, cols = np.nonzero(masks[1])
    assert (rows.min(), rows.max(), cols.min(), cols.max()) == (40, 59, 50, 69)


def test_sr_measurements_jump_to_images_and_missing_images_are_noted(imported):
    """SR: each group's finding and diameter; one jumps to slice 6, the other is noted as absent."""
    services, sess, study, series, uids = imported
    results = services.study_results.study_results(sess, study)
    ((sr, refs),) = results.reports
    assert [g.finding for g in sr.groups] == ["Nodule", "Nodule"]
    assert sr.groups[0].measurements[0].value == 12.0
    assert sr.groups[0].measurements[0].unit == "mm"
    here, away = refs
    assert here[0].found and (here[0].series_uid, here[0].slice_index) == (series, 6)
    assert away[0].note == NOT_HERE and away[0].sop_instance_uid == uids["elsewhere"]


def test_ko_and_skip_reasons(imported):
    """KO lists slices 3 and 9; the content-less SR and pydicom's non-TID-1500 SR are skipped with why."""
    services, sess, study, _series, uids = imported
    results = services.study_results.study_results(sess, study)
    ((ko, refs),) = results.key_images
    assert ko.title == "Of Interest" and [r.slice_index for r in refs] == [3, 9]
    reasons = {s.sop_instance_uid: s.reason for s in results.skipped}
    assert reasons[uids["broken"]] == "The structured report has no content tree"
    assert "not a measurement report (TID 1500)" in reasons[uids["sample"]]


def test_our_own_export_reads_back_through_the_same_reader(imported, tmp_path: Path):
    """An object from our writer (the KO) parses with the reader used for other systems."""
    from clinic_app.core.dicom_out.foreign import read_ko
    from clinic_app.core.dicom_out.ko import build_ko

    src = _sources(tmp_path / "ct")
    ko = build_ko([src[1]], series_uid=generate_uid(), sop_uid=generate_uid())
    assert read_ko(ko).images == (str(src[1].SOPInstanceUID),)
