"""Linking records to imaging by MRN + issuer, with conflicts shown, never merged."""

from __future__ import annotations

from pathlib import Path

from clinic_app.core.records.linking import issuers_compatible
from clinic_app.synthetic.cohort import generate_cohort
from clinic_app.synthetic.dicom_series import Demographics as DicomDemographics
from clinic_app.synthetic.dicom_series import write_cr
from clinic_app.synthetic.patients import ISSUER


def _dicom(demo, **changes) -> DicomDemographics:
    fields = {"patient_id": demo.mrn, "name": demo.dicom_name,
              "birth_date": demo.birth_date.isoformat(), "sex": demo.sex[0].upper(),
              "issuer": demo.issuer.removeprefix("urn:oid:")}
    fields.update(changes)
    return DicomDemographics(**fields)


def test_issuer_compatibility():
    """Issuers match when equal (ignoring urn:oid:) or when one side did not say."""
    assert issuers_compatible("urn:oid:1.2.3", "1.2.3")
    assert issuers_compatible("", "HOSP-A")
    assert not issuers_compatible("HOSP-A", "HOSP-B")


def test_studies_link_and_conflicts_are_flagged(store, tmp_path: Path):
    """Matching MRN+issuer links a study; a birth-date or sex mismatch is flagged on both the
    patient and the study; another issuer's same number does not link."""
    cohort = generate_cohort(3, seed=7)
    bundle = cohort.write_bundle(tmp_path / "cohort.json")
    phys, rad = store.login("phys"), store.login("rad")
    assert store.services.records.import_files(phys, [bundle]).ok
    same, wrong_birth, other_issuer = cohort.demographics
    paths = [
        write_cr(tmp_path / "a.dcm", demographics=_dicom(same), seed=11).paths[0],
        write_cr(tmp_path / "b.dcm", demographics=_dicom(wrong_birth, birth_date="1901-02-03"),
                 seed=12).paths[0],
        write_cr(tmp_path / "c.dcm", demographics=_dicom(other_issuer, issuer="OTHER-HOSP"),
                 seed=13).paths[0],
    ]
    store.services.imaging.import_dicom(rad, paths)

    ok = store.services.records.show_patient(phys, same.mrn, ISSUER)
    assert len(ok.studies) == 1 and ok.conflicts == ()
    assert ok.studies[0].modalities == "CR"

    bad = store.services.records.show_patient(phys, wrong_birth.mrn)
    assert len(bad.studies) == 1
    assert any("birth date differs" in c for c in bad.conflicts)
    assert any("birth date differs" in c for c in bad.studies[0].conflicts)
    assert any("birth date differs" in f for f in bad.patient.flags)

    apart = store.services.records.show_patient(phys, other_issuer.mrn)
    assert apart.studies == () and apart.conflicts == ()

    listed = {p.mrn: p for p in store.services.records.list_patients(phys)}
    assert listed[same.mrn].studies == 1 and not listed[same.mrn].flags
    assert listed[wrong_birth.mrn].flags
