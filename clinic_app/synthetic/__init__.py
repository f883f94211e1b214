"""Synthetic, anatomy-like imaging data for tests, benchmarks and demos (never real patients).

:mod:`phantoms` makes numpy images (a CT torso in HU, a chest radiograph);
:mod:`dicom_series` writes them as DICOM with correct geometry. Both are importable by
any area (imaging AI tests, the viewer's demo data, the demo cohort).
:mod:`cohort` makes the matching patient records (FHIR bundles, NDJSON, CSVs); its
``cohort_demographics`` gives the MRNs, names, birth dates and sexes to write into DICOM.
"""
