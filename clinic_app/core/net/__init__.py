"""PACS connectivity: node definitions, DIMSE and DICOMweb clients, the storage listener.

No Qt here and no users: the service layer (``services/pacs.py``) checks permissions,
audits, and hands what arrives to the importer. Network libraries (pynetdicom, requests
via dicomweb-client) sit behind this package so their exceptions become our errors.
"""
