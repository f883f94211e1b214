#!/usr/bin/env bash
# The GPU check of issue 17, as ONE command on a bare GPU machine (the `device` tool):
# self-test, benchmarks/inference.py on the CPU (baseline), CUDA and TensorRT (IO binding
# and warm-up are the pipeline's own: ModelRunner binds device buffers on CUDA/TensorRT, and
# each session runs its manifest's warm-up before the timed runs), and the CT and CR
# pipelines end to end (services.analysis.analyze on a real encrypted store, the real-size
# networks and the shipped demo models). Budget: about 8 minutes on a 16-core H100 machine.
#
#   here, once:  benchmarks/gpu_wheels.sh            # .whl/ (~31 MB) for Python 3.12
#   device run:  carry [".whl"], command "bash benchmarks/gpu_run.sh", timeout_s 590
#
# Logs and a summary land in $OUT (the device tool brings them back) or ./gpu-out.
# A step that cannot run says why and the script goes on; the exit status is the number
# of failed steps. Nothing here needs the network.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-$PWD/gpu-out}
mkdir -p "$OUT"
PY=${PYTHON:-python3}
export PYTHONUNBUFFERED=1
SUMMARY="$OUT/summary.txt"
: > "$SUMMARY"
note() { echo "$*" | tee -a "$SUMMARY"; }
failed=0

if compgen -G ".whl/*.whl" > /dev/null; then
  "$PY" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
    --target /tmp/clinic-site .whl/*.whl || { note "wheel install FAILED"; exit 99; }
  export PYTHONPATH="$PWD:/tmp/clinic-site"
else
  export PYTHONPATH="$PWD"
fi

note "== machine $(date -u +%FT%TZ)"
{ nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
  nproc; uptime; "$PY" --version
  "$PY" -c 'import onnxruntime as o; print("onnxruntime", o.__version__, o.get_available_providers())'
} 2>&1 | tee -a "$SUMMARY"
PROVIDERS=$("$PY" -c 'import onnxruntime as o; print(",".join(o.get_available_providers()))' 2>/dev/null)

step() {  # step NAME SECONDS CMD...: run with a time limit, log to $OUT/NAME.log
  local name=$1 limit=$2
  shift 2
  note "== $name (limit ${limit}s)"
  local t0=$SECONDS
  timeout "$limit" "$@" > "$OUT/$name.log" 2>&1
  local rc=$?
  tail -n 25 "$OUT/$name.log"
  note "-- $name: exit $rc in $((SECONDS - t0)) s"
  [ "$rc" -eq 0 ] || failed=$((failed + 1))
}

step selftest 90 "$PY" -m clinic_app --self-test --json
"$PY" - "$OUT/selftest.log" >> "$SUMMARY" 2>&1 <<'PYEOF'
import json, sys
doc = json.loads(open(sys.argv[1]).read())
print("self-test", doc["counts"], [(i["name"], i["detail"]) for i in doc["items"] if i["status"] != "PASS"])
print("runtime:", [i["detail"] for i in doc["items"] if "onnx" in i["name"].lower()
                   or "provider" in i["name"].lower()])
PYEOF
# CPU first: it builds the networks, the data and the store that the GPU runs reuse.
step bench-cpu 170 "$PY" benchmarks/inference.py --quick --repeat 1 --keep-data \
  --providers CPUExecutionProvider
grep -A8 "^case" "$OUT/bench-cpu.log" >> "$SUMMARY"
for ep in CUDAExecutionProvider TensorrtExecutionProvider; do
  if [[ ",$PROVIDERS," != *",$ep,"* ]]; then
    note "== $ep: not offered by this onnxruntime ($PROVIDERS): the GPU path needs the"
    note "   onnxruntime-gpu wheel (256 MB, over the device's 64 MiB carry) in the image"
    failed=$((failed + 1))
    continue
  fi
  # TensorRT builds an engine per session (minutes for the 3D U-Net): radiograph cases only.
  only=all; limit=140; [ "$ep" = TensorrtExecutionProvider ] && { only=cr; limit=140; }
  step "bench-${ep%ExecutionProvider}" "$limit" "$PY" benchmarks/inference.py --quick \
    --repeat 3 --reuse --keep-data --only "$only" --providers "$ep"
  log="$OUT/bench-${ep%ExecutionProvider}.log"
  grep -B4 -A8 "^case" "$log" >> "$SUMMARY"
  grep "provider " "$log" >> "$SUMMARY"
  # The product falls back to the CPU when a GPU provider fails to load: say so loudly.
  if grep -q "CPUExecutionProvider)" "$log"; then
    note "!! $ep was requested but a session ran on the CPU (see $log)"
    failed=$((failed + 1))
  fi
done
rm -rf benchmarks/data/inference
note "== done: $failed step(s) failed"
exit "$failed"
