#!/bin/sh
# Build clinic-app's Linux deliverables (bundles, .tar.gz, .deb) into packaging/out/.
# Arguments are passed to packaging/build.py (--help lists them). Uses the project's
# virtual environment, which must have the package extra: .venv/bin/pip install -e '.[package]'
set -eu
here=$(cd "$(dirname "$0")" && pwd)
python="${CLINIC_APP_BUILD_PYTHON:-$here/../.venv/bin/python}"
if [ ! -x "$python" ]; then
    echo "build.sh: no Python at $python; create the venv or set CLINIC_APP_BUILD_PYTHON" >&2
    exit 1
fi
exec "$python" "$here/build.py" "$@"
