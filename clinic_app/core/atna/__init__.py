"""Audit forwarding to an audit repository (IHE ATNA): DICOM audit messages over syslog-TLS."""
