"""Synthetic, anatomy-like imaging data for tests, benchmarks and demos (never real patients).

:mod:`clinic_app.core.imaging.phantoms` makes numpy images (a CT torso in HU, a chest
radiograph; it sits in the core because the model test vectors draw them at run time);
:mod:`dicom_series` writes them as DICOM with correct geometry, importable by any area
(imaging AI tests, the viewer's demo data, the demo cohort).
:mod:`cohort` makes the matching patient records (FHIR bundles, NDJSON, CSVs); its
``cohort_demographics`` gives the MRNs, names, birth dates and sexes to write into DICOM.
"""
