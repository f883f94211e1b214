"""Desktop clinician assistant.

The library logs through ``logging.getLogger("clinic_app")`` with a NullHandler so that
the application, not the library, decides what is printed and where.
"""

import logging

__version__ = "0.1.0"

logging.getLogger("clinic_app").addHandler(logging.NullHandler())
