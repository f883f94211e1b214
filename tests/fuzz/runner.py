"""Run fuzz cases through import → volume → render → analyze, one child process per batch.

The parent writes each case to disk, hands its path to a worker process over a pipe and
waits for one JSON line back, with a deadline. A worker that does not answer in time is
killed (the case is a *hang*); one that dies (a segfault, an abort, the memory limit) makes
the case a *crash*; either way a fresh worker takes the rest. Inside the worker every case
is classified:

* ``refused``  — nothing usable came in, with a one-line reason (import skip, or a
  ClinicAppError when loading or analysing);
* ``imported`` — imported, every stack loaded and rendered;
* ``gap``      — imported and viewable, with slices listed as gaps;
* ``crash``    — anything else: an exception outside ``ClinicAppError`` (the user would
  see "internal error"), a message that is not one line or that quotes a third-party
  parser's text (it can carry patient data), a numpy warning on stderr, or the worker
  process dying;
* ``hang``     — no answer within the per-case deadline.

The worker uses a real store (a copy of a template made once per run) and empties the
imaging tables between cases, so every case starts from the same state. Two settings make
the small samples take the paths large data takes: every blob of 2 KiB or more is written
in the chunked layout with 1000-byte chunks (so frames straddle chunk edges, as in a
large instance), and a file the import refuses for undecodable pixel data is imported
again without the test decode, as versions before it stored such files, so the gap
path (viewer and ``analyze`` naming the missing instances) is exercised too.
"""

from __future__ import annotations

import json
import os
import selectors
import shutil
import subprocess
import sys
import time
import traceback
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

OUTCOMES = ("refused", "imported", "gap", "crash", "hang")
CASE_TIMEOUT_S = 30.0
START_TIMEOUT_S = 120.0
#: Address space per worker: room for the 2 GiB decoded-instance limit plus the process;
#: a decoder allocating more fails inside the wall (MemoryError → DecodeError) instead of
#: taking the machine.
MEMORY_LIMIT = 6 * 1024**3
#: Blob layout settings in the worker (see the module docstring).
FUZZ_STREAM_BYTES, FUZZ_CHUNK_BYTES = 2048, 1000
#: Third-party exception phrases (pydicom, zlib, struct, zipfile): none may reach a message.
THIRD_PARTY_TEXT = ("Expected total bytes", "No tag to read", "Error -", "Unknown Value",
                    "struct format", "while decompressing", "b'", "\\x")
UNDECODABLE = "pixel data cannot be decoded"
PASSWORD = "fuzz-radiologist-1"


@dataclass
class Tally:
    counts: Counter = field(default_factory=Counter)
    by_mutator: dict[str, Counter] = field(default_factory=dict)
    failures: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, result: dict[str, Any], mutator: str) -> None:
        self.counts[result["outcome"]] += 1
        self.by_mutator.setdefault(mutator.split(" ")[0], Counter())[result["outcome"]] += 1
        if result["outcome"] in ("crash", "hang"):
            self.failures.append(result)

    def summary(self) -> str:
        total = sum(self.counts.values())
        parts = ", ".join(f"{k} {self.counts.get(k, 0)}" for k in OUTCOMES)
        return f"{total} cases in {self.seconds:.0f} s: {parts}"


# -- parent ----------------------------------------------------------------------------------
def make_template(root: Path) -> Path:
    """A real store with one radiologist (password PASSWORD), made once per run."""
    from clinic_app.config import Settings
    from clinic_app.core.security.roles import Role
    from clinic_app.services import Services
    from clinic_app.services.store_init import NewAccount

    store = root / "template"
    services = Services(Settings(store_dir=store, log_dir=root / "logs"))
    services.auth.init_store(NewAccount("admin", Role.ADMIN, "fuzz-admin-password-1"),
                             [NewAccount("rad", Role.RADIOLOGIST, "fuzz-initial-pass-1")])
    sess = services.auth.login("rad", "fuzz-initial-pass-1")
    services.auth.change_password(sess, "fuzz-initial-pass-1", PASSWORD)
    services.close()
    return store


class _Worker:
    def __init__(self, template: Path, work: Path, n: int) -> None:
        store = work / f"store{n}"
        shutil.rmtree(store, ignore_errors=True)
        shutil.copytree(template, store)
        env = {**os.environ, "CLINIC_APP_SITE_CONFIG": os.devnull,
               "CLINIC_APP_USER_CONFIG": os.devnull, "PYTHONWARNINGS": "ignore"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.fuzz.runner", "--worker", str(store)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, env=env, cwd=str(Path(__file__).resolve().parents[2]))
        self.sel = selectors.DefaultSelector()
        assert self.proc.stdout is not None
        self.sel.register(self.proc.stdout, selectors.EVENT_READ)
        self.started = False

    def run(self, case_dir: Path, timeout: float) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        try:
            self.proc.stdin.write(str(case_dir) + "\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            return {"outcome": "crash", "detail": f"worker gone (exit {self.proc.poll()})"}
        limit = timeout if self.started else timeout + START_TIMEOUT_S
        if not self.sel.select(limit):
            self.kill()
            return {"outcome": "hang", "detail": f"no answer in {limit:.0f} s"}
        line = self.proc.stdout.readline()
        if not line:
            code = self.proc.wait()
            return {"outcome": "crash", "detail": f"worker died (exit {code})"}
        self.started = True
        return json.loads(line)

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()

    def close(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def run_cases(cases: list[Any], work: Path, *, timeout: float = CASE_TIMEOUT_S,
              template: Path | None = None, progress: bool = False) -> Tally:
    """Run ``cases`` (tests.fuzz.mutate.Case) and count outcomes."""
    start = time.monotonic()
    work.mkdir(parents=True, exist_ok=True)
    template = template or make_template(work)
    tally = Tally()
    spawned = 0
    worker = _Worker(template, work, spawned)
    for case in cases:
        case_dir = work / "case"
        shutil.rmtree(case_dir, ignore_errors=True)
        case_dir.mkdir()
        for name, data in case.files.items():
            (case_dir / name).write_bytes(data)
        target = case_dir if len(case.files) > 1 else case_dir / next(iter(case.files))
        result = worker.run(target, timeout)
        result.update(index=case.index, sample=case.sample, mutator=case.mutator)
        tally.add(result, case.mutator)
        if result["outcome"] in ("crash", "hang") and worker.proc.poll() is not None:
            spawned += 1
            worker = _Worker(template, work, spawned)
        if progress and case.index % 100 == 0:
            print(f"  case {case.index}: {tally.summary()}", flush=True)
    worker.close()
    tally.seconds = time.monotonic() - start
    return tally


# -- worker ----------------------------------------------------------------------------------
def _one_line(text: str) -> bool:
    return (bool(text) and "\n" not in text and "Traceback" not in text
            and "internal error" not in text and not any(p in text for p in THIRD_PARTY_TEXT))


def _import(services: Any, rad: Any, path: Path) -> Any:
    """Import ``path``; files refused as undecodable are then stored the old way (no test
    decode), so their series load with gaps."""
    from clinic_app.core.imaging import importer

    report = services.imaging.import_dicom(rad, [path])
    if not any(s.reason.startswith(UNDECODABLE) for s in report.skipped):
        return report
    importer.TEST_DECODE = False
    try:
        again = services.imaging.import_dicom(rad, [path])
    finally:
        importer.TEST_DECODE = True
    return again if again.imported else report


def _case(services: Any, rad: Any, path: Path) -> dict[str, Any]:
    import numpy as np

    from clinic_app.core.imaging.render import render
    from clinic_app.errors import ClinicAppError

    result: dict[str, Any] = {"outcome": "refused", "detail": ""}
    try:
        report = _import(services, rad, path)
    except ClinicAppError as exc:
        return {"outcome": "refused" if _one_line(str(exc)) else "crash", "detail": str(exc)[:300]}
    bad = [s.reason for s in report.skipped if not _one_line(s.reason)]
    if bad:
        return {"outcome": "crash", "detail": f"skip reason not one line: {bad[0][:300]}"}
    if report.imported == 0:
        reasons = sorted({s.reason.split("(")[0][:80] for s in report.skipped})
        return {"outcome": "refused", "detail": "; ".join(reasons)[:300]}
    result["outcome"] = "imported"
    for study in report.studies:
        for series in services.imaging.show_study(rad, study.study_uid).series:
            for stack in range(max(len(series.stacks), 1)):
                try:
                    vol = services.imaging.load_series_volume(rad, series.series_uid, stack=stack)
                except ClinicAppError as exc:
                    if not _one_line(str(exc)):
                        return {"outcome": "crash", "detail": f"not one line: {str(exc)[:300]}"}
                    result["detail"] = str(exc)[:200]
                    continue
                if vol.gaps:
                    result["outcome"] = "gap"
                for k in range(vol.voxels.shape[0]):
                    img = render(vol.voxels[k], vol.display.default, invert=vol.display.invert,
                                 padding_value=vol.display.padding_value)
                    assert img.dtype == np.uint8
        try:
            services.analysis.analyze(rad, study.study_uid)
        except ClinicAppError as exc:
            if not _one_line(str(exc)):
                return {"outcome": "crash", "detail": f"analyze not one line: {str(exc)[:300]}"}
    return result


def _reset(rad: Any) -> None:
    db = rad.clinical
    with db.transaction():
        for table in ("dicom_instances", "dicom_series", "dicom_studies", "dicom_patients"):
            db.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names


def worker_main(store: Path) -> int:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    from clinic_app.config import Settings
    from clinic_app.core.store import blobs, chunked
    from clinic_app.services import Services

    blobs.STREAM_BYTES, chunked.CHUNK2_BYTES = FUZZ_STREAM_BYTES, FUZZ_CHUNK_BYTES
    services = Services(Settings(store_dir=store, log_dir=store.parent / f"{store.name}-logs"))
    rad = services.auth.login("rad", PASSWORD)
    for line in sys.stdin:
        path = Path(line.strip())
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result = _case(services, rad, path)
            except MemoryError as exc:
                tb = traceback.extract_tb(exc.__traceback__)[-1]
                result = {"outcome": "crash", "detail": "MemoryError outside the decoder wall at "
                          f"{Path(tb.filename).name}:{tb.lineno}"}
            except Exception as exc:  # the point of fuzzing: anything here is a crash
                tb = traceback.extract_tb(exc.__traceback__)[-1]
                result = {"outcome": "crash", "detail": f"{type(exc).__name__} at "
                          f"{Path(tb.filename).name}:{tb.lineno}: {str(exc)[:200]}"}
        noisy = [w for w in caught if issubclass(w.category, RuntimeWarning)]
        if noisy and result["outcome"] != "crash":
            w = noisy[0]
            result = {"outcome": "crash", "detail": f"RuntimeWarning at {Path(w.filename).name}:"
                      f"{w.lineno}: {str(w.message)[:200]}"}
        try:
            _reset(rad)
        except Exception as exc:  # a store the case broke is a crash too
            result = {"outcome": "crash", "detail": f"reset failed: {type(exc).__name__}"}
        print(json.dumps(result), flush=True)
    services.close()
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        sys.exit(worker_main(Path(sys.argv[2])))
    sys.exit("usage: python -m tests.fuzz.runner --worker STORE")
