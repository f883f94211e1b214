"""Node definitions, query filters and the node table: checked input, no secret shown."""

from __future__ import annotations

import pytest

from clinic_app.core.net.nodes import dimse_node, web_node
from clinic_app.core.net.query import QueryFilter, QueryLevel, identifier, parse_date_range, qido_params
from clinic_app.errors import InvalidInput, PermissionDenied
from tests.conftest import StoreFixture


@pytest.mark.parametrize("aet", ["", "A" * 17, "BAD\\AET", "TAB\tAET"])
def test_bad_ae_title_refused(aet: str) -> None:
    """An AE title DICOM forbids is refused with a message naming it."""
    with pytest.raises(InvalidInput, match="AE title"):
        dimse_node("pacs", aet, "127.0.0.1", 104)


def test_bad_url_and_credentials_in_url_refused() -> None:
    """A DICOMweb URL must be http(s) and never carry a password."""
    with pytest.raises(InvalidInput, match="http"):
        web_node("w", "ftp://pacs/dicom-web")
    with pytest.raises(InvalidInput, match="password"):
        web_node("w", "https://user:secret@pacs/dicom-web")


def test_date_ranges() -> None:
    """Both range spellings and open ends become ISO pairs and DICOM DA ranges."""
    assert parse_date_range("2025-01-01..2025-06-30") == ("2025-01-01", "2025-06-30")
    assert parse_date_range("20250101-20250630") == ("2025-01-01", "2025-06-30")
    assert parse_date_range("2025-01-01..") == ("2025-01-01", "")
    assert QueryFilter(date_from="2025-01-01").dicom_date == "20250101-"
    assert QueryFilter(date_from="2025-01-01", date_to="2025-01-01").dicom_date == "20250101"
    with pytest.raises(InvalidInput, match="YYYY-MM-DD"):
        parse_date_range("yesterday")
    with pytest.raises(InvalidInput, match="before it starts"):
        QueryFilter(date_from="2025-02-01", date_to="2025-01-01")


def test_identifier_matching_keys() -> None:
    """Name search is a prefix unless wildcards are given; modality goes where the level wants."""
    ds = identifier(QueryFilter(patient_name="DOE", modality="ct"))
    assert ds.PatientName == "DOE*" and ds.ModalitiesInStudy == "CT"
    assert ds.QueryRetrieveLevel == "STUDY"
    assert qido_params(QueryFilter(patient_name="D?E*", modality="mr")) == {
        "PatientName": "D?E*", "ModalitiesInStudy": "MR"}
    series = identifier(QueryFilter(level=QueryLevel.SERIES, study_uid="1.2", modality="CT"))
    assert series.Modality == "CT" and series.StudyInstanceUID == "1.2"


def test_nodes_stored_encrypted_and_secret_never_listed(store: StoreFixture) -> None:
    """A node's token is kept in the system store; listing shows only that one exists."""
    admin = store.login("admin")
    node = web_node("web", "https://pacs.example.org/dicom-web", auth="bearer")
    store.services.pacs.add_node(admin, node, "tok-3f9a-very-secret")
    listed = store.services.pacs.list_nodes(admin)
    assert [n.name for n in listed] == ["web"] and listed[0].has_secret
    assert "tok-3f9a" not in repr(listed) and "tok-3f9a" not in str(listed[0].as_json())
    for path in store.root.rglob("*"):
        if path.is_file():
            assert b"tok-3f9a-very-secret" not in path.read_bytes(), path


def test_radiologist_cannot_add_nodes(store: StoreFixture) -> None:
    """Node changes are IT's: the service refuses a radiologist whatever the UI shows."""
    rad = store.login("rad")
    with pytest.raises(PermissionDenied):
        store.services.pacs.add_node(rad, dimse_node("p", "ORTHANC", "127.0.0.1", 104))


def test_admin_cannot_search(store: StoreFixture) -> None:
    """IT can verify a node but never sees a search result (patient names)."""
    admin = store.login("admin")
    with pytest.raises(PermissionDenied):
        store.services.pacs.find(admin, "any", QueryFilter())
