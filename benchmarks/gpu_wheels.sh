#!/usr/bin/env bash
# Prepare, on the development machine, the wheels benchmarks/gpu_run.sh installs on a bare
# GPU machine (which reaches no registry). Writes .whl/ at the repository root (ignored
# through .git/info/exclude) for CPython 3.12 on manylinux x86-64, the GPU image's Python.
#
# Only what the image lacks travels (its package list: /work/.library/device/KINDS.md: it
# already has numpy, onnx, onnxruntime, opencv-python-headless, pillow, requests, attrs,
# click, fonttools, torch, typing-extensions). Versions are the ones the project's venv runs.
# The device's carry limit is 64 MiB for the whole working tree; this prints the total.
#
# Not included: imagecodecs (a 26 MB wheel; optional, core/imaging/j2k.py falls back to
# pydicom's decoders, and the benchmark's images are uncompressed), onnxruntime-gpu (a 256 MB wheel; it cannot travel under that limit), the
# Qt wheels (the GPU run is headless) and pydicom-data (the benchmark writes its own data).
set -euo pipefail
cd "$(dirname "$0")/.."
WHL=${WHL_DIR:-.whl}   # WHL_DIR=/tmp/x only to measure the size without touching the repo
if [ "$WHL" = .whl ]; then
  EXCLUDE="$(git rev-parse --git-common-dir)/info/exclude"
  grep -qx '/.whl/' "$EXCLUDE" 2>/dev/null || echo '/.whl/' >> "$EXCLUDE"
fi
PY=${PYTHON:-.venv/bin/python}
[ -x "$PY" ] || PY=/work/main/.venv/bin/python
rm -rf "$WHL" && mkdir -p "$WHL"
PLATFORMS=()
for n in 2_17 2_24 2_27 2_28 2_31 2_34; do PLATFORMS+=(--platform "manylinux_${n}_x86_64"); done
PLATFORMS+=(--platform manylinux2014_x86_64 --platform manylinux1_x86_64)
PINS=(
  pydicom==3.0.2 pylibjpeg==2.1.0 pylibjpeg-libjpeg==2.5.0 pylibjpeg-openjpeg==2.6.0
  pylibjpeg-rle==2.2.0 pyjpegls==1.5.1
  cryptography==51.0.1 cffi==2.1.1 pycparser==3.12 sqlcipher3==0.6.4
  jsonschema==4.26.0 jsonschema-specifications==2025.9.1 referencing==0.37.0 rpds-py==2026.9.1
  defusedxml==0.7.1 shamir-mnemonic==0.3.0 confusable-homoglyphs==3.3.1 fpdf2==2.8.9
  fhir.resources==8.3.0 fhir_core==1.1.12 pydantic==2.14.4 pydantic_core==2.50.5
  annotated-types==0.8.0 typing-inspection==0.4.5
  highdicom==0.28.2 pynetdicom==3.0.4 dicomweb-client==0.61.2 retrying==1.4.2
)
"$PY" -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
  "${PLATFORMS[@]}" -d "$WHL" "${PINS[@]}"
du -sh "$WHL"
echo "tracked + untracked tree (must stay under 64 MiB with .whl):"
git ls-files -co --exclude-standard -z | du -ch --files0-from=- 2>/dev/null | tail -1
