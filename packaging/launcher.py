"""Entry script frozen by PyInstaller: the bundle's executable is the ``clinic-app`` CLI."""

import sys

from clinic_app.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
