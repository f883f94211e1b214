"""``python -m clinic_app`` behaves exactly like the ``clinic-app`` console script."""

import sys

from clinic_app.cli.main import main

sys.exit(main())
