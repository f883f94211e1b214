"""DICOM fuzz harness: mutators (no clinic_app imports) and a process-isolated runner."""
