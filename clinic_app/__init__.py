"""Desktop clinician assistant.

The library logs through ``logging.getLogger("clinic_app")`` with a NullHandler so that
the application, not the library, decides what is printed and where.
"""

import logging
import os

# onnxruntime's POSIX builds keep a device id and an event database under
# ~/.cache/Microsoft and may upload them; a clinical workstation sends nothing. Set before
# any onnxruntime environment exists (issue 13); an explicit setting by IT is kept. The
# first name is the one onnxruntime 1.31 reads; later releases read the second.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
os.environ.setdefault("ORT_TELEMETRY_DISABLED", "1")

__version__ = "0.1.0"

logging.getLogger("clinic_app").addHandler(logging.NullHandler())
